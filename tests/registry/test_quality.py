"""数据质量: each check finds the households it describes, and only those, within the reader's areas."""

import datetime as dt
from decimal import Decimal

import pytest
from support.places import OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core.errors import NotFound, PermissionDenied, ValidationFailed
from fupin.registry.models import Household, Person
from fupin.registry.quality import CHECKS, quality_issues, quality_run

from .factories import family, make_household, member

pytestmark = pytest.mark.django_db

MET = {"food_secure": True, "clothing_secure": True, "compulsory_education_secured": True,
       "basic_medical_secured": True, "housing_secured": True, "safe_drinking_water": True}
RICH = {"wage_income": Decimal("40000.00")}  # per capita well over twice the 4000-yuan line


@pytest.fixture
def cadre(make_user):
    return make_user(Role.PAIRING_CADRE, VILLAGE)


@pytest.fixture
def officer(make_user):
    return make_user(Role.COUNTY_OFFICER, "210922")


def _checks(issues, household) -> set[str]:
    return {i.check for i in issues if i.household_id == household.pk}


def test_every_check_cites_its_source():
    assert len({c.id for c in CHECKS}) == len(CHECKS)
    for check in CHECKS:
        assert "「" in check.source and "」" in check.source, check.id


def test_a_sound_household_has_no_issues(dictionaries, cadre, officer):
    h = make_household(pairing_cadre=cadre, **MET)
    assert _checks(quality_issues(actor=officer, year=2020), h) == set()


def test_two_should_two_should_not(dictionaries, cadre, officer):
    exited_poor = make_household(status="exited", exit_year=2019, pairing_cadre=cadre, **MET)
    exited_unmet = make_household(status="exited", exit_year=2019, pairing_cadre=cadre,
                                  **{**MET, "housing_secured": False}, **RICH)
    missed_exit = make_household(status="registered", first_identified_on=dt.date(2016, 5, 1), pairing_cadre=cadre,
                                 **MET, **RICH)
    wrong_in = make_household(status="registered", first_identified_on=dt.date(2020, 4, 1), pairing_cadre=cadre,
                              **MET, **RICH)
    candidate_poor = make_household(status="candidate", **MET)
    removed_dibao = make_household(status="removed", poverty_attribute="2", transfer_income=Decimal("3000"),
                                   assistance_income=Decimal("2400"), **MET, **RICH)
    issues = quality_issues(actor=officer, year=2020)
    assert _checks(issues, exited_poor) == {"wrong_exit_income"}
    assert _checks(issues, exited_unmet) == {"wrong_exit_needs"}
    assert _checks(issues, missed_exit) == {"missed_exit"}
    assert _checks(issues, wrong_in) == {"wrong_registration"}
    assert _checks(issues, candidate_poor) == {"missed_registration_income"}
    assert _checks(issues, removed_dibao) == {"missed_registration_assistance"}
    message = next(i for i in issues if i.household_id == exited_poor.pk).message
    assert "3500.00元" in message and "4000" in message
    unmet = next(i for i in issues if i.household_id == exited_unmet.pk)
    assert "住房安全有保障" in unmet.message


def test_record_consistency(dictionaries, cadre, officer):
    kw = {"pairing_cadre": cadre, **MET}
    count = make_household(**kw)
    Household.objects.filter(pk=count.pk).update(member_count=5)
    headless = make_household(members=family()[1:] + [member("王丽", "30", "2", dt.date(1992, 1, 5))], **kw)
    arithmetic = make_household(**kw)
    Household.objects.filter(pk=arithmetic.pk).update(total_income=Decimal("99.00"))
    per_capita = make_household(**kw)
    Household.objects.filter(pk=per_capita.pk).update(per_capita_net_income=Decimal("3500.01"))
    wrong_id = make_household(**kw)
    Person.objects.filter(household=wrong_id, relation="02").update(birth_date=dt.date(1961, 3, 2), sex="2")
    child = family() + [member("王小明", "40", "1", dt.date(2010, 9, 1), schooling="00")]
    dropout = make_household(members=child, **kw)
    old_pupil = make_household(members=family()[:2] + [member("王浩", "20", "1", dt.date(1990, 11, 30),
                                                                schooling="20")], **kw)
    dangerous = make_household(**{**kw, "housing_grade": "D"})
    no_cadre = make_household(**MET)
    issues = quality_issues(actor=officer, year=2020)
    assert _checks(issues, count) == {"member_count", "per_capita"}
    assert _checks(issues, headless) == {"head_count"}
    assert _checks(issues, arithmetic) == {"income_arithmetic"}
    assert _checks(issues, per_capita) == {"per_capita"}
    assert _checks(issues, wrong_id) == {"id_consistency"}
    assert _checks(issues, dropout) == {"school_age_not_in_school"}
    assert _checks(issues, old_pupil) == {"schooling_age"}
    assert _checks(issues, dangerous) == {"dangerous_house_secured"}
    assert _checks(issues, no_cadre) == {"missing_cadre"}
    id_issue = next(i for i in issues if i.check == "id_consistency")
    assert id_issue.values["id_birth"] == "1960-03-02" and id_issue.values["id_sex"] == "男"
    numbers = set(Person.objects.values_list("id_number", flat=True))
    assert not any(n in i.message or n in str(i.values) for n in numbers for i in issues)  # never a certificate


def test_child_out_of_school_is_consistent_when_education_marked_unsecured(dictionaries, cadre, officer):
    child = family() + [member("王小明", "40", "1", dt.date(2010, 9, 1), schooling="00")]
    h = make_household(members=child, pairing_cadre=cadre, **{**MET, "compulsory_education_secured": False})
    assert "school_age_not_in_school" not in _checks(quality_issues(actor=officer, year=2020), h)


def test_across_years(dictionaries, cadre, officer):
    kw = {"pairing_cadre": cadre, **MET}
    gone = make_household(year=2019, number="210922101202900001", **kw)
    make_household(year=2019, number="210922101202900002", status="natural_decrease", **kw)
    same = family()
    make_household(year=2019, number="210922101202900003", members=same, status="exited", exit_year=2018, **kw)
    jumped = make_household(year=2020, number="210922101202900003", members=same, status="candidate", **kw, **RICH)
    people = family()
    make_household(year=2019, number="210922101202900004", members=people, **kw)
    shrunk = make_household(year=2020, number="210922101202900004", members=people[:2], **kw)
    mover = member("赵强", "02", "1", dt.date(1970, 1, 1))
    make_household(year=2019, number="210922101202900005", members=[mover], status="natural_decrease", **kw)
    moved = make_household(year=2020, number="210922101202900006", members=[mover], status="exited", exit_year=2020,
                           **kw)
    issues = quality_issues(actor=officer, year=2020)
    vanished = [i for i in issues if i.check == "household_vanished"]
    assert [(i.household_id, i.year) for i in vanished] == [(gone.pk, 2019)]
    assert _checks(issues, jumped) == {"status_jump"}
    assert "已脱贫" in next(i.message for i in issues if i.check == "status_jump")
    assert _checks(issues, shrunk) == {"member_vanished"}
    assert "王浩" in next(i.message for i in issues if i.check == "member_vanished")
    assert _checks(issues, moved) == {"person_changed_household"}


def test_no_vanishing_before_the_year_is_entered(dictionaries, cadre, officer):
    make_household(year=2019, pairing_cadre=cadre, **MET)
    assert [i for i in quality_issues(actor=officer, year=2020) if i.check == "household_vanished"] == []


def test_scoped_to_the_readers_areas(dictionaries, make_user, officer):
    here = make_household(status="candidate")
    there = make_household(village=OTHER_VILLAGE, status="candidate")
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    seen = {i.household_id for i in quality_issues(actor=clerk, year=2020)}
    assert here.pk in seen and there.pk not in seen
    township = make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)
    assert {here.pk, there.pk} <= {i.household_id for i in quality_issues(actor=township, year=2020)}
    narrowed = {i.household_id for i in quality_issues(actor=township, year=2020, area_code=OTHER_VILLAGE)}
    assert there.pk in narrowed and here.pk not in narrowed
    with pytest.raises(NotFound):
        quality_issues(actor=clerk, year=2020, area_code=OTHER_VILLAGE)
    with pytest.raises(PermissionDenied):
        quality_issues(actor=make_user(None), year=2020)


def test_without_a_policy_pack_the_income_checks_are_skipped_and_said_so(dictionaries, officer):
    h = make_household(year=2030, status="candidate")
    run = quality_run(actor=officer, year=2030)
    assert "missed_registration_income" not in _checks(run.issues, h)
    assert "missing_cadre" not in _checks(run.issues, h)  # a candidate needs no cadre yet
    assert any("没有适用的政策包" in s for s in run.skipped)


def test_unknown_check_is_refused(dictionaries, officer):
    with pytest.raises(ValidationFailed):
        quality_run(actor=officer, year=2020, checks=["nope"])
