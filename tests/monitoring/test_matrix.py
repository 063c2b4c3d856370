"""Every monitoring page and endpoint against the permission matrix (anonymous / no role / the role in
the right area / the role in another area)."""

from __future__ import annotations

import pytest
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core import clock
from fupin.monitoring.services import case_open

from .kit import CLEAN_FACTS, START, exited_household

pytestmark = pytest.mark.django_db
CLERK, TOWNSHIP_ROLE, OFFICER = Role.VILLAGE_CLERK, Role.TOWNSHIP_REVIEWER, Role.COUNTY_OFFICER


@pytest.fixture
def case(people):
    with clock.pinned(START):
        return case_open(actor=people.clerk, household=exited_household(number="210922101202099901"),
                         found_by="application", reason="因病支出骤增", risk_types=["01"], facts=CLEAN_FACTS)


def test_case_list(make_user, token_for, case):
    Matrix("/monitoring/", CLERK, VILLAGE, OTHER_VILLAGE, marker="210922101202099901",
           other_area_refused=False).check(make_user, token_for)


def test_case_page(make_user, token_for, case):
    Matrix(f"/monitoring/{case.pk}/", TOWNSHIP_ROLE, TOWNSHIP, OTHER_TOWNSHIP, marker="因病支出骤增").check(
        make_user, token_for)


def test_case_page_for_the_auditor(make_user, token_for, case):
    Matrix(f"/monitoring/{case.pk}/", Role.AUDITOR, COUNTY, OTHER_COUNTY, marker="政策规则判定").check(
        make_user, token_for)


def test_facts_form(make_user, token_for, case):
    Matrix(f"/monitoring/{case.pk}/facts/", CLERK, VILLAGE, OTHER_VILLAGE, marker="排查信息").check(
        make_user, token_for)


def test_propose_form(make_user, token_for, case):
    Matrix(f"/monitoring/new/?household={case.household_id}", Role.WORKTEAM_MEMBER, VILLAGE, OTHER_VILLAGE,
           marker='value="210922101202099901"',
           other_area_refused=False).check(make_user, token_for)


def test_overdue_page(make_user, token_for, case):
    Matrix("/monitoring/overdue/", OFFICER, COUNTY, OTHER_COUNTY, marker="210922101202099901户",
           other_area_refused=False).check(make_user, token_for)


def test_api_case_list(make_user, token_for, case):
    Matrix("/api/monitoring/cases", CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker="210922101202099901",
           other_area_refused=False).check(make_user, token_for)


def test_api_case_detail(make_user, token_for, case):
    Matrix(f"/api/monitoring/cases/{case.pk}", OFFICER, COUNTY, OTHER_COUNTY, api=True,
           marker="monitoring_exclusion").check(make_user, token_for)


def test_api_monthly_list(make_user, token_for, case):
    Matrix(f"/api/monitoring/cases/{case.pk}/monthly", CLERK, VILLAGE, OTHER_VILLAGE, api=True).check(
        make_user, token_for)


def test_api_overdue(make_user, token_for, case):
    Matrix("/api/monitoring/overdue", TOWNSHIP_ROLE, TOWNSHIP, OTHER_TOWNSHIP, api=True, marker="210922101202099901",
           other_area_refused=False).check(make_user, token_for)


def test_api_propose(make_user, token_for, dictionaries):
    household = exited_household(number="210922101202099902")
    Matrix("/api/monitoring/cases", Role.PAIRING_CADRE, VILLAGE, OTHER_VILLAGE, api=True, method="post",
           data={"household_id": household.pk, "found_by": "cadre_visit", "reason": "帮扶责任人申报：因病"},
           ok_status=201).check(make_user, token_for)


def test_monthly_form_and_reflag_page(make_user, token_for, case):
    Matrix(f"/monitoring/{case.pk}/monthly/", Role.WORKTEAM_MEMBER, VILLAGE, OTHER_VILLAGE, marker="当月家庭收入").check(
        make_user, token_for)
    Matrix(f"/monitoring/{case.pk}/reflag/", TOWNSHIP_ROLE, TOWNSHIP, OTHER_TOWNSHIP, marker="风险消除回退").check(
        make_user, token_for)
