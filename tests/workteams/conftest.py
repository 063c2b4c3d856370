"""Fixtures: a dispatching unit and a team stationed in 富有村委会 with three members, the clock
pinned to January 2021 (so that 2020 is over and can be signed)."""

from __future__ import annotations

import datetime as dt

import pytest
from support.places import COUNTY, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core import clock
from fupin.workteams import services

TODAY = dt.date(2021, 1, 10)
START, END = dt.date(2020, 1, 1), dt.date(2021, 12, 31)


def member_data(name: str, role: str = "member", **changes) -> dict:
    data = {"name": name, "role": role, "sex": "male", "age": 35, "education": "bachelor",
            "political_status": "party_member", "phone": "13904180101", "party_relation_transferred": True}
    return {**data, **changes}


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(TODAY):
        yield TODAY


@pytest.fixture
def officer(make_user):
    return make_user(Role.COUNTY_OFFICER, COUNTY)


@pytest.fixture
def clerk(make_user):
    return make_user(Role.VILLAGE_CLERK, VILLAGE)


@pytest.fixture
def secretary(make_user):
    return make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)


@pytest.fixture
def unit(officer):
    return services.unit_create(actor=officer, county_code=COUNTY, name="彰武县卫生健康局", level="county",
                                leader_in_charge="王立新", responsible_division="基层卫生股")


@pytest.fixture
def team(officer, unit):
    return services.team_create(actor=officer, unit=unit, village_code=VILLAGE, name="县卫健局驻富有村工作队",
                                start_date=START, end_date=END)


@pytest.fixture
def members(officer, team):
    return [
        services.member_add(actor=officer, team=team, data=member_data("周明", "first_secretary")),
        services.member_add(actor=officer, team=team, data=member_data("吴海燕", sex="female",
                                                                      phone="13904180102")),
        services.member_add(actor=officer, team=team, data=member_data("郑旭", party_relation_transferred=False,
                                                                      phone="13904180103")),
    ]
