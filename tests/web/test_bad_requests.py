"""Expired sessions, forged CSRF tokens, unknown area codes, missing roles: a clear 4xx, nothing written,
and an audit event for each denial."""

import re

import pytest
from django.conf import settings
from django.test import Client
from support.places import VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_forged_csrf_token_is_refused_and_audited(make_user):
    user = make_user(Role.VILLAGE_CLERK)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/session/area/", {"area": VILLAGE, "csrfmiddlewaretoken": "forged"})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert AuditEvent.objects.filter(action="web.csrf_failed", outcome="denied").exists()
    assert "active_area" not in client.session


def test_expired_session_redirects_with_a_message_and_is_audited(make_user):
    user = make_user(Role.VILLAGE_CLERK)
    client = Client()
    client.force_login(user)
    client.session.flush()  # what the idle timeout does on the server side
    client.cookies[settings.SESSION_COOKIE_NAME] = "expired-session-key"
    response = client.get("/areas/")
    assert response.status_code == 302 and "expired=1" in response["Location"]
    assert "会话已过期" in client.get(response["Location"]).content.decode()
    assert AuditEvent.objects.filter(action="auth.session_expired").exists()


def test_expired_session_on_the_api_is_a_401(make_user):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "expired-session-key"
    response = client.get("/api/areas")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_unknown_area_code_page(make_user):
    client = Client()
    client.force_login(make_user(Role.COUNTY_OFFICER, "210922"))
    response = client.get("/areas/210922999999/")
    assert response.status_code == 404
    assert "未知的区划代码" in response.content.decode()
    response = client.get("/areas/12ab/")
    assert response.status_code == 400
    assert "区划代码" in response.content.decode()


def test_switching_to_an_area_outside_ones_roles_is_refused(make_user):
    client = Client()
    client.force_login(make_user(Role.VILLAGE_CLERK, VILLAGE))
    before = AuditEvent.objects.filter(outcome="denied").count()
    response = client.post("/session/area/", {"area": "210922101203"})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(outcome="denied").count() == before + 1
    assert "active_area" not in client.session


def test_missing_role_is_a_403_and_audited(make_user):
    client = Client()
    client.force_login(make_user(None))
    response = client.get("/audit/")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", outcome="denied").exists()


def test_pages_carry_a_strict_content_security_policy(client):
    csp = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "http" not in csp


def test_area_switcher_narrows_lists(make_user):
    client = Client()
    client.force_login(make_user(Role.TOWNSHIP_REVIEWER, "210922101"))
    assert "黄花山村委会" in client.get("/areas/?level=5").content.decode()
    client.post("/session/area/", {"area": VILLAGE})
    page = client.get("/areas/?level=5").content.decode()
    assert "富有村委会" in page and "黄花山村委会" not in page


def test_menu_badges_show_counts(make_user):
    from fupin.web.context import MENU

    entry = (999, "测试徽标", "web:tasks", None, lambda user: 3)
    MENU.append(entry)
    try:
        client = Client()
        client.force_login(make_user(Role.VILLAGE_CLERK))
        page = client.get("/").content.decode()
    finally:
        MENU.remove(entry)
    assert '<span class="badge">3</span>' in page


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "badges"}}


def test_menu_badges_are_counted_once_and_again_after_any_change(make_user, settings):
    """A badge is not recounted on every page view, but a change (an audit event) shows at once."""
    from fupin.audit.services import audit_event
    from fupin.web.context import MENU

    settings.CACHES = LOCAL_CACHE
    counted = []
    entry = (999, "测试徽标", "web:tasks", None, lambda user: counted.append(1) or len(counted))
    MENU.append(entry)
    try:
        client = Client()
        user = make_user(Role.VILLAGE_CLERK)
        client.force_login(user)
        first = client.get("/").content.decode()
        second = client.get("/").content.decode()
        audit_event(actor=user, action="test.change")
        third = client.get("/").content.decode()
    finally:
        MENU.remove(entry)
    assert '<span class="badge">1</span>' in first and '<span class="badge">1</span>' in second
    assert '<span class="badge">2</span>' in third and len(counted) == 2


def test_pages_are_chinese_even_for_an_english_browser_until_the_user_switches(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "用户名" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "User name" in client.get("/accounts/login/").content.decode()


def test_one_menu_entry_is_lit_when_one_address_lies_under_another(client, make_user):
    client.force_login(make_user(Role.COUNTY_OFFICER, "210922"))
    page = client.get("/assessment/rounds/").content.decode()
    lit = re.findall(r'aria-current="page">([^<]+)', page)
    assert [text.strip() for text in lit] == ["驻村帮扶考核"]
