"""Fixtures: a handful of Zhangwu households in three villages of two townships, the clock pinned to
mid-July 2020 (so June's deadlines have passed and August is still to come), and the users."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from registry.factories import make_household
from support.places import COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core import clock

TODAY = dt.date(2020, 7, 15)
FAR_VILLAGE = "210922102200"  # 章古台村委会, 章古台镇


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(TODAY):
        yield TODAY


def poor(village: str, **fields):
    """A household under 5,000 yuan per person (no wage income)."""
    return make_household(village=village, wage_income=Decimal("0"), business_income=Decimal("3000"),
                          transfer_income=Decimal("1000"), production_costs=Decimal("0"), **fields)


def rich(village: str, **fields):
    """A household at 5,500 yuan per person (three members)."""
    return make_household(village=village, wage_income=Decimal("12000"), **fields)


@pytest.fixture
def households(areas):
    """富有村: 2 reaching the standard (one exited in 2020), 1 poor, 1 with an unsafe house;
    黄花山村: 1 poor not yet exited; 章古台村: 1 reaching the standard."""
    return {
        "rich": rich(VILLAGE, status="exited", exit_year=2020, food_secure=True,
                               housing_secured=True, safe_drinking_water=True),
        "rich2": rich(VILLAGE, status="registered"),
        "poor": poor(VILLAGE, status="registered"),
        "house": rich(VILLAGE, status="expected_exit", housing_secured=False, housing_grade="D"),
        "other": poor(OTHER_VILLAGE, status="registered"),
        "far": rich(FAR_VILLAGE, status="exited", exit_year=2019),
    }


@pytest.fixture
def officer(make_user):
    return make_user(Role.COUNTY_OFFICER, COUNTY)


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)


@pytest.fixture
def clerk(make_user):
    return make_user(Role.VILLAGE_CLERK, VILLAGE)
