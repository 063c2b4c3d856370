"""Policy pages and API: the permission matrix, a run started from the page and carried out by the worker,
stored decisions on the household page, and the API's answers to bad input."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from registry.factories import make_household
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Role
from fupin.policy.models import ScreeningRun, StoredDecision
from fupin.policy.services import screening_run
from fupin.registry.services import registry_year_freeze
from fupin.tasks.models import Task, TaskStatus
from fupin.tasks.services import worker_loop

pytestmark = pytest.mark.django_db
WHATIF = {"pack": "zhangwu-2020", "year": 2020, "area": VILLAGE, "changes": {"national_poverty_line": 4500}}


@pytest.fixture
def household(areas):
    return make_household(household_type="1", wage_income=Decimal("3000.00"), business_income=Decimal("0.00"),
                          transfer_income=Decimal("0.00"), production_costs=Decimal("0.00"))


@pytest.fixture
def run(household):
    return screening_run(actor=None, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE)


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _api(user, token_for, method, url, body=None):
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"}
    if method == "get":
        return Client().get(url, body or {}, **extra)
    return Client().generic(method.upper(), url, json.dumps(body or {}), content_type="application/json", **extra)


# ---- permission matrix ------------------------------------------------------------------------------

def test_home_lists_runs_of_own_area_only(run, make_user, token_for):
    Matrix("/policy/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=f"/policy/runs/{run.pk}/",
           other_area_refused=False).check(make_user, token_for)


def test_run_page(run, make_user, token_for):
    Matrix(f"/policy/runs/{run.pk}/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE).check(make_user, token_for)


def test_start_run_from_the_page(household, make_user, token_for):
    Matrix("/policy/runs/start/", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, method="post", ok_status=302,
           data={"pack": "zhangwu-2020@1", "year": 2020, "area": VILLAGE, "engine": "polars"}).check(make_user, token_for)


def test_whatif_page(household, make_user, token_for):
    data = {**WHATIF, "pack": "zhangwu-2020@1", "changes": "national_poverty_line=4500"}
    Matrix("/policy/whatif/", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, method="post", data=data,
           marker="whatif-result").check(make_user, token_for)


def test_clerk_cannot_start_runs(household, make_user):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    response = _client(clerk).post("/policy/runs/start/", {"pack": "zhangwu-2020@1", "year": 2020, "area": VILLAGE})
    assert response.status_code == 403
    assert _client(clerk).get("/policy/whatif/").status_code == 403


@pytest.mark.parametrize("url", ["/api/policy/runs/{run}", "/api/policy/runs/{run}/decisions",
                                 "/api/policy/households/{household}/evaluation"])
def test_api_reads(run, household, make_user, token_for, url):
    Matrix(url.format(run=run.pk, household=household.pk), Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE,
           api=True).check(make_user, token_for)


@pytest.mark.parametrize("url", ["/api/policy/packs", "/api/policy/packs/zhangwu-2020",
                                 "/api/policy/packs/zhangwu-2018@1/diff/zhangwu-2020@1"])
def test_api_packs(url, make_user, token_for, areas):
    Matrix(url, Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True, other_area_refused=False).check(
        make_user, token_for)


def test_api_writes(household, make_user, token_for):
    Matrix("/api/policy/runs", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, api=True, method="post", ok_status=202,
           data={"pack": "zhangwu-2020", "year": 2020, "area": VILLAGE}).check(make_user, token_for)
    Matrix("/api/policy/whatif", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, api=True, method="post",
           data=WHATIF).check(make_user, token_for)


# ---- behaviour ---------------------------------------------------------------------------------------

def test_a_run_started_on_the_page_is_done_by_the_worker_and_shown_on_the_household_page(household, make_user):
    officer = make_user(Role.COUNTY_OFFICER, COUNTY)
    client = _client(officer)
    response = client.post("/policy/runs/start/", {"pack": "zhangwu-2020@1", "year": 2020, "area": VILLAGE,
                                                    "engine": "polars"})
    task = Task.objects.get(kind="policy.screen")
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    assert not ScreeningRun.objects.exists()  # queued, not yet run
    assert worker_loop(once=True) == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE, task.error
    run = ScreeningRun.objects.get()
    assert task.result["run"] == run.pk and run.created_by == officer
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert f"/policy/runs/{run.pk}/" in page and "最近筛查" in page
    assert '<td class="stored">是</td>' in page  # the low-income list, stored beside the live result
    detail = client.get(f"/policy/runs/{run.pk}/?rule=low_income_list").content.decode()
    assert household.household_number in detail and "low_income_list" in detail


def test_bad_start_is_refused_on_the_page_without_queueing(household, make_user):
    client = _client(make_user(Role.COUNTY_OFFICER, COUNTY))
    response = client.post("/policy/runs/start/", {"pack": "zhangwu-2020@1", "year": 2019, "area": VILLAGE,
                                                    "engine": "polars"})
    assert response.status_code == 400 and "不适用于2019年" in response.content.decode()
    response = client.post("/policy/runs/start/", {"pack": "zhangwu-2020@1", "year": 2020, "area": "21092210",
                                                    "engine": "polars"})
    assert response.status_code == 400 and "区划代码应为6、9或12位数字" in response.content.decode()
    assert not Task.objects.exists()


def test_api_run_and_its_decisions(run, household, make_user, token_for):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    listed = _api(clerk, token_for, "get", "/api/policy/runs").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == run.pk and listed["items"][0]["area"] == VILLAGE
    page = _api(clerk, token_for, "get", f"/api/policy/runs/{run.pk}/decisions",
                {"rule": "low_income_list", "page_size": 10}).json()
    assert page["count"] == 1
    item = page["items"][0]
    assert (item["household"], item["value"], item["status"], item["pack"]) == (
        household.pk, "true", "ok", "zhangwu-2020@2")
    assert item["clauses"]["income"] is True
    assert _api(clerk, token_for, "get", f"/api/policy/runs/{run.pk}/decisions",
                {"page_size": 501}).status_code == 422
    total = StoredDecision.objects.filter(run=run).count()
    assert _api(clerk, token_for, "get", f"/api/policy/runs/{run.pk}/decisions").json()["count"] == total


def test_api_evaluation_explains(household, make_user, token_for):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    body = _api(clerk, token_for, "get", f"/api/policy/households/{household.pk}/evaluation").json()
    decision = body["decisions"]["low_income_list"]
    assert body["pack"] == "zhangwu-2020@2" and decision["value"] is True and decision["reasons"]


def test_api_bad_input(household, make_user, token_for):
    officer = make_user(Role.COUNTY_OFFICER, COUNTY)
    unknown = _api(officer, token_for, "post", "/api/policy/runs", {"pack": "nowhere", "year": 2020, "area": VILLAGE})
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown_pack"
    assert _api(officer, token_for, "get", "/api/policy/packs/nowhere").status_code == 404
    wrong = _api(officer, token_for, "post", "/api/policy/whatif",
                 {**WHATIF, "changes": {"national_poverty_line": "很多"}})
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "bad_parameter"
    assert wrong.json()["error"]["details"]["problems"][0]["field"] == "parameters.national_poverty_line.value"
    engine = _api(officer, token_for, "post", "/api/policy/runs", {"pack": "zhangwu-2020", "year": 2020,
                                                                   "area": VILLAGE, "engine": "excel"})
    assert engine.status_code == 422
    admin = make_user(Role.COUNTY_ADMIN, COUNTY)
    registry_year_freeze(actor=admin, county_code="210922", year=2020)
    frozen = _api(officer, token_for, "post", "/api/policy/runs", {"pack": "zhangwu-2020", "year": 2020,
                                                                   "area": VILLAGE})
    assert frozen.status_code == 423 and frozen.json()["error"]["code"] == "year_frozen"
    assert not Task.objects.filter(kind="policy.screen").exists()


def test_api_whatif_lists_changed_households(make_user, token_for, areas):
    moved = make_household(household_type="2", food_secure=True, clothing_secure=True, basic_medical_secured=True,
                           compulsory_education_secured=True, housing_secured=True, safe_drinking_water=True,
                           wage_income=Decimal(12600), business_income=Decimal(0), transfer_income=Decimal(0),
                           production_costs=Decimal(0))
    body = _api(make_user(Role.COUNTY_OFFICER, COUNTY), token_for, "post", "/api/policy/whatif", WHATIF).json()
    exit_rule = next(r for r in body["rules"] if r["rule"] == "exit_standard")
    assert exit_rule["changed"] == 1 and exit_rule["households"][0]["household_number"] == moved.household_number
