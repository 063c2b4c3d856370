"""光伏电站台账: one row per village PV station. The same rules as registering one station on the page
(the village owns the station, the site rent within the cap of its land type), plus duplicates: a
village's station name appears once in the file and is not registered yet."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fupin.core import clock
from fupin.core.errors import ApplicationError
from fupin.funds.codes import station_code
from fupin.funds.models import LandType, PVStation, StationFunding
from fupin.funds.rules import rules_for
from fupin.funds.services.pv import land_rent_cap

from .base import Context, Ledger, Rows
from .sheet import SERIAL, Col

COLUMNS = [
    Col("serial", SERIAL, "text", required=False, example="示例", note="可留空；填“示例”的行不导入"),
    Col("village_code", "产权村代码", "code", example="210922101202", note="12位行政村区划代码（电站产权归该村）"),
    Col("name", "电站名称", "text", example="富有村村级光伏电站", max_length=100),
    Col("capacity_kw", "装机容量（千瓦）", "number", example=300, positive=True),
    Col("investment", "总投资（元）", "money", example=2400000),
    Col("funding", "资金性质", "choice", required=False, choices=StationFunding, example=StationFunding.FISCAL.label,
        note="留空为财政专项扶贫资金建设"),
    Col("grid_on", "并网日期", "date", example="2018-06-30", note="不能晚于今天"),
    Col("land_type", "场地类型", "choice", choices=LandType, example=LandType.WASTELAND.label),
    Col("land_area_mu", "占地面积（亩）", "number", example=9.5),
    Col("land_rent_per_mu", "场地租金（元/亩/年）", "money", example=800, note="不得超过该场地类型的租金上限"),
    Col("builder", "承建企业", "text", required=False, example="辽宁某光伏工程有限公司", max_length=100),
]
H = {c.key: c.header for c in COLUMNS}
NOTES = [_lazy("电站编号由系统按村生成；同一村的电站名称不能重复，已登记的电站不能再导入。"),
         _lazy("场地租金上限按场地类型和并网年度的资金规则核验（荒山、荒坡和未利用地，建设用地各有上限）。")]


def check(ctx: Context, rows: Rows) -> list:
    ctx.unique_in_file(rows, lambda v: (v.get("village_code"), v.get("name")) if v.get("name") else None,
                       H["name"], _("同一村的电站名称"))
    prepared = []
    for n, v in rows:
        village = ctx.village(n, v["village_code"], H["village_code"]) if "village_code" in v else None
        if village is None:
            continue
        if "name" in v and PVStation.objects.filter(village=village, name=v["name"]).exists():
            ctx.add(n, H["name"], _("该村已登记同名电站"), "duplicate_in_database", v["name"])
        if "grid_on" in v and v["grid_on"] > clock.today():
            ctx.add(n, H["grid_on"], _("不能晚于今天"), "future_date", v["grid_on"])
        if {"grid_on", "land_type", "land_rent_per_mu"} <= v.keys() and ctx.row_ok(n):
            try:
                cap, source = land_rent_cap(village.code, v["grid_on"].year, v["land_type"])
            except ApplicationError as exc:
                ctx.add(n, H["grid_on"], exc.message, exc.code)
                continue
            if v["land_rent_per_mu"] > cap:
                ctx.add(n, H["land_rent_per_mu"], _("超过%(t)s的上限 %(c)s 元/亩/年（%(s)s）")
                        % {"t": LandType(v["land_type"]).label, "c": cap, "s": source}, "land_rent_over_cap",
                        v["land_rent_per_mu"])
        if ctx.row_ok(n):
            prepared.append((village, v))
    return prepared


def write(actor, prepared: list) -> list[str]:
    codes = []
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    for village, v in prepared:
        station = PVStation.objects.create(
            code=f"tmp-{uuid.uuid4().hex[:20]}", village=village, name=v["name"], capacity_kw=v["capacity_kw"],
            investment=v["investment"], funding=v.get("funding", StationFunding.FISCAL), grid_on=v["grid_on"],
            land_type=v["land_type"], land_area_mu=v["land_area_mu"], land_rent_per_mu=v["land_rent_per_mu"],
            builder=v.get("builder", ""), rules_pack=rules_for(village.code, v["grid_on"].year).pack_id,
            created_by=created_by)
        station.code = station_code(village.code, station.pk)
        station.save(update_fields=["code"])
        codes.append(station.code)
    return codes


LEDGER = Ledger(kind="stations", title="光伏电站台账", noun="电站", tab="pv", columns=COLUMNS, notes=NOTES,
                check=check, write=write)
