"""Monthly dispatch: a frozen month is immutable, a future month is refused, the report compares with
last month and the plan, lists what is late and who leads it, and regenerates byte for byte."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.progress import dispatch, reports, services
from fupin.progress.models import Snapshot
from fupin.registry.models import Household

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(officer, households):
    exits = services.target_create(actor=officer, area_code="210922", name="剩余未脱贫户全部脱贫",
                                   indicator="exited_in_year_households", value=3, unit="户",
                                   deadline=dt.date(2020, 6, 30), period_start=dt.date(2020, 1, 1),
                                   lead_unit="县扶贫办", lead_leader="副县长 张三", responsible_units="各乡镇")
    workshops = services.target_create(actor=officer, area_code="210922", name="新建扶贫车间", value=15, unit="个",
                                       deadline=dt.date(2020, 12, 31), period_start=dt.date(2020, 1, 1),
                                       lead_unit="县人社局")
    return exits, workshops


def test_freeze_a_month_and_compare_with_the_last(officer, targets, households):
    june = dispatch.snapshot_freeze(actor=officer, area_code="210922", month="2020-06")
    assert june.values.filter(area_code="210922000000", indicator="households").get().value == 6
    # a household exits in July: the July snapshot shows the change against June
    Household.objects.filter(pk=households["poor"].pk).update(status="exited", exit_year=2020,
                                                              updated_at=timezone.now())
    july = dispatch.snapshot_freeze(actor=officer, area_code="210922", month="2020-07")
    data = reports.report_rows(july)
    county = data["areas"][0]
    line = next(x for x in county["lines"] if x["indicator"] == "exited_in_year_households")
    assert (line["value"], line["previous"], line["change"]) == (2, 1, 1)
    assert [a["name"] for a in data["areas"][1:]] == ["哈尔套镇", "章古台镇"]
    # the exit target (3 by June 30) is late on 15 July, with its lead leader and unit
    late = {t["name"]: t for t in data["late_targets"]}
    assert late["剩余未脱贫户全部脱贫"]["lead_unit"] == "县扶贫办"
    assert late["剩余未脱贫户全部脱贫"]["lead_leader"] == "副县长 张三"
    assert late["剩余未脱贫户全部脱贫"]["state"] == "late"


def test_a_frozen_month_is_immutable(officer, targets):
    dispatch.snapshot_freeze(actor=officer, area_code="210922", month="2020-06")
    with pytest.raises(Conflict, match="已封存，不可更改"):
        dispatch.snapshot_freeze(actor=officer, area_code="210922", month="2020-06")
    assert Snapshot.objects.count() == 1


def test_a_future_month_is_refused(officer):
    with pytest.raises(ValidationFailed, match="不能封存尚未到来的月份：2020-08"):
        dispatch.snapshot_freeze(actor=officer, area_code="210922", month="2020-08")
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize("month", ["2020-13", "七月", "", "2020"])
def test_a_malformed_month_is_refused(officer, month):
    with pytest.raises(ValidationFailed, match="月份格式应为 YYYY-MM"):
        dispatch.snapshot_freeze(actor=officer, area_code="210922", month=month)


def test_only_managers_freeze_and_only_in_their_area(officer, reviewer, make_user):
    with pytest.raises(PermissionDenied):
        dispatch.snapshot_freeze(actor=reviewer, area_code="210922101", month="2020-06")
    with pytest.raises(PermissionDenied):
        dispatch.snapshot_freeze(actor=officer, area_code="210921", month="2020-06")


def test_the_excel_report_regenerates_identically(officer, targets):
    snapshot = dispatch.snapshot_freeze(actor=officer, area_code="210922", month="2020-07")
    first = reports.dispatch_xlsx(snapshot)
    assert reports.dispatch_xlsx(Snapshot.objects.get(pk=snapshot.pk)) == first
    wb = load_workbook(io.BytesIO(first))
    assert wb.sheetnames == ["调度总表", "滞后和逾期事项", "目标任务进度", "月度节点"]
    late = [[c.value for c in row] for row in wb["滞后和逾期事项"].iter_rows(min_row=2)]
    assert late[0][3] == "剩余未脱贫户全部脱贫" and late[0][11] == "县扶贫办" and late[0][8] == "逾期未完成"
    assert "彰武县 2020-07 月调度" in wb["调度总表"]["A1"].value


def test_the_pdf_report_regenerates_identically(officer, targets):
    snapshot = dispatch.snapshot_freeze(actor=officer, area_code="210922", month="2020-07")
    first = reports.dispatch_pdf(snapshot)
    assert first.startswith(b"%PDF") and reports.dispatch_pdf(snapshot) == first
    assert "剩余未脱贫户全部脱贫" in reports.dispatch_html(snapshot)


def test_the_quarterly_report_needs_its_three_months(officer, targets):
    for month in ("2020-04", "2020-06"):
        dispatch.snapshot_freeze(actor=officer, area_code="210922", month=month)
    county = Snapshot.objects.first().area
    with pytest.raises(ValidationFailed, match="尚未封存：2020-05"):
        dispatch.quarter_snapshots(area=county, year=2020, quarter=2)
    dispatch.snapshot_freeze(actor=officer, area_code="210922", month="2020-05")
    months = dispatch.quarter_snapshots(area=county, year=2020, quarter=2)
    data = reports.quarterly_xlsx(months)
    assert reports.quarterly_xlsx(months) == data
    ws = load_workbook(io.BytesIO(data))["季度调度"]
    assert ws["A1"].value == "彰武县 2020年第2季度调度报告"
    assert [c.value for c in ws[2]][:5] == ["区域", "指标", "2020-04", "2020-05", "2020-06"]
