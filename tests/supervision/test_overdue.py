"""Overdue findings escalate to the level above, once, with one audit event per run; the menu badge
and the command show them."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from support.places import OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core import clock
from fupin.supervision import services
from fupin.supervision.models import StepKind
from fupin.supervision.selectors import findings_overdue, overdue_badge

pytestmark = pytest.mark.django_db


def test_overdue_village_finding_escalates_to_its_township(finding, clerk):
    assert services.findings_escalate_overdue(today=dt.date(2020, 9, 30)) == []  # the deadline day is not late
    escalated = services.findings_escalate_overdue(today=dt.date(2020, 10, 1))
    assert [f.pk for f in escalated] == [finding.pk]
    finding.refresh_from_db()
    assert finding.escalated_on == dt.date(2020, 10, 1) and finding.escalated_to == TOWNSHIP + "000"
    assert finding.steps.filter(kind=StepKind.ESCALATE).count() == 1
    assert services.findings_escalate_overdue(today=dt.date(2020, 10, 2)) == []  # once only
    event = AuditEvent.objects.get(action="supervision.escalate")
    assert event.details["count"] == 1 and event.details["by_target"] == {TOWNSHIP + "000": 1}


def test_closed_findings_never_escalate(finding, clerk, officer):
    from .conftest import photo

    services.rectification_report(actor=clerk, finding=finding, measures="已整改", uploads=[photo()])
    finding.refresh_from_db()
    services.finding_close(actor=officer, finding=finding)
    assert services.findings_escalate_overdue(today=dt.date(2020, 12, 1)) == []


def test_township_finding_escalates_to_the_county(officer, campaign):
    f = services.finding_record(actor=officer, area_code=TOWNSHIP, description="乡镇党委每月研究脱贫攻坚不足2次",
                                responsible_kind="township", found_on=dt.date(2020, 9, 1),
                                deadline=dt.date(2020, 9, 10), campaign=campaign)
    services.findings_escalate_overdue()
    f.refresh_from_db()
    assert f.escalated_to == "210922000000"


def test_badge_counts_overdue_findings_in_scope(finding, make_user, reviewer):
    with clock.pinned(dt.date(2020, 10, 5)):
        assert overdue_badge(reviewer) == 1
        assert overdue_badge(make_user(Role.VILLAGE_CLERK, OTHER_VILLAGE)) == 0
        assert overdue_badge(make_user(Role.AUDITOR, "210922")) == 0  # reads, neither supervises nor rectifies
        assert list(findings_overdue(actor=make_user(Role.VILLAGE_CLERK, VILLAGE))) == [finding]


def test_command_escalates_and_prints_json(finding):
    out = StringIO()
    call_command("supervision", "overdue", "--date", "2020-10-03", "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["escalated"] == 1 and payload["findings"][0]["escalated_to"] == TOWNSHIP + "000"


def test_moving_the_deadline_later_lifts_the_escalation(finding, officer):
    services.findings_escalate_overdue(today=dt.date(2020, 10, 1))
    finding.refresh_from_db()
    with clock.pinned(dt.date(2020, 10, 2)):
        services.finding_update(actor=officer, finding=finding, version=finding.version,
                                deadline=dt.date(2020, 10, 20))
    finding.refresh_from_db()
    assert finding.escalated_on is None and finding.escalated_to == ""
