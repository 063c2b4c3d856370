"""Stored data-quality results: run once per county and year, read again until the county's data
changes, always narrowed to the reader's areas."""

import pytest
from support.places import OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Role
from fupin.registry.models import Person, QualityIssueRecord, QualityResult
from fupin.registry.quality_store import stored_run

from .factories import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(Role.COUNTY_OFFICER, "210922")


def test_a_stored_result_is_read_until_the_data_changes(dictionaries, officer):
    first = make_household(pairing_cadre=None)
    run = stored_run(actor=officer, year=2020)
    result = QualityResult.objects.get()
    assert {i.household_id for i in run.issues} == {first.pk} and run.computed_at == result.computed_at
    assert QualityIssueRecord.objects.filter(result=result).count() == len(run.issues)

    again = stored_run(actor=officer, year=2020)
    assert QualityResult.objects.get().pk == result.pk  # nothing changed: not run again
    assert [i.message for i in again.issues] == [i.message for i in run.issues]

    second = make_household(pairing_cadre=None)  # a change: the next read runs the checks again
    changed = stored_run(actor=officer, year=2020)
    assert QualityResult.objects.get().pk != result.pk
    assert {i.household_id for i in changed.issues} == {first.pk, second.pk}

    Person.objects.filter(household=second).exclude(relation="02").delete()  # members gone, household untouched
    assert stored_run(actor=officer, year=2020).issues != changed.issues


def test_refresh_runs_again(dictionaries, officer):
    make_household(pairing_cadre=None)
    stored_run(actor=officer, year=2020)
    before = QualityResult.objects.get().pk
    stored_run(actor=officer, year=2020, refresh=True)
    assert QualityResult.objects.get().pk != before


def test_readers_see_only_their_areas_of_the_county_result(dictionaries, officer, make_user):
    ours = make_household(village=VILLAGE, pairing_cadre=None)
    theirs = make_household(village=OTHER_VILLAGE, pairing_cadre=None)
    assert {i.household_id for i in stored_run(actor=officer, year=2020).issues} == {ours.pk, theirs.pk}
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    run = stored_run(actor=clerk, year=2020)
    assert {i.household_id for i in run.issues} == {ours.pk} and run.households == 1
    assert QualityResult.objects.count() == 1  # the clerk read the county's stored result


def test_the_page_offers_a_new_check(client, dictionaries, officer):
    make_household(pairing_cadre=None)
    client.force_login(officer)
    page = client.get("/registry/quality/?year=2020").content.decode()
    assert "检查时间" in page and "重新检查" in page
    before = QualityResult.objects.get().pk
    assert client.post("/registry/quality/?year=2020").status_code == 200
    assert QualityResult.objects.get().pk != before
