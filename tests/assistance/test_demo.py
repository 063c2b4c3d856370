"""The demo: three cadres (one over the limit), unpaired households, plans with two that break the
labour rule, a month of visits with some households behind; idempotent."""

from __future__ import annotations

import pytest
from support.places import OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.assistance import selectors
from fupin.assistance.demo import demo_assistance
from fupin.assistance.models import AssistancePlan, CadreProfile, PairingAssignment, Visit
from fupin.audit.models import AuditEvent
from fupin.registry.models import Household

from .conftest import TODAY, make_household


@pytest.fixture
def demo_county(make_user, areas):
    cadre = make_user(Role.PAIRING_CADRE, VILLAGE, username="cadre")
    fuyou = [make_household() for _ in range(20)]
    for _ in range(6):
        make_household(village=OTHER_VILLAGE)
    Household.objects.filter(pk__in=[h.pk for h in fuyou[:8]]).update(pairing_cadre=cadre)
    return make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP, username="township")


def test_demo_assistance(demo_county):
    result = demo_assistance()
    assert result["cadres"] == 3 and result["pairings"] == 8 + 5 + 4
    assert CadreProfile.objects.count() == 3
    township = demo_county
    coverage = selectors.coverage(township, TOWNSHIP, 2020)
    assert [(c["profile"].name, c["households"]) for c in coverage["over_limit"]] == [("孙海涛", 8)]
    assert coverage["uncovered_count"] == 26 - 17
    visits = selectors.visit_check(township, TOWNSHIP, 2020, TODAY)
    assert len(visits["rows"]) == 17 and 0 < len(visits["behind"]) < 17
    failing = selectors.plans_failing_rule(township, TOWNSHIP, 2020)
    assert len(failing) == 2 and all("开发式" in f["message"] for f in failing)
    assert AssistancePlan.objects.count() == 17 + (20 - 13)  # paired, and the unpaired of 富有村
    assert Visit.objects.filter(visited_on__gt=TODAY).count() == 0
    assert AuditEvent.objects.filter(action="assistance.demo").count() == 1


def test_demo_is_idempotent(demo_county):
    demo_assistance()
    counts = (PairingAssignment.objects.count(), Visit.objects.count(), AssistancePlan.objects.count())
    assert demo_assistance() == {"created": False}
    assert (PairingAssignment.objects.count(), Visit.objects.count(), AssistancePlan.objects.count()) == counts
