"""The PV distribution report (光伏扶贫电站收益分配情况表) and the microcredit report (扶贫小额信贷情况表)
as .xlsx, for a county or township: one row per village (PV) or township (credit), a 合计 row that is
the exact sum of the rows, amounts in yuan with two decimals."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from fupin.areas.models import Area, AreaLevel
from fupin.funds import credit_book
from fupin.funds.models import (
    ZERO,
    CreditDemand,
    JobStatus,
    Lender,
    Loan,
    LoanStatus,
    PublicJob,
    PVLineKind,
    PVPlan,
    PVPlanStatus,
    PVSettlement,
    PVStation,
)

MONEY_FORMAT = "#,##0.00"


def _sheet(wb: Workbook, title: str, heading: str, columns: list[str]):
    ws = wb.active if wb.active.max_row == 1 and wb.active.title == "Sheet" else wb.create_sheet()
    ws.title = title
    ws.append([heading])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(columns)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    return ws


def _write(ws, rows: list[list], money_from: int) -> None:
    for row in rows:
        ws.append(row)
    total = ["合计"] + [""] * (money_from - 1)
    for col in range(money_from, len(rows[0]) if rows else money_from):
        values = [r[col] for r in rows if isinstance(r[col], (Decimal, int))]
        total.append(sum(values, Decimal(0)) if values else "")
    ws.append(total)
    for line in ws.iter_rows(min_row=3):
        for cell in line:
            if isinstance(cell.value, Decimal):
                cell.value = float(cell.value)  # openpyxl writes numbers; the sums above were exact
                cell.number_format = MONEY_FORMAT


PV_COLUMNS = ["乡镇", "行政村", "电站数", "装机容量（千瓦）", "发电量（千瓦时）", "发电收益（元）", "税费（元）", "运维费用（元）",
              "场地租金（元）", "结算收益（元）", "提取县级扶贫基金（元）", "分配到村（元）", "深度贫困户补助（元）", "公益岗位（元）",
              "小型公益事业（元）", "奖励（元）", "预留（元）", "直接到户比例", "方案状态", "在岗公益岗位"]


def pv_rows(area_code: str, year: int) -> list[list]:
    prefix = Area.objects.current().get(code=area_code).prefix
    stations = PVStation.objects.filter(village__code__startswith=prefix).select_related("village")
    by_village: dict[int, list[PVStation]] = defaultdict(list)
    for s in stations:
        by_village[s.village_id].append(s)
    townships = {a.code: a.name for a in Area.objects.current().filter(code__startswith=prefix, level=AreaLevel.TOWNSHIP)}
    settled = {r["station__village"]: r for r in PVSettlement.objects.filter(station__in=stations, year=year)
               .values("station__village").annotate(kwh=Sum("kwh"), gross=Sum("gross"), taxes=Sum("taxes"),
                                                   om=Sum("om_cost"), rent=Sum("land_rent"), net=Sum("net"))}
    plans = {p.village_id: p for p in PVPlan.objects.filter(village_id__in=by_village, year=year)
             .exclude(status=PVPlanStatus.REJECTED).prefetch_related("lines")}
    posts = dict(PublicJob.objects.filter(village_id__in=by_village, status=JobStatus.ACTIVE).values("village")
                 .annotate(n=Count("id")).values_list("village", "n"))
    rows = []
    for vid, group in sorted(by_village.items(), key=lambda kv: kv[1][0].village.code):
        village = group[0].village
        s = settled.get(vid, {})
        plan = plans.get(vid)
        kinds = {k: sum((ln.amount for ln in plan.lines.all() if ln.kind == k), ZERO) for k in PVLineKind.values} \
            if plan else {k: ZERO for k in PVLineKind.values}
        share = ""
        if plan and plan.village_revenue:
            direct = Decimal(plan.checks.get("household_total", "0"))
            share = f"{(direct / plan.village_revenue * 100).quantize(Decimal('0.01'))}%"
        rows.append([
            townships.get(village.code[:9] + "000", ""), village.name, len(group),
            sum((g.capacity_kw for g in group), ZERO), s.get("kwh") or ZERO, s.get("gross") or ZERO,
            s.get("taxes") or ZERO, s.get("om") or ZERO, s.get("rent") or ZERO, s.get("net") or ZERO,
            plan.county_fund if plan else ZERO, plan.village_revenue if plan else ZERO,
            kinds[PVLineKind.SUBSIDY], kinds[PVLineKind.JOBS], kinds[PVLineKind.PUBLIC_WORKS], kinds[PVLineKind.REWARD],
            kinds[PVLineKind.RESERVE], share, plan.get_status_display() if plan else "未制定", posts.get(vid, 0)])
    return rows


def pv_workbook(area_code: str, year: int) -> Workbook:
    area = Area.objects.current().get(code=area_code)
    wb = Workbook()
    ws = _sheet(wb, f"{year}光伏收益分配", f"{area.name} {year} 年村级光伏扶贫电站收益分配情况表", PV_COLUMNS)
    _write(ws, pv_rows(area_code, year), money_from=2)
    ws.append([])
    ws.append(["注：结算收益 = 发电收益（含电价补贴）− 税费 − 运维费用 − 场地租金；直接到户比例以分配到村收益为基数。"])
    return wb


CREDIT_COLUMNS = ["乡镇", "有贷款意愿户", "已贷款户", "应贷尽贷率", "发放笔数", "发放金额（元）", "贷款余额（元）", "逾期笔数",
                  "逾期余额（元）", "不良余额（元）", "贴息金额（元）"]


def credit_rows(area_code: str, year: int, as_of: dt.date) -> list[list]:
    prefix = Area.objects.current().get(code=area_code).prefix
    townships = Area.objects.current().filter(code__startswith=prefix, level=AreaLevel.TOWNSHIP).order_by("code")
    loans = list(Loan.objects.filter(village__code__startswith=prefix).select_related("village", "household"))
    demands = list(CreditDemand.objects.filter(village__code__startswith=prefix).select_related("household", "village"))
    warned = {w["loan"].pk: w for w in credit_book.warnings(loans, as_of)}
    rows = []
    for t in townships:
        mine = [x for x in loans if x.village.code.startswith(t.prefix)]
        cov = credit_book.coverage([d for d in demands if d.village.code.startswith(t.prefix)], mine, year)
        issued = [x for x in mine if x.status in (LoanStatus.DISBURSED, LoanStatus.REPAID) and x.disbursed_on.year == year]
        overdue = [warned[x.pk] for x in mine if x.pk in warned and warned[x.pk]["level"] != "due_soon"]
        if not mine and not cov["willing"]:
            continue
        rows.append([
            t.name, cov["willing"], cov["with_loan"],
            f"{(cov['share'] * 100).quantize(Decimal('0.01'))}%" if cov["share"] is not None else "",
            len(issued), sum((x.approved_amount for x in issued), ZERO),
            sum((credit_book.outstanding(x, as_of) for x in mine if x.status == LoanStatus.DISBURSED), ZERO),
            len(overdue), sum((w["balance"] for w in overdue), ZERO),
            sum((w["balance"] for w in overdue if w["level"] == "non_performing"), ZERO),
            sum((credit_book.interest_subsidy(x) for x in mine), ZERO)])
    return rows


def credit_workbook(area_code: str, year: int, as_of: dt.date) -> Workbook:
    area = Area.objects.current().get(code=area_code)
    wb = Workbook()
    ws = _sheet(wb, f"{year}小额信贷", f"{area.name} {year} 年扶贫小额信贷情况表（截至 {as_of}）", CREDIT_COLUMNS)
    _write(ws, credit_rows(area_code, year, as_of), money_from=1)
    lenders = _sheet(wb, "合作金融机构", "合作金融机构风险补偿金与不良率",
                     ["机构", "风险补偿金（元）", "贷款余额（元）", "不良余额（元）", "不良率", "是否停止发放"])
    for x in Lender.objects.filter(area__code=area.code[:6] + "000000"):
        book = credit_book.lender_book(x, as_of)
        lenders.append([x.name, float(x.risk_fund), float(book["outstanding"]), float(book["non_performing"]),
                        f"{(book['npl_ratio'] * 100).quantize(Decimal('0.01'))}%", "是" if x.suspended else "否"])
    return wb
