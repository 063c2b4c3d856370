"""Every funds page against the permission matrix, the pages rendering the demo data, and the page forms
turning refusals into messages."""

import datetime as dt

import pytest
from django.test import Client
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core import clock
from fupin.funds.demo import FUYOU, demo_funds
from fupin.funds.models import Asset, DistributionPlan, EquityInvestment, FundPosting, Project, ProjectStatus

from .conftest import funded_project, library_project, make_household, new_project

pytestmark = pytest.mark.django_db


def test_project_list_is_scoped(people, make_user, token_for):
    new_project(people, name="富有村设施樱桃")
    Matrix("/funds/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker="富有村设施樱桃",
           other_area_refused=False).check(make_user, token_for)


def test_project_detail(people, make_user, token_for):
    p = new_project(people)
    Matrix(f"/funds/projects/{p.pk}/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=p.code).check(
        make_user, token_for)


def test_township_review_page_action(people, make_user, token_for):
    p = new_project(people)
    Matrix(f"/funds/projects/{p.pk}/review/", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, method="post",
           data={"on": "2020-03-02", "version": p.version}, ok_status=302).check(make_user, token_for)
    assert Project.objects.get(pk=p.pk).status == ProjectStatus.TOWNSHIP_REVIEWED


def test_allocation_page_action(people, make_user, token_for):
    p = library_project(people)
    Matrix(f"/funds/projects/{p.pk}/allocate/", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, method="post",
           data={"allocate-source": "central", "allocate-amount": "1000", "allocate-on": clock.today().isoformat()},
           ok_status=302).check(make_user, token_for)
    assert FundPosting.objects.filter(project=p).count() == 1


def test_asset_pages(people, make_user, token_for):
    from .conftest import leased_asset

    asset, _contract = leased_asset(people)
    Matrix("/funds/assets/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=asset.code,
           other_area_refused=False).check(make_user, token_for)
    Matrix(f"/funds/assets/{asset.pk}/", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, marker="彰武县富民樱桃专业合作社"
           ).check(make_user, token_for)


def test_plan_and_risk_pages(people, make_user, token_for):
    new_project(people, name="村部办公楼")
    Matrix("/funds/risks/", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, marker="疑似负面清单",
           other_area_refused=False).check(make_user, token_for)
    Matrix("/funds/plans/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, other_area_refused=False).check(
        make_user, token_for)


def test_inventory_download_needs_the_area(people, make_user, token_for):
    Matrix("/funds/inventory.xlsx?form=4&area=210922101", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP).check(
        make_user, token_for)


def test_the_menu_shows_the_entry(people):
    client = Client()
    client.force_login(people.clerk)
    body = client.get("/").content.decode()
    assert "资金项目" in body and 'href="/funds/"' in body


def test_every_page_renders_the_demo(make_user, areas):
    with clock.pinned(dt.date(2024, 1, 15)):
        for n in range(1, 9):
            make_household(FUYOU, f"210922101202{n:03d}")
        demo_funds()
        client = Client()
        client.force_login(make_user(Role.COUNTY_ADMIN, COUNTY))
        urls = ["/funds/", "/funds/assets/", "/funds/equity/", "/funds/plans/", "/funds/risks/", "/funds/projects/new/",
                "/funds/assets/new/", "/funds/equity/new/", "/funds/plans/new/",
                "/funds/pv/", "/funds/jobs/", "/funds/credit/", "/funds/workshops/", "/funds/pv/stations/new/",
                "/funds/pv/plans/new/", "/funds/pv/recipients/new/", "/funds/jobs/new/", "/funds/credit/loans/new/",
                "/funds/workshops/new/"]
        urls += [f"/funds/projects/{p.pk}/" for p in Project.objects.all()]
        urls += [f"/funds/assets/{a.pk}/" for a in Asset.objects.all()]
        urls += [f"/funds/equity/{e.pk}/" for e in EquityInvestment.objects.all()]
        urls += [f"/funds/plans/{p.pk}/" for p in DistributionPlan.objects.all()]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        risks = client.get("/funds/risks/").content.decode()
        assert "仅依靠扶贫专项资金" in risks and "未按约定分红" in risks and "租金未按期收取" in risks
        xlsx = client.get("/funds/inventory.xlsx?form=1&area=210922")
        assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_refused_disbursement_shows_the_rule_on_the_page(people):
    p = funded_project(people)
    client = Client()
    client.force_login(people.county)
    response = client.post(f"/funds/projects/{p.pk}/disburse/", {
        "disburse-source": "central", "disburse-amount": "10", "disburse-on": clock.today().isoformat()}, follow=True)
    body = response.content.decode()
    assert "拨付超出按进度可拨付额" in body and "进度达到80%后累计可拨付50%" in body
    assert not FundPosting.objects.filter(kind="disbursement").exists()


def test_project_form_creates_and_reports_bad_input(people):
    client = Client()
    client.force_login(people.clerk)
    data = {"area_code": VILLAGE, "catalogue_code": "22", "category": "breeding", "mode": "household", "year": 2020,
            "village_meeting_on": "2020-03-01", "households_driven": 5, "persons_driven": 3,
            "income_gain_per_capita": 0, "source_1": "central", "amount_1": "50000"}
    response = client.post("/funds/projects/new/", data)
    assert response.status_code == 200 and "不能少于户数" in response.content.decode()
    data["persons_driven"] = 12
    response = client.post("/funds/projects/new/", data)
    assert response.status_code == 302
    assert Project.objects.get().name == "养牛"
