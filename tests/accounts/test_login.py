"""Sign-in, failures, lockout, logout and the password policy."""

import pytest
from django.conf import settings
from django.test import Client

from fupin.accounts.models import User
from fupin.accounts.roles import Role
from fupin.accounts.services import user_create
from fupin.audit.models import AuditEvent
from fupin.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_and_logout_are_audited(make_user):
    user = make_user(Role.VILLAGE_CLERK)
    client = Client()
    response = _login(client, user.username, "Test@pass2026x")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor_id=user.pk).exists()
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(action="auth.logout", actor_id=user.pk).exists()
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_audited_and_counts(make_user):
    user = make_user(Role.VILLAGE_CLERK)
    response = _login(Client(), user.username, "wrong")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor_name == user.username and event.outcome == "denied"


def test_lockout_after_repeated_failures_even_with_right_password(make_user):
    user = make_user(Role.VILLAGE_CLERK)
    client = Client()
    for _ in range(settings.FUPIN_LOCKOUT_THRESHOLD):
        _login(client, user.username, "wrong")
    response = _login(client, user.username, "Test@pass2026x")
    assert response.status_code == 401
    assert "锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_locked").exists()
    assert client.get("/").status_code == 302  # not signed in


def test_security_admin_clears_a_lockout(make_user):
    from fupin.accounts.services import lockout_clear

    user = make_user(Role.VILLAGE_CLERK)
    for _ in range(settings.FUPIN_LOCKOUT_THRESHOLD):
        _login(Client(), user.username, "wrong")
    lockout_clear(actor=make_user(Role.SECURITY_ADMIN, "210922"), username=user.username)
    assert _login(Client(), user.username, "Test@pass2026x").status_code == 302


@pytest.mark.parametrize("password", ["short1!A", "alllowercaseletters", "12345678901234", "Abcdefghijkl"])
def test_weak_passwords_are_refused(areas, password):
    with pytest.raises(ValidationFailed):
        user_create(actor=None, username="weak", password=password)
    assert not User.objects.filter(username="weak").exists()


def test_passwords_are_hashed_with_argon2(make_user):
    assert make_user(Role.VILLAGE_CLERK).password.startswith("argon2")


def test_idle_timeout_is_configured():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 3600
