"""Fixtures: the shipped checklist, a 2020 campaign over 哈尔套镇, the people who run and answer it, and
the clock pinned to 2020-09-15."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from support.places import COUNTY, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core import clock
from fupin.supervision import services
from fupin.supervision.checklists import shipped_checklist

TODAY = dt.date(2020, 9, 15)
# The smallest valid PNG: a photo of the rectified site, as far as the system can tell.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f3b9f20000000049454e44ae426082")


def photo(name: str = "整改后照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(TODAY):
        yield TODAY


@pytest.fixture
def officer(make_user):
    return make_user(Role.COUNTY_OFFICER, COUNTY)


@pytest.fixture
def admin(make_user):
    return make_user(Role.COUNTY_ADMIN, COUNTY)


@pytest.fixture
def clerk(make_user):
    return make_user(Role.VILLAGE_CLERK, VILLAGE)


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)


@pytest.fixture
def checklist(areas):
    return shipped_checklist()


@pytest.fixture
def campaign(officer, checklist):
    return services.campaign_create(actor=officer, county_code=COUNTY, kind="inspection", name="2020年第三季度脱贫攻坚督查",
                                    year=2020, start_date=dt.date(2020, 9, 1), end_date=dt.date(2020, 9, 30),
                                    covered_codes=[TOWNSHIP], inspectors="县委县政府督查考核室 崔显伟等",
                                    checklist=checklist)


@pytest.fixture
def finding(officer, campaign, checklist):
    item = checklist.items.get(no="1.5")
    return services.finding_record(actor=officer, area_code=VILLAGE, description="帮扶责任人8月仅走访1次，未达到每月3次",
                                   responsible_kind="village", found_on=dt.date(2020, 9, 10),
                                   deadline=dt.date(2020, 9, 30), campaign=campaign, checklist_item=item)
