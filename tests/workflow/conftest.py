"""Fixtures for the workflow tests: the test process registered, the clock pinned, the people who act."""

from __future__ import annotations

import pytest
from support.places import COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.areas.selectors import area_get
from fupin.core import clock
from fupin.workflow.processes import register_process, unregister_process
from fupin.workflow.services import review_open

from .kit import CALLS, KIND, START, definition


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """Seven accounts per test: a cheap hasher keeps the suite fast (sign-in is tested elsewhere)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def process():
    CALLS.clear()
    register_process(definition(), replace=True)
    yield
    unregister_process(KIND)


@pytest.fixture
def variant():
    """Register a variant of the test process under another kind: variant("test.v", stages=...)."""
    kinds = []

    def make(kind: str, **changes):
        kinds.append(kind)
        return register_process(definition(kind, **changes), replace=True)

    yield make
    for kind in kinds:
        unregister_process(kind)


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(START):
        yield


@pytest.fixture
def people(make_user):
    class People:
        clerk = make_user(Role.VILLAGE_CLERK, VILLAGE, username="wf_clerk")
        workteam = make_user(Role.WORKTEAM_MEMBER, VILLAGE, username="wf_workteam")
        township = make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP, username="wf_township")
        county = make_user(Role.COUNTY_OFFICER, COUNTY, username="wf_county")
        county_admin = make_user(Role.COUNTY_ADMIN, COUNTY, username="wf_county_admin")
        other_clerk = make_user(Role.VILLAGE_CLERK, OTHER_VILLAGE, username="wf_other_clerk")
        other_township = make_user(Role.TOWNSHIP_REVIEWER, OTHER_TOWNSHIP, username="wf_other_township")

    return People


@pytest.fixture
def village(areas):
    return area_get(VILLAGE)


@pytest.fixture
def opened(people, village):
    return review_open(actor=people.clerk, kind=KIND, subject=village, area=village, reason="因病致贫，申请识别纳入",
                       payload={"household": "H001", "members": 3})
