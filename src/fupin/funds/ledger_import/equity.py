"""附件3 扶贫资金入股情况清查表: one row per equity investment (资金入股) of a township or village.

The owner is 资金所有权（镇/村） by name within the sheet's township; the contract runs from the first of the
start month for the cooperation term (合同起止年月 must agree with 入股合作期限). What the form does not
carry is set as the one-record page would: 投资方向 from the investee's name (合作社 → 合作社, 公司/企业/厂 →
企业, otherwise 其他), the democratic decision on the contract start, the first dividend a year after it.
收益分配情况 is kept as the note; 是否按约定分红 is recomputed from the dividends received, so not read.
A village + investee + contract start appears once in the file and is not registered yet.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fupin.core import clock
from fupin.funds.codes import equity_code
from fupin.funds.ledger import add_years
from fupin.funds.models import EquityFund, EquityInvestment, InvestmentDirection

from . import form_values as fv
from .base import Context, Ledger, Rows
from .sheet import SERIAL, Col

SOURCES = "资金类型（中央、省、市、县、对口帮扶、深度贫困村、国家改革试验区、集团帮村、强村工程）"
COLUMNS = [
    Col("serial", SERIAL, "text", required=False),
    Col("village", "村名称", "text", required=False, note="镇本级入股填“—”"),
    Col("owner", "资金所有权（镇/村）", "text", note="本乡镇或本乡镇的行政村名称"),
    Col("year", "资金入股年度", "int"),
    Col("investee", "资金入股企业或合作社名称", "text", max_length=100),
    Col("business", "经营项目", "text", max_length=100),
    Col("amount", "资金入股额度（万元）", "wan", positive=True),
    Col("sources", SOURCES, "text", note="多种资金时写明各自金额（万元），如“中央40、省10”"),
    Col("term", "入股合作期限", "int"),
    Col("period", "合同起止年月", "text", note="如 2018.8-2021.8"),
    Col("dividend", "年分红金额（万元）", "wan"),
    Col("income_text", "收益分配情况", "text", required=False, max_length=300),
    Col("as_agreed", "是否按约定分红", "text", required=False, note="由系统按到账记录计算，不导入"),
]
H = {c.key: c.header for c in COLUMNS}
NOTES = [_lazy("入股编号由系统生成；同一村（镇）对同一企业、同一合同起始年月的入股只能登记一次。"),
         _lazy("合计行须等于各行之和（资金入股额度、年分红金额），否则整个文件不导入。")]


def direction(investee: str) -> str:
    if "合作社" in investee:
        return InvestmentDirection.COOPERATIVE
    if any(word in investee for word in ("公司", "企业", "厂")):
        return InvestmentDirection.ENTERPRISE
    return InvestmentDirection.OTHER


def key(item) -> tuple:
    area, v = item[0], item[1]
    return area.code, v["investee"], v["starts_on"]


def check(ctx: Context, rows: Rows) -> list:
    ctx.unique_in_file(rows, lambda v: (v.get("owner"), v.get("investee"), str(v.get("period")))
                       if {"owner", "investee", "period"} <= v.keys() else None,
                       H["investee"], _("同一村（镇）、同一企业、同一合同起止年月"))
    today = clock.today()
    prepared = []
    for n, v in rows:
        area = fv.owner(ctx, n, v["_township"], v["owner"], H["owner"]) if "owner" in v else None
        village = str(v.get("village") or "").strip()
        if area is not None and village not in ("", "—", "-", area.name) and fv._plain(village) != fv._plain(area.name):
            ctx.add(n, H["village"], _("与资金所有权“%(o)s”不符") % {"o": area.name}, "owner_mismatch", village)
        if "year" in v and not 2000 <= v["year"] <= today.year:
            ctx.add(n, H["year"], _("应在 2000–%(y)s 之间") % {"y": today.year}, "out_of_range", v["year"])
        if "term" in v and not 1 <= v["term"] <= 50:
            ctx.add(n, H["term"], _("应在 1–50 年之间"), "out_of_range", v["term"])
        term = v["term"] if 1 <= v.get("term", 0) <= 50 else None
        span = fv.period(ctx, n, v["period"], term, H["period"]) if "period" in v else None
        if span and "year" in v and abs(span[0].year - v["year"]) > 1:
            ctx.add(n, H["year"], _("与合同起始年月（%(s)s）不符") % {"s": f"{span[0].year}.{span[0].month}"},
                    "year_mismatch", v["year"])
        funds = fv.funds(ctx, n, v["sources"], v["amount"], H["sources"]) if {"sources", "amount"} <= v.keys() else None
        if area is not None and span and "investee" in v and EquityInvestment.objects.filter(
                area=area, investee=v["investee"], starts_on=span[0]).exists():
            ctx.add(n, H["investee"], _("该村（镇）已登记对该企业、同一合同起始年月的入股"), "duplicate_in_database",
                    v["investee"])
        if ctx.row_ok(n) and area is not None and span and funds:
            prepared.append((area, {**v, "starts_on": span[0], "ends_on": span[1]}, funds))
    return prepared


def write(actor, prepared: list) -> list[str]:
    codes = []
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    today = clock.today()
    for area, v, funds in prepared:
        starts_on = v["starts_on"]
        equity = EquityInvestment.objects.create(
            code=f"tmp-{uuid.uuid4().hex[:20]}", area=area, year=v["year"], investee=v["investee"],
            direction=direction(v["investee"]), business=v["business"], amount=v["amount"], term_years=v["term"],
            starts_on=starts_on, ends_on=v["ends_on"], annual_dividend=v["dividend"],
            first_due_on=min(add_years(starts_on, 1), v["ends_on"]), decided_on=min(starts_on, today),
            note=v.get("income_text", "")[:300], created_by=created_by)
        equity.code = equity_code(v["year"], equity.pk)
        equity.save(update_fields=["code"])
        EquityFund.objects.bulk_create([EquityFund(equity=equity, source=s, amount=a) for s, a in funds])
        codes.append(equity.code)
    return codes


LEDGER = Ledger(kind="equity", title="扶贫资金入股情况清查表（附件3）", noun="入股", tab="equity", columns=COLUMNS,
                notes=NOTES, check=check, write=write, form=3, key=key, key_column=H["investee"])
