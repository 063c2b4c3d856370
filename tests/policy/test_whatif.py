"""What-if (模拟测算): the pack with changed parameters over an area, households whose outcome changes per
rule, and nothing written but the audit event."""

from __future__ import annotations

from decimal import Decimal

import pytest
from registry.factories import make_household
from support.places import OTHER_TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core.errors import NotFound, ValidationFailed
from fupin.policy.models import ScreeningRun, StoredDecision
from fupin.policy.services import parse_changes, whatif_run
from fupin.registry.models import Household

pytestmark = pytest.mark.django_db

SECURE = dict(food_secure=True, clothing_secure=True, compulsory_education_secured=True, basic_medical_secured=True,
              housing_secured=True, safe_drinking_water=True)


def _income(per_capita: int) -> dict:
    # three members, wage income only: per-capita net income = wage / 3
    return dict(wage_income=Decimal(per_capita * 3), business_income=Decimal(0), transfer_income=Decimal(0),
                production_costs=Decimal(0))


@pytest.fixture
def county_officer(make_user):
    return make_user(Role.COUNTY_OFFICER, "210922")


@pytest.fixture
def households(areas):
    return {
        "4200": make_household(household_type="2", **SECURE, **_income(4200)),
        "4400": make_household(household_type="2", **SECURE, **_income(4400)),
        "6000": make_household(household_type="2", **SECURE, **_income(6000)),
    }


def _rule(result, rule_id):
    return next(r for r in result["rules"] if r["rule"] == rule_id)


def test_a_higher_poverty_line_moves_households_out_of_the_exit_standard(households, county_officer):
    before = list(Household.objects.values_list("pk", "version"))
    result = whatif_run(actor=county_officer, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE,
                        changes={"national_poverty_line": 4500})
    assert result["households"] == 3
    assert result["changes"]["national_poverty_line"] == {"before": 4000, "after": 4500,
                                                          "title": "国家扶贫标准（现行标准，当年价）"}
    income = _rule(result, "exit_standard")
    moved = {h["household_number"] for h in income["households"]}
    assert moved == {households["4200"].household_number, households["4400"].household_number}
    assert income["changed"] == 2 and income["left"] == 2 and income["entered"] == 0
    assert income["by_village"] == [{"area": VILLAGE, "name": "富有村委会", "households": 2}]
    assert income["by_township"] == [{"area": "210922101000", "name": "哈尔套镇", "households": 2}]
    assert all(h["before"] == "true" and h["after"] == "false" for h in income["households"])
    # nothing stored: no run, no decisions, the households untouched; one audit event
    assert not ScreeningRun.objects.exists() and not StoredDecision.objects.exists()
    assert list(Household.objects.values_list("pk", "version")) == before
    event = AuditEvent.objects.get(action="policy.whatif")
    assert event.details["changes"] == {"national_poverty_line": 4500}
    assert event.details["changed"]["exit_standard"] == 2


def test_the_list_is_bounded_but_the_counts_are_not(households, county_officer):
    result = whatif_run(actor=county_officer, pack_ref="zhangwu-2020", year=2020, area_code="210922",
                        changes={"national_poverty_line": 4500}, limit=1)
    income = _rule(result, "exit_standard")
    assert income["changed"] == 2 and len(income["households"]) == 1
    assert income["by_village"] == [{"area": VILLAGE, "name": "富有村委会", "households": 2}]


def test_changes_from_a_form(households, county_officer):
    assert parse_changes("national_poverty_line = 4500\n\nlow_income_line=6000.5\nreading='and'") == {
        "national_poverty_line": 4500, "low_income_line": 6000.5, "reading": "and"}
    with pytest.raises(ValidationFailed) as exc:
        parse_changes("national_poverty_line 4500")
    assert exc.value.code == "bad_change"


def test_a_parameter_of_the_wrong_type_is_refused(households, county_officer):
    with pytest.raises(ValidationFailed) as exc:
        whatif_run(actor=county_officer, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE,
                   changes={"national_poverty_line": "4500元"})
    assert exc.value.code == "bad_parameter"
    assert "national_poverty_line" in exc.value.message and "应为数值" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        whatif_run(actor=county_officer, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE,
                   changes={"monitoring_income_tolerance": 2})
    assert "0到1" in exc.value.message


def test_an_unknown_parameter_or_pack_is_refused(households, county_officer):
    with pytest.raises(ValidationFailed) as exc:
        whatif_run(actor=county_officer, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE,
                   changes={"national_povety_line": 4500})
    assert "national_povety_line" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        whatif_run(actor=county_officer, pack_ref="nowhere-2020", year=2020, area_code=VILLAGE,
                   changes={"national_poverty_line": 4500})
    assert exc.value.code == "unknown_pack"
    with pytest.raises(ValidationFailed):
        whatif_run(actor=county_officer, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE, changes={})


def test_an_area_out_of_scope_is_not_found(households, make_user):
    reviewer = make_user(Role.TOWNSHIP_REVIEWER, OTHER_TOWNSHIP)
    with pytest.raises(NotFound):
        whatif_run(actor=reviewer, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE,
                   changes={"national_poverty_line": 4500})
    assert not AuditEvent.objects.filter(action="policy.whatif").exists()
