"""Writes to the division tree: loading the shipped codes, renames and merges with history."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.accounts.access import require
from fupin.areas.models import CODES_AS_OF, Area, level_of, pad_code
from fupin.areas.selectors import area_get
from fupin.audit.services import audit_event
from fupin.core.errors import NotFound, ValidationFailed

DIVISIONS_DIR = Path(__file__).resolve().parent.parent / "data" / "divisions"
SOURCE = "国家统计局统计用区划代码 2023-06-30 (china-division 2.7.0)"


@dataclass
class LoadResult:
    created: int = 0
    renamed: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "renamed": self.renamed, "unchanged": self.unchanged}


def _read(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _division_rows(province: str, directory: Path) -> Iterator[tuple[str, str, str]]:
    """(significant code, name, parent significant code) for the province, top down."""
    nation = {row["code"]: row for row in _read(directory / "china-provinces.csv")}
    if province not in nation:
        raise NotFound(_("未知的省级区划代码：%(p)s") % {"p": province}, code="unknown_area")
    yield province, nation[province]["name"], ""
    detail = directory / ("liaoning" if province == "21" else "__none__")
    if detail.exists():
        sources = [("cities.csv", "provinceCode"), ("counties.csv", "cityCode"),
                   ("townships.csv", "areaCode"), ("villages.csv", "streetCode")]
    else:  # only the national files: down to counties
        sources = [("../china-cities.csv", "provinceCode"), ("../china-counties.csv", "cityCode")]
        detail = directory / "liaoning"
    for filename, parent_column in sources:
        for row in _read(detail / filename):
            if row["code"].startswith(province):
                yield row["code"], row["name"], row[parent_column]


def areas_load(*, actor, province: str = "21", directory: Path | None = None, within: list[str] | None = None,
               effective: dt.date | None = None, progress=None) -> LoadResult:
    """Load (or refresh) the division codes of one province. Idempotent: a second run changes nothing;
    a changed name becomes a rename with history rather than an edit. `within` limits the load to
    some subtrees (and their ancestors), e.g. the counties a deployment serves."""
    if actor is not None:
        require(actor, "areas.manage")
    rows = list(_division_rows(str(province).strip(), directory or DIVISIONS_DIR))
    if within:
        rows = [r for r in rows if any(r[0].startswith(w) or w.startswith(r[0]) for w in within)]
    result = LoadResult()
    with transaction.atomic():
        current = {a.code: a for a in Area.objects.current().filter(code__startswith=province)}
        to_create: list[Area] = []
        for index, (significant, name, parent) in enumerate(rows):
            code = pad_code(significant)
            existing = current.get(code)
            if existing is None:
                to_create.append(Area(
                    code=code, prefix=significant, level=level_of(significant), name=name,
                    parent_code=pad_code(parent) if parent else "", valid_from=CODES_AS_OF, source=SOURCE,
                ))
                result.created += 1
            elif existing.name != name:
                _close_and_reopen(existing, name=name, effective=effective or dt.date.today())
                result.renamed += 1
            else:
                result.unchanged += 1
            if progress and index % 2000 == 0:
                progress(index, len(rows))
        Area.objects.bulk_create(to_create, batch_size=2000)
        audit_event(actor=actor, action="areas.load", area_code=pad_code(province),
                    details={"province": province, **result.as_dict()})
    return result


def _close_and_reopen(area: Area, *, name: str, effective: dt.date) -> Area:
    if effective <= area.valid_from:
        raise ValidationFailed(_("生效日期必须晚于当前名称的生效日期 %(d)s") % {"d": area.valid_from},
                               code="bad_effective_date")
    area.valid_to = effective
    area.save(update_fields=["valid_to"])
    return Area.objects.create(
        code=area.code, prefix=area.prefix, level=area.level, name=name, parent_code=area.parent_code,
        valid_from=effective, source=area.source,
    )


def area_rename(*, actor, code: str, new_name: str, effective: dt.date) -> Area:
    """更名: the old name stays on record for dates before `effective`."""
    require(actor, "areas.manage", area_get(code).code)
    new_name = (new_name or "").strip()
    if not new_name:
        raise ValidationFailed(_("新名称不能为空"), code="required")
    with transaction.atomic():
        area = Area.objects.select_for_update().current().get(code=area_get(code).code)
        old = area.name
        renamed = _close_and_reopen(area, name=new_name, effective=effective)
        audit_event(actor=actor, action="area.rename", target=renamed, area_code=renamed.code,
                    before={"name": old}, after={"name": new_name, "effective": effective})
    return renamed


def area_merge(*, actor, code: str, into_code: str, effective: dt.date) -> Area:
    """合并/撤并: `code` stops existing on `effective` and points at its successor; records that
    name it still resolve, and reports dated before `effective` still show it."""
    area, into = area_get(code), area_get(into_code)
    require(actor, "areas.manage", area.code)
    if area.level != into.level or area.code == into.code:
        raise ValidationFailed(_("只能并入同级的另一区划"), code="bad_merge")
    if Area.objects.current().filter(parent_code=area.code).exists():
        raise ValidationFailed(_("该区划仍有下级区划，请先调整下级"), code="has_children")
    if effective <= area.valid_from:
        raise ValidationFailed(_("生效日期必须晚于 %(d)s") % {"d": area.valid_from}, code="bad_effective_date")
    with transaction.atomic():
        area.valid_to, area.successor = effective, into
        area.save(update_fields=["valid_to", "successor"])
        audit_event(actor=actor, action="area.merge", target=area, area_code=area.code,
                    after={"into": into.code, "effective": effective})
    return area
