"""The demo: a 2020 campaign with findings at every state in several townships, overdue ones escalated,
a 回头看 of exited households; idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from registry.factories import make_household
from support.places import COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core import clock
from fupin.supervision.demo import demo_supervision
from fupin.supervision.models import Campaign, Finding, FindingSource, LookbackCheck, VisitResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts(make_user, areas):
    for village in (VILLAGE, OTHER_VILLAGE):
        for _ in range(6):
            make_household(village=village, status="exited", exit_year=2019)
    return {"officer": make_user(Role.COUNTY_OFFICER, COUNTY, username="officer"),
            "county_admin": make_user(Role.COUNTY_ADMIN, COUNTY, username="county_admin"),
            "township": make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP, username="township"),
            "clerk": make_user(Role.VILLAGE_CLERK, VILLAGE, username="clerk"),
            "clerk2": make_user(Role.VILLAGE_CLERK, OTHER_VILLAGE, username="clerk2")}


def test_demo_campaign_has_every_state_and_is_idempotent(demo_accounts):
    with clock.pinned(dt.date(2021, 1, 10)):
        result = demo_supervision()
        assert demo_supervision() == {}
    campaign = Campaign.objects.get(name="彰武县2020年第三季度脱贫攻坚督查")
    findings = Finding.objects.filter(campaign=campaign)
    assert {f.status for f in findings} == {"open", "reported", "returned", "closed"}
    assert {f.area.code[:9] for f in findings} == {"210922101", "210922102", "210922103"}
    assert findings.filter(responsible_kind="department", responsible_department="health").exists()
    overdue = findings.exclude(status="closed")
    assert overdue.exists() and all(f.escalated_on == dt.date(2021, 1, 10) for f in overdue)
    assert all(f.evidence.exists() for f in findings.filter(status="closed"))
    checks = LookbackCheck.objects.filter(campaign__kind="lookback")
    assert result["lookback"]["sampled"] == checks.count() >= 2
    assert checks.filter(result=VisitResult.AT_RISK).exists() and checks.filter(result=VisitResult.STABLE).exists()
    assert Finding.objects.filter(source=FindingSource.LOOKBACK).count() == checks.filter(
        result=VisitResult.AT_RISK).count()
