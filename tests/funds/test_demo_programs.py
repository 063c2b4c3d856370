"""The PV, job, microcredit and workshop demo: complete on a registry with people, idempotent, and every
page of it renders."""

import datetime as dt

import pytest
from django.test import Client
from registry.factories import make_household, member
from support.places import COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.funds import credit_book
from fupin.funds.demo_programs import demo_programs
from fupin.funds.models import Loan, PublicJob, PVPlan, PVPlanStatus, PVRecipient, PVStation, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(make_user):
    make_user(Role.VILLAGE_CLERK, VILLAGE, username="clerk")
    make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP, username="township")
    for n in range(8):
        birth = dt.date(1950 + n * 5, 3, 1)  # aged 70 down to 35 in 2020
        make_household(number=f"21092210120270{n}", household_type="1",
                       members=[member(f"户主{n}", "02", "1", birth)])
    make_household(village=OTHER_VILLAGE, number="210922101203700", household_type="1",
                   members=[member("黄户主", "02", "1", dt.date(1975, 1, 1))])


def test_demo_programs_complete_and_idempotent(registry, make_user):
    made = demo_programs()
    assert made["created"] and made["recipients"] == 2 and made["jobs"] == 5 and made["loans"] == 4
    assert PVStation.objects.count() == 2
    plan = PVPlan.objects.get()
    assert plan.status == PVPlanStatus.FILED and plan.county_fund == (plan.revenue * 3 / 10).quantize(plan.revenue)
    assert PVRecipient.objects.filter(status="approved").count() == 2
    assert Workshop.objects.filter(status="filed").count() == 1
    assert [w["level"] for w in credit_book.warnings(Loan.objects.all(), dt.date(2026, 1, 1))] == ["non_performing"]
    assert demo_programs() == {"created": False}

    client = Client()
    client.force_login(make_user(Role.COUNTY_ADMIN, COUNTY))
    urls = ["/funds/pv/", "/funds/jobs/", "/funds/credit/", "/funds/workshops/"]
    urls += [f"/funds/pv/stations/{s.pk}/" for s in PVStation.objects.all()]
    urls += [f"/funds/pv/plans/{p.pk}/" for p in PVPlan.objects.all()]
    urls += [f"/funds/jobs/{j.pk}/" for j in PublicJob.objects.all()]
    urls += [f"/funds/credit/loans/{x.pk}/" for x in Loan.objects.all()]
    urls += [f"/funds/workshops/{w.pk}/" for w in Workshop.objects.all()]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert "黄花山村委会" in client.get("/funds/pv/").content.decode()  # short of public-welfare posts
    assert client.get("/funds/pv/report.xlsx", {"area": COUNTY, "year": 2020}).status_code == 200
    assert client.get("/funds/credit/report.xlsx", {"area": COUNTY, "year": 2020}).status_code == 200
