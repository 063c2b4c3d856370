"""Demo data of the battle map: the shipped plans (Zhangwu's 2020 targets and employment task table,
Benxi 2019, Anshan 2020 and its ten special actions, Fushun 2018-2020), the aggregates of the demo
registry refreshed, some hand-reported progress, and a year (2020) of monthly dispatch snapshots of
Zhangwu county.

The registry holds one state of 2020, not its month-by-month history, so the demo reconstructs the
months leading to it: month m of 12 shows the year's exits and 达标 marks at m/12 of the final figure
and the shortfalls receding to it. Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from fupin.areas.models import Area, AreaLevel
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.progress.boundaries import schematic_rectangles
from fupin.progress.catalogue import plans_load
from fupin.progress.dispatch import current_values, month_end, snapshot_write
from fupin.progress.indicators import indicators_refresh
from fupin.progress.models import AreaBoundary, Snapshot, Target

COUNTY = "210922"
YEAR = 2020
# The demo township's villages get generated rectangles as boundaries, laid out near Zhangwu: clearly
# marked 示意 on the map, they show the geographic map and its drill-down, not where the villages are.
DEMO_TOWNSHIP = "210922101"
DEMO_SOURCE = "示意边界（程序生成的矩形，非真实边界）"
# Figures that grow through the year to their final value, and those that recede to it.
GROWING = {"exited_in_year_households", "exited_in_year_persons", "reached_households", "projects", "project_funds"}
RECEDING = {"not_exited_households", "not_exited_persons", "low_income_households", "low_income_persons",
            "housing_shortfall", "water_shortfall", "education_shortfall", "medical_shortfall"}
# Hand-reported progress of the targets the system cannot count (share of the target reached).
REPORTED_SHARE = {"新建扶贫车间": Decimal("0.8"), "贫困村农村交通项目": Decimal("1"),
                  "2020实现贫困人口有务工收入人数指导数": Decimal("0.93"),
                  "贫困人口2019年有务工收入总人数": Decimal("1"), "低收入人口2019年有务工收入人数": Decimal("1"),
                  "未脱贫人口2019年有务工收入人数": Decimal("1")}


def _month_value(indicator: str, final: Decimal, month: int) -> Decimal:
    share = Decimal(month) / 12
    if indicator in GROWING:
        value = final * share
    elif indicator in RECEDING:
        value = final + final * Decimal("0.6") * (1 - share) + (12 - month)
    else:
        return final
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def demo_progress() -> dict:
    county = Area.objects.current().filter(code=COUNTY.ljust(12, "0")).first()
    if county is None:
        return {}
    loaded = [r.code for r in plans_load(actor=None) if r.status == "loaded"]
    refreshed = indicators_refresh(year=YEAR)
    with transaction.atomic():
        reported = 0
        for target in Target.objects.filter(area__code__startswith=county.prefix, indicator="",
                                            reported_value__isnull=True, value__isnull=False):
            share = REPORTED_SHARE.get(target.name)
            if share is not None:
                # Odd-numbered townships lag behind: the map shows amber and red as well as green.
                lag = Decimal("0.85") if int(target.area.code[6:9] or 0) % 2 else 1
                target.reported_value = (target.value * share * lag).quantize(Decimal("1"))
                target.save(update_fields=["reported_value"])
                reported += 1
        final = current_values(county, YEAR)
        frozen = 0
        for month_number in range(1, 13):
            month = dt.date(YEAR, month_number, 1)
            if Snapshot.objects.filter(area=county, month=month).exists():
                continue
            values = [(code, name, level, indicator, _month_value(indicator, value, month_number))
                      for code, name, level, indicator, value in final]
            snapshot_write(actor=None, area=county, month=month, year=YEAR, values=values, as_of=month_end(month),
                           figures_override=True)
            frozen += 1
        shapes = _demo_boundaries()
        summary = {"plans_loaded": loaded, "villages_refreshed": refreshed.villages_recomputed,
                   "targets_reported": reported, "snapshots": frozen, "schematic_boundaries": shapes}
        if loaded or frozen or reported or shapes:
            audit_event(actor=None, action="progress.demo", details=summary)
    return summary


def _demo_boundaries() -> int:
    """Schematic rectangles for the demo township's villages, unless it already has boundaries."""
    if AreaBoundary.objects.filter(area_code__startswith=DEMO_TOWNSHIP).exists():
        return 0
    villages = list(Area.objects.current().filter(parent_code=DEMO_TOWNSHIP.ljust(12, "0")).order_by("code"))
    collection = schematic_rectangles(villages, west=122.3, north=42.5)
    now = clock.now()
    AreaBoundary.objects.bulk_create([
        AreaBoundary(area_code=f["properties"]["code"], level=AreaLevel.VILLAGE, schematic=True, source_name=DEMO_SOURCE,
                     geometry=json.dumps(f["geometry"], separators=(",", ":")), code_property="code", uploaded_at=now)
        for f in collection["features"]])
    return len(villages)
