"""Bulk writes of generated registry data: rows built in batches and written with PostgreSQL's COPY or
one `executemany` on SQLite (never a `save()` per row, nor a model instance per row), in one
transaction with one audit event for the run."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.access import require
from fupin.areas.models import Area, AreaLevel
from fupin.audit.services import audit_event
from fupin.core.errors import Conflict, NotFound
from fupin.registry.dictionaries import code_lists_for_year
from fupin.registry.generator import Village, generate_households, write_csv
from fupin.registry.models import Household, Person
from fupin.registry.services import ensure_writable, registry_year_get_or_create

# The columns written, in table order. Values come from the generated record; a column the generator
# does not fill takes the model's default (the version, an empty pairing cadre), and the keys and
# timestamps are set per batch. Households carry their key (persons point at it); persons' keys come
# from the table's sequence.
_HOUSEHOLD_FIELDS = list(Household._meta.concrete_fields)
_PERSON_FIELDS = [f for f in Person._meta.concrete_fields if not f.primary_key]


@dataclass
class GenerateResult:
    county: str
    year: int
    seed: int
    households: int = 0
    persons: int = 0
    seconds: float = 0.0
    out: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def county_villages(county_code: str) -> list[Village]:
    """The administrative villages (村委会) of a county, with their township and county names;
    urban communities (社区) are left out: the registry is rural."""
    county = Area.objects.current().filter(code=county_code.ljust(12, "0"), level=AreaLevel.COUNTY).first()
    if county is None:
        raise NotFound(_("未知的县级区划：%(c)s。请先加载区划代码（fupin areas load）。") % {"c": county_code},
                       code="unknown_area")
    towns = dict(Area.objects.current().under(county.prefix).filter(level=AreaLevel.TOWNSHIP).values_list(
        "code", "name"))
    villages = (Area.objects.current().under(county.prefix).filter(level=AreaLevel.VILLAGE, name__contains="村")
                .exclude(name__contains="社区").order_by("code"))
    return [Village(v.code, v.name, towns.get(v.parent_code, ""), county.name) for v in villages]


def registry_generate_csv(*, county_code: str, households: int, seed: int, year: int, out,
                          progress: Callable[[int, int], None] | None = None) -> GenerateResult:
    """Write generated households to `out` (a text file) in the national layout plus our columns."""
    started = time.perf_counter()
    villages = county_villages(county_code)
    codes = code_lists_for_year(year)
    result = GenerateResult(county=county_code, year=year, seed=seed)
    result.households, result.persons = write_csv(
        generate_households(villages, households=households, seed=seed, year=year), out,
        labels=codes.label, progress=(lambda n: progress(n, households)) if progress else None)
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def registry_generate_db(*, actor, county_code: str, households: int, seed: int, year: int,
                         batch_size: int = 2000, progress: Callable[[int, int], None] | None = None
                         ) -> GenerateResult:
    """Insert generated households and persons for one county and year. Refused when that county
    already has households in that year (so a re-run never doubles the data) or the year is frozen."""
    started = time.perf_counter()
    villages = county_villages(county_code)
    if not villages:
        raise NotFound(_("县 %(c)s 没有行政村") % {"c": county_code}, code="no_villages")
    county = Area.objects.current().get(code=county_code.ljust(12, "0"))
    if actor is not None:
        require(actor, "registry.approve", county.code)
    ensure_writable(year=year, village_code=county.code)
    village_pk = dict(Area.objects.current().filter(code__in=[v.code for v in villages]).values_list("code", "pk"))
    result = GenerateResult(county=county_code, year=year, seed=seed)
    with transaction.atomic():
        if Household.objects.filter(year=year, village__code__startswith=county.prefix).exists():
            raise Conflict(_("%(y)s年度%(n)s已有农户数据，未生成。") % {"y": year, "n": county.name},
                           code="year_has_households")
        registry_year_get_or_create(county=county, year=year)
        batch: list[tuple[dict, list[dict]]] = []

        def flush() -> None:
            ids = _next_ids(Household, len(batch))
            now = Household._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
            household_rows = [_row(_HOUSEHOLD_FIELDS, values, {"id": pk, "village": village_pk[values["village"]],
                                                               "created_at": now, "updated_at": now})
                              for pk, (values, _people) in zip(ids, batch, strict=True)]
            person_rows = [_row(_PERSON_FIELDS, p, {"year": year, "household": pk})
                           for pk, (_values, people) in zip(ids, batch, strict=True) for p in people]
            _write(Household, _HOUSEHOLD_FIELDS, household_rows)
            _write(Person, _PERSON_FIELDS, person_rows)
            result.households += len(household_rows)
            result.persons += len(person_rows)
            batch.clear()
            if progress:
                progress(result.households, households)

        for record in generate_households(villages, households=households, seed=seed, year=year):
            batch.append(record)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        audit_event(actor=actor, action="registry.generate", area_code=county.code,
                    details={"year": year, "seed": seed, "households": result.households, "persons": result.persons})
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _row(fields: list[models.Field], values: dict, fixed: dict) -> tuple:
    """One row in `fields` order, each value as the database driver takes it: what Django's
    `get_db_prep_save` would give, without a model instance and a field call per value (which cost
    most of a million-person run). The generator's values are plain str, int, bool, date and Decimal,
    which both drivers take as they are; JSON lists are serialised here."""
    row = []
    for f in fields:
        if f.name in fixed:
            value = fixed[f.name]
        elif f.name in values:
            value = values[f.name]
        else:
            value = f.get_default()
        if isinstance(f, models.JSONField):
            value = json.dumps(value)
        row.append(value)
    return tuple(row)


def _next_ids(model: type[models.Model], n: int) -> list[int]:
    """`n` fresh primary keys, taken before the rows are written so persons can point at their
    household without reading the keys back."""
    table = model._meta.db_table
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n])
            return [r[0] for r in c.fetchall()]
        # SQLite's AUTOINCREMENT never reuses a key: start past the highest ever given, which the explicit
        # keys then move on. The transaction began IMMEDIATE (settings), so no other writer interleaves.
        c.execute(f"SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM {connection.ops.quote_name(table)} "
                  "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)", [table])
        start = (c.fetchone()[0] or 0) + 1
    return list(range(start, start + n))


def _write(model: type[models.Model], fields: list[models.Field], rows: Iterable[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            with c.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            c.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
