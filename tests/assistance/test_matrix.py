"""Every assistance page and endpoint against the permission matrix (anonymous / no role / the role
in the right area / the role in another area)."""

from __future__ import annotations

import datetime as dt

import pytest
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.assistance import services
from fupin.assistance.models import PairingAssignment, PlanMeasure, Visit

pytestmark = pytest.mark.django_db
CLERK, CADRE, OFFICER, TOWNSHIP_ROLE = Role.VILLAGE_CLERK, Role.PAIRING_CADRE, Role.COUNTY_OFFICER, Role.TOWNSHIP_REVIEWER


@pytest.fixture
def plan(clerk, household):
    plan = services.plan_create(actor=clerk, household=household, needs="发展庭院经济")
    services.measure_add(actor=clerk, plan=plan, data={"measure_code": "IND-LOAN", "start_date": dt.date(2020, 3, 1),
                                                      "status": "in_place", "responsible_unit": "县农商银行"})
    return plan


# --- pages -------------------------------------------------------------------------------------

def test_overview(make_user, token_for, household):
    Matrix("/assistance/", TOWNSHIP_ROLE, TOWNSHIP, OTHER_TOWNSHIP, marker=household.household_number,
           other_area_refused=False).check(make_user, token_for)


def test_plan_list(make_user, token_for, plan):
    Matrix("/assistance/plans/", CLERK, VILLAGE, OTHER_VILLAGE, marker=plan.household.household_number,
           other_area_refused=False).check(make_user, token_for)


def test_household_page(make_user, token_for, plan):
    Matrix(f"/assistance/households/{plan.household_id}/", Role.WORKTEAM_MEMBER, VILLAGE, OTHER_VILLAGE,
           marker="扶贫小额信贷贴息").check(make_user, token_for)


def test_cadre_list(make_user, token_for, cadre):
    Matrix("/assistance/cadres/", Role.AUDITOR, COUNTY, OTHER_COUNTY, marker="刘帮扶",
           other_area_refused=False).check(make_user, token_for)


def test_cadre_form(make_user, token_for, cadre):
    Matrix("/assistance/cadres/new/", OFFICER, COUNTY, OTHER_COUNTY, marker="富有村委会",
           other_area_refused=False).check(make_user, token_for)


def test_my_households_page(make_user, token_for):
    # Everyone with visit.record has the page; it lists only their own households (test_pages.py).
    Matrix("/assistance/mine/", CADRE, VILLAGE, OTHER_VILLAGE, other_area_refused=False).check(make_user, token_for)


def test_create_plan_page(make_user, token_for, household):
    Matrix(f"/assistance/households/{household.pk}/plan/", CLERK, VILLAGE, OTHER_VILLAGE, method="post",
           data={"needs": "务工"}, ok_status=302).check(make_user, token_for)


def test_add_measure_page(make_user, token_for, plan):
    data = {"measure_code": "EMP-PUBLIC", "start_date": "2020-05-01", "status": "in_place",
            "responsible_unit": "哈尔套镇", "amount": "500"}
    Matrix(f"/assistance/households/{plan.household_id}/measures/", TOWNSHIP_ROLE, TOWNSHIP, OTHER_TOWNSHIP,
           method="post", data=data, ok_status=302).check(make_user, token_for)
    assert PlanMeasure.objects.filter(measure_code="EMP-PUBLIC").count() == 1


def test_measure_status_page(make_user, token_for, plan):
    measure = plan.measures.get()
    Matrix(f"/assistance/measures/{measure.pk}/status/", CLERK, VILLAGE, OTHER_VILLAGE, method="post",
           data={f"m{measure.pk}-status": "ended", f"m{measure.pk}-end_date": "2020-05-10",
                 f"m{measure.pk}-version": "1"}, ok_status=302).check(make_user, token_for)
    measure.refresh_from_db()
    assert measure.status == "ended"


def test_assign_page(make_user, token_for, household, cadre):
    Matrix(f"/assistance/households/{household.pk}/assign/", TOWNSHIP_ROLE, TOWNSHIP, OTHER_TOWNSHIP, method="post",
           data={"cadre": cadre.pk, "started_on": "2020-05-01", "version": household.version},
           ok_status=302).check(make_user, token_for)
    assert PairingAssignment.objects.filter(household=household, cadre=cadre).count() == 1


def test_visit_page(make_user, token_for, household):
    Matrix(f"/assistance/households/{household.pk}/visits/", CADRE, VILLAGE, OTHER_VILLAGE, method="post",
           data={"visited_on": "2020-05-14", "visitor_role": "pairing_cadre", "content": "了解春耕"},
           ok_status=302).check(make_user, token_for)
    assert Visit.objects.filter(household=household).count() == 1


# --- API ---------------------------------------------------------------------------------------

def test_api_catalogue(make_user, token_for):
    # The same catalogue for every area (its content: test_api.py).
    Matrix("/api/assistance/catalogue", CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           other_area_refused=False).check(make_user, token_for)


def test_api_plans(make_user, token_for, plan):
    Matrix("/api/assistance/plans", CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           marker=plan.household.household_number, other_area_refused=False).check(make_user, token_for)


def test_api_plan(make_user, token_for, plan):
    Matrix(f"/api/assistance/households/{plan.household_id}/plan", CADRE, VILLAGE, OTHER_VILLAGE, api=True,
           marker="IND-LOAN").check(make_user, token_for)


def test_api_create_plan(make_user, token_for, household):
    Matrix(f"/api/assistance/households/{household.pk}/plan", TOWNSHIP_ROLE, TOWNSHIP, OTHER_TOWNSHIP, api=True,
           method="post", data={"needs": "就业"}, ok_status=201).check(make_user, token_for)


def test_api_add_measure(make_user, token_for, plan):
    Matrix(f"/api/assistance/households/{plan.household_id}/plan/measures", OFFICER, COUNTY, OTHER_COUNTY, api=True,
           method="post", ok_status=201, data={"measure_code": "SEC-MEDICAL", "start_date": "2020-04-01",
                                               "status": "in_place", "responsible_unit": "县医保局",
                                               "amount": "800.5"}).check(make_user, token_for)


def test_api_update_measure(make_user, token_for, plan):
    measure = plan.measures.get()
    Matrix(f"/api/assistance/measures/{measure.pk}", CLERK, VILLAGE, OTHER_VILLAGE, api=True, method="patch",
           data={"version": 1, "amount": "2000"}).check(make_user, token_for)


def test_api_cadres(make_user, token_for, cadre):
    Matrix("/api/assistance/cadres", CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker="刘帮扶",
           other_area_refused=False).check(make_user, token_for)


def test_api_save_cadre(make_user, token_for):
    user = make_user(CADRE, VILLAGE)
    Matrix("/api/assistance/cadres", TOWNSHIP_ROLE, TOWNSHIP, OTHER_TOWNSHIP, api=True, method="put",
           data={"user_id": user.pk, "area": VILLAGE, "name": "郑新", "unit_kind": "township",
                 "unit_name": "哈尔套镇人民政府", "phone": "13904189999"}).check(make_user, token_for)


def test_api_assign(make_user, token_for, household, cadre):
    Matrix(f"/api/assistance/households/{household.pk}/assignments", TOWNSHIP_ROLE, TOWNSHIP, OTHER_TOWNSHIP,
           api=True, method="post", ok_status=201,
           data={"cadre_user_id": cadre.pk, "version": household.version}).check(make_user, token_for)


def test_api_assignments(make_user, token_for, household, cadre, township):
    services.cadre_assign(actor=township, household=household, cadre=cadre)
    Matrix(f"/api/assistance/households/{household.pk}/assignments", CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           marker="刘帮扶").check(make_user, token_for)


def test_api_record_visit(make_user, token_for, household):
    Matrix(f"/api/assistance/households/{household.pk}/visits", Role.WORKTEAM_MEMBER, VILLAGE, OTHER_VILLAGE,
           api=True, method="post", ok_status=201,
           data={"visited_on": "2020-05-10", "content": "宣讲政策", "visitor_role": "workteam"}).check(
        make_user, token_for)


def test_api_visits(make_user, token_for, household, cadre):
    services.visit_record(actor=cadre, household=household, data={"visited_on": "2020-05-02", "content": "查看住房"})
    Matrix(f"/api/assistance/households/{household.pk}/visits", CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           marker="查看住房").check(make_user, token_for)


def test_api_coverage(make_user, token_for, household):
    Matrix(f"/api/assistance/coverage?area={VILLAGE}&year=2020", CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           marker=household.household_number).check(make_user, token_for)


def test_api_visit_check(make_user, token_for, household):
    Matrix(f"/api/assistance/visit-check?area={TOWNSHIP}&year=2020&month=2020-05", TOWNSHIP_ROLE, TOWNSHIP,
           OTHER_TOWNSHIP, api=True, marker="min_visits").check(make_user, token_for)
