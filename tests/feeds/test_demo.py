"""The demo feeds: two uploads through the real path, alerts in the clerks' villages, some handled."""

from __future__ import annotations

import datetime as dt

import pytest
from registry.factories import make_household, member

from fupin.accounts.services import role_assign, user_create
from fupin.areas.selectors import area_get
from fupin.demo.services import DEMO_ACCOUNTS
from fupin.feeds.demo import VILLAGES, demo_feeds
from fupin.feeds.models import DepartmentAlert, FeedUpload

pytestmark = pytest.mark.django_db


def test_demo_feeds(areas):
    for account in DEMO_ACCOUNTS:
        if account.username in ("medical", "officer", "clerk"):
            user = user_create(actor=None, username=account.username, password="Demo@pass2026x")
            role_assign(actor=None, user=user, role=account.role, area=area_get(account.area),
                        department=account.department)
    for v, village in enumerate(VILLAGES):
        for i in range(25):
            born = dt.date(1940 + i, 1 + i % 12, 1 + (i + v) % 28)
            make_household(village=village, members=[member(f"户主{i}", "02", "1", born),
                                                     member(f"配偶{i}", "10", "2", born + dt.timedelta(days=400))])
    result = demo_feeds()
    medical, civil = FeedUpload.objects.order_by("pk")
    assert (medical.uploaded_by.username, medical.kind, civil.kind) == ("medical", "medical_insurance", "civil_affairs")
    assert (medical.rows_invalid, medical.rows_unknown, medical.rows_duplicate) == (1, 1, 1)
    assert result["alerts"] == DepartmentAlert.objects.count() >= 5
    assert DepartmentAlert.objects.filter(kind="civil_affairs").exists()
    assert DepartmentAlert.objects.exclude(status="open").count() >= 2
    assert set(DepartmentAlert.objects.values_list("village__code", flat=True)) <= set(VILLAGES)
    assert demo_feeds() == {}
