"""The funds API: the permission matrix for reads and writes, and bad input answered with the rule and
the numbers (nothing written)."""

import datetime as dt

import pytest
from django.test import Client
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core import clock
from fupin.funds import services as svc
from fupin.funds.models import DistributionPlan, FundPosting, Project

from .conftest import funded_project, leased_asset, library_project, make_household, new_project

pytestmark = pytest.mark.django_db


def _client(token_for, user):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    return client


def _post(client, url, data):
    import json

    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_project_read_matrix(people, make_user, token_for):
    p = new_project(people)
    Matrix(f"/api/funds/projects/{p.pk}", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker=p.code).check(
        make_user, token_for)
    Matrix("/api/funds/projects?year=2020", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, api=True, marker=p.code,
           other_area_refused=False).check(make_user, token_for)


def test_project_step_matrix(people, make_user, token_for):
    p = new_project(people)
    Matrix(f"/api/funds/projects/{p.pk}/steps/review", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, api=True,
           method="post", data={"on": "2020-03-02"}).check(make_user, token_for)


def test_allocation_matrix(people, make_user, token_for):
    p = library_project(people)
    Matrix(f"/api/funds/projects/{p.pk}/allocations", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, api=True,
           method="post", data={"source": "central", "amount": "1000.00", "on": clock.today().isoformat()},
           ok_status=201).check(make_user, token_for)


def test_asset_and_plan_read_matrix(people, make_user, token_for):
    asset, _contract = leased_asset(people)
    Matrix(f"/api/funds/assets/{asset.pk}", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           marker=asset.code).check(make_user, token_for)
    new_project(people, name="村部办公楼维修")
    Matrix("/api/funds/risks", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, api=True, marker="村部办公楼维修",
           other_area_refused=False).check(make_user, token_for)


def test_a_village_clerk_cannot_post_money(people, token_for):
    p = library_project(people)
    response = _post(_client(token_for, people.clerk), f"/api/funds/projects/{p.pk}/allocations",
                     {"source": "central", "amount": "1", "on": clock.today()})
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"


def test_create_and_walk_a_project_through_the_api(people, token_for):
    clerk = _client(token_for, people.clerk)
    response = _post(clerk, "/api/funds/projects", {
        "area_code": VILLAGE, "catalogue_code": "11", "category": "planting", "mode": "household", "year": 2020,
        "village_meeting_on": "2020-03-01", "funds": [{"source": "central", "amount": "300000.00"}],
        "households_driven": 10, "persons_driven": 25})
    assert response.status_code == 201, response.content
    pid = response.json()["id"]
    township = _client(token_for, people.township)
    assert _post(township, f"/api/funds/projects/{pid}/steps/review", {"on": "2020-03-02"}).status_code == 200
    assert _post(township, f"/api/funds/projects/{pid}/steps/publicise", {"on": "2020-03-02"}).status_code == 200
    clock.advance(days=7)
    county = _client(token_for, people.county)
    body = _post(county, f"/api/funds/projects/{pid}/steps/approve", {"on": clock.today()}).json()
    assert body["in_library"] and body["status"] == "in_library"
    assert _post(county, f"/api/funds/projects/{pid}/allocations",
                 {"source": "central", "amount": "300000", "on": clock.today()}).status_code == 201
    detail = county.get(f"/api/funds/projects/{pid}").json()
    assert detail["ledger"]["allocated"] == "300000.00" and detail["ledger"]["payable"] == "0.00"


def test_allocation_outside_the_library_is_refused(people, token_for):
    p = new_project(people)
    response = _post(_client(token_for, people.county), f"/api/funds/projects/{p.pk}/allocations",
                     {"source": "central", "amount": "1000", "on": clock.today()})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "project_not_in_library" and "项目库" in error["message"]
    assert not FundPosting.objects.exists()


def test_disbursement_over_the_allocation_is_refused(people, token_for):
    p = funded_project(people)
    svc.project_complete(actor=people.clerk, project=p, on=clock.today())
    response = _post(_client(token_for, people.county), f"/api/funds/projects/{p.pk}/disbursements",
                     {"source": "province", "amount": "400000.01", "on": clock.today()})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "disbursement_over_allocation"
    assert error["details"] == {"allocated": "400000.00", "disbursed": "0.00", "amount": "400000.01"}
    assert not FundPosting.objects.filter(kind="disbursement").exists()


def test_a_plan_under_the_household_share_is_refused(people, token_for):
    asset, contract = leased_asset(people)
    svc.income_receive(actor=people.clerk, contract=contract, period_year=2019, amount="10000",
                       received_on=dt.date(2019, 3, 2))
    h = make_household(VILLAGE, "210922101202001")
    response = _post(_client(token_for, people.clerk), "/api/funds/plans", {
        "area_code": VILLAGE, "year": 2019, "title": "2019年租金分配", "income_total": "10000",
        "lines": [{"kind": "household", "household": h.pk, "amount": "4999.99"},
                  {"kind": "collective", "village": VILLAGE, "amount": "5000"}]})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "household_share_below_minimum"
    assert "应至少到户 5,000.00元，方案到户 4,999.99元" in error["message"]
    assert not DistributionPlan.objects.exists()


def test_pledging_an_asset_is_refused(people, token_for):
    asset, _contract = leased_asset(people)
    response = _post(_client(token_for, people.clerk), f"/api/funds/assets/{asset.pk}/pledge",
                     {"creditor": "彰武农商银行", "amount": "300000"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "asset_pledge_forbidden"


def test_malformed_input_is_a_validation_error(people, token_for):
    p = library_project(people)
    client = _client(token_for, people.county)
    response = _post(client, f"/api/funds/projects/{p.pk}/allocations", {"source": "central", "amount": "abc",
                                                                          "on": "2020-03-01"})
    assert response.status_code == 422
    response = _post(client, f"/api/funds/projects/{p.pk}/allocations", {"source": "central", "amount": "1.005",
                                                                          "on": "2020-03-01"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_amount_precision"
    assert not FundPosting.objects.exists()


def test_household_distributions_endpoint(people, token_for):
    from .test_distribution import _lines

    asset, contract = leased_asset(people)
    svc.income_receive(actor=people.clerk, contract=contract, period_year=2019, amount="50000",
                       received_on=dt.date(2019, 3, 1))
    households = [make_household(VILLAGE, f"2109221012020{n:02d}") for n in range(1, 4)]
    plan = svc.plan_create(actor=people.clerk, area_code=VILLAGE, year=2019, title="分配", income_total="50000",
                           lines=_lines(households))
    for step, who, on in (("decide", people.clerk, "2020-02-01"), ("publicise", people.clerk, "2020-02-02"),
                          ("review", people.township, "2020-02-10"), ("approve", people.county, "2020-02-12")):
        response = _post(_client(token_for, who), f"/api/funds/plans/{plan.pk}/steps/{step}", {"on": on})
        assert response.status_code == 200, response.content
    shares = _client(token_for, people.clerk).get(f"/api/funds/households/{households[0].pk}/distributions").json()
    assert [(s["plan_code"], s["amount"]) for s in shares] == [(plan.code, "9000.00")]
    other = _client(token_for, people.other_clerk).get(f"/api/funds/households/{households[0].pk}/distributions")
    assert other.json() == []
    assert Project.objects.count() == 0
