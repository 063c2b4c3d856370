"""Registry API: the permission matrix, masking per role, PATCH with versions, frozen years, code lists."""

import json

import pytest
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.registry.models import RegistryYear

from .factories import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(dictionaries):
    return make_household()


def _call(client, token, method, url, data=None):
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if method == "get":
        return client.get(url, data or {}, **extra)
    return client.generic(method.upper(), url, json.dumps(data or {}), content_type="application/json", **extra)


def test_list_is_scoped(household, make_user, token_for):
    Matrix("/api/registry/households?year=2020", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           marker=household.household_number, other_area_refused=False).check(make_user, token_for)


def test_detail_township(household, make_user, token_for):
    Matrix(f"/api/registry/households/{household.pk}", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, api=True,
           marker="王福").check(make_user, token_for)


def test_detail_village_clerk(household, make_user, token_for):
    Matrix(f"/api/registry/households/{household.pk}", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           marker="王福").check(make_user, token_for)


def test_patch_household(household, make_user, token_for):
    Matrix(f"/api/registry/households/{household.pk}", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           method="patch", data={"version": 1, "address": "哈尔套镇富有村3号"}, marker="哈尔套镇富有村3号").check(
        make_user, token_for)
    household.refresh_from_db()
    assert household.version == 2


def test_patch_person(household, make_user, token_for):
    son = household.persons.get(relation="20")
    Matrix(f"/api/registry/persons/{son.pk}", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           method="patch", data={"version": 1, "migrant_work_months": 6}, marker='"migrant_work_months": 6').check(
        make_user, token_for)


def test_years(household, make_user, token_for):
    Matrix("/api/registry/years", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, api=True, marker="彰武县",
           other_area_refused=False).check(make_user, token_for)


def test_freeze_through_the_api(household, make_user, token_for):
    Matrix(f"/api/registry/years/{COUNTY}/2020/freeze", Role.COUNTY_ADMIN, COUNTY, OTHER_COUNTY, api=True,
           method="post", data={"note": "年报"}, marker='"frozen": true').check(make_user, token_for)
    assert RegistryYear.objects.get(year=2020).frozen


@pytest.mark.parametrize(("role", "area", "department", "full"), [
    (Role.VILLAGE_CLERK, VILLAGE, "", True),
    (Role.COUNTY_ADMIN, COUNTY, "", True),
    (Role.PAIRING_CADRE, VILLAGE, "", False),
    (Role.DEPARTMENT_USER, COUNTY, "civil_affairs", False),
])
def test_masking_per_role(client, household, make_user, token_for, role, area, department, full):
    token = token_for(make_user(role, area, department=department))
    body = _call(client, token, "get", f"/api/registry/households/{household.pk}").json()
    head = next(p for p in body["persons"] if p["relation"] == "02")
    real = household.persons.get(relation="02").id_number
    assert (head["id_number"] == real) is full
    assert body["pii_visible"] is full
    assert (body["phone"] == "13912345678") is full
    if not full:
        assert head["id_number"] == real[:6] + "*" * 10 + real[-2:] and body["phone"] == "139****5678"


def test_stale_patch_is_409_and_changes_nothing(client, household, make_user, token_for):
    token = token_for(make_user(Role.VILLAGE_CLERK, VILLAGE))
    assert _call(client, token, "patch", f"/api/registry/households/{household.pk}",
                 {"version": 1, "address": "一"}).status_code == 200
    response = _call(client, token, "patch", f"/api/registry/households/{household.pk}", {"version": 1, "address": "二"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale_version"
    assert response.json()["error"]["details"]["current_version"] == 2
    household.refresh_from_db()
    assert household.address == "一"


def test_invalid_patch_is_400_with_every_problem(client, household, make_user, token_for):
    token = token_for(make_user(Role.VILLAGE_CLERK, VILLAGE))
    response = _call(client, token, "patch", f"/api/registry/households/{household.pk}",
                     {"version": 1, "main_cause": "88", "phone": "123"})
    assert response.status_code == 400
    fields = {p["field"] for p in response.json()["error"]["details"]["problems"]}
    assert fields == {"main_cause", "phone"}


def test_patch_of_a_field_not_editable_is_refused(client, household, make_user, token_for):
    token = token_for(make_user(Role.VILLAGE_CLERK, VILLAGE))
    response = _call(client, token, "patch", f"/api/registry/households/{household.pk}",
                     {"version": 1, "status": "exited"})
    assert response.status_code == 422
    assert "status" in json.dumps(response.json()["error"]["details"])
    household.refresh_from_db()
    assert household.status == "registered"


def test_patch_in_a_frozen_year_is_423(client, household, make_user, token_for):
    admin = token_for(make_user(Role.COUNTY_ADMIN, COUNTY))
    assert _call(client, admin, "post", f"/api/registry/years/{COUNTY}/2020/freeze", {"note": ""}).status_code == 200
    clerk = token_for(make_user(Role.VILLAGE_CLERK, VILLAGE))
    response = _call(client, clerk, "patch", f"/api/registry/households/{household.pk}", {"version": 1, "address": "x"})
    assert response.status_code == 423 and response.json()["error"]["code"] == "year_frozen"
    response = _call(client, admin, "post", f"/api/registry/years/{COUNTY}/2020/unfreeze", {"note": ""})
    assert response.status_code == 400 and "原因" in response.json()["error"]["message"]


def test_pairing_cadre_cannot_patch(client, household, make_user, token_for):
    token = token_for(make_user(Role.PAIRING_CADRE, VILLAGE))
    response = _call(client, token, "patch", f"/api/registry/households/{household.pk}", {"version": 1, "address": "x"})
    assert response.status_code in (403, 404)


def test_list_filters_and_search(client, household, make_user, token_for, dictionaries):
    exited = make_household(status="exited", exit_year=2019)
    token = token_for(make_user(Role.VILLAGE_CLERK, VILLAGE))
    body = _call(client, token, "get", "/api/registry/households", {"status": "exited"}).json()
    assert [h["household_number"] for h in body["items"]] == [exited.household_number]
    body = _call(client, token, "get", "/api/registry/households", {"q": "王浩"}).json()
    assert body["count"] == 2


def test_dictionary_endpoint(client, household, make_user, token_for):
    token = token_for(make_user(Role.VILLAGE_CLERK, VILLAGE))
    body = _call(client, token, "get", "/api/registry/dictionaries/risk_type", {"on": "2020-06-01"}).json()
    assert {"code": "05", "label": "因疫"} in body
    assert _call(client, token, "get", "/api/registry/dictionaries/nothing").status_code == 404
