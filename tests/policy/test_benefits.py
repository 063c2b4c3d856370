"""Calculators and lists of the shipped packs, from the worked examples of spec parts 01–03."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import decide, value

REGISTERED = dict(id="h", household_type="2", poverty_attribute="1", member_count=3, per_capita_net_income=6000)


def members(*people):
    return {"members": [dict(p) for p in people]}


@pytest.fixture(scope="module")
def packs(shipped):
    return shipped


# ---- PV deep-poverty recipients (spec part 03 E16) ---------------------------------------------------

def pv_record(*people, **extra):
    return {**REGISTERED, "major_disaster_loss": False, "village_assembly_recognised": False, **extra,
            "members": [{"lonely_elderly": False, "orphan": False, "disability_grade": None, "labour_skill": "1",
                         "recognised_major_disease": False, "schooling": "00", "birth_date": "1980-01-01", **p}
                        for p in people]}


@pytest.mark.parametrize(("person", "expected"), [
    ({"lonely_elderly": True, "birth_date": "1954-06-01"}, True),  # (a) lonely, 66
    ({"lonely_elderly": False, "birth_date": "1950-06-01"}, False),  # (b) 70 but lives with an able son
    ({"disability_grade": "3", "labour_skill": "4"}, False),  # (c) grade 3
    ({"disability_grade": "2", "labour_skill": "4"}, True),  # (d) grade 2, lost labour capacity
    ({"disability_grade": None, "labour_skill": "4"}, False),  # lost labour, no disability grade: decided, no error
    ({"lonely_elderly": True, "birth_date": "1955-12-31"}, True),  # boundary: exactly 65 ("以上" includes 65)
    ({"orphan": True, "birth_date": "2004-12-31"}, True),  # orphan aged 16 ("以下" includes 16)
    ({"orphan": True, "birth_date": "2003-12-30"}, False),  # orphan aged 17
])
def test_e16_pv_deep_poverty_conditions(packs, person, expected):
    assert value(packs.get("zhangwu-2020@1"), pv_record(person), "pv_deep_poverty") is expected


def test_e16_two_senior_high_students_qualify_one_does_not(packs):
    zw = packs.get("zhangwu-2020@1")
    assert value(zw, pv_record({"schooling": "40"}, {"schooling": "60"}), "pv_deep_poverty") is True
    assert value(zw, pv_record({"schooling": "40"}, {"schooling": "30"}), "pv_deep_poverty") is False
    assert value(zw, pv_record({"schooling": "40"}, village_assembly_recognised=True), "pv_deep_poverty") is True
    assert value(zw, pv_record({"lonely_elderly": True, "birth_date": "1940-01-01"}, household_type="3"),
                 "pv_deep_poverty") is False


# ---- micro-credit (E18, E19) ----------------------------------------------------------------------------

def loan(age_years: int, term: float, amount: float = 30000, **extra):
    born = dt.date(2020 - age_years, 1, 1)
    return {**REGISTERED, "loan_applicant_birth_date": born.isoformat(), "loan_application_date": "2020-06-01",
            "loan_term_years": term, "loan_amount": amount, "loan_has_other_outstanding": False,
            "loan_for_production": True, **extra}


@pytest.mark.parametrize(("age", "term", "eligible", "failing"), [
    (45, 3, True, None), (58, 3, False, "age_plus_term"), (58, 2, True, None), (17, 1, False, "adult")])
def test_e18_age_and_term(packs, age, term, eligible, failing):
    d = decide(packs.get("zhangwu-2020@1"), loan(age, term), "microcredit_eligible")
    assert d.value is eligible
    if failing:
        assert d.clauses[failing] is False


def test_e19_amount_cap_and_outstanding_loans(packs):
    zw = packs.get("zhangwu-2020@1")
    assert value(zw, loan(40, 2, 50000), "microcredit_eligible") is True
    assert decide(zw, loan(40, 2, 60000), "microcredit_eligible").clauses["amount"] is False
    assert value(zw, loan(40, 2, 20000, loan_has_other_outstanding=True), "microcredit_eligible") is False
    assert value(zw, loan(40, 4, 20000), "microcredit_eligible") is False
    assert value(zw, loan(40, 2, household_type="3"), "microcredit_eligible") is False


def test_a_household_without_a_loan_application_is_not_applicable(packs):
    d = decide(packs.get("zhangwu-2020@1"), REGISTERED, "microcredit_eligible")
    assert d.status == "not_applicable" and "loan_amount" in d.reasons[0]


# ---- medical (E28 Benxi, E29 Zhangwu) ------------------------------------------------------------------

@pytest.mark.parametrize(("self_paid", "amount"), [(1800, 0), (2000, 1000), (10000, 5000), (300000, 100000)])
def test_e28_benxi_medical_assistance(packs, self_paid, amount):
    record = {**REGISTERED, **members({"medical_self_paid": self_paid})}
    assert value(packs.get("benxi-2019@1"), record, "medical_assistance") == amount


def test_e28_medical_assistance_sums_members_and_each_is_capped(packs):
    record = {**REGISTERED, **members({"medical_self_paid": 300000}, {"medical_self_paid": 10000},
                                      {"medical_self_paid": 500})}
    d = decide(packs.get("benxi-2019@1"), record, "medical_assistance")
    assert d.value == 105000 and d.as_dict()["value"] == "105000.00"
    assert d.explanation[-1]["tree"]["children"][0]["members"] == [100000, 5000, None]


def test_e29_zhangwu_supplementary_insurance_only_after_the_three_layers(packs):
    zw = packs.get("zhangwu-2020@1")
    done = {**REGISTERED, **members({"health": "2", "medical_three_layers_done": True,
                                     "medical_burden_after_three_layers": 12000})}
    assert value(zw, done, "medical_supplementary") == 6000
    skipped = {**REGISTERED, **members({"health": "2", "medical_three_layers_done": False,
                                        "medical_burden_after_three_layers": 12000})}
    assert value(zw, skipped, "medical_supplementary") == 0
    healthy = {**REGISTERED, **members({"health": "1", "medical_three_layers_done": True,
                                        "medical_burden_after_three_layers": 12000})}
    assert value(zw, healthy, "medical_supplementary") == 0


# ---- education (E30, E31; part 01 #33) -----------------------------------------------------------------

def students(*stages_boarding):
    return {**REGISTERED, "members": [{"schooling": s, "boarding": b} for s, b in stages_boarding]}


def test_e30_benxi_exited_household_grants(packs):
    record = students(("40", False), ("60", False), ("30", True))
    assert value(packs.get("benxi-2019@1"), record, "education_grant") == 9250


def test_e31_the_same_children_in_fushun_and_benxi(packs):
    record = students(("10", False), ("20", True), ("45", False))
    assert value(packs.get("fushun-2018-2020@1"), record, "education_grant", dt.date(2019, 9, 1)) == 4200
    assert value(packs.get("benxi-2019@1"), record, "education_grant") == 5200


def test_benxi_non_boarders_in_compulsory_school_get_500(packs):
    assert value(packs.get("benxi-2019@1"), students(("20", False), ("30", False)), "education_grant") == 1000


def test_zhangwu_education_2018_against_2020(packs):
    record = students(("10", False), ("20", True), ("30", True), ("40", False))
    # 2018 plan: preschool fee waiver 1000, boarders 1000 and 1250, senior high 2000
    assert value(packs.get("zhangwu-2018@1"), record, "education_grant") == 1000 + 1000 + 1250 + 2000
    # 2020 plan: preschool 100 a month (10 months), senior high 2000; no boarding amounts named
    assert value(packs.get("zhangwu-2020@1"), record, "education_grant") == 1000 + 2000
    assert value(packs.get("zhangwu-2020@1"), students(("10", False)), "education_grant") == 1000


# ---- housing (E32, E33; part 01 #32) --------------------------------------------------------------------

def test_e32_benxi_housing_subsidies(packs):
    bx = packs.get("benxi-2019@1")
    grades = ["C", "C", "C", "D", "D"]
    total = sum(value(bx, {**REGISTERED, "housing_grade": g}, "housing_subsidy") for g in grades)
    assert total == 105000
    assert value(bx, {**REGISTERED, "housing_grade": "A"}, "housing_subsidy") == 0


@pytest.mark.parametrize(("size", "area", "self_funded", "original", "ok"), [
    (3, 70, False, 80, False), (3, 70, True, 65, False), (3, 64, True, 65, True), (3, 55, False, 80, True),  # E33
    (1, 18, False, 50, False), (2, 55, False, 50, True), (5, 95, False, 100, False), (4, 50, False, 60, False),
    (5, 80, False, 100, True),  # part 01 #32
    (6, 110, True, 120, True), (6, 110, True, 100, False),
])
def test_renovation_area(packs, size, area, self_funded, original, ok):
    record = {**REGISTERED, "member_count": size, "renovation_planned_area": area, "renovation_self_funded": self_funded,
              "housing_area": original}
    assert value(packs.get("zhangwu-2020@1"), record, "renovation_area_ok") is ok


# ---- drinking water (E34) -----------------------------------------------------------------------------

@pytest.mark.parametrize(("water", "ok"), [
    ({"water_supply_mode": "dispersed", "water_fetch_minutes": 12, "water_horizontal_m": 300, "water_vertical_m": 20},
     False),
    ({"water_supply_mode": "dispersed", "water_fetch_minutes": 8, "water_horizontal_m": 350, "water_vertical_m": 30},
     True),
    ({"water_supply_mode": "centralised", "water_guarantee_rate": 0.94}, False),
    ({"water_supply_mode": "centralised", "water_guarantee_rate": 0.95}, True),
])
def test_e34_drinking_water(packs, water, ok):
    assert value(packs.get("zhangwu-2020@1"), {**REGISTERED, **water}, "drinking_water_ok") is ok


# ---- social assistance (E35, E36; part 02 E27) -----------------------------------------------------------

def test_e35_tieling_dibao_and_tekun_standards(packs):
    tl = packs.get("tieling-2019@1")
    assert value(tl, REGISTERED, "dibao_standard_in_force", dt.date(2019, 12, 31)) == 4770
    assert value(tl, REGISTERED, "dibao_standard_in_force", dt.date(2019, 6, 30)) == 4350
    assert value(tl, REGISTERED, "tekun_standard_min", dt.date(2019, 12, 31)) == 6201
    assert value(tl, {**REGISTERED, "per_capita_net_income": 4500}, "below_dibao_standard") is True


@pytest.mark.parametrize(("months", "allowed"), [(30, False), (24, True), (6, True)])
def test_e36_dibao_phaseout_is_at_most_two_years(packs, months, allowed):
    assert value(packs.get("tieling-2019@1"), {**REGISTERED, "dibao_phaseout_months": months},
                 "dibao_phaseout_allowed") is allowed


@pytest.mark.parametrize(("situation", "skill", "expected"), [
    ("irregular", "1", "每季度复核一次"), ("stable", "1", "每年复核一次"), ("short_term_stable", "1", "每半年复核一次"),
    ("irregular", "5", "每半年复核一次")])
def test_dibao_review_frequency(packs, situation, skill, expected):
    record = {**REGISTERED, "poverty_attribute": "2", "dibao_situation": situation, "members": [{"labour_skill": skill}]}
    assert value(packs.get("zhangwu-2020@1"), record, "dibao_review_frequency") == expected


# ---- the under-5,000 lists: the same income is on one list and not on another -----------------------

@pytest.mark.parametrize(("pack", "income", "listed"), [
    ("zhangwu-2020@1", 4999, True), ("zhangwu-2020@1", 5000, False),
    ("anshan-2020@1", 5000, False), ("benxi-2019@1", 5000, True), ("benxi-2019@1", 5001, False)])
def test_low_income_lists(packs, pack, income, listed):
    assert value(packs.get(pack), {**REGISTERED, "per_capita_net_income": income}, "low_income_list") is listed


def test_benxi_focus_on_ordinary_poor_and_small_dibao_money(packs):
    bx = packs.get("benxi-2019@1")
    base = {**REGISTERED, "per_capita_net_income": 4000, "assistance_income": 3000}
    assert value(bx, base, "low_income_focus") is True  # 一般贫困户
    dibao = {**base, "poverty_attribute": "2"}
    assert value(bx, dibao, "low_income_focus") is False  # 250 a month
    assert value(bx, {**dibao, "assistance_income": 2000}, "low_income_focus") is True  # 166.67 a month


def test_part01_project_subsidy_allocation_basis(packs):
    zw = packs.get("zhangwu-2020@1")
    assert value(zw, {**REGISTERED, "household_type": "1", "member_count": 2}, "project_subsidy_basis") == 4000
    assert value(zw, {**REGISTERED, "member_count": 3, "per_capita_net_income": 4800}, "project_subsidy_basis") == 4500
    assert value(zw, {**REGISTERED, "member_count": 3}, "project_subsidy_basis") == 3000
    assert value(zw, {**REGISTERED, "household_type": "3"}, "project_subsidy_basis") == 0

