"""Account administration pages: the system administrator creates users, the security administrator
grants and revokes roles, nobody else reaches them."""

import pytest
from django.test import Client
from support.places import OTHER_COUNTY, VILLAGE

from fupin.accounts.models import RoleAssignment, User
from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_system_admin_creates_a_user(make_user):
    client = _client(make_user(Role.SYSTEM_ADMIN, "210922"))
    response = client.post("/accounts/users/new/", {
        "username": "lihua", "full_name": "李华", "password": "Strong@pass2026", "password_again": "Strong@pass2026"})
    assert response.status_code == 302
    assert User.objects.get(username="lihua").full_name == "李华"
    assert AuditEvent.objects.filter(action="user.create", target_label="李华").exists()


def test_weak_password_and_mismatch_are_shown_and_nothing_is_created(make_user):
    client = _client(make_user(Role.SYSTEM_ADMIN, "210922"))
    page = client.post("/accounts/users/new/", {"username": "weak", "password": "abc", "password_again": "abc"})
    assert page.status_code == 200 and "密码" in page.content.decode()
    page = client.post("/accounts/users/new/", {"username": "weak", "password": "Strong@pass2026",
                                                "password_again": "Other@pass2026"})
    assert "两次输入的密码不一致" in page.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_security_admin_grants_and_revokes(make_user):
    target = make_user(None)
    client = _client(make_user(Role.SECURITY_ADMIN, "210922"))
    response = client.post(f"/accounts/users/{target.pk}/", {"role": Role.VILLAGE_CLERK, "area": VILLAGE})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=target)
    client.post(f"/accounts/users/{target.pk}/roles/{assignment.pk}/revoke/")
    assert not RoleAssignment.objects.filter(user=target).exists()
    assert AuditEvent.objects.filter(action="role.revoke").exists()


def test_granting_at_the_wrong_level_or_unknown_area_is_explained(make_user):
    target = make_user(None)
    client = _client(make_user(Role.SECURITY_ADMIN, "210922"))
    page = client.post(f"/accounts/users/{target.pk}/", {"role": Role.VILLAGE_CLERK, "area": "210922101"})
    assert "不能绑定" in page.content.decode()
    page = client.post(f"/accounts/users/{target.pk}/", {"role": Role.VILLAGE_CLERK, "area": "210922101999"})
    assert page.status_code == 404
    assert not RoleAssignment.objects.filter(user=target).exists()


def test_security_admin_cannot_grant_outside_their_county(make_user):
    target = make_user(None)
    client = _client(make_user(Role.SECURITY_ADMIN, "210922"))
    response = client.post(f"/accounts/users/{target.pk}/", {"role": Role.COUNTY_OFFICER, "area": OTHER_COUNTY})
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=target).exists()


@pytest.mark.parametrize("role,area", [(Role.COUNTY_ADMIN, "210922"), (Role.AUDIT_ADMIN, "210922"),
                                       (Role.VILLAGE_CLERK, VILLAGE), (None, VILLAGE)])
def test_other_roles_do_not_reach_account_administration(make_user, role, area):
    client = _client(make_user(role, area))
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/accounts/users/new/").status_code == 403


def test_admins_do_not_see_users_of_other_counties(make_user):
    outsider = make_user(Role.COUNTY_OFFICER, OTHER_COUNTY)
    client = _client(make_user(Role.SYSTEM_ADMIN, "210922"))
    assert outsider.username not in client.get("/accounts/users/").content.decode()
    assert client.get(f"/accounts/users/{outsider.pk}/").status_code == 404
