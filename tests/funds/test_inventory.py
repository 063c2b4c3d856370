"""The four asset inventory forms (附件1–4) filled from the demo data: exact column layout, 万元, totals
that are the sums of the rows, and the `fupin report asset-inventory` command."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from fupin.core import clock
from fupin.funds.demo import FUYOU, demo_funds
from fupin.funds.inventory import FORMS, inventory_sheets
from fupin.funds.models import DistributionPlan, PlanStatus

from .conftest import make_household

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 12, 31)


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(dt.date(2024, 1, 15)):
        yield


@pytest.fixture
def demo(areas):
    for n in range(1, 9):
        make_household(FUYOU, f"210922101202{n:03d}")
    return demo_funds()


def test_demo_is_complete_and_idempotent(demo):
    assert demo["created"] and demo["projects"] == 8 and demo["assets"] == 7
    plan = DistributionPlan.objects.get(code=demo["plan"])
    assert plan.status == PlanStatus.PAID and plan.lines.filter(kind="household").count() == 8
    assert demo_funds()["created"] is False


def _cells(ws, row):
    return [c.value for c in ws[row]]


@pytest.mark.parametrize("form", [1, 2, 3, 4])
def test_headers_are_the_forms_columns(demo, tmp_path, form):
    out = tmp_path / f"form{form}.xlsx"
    call_command("report", "asset-inventory", "--form", str(form), "--county", "210922", "--out", str(out),
                 "--as-of", "2020-12-31")
    wb = load_workbook(out)
    ws = wb["哈尔套镇"]
    spec = FORMS[form]
    assert ws["A1"].value == f"彰武县2016-2020年{spec.title}"
    assert ws["A2"].value == "乡镇名称：哈尔套镇（盖章）"
    if form == 1:
        assert _cells(ws, 3)[:5] == ["序号", "村名称", "实施年度", "投入项目到户资金合计", "投资入股的资金"]
        assert _cells(ws, 3)[6] == "形成的固化资产"
        assert _cells(ws, 4)[4:] == ["投入资金", "投资方向", "投入资金", "资产类型", "资产名称"]
        total_row = 5
    else:
        assert _cells(ws, 3) == [c.header for c in spec.columns]
        total_row = 4
    assert ws.cell(total_row, 1).value == "合计"
    signature = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "主要领导签字" in c.value]
    assert signature and "2020年12月31日" in signature[0]


@pytest.mark.parametrize("form", [1, 2, 3, 4])
def test_totals_add_up(demo, form):
    for sheet in inventory_sheets(form, "210922000000", as_of=AS_OF):
        for i, column in enumerate(FORMS[form].columns[1:]):
            if column.money or column.total:
                assert sheet.totals[i] == sum((r[i] or 0 for r in sheet.rows), Decimal(0) if column.money else 0)


def test_form4_values_for_the_greenhouse(demo):
    sheet = next(s for s in inventory_sheets(4, "210922101000", as_of=dt.date(2020, 12, 31)))
    row = next(r for r in sheet.rows if r[3] == "富有村樱桃暖棚")
    headers = [c.header for c in FORMS[4].columns[1:]]
    values = dict(zip(headers, row, strict=True))
    assert values["村名称"] == "富有村委会" and values["资产类型"] == "经营类" and values["子类型"] == "农林牧业项目基地"
    assert values["规模"] == "10栋" and values["明确产权（镇/村）"] == "村"
    assert values["资金投入（万元）"] == Decimal("50.000000")
    assert values["目前净值（万元）"] == Decimal("40.000000")  # 50 × (1 − 2/10) at the end of 2020 (from 2018-08)
    assert values["资金类型（中央、省、市、县、对口帮扶、深度贫困村、国家改革试验区、集团帮村、强村工程等）"] == "中央、强村工程"
    assert values["自用或租赁"] == "租赁" and values["合约起止年月"] == "2019.3-2022.3"
    assert values["年租金（万元）"] == Decimal("5.000000") and values["是否按期收取租金"] == "是"
    assert "2019年3月收取租金5万元" in values["收益分配情况"]


def test_form3_dividend_not_as_agreed(demo):
    sheet = inventory_sheets(3, "210922101", as_of=dt.date(2020, 12, 31))[0]
    row = next(r for r in sheet.rows if r[3] == "彰武县牧原养牛专业合作社")
    assert row[1] == "富有村委会" and row[8] == "2018.8-2021.8" and row[9] == Decimal("2.000000")
    assert row[11] == "否"  # 5,000 of 20,000 in 2020
    assert "扶持8户" in row[10]


def test_form2_lists_household_projects_only(demo):
    names = [r[3] for s in inventory_sheets(2, "210922", as_of=AS_OF) for r in s.rows]
    assert "设施樱桃" in names and "马铃薯" in names and "寒富苹果" in names
    assert "哈尔套镇扶贫车间" not in names  # township-run
    assert "食用菌" not in names  # not in the library yet


def test_bad_arguments_fail_with_a_message(demo, tmp_path):
    with pytest.raises(CommandError, match="未知的县或乡镇区划代码"):
        call_command("report", "asset-inventory", "--form", "1", "--county", "999999", "--out",
                     str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="不属于"):
        call_command("report", "asset-inventory", "--form", "1", "--county", "210922", "--township", "210921100",
                     "--out", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="xlsx"):
        call_command("report", "asset-inventory", "--form", "1", "--county", "210922", "--out", str(tmp_path / "x.csv"))
