"""Bulk writes of generated registry data: batches of `bulk_create`, never a `save()` per row, in one
transaction with one audit event for the run."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.accounts.access import require
from fupin.areas.models import Area, AreaLevel
from fupin.audit.services import audit_event
from fupin.core.errors import Conflict, NotFound
from fupin.registry.dictionaries import code_lists_for_year
from fupin.registry.generator import Village, generate_households, write_csv
from fupin.registry.models import Household, Person
from fupin.registry.services import ensure_writable, registry_year_get_or_create

_HOUSEHOLD_COLUMNS = [f.name for f in Household._meta.concrete_fields if f.name not in ("id", "village", "pairing_cadre",
                                                                                      "created_at", "updated_at")]
_PERSON_COLUMNS = [f.name for f in Person._meta.concrete_fields if f.name not in ("id", "household")]


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
            rows = [Household(village_id=village_pk[v["village"]], **{k: v[k] for k in _HOUSEHOLD_COLUMNS if k in v})
                    for v, _people in batch]
            Household.objects.bulk_create(rows)
            if any(r.pk is None for r in rows):  # backends that do not return keys from a bulk insert
                ids = dict(Household.objects.filter(year=year, household_number__in=[r.household_number for r in rows])
                           .values_list("household_number", "pk"))
                for r in rows:
                    r.pk = ids[r.household_number]
            persons = [Person(household_id=r.pk, year=year, **{k: p[k] for k in _PERSON_COLUMNS if k in p})
                       for r, (_v, people) in zip(rows, batch, strict=True) for p in people]
            Person.objects.bulk_create(persons)
            result.households += len(rows)
            result.persons += len(persons)
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

