"""Anti-return monitoring (防返贫监测): scope, the seven exclusions and their exceptions, the override,
types, risk level and the 5% scale — the worked examples E1–E11 of spec part 03 §12, on the shipped
Zhangwu 2020 pack (which inherits the provincial rules)."""

from __future__ import annotations

import polars as pl
import pytest

from fupin.policy.engine.batch import frames_from_records, needed_fields, run_batch
from fupin.policy.engine.population import monitoring_scale

from .conftest import decide, household, value

N = 4000  # the 2020 national poverty line of the pack
STAFF = dict(employer_type="institution", public_payroll_staff=True)


@pytest.fixture(scope="module")
def zw(shipped):
    return shipped.get("zhangwu-2020@1")


def excluded_by(zw, record) -> list[str]:
    d = decide(zw, record, "monitoring_exclusion")
    assert d.status == "ok", d.error
    return [k for k, v in d.clauses.items() if v]


def test_the_base_household_is_a_candidate(zw):
    assert value(zw, household(), "monitoring_eligible") is True
    assert excluded_by(zw, household()) == []


def test_e1_a_member_on_the_public_payroll_excludes(zw):
    record = household(members=[STAFF])
    assert excluded_by(zw, record) == ["public_or_stable_job"]
    assert value(zw, record, "monitoring_eligible") is False


def test_e2_e3_stable_enterprise_job_of_30000_or_more_excludes_unless_military_family(zw):
    soe = dict(employer_type="soe", stable_employment=True, annual_income=36000)
    assert excluded_by(zw, household(members=[soe])) == ["public_or_stable_job"]
    assert excluded_by(zw, household(members=[soe], military_family=True)) == []
    assert excluded_by(zw, household(members=[{**soe, "annual_income": 30000}])) == ["public_or_stable_job"]
    assert excluded_by(zw, household(members=[{**soe, "annual_income": 29999}])) == []
    private = dict(employer_type="large_private", stable_employment=True, annual_income=30000)
    assert excluded_by(zw, household(members=[private])) == ["public_or_stable_job"]


def test_the_military_family_exception_follows_the_chosen_reading(zw, shipped, tmp_path):
    # default reading: the exception covers the whole item, so a military family with a civil servant is not excluded
    assert excluded_by(zw, household(members=[STAFF], military_family=True)) == []


def test_e4_a_car_of_50000_or_more_excludes(zw):
    assert excluded_by(zw, household(car_value=48000)) == []
    assert excluded_by(zw, household(car_value=52000)) == ["vehicle"]
    assert excluded_by(zw, household(car_value=50000)) == ["vehicle"]
    assert excluded_by(zw, household(machinery_value=60000)) == ["vehicle"]


def test_e5_town_housing_excludes_but_resettlement_housing_does_not(zw):
    assert excluded_by(zw, household(bought_commercial_housing=True, resettlement_housing=True)) == []
    assert excluded_by(zw, household(bought_commercial_housing=True)) == ["town_property"]


def test_e6_shares_with_dividends_exclude_but_a_livelihood_kiosk_does_not(zw):
    assert excluded_by(zw, household(enterprise_with_dividend=True, livelihood_business_only=True)) == []
    assert excluded_by(zw, household(enterprise_with_dividend=True)) == ["enterprise"]


def test_e7_only_a_current_village_head_excludes(zw):
    assert excluded_by(zw, household(members=[{"current_village_head": True}])) == ["village_head"]
    assert excluded_by(zw, household(members=[{"current_village_head": False}])) == []


def test_exclusions_6_and_7(zw):
    assert excluded_by(zw, household(large_grower=True)) == ["large_operator"]
    assert excluded_by(zw, household(employs_others=True)) == ["large_operator"]
    assert excluded_by(zw, household(concealed_assets=True)) == ["concealment"]


def test_e8_the_override_needs_all_three_approvals(zw):
    car = household(car_value=60000, override_village_appraisal=True, override_township_verified=True,
                    override_county_approved=True)
    assert value(zw, car, "monitoring_eligible") is True
    car["override_county_approved"] = False
    decision = decide(zw, car, "monitoring_eligible")
    assert decision.value is False and decision.clauses["not_excluded"] is False


def test_e9_the_income_trigger_is_below_1_5_times_the_line(zw):
    assert value(zw, household(per_capita_disposable_income=1.4 * N), "monitoring_income_trigger") is True
    assert value(zw, household(per_capita_disposable_income=1.6 * N), "monitoring_eligible") is False
    assert value(zw, household(per_capita_disposable_income=1.5 * N), "monitoring_income_trigger") is False


def test_e10_rigid_expenditure_above_last_years_income_is_a_shock(zw):
    record = household(per_capita_disposable_income=9000, previous_year_net_income=20000, rigid_expenditure=35000,
                       risk_types=["01"])
    assert value(zw, record, "monitoring_shock_trigger") is True
    assert value(zw, record, "monitoring_eligible") is True
    # the same expenditure without a cause (illness, disaster, ...) is not a shock
    assert value(zw, household(record, risk_types=[]), "monitoring_shock_trigger") is False
    # a halved income is a sharp drop
    drop = household(per_capita_disposable_income=9000, previous_year_net_income=20000, net_income=10000,
                     risk_types=["06"])
    assert value(zw, drop, "monitoring_shock_trigger") is True
    assert value(zw, household(drop, net_income=10001), "monitoring_shock_trigger") is False


def test_a_missing_exclusion_fact_makes_the_decision_an_error_not_a_guess(zw):
    record = household(car_value=None)
    decision = decide(zw, record, "monitoring_eligible")
    assert decision.status == "error" and "car_value" in decision.error
    # but a fact that cannot change the outcome does not block it
    assert value(zw, household(car_value=None, concealed_assets=True), "monitoring_eligible") is False


def test_registered_poor_households_that_have_not_exited_are_not_monitoring_objects(zw):
    decision = decide(zw, household(household_type="1"), "monitoring_eligible")
    assert decision.value is False and decision.clauses["target_group"] is False


def test_monitoring_types_two_in_the_province_three_in_anshan(zw, shipped):
    anshan = shipped.get("anshan-2020@1")
    exited = household(household_type="2")
    assert value(zw, exited, "monitoring_type") == "脱贫不稳定户"
    assert value(zw, household(), "monitoring_type") == "边缘易致贫户"
    shock = household(per_capita_disposable_income=9000, previous_year_net_income=20000, rigid_expenditure=35000,
                      risk_types=["01"])
    assert value(zw, shock, "monitoring_type") == "边缘易致贫户"
    assert value(anshan, shock, "monitoring_type") == "突发严重困难户"
    assert value(anshan, household(), "monitoring_type") == "边缘易致贫户"
    assert value(zw, household(per_capita_disposable_income=9000), "monitoring_type") == "非监测对象"


def test_risk_level(zw):
    assert value(zw, household(per_capita_disposable_income=3500), "risk_level") == "高风险"
    assert value(zw, household(housing_secured=False), "risk_level") == "高风险"
    assert value(zw, household(per_capita_disposable_income=4500), "risk_level") == "中风险"
    assert value(zw, household(per_capita_disposable_income=5200), "risk_level") == "低风险"
    assert value(zw, household(per_capita_disposable_income=9000), "risk_level") == "非监测对象"


def test_e11_the_scale_check_warns_above_5_percent(zw):
    monitored = household(id="m", member_count=498)
    registered = household(id="r", household_type="1", member_count=10000, per_capita_disposable_income=9000)
    records = [monitored, registered]
    households, persons, _ = frames_from_records(records, zw.catalogue, needed_fields(zw, zw.rules) | {
        ("household", "member_count"), ("household", "household_type")})
    decisions = run_batch(zw, households, persons, rules=["monitoring_eligible"])
    check = monitoring_scale(zw, households, decisions)
    assert (check.registered_persons, check.monitored_persons, check.cap, check.within) == (10000, 498, 500, True)
    check = monitoring_scale(zw, households, decisions, proposed_persons=4)
    assert not check.within and "警告" in check.as_dict()["message"] and "500" in check.as_dict()["message"]
    assert monitoring_scale(zw, households, decisions.with_columns(pl.lit(False).alias("monitoring_eligible"))
                            ).monitored_persons == 0


def test_the_exit_standard(zw):
    record = household(household_type="1", per_capita_net_income=4500)
    assert value(zw, record, "exit_standard") is True
    assert value(zw, household(record, per_capita_net_income=4000), "exit_standard") is False
    assert value(zw, household(record, safe_drinking_water=False), "exit_standard") is False
    d = decide(zw, household(record, compulsory_education_secured=False), "basic_needs_met")
    assert d.value is False and d.clauses["education"] is False and "义务教育有保障：不成立 no" in d.reasons[3]
