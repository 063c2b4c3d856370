"""A household's exit (脱贫退出) and return (返贫) go through the workflow's review, and the county
cannot approve an exit that fails the exit standard of the policy pack in force."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from support.places import VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core import clock
from fupin.core.errors import ValidationFailed
from fupin.registry.models import Household
from fupin.registry.reviews import household_change_start
from fupin.workflow.models import Review
from fupin.workflow.services import review_act

from .factories import make_household

pytestmark = pytest.mark.django_db

APPRAISAL = {"attendees": 21, "votes_for": 18, "votes_against": 2, "votes_abstain": 1, "minutes": "村民代表评议"}


@pytest.fixture
def people(make_user):
    class People:
        clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
        township = make_user(Role.TOWNSHIP_REVIEWER, "210922101")
        county = make_user(Role.COUNTY_OFFICER, "210922")

    return People


def act(review, actor, name, **fields):
    review.refresh_from_db()
    return review_act(actor=actor, review=review, act=name, expected_version=review.version, **fields)


def to_county(review, people):
    act(review, people.clerk, "appraisal", **APPRAISAL)
    act(review, people.clerk, "start_notice", place="村务公开栏")
    clock.advance(days=7)
    act(review, people.clerk, "close_notice")
    act(review, people.township, "approve", reason="核实无误")


def _secure(**overrides):
    values = dict(food_secure=True, clothing_secure=True, compulsory_education_secured=True,
                  basic_medical_secured=True, housing_secured=True, safe_drinking_water=True)
    return {**values, **overrides}


def test_exit_walks_the_whole_review_and_changes_the_status(people):
    household = make_household(status="expected_exit", wage_income=Decimal("30000.00"), **_secure())
    with clock.pinned(dt.date(2020, 11, 2)):
        review = household_change_start(actor=people.clerk, household_id=household.pk, transition="exit",
                                         reason="人均纯收入稳定超过标准，两不愁三保障达标", expected_version=household.version)
        assert isinstance(review, Review) and review.kind == "registry.exit"
        to_county(review, people)
        act(review, people.county, "approve", reason="同意退出")
        act(review, people.county, "announce", content="县级公告：同意脱贫退出")
    household.refresh_from_db()
    assert household.status == "exited" and household.exit_year == 2020
    event = AuditEvent.objects.get(action="household.exit", target_id=str(household.pk))
    assert event.details["evidence"]["passed"] is True and event.details["reference"] == f"review:{review.pk}"


def test_county_cannot_approve_an_exit_that_fails_the_standard(people):
    household = make_household(status="expected_exit", **_secure(housing_secured=False),
                               wage_income=Decimal("1000.00"), business_income=Decimal("0.00"),
                               transfer_income=Decimal("500.00"), production_costs=Decimal("0.00"))
    with clock.pinned(dt.date(2020, 11, 2)):
        review = household_change_start(actor=people.clerk, household_id=household.pk, transition="exit",
                                         reason="申请退出", expected_version=household.version)
        to_county(review, people)
        with pytest.raises(ValidationFailed) as refused:
            act(review, people.county, "approve", reason="同意退出")
    assert "不符合脱贫退出标准" in refused.value.message
    assert "住房安全有保障" in refused.value.message or "两不愁三保障" in refused.value.message
    assert "人均纯收入超过国家扶贫标准" in refused.value.message
    review.refresh_from_db()
    household.refresh_from_db()
    assert review.stage_key == "county" and household.status == "expected_exit"


def test_unreviewed_transition_applies_at_once_and_wrong_ones_are_refused(people):
    household = make_household(status="registered")
    changed = household_change_start(actor=people.clerk, household_id=household.pk, transition="plan_exit",
                                     reason="列入今年预脱贫", expected_version=household.version)
    assert isinstance(changed, Household) and changed.status == "expected_exit"
    with pytest.raises(ValidationFailed):
        household_change_start(actor=people.clerk, household_id=household.pk, transition="return", reason="x",
                               expected_version=changed.version)
    with pytest.raises(ValidationFailed):
        household_change_start(actor=people.clerk, household_id=household.pk, transition="no_such", reason="x",
                               expected_version=changed.version)


def test_household_page_shows_policy_decisions_and_starts_a_review(people):
    household = make_household(status="exited", exit_year=2019, **_secure())
    client = Client()
    client.force_login(people.clerk)
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert 'id="policy"' in page and "脱贫标准" in page and "zhangwu-2020" in page
    response = client.post(f"/registry/households/{household.pk}/change/",
                           {"transition": "return", "reason": "因病返贫", "version": household.version})
    review = Review.objects.get(kind="registry.return")
    assert response.status_code == 302 and response["Location"].endswith(f"/{review.pk}/")
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert 'data-testid="open-review"' in page


def test_another_village_clerk_cannot_start_a_change(make_user, people):
    household = make_household(status="registered")
    client = Client()
    client.force_login(make_user(Role.VILLAGE_CLERK, "210922101203"))
    response = client.post(f"/registry/households/{household.pk}/change/",
                           {"transition": "plan_exit", "reason": "x", "version": household.version})
    assert response.status_code == 404
    household.refresh_from_db()
    assert household.status == "registered"
