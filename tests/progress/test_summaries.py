"""The national-day (September) and year-end (December) summaries: built from the frozen months only,
refused while the period's month is not frozen, the same bytes every time, the sections the plans name."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY

from fupin.accounts.roles import Role
from fupin.areas.selectors import area_get
from fupin.core import clock
from fupin.core.errors import NotFound, ValidationFailed
from fupin.progress import dispatch, services, summaries
from fupin.progress.models import Plan, Snapshot
from fupin.registry.models import Household

pytestmark = pytest.mark.django_db
JANUARY_NEXT = dt.date(2021, 1, 10)


@pytest.fixture
def county(areas):
    return area_get(COUNTY)


@pytest.fixture
def plan(officer, households):
    plan = services.plan_create(actor=officer, area_code=COUNTY, code="zw-2020", title="彰武县2020年实施方案",
                                kind="annual", start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))
    services.target_create(actor=officer, plan=plan, area_code=COUNTY, name="剩余未脱贫户全部脱贫",
                           indicator="exited_in_year_households", value=3, unit="户", deadline=dt.date(2020, 6, 30),
                           period_start=dt.date(2020, 1, 1), lead_unit="县扶贫办", lead_leader="副县长 张三")
    services.target_create(actor=officer, plan=plan, area_code=COUNTY, name="新建扶贫车间", value=15, unit="个",
                           deadline=dt.date(2020, 12, 31), period_start=dt.date(2020, 1, 1), lead_unit="县人社局")
    services.target_create(actor=officer, area_code=COUNTY, name="2021年巩固任务", value=1, unit="项",
                           deadline=dt.date(2021, 6, 30), period_start=dt.date(2020, 1, 1), lead_unit="县扶贫办")
    services.milestone_create(actor=officer, plan=plan, due=dt.date(2020, 10, 17), title="开展10.17国家扶贫日宣传活动",
                              lead_unit="县委宣传部")
    services.milestone_create(actor=officer, plan=plan, due=dt.date(2020, 12, 20), title="开展全年工作总结",
                              lead_unit="县扶贫办")
    return plan


def freeze(officer, *months: str) -> None:
    with clock.pinned(JANUARY_NEXT):
        for month in months:
            dispatch.snapshot_freeze(actor=officer, area_code=COUNTY, month=month)


def test_refused_while_the_period_is_not_frozen(officer, county, plan):
    freeze(officer, "2020-01", "2020-08")
    with pytest.raises(ValidationFailed, match="2020-09 的月调度尚未封存") as caught:
        summaries.summary_data(area=county, year=2020, kind="national_day")
    assert caught.value.code == "period_not_frozen"
    with pytest.raises(ValidationFailed, match="2020-12 的月调度尚未封存"):
        summaries.summary_data(area=county, year=2020, kind="year_end")
    with pytest.raises(NotFound, match="未知的总结类型"):
        summaries.summary_data(area=county, year=2020, kind="mid_autumn")


def test_national_day_summary_sections(officer, county, plan, households):
    freeze(officer, "2020-01")
    # a household exits in the spring: the summary shows the change since January
    Household.objects.filter(pk=households["poor"].pk).update(status="exited", exit_year=2020, updated_at=timezone.now())
    freeze(officer, "2020-06", "2020-09")
    data = summaries.summary_data(area=county, year=2020, kind="national_day")
    wb = load_workbook(io.BytesIO(summaries.summary_xlsx(data)))
    assert wb.sheetnames == ["总体成效", "各区域成效", "逐月进展", "前三季度目标任务进展", "月度节点完成情况", "未完成事项"]
    ws = wb["总体成效"]
    assert ws["A1"].value == "彰武县 2020年国庆节前（截至9月底）脱贫攻坚阶段总结"
    assert "所用月份：2020-01、2020-06、2020-09" in ws["A2"].value and "未封存的月份：2020-02" in ws["A2"].value
    assert "10.17国家扶贫日" in ws["A3"].value
    assert [c.value for c in ws[4]] == ["指标", "年初（2020-01）", "期末（2020-09）", "增减"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=5, values_only=True)}
    assert rows["当年脱贫户数"] == (1, 2, 1)
    assert rows["建档立卡户数"] == (6, 6, 0)
    areas = [r for r in wb["各区域成效"].iter_rows(min_row=2, values_only=True)]
    # 章古台镇 (its one household reaches the standard) leads 哈尔套镇 (2 of 5)
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in areas] == [("章古台镇", 1, 1, 100.0, "达标90%以上"),
                                                                ("哈尔套镇", 5, 2, 40.0, "达标不足60%")]
    trend = wb["逐月进展"]
    assert [c.value for c in trend[1]] == ["指标", "2020-01", "2020-06", "2020-09"]
    targets = {r[3]: r for r in wb["前三季度目标任务进展"].iter_rows(min_row=2, values_only=True)}
    assert targets["剩余未脱贫户全部脱贫"][8] == "逾期未完成" and "2021年巩固任务" in targets
    milestones = [r[2] for r in wb["月度节点完成情况"].iter_rows(min_row=2, values_only=True)]
    assert milestones == []  # the October item is not due by the end of September
    late = wb["未完成事项"]
    assert late["A1"].value == "滞后和逾期事项（第四季度攻坚）"
    first = [c.value for c in late[3]]
    assert first[:3] == ["目标任务", "彰武县", "剩余未脱贫户全部脱贫"] and first[5:] == ["副县长 张三", "县扶贫办"]


def test_year_end_summary_accepts_the_years_targets_and_milestones(officer, county, plan):
    houses = services.milestone_create(actor=officer, plan=plan, due=dt.date(2020, 9, 30), title="全面完成危房改造",
                                       lead_unit="县住建局")
    with clock.pinned(JANUARY_NEXT):
        services.milestone_done(actor=officer, milestone=plan.milestones.get(due=dt.date(2020, 10, 17)),
                                done_on=dt.date(2020, 10, 17))
    freeze(officer, "2020-01", "2020-10")
    # late at October's dispatch, finished in December: the December snapshot records it done
    with clock.pinned(JANUARY_NEXT):
        services.milestone_done(actor=officer, milestone=houses, done_on=dt.date(2020, 12, 5))
    freeze(officer, "2020-12")
    data = summaries.summary_data(area=county, year=2020, kind="year_end")
    wb = load_workbook(io.BytesIO(summaries.summary_xlsx(data)))
    assert wb["总体成效"]["A1"].value == "彰武县 2020年年终总结（全年）"
    assert "开展全年工作总结" in wb["总体成效"]["A3"].value
    accepted = [r[3] for r in wb["年度目标任务验收"].iter_rows(min_row=2, values_only=True)]
    assert accepted == ["剩余未脱贫户全部脱贫", "新建扶贫车间"]  # the 2021 task is not accepted this year
    milestones = {r[2]: r[5] for r in wb["月度节点完成情况"].iter_rows(min_row=2, values_only=True)}
    assert milestones == {"全面完成危房改造": "已完成", "开展10.17国家扶贫日宣传活动": "已完成",
                          "开展全年工作总结": "逾期未完成"}
    unfinished = [r[2] for r in wb["未完成事项"].iter_rows(min_row=3, values_only=True)]
    assert unfinished == ["剩余未脱贫户全部脱贫", "新建扶贫车间", "开展全年工作总结"]
    assert wb["未完成事项"]["A1"].value == "未完成事项（转入下一年度，纳入长效机制）"


def test_same_bytes_from_the_same_frozen_period(officer, county, plan):
    freeze(officer, "2020-01", "2020-09")
    first = summaries.summary_xlsx(summaries.summary_data(area=county, year=2020, kind="national_day"))
    # later changes do not reach a frozen period: a new target, a month frozen afterwards
    services.target_create(actor=officer, plan=Plan.objects.get(), area_code=COUNTY, name="后加的任务", value=1,
                           deadline=dt.date(2020, 12, 31), period_start=dt.date(2020, 1, 1), lead_unit="县扶贫办")
    with clock.pinned(dt.date(2021, 2, 1)):
        dispatch.snapshot_freeze(actor=officer, area_code=COUNTY, month="2020-05")
    again = summaries.summary_xlsx(summaries.summary_data(area=county, year=2020, kind="national_day"))
    assert again == first
    html = summaries.summary_html(summaries.summary_data(area=county, year=2020, kind="national_day"))
    assert "一、总体成效" in html and "六、滞后和逾期事项（第四季度攻坚）" in html and "后加的任务" not in html
    pdf = summaries.summary_pdf(summaries.summary_data(area=county, year=2020, kind="national_day"))
    assert pdf.startswith(b"%PDF") and summaries.summary_pdf(
        summaries.summary_data(area=county, year=2020, kind="national_day")) == pdf


def test_pages_and_api(make_user, token_for, officer, plan):
    freeze(officer, "2020-12")
    base = f"/progress/summaries/{COUNTY}/2020/year_end/"
    Matrix(base, Role.AUDITOR, COUNTY, OTHER_COUNTY, marker="年终总结（全年）").check(make_user, token_for)
    Matrix(base + "summary.xlsx", Role.AUDITOR, COUNTY, OTHER_COUNTY).check(make_user, token_for)
    Matrix(f"/api/progress/summaries/{COUNTY}/2020/year_end", Role.AUDITOR, COUNTY, OTHER_COUNTY, api=True,
           marker="年终总结").check(make_user, token_for)
    client = Client()
    client.force_login(officer)
    download = client.get(base + "summary.xlsx")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(download.content))["总体成效"]
    assert ws["A1"].value == "彰武县 2020年年终总结（全年）"
    refused = client.get(f"/progress/summaries/{COUNTY}/2020/national_day/")
    assert refused.status_code == 400 and "2020-09 的月调度尚未封存" in refused.content.decode()
    assert client.get(f"/progress/summaries/{COUNTY}/2020/national_day/summary.xlsx").status_code == 400
    assert client.get(base + "summary.docx").status_code == 404
    token = token_for(officer)
    api = Client().get(f"/api/progress/summaries/{COUNTY}/2020/national_day", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 400 and api.json()["error"]["code"] == "period_not_frozen"
    body = Client().get(f"/api/progress/summaries/{COUNTY}/2020/year_end", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    full = f"/progress/summaries/{COUNTY}000000/2020/year_end/"
    assert body["xlsx_url"] == full + "summary.xlsx" and body["months"] == ["2020-12"]
    # the dispatch list and the December snapshot link to the summary
    assert full in client.get("/progress/dispatch/").content.decode()
    snapshot = Snapshot.objects.get()
    assert full in client.get(f"/progress/dispatch/{snapshot.pk}/").content.decode()
