"""Fixtures for the policy engine: the shipped packs, a small catalogue, household builders."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from fupin.policy.engine import Catalogue, FieldDef, evaluate_household, load_folder


def pytest_configure(config):
    config.addinivalue_line("markers", "spark: runs PySpark in local mode (slow start; select with -m spark)")


@pytest.fixture(scope="session")
def shipped():
    packs = load_folder()
    assert not packs.problems, [str(p) for p in packs.problems]
    return packs


def tiny_catalogue() -> Catalogue:
    """A catalogue of its own, so language tests do not depend on the registry's."""
    return Catalogue.of([
        FieldDef("household", "income", "number", "人均收入"),
        FieldDef("household", "size", "number", "人数"),
        FieldDef("household", "expenses", "number", "支出"),
        FieldDef("household", "registered", "bool", "建档立卡"),
        FieldDef("household", "kind", "text", "户类型", {"1": "贫困户", "2": "脱贫户", "3": "一般农户"}),
        FieldDef("household", "risks", "codes", "风险类型", {"01": "因病", "03": "因残"}),
        FieldDef("household", "surveyed_on", "date", "调查日期"),
        FieldDef("person", "birth", "date", "出生日期"),
        FieldDef("person", "earning", "number", "收入"),
        FieldDef("person", "disabled", "bool", "残疾"),
        FieldDef("person", "stage", "text", "在校生状况", {"00": "非在校生", "20": "小学", "40": "普通高中"}),
    ])


# A household that triggers nothing in the monitoring rules except what a test changes.
MONITORING_BASE = dict(
    id="h", household_type="3", rural_hukou_resident=True, military_family=False,
    per_capita_disposable_income=5200, per_capita_net_income=5500, net_income=15000,
    previous_year_net_income=16000, rigid_expenditure=2000, risk_types=[],
    supporter_public_or_stable_job=False, car_value=0, machinery_value=0, bought_commercial_housing=False,
    resettlement_housing=False, enterprise_with_dividend=False, livelihood_business_only=False, large_grower=False,
    long_term_contracting=False, employs_others=False, concealed_assets=False,
    override_village_appraisal=False, override_township_verified=False, override_county_approved=False,
    food_secure=True, clothing_secure=True, basic_medical_secured=True, compulsory_education_secured=True,
    housing_secured=True, safe_drinking_water=True, member_count=2, poverty_attribute="1",
    members=[
        dict(employer_type="none", public_payroll_staff=False, stable_employment=False, annual_income=0,
             current_village_head=False, birth_date="1970-05-01", health="1", labour_skill="1", schooling="00"),
        dict(employer_type="none", public_payroll_staff=False, stable_employment=False, annual_income=0,
             current_village_head=False, birth_date="1972-03-01", health="1", labour_skill="1", schooling="00"),
    ],
)


def household(base: dict | None = None, members: list[dict] | None = None, **changes) -> dict:
    """A copy of `base` (default: MONITORING_BASE) with household fields changed and members replaced or
    updated (a member dict updates the base member at the same position)."""
    record = copy.deepcopy(base or MONITORING_BASE)
    record.update(changes)
    if members is not None:
        old = record.get("members", [])
        record["members"] = [{**(old[i] if i < len(old) else {}), **m} for i, m in enumerate(members)]
    return record


def decide(pack, record, rule: str, as_of: dt.date | None = None):
    """The decision of one rule for one household (asserting it was decided)."""
    return evaluate_household(pack, record, as_of=as_of, rules=[rule])[rule]


def value(pack, record, rule: str, as_of: dt.date | None = None):
    d = decide(pack, record, rule, as_of)
    assert d.status == "ok", (rule, d.status, d.error)
    return d.value
