"""Fixtures: households of 富有村委会 (one with labour, one without), users in the right and the
wrong areas, cadre profiles, and the clock pinned to 15 May 2020."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from registry import factories
from registry.factories import member
from support.places import COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.assistance import services
from fupin.core import clock

TODAY = dt.date(2020, 5, 15)
_births = itertools.count(1)


def make_household(**kw):
    """registry's make_household with members born on distinct days, so that many households in one
    test never repeat an ID number."""
    if "members" not in kw:
        day = dt.date(1950, 1, 1) + dt.timedelta(days=3 * next(_births))
        kw["members"] = [member("王福", "02", "1", day), member("李桂兰", "10", "2", day + dt.timedelta(days=1)),
                         member("王浩", "20", "1", day.replace(year=day.year + 30))]
    return factories.make_household(**kw)


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(TODAY):
        yield TODAY


@pytest.fixture
def clerk(make_user):
    return make_user(Role.VILLAGE_CLERK, VILLAGE)


@pytest.fixture
def township(make_user):
    return make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)


@pytest.fixture
def officer(make_user):
    return make_user(Role.COUNTY_OFFICER, COUNTY)


@pytest.fixture
def household(areas):
    """王福's household: three members who all can work."""
    return make_household()


@pytest.fixture
def no_labour_household(areas):
    """An old couple who can no longer work (劳动技能 4 丧失劳动力, 5 无劳动力)."""
    people = [member("赵老汉", "02", "1", dt.date(1940, 1, 5), labour_skill="4"),
              member("钱老太", "10", "2", dt.date(1942, 4, 9), labour_skill="5")]
    return make_household(members=people)


@pytest.fixture
def other_household(areas):
    return make_household(village=OTHER_VILLAGE)


def make_cadre(make_user, township, name: str, area: str = VILLAGE, phone: str = "13904181234"):
    user = make_user(Role.PAIRING_CADRE, area)
    services.cadre_profile_save(actor=township, user=user, area_code=area,
                                data={"name": name, "unit_kind": "dispatching", "unit_name": "县卫生健康局",
                                      "position": "科员", "phone": phone})
    return user


@pytest.fixture
def cadre(make_user, township):
    return make_cadre(make_user, township, "刘帮扶")
