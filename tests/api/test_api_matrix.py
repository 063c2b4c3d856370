"""Every foundation endpoint against the permission matrix."""

import pytest
from support.matrix import Matrix
from support.places import OTHER_COUNTY, OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_area_by_code(make_user, token_for):
    Matrix(f"/api/areas/{VILLAGE}", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker="富有村委会").check(
        make_user, token_for)


def test_area_children(make_user, token_for):
    Matrix("/api/areas/210922101/children", Role.TOWNSHIP_REVIEWER, "210922101", "210922102", api=True,
           marker="富有村委会").check(make_user, token_for)


def test_area_list_is_scoped(make_user, token_for):
    Matrix("/api/areas?level=5&q=富有", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker="富有村委会",
           other_area_refused=False).check(make_user, token_for)


def test_audit_events(make_user, token_for):
    Matrix("/api/audit/events?action=role.assign", Role.AUDITOR, "210922", OTHER_COUNTY, api=True,
           marker="210922000000", other_area_refused=False).check(make_user, token_for)


def test_me_lists_own_roles_only(client, make_user, token_for):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    make_user(Role.VILLAGE_CLERK, OTHER_VILLAGE)
    body = client.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token_for(clerk)}").json()
    assert body["username"] == clerk.username
    assert [(r["role"], r["area_code"]) for r in body["roles"]] == [("village_clerk", VILLAGE)]
