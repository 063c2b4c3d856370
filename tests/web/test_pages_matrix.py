"""Every foundation page against the permission matrix."""

import pytest
from support.matrix import Matrix
from support.places import OTHER_COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_area_detail_village_clerk(make_user, token_for):
    Matrix(f"/areas/{VILLAGE}/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker="富有村委会").check(
        make_user, token_for)


def test_area_detail_township_reviewer(make_user, token_for):
    Matrix(f"/areas/{TOWNSHIP}/", Role.TOWNSHIP_REVIEWER, TOWNSHIP, "210922102", marker="富有村委会").check(
        make_user, token_for)


def test_area_list_shows_only_own_village(make_user, token_for):
    Matrix("/areas/?q=村", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker="富有村委会",
           other_area_refused=False).check(make_user, token_for)


def test_audit_log_needs_auditor_in_county(make_user, token_for):
    m = Matrix("/audit/?area=210922", Role.AUDITOR, "210922", OTHER_COUNTY, marker="210922000000",
               other_area_refused=False)
    m.check(make_user, token_for)


def test_task_list(make_user, token_for):
    Matrix("/tasks/", Role.COUNTY_OFFICER, "210922", OTHER_COUNTY, other_area_refused=False).check(
        make_user, token_for)
