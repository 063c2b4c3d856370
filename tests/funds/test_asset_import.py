"""Import of the filled inventory forms 附件3 (入股情况清查表) and 附件4 (形成资产情况调查表) from real .xlsx
files in the exported layout: the happy path of each form, the round trip export → import, the 合计 row
checked against the rows, and every kind of bad input refused whole, writing nothing."""

import contextlib
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import transaction
from openpyxl import load_workbook
from support.places import OTHER_TOWNSHIP, TOWNSHIP, VILLAGE

from fupin.areas.models import Area
from fupin.audit.models import AuditEvent
from fupin.core.errors import PermissionDenied
from fupin.funds import services as svc
from fupin.funds.inventory import FORMS, Sheet, inventory_sheets, inventory_workbook
from fupin.funds.ledger_import import ledger_import, ledger_template
from fupin.funds.models import Asset, AssetStatus, EquityInvestment

from .ledger_kit import refused, save
from .ledger_kit import where as codes

pytestmark = pytest.mark.django_db
SRC3 = FORMS[3].columns[7].header
SRC4 = FORMS[4].columns[12].header
COND = FORMS[4].columns[8].header


def asset_row(**kw):
    return {"村名称": "富有村委会", "资产类型": "经营类", "子类型": "农林牧业项目基地", "资产名称": "樱桃暖棚", "规模": "10栋",
            "购买、自建、维修": "自建", "预计使用年限": 10, COND: "良好", "明确产权（镇/村）": "村", "资金投入年度": 2018,
            "资金投入（万元）": Decimal("50"), SRC4: "中央40、强村工程10", "目前净值（万元）": Decimal("45"),
            "管护主体": "富有村股份经济合作社", "自用或租赁": "租赁", "承租单位名称": "彰武县富民樱桃专业合作社", "合约年限": 3,
            "合约起止年月": "2019.3-2022.3", "年租金（万元）": Decimal("5"), **kw}


def office_row(**kw):
    return asset_row(**{"资产类型": "公共设施类", "子类型": "村部", "资产名称": "富有村村部", "规模": "320平方米",
                        "资金投入（万元）": Decimal("60"), SRC4: "对口帮扶", "目前净值（万元）": Decimal("58.5"), COND: "好",
                        "管护主体": "富有村村民委员会", "自用或租赁": "自用", "承租单位名称": None, "合约年限": None,
                        "合约起止年月": "", "年租金（万元）": None, **kw})


def equity_row(**kw):
    return {"村名称": "富有村委会", "资金所有权（镇/村）": "富有村委会", "资金入股年度": 2018,
            "资金入股企业或合作社名称": "彰武县牧原养牛专业合作社", "经营项目": "养牛", "资金入股额度（万元）": Decimal("20"),
            SRC3: "省", "入股合作期限": 3, "合同起止年月": "2018.8-2021.8", "年分红金额（万元）": Decimal("2"),
            "收益分配情况": "2019年8月分红2万元", "是否按约定分红": "是", **kw}


def form_file(form, rows, *, totals=None, township=TOWNSHIP, name="form.xlsx") -> io.BytesIO:
    """The form as the system exports it, with these rows ({header: value}) and 合计 (the sums unless given)."""
    spec = FORMS[form]
    data = [[r.get(c.header) for c in spec.columns[1:]] for r in rows]
    sums = [sum((r[i] for r in data if isinstance(r[i], Decimal)), Decimal(0)) if c.money or c.total else None
            for i, c in enumerate(spec.columns[1:])]
    sums = [(totals or {}).get(c.header, s) for c, s in zip(spec.columns[1:], sums, strict=True)]
    area = Area.objects.current().get(code=township.ljust(12, "0"))
    wb = inventory_workbook(form, area.code, sheets=[Sheet(area, data, sums)])
    return save(wb, name)




def test_a_filled_form4_registers_the_assets_with_one_audit_event(people):
    f = form_file(4, [asset_row(), office_row(), asset_row(**{
        "村名称": "哈尔套镇（镇本级）", "明确产权（镇/村）": "镇", "资产名称": "联村光伏电站", "子类型": "光伏电站",
        "资金投入（万元）": Decimal("240.123456"), SRC4: "中央", "目前净值（万元）": None, "自用或租赁": "自用",
        "承租单位名称": None, "合约年限": None, "合约起止年月": None, "年租金（万元）": None})])
    actor = people.township
    before = AuditEvent.objects.count()
    result = ledger_import(kind="assets", actor=actor, fileobj=f)
    assert result["rows"] == 3 and AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("seq")
    assert event.action == "funds.import.assets" and event.after["codes"] == result["codes"]
    greenhouse = Asset.objects.get(name="樱桃暖棚")
    assert greenhouse.area.code == VILLAGE and greenhouse.status == AssetStatus.REGISTERED
    assert greenhouse.original_value == Decimal("500000.00") and greenhouse.scale == 10 and greenhouse.scale_unit == "栋"
    assert {f.source: f.amount for f in greenhouse.funds.all()} == {"central": Decimal("400000.00"),
                                                                    "strong_village": Decimal("100000.00")}
    assert greenhouse.user_party == "彰武县富民樱桃专业合作社" and "2019-03至2022-03" in greenhouse.note
    assert greenhouse.acquired_on == dt.date(2018, 12, 31) and greenhouse.condition == "sound"
    pv = Asset.objects.get(name="联村光伏电站")
    assert pv.area.code == TOWNSHIP + "000" and pv.original_value == Decimal("2401234.56")


def test_a_filled_form3_registers_the_investments(people):
    f = form_file(3, [equity_row(), equity_row(**{
        "村名称": "—", "资金所有权（镇/村）": "哈尔套镇", "资金入股企业或合作社名称": "辽宁某食品有限公司", "经营项目": "肉鸡",
        "资金入股额度（万元）": Decimal("100"), SRC3: "中央80、省20", "入股合作期限": 5, "合同起止年月": "2019.6-2024.6",
        "年分红金额（万元）": Decimal("8")})])
    result = ledger_import(kind="equity", actor=people.township, fileobj=f)
    assert result["rows"] == 2
    cattle = EquityInvestment.objects.get(investee="彰武县牧原养牛专业合作社")
    assert cattle.area.code == VILLAGE and cattle.direction == "cooperative" and cattle.amount == Decimal("200000.00")
    assert (cattle.starts_on, cattle.ends_on, cattle.first_due_on) == (dt.date(2018, 8, 1), dt.date(2021, 8, 1),
                                                                        dt.date(2019, 8, 1))
    assert cattle.annual_dividend == Decimal("20000.00") and cattle.note == "2019年8月分红2万元"
    food = EquityInvestment.objects.get(investee="辽宁某食品有限公司")
    assert food.direction == "enterprise" and food.area.code == TOWNSHIP + "000"
    assert {f.source: f.amount for f in food.funds.all()} == {"central": Decimal("800000.00"),
                                                             "province": Decimal("200000.00")}


class Rollback(Exception):
    pass


def _some_records(people):
    """One self-used asset, one township asset and one equity investment, registered on the pages' services."""
    svc.asset_register(actor=people.clerk, area_code=VILLAGE, name="富有村村部", asset_type="public",
                       subtype="village_office", acquisition="self_built", acquired_on=dt.date(2017, 10, 1),
                       funded_year=2017, useful_life_years=30, condition="good", funds={"paired": "600000"},
                       custodian="富有村村民委员会", scale="320", scale_unit="平方米")
    svc.asset_register(actor=people.township, area_code=TOWNSHIP, name="联村光伏电站", asset_type="operating",
                       subtype="pv_station", acquisition="purchase", acquired_on=dt.date(2018, 3, 1), funded_year=2018,
                       useful_life_years=20, condition="sound", funds={"central": "2400000.55"}, custodian="哈尔套镇人民政府")
    svc.equity_register(actor=people.clerk, area_code=VILLAGE, year=2018, investee="彰武县牧原养牛专业合作社",
                        direction="cooperative", business="养牛", funds={"province": "200000"}, term_years=3,
                        starts_on=dt.date(2018, 8, 1), annual_dividend="20000", decided_on=dt.date(2018, 7, 1))


def test_round_trip_an_exported_form_imports_back_on_a_fresh_database(people):
    as_of = dt.date(2019, 12, 31)
    files = {}
    assert people.clerk and people.township  # the users outlive the rolled-back records
    with contextlib.suppress(Rollback), transaction.atomic():
        _some_records(people)
        for form, kind in ((3, "equity"), (4, "assets")):
            files[kind] = save(inventory_workbook(form, TOWNSHIP, as_of=as_of))
            files[kind + "_rows"] = inventory_sheets(form, TOWNSHIP, as_of=as_of)[0].rows
        raise Rollback
    assert not Asset.objects.exists() and not EquityInvestment.objects.exists()
    for kind in ("equity", "assets"):
        assert ledger_import(kind=kind, actor=people.township, fileobj=files[kind])["rows"] == len(files[kind + "_rows"])
    again = {3: inventory_sheets(3, TOWNSHIP, as_of=as_of)[0].rows, 4: inventory_sheets(4, TOWNSHIP, as_of=as_of)[0].rows}
    # everything the form carries comes back; what is recomputed (是否按约定分红, 净值 from 购建时间) may differ
    assert [r[:10] for r in again[3]] == [r[:10] for r in files["equity_rows"]]
    assert [r[:12] + r[13:] for r in again[4]] == [r[:12] + r[13:] for r in files["assets_rows"]]


def test_a_total_that_does_not_add_up_refuses_the_file_naming_column_and_both_sums(people):
    f = form_file(4, [asset_row(), office_row()], totals={"资金投入（万元）": Decimal("120")})
    exc = refused("assets", people.clerk, f)
    assert exc.code == "total_mismatch"
    assert codes(exc) == {(4, "资金投入（万元）", "total_mismatch")}
    assert "合计为 120，各行之和为 110，相差 10" in exc.message
    assert exc.details["totals"] == [{"sheet": "哈尔套镇", "column": "资金投入（万元）", "printed": "120", "computed": "110"}]
    assert not Asset.objects.exists()
    f = form_file(3, [equity_row()], totals={"年分红金额（万元）": Decimal("3")})
    exc = refused("equity", people.clerk, f)
    assert codes(exc) == {(4, "年分红金额（万元）", "total_mismatch")} and not EquityInvestment.objects.exists()


def test_a_blank_total_and_a_bad_row_are_listed_together(people):
    f = form_file(4, [asset_row(**{"资金投入（万元）": Decimal("-5")})],
                  totals={"目前净值（万元）": None, "年租金（万元）": None})
    exc = refused("assets", people.clerk, f)
    assert exc.code == "import_rows_invalid"
    found = codes(exc)
    assert (5, "资金投入（万元）", "negative_amount") in found
    assert (4, "目前净值（万元）", "total_missing") in found and (4, "年租金（万元）", "total_missing") in found
    assert not any(p["column"] == "资金投入（万元）" and p["row"] == 4 for p in exc.details["problems"])


@pytest.mark.parametrize(("change", "column", "code"), [
    ({"村名称": "不存在村"}, "村名称", "unknown_area"),
    ({"资金投入（万元）": Decimal("1.0000001")}, "资金投入（万元）", "bad_precision"),
    ({"资金投入年度": "二〇一八"}, "资金投入年度", "bad_number"),
    ({COND: "一般"}, COND, "bad_choice"),
    ({"子类型": "村部"}, "子类型", "unknown_asset_subtype"),
    ({"子类型": "股权"}, "子类型", "unknown_asset_subtype"),
    ({SRC4: "中央、强村工程"}, SRC4, "fund_split_needed"),
    ({SRC4: "中央30、强村工程10"}, SRC4, "fund_split_mismatch"),
    ({SRC4: "外资"}, SRC4, "unknown_fund_source"),
    ({"合约起止年月": "2019.3-2023.3"}, "合约起止年月", "period_term_mismatch"),
    ({"合约起止年月": "三年"}, "合约起止年月", "bad_period"),
    ({"自用或租赁": "出借"}, "自用或租赁", "bad_choice"),
    ({"明确产权（镇/村）": "镇"}, "明确产权（镇/村）", "owner_mismatch"),
    ({"目前净值（万元）": Decimal("51")}, "目前净值（万元）", "net_value_over_amount"),
    ({"规模": "很大"}, "规模", "bad_scale"),
    ({"资产名称": None}, "资产名称", "required"),
    ({"资金投入年度": 2031}, "资金投入年度", "out_of_range"),
])
def test_each_bad_cell_of_form4_is_named_and_nothing_is_written(people, change, column, code):
    exc = refused("assets", people.clerk, form_file(4, [office_row(), asset_row(**change)]))
    assert (6, column, code) in codes(exc) and exc.code == "import_rows_invalid"
    assert not Asset.objects.exists()


@pytest.mark.parametrize(("change", "column", "code"), [
    ({"资金所有权（镇/村）": "黄花山村委会", "村名称": "黄花山村委会"}, "资金所有权（镇/村）", "area_out_of_scope"),
    ({"合同起止年月": "2018.8-2020.8"}, "合同起止年月", "period_term_mismatch"),
    ({"资金入股年度": 2015}, "资金入股年度", "year_mismatch"),
    ({"村名称": "黄花山村委会"}, "村名称", "owner_mismatch"),
    ({"年分红金额（万元）": "两万"}, "年分红金额（万元）", "bad_number"),
])
def test_each_bad_cell_of_form3_is_named(people, change, column, code):
    exc = refused("equity", people.clerk, form_file(3, [equity_row(**change)]))
    assert (5, column, code) in codes(exc) and not EquityInvestment.objects.exists()


def test_duplicates_within_the_file_and_against_the_database(people):
    exc = refused("assets", people.clerk, form_file(4, [office_row(), office_row()]))
    assert (6, "资产名称", "duplicate_in_file") in codes(exc)
    ledger_import(kind="assets", actor=people.clerk, fileobj=form_file(4, [office_row()]))
    exc = refused("assets", people.clerk, form_file(4, [office_row(**{"资产名称": "富有村文化广场", "子类型": "文化广场"}),
                                                         office_row()]))
    assert codes(exc) == {(6, "资产名称", "duplicate_in_database")} and Asset.objects.count() == 1
    ledger_import(kind="equity", actor=people.clerk, fileobj=form_file(3, [equity_row()]))
    exc = refused("equity", people.clerk, form_file(3, [equity_row()]))
    assert codes(exc) == {(5, "资金入股企业或合作社名称", "duplicate_in_database")}


def test_a_workbook_with_several_townships_names_the_sheet(people):
    wb = load_workbook(form_file(4, [office_row()]))
    other = Area.objects.current().get(code=OTHER_TOWNSHIP.ljust(12, "0"))
    ws = wb.copy_worksheet(wb.worksheets[0])
    ws.title = other.name
    ws["A2"] = f"乡镇名称：{other.name}（盖章）"
    exc = refused("assets", people.county, save(wb))
    assert codes(exc) == {(5, "村名称", "unknown_area")}  # 富有村 is not in 章古台镇
    assert [p["sheet"] for p in exc.details["problems"]] == [other.name]
    assert "工作表“章古台镇”第5行“村名称”" in exc.message and not Asset.objects.exists()


def test_layout_and_file_refusals(people):
    wb = load_workbook(form_file(4, [office_row()]))
    wb.active["E3"] = "名称"
    exc = refused("assets", people.clerk, save(wb))
    assert exc.code == "import_bad_layout" and "资产名称" in exc.details["missing"] and exc.details["unknown"] == ["名称"]
    exc = refused("equity", people.clerk, form_file(4, [office_row()]))
    assert exc.code == "import_bad_layout" and "资金入股企业或合作社名称" in exc.details["missing"]
    assert refused("assets", people.clerk, form_file(4, [])).code == "import_no_rows"
    assert refused("assets", people.clerk, form_file(4, [office_row()], name="form.xls")).code == "import_not_xlsx"
    wb = load_workbook(form_file(4, [office_row()]))
    wb.active["A2"] = "乡镇名称：（盖章）"
    assert codes(refused("assets", people.clerk, save(wb))) == {(2, "乡镇名称", "unknown_township")}
    junk = io.BytesIO(b"PK\x03\x04 not a workbook")
    junk.name = "x.xlsx"
    assert refused("assets", people.clerk, junk).code == "import_unreadable"
    assert not Asset.objects.exists()


def test_who_may_import(people):
    with pytest.raises(PermissionDenied):
        ledger_import(kind="assets", actor=people.cadre, fileobj=form_file(4, [office_row()]))
    exc = refused("assets", people.other_clerk, form_file(4, [office_row()]))
    assert codes(exc) == {(5, "村名称", "area_out_of_scope")}
    assert AuditEvent.objects.filter(outcome="denied", action="funds.import.assets").exists()
    assert ledger_import(kind="assets", actor=people.clerk, fileobj=form_file(4, [office_row()]))["rows"] == 1


def test_the_template_is_the_empty_exported_form_of_the_users_township(people):
    ws = ledger_template("assets", actor=people.clerk).active
    assert ws["A2"].value == "乡镇名称：哈尔套镇（盖章）" and [c.value for c in ws[3]] == [c.header for c in FORMS[4].columns]
    assert ws["A4"].value == "合计"
