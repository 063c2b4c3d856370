"""The demo teams: realistic, a year of attendance, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from support.places import TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.workteams.demo import demo_workteams
from fupin.workteams.models import AttendanceDay, AttendanceSignoff, MemberChange, WorkTeam
from fupin.workteams.selectors import team_findings

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts(make_user):
    return {"township": make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP, username="township"),
            "workteam": make_user(Role.WORKTEAM_MEMBER, VILLAGE, username="workteam"),
            "clerk": make_user(Role.VILLAGE_CLERK, VILLAGE, username="clerk")}


def test_demo_teams(demo_accounts):
    counts = demo_workteams()
    assert counts["teams"] == 4 and counts["units"] == 4 and counts["members"] == 14
    assert counts["signoffs"] == 44 and counts["logs"] == 144
    fuyou = WorkTeam.objects.get(village__code=VILLAGE)
    assert fuyou.members.get(role="first_secretary").user == demo_accounts["workteam"]
    days = AttendanceDay.objects.filter(member__team=fuyou)
    assert days.filter(day__year=2020).count() > 3 * 12 * 15 and not days.exclude(day__year=2020).exists()
    assert not AttendanceSignoff.objects.filter(team=fuyou, month=dt.date(2020, 12, 1)).exists()
    assert MemberChange.objects.get().member_in.name == "曹亮"
    assert AuditEvent.objects.filter(action="workteam.demo").count() == 1


def test_demo_findings_show_what_an_assessor_would_find(demo_accounts):
    demo_workteams()
    fuyou = WorkTeam.objects.get(village__code=VILLAGE)
    findings = team_findings(team=fuyou, year=2020, today=dt.date(2021, 3, 1))["findings"]
    assert findings["22"] == {"unsigned_months": 1} and findings["23"] == {"members": 1}


def test_demo_is_idempotent(demo_accounts):
    demo_workteams()
    assert demo_workteams() == {"units": 0, "teams": 0, "members": 0, "attendance_days": 0, "signoffs": 0,
                                "logs": 0}
    assert WorkTeam.objects.count() == 4
