"""建档 and 新增成员 through the pages and the API (village clerk): validation, one head, stale edits, audit."""

import datetime as dt
import json

import pytest
from django.test import Client
from support.matrix import Matrix
from support.places import COUNTY, OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.registry.models import Household, Person
from fupin.registry.services import registry_year_freeze

from .factories import id_number, make_household

pytestmark = pytest.mark.django_db

HEAD_BIRTH = dt.date(1975, 4, 12)


@pytest.fixture
def clerk(dictionaries, make_user):
    make_household()  # the county's 2020 registry year exists
    return make_user(Role.VILLAGE_CLERK, VILLAGE)


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _create_form(**changes) -> dict:
    data = {"year": "2020", "village": VILLAGE, "household_number": "", "address": "哈尔套镇富有村五组7号",
            "phone": "13600001234", "identification_standard": "1", "poverty_attribute": "1", "main_cause": "01",
            "wage_income": "3000", "business_income": "2000", "property_income": "0", "transfer_income": "800",
            "assistance_income": "0", "production_costs": "500", "transfer_expenses": "0",
            "head-name": "孙建国", "head-id_type": "01", "head-id_number": id_number(HEAD_BIRTH, "1", seq=31),
            "head-sex": "1", "head-birth_date": HEAD_BIRTH.isoformat(), "head-ethnicity": "01", "head-health": "1",
            "head-labour_skill": "1", "head-migrant_work_months": "0"}
    data.update(changes)
    return data


def _member_form(household, **changes) -> dict:
    birth = dt.date(2008, 6, 1)
    data = {"version": household.version, "name": "王小雨", "id_type": "01", "id_number": id_number(birth, "2", seq=44),
            "sex": "2", "birth_date": birth.isoformat(), "relation": "41", "ethnicity": "01", "health": "1",
            "schooling": "30", "migrant_work_months": "0"}
    data.update(changes)
    return data


def test_create_page_matrix(clerk, make_user, token_for):
    Matrix("/registry/households/new/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker="富有村委会",
           other_area_refused=False).check(make_user, token_for)


def test_pairing_cadre_may_not_create(clerk, make_user):
    assert _client(make_user(Role.PAIRING_CADRE, VILLAGE)).get("/registry/households/new/").status_code == 403


def test_create_a_household_with_its_head(clerk):
    response = _client(clerk).post("/registry/households/new/", _create_form())
    assert response.status_code == 302
    h = Household.objects.get(address="哈尔套镇富有村五组7号")
    assert h.status == "candidate" and h.member_count == 1 and str(h.per_capita_net_income) == "5300.00"
    assert h.household_number.startswith(VILLAGE)
    head = h.persons.get()
    assert head.relation == "02" and head.person_number == h.household_number + "01"
    assert AuditEvent.objects.filter(action="household.create", target_id=str(h.pk), actor_id=clerk.pk).exists()


@pytest.mark.parametrize(("changes", "field_text"), [
    ({"head-id_number": "210922197504123110"}, "校验"),  # wrong check digit
    ({"head-birth_date": "1975-04-13"}, "不一致"),  # birth date against the ID number
    ({"head-sex": "2"}, "不一致"),  # sex against the 17th digit
    ({"head-name": ""}, "必填"),
    ({"main_cause": "XX"}, "有效"),  # a code outside the dictionary
    ({"wage_income": "-5"}, "0"),  # a negative income component
    ({"transfer_income": "100", "assistance_income": "500"}, "转移性收入"),
    ({"village": OTHER_VILLAGE}, "有效"),  # a village outside the clerk's areas is not offered
    ({"household_number": "12ab"}, "户编号应为数字"),
    ({"phone": "12345"}, "电话"),
])
def test_create_refuses_bad_input_and_writes_nothing(clerk, changes, field_text):
    before = Household.objects.count()
    response = _client(clerk).post("/registry/households/new/", _create_form(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert field_text in html, html[html.find('class="field-error"') - 200:][:600]
    assert Household.objects.count() == before


def test_create_refuses_a_person_registered_in_another_household(clerk):
    taken = Person.objects.filter(relation="02").first()
    response = _client(clerk).post("/registry/households/new/", _create_form(**{
        "head-id_number": taken.id_number, "head-birth_date": taken.birth_date.isoformat(), "head-sex": taken.sex}))
    assert response.status_code == 200 and taken.household.household_number in response.content.decode()
    assert Household.objects.count() == 1


def test_create_in_a_frozen_year_is_refused(clerk, make_user):
    registry_year_freeze(actor=make_user(Role.COUNTY_ADMIN, COUNTY), county_code=COUNTY, year=2020)
    response = _client(clerk).post("/registry/households/new/", _create_form())
    assert response.status_code == 200 and "已封存" in response.content.decode()
    assert Household.objects.count() == 1


def test_add_member_page_matrix(clerk, make_user, token_for):
    h = Household.objects.get()
    Matrix(f"/registry/households/{h.pk}/persons/new/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE,
           marker=h.household_number).check(make_user, token_for)


def test_add_a_member(clerk):
    h = Household.objects.get()
    response = _client(clerk).post(f"/registry/households/{h.pk}/persons/new/", _member_form(h))
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.member_count == 4 and h.version == 2 and str(h.per_capita_net_income) == "2625.00"
    assert h.persons.filter(name="王小雨", person_number=h.household_number + "04").exists()
    event = AuditEvent.objects.filter(action="household.update", target_id=str(h.pk)).latest("seq")
    added = event.details["members_added"][0]
    assert added["name"] == "王小雨" and "*" in added["id_number"]  # the audit trail keeps the number masked


def test_add_a_second_head_is_refused(clerk):
    h = Household.objects.get()
    response = _client(clerk).post(f"/registry/households/{h.pk}/persons/new/", _member_form(h, relation="02"))
    assert response.status_code == 200 and "户主" in response.content.decode()
    assert h.persons.count() == 3


def test_add_member_with_a_stale_version_is_refused_and_kept(clerk):
    h = Household.objects.get()
    stale = _member_form(h)
    _client(clerk).post(f"/registry/households/{h.pk}/persons/new/", _member_form(
        h, name="王小雪", id_number=id_number(dt.date(2009, 1, 1), "2", seq=46), birth_date="2009-01-01"))
    response = _client(clerk).post(f"/registry/households/{h.pk}/persons/new/", stale)
    html = response.content.decode()
    assert response.status_code == 200 and "已被他人修改" in html and "王小雨" in html
    assert not h.persons.filter(name="王小雨").exists()
    assert 'name="version" value="2"' in html  # a second save, after checking, applies it


def test_add_member_refuses_bad_id(clerk):
    h = Household.objects.get()
    response = _client(clerk).post(f"/registry/households/{h.pk}/persons/new/",
                                   _member_form(h, id_number="21092220080601441X"))
    assert response.status_code == 200 and "证件号码" in response.content.decode()
    assert h.persons.count() == 3


# ------------------------------------------------------------------------------------------------ API

def _api(user, token_for, method, url, data):
    return Client().generic(method, url, json.dumps(data), content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")


def _payload(**changes):
    payload = {"year": 2020, "village": VILLAGE, "address": "富有村六组1号", "main_cause": "01",
               "wage_income": "4000", "persons": [{
                   "name": "周红", "id_type": "01", "id_number": id_number(dt.date(1980, 2, 2), "2", seq=52),
                   "sex": "2", "birth_date": "1980-02-02", "relation": "02", "ethnicity": "01"}]}
    payload.update(changes)
    return payload


def test_api_create_matrix(clerk, make_user, token_for):
    Matrix("/api/registry/households", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True, method="post",
           data=_payload(), ok_status=201, marker="周红").check(make_user, token_for)
    assert Household.objects.filter(address="富有村六组1号").count() == 1


def test_api_create_refuses_bad_input(clerk, token_for):
    two_heads = _payload(persons=[*_payload()["persons"], {
        "name": "周强", "id_type": "01", "id_number": id_number(dt.date(1978, 3, 3), "1", seq=53), "sex": "1",
        "birth_date": "1978-03-03", "relation": "02"}])
    response = _api(clerk, token_for, "POST", "/api/registry/households", two_heads)
    assert response.status_code == 400
    assert any("户主" in p["message"] for p in response.json()["error"]["details"]["problems"])
    response = _api(clerk, token_for, "POST", "/api/registry/households", _payload(status="exited"))
    assert response.status_code == 422  # a field that is not entered here
    response = _api(clerk, token_for, "POST", "/api/registry/households", _payload(persons=[]))
    assert response.status_code == 400 and "户主" in response.json()["error"]["message"]
    assert Household.objects.count() == 1


def test_api_add_member(clerk, make_user, token_for):
    h = Household.objects.get()
    member = {k: v for k, v in _member_form(h).items()}
    member["migrant_work_months"] = 0
    Matrix(f"/api/registry/households/{h.pk}/persons", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           method="post", data=member, ok_status=201, marker="王小雨").check(make_user, token_for)
    response = _api(clerk, token_for, "POST", f"/api/registry/households/{h.pk}/persons",
                    {**member, "name": "王小雪", "id_number": id_number(dt.date(2009, 1, 1), "2", seq=46),
                     "birth_date": "2009-01-01"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "stale_version"
    assert h.persons.count() == 4
