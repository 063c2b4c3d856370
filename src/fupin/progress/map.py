"""The schematic map (示意图) of the areas below one area and the chart data the page hands to
`progress/charts.js` through data-* attributes (no inline script under the CSP).

A tile's colour is its share of registered households marked as reaching the standard
(达标一户标注一户): green from `GREEN_SHARE`, amber from `AMBER_SHARE`, red below; grey without
households (docs/decisions/progress-rag.md)."""

from __future__ import annotations

import json
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from fupin.progress.boundaries import boundary_features
from fupin.progress.models import SnapshotValue

GREEN_SHARE = Decimal("0.9")
AMBER_SHARE = Decimal("0.6")
TREND = ["not_exited_persons", "low_income_persons", "reached_households", "housing_shortfall"]


def tile_colour(households: Decimal, reached: Decimal) -> str:
    if not households:
        return "grey"
    share = reached / households
    return "green" if share >= GREEN_SHARE else "amber" if share >= AMBER_SHARE else "red"


def area_tiles(kids, values: dict) -> list[dict]:
    tiles = []
    for kid in kids:
        v = values.get(kid.code, {})
        households, reached = v.get("households", Decimal("0")), v.get("reached_households", Decimal("0"))
        tiles.append({"area": kid, "households": households, "reached": reached,
                      "not_exited": v.get("not_exited_persons", Decimal("0")),
                      "percent": int(reached * 100 / households) if households else 0,
                      "colour": tile_colour(households, reached)})
    return tiles


def chart_children(kids, values: dict) -> dict:
    def series(code: str) -> list[int]:
        return [int(values.get(k.code, {}).get(code, 0)) for k in kids]

    return {"type": "bar", "categories": [k.name for k in kids],
            "series": [{"name": _("建档立卡户数"), "data": series("households")},
                       {"name": _("已达标户数"), "data": series("reached_households")},
                       {"name": _("未脱贫户数"), "data": series("not_exited_households")}]}


def chart_trend(area) -> dict:
    """Month by month from the frozen dispatch snapshots that include this area."""
    rows = (SnapshotValue.objects.filter(area_code=area.code, indicator__in=TREND)
            .values_list("snapshot__month", "indicator", "value").order_by("snapshot__month"))
    by_month: dict = {}
    for month, indicator, value in rows:
        by_month.setdefault(month, {})[indicator] = int(value)
    months = sorted(by_month)[-24:]
    labels = {"not_exited_persons": _("未脱贫人数"), "low_income_persons": _("人均纯收入5000元以下人数"),
              "reached_households": _("已达标户数"), "housing_shortfall": _("住房安全未保障户数")}
    return {"type": "line", "categories": [f"{m:%Y-%m}" for m in months],
            "series": [{"name": labels[i], "data": [by_month[m].get(i, 0) for m in months]} for i in TREND]}


# The colours of the schematic tiles' legend, for the geographic map's regions.
GEO_COLOURS = {"green": "#7cc48a", "amber": "#f2c24f", "red": "#e06c75", "grey": "#d5d5d5"}


def geo_map(area, tiles: list[dict], year: int) -> dict | None:
    """The uploaded boundaries of the areas one level below, coloured like the schematic tiles, for
    `progress/geomap.js` (ECharts registerMap); None when none of them has a boundary."""
    stored = boundary_features([t["area"].code for t in tiles])
    if not stored:
        return None
    features, regions = [], []
    for t in tiles:
        boundary = stored.get(t["area"].code)
        if boundary is None:
            continue
        code = t["area"].code
        features.append({"type": "Feature", "properties": {"name": code},
                         "geometry": json.loads(boundary.geometry)})
        regions.append({"name": code, "label": t["area"].name, "colour": GEO_COLOURS[t["colour"]],
                        "percent": t["percent"], "households": int(t["households"]), "reached": int(t["reached"]),
                        "url": reverse("progress:map", args=[code]) + f"?year={year}"})
    return {"map": f"fupin-{area.code}", "schematic": any(b.schematic for b in stored.values()),
            "geojson": {"type": "FeatureCollection", "features": features}, "regions": regions,
            "missing": [t["area"].name for t in tiles if t["area"].code not in stored]}
