"""附件4 扶贫资金形成资产情况调查表: one row per fixed asset formed by poverty funds.

The owner is 村名称 by name within the sheet's township (“××镇（镇本级）” for the township itself, and
明确产权 must say 村 or 镇 accordingly); 资产类型, 子类型, 购买、自建、维修 and 现使用状况 are the form's
words. The assets enter as 已登记, as on the one-record page; the form has no 购建时间, so the asset is
taken as built at the end of its 资金投入年度 (no later than today), and 目前净值 is recomputed from the
depreciation rule (the printed one is checked: not above the amount, and summed in 合计). A leased asset
keeps its lessee as 使用权人 and the lease in the note: a contract needs a confirmed asset and the dates of
the democratic decision and filing, which the form does not carry, so it is entered on the asset page
after 确权. A village's asset name appears once in the file and is not registered yet.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fupin.areas.models import AreaLevel
from fupin.core import clock
from fupin.funds.codes import asset_code
from fupin.funds.models import (
    Acquisition,
    Asset,
    AssetFund,
    AssetStatus,
    AssetType,
    Condition,
    ContractKind,
)

from . import form_values as fv
from .base import Context, Ledger, Rows
from .sheet import SERIAL, Col

SOURCES = "资金类型（中央、省、市、县、对口帮扶、深度贫困村、国家改革试验区、集团帮村、强村工程等）"
SELF_USE = "自用"
COLUMNS = [
    Col("serial", SERIAL, "text", required=False),
    Col("village", "村名称", "text", note="本乡镇的行政村名称；乡镇所有填“××镇（镇本级）”"),
    Col("asset_type", "资产类型", "choice", choices=AssetType),
    Col("subtype", "子类型", "text"),
    Col("name", "资产名称", "text", max_length=100),
    Col("scale", "规模", "text", required=False, note="数字加单位，如“10栋”"),
    Col("acquisition", "购买、自建、维修", "choice", choices=Acquisition),
    Col("life", "预计使用年限", "int"),
    Col("condition", "现使用状况（好、较好、良好、较差）", "choice", choices=Condition),
    Col("owner_level", "明确产权（镇/村）", "text", required=False),
    Col("funded_year", "资金投入年度", "int"),
    Col("amount", "资金投入（万元）", "wan", positive=True),
    Col("sources", SOURCES, "text", note="多种资金时写明各自金额（万元），如“中央40、强村工程10”"),
    Col("net_value", "目前净值（万元）", "wan", required=False),
    Col("custodian", "管护主体", "text", max_length=100),
    Col("use", "自用或租赁", "text", required=False, note="自用、租赁、承包或委托经营；留空为自用"),
    Col("counterparty", "承租单位名称", "text", required=False, max_length=100),
    Col("term", "合约年限", "int", required=False),
    Col("period", "合约起止年月", "text", required=False),
    Col("rent", "年租金（万元）", "wan", required=False),
    Col("income_text", "收益分配情况", "text", required=False, max_length=300),
    Col("on_time", "是否按期收取租金", "text", required=False, note="由系统按到账记录计算，不导入"),
    Col("note", "备注", "text", required=False, max_length=300),
]
H = {c.key: c.header for c in COLUMNS}
NOTES = [_lazy("资产编号由系统生成，导入后为“已登记”，由乡镇确权；同一村（镇）的资产名称只能登记一次。"),
         _lazy("合计行须等于各行之和（资金投入、目前净值、年租金），否则整个文件不导入。")]
KINDS = {label: code for code, label in ContractKind.choices}


def key(item) -> tuple:
    return item[0].code, item[1]["name"]


def _lease(ctx: Context, n: int, v: dict) -> str | None:
    """The lease columns, checked; the summary kept in the note (None: self-used or a problem)."""
    use = str(v.get("use") or SELF_USE)
    if use == SELF_USE:
        if v.get("counterparty") or v.get("period") or v.get("rent"):
            ctx.add(n, H["use"], _("填了承租单位、合约或租金，但“自用或租赁”为自用"), "lease_on_self_use", use)
        return None
    if use not in KINDS:
        ctx.add(n, H["use"], _("无效；可选：自用、%(o)s") % {"o": "、".join(KINDS)}, "bad_choice", use)
        return None
    for k in ("counterparty", "term", "period", "rent"):
        if k not in v:
            ctx.add(n, H[k], _("%(u)s的资产必填") % {"u": use}, "required")
    if not {"counterparty", "term", "period", "rent"} <= v.keys():
        return None
    if not 1 <= v["term"] <= 50:
        ctx.add(n, H["term"], _("应在 1–50 年之间"), "out_of_range", v["term"])
        return None
    span = fv.period(ctx, n, v["period"], v["term"], H["period"])
    if span is None:
        return None
    return _("%(u)s给%(c)s，%(a)s至%(b)s，年租金%(r)s万元（确权后在资产页登记经营合同）") % {
        "u": use, "c": v["counterparty"], "a": span[0].isoformat()[:7], "b": span[1].isoformat()[:7],
        "r": fv.shown(v["rent"])}


def check(ctx: Context, rows: Rows) -> list:
    ctx.unique_in_file(rows, lambda v: (v.get("village"), v.get("name")) if {"village", "name"} <= v.keys() else None,
                       H["name"], _("同一村（镇）的资产名称"))
    today = clock.today()
    prepared = []
    for n, v in rows:
        area = fv.owner(ctx, n, v["_township"], v["village"], H["village"]) if "village" in v else None
        if area is not None and v.get("owner_level"):
            expected = "村" if area.level == AreaLevel.VILLAGE else "镇"
            if v["owner_level"] != expected:
                ctx.add(n, H["owner_level"], _("%(a)s的产权应填“%(e)s”") % {"a": area.name, "e": expected},
                        "owner_mismatch", v["owner_level"])
        subtype = fv.subtype(ctx, n, v["subtype"], v["asset_type"], H["subtype"]) \
            if {"subtype", "asset_type"} <= v.keys() else None
        scale = fv.scale(ctx, n, v.get("scale"), H["scale"])
        if "funded_year" in v and not 2000 <= v["funded_year"] <= today.year:
            ctx.add(n, H["funded_year"], _("应在 2000–%(y)s 之间") % {"y": today.year}, "out_of_range", v["funded_year"])
        if "life" in v and not 1 <= v["life"] <= 100:
            ctx.add(n, H["life"], _("应在 1–100 年之间"), "out_of_range", v["life"])
        if "net_value" in v and "amount" in v and v["net_value"] > v["amount"]:
            ctx.add(n, H["net_value"], _("不能大于资金投入 %(a)s 万元") % {"a": fv.shown(v["amount"])},
                    "net_value_over_amount", fv.shown(v["net_value"]))
        funds = fv.funds(ctx, n, v["sources"], v["amount"], H["sources"]) if {"sources", "amount"} <= v.keys() else None
        lease = _lease(ctx, n, v)
        if area is not None and "name" in v and Asset.objects.filter(area=area, name=v["name"]).exclude(
                status=AssetStatus.DISPOSED).exists():
            ctx.add(n, H["name"], _("该村（镇）已登记同名资产"), "duplicate_in_database", v["name"])
        if ctx.row_ok(n) and area is not None and subtype and funds and scale is not None:
            prepared.append((area, {**v, "subtype": subtype, "scale": scale, "lease": lease}, funds))
    return prepared


def write(actor, prepared: list) -> list[str]:
    codes = []
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    today = clock.today()
    for area, v, funds in prepared:
        note = "；".join(x for x in (v.get("note", ""), v["lease"] or "") if x)
        asset = Asset.objects.create(
            code=f"tmp-{uuid.uuid4().hex[:20]}", name=v["name"], asset_type=v["asset_type"], subtype=v["subtype"],
            area=area, scale=v["scale"][0], scale_unit=v["scale"][1], acquisition=v["acquisition"],
            acquired_on=min(dt.date(v["funded_year"], 12, 31), today), funded_year=v["funded_year"],
            useful_life_years=v["life"], condition=v["condition"], original_value=v["amount"],
            custodian=v["custodian"], user_party=v.get("counterparty", "") if v["lease"] else "",
            note=note[:300], created_by=created_by)
        asset.code = asset_code(v["funded_year"], asset.pk)
        asset.save(update_fields=["code"])
        AssetFund.objects.bulk_create([AssetFund(asset=asset, source=s, amount=a) for s, a in funds])
        codes.append(asset.code)
    return codes


LEDGER = Ledger(kind="assets", title="扶贫资金形成资产情况调查表（附件4）", noun="资产", tab="assets", columns=COLUMNS,
                notes=NOTES, check=check, write=write, form=4, key=key, key_column=H["name"])
