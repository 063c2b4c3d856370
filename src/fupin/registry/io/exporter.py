"""批量导出: the registry in the national export layout, streamed.

One row per person, the household columns repeated, the national columns first and our extra
columns after them (`schema.export_columns()`), codes written as their labels, exactly as the
generator writes and the importer reads. Rows come from one SQL query scoped with the choke point
(`scope_sql`), read in chunks (a server-side cursor on PostgreSQL), and written as they come, so a
million persons need no more memory than a thousand. Certificate and phone numbers are masked unless
the reader may see them in that household's area (`pii.view`); every export is audited.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import connection, transaction

from fupin.accounts.access import access_area, actor_prefixes, require, scope_sql
from fupin.areas.models import Area, AreaLevel
from fupin.areas.selectors import area_get
from fupin.audit.services import audit_event
from fupin.core.errors import ValidationFailed
from fupin.core.validators import mask_id_number, mask_phone
from fupin.registry import schema
from fupin.registry.dictionaries import code_lists_for_year
from fupin.registry.io.records import HOUSEHOLD_COLUMNS
from fupin.registry.io.staging import AREA, HOUSEHOLD, PERSON
from fupin.registry.io.xlsx import SheetWriter
from fupin.registry.schema import HOUSEHOLD as H
from fupin.registry.schema import PERSON as P

FORMATS = ("xlsx", "csv")
FETCH = 2000
_MASKERS = {"id_number": mask_id_number, "phone": mask_phone}


@dataclass
class ExportResult:
    year: int
    format: str
    area: str = ""
    rows: int = 0
    households: int = 0
    masked_rows: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def content_type(fmt: str) -> str:
    return ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
            else "text/csv; charset=utf-8")


def file_name(year: int, area_name: str, fmt: str) -> str:
    return f"建档立卡名单_{area_name or '全部'}_{year}.{fmt}"


def _query(columns: list[schema.FieldSpec], *, year: int, scope: tuple[str, list], prefix: str
           ) -> tuple[str, list[str], list]:
    """The rows of the export: one per person, with the household, its village and its head."""
    h_fields = [c.name for c in columns if c.entity == H and (c.name in HOUSEHOLD_COLUMNS or c.name in (
        "year", "household_number"))]
    if "housing_grade" not in h_fields:
        h_fields.append("housing_grade")
    p_fields = [c.name for c in columns if c.entity == P and c.name not in ("household_number", "age", "year")]
    p_fields += [n for n in ("relation", "status", "name") if n not in p_fields]
    select = [*(f"h.{connection.ops.quote_name(n)}" for n in h_fields),
              *(f"p.{connection.ops.quote_name(n)}" for n in p_fields),
              "a.code", "a.name"]
    where, params = scope
    sql = (f"SELECT {', '.join(select)} FROM {PERSON} p JOIN {HOUSEHOLD} h ON h.id = p.household_id "
           f"JOIN {AREA} a ON a.id = h.village_id WHERE h.year = %s AND {where}")
    args = [year, *params]
    if prefix:
        sql += " AND a.code LIKE %s"
        args.append(prefix + "%")
    sql += " ORDER BY h.household_number, p.person_number"
    return sql, [*h_fields, *(f"p.{n}" for n in p_fields), "village", "village_name"], args


def _money(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _formatter(spec: schema.FieldSpec, codes, *, numbers: bool) -> Callable:
    """DB value → cell (text, or a number in .xlsx), the way the generator writes the file."""
    if spec.type == "code":
        return lambda v: codes.label(spec.dictionary, v) if v else ""
    if spec.type == "codes":
        def many(v):
            if isinstance(v, str):
                v = json.loads(v or "[]")
            return "、".join(codes.label(spec.dictionary, x) for x in v or [])
        return many
    if spec.type == "bool":
        return lambda v: "" if v is None else ("是" if v else "否")
    if spec.type == "choice":
        labels = dict(spec.choices)
        return lambda v: labels.get(v, v or "")
    if spec.type == "date":
        return lambda v: "" if v is None else (v.isoformat() if isinstance(v, dt.date) else str(v)[:10])
    if spec.type == "decimal":
        if numbers:
            return _money
        return lambda v: "" if v is None or v == "" else str(_money(v))
    if spec.type == "int":
        if numbers:
            return lambda v: None if v is None else int(v)
        return lambda v: "" if v is None else str(int(v))
    return lambda v: "" if v is None else str(v)


class _CsvOut:
    def __init__(self, out):
        self.text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
        self.writer = csv.writer(self.text, lineterminator="\n")

    def write_row(self, values, *, header: bool = False) -> None:
        self.writer.writerow(values)

    def close(self) -> None:
        self.text.flush()
        self.text.detach()


def registry_export(*, actor, out, year: int, area: str = "", fmt: str = "xlsx", full_numbers: bool | None = None,
                    progress: Callable[[int, int, str], None] | None = None) -> ExportResult:
    """Write one year of the registry to `out` (a binary file object, seekable for .xlsx), as `actor`
    sees it: their areas only, narrowed to `area` (a 12-digit code or a significant prefix) when
    given. Numbers are masked where the actor may not see them; `full_numbers=False` masks them
    everywhere; the system (actor None) shows them only with `full_numbers=True`."""
    if fmt not in FORMATS:
        raise ValidationFailed(f"导出格式应为 {' 或 '.join(FORMATS)}", code="bad_format")
    started = time.perf_counter()
    area_obj = None
    if actor is not None:
        require(actor, "registry.view")
    if area:
        area_obj = access_area(actor, area.strip(), "registry.view") if actor is not None else area_get(area.strip())
    scope = ("1 = 1", []) if actor is None else scope_sql(actor, "registry.view", "a.code")
    if actor is None:
        pii_prefixes = [""] if full_numbers else []
    else:
        pii_prefixes = [] if full_numbers is False else actor_prefixes(actor, "pii.view")
    columns = schema.export_columns()
    codes = code_lists_for_year(year)
    numbers = fmt == "xlsx"
    formats = [_formatter(c, codes, numbers=numbers) for c in columns]
    sql, names, args = _query(columns, year=year, scope=scope, prefix=area_obj.prefix if area_obj else "")
    position = {n: i for i, n in enumerate(names)}
    places = _place_names(year)
    getters = [_getter(c, position, places) for c in columns]
    result = ExportResult(year=year, format=fmt, area=area_obj.code if area_obj else "")
    writer = SheetWriter(out, f"建档立卡名单{year}", widths=[_width(c) for c in columns]) if numbers else _CsvOut(out)
    writer.write_row([c.header for c in columns], header=True)
    village_at = position["village"]
    household_at = position["household_number"]
    relation_at, status_at, name_at = position["p.relation"], position["p.status"], position["p.name"]

    household_cells = [(i, formats[i], getters[i], columns[i].name in _MASKERS) for i, c in enumerate(columns)
                       if c.entity == H]
    person_cells = [(i, formats[i], getters[i], columns[i].name in _MASKERS) for i, c in enumerate(columns)
                    if c.entity == P]

    def emit(block: list) -> None:
        """One household's rows. Its columns are formatted once and repeated on each member's row;
        the head's name (the member in the household, else the last head) goes on every row."""
        heads = [r for r in block if r[relation_at] == schema.HEAD_RELATION]
        active = [r for r in heads if r[status_at] == "active"]
        head = (active or heads or [None])[0]
        head_name = head[name_at] if head else ""
        mask = not any(block[0][village_at].startswith(p) for p in pii_prefixes)
        base = [""] * len(columns)
        for i, fmt_, get, masked in household_cells:
            value = fmt_(get(block[0], head_name))
            base[i] = _MASKERS[columns[i].name](value) if mask and masked and value else value
        for row in block:
            values = base.copy()
            for i, fmt_, get, masked in person_cells:
                value = fmt_(get(row, head_name))
                values[i] = _MASKERS[columns[i].name](value) if mask and masked and value else value
            writer.write_row(values)
        if mask:
            result.masked_rows += len(block)
        result.rows += len(block)
        result.households += 1

    # PostgreSQL streams through a server-side cursor, which lives in a transaction. SQLite reads lazily
    # anyway, and a transaction there (BEGIN IMMEDIATE) would hold the write lock for the whole export.
    postgres = connection.vendor == "postgresql"
    with transaction.atomic() if postgres else contextlib.nullcontext():
        cursor = connection.chunked_cursor() if postgres else connection.cursor()
        try:
            cursor.execute(sql, args)
            block: list = []
            while True:
                rows = cursor.fetchmany(FETCH)
                if not rows:
                    break
                for row in rows:
                    if block and row[household_at] != block[0][household_at]:
                        emit(block)
                        block = []
                    block.append(row)
                if progress:
                    progress(result.rows, 0, f"已导出{result.rows}人")
            if block:
                emit(block)
        finally:
            cursor.close()
    writer.close()
    result.seconds = round(time.perf_counter() - started, 3)
    audit_event(actor=actor, action="registry.export", area_code=result.area,
                details={"year": year, "format": fmt, "rows": result.rows, "households": result.households,
                         "unmasked_rows": result.rows - result.masked_rows})
    return result


def areas_for_year(year: int):
    """The area rows whose names a report of `year` shows. For a frozen year (封存), the names in force
    when it was frozen, so a later rename does not change the regenerated file; otherwise the current ones."""
    from fupin.registry.models import RegistryYear

    frozen_at = RegistryYear.objects.filter(year=year, frozen=True).order_by("-frozen_at").values_list(
        "frozen_at", flat=True).first()
    return Area.objects.as_of(frozen_at.date()) if frozen_at else Area.objects.current()


def _place_names(year: int) -> dict[str, str]:
    return dict(areas_for_year(year).filter(level__in=(AreaLevel.COUNTY, AreaLevel.TOWNSHIP)).values_list(
        "code", "name"))


def _getter(spec: schema.FieldSpec, position: dict[str, int], places: dict[str, str]) -> Callable:
    name = spec.name
    if spec.entity == H:
        if name == "village":
            i = position["village"]
            return lambda row, _head: row[i]
        if name == "village_name":
            i = position["village_name"]
            return lambda row, _head: row[i]
        if name == "township_name":
            i = position["village"]
            return lambda row, _head: places.get(row[i][:9] + "000", "")
        if name == "county_name":
            i = position["village"]
            return lambda row, _head: places.get(row[i][:6] + "000000", "")
        if name == "head_name":
            return lambda row, head: head
        if name == "is_dangerous_house":
            i = position["housing_grade"]
            return lambda row, _head: (row[i] in schema.DANGEROUS_HOUSING_GRADES) if row[i] else None
        if name == "pairing_cadre_name":
            return lambda row, _head: ""
        i = position[name]
        return lambda row, _head: row[i]
    if name == "household_number":
        i = position["household_number"]
        return lambda row, _head: row[i]
    i = position[f"p.{name}"]
    return lambda row, _head: row[i]


def _width(spec: schema.FieldSpec) -> int:
    return {"id_number": 22, "person_number": 21, "household_number": 19, "address": 30, "village_name": 16,
            "natural_village": 12, "township_name": 12}.get(spec.name, max(8, min(len(spec.header) * 2 + 2, 24)))
