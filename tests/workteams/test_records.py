"""Reads: members with days stationed and masked phones, the month grid, and the assessment findings
(附件1 indicators 21-23) computed from attendance, sign-offs and members — fed to the scoring engine."""

from __future__ import annotations

import datetime as dt

import pytest
from support.places import VILLAGE

from fupin.accounts.roles import Role
from fupin.assessment.selectors import findings_score
from fupin.workteams import services
from fupin.workteams.selectors import attendance_month, team_findings, team_members

from .conftest import TODAY, member_data

pytestmark = pytest.mark.django_db


def weekdays(month: dt.date, count: int) -> list[int]:
    days, day = [], month
    while day.month == month.month and len(days) < count:
        if day.weekday() < 5:
            days.append(day.day)
        day += dt.timedelta(days=1)
    return days


@pytest.fixture
def year_2020(clerk, secretary, team, members):
    """Every member 21 days a month in 2020, except 郑旭 with 18 days in March and April; every month
    signed except November and December."""
    for m in range(1, 13):
        month = dt.date(2020, m, 1)
        for member in members:
            count = 18 if member.name == "郑旭" and m in (3, 4) else 21
            services.attendance_record(actor=clerk, team=team, member=member, month=month,
                                       days=weekdays(month, count))
        if m <= 10:
            services.attendance_signoff(actor=secretary, team=team, month=month)


def test_phone_masked_without_pii_view(make_user, clerk, team, members):
    member_user = make_user(Role.WORKTEAM_MEMBER, VILLAGE)
    assert [m.phone for m in team_members(actor=member_user, team=team)][0] == "139****0101"
    assert [m.phone for m in team_members(actor=clerk, team=team)][0] == "13904180101"


def test_days_stationed_from_attendance(clerk, team, members):
    services.attendance_record(actor=clerk, team=team, member=members[1], month="2020-06", days=[1, 2, 3])
    days = {m.name: m.days_stationed for m in team_members(actor=clerk, team=team)}
    assert days == {"周明": 0, "吴海燕": 3, "郑旭": 0}


def test_month_grid(clerk, team, members):
    services.attendance_record(actor=clerk, team=team, member=members[0], month="2020-02", days=[3, 4])
    grid = attendance_month(team=team, month="2020-02", today=TODAY)
    assert grid.day_numbers == list(range(1, 30))  # 2020 is a leap year
    assert [(r.member.name, r.present) for r in grid.rows] == [("周明", 2), ("吴海燕", 0), ("郑旭", 0)]
    assert grid.rows[0].days[2] == (3, True, True) and grid.total == 2
    assert grid.short == ["周明", "吴海燕", "郑旭"] and grid.signoff is None


def test_findings_from_the_records(year_2020, team):
    result = team_findings(team=team, year=2020, today=TODAY)
    assert result["findings"] == {
        "21": {"staff_short": 0, "member_months_short": 2, "days_short": 4},
        "22": {"unsigned_months": 2},
        "23": {"members": 1},
    }
    evidence = {(e.indicator, e.clause): e.items for e in result["evidence"]}
    assert evidence[("21", "member_months_short")] == ["郑旭 2020-03 在岗 18 天（应不少于 20 天）",
                                                       "郑旭 2020-04 在岗 18 天（应不少于 20 天）"]
    assert evidence[("22", "unsigned_months")] == ["2020-11", "2020-12"]
    assert evidence[("23", "members")] == ["郑旭"]


def test_staff_shortfall_and_prorated_months(officer, clerk, team, members):
    services.member_change(actor=officer, team=team, kind="leave", reason="health", approval_ref="批准",
                           effective_on=dt.date(2020, 6, 15), member_out=members[2])
    result = team_findings(team=team, year=2020, today=TODAY)
    staff = next(e for e in result["evidence"] if e.clause == "staff_short")
    assert staff.count == 6 and staff.items[0] == "2020-07 在队 2 人，缺 1 人"
    short = next(e for e in result["evidence"] if e.clause == "member_months_short").items
    assert "郑旭 2020-06 在岗 0 天（应不少于 10 天）" in short  # 15 of 30 days in the team


def test_findings_scored_by_the_2020_table(year_2020, team):
    findings = team_findings(team=team, year=2020, today=TODAY)["findings"]
    document = {"subjects": [{"id": "t", "name": team.name, "findings": {
        **findings, "11": 30, "12": 8, "24": {"village": 100, "households": 100}}}]}
    run = findings_score(scheme_id="zhangwu-2020-team", document=document)
    subject = run.subject("t")
    assert [subject.indicator(i).score for i in ("21", "22", "23")] == [8, 3, 2]
    assert subject.score == 95
    by_day = findings_score(scheme_id="zhangwu-2020-team", document=document, options={"attendance_unit": "day"})
    assert by_day.subject("t").indicator("21").score == 6


def test_new_member_row_appears_from_the_month_joined(officer, clerk, team, members):
    services.member_change(actor=officer, team=team, kind="join", reason="other", approval_ref="批准",
                           effective_on=dt.date(2020, 5, 20), new_member=member_data("新人"))
    april = attendance_month(team=team, month="2020-04", today=TODAY)
    may = attendance_month(team=team, month="2020-05", today=TODAY)
    assert "新人" not in [r.member.name for r in april.rows]
    row = next(r for r in may.rows if r.member.name == "新人")
    assert row.days[18] == (19, False, False) and row.days[19] == (20, False, True)
