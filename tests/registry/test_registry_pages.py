"""Registry pages: the permission matrix, masking per role, search and filters, editing with versions."""

import pytest
from django.test import Client
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.registry.models import Household
from fupin.registry.services import household_update, registry_year_freeze

from .factories import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(dictionaries):
    return make_household()


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_list_shows_only_own_village(household, make_user, token_for):
    Matrix("/registry/?year=2020", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=household.household_number,
           other_area_refused=False).check(make_user, token_for)


def test_list_for_township_reviewer(household, make_user, token_for):
    Matrix("/registry/?year=2020", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP,
           marker=household.household_number, other_area_refused=False).check(make_user, token_for)


def test_detail_village_clerk(household, make_user, token_for):
    Matrix(f"/registry/households/{household.pk}/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE,
           marker="王福").check(make_user, token_for)


def test_detail_pairing_cadre(household, make_user, token_for):
    Matrix(f"/registry/households/{household.pk}/", Role.PAIRING_CADRE, VILLAGE, OTHER_VILLAGE,
           marker="王福").check(make_user, token_for)


def test_detail_department_user_in_another_county(household, make_user, token_for):
    Matrix(f"/registry/households/{household.pk}/", Role.DEPARTMENT_USER, COUNTY, OTHER_COUNTY, marker="王福",
           department="medical_insurance").check(make_user, token_for)


def test_edit_page(household, make_user, token_for):
    Matrix(f"/registry/households/{household.pk}/edit/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE,
           marker="编辑户信息").check(make_user, token_for)


def test_person_edit_page(household, make_user, token_for):
    person = household.persons.get(relation="20")
    Matrix(f"/registry/persons/{person.pk}/edit/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE,
           marker="王浩").check(make_user, token_for)


def test_years_page(household, make_user, token_for):
    Matrix("/registry/years/", Role.COUNTY_ADMIN, COUNTY, OTHER_COUNTY, marker="彰武县",
           other_area_refused=False).check(make_user, token_for)


def test_freeze_action(household, make_user, token_for):
    Matrix(f"/registry/years/{COUNTY}/2020/freeze/", Role.COUNTY_ADMIN, COUNTY, OTHER_COUNTY, method="post",
           data={"note": "年报"}, ok_status=302).check(make_user, token_for)
    assert Household.objects.count() == 1
    from fupin.registry.models import RegistryYear

    assert RegistryYear.objects.get(year=2020, county__code="210922000000").frozen


def test_pairing_cadre_cannot_open_the_edit_page(household, make_user):
    cadre = make_user(Role.PAIRING_CADRE, VILLAGE)
    assert _client(cadre).get(f"/registry/households/{household.pk}/edit/").status_code == 403


@pytest.mark.parametrize(("role", "area", "department", "full"), [
    (Role.VILLAGE_CLERK, VILLAGE, "", True),
    (Role.TOWNSHIP_REVIEWER, TOWNSHIP, "", True),
    (Role.COUNTY_OFFICER, COUNTY, "", True),
    (Role.AUDITOR, COUNTY, "", True),
    (Role.PAIRING_CADRE, VILLAGE, "", False),
    (Role.WORKTEAM_MEMBER, VILLAGE, "", False),
    (Role.DEPARTMENT_USER, COUNTY, "medical_insurance", False),
])
def test_id_and_phone_masking_per_role(household, make_user, role, area, department, full):
    user = make_user(role, area, department=department)
    page = _client(user).get(f"/registry/households/{household.pk}/").content.decode()
    head = household.persons.get(relation="02")
    masked = head.id_number[:6] + "*" * 10 + head.id_number[-2:]
    assert (head.id_number in page) is full
    assert (masked in page) is not full
    assert ("13912345678" in page) is full
    assert ("139****5678" in page) is not full


def test_search_by_name_id_number_and_household_number(household, make_user, dictionaries):
    other = make_household(members=None)
    clerk = _client(make_user(Role.VILLAGE_CLERK, VILLAGE))
    wife = household.persons.get(relation="10")
    for q in (wife.id_number, household.household_number, "桂兰"):
        page = clerk.get("/registry/", {"year": 2020, "q": q}).content.decode()
        assert household.household_number in page, q
    page = clerk.get("/registry/", {"year": 2020, "q": wife.id_number}).content.decode()
    assert other.household_number not in page


def test_filters_by_status_and_cause(household, make_user):
    exited = make_household(status="exited", exit_year=2018, main_cause="02")
    clerk = _client(make_user(Role.VILLAGE_CLERK, VILLAGE))
    page = clerk.get("/registry/", {"year": 2020, "status": "exited"}).content.decode()
    assert exited.household_number in page and household.household_number not in page
    page = clerk.get("/registry/", {"year": 2020, "cause": "01"}).content.decode()
    assert household.household_number in page and exited.household_number not in page


def test_list_without_year_goes_to_the_latest(household, make_user):
    response = _client(make_user(Role.VILLAGE_CLERK, VILLAGE)).get("/registry/?status=registered")
    assert response.status_code == 302 and "year=2020" in response["Location"]


def _edit_form(household, **changes):
    data = {"version": household.version, "identification_standard": "1", "poverty_attribute": "1",
            "main_cause": "01", "phone": household.phone, "wage_income": "6000.00", "business_income": "5000.00",
            "property_income": "0", "transfer_income": "1500.00", "assistance_income": "0",
            "production_costs": "2000.00", "transfer_expenses": "0", "food_secure": "unknown"}
    data.update(changes)
    return data


def test_edit_saves_and_recomputes(household, make_user):
    clerk = _client(make_user(Role.VILLAGE_CLERK, VILLAGE))
    response = clerk.post(f"/registry/households/{household.pk}/edit/", _edit_form(household, wage_income="9000"))
    assert response.status_code == 302
    household.refresh_from_db()
    assert str(household.net_income) == "13500.00" and household.version == 2
    page = clerk.get(f"/registry/households/{household.pk}/").content.decode()
    assert "工资性收入：6000.00 → 9000.00" in page, "the change appears in the household's history"


def test_stale_edit_shows_both_values_and_saves_nothing(household, make_user):
    user = make_user(Role.VILLAGE_CLERK, VILLAGE)
    household_update(actor=user, household_id=household.pk, expected_version=1, data={"address": "他人填写的地址"})
    response = _client(user).post(f"/registry/households/{household.pk}/edit/",
                                  _edit_form(household, version=1, address="我填写的地址"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "已被他人修改" in page and "您的修改未保存" in page
    assert "我填写的地址" in page and "他人填写的地址" in page
    assert 'name="version" value="2"' in page, "resubmitting after review is possible"
    household.refresh_from_db()
    assert household.address == "他人填写的地址"


def test_invalid_edit_names_the_field(household, make_user):
    clerk = _client(make_user(Role.VILLAGE_CLERK, VILLAGE))
    response = clerk.post(f"/registry/households/{household.pk}/edit/",
                          _edit_form(household, transfer_income="100", assistance_income="500"))
    page = response.content.decode()
    assert response.status_code == 200 and "大于转移性收入" in page
    household.refresh_from_db()
    assert household.version == 1


def test_edit_in_a_frozen_year_is_refused(household, make_user):
    admin = make_user(Role.COUNTY_ADMIN, COUNTY)
    registry_year_freeze(actor=admin, county_code=COUNTY, year=2020)
    clerk = _client(make_user(Role.VILLAGE_CLERK, VILLAGE))
    response = clerk.post(f"/registry/households/{household.pk}/edit/", _edit_form(household, address="x"))
    assert response.status_code == 423 and "2020年度已封存" in response.content.decode()


def test_person_edit_changing_the_head(household, make_user):
    clerk = _client(make_user(Role.VILLAGE_CLERK, VILLAGE))
    head, wife = household.persons.get(relation="02"), household.persons.get(relation="10")
    data = {"version": 1, "name": head.name, "id_type": "01", "id_number": head.id_number, "sex": "1",
            "birth_date": head.birth_date.isoformat(), "relation": "02", "status": "deceased",
            "migrant_work_months": "0", "new_head": wife.pk}
    response = clerk.post(f"/registry/persons/{head.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    wife.refresh_from_db()
    assert wife.relation == "02"
    assert AuditEvent.objects.filter(action="household.update", target_id=str(household.pk)).exists()


def test_person_edit_with_inconsistent_birth_date(household, make_user):
    clerk = _client(make_user(Role.VILLAGE_CLERK, VILLAGE))
    son = household.persons.get(relation="20")
    data = {"version": 1, "name": son.name, "id_type": "01", "id_number": son.id_number, "sex": "1",
            "birth_date": "1991-01-01", "relation": "20", "status": "active", "migrant_work_months": "0"}
    page = clerk.post(f"/registry/persons/{son.pk}/edit/", data).content.decode()
    assert "与证件号码中的出生日期 1990-11-30 不一致" in page


def test_edit_forms_keep_dates_in_a_form_browsers_accept(dictionaries, make_user):
    """A date input only takes YYYY-MM-DD; any other rendering would be submitted back empty."""
    import datetime as dt

    household = make_household(first_identified_on=dt.date(2014, 10, 1))
    clerk = _client(make_user(Role.VILLAGE_CLERK, VILLAGE))
    clerk.post("/i18n/setlang/", {"language": "zh-hans"})
    page = clerk.get(f"/registry/households/{household.pk}/edit/").content.decode()
    assert 'type="date" name="first_identified_on" value="2014-10-01"' in page
    son = household.persons.get(relation="20")
    page = clerk.get(f"/registry/persons/{son.pk}/edit/").content.decode()
    assert 'value="1990-11-30"' in page


def test_a_frozen_year_offers_no_edit(household, make_user):
    registry_year_freeze(actor=make_user(Role.COUNTY_ADMIN, COUNTY), county_code=COUNTY, year=2020)
    page = _client(make_user(Role.VILLAGE_CLERK, VILLAGE)).get(f"/registry/households/{household.pk}/").content.decode()
    assert "该年度已封存" in page and "编辑户信息" not in page
