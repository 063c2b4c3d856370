"""Targets and milestones: written by the county within its scope, refused with a clear message
otherwise, stale edits refused, every change audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from support.places import OTHER_COUNTY, TOWNSHIP

from fupin.audit.models import AuditEvent
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.progress import services
from fupin.progress.models import Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(officer):
    return services.plan_create(actor=officer, area_code="210922", code="zw-test", title="彰武县测试方案",
                                kind="annual", start=dt.date(2020, 1, 1), end=dt.date(2020, 6, 30))


def target(actor, **changes):
    data = {"area_code": "210922", "name": "新建扶贫车间", "value": 15, "unit": "个", "deadline": dt.date(2020, 6, 30),
            "period_start": dt.date(2020, 1, 1), "lead_unit": "县人社局", "responsible_units": "各乡镇"}
    return services.target_create(actor=actor, **{**data, **changes})


def test_the_county_sets_a_target_with_its_lead_unit(officer, plan):
    t = target(officer, plan=plan, area_code=TOWNSHIP)
    assert (t.area.code, t.value, t.lead_unit, t.plan) == ("210922101000", Decimal("15.00"), "县人社局", plan)
    event = AuditEvent.objects.get(action="progress.target_create")
    assert event.area_code == "210922101000" and event.after["lead_unit"] == "县人社局"


def test_a_target_outside_the_users_scope_is_refused(officer):
    with pytest.raises(PermissionDenied):
        target(officer, area_code=OTHER_COUNTY)
    assert not Target.objects.exists()


def test_a_township_reviewer_may_not_set_targets(reviewer):
    with pytest.raises(PermissionDenied):
        target(reviewer, area_code=TOWNSHIP)


@pytest.mark.parametrize(("changes", "message"), [
    ({"value": -1}, "不小于0"),
    ({"value": "十五"}, "应为数字"),
    ({"value": None}, "请填写目标值"),
    ({"name": " "}, "请填写指标名称"),
    ({"lead_unit": ""}, "请填写牵头单位"),
    ({"indicator": "nonsense"}, "未知的实时指标"),
    ({"deadline": dt.date(2019, 12, 1)}, "完成时限不能早于期间起始日期"),
])
def test_bad_target_input_is_refused(officer, changes, message):
    with pytest.raises(ValidationFailed, match=message):
        target(officer, **changes)
    assert not Target.objects.exists()


def test_a_plans_target_stays_inside_the_plan(officer, plan):
    with pytest.raises(ValidationFailed, match="须在方案期间内"):
        target(officer, plan=plan, deadline=dt.date(2020, 9, 30))
    township_plan = services.plan_create(actor=officer, area_code=TOWNSHIP, code="town", title="哈尔套镇方案",
                                         kind="annual", start=plan.start, end=plan.end)
    with pytest.raises(ValidationFailed, match="不在方案“哈尔套镇方案”的实施区域内"):
        target(officer, plan=township_plan, area_code="210922102")


def test_a_milestone_after_its_plans_end_is_refused(officer, plan):
    with pytest.raises(ValidationFailed, match="晚于方案截止日期 2020-06-30"):
        services.milestone_create(actor=officer, plan=plan, due=dt.date(2020, 7, 1), title="节点")
    m = services.milestone_create(actor=officer, plan=plan, due=dt.date(2020, 6, 30), title="完成危房改造",
                                  lead_unit="县住建局")
    assert m.lead_unit == "县住建局"
    done = services.milestone_done(actor=officer, milestone=m, done_on=dt.date(2020, 6, 20), expected_version=1)
    assert done.done_on == dt.date(2020, 6, 20) and done.version == 2
    with pytest.raises(Conflict):
        services.milestone_done(actor=officer, milestone=m, done_on=dt.date(2020, 6, 21), expected_version=1)


def test_a_milestone_cannot_be_done_in_the_future(officer, plan):
    m = services.milestone_create(actor=officer, plan=plan, due=dt.date(2020, 6, 30), title="节点")
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        services.milestone_done(actor=officer, milestone=m, done_on=dt.date(2020, 8, 1))


def test_reported_progress_and_a_stale_report(officer):
    t = target(officer)
    t = services.target_report(actor=officer, target=t, reported_value="9", expected_version=1)
    assert (t.reported_value, t.version) == (Decimal("9.00"), 2)
    with pytest.raises(Conflict, match="已被他人修改"):
        services.target_report(actor=officer, target=t, reported_value=10, expected_version=1)
    with pytest.raises(ValidationFailed, match="应为不小于0的数字"):
        services.target_report(actor=officer, target=t, reported_value="-2")
    live = target(officer, indicator="exited_in_year_households")
    with pytest.raises(ValidationFailed, match="无需填报"):
        services.target_report(actor=officer, target=live, reported_value=3)
