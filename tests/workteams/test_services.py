"""Writes of the work-team context: what is accepted, what is refused (and that nothing is written)."""

from __future__ import annotations

import datetime as dt

import pytest
from support.places import COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from fupin.workteams import services
from fupin.workteams.models import (
    AttendanceDay,
    AttendanceSignoff,
    MemberChange,
    TeamMember,
    WorkLog,
    WorkTeam,
)

from .conftest import END, START, member_data

pytestmark = pytest.mark.django_db
MAY = dt.date(2020, 5, 1)


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- units and teams ---------------------------------------------------------------------------

def test_unit_created_and_audited(unit):
    assert unit.get_level_display() == "县直" and unit.county.code == "210922000000"
    assert events("workteam.unit_create") == 1


def test_unit_name_once_per_county(officer, unit):
    with pytest.raises(ValidationFailed, match="本县已登记派出单位“彰武县卫生健康局”"):
        services.unit_create(actor=officer, county_code=COUNTY, name="彰武县卫生健康局", level="county")


def test_unit_level_must_be_known(officer):
    with pytest.raises(ValidationFailed, match="单位层级应为"):
        services.unit_create(actor=officer, county_code=COUNTY, name="某单位", level="ministry")


def test_unit_needs_the_manage_role(clerk):
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=clerk, county_code=COUNTY, name="某单位", level="county")


def test_team_must_sit_in_a_village(officer, unit):
    with pytest.raises(ValidationFailed, match="不是村"):
        services.team_create(actor=officer, unit=unit, village_code=TOWNSHIP, name="队", start_date=START,
                             end_date=END)


def test_one_team_per_village_at_a_time(officer, unit, team):
    with pytest.raises(ValidationFailed, match="一村一队"):
        services.team_create(actor=officer, unit=unit, village_code=VILLAGE, name="第二队",
                             start_date=dt.date(2021, 6, 1), end_date=dt.date(2023, 5, 31))
    assert WorkTeam.objects.count() == 1


def test_team_period_must_run_forward(officer, unit):
    with pytest.raises(ValidationFailed, match="驻村结束日期应晚于开始日期"):
        services.team_create(actor=officer, unit=unit, village_code=OTHER_VILLAGE, name="队", start_date=END,
                             end_date=START)


def test_team_outside_the_officers_county(make_user, unit):
    outsider = make_user(Role.COUNTY_OFFICER, "210921")
    with pytest.raises(PermissionDenied):
        services.team_create(actor=outsider, unit=unit, village_code=VILLAGE, name="队", start_date=START,
                             end_date=END)


# --- members -----------------------------------------------------------------------------------

def test_roster_with_every_column(members):
    first = members[0]
    assert (first.name, first.get_role_display(), first.get_sex_display(), first.age, first.get_education_display(),
            first.get_political_status_display(), first.phone, first.joined_on) == (
        "周明", "第一书记（队长）", "男", 35, "大学本科", "中共党员", "13904180101", START)
    assert events("workteam.member_add") == 3


@pytest.mark.parametrize("changes, message", [
    ({"age": 16}, "年龄应为18–70之间的整数"),
    ({"phone": "12345"}, "电话号码格式不正确"),
    ({"political_status": "独立"}, "政治面貌应为"),
    ({"name": " "}, "请填写姓名"),
])
def test_member_fields_checked(officer, team, changes, message):
    with pytest.raises(ValidationFailed, match=message):
        services.member_add(actor=officer, team=team, data={**member_data("某人"), **changes})
    assert not TeamMember.objects.exists()


def test_one_first_secretary(officer, members, team):
    with pytest.raises(ValidationFailed, match="工作队已有第一书记（队长）：周明"):
        services.member_add(actor=officer, team=team, data=member_data("李四", "first_secretary"))


def test_later_arrival_needs_a_change(officer, team):
    with pytest.raises(ValidationFailed, match="请登记人员调整"):
        services.member_add(actor=officer, team=team, data={**member_data("李四"), "joined_on": dt.date(2020, 3, 1)})


def test_replacement_recorded_with_its_approval(officer, team, members):
    change = services.member_change(actor=officer, team=team, kind="replace", reason="transfer",
                                    effective_on=dt.date(2020, 7, 10), approval_ref="彰驻组〔2020〕3号",
                                    member_out=members[2], new_member=member_data("曹亮", phone="13804180204"))
    members[2].refresh_from_db()
    assert members[2].left_on == dt.date(2020, 7, 10)
    assert change.member_in.name == "曹亮" and change.member_in.joined_on == dt.date(2020, 7, 10)
    event = AuditEvent.objects.get(action="workteam.member_change")
    assert event.before["name"] == "郑旭" and event.after["approval_ref"] == "彰驻组〔2020〕3号"


def test_change_needs_an_approval(officer, team, members):
    with pytest.raises(ValidationFailed, match="请填写批准文号"):
        services.member_change(actor=officer, team=team, kind="leave", reason="health", approval_ref="",
                               effective_on=dt.date(2020, 7, 10), member_out=members[1])
    assert not MemberChange.objects.exists()
    members[1].refresh_from_db()
    assert members[1].left_on is None


def test_change_inside_the_period(officer, team, members):
    with pytest.raises(ValidationFailed, match="不在工作队驻村期间"):
        services.member_change(actor=officer, team=team, kind="leave", reason="health", approval_ref="批准",
                               effective_on=dt.date(2019, 7, 10), member_out=members[1])


def test_member_leaves_only_once(officer, team, members):
    services.member_change(actor=officer, team=team, kind="leave", reason="health", approval_ref="批准",
                           effective_on=dt.date(2020, 7, 10), member_out=members[1])
    with pytest.raises(ValidationFailed, match="已于 2020-07-10 离队"):
        services.member_change(actor=officer, team=team, kind="leave", reason="health", approval_ref="批准",
                               effective_on=dt.date(2020, 8, 10), member_out=members[1])


# --- attendance --------------------------------------------------------------------------------

def test_attendance_recorded_and_replaced(clerk, team, members):
    services.attendance_record(actor=clerk, team=team, member=members[0], month=MAY, days=[4, 5, 6])
    services.attendance_record(actor=clerk, team=team, member=members[0], month=MAY, days=[5, 6, 7, 8])
    assert sorted(d.day for d in AttendanceDay.objects.values_list("day", flat=True)) == [5, 6, 7, 8]
    event = AuditEvent.objects.filter(action="workteam.attendance").order_by("seq").last()
    assert event.before == {"month": "2020-05", "days": [4, 5, 6]}
    assert event.after == {"month": "2020-05", "days": [5, 6, 7, 8]}


def test_day_outside_the_team_period_is_refused(officer, clerk, unit):
    team = services.team_create(actor=officer, unit=unit, village_code=VILLAGE, name="队",
                                start_date=dt.date(2020, 5, 10), end_date=END)
    member = services.member_add(actor=officer, team=team, data=member_data("周明"))
    with pytest.raises(ValidationFailed, match="考勤日期 2020-05-09 不在工作队驻村期间（2020-05-10 至 2021-12-31）"):
        services.attendance_record(actor=clerk, team=team, member=member, month=MAY, days=[12, 9])
    assert not AttendanceDay.objects.exists()


def test_day_before_the_member_joined_is_refused(officer, clerk, team, members):
    change = services.member_change(actor=officer, team=team, kind="join", reason="other", approval_ref="批准",
                                    effective_on=dt.date(2020, 5, 20), new_member=member_data("新人"))
    with pytest.raises(ValidationFailed, match="不在 新人 的在队期间"):
        services.attendance_record(actor=clerk, team=team, member=change.member_in, month=MAY, days=[19])


def test_future_and_impossible_days_are_refused(clerk, team, members):
    with pytest.raises(ValidationFailed, match="不能登记将来的考勤"):
        services.attendance_record(actor=clerk, team=team, member=members[0], month="2021-01", days=[11])
    with pytest.raises(ValidationFailed, match="2021-02 没有第 30 日"):
        services.attendance_record(actor=clerk, team=team, member=members[0], month="2021-02", days=[30])
    with pytest.raises(ValidationFailed, match="月份格式应为 YYYY-MM"):
        services.attendance_record(actor=clerk, team=team, member=members[0], month="May", days=[1])


def test_attendance_only_by_the_village(make_user, team, members):
    member_user = make_user(Role.WORKTEAM_MEMBER, VILLAGE)
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=member_user, team=team, member=members[0], month=MAY, days=[4])
    other_clerk = make_user(Role.VILLAGE_CLERK, OTHER_VILLAGE)
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=other_clerk, team=team, member=members[0], month=MAY, days=[4])


def test_sign_off_once_per_month(clerk, secretary, team, members):
    services.attendance_record(actor=clerk, team=team, member=members[0], month=MAY, days=[4, 5])
    signoff = services.attendance_signoff(actor=secretary, team=team, month=MAY)
    assert signoff.days_total == 2 and signoff.signer_name == secretary.display_name
    with pytest.raises(Conflict, match="每月只签一次"):
        services.attendance_signoff(actor=secretary, team=team, month="2020-05")
    assert AttendanceSignoff.objects.count() == 1 and events("workteam.signoff") == 1


def test_signed_month_is_locked(clerk, secretary, team, members):
    services.attendance_signoff(actor=secretary, team=team, month=MAY)
    with pytest.raises(Conflict, match="已由 .* 签字，不能再修改"):
        services.attendance_record(actor=clerk, team=team, member=members[0], month=MAY, days=[4])
    assert not AttendanceDay.objects.exists()


def test_sign_off_by_the_township_only(make_user, clerk, team, members):
    other = make_user(Role.TOWNSHIP_REVIEWER, OTHER_TOWNSHIP)
    with pytest.raises(PermissionDenied):
        services.attendance_signoff(actor=other, team=team, month=MAY)
    with pytest.raises(PermissionDenied):
        services.attendance_signoff(actor=clerk, team=team, month=MAY)
    with pytest.raises(NotAuthenticated):
        services.attendance_signoff(actor=None, team=team, month=MAY)


def test_sign_off_after_the_month(secretary, team):
    with pytest.raises(ValidationFailed, match="2021-01 尚未结束"):
        services.attendance_signoff(actor=secretary, team=team, month="2021-01")
    with pytest.raises(ValidationFailed, match="不在工作队驻村期间"):
        services.attendance_signoff(actor=secretary, team=team, month="2019-12")


# --- logs --------------------------------------------------------------------------------------

def test_work_log(make_user, team):
    writer = make_user(Role.WORKTEAM_MEMBER, VILLAGE)
    log = services.work_log_add(actor=writer, team=team, day=dt.date(2020, 5, 6), content="入户走访5户", kind="diary")
    assert log.get_kind_display() == "民情日记" and log.author_name == writer.display_name
    with pytest.raises(ValidationFailed, match="请填写日志内容"):
        services.work_log_add(actor=writer, team=team, day=dt.date(2020, 5, 6), content="  ")
    with pytest.raises(ValidationFailed, match="日志日期 2019-12-31 不在工作队驻村期间"):
        services.work_log_add(actor=writer, team=team, day=dt.date(2019, 12, 31), content="记录")
    assert WorkLog.objects.count() == 1
