"""Fixtures for the funds tests: the clock pinned in spring 2020, the people who act, and functions that
walk a project through the library steps or set up an asset with a lease."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property

import pytest
from support.places import COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core import clock
from fupin.funds import services as svc
from fupin.registry.models import Household, HouseholdStatus

START = dt.date(2020, 3, 2)


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(START):
        yield


@pytest.fixture
def people(make_user):
    """The people who act, each created on first use (hashing a password takes a while)."""

    class People:
        @cached_property
        def clerk(self):
            return make_user(Role.VILLAGE_CLERK, VILLAGE, username="fd_clerk")

        @cached_property
        def township(self):
            return make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP, username="fd_township")

        @cached_property
        def county(self):
            return make_user(Role.COUNTY_OFFICER, COUNTY, username="fd_county")

        @cached_property
        def other_clerk(self):
            return make_user(Role.VILLAGE_CLERK, OTHER_VILLAGE, username="fd_other_clerk")

        @cached_property
        def other_township(self):
            return make_user(Role.TOWNSHIP_REVIEWER, OTHER_TOWNSHIP, username="fd_other_township")

        @cached_property
        def cadre(self):
            return make_user(Role.PAIRING_CADRE, VILLAGE, username="fd_cadre")

    return People()


def new_project(people, *, funds=None, category="planting", mode="household", name="富有村设施樱桃", **data):
    return svc.project_create(
        actor=people.clerk, area_code=VILLAGE, category=category, mode=mode, year=data.pop("year", 2020), name=name,
        village_meeting_on=data.pop("village_meeting_on", START), funds={"central": "600000.00", "province": "400000.00"} if funds is None else funds,
        households_driven=data.pop("households_driven", 50), persons_driven=data.pop("persons_driven", 120),
        income_gain_per_capita=data.pop("income_gain_per_capita", "800"), scale=data.pop("scale", "30"),
        scale_unit=data.pop("scale_unit", "栋"), content=data.pop("content", "新建设施樱桃大棚30栋"), **data)


def library_project(people, **kw):
    """A project taken through 村申报 → 乡镇审核 → 公示 (7 days) → 县审定; the clock ends 9 days later."""
    p = new_project(people, **kw)
    p = svc.project_township_review(actor=people.township, project=p, on=clock.today())
    p = svc.project_publicise(actor=people.township, project=p, starts_on=clock.today())
    clock.advance(days=7)
    return svc.project_approve(actor=people.county, project=p, on=clock.today())


def funded_project(people, **kw):
    """A library project with its whole plan allocated (central 600,000 + province 400,000)."""
    p = library_project(people, **kw)
    for f in p.funds.all():
        svc.allocation_post(actor=people.county, project=p, source=f.source, amount=f.amount, on=clock.today(),
                            reference="彰财指〔2020〕1号")
    return p


def leased_asset(people, *, annual="50000.00", area=VILLAGE, starts=dt.date(2019, 3, 1), first_due=None,
                 value=("central", "500000.00")):
    """A confirmed village greenhouse leased to a cooperative since 2019-03-01 (rent due each 1 March)."""
    asset = svc.asset_register(
        actor=people.clerk if area == VILLAGE else people.township, area_code=area, name="樱桃大棚", asset_type="operating",
        subtype="base", acquisition="self_built", acquired_on=dt.date(2018, 8, 1), funded_year=2018, useful_life_years=10,
        condition="sound", funds={value[0]: value[1]}, custodian="富有村村民委员会", scale="10", scale_unit="栋")
    asset = svc.asset_confirm(actor=people.township, asset=asset, on=dt.date(2019, 1, 10))
    contract = svc.contract_propose(actor=people.clerk if area == VILLAGE else people.township, asset=asset,
                                    kind="lease", counterparty="彰武县富民樱桃专业合作社", term_years=3,
                                    starts_on=starts, annual_amount=annual, decided_on=dt.date(2019, 2, 1),
                                    first_due_on=first_due)
    contract = svc.contract_file(actor=people.township, contract=contract, on=dt.date(2019, 2, 10))
    return asset, contract


def make_household(village_code: str, number: str, *, status=HouseholdStatus.REGISTERED, year=2020) -> Household:
    from fupin.areas.selectors import area_get

    return Household.objects.create(year=year, household_number=number, village=area_get(village_code),
                                    member_count=3, status=status)


def D(value) -> Decimal:
    return Decimal(str(value))
