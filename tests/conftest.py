"""Shared fixtures: the test divisions, users with roles, API tokens, and the permission matrix."""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import settings as hypothesis_settings
from support.places import PASSWORD, TEST_COUNTIES, VILLAGE

from fupin.accounts.models import User
from fupin.accounts.services import api_token_create, role_assign, user_create
from fupin.areas.models import Area
from fupin.areas.selectors import area_get
from fupin.areas.services import areas_load

_serial = itertools.count(1)

# Property-based tests draw the same examples on every run, so a CI result can be reproduced; set
# HYPOTHESIS_PROFILE=explore to search with fresh random examples.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.register_profile("explore")
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def ensure_test_areas() -> None:
    if not Area.objects.filter(code="210922000000").exists():
        areas_load(actor=None, province="21", within=TEST_COUNTIES)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_test_areas()


@pytest.fixture
def areas(db):
    """The test divisions; reloaded when a transactional test has flushed them."""
    ensure_test_areas()


@pytest.fixture
def make_user(areas):
    def make(role: str | None = None, area: str = VILLAGE, *, department: str = "", username: str | None = None,
             password: str = PASSWORD) -> User:
        user = user_create(actor=None, username=username or f"u{next(_serial)}_{role or 'norole'}", password=password)
        if role:
            role_assign(actor=None, user=user, role=role, area=area_get(area), department=department)
        return user

    return make


@pytest.fixture
def token_for():
    def make(user: User) -> str:
        return api_token_create(actor=None, user=user, name="test")[1]

    return make
