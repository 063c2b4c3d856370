"""The four inventory tables of the asset plan (附件18 附件1–4), filled from the data in their exact
column layout: 附件1 扶贫资产清理情况汇总表, 附件2 项目到户类扶贫资金清查表, 附件3 扶贫资金入股情况清查表,
附件4 扶贫资金形成资产情况调查表.

Each form is filled per township (the header reads 乡镇名称：…（盖章）), so a county's workbook has one
sheet per township that has something to report. Money is printed in 万元 exactly (to the fen, six
decimals) and every 合计 is the exact sum of the rows beneath it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from fupin.areas.models import Area, AreaLevel
from fupin.core import clock
from fupin.core.errors import ValidationFailed
from fupin.funds import catalogue
from fupin.funds.ledger import net_value, on_time
from fupin.funds.models import (
    LIBRARY_STATUSES,
    ZERO,
    Asset,
    AssetStatus,
    ContractStatus,
    DistributionPlan,
    EquityInvestment,
    LineKind,
    PlanStatus,
    Project,
    ProjectMode,
)
from fupin.funds.selectors import contract_instalments, equity_instalments

WAN = Decimal(10000)
EXACT = Decimal("0.000001")  # one fen in 万元
NON_FIXED = ("equity", "debt")  # 股权、债权 are reported on 附件3, not as fixed assets


def wan(yuan: Decimal | None) -> Decimal | None:
    return None if yuan is None else (Decimal(yuan) / WAN).quantize(EXACT)


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 10
    money: bool = False  # 万元, summed in 合计
    total: bool = False  # summed in 合计 (counts)
    group: str = ""  # a merged header above (附件1)


@dataclass(frozen=True)
class FormSpec:
    number: int
    title: str  # after "{county}{from}-{to}年"
    unit: str
    columns: tuple[Column, ...]
    notes: tuple[str, ...]
    date_label: str


FORMS: dict[int, FormSpec] = {
    1: FormSpec(1, "扶贫资产清理情况汇总表", "单位：万元", (
        Column("序号", 6), Column("村名称", 16), Column("实施年度", 9),
        Column("投入项目到户资金合计", 14, money=True),
        Column("投入资金", 12, money=True, group="投资入股的资金"), Column("投资方向", 16, group="投资入股的资金"),
        Column("投入资金", 12, money=True, group="形成的固化资产"), Column("资产类型", 14, group="形成的固化资产"),
        Column("资产名称", 24, group="形成的固化资产"),
    ), ("注：1、扶贫资产的类型主要包括经营类资产、公共设施类资产。具体填写：经营类资产主要包括农林牧业项目基地、"
        "生产加工设施、光伏电站等；公共设施类资产主要包括农田水利、供水引水、电力及网络等设施。",
        "2、投资方向：企业、合作社、大户、致富带头人等"), "填报时间"),
    2: FormSpec(2, "实施项目到户类扶贫资金清查表", "单位：只、头、棵、亩、栋等", (
        Column("序号", 6), Column("村名称", 16), Column("资金投入年度", 9), Column("实施项目种类", 10),
        Column("项目名称", 16), Column("项目规模", 10), Column("投入资金总额（万元）", 13, money=True),
        Column("资金类型（中央、省、市、县、对口帮扶、深度贫困村、国家改革试验区、集团帮村、强村工程等）", 26),
        Column("带动建档立卡户数", 10, total=True), Column("带动建档立卡人数", 10, total=True),
        Column("通过项目扶持人均增收（元）", 12), Column("备注", 14),
    ), ("注：1、项目种类：分为种植业、养殖业、林果业和其它；",
        "2、项目名称：1芝豇，2山药，3甘薯，4马铃薯，5大果花生，6食用菌，7中药材，8水稻，9杂粮，10设施葡萄，11设施樱桃，"
        "12设施蔬菜，13设施甜瓜，14设施草莓，15西甜瓜，16寒富苹果，17苹果梨，18沙棘，19大果榛子，20黑果花楸，21种草，"
        "22养牛，23养猪，24养马，25养羊，26养驴，27养鸡，28养鸭，29养鹅等"), "制表时间"),
    3: FormSpec(3, "实施扶贫资金入股情况清查表", "", (
        Column("序号", 6), Column("村名称", 16), Column("资金所有权（镇/村）", 14), Column("资金入股年度", 9),
        Column("资金入股企业或合作社名称", 22), Column("经营项目", 12), Column("资金入股额度（万元）", 13, money=True),
        Column("资金类型（中央、省、市、县、对口帮扶、深度贫困村、国家改革试验区、集团帮村、强村工程）", 26),
        Column("入股合作期限", 9), Column("合同起止年月", 16), Column("年分红金额（万元）", 13, money=True),
        Column("收益分配情况", 36), Column("是否按约定分红", 9),
    ), (), "制表时间"),
    4: FormSpec(4, "实施扶贫资金形成资产情况调查表", "单位：只、头、棵、亩、栋等", (
        Column("序号", 6), Column("村名称", 14), Column("资产类型", 10), Column("子类型", 14), Column("资产名称", 18),
        Column("规模", 9), Column("购买、自建、维修", 9), Column("预计使用年限", 8),
        Column("现使用状况（好、较好、良好、较差）", 10), Column("明确产权（镇/村）", 8), Column("资金投入年度", 8),
        Column("资金投入（万元）", 12, money=True),
        Column("资金类型（中央、省、市、县、对口帮扶、深度贫困村、国家改革试验区、集团帮村、强村工程等）", 22),
        Column("目前净值（万元）", 12, money=True), Column("管护主体", 16), Column("自用或租赁", 8),
        Column("承租单位名称", 18), Column("合约年限", 7), Column("合约起止年月", 15), Column("年租金（万元）", 11, money=True),
        Column("收益分配情况", 30), Column("是否按期收取租金", 8), Column("备注", 12),
    ), ("注：1、扶贫资产的类型主要包括经营类资产、公共设施类资产。；2、子类型：经营类资产主要包括农林牧业项目基地、"
        "生产加工设施、光伏电站等固定资产；公共设施类资产主要包括村部、文化广场、道路、农田水利、供水引水、电力及网络等设施。",),
        "制表时间"),
}


@dataclass
class Sheet:
    township: Area
    rows: list[list]
    totals: list


def _village_name(area: Area) -> str:
    return area.name if area.level == AreaLevel.VILLAGE else f"{area.name}（镇本级）"


def _month(day: dt.date) -> str:
    return f"{day.year}.{day.month}"


def _scale(value, unit: str) -> str:
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return f"{text}{unit}"


def _yes_no(flag: bool | None) -> str:
    return "" if flag is None else ("是" if flag else "否")


def _supported_households(area: Area, year: int) -> int:
    plans = DistributionPlan.objects.filter(area=area, year=year, status__in=[PlanStatus.APPROVED, PlanStatus.PAID])
    return sum(p.lines.filter(kind=LineKind.HOUSEHOLD).count() for p in plans)


def _receipts_text(receipts, verb: str, area: Area, as_of: dt.date) -> str:
    parts = []
    by_year: dict[int, list] = defaultdict(list)
    for r in receipts:
        if r.received_on > as_of:
            continue
        by_year[r.period_year].append(r)
    for year in sorted(by_year):
        net = sum((r.amount for r in by_year[year]), ZERO)
        if net <= 0:
            continue
        first = min(r.received_on for r in by_year[year] if r.amount > 0)
        text = f"{first.year}年{first.month}月{verb}{format(wan(net).normalize(), 'f')}万元"
        supported = _supported_households(area, year)
        if supported:
            text += f"，扶持{supported}户"
        parts.append(text)
    return "；".join(parts) + ("。" if parts else "")


def _in(qs, prefix: str, years: tuple[int, int], year_field: str):
    return qs.filter(**{"area__code__startswith": prefix, f"{year_field}__gte": years[0],
                        f"{year_field}__lte": years[1]})


def _form1(township: Area, years, as_of) -> list[list]:
    groups: dict[tuple[str, int], dict] = defaultdict(lambda: {"household": ZERO, "equity": ZERO, "directions": [],
                                                               "assets": ZERO, "types": [], "names": [], "area": None})
    projects = _in(Project.objects.filter(mode=ProjectMode.HOUSEHOLD, status__in=LIBRARY_STATUSES), township.prefix,
                   years, "year").select_related("area").prefetch_related("funds")
    for p in projects:
        g = groups[(p.area.code, p.year)]
        g["area"] = p.area
        g["household"] += sum((f.amount for f in p.funds.all()), ZERO)
    for e in _in(EquityInvestment.objects.all(), township.prefix, years, "year").select_related("area"):
        g = groups[(e.area.code, e.year)]
        g["area"] = e.area
        g["equity"] += e.amount
        if e.get_direction_display() not in g["directions"]:
            g["directions"].append(e.get_direction_display())
    assets = _in(Asset.objects.exclude(status=AssetStatus.DISPOSED).exclude(subtype__in=NON_FIXED), township.prefix,
                 years, "funded_year").select_related("area").order_by("code")
    for a in assets:
        g = groups[(a.area.code, a.funded_year)]
        g["area"] = a.area
        g["assets"] += a.original_value
        if a.get_asset_type_display() not in g["types"]:
            g["types"].append(a.get_asset_type_display())
        g["names"].append(a.name)
    rows = []
    for (_code, year), g in sorted(groups.items()):
        rows.append([_village_name(g["area"]), year, wan(g["household"] or None), wan(g["equity"] or None),
                     "、".join(g["directions"]), wan(g["assets"] or None), "、".join(g["types"]), "、".join(g["names"])])
    return rows


def _form2(township: Area, years, as_of) -> list[list]:
    projects = _in(Project.objects.filter(mode=ProjectMode.HOUSEHOLD, status__in=LIBRARY_STATUSES), township.prefix,
                   years, "year").select_related("area").prefetch_related("funds").order_by("area__code", "year", "code")
    rows = []
    for p in projects:
        listed = catalogue.project_names().get(p.catalogue_code)
        rows.append([_village_name(p.area), p.year, p.get_category_display(), listed.label if listed else p.name,
                     _scale(p.scale, p.scale_unit), wan(sum((f.amount for f in p.funds.all()), ZERO)),
                     catalogue.sources_text(f.source for f in p.funds.all()), p.households_driven, p.persons_driven,
                     p.income_gain_per_capita, p.name if listed and listed.label != p.name else ""])
    return rows


def _form3(township: Area, years, as_of) -> list[list]:
    equities = _in(EquityInvestment.objects.all(), township.prefix, years, "year").select_related("area") \
        .prefetch_related("funds", "receipts").order_by("area__code", "year", "code")
    rows = []
    for e in equities:
        village = e.area.name if e.area.level == AreaLevel.VILLAGE else "—"
        rows.append([village, e.area.name, e.year, e.investee, e.business, wan(e.amount),
                     catalogue.sources_text(f.source for f in e.funds.all()), e.term_years,
                     f"{_month(e.starts_on)}-{_month(e.ends_on)}", wan(e.annual_dividend),
                     _receipts_text(e.receipts.all(), "分红", e.area, as_of), _yes_no(on_time(equity_instalments(e, as_of)))])
    return rows


def _form4(township: Area, years, as_of) -> list[list]:
    assets = _in(Asset.objects.exclude(status=AssetStatus.DISPOSED).exclude(subtype__in=NON_FIXED), township.prefix,
                 years, "funded_year").select_related("area").prefetch_related("funds").order_by("area__code", "code")
    rows = []
    for a in assets:
        contract = a.contracts.filter(status=ContractStatus.ACTIVE).first() or \
            a.contracts.filter(status=ContractStatus.ENDED).order_by("-ends_on").first()
        if contract is not None:
            receipts = contract.receipts.all()
            lease = [contract.get_kind_display(), contract.counterparty, contract.term_years,
                     f"{_month(contract.starts_on)}-{_month(contract.ends_on)}", wan(contract.annual_amount),
                     _receipts_text(receipts, "收取租金", a.area, as_of),
                     _yes_no(on_time(contract_instalments(contract, as_of)))]
        else:
            lease = ["自用", "", None, "", None, "", ""]
        rows.append([_village_name(a.area), a.get_asset_type_display(), catalogue.subtype_label(a.subtype), a.name,
                     _scale(a.scale, a.scale_unit), a.get_acquisition_display(), a.useful_life_years,
                     a.get_condition_display(), "村" if a.area.level == AreaLevel.VILLAGE else "镇", a.funded_year,
                     wan(a.original_value), catalogue.sources_text(f.source for f in a.funds.all()),
                     wan(net_value(a, as_of)), a.custodian, *lease, a.note])
    return rows


FILLERS = {1: _form1, 2: _form2, 3: _form3, 4: _form4}


def inventory_sheets(form: int, area_code: str, *, years=(2016, 2020), as_of: dt.date | None = None) -> list[Sheet]:
    """The rows of one form for a county (one Sheet per township with rows) or a single township."""
    if form not in FORMS:
        raise ValidationFailed(f"表号应为 1、2、3 或 4：{form}", code="bad_form")
    as_of = as_of or clock.today()
    area = Area.objects.current().filter(Q(code=area_code) | Q(code=str(area_code).ljust(12, "0"))).first()
    if area is None or area.level not in (AreaLevel.COUNTY, AreaLevel.TOWNSHIP):
        raise ValidationFailed(f"未知的县或乡镇区划代码：{area_code}", code="unknown_area")
    townships = [area] if area.level == AreaLevel.TOWNSHIP else list(
        Area.objects.current().filter(level=AreaLevel.TOWNSHIP, parent_code=area.code).order_by("code"))
    spec = FORMS[form]
    sheets = []
    for township in townships:
        rows = FILLERS[form](township, years, as_of)
        if not rows and area.level == AreaLevel.COUNTY:
            continue
        data_columns = spec.columns[1:]
        totals = []
        for i, column in enumerate(data_columns):
            if column.money or column.total:
                totals.append(sum((r[i] or 0 for r in rows), Decimal(0) if column.money else 0))
            else:
                totals.append(None)
        sheets.append(Sheet(township, rows, totals))
    return sheets


# --- the workbook -----------------------------------------------------------------------------------

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
MONEY_FORMAT = "0.00####"


def _height(values, columns) -> float:
    """Row height for wrapped text: a CJK character takes about two width units."""
    lines = 1
    for value, column in zip(values, columns, strict=False):
        if isinstance(value, str) and value:
            units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in value)
            lines = max(lines, -(-units // max(int(column.width) - 1, 1)))
    return 15.0 * lines + 3


def _sheet_title(name: str, used: set[str]) -> str:
    title = name[:28]
    n = 2
    while title in used:
        title, n = f"{name[:26]}{n}", n + 1
    used.add(title)
    return title


def _write(ws, spec: FormSpec, county: Area, sheet: Sheet | None, years, filled_on: dt.date) -> None:
    ncols = len(spec.columns)
    last = get_column_letter(ncols)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = f"{county.name}{years[0]}-{years[1]}年{spec.title}"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30
    township = sheet.township.name if sheet else ""
    half = max(2, ncols // 2)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=half)
    ws.cell(2, 1, f"乡镇名称：{township}（盖章）").alignment = LEFT
    if spec.unit:
        ws.merge_cells(start_row=2, start_column=half + 1, end_row=2, end_column=ncols)
        ws.cell(2, half + 1, spec.unit).alignment = Alignment(horizontal="right", vertical="center")
    grouped = any(c.group for c in spec.columns)
    header_rows = 2 if grouped else 1
    col = 1
    while col <= ncols:
        column = spec.columns[col - 1]
        if grouped and column.group:
            span = sum(1 for c in spec.columns if c.group == column.group)
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + span - 1)
            ws.cell(3, col, column.group)
            for k in range(span):
                ws.cell(4, col + k, spec.columns[col - 1 + k].header)
            col += span
            continue
        if grouped:
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        ws.cell(3, col, column.header)
        col += 1
    for r in range(3, 3 + header_rows):
        ws.row_dimensions[r].height = 24 if grouped else _height([c.header for c in spec.columns], spec.columns)
        for c in range(1, ncols + 1):
            cell = ws.cell(r, c)
            cell.font, cell.alignment, cell.border = Font(bold=True), CENTER, BOX
    row = 3 + header_rows
    body = [["合计", *(sheet.totals if sheet else [None] * (ncols - 1))]]
    body += [[n, *values] for n, values in enumerate(sheet.rows if sheet else [], start=1)]
    first_data_row = row
    for values in body:
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row, c, value)
            cell.border = BOX
            cell.alignment = CENTER
            column = spec.columns[c - 1]
            if column.money and value is not None:
                cell.number_format = MONEY_FORMAT
            if isinstance(value, str) and len(value) > 12:
                cell.alignment = LEFT
        if row == first_data_row:
            for c in range(1, ncols + 1):
                ws.cell(row, c).font = Font(bold=True)
        ws.row_dimensions[row].height = _height(values, spec.columns)
        row += 1
    # blank numbered lines like the printed form, so a clerk can add rows by hand
    for n in range(len(body), len(body) + 2):
        ws.cell(row, 1, n).alignment = CENTER
        for c in range(1, ncols + 1):
            ws.cell(row, c).border = BOX
        row += 1
    for note in spec.notes:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        ws.cell(row, 1, note).alignment = LEFT
        ws.row_dimensions[row].height = 30 if len(note) > 80 else 18
        row += 1
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=ncols)
    ws.cell(row + 1, 1, f"主要领导签字：　　　　　　　经手人签字：　　　　　　　{spec.date_label}："
                        f"{filled_on.year}年{filled_on.month}月{filled_on.day}日").alignment = LEFT
    for c, column in enumerate(spec.columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = column.width
    ws.print_title_rows = f"3:{2 + header_rows}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if ncols > 13 else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.freeze_panes = ws.cell(3 + header_rows, 1)


def inventory_workbook(form: int, area_code: str, *, years=(2016, 2020), as_of: dt.date | None = None,
                       sheets: list[Sheet] | None = None) -> Workbook:
    as_of = as_of or clock.today()
    if sheets is None:
        sheets = inventory_sheets(form, area_code, years=years, as_of=as_of)
    area = Area.objects.current().get(code=str(area_code).ljust(12, "0"))
    county = area if area.level == AreaLevel.COUNTY else Area.objects.current().get(code=area.code[:6].ljust(12, "0"))
    spec = FORMS[form]
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets or [None]:
        ws = wb.create_sheet(_sheet_title(sheet.township.name if sheet else f"附件{form}", used))
        _write(ws, spec, county, sheet, years, as_of)
    wb.properties.title = f"附件{form} {county.name}{years[0]}-{years[1]}年{spec.title}"
    return wb
