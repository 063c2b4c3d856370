"""The menu badges of the shell every battle map page carries: counted once per user and interval in
the user's session, which every server worker reads (not once per worker), and counted afresh after a
change or when the interval is over. The tests' dummy cache keeps nothing, so they switch the local
memory cache on, as the production default is."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from support.places import COUNTY

from fupin.accounts.roles import Role
from fupin.audit.services import audit_event
from fupin.core.changes import _CHANGED_AT_KEY
from fupin.web import context
from fupin.web.context import MENU

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "progress-badges"}}
    cache.clear()
    calls: list[int] = []
    entry = (999, "测试徽标", "web:tasks", None, lambda user: calls.append(1) or len(calls))
    MENU.append(entry)
    yield calls
    MENU.remove(entry)
    cache.clear()


def _badge(client) -> str:
    page = client.get(f"/progress/map/{COUNTY}000000/?year=2020").content.decode()
    return page.split("测试徽标", 1)[1].split("</a>", 1)[0]


def test_counted_once_per_interval_for_every_worker(make_user, counted):
    client = Client()
    client.force_login(make_user(Role.COUNTY_OFFICER, COUNTY))
    assert '<span class="badge">1</span>' in _badge(client)
    assert '<span class="badge">1</span>' in _badge(client)
    # Another worker: its own (empty) process cache, running since before the count was taken.
    changed_at = cache.get(_CHANGED_AT_KEY)
    cache.clear()
    cache.set(_CHANGED_AT_KEY, changed_at, None)
    assert '<span class="badge">1</span>' in _badge(client)
    assert len(counted) == 1


def test_counted_afresh_after_a_change_or_when_the_interval_is_over(make_user, counted, monkeypatch):
    user = make_user(Role.COUNTY_OFFICER, COUNTY)
    client = Client()
    client.force_login(user)
    _badge(client)
    audit_event(actor=user, action="test.change")
    assert '<span class="badge">2</span>' in _badge(client)
    monkeypatch.setattr(context, "BADGE_SECONDS", 0)  # every count is over at once
    assert '<span class="badge">3</span>' in _badge(client)
    assert '<span class="badge">4</span>' in _badge(client)


def test_each_user_has_their_own_counts(make_user, counted):
    for n in (1, 2):
        client = Client()
        client.force_login(make_user(Role.COUNTY_OFFICER, COUNTY))
        assert f'<span class="badge">{n}</span>' in _badge(client)
