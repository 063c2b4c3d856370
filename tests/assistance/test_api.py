"""The API: its answers, and bad input answered with the one error shape and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from support.places import VILLAGE

from fupin.assistance import services
from fupin.assistance.models import PairingAssignment, Visit
from fupin.registry.models import Household

from .conftest import TODAY, make_household


def api(user, token_for, method, url, data=None):
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"}
    if method == "get":
        return client.get(url, data or {}, **auth)
    import json

    return client.generic(method.upper(), url, json.dumps(data or {}), content_type="application/json", **auth)


def test_catalogue_lists_measures_with_kind_and_source(clerk, token_for):
    body = api(clerk, token_for, "get", "/api/assistance/catalogue").json()
    measures = {m["code"]: m for m in body["measures"]}
    assert measures["EMP-PUBLIC"]["kind"] == "work" and measures["EMP-PUBLIC"]["category_label"] == "就业帮扶"
    assert measures["SEC-DIBAO"]["kind"] == "protection" and measures["SEC-DIBAO"]["source"].startswith("000: ")


def test_plan_round_trip_shows_the_labour_rule(clerk, token_for, household):
    url = f"/api/assistance/households/{household.pk}/plan"
    assert api(clerk, token_for, "post", url, {"needs": "务工"}).status_code == 201
    response = api(clerk, token_for, "post", url + "/measures",
                   {"measure_code": "SEC-MEDICAL", "start_date": "2020-04-01", "status": "in_place",
                    "responsible_unit": "县医保局", "amount": "800.50"})
    assert response.status_code == 201 and response.json()["amount"] == "800.50"
    plan = api(clerk, token_for, "get", url).json()
    assert plan["has_labour"] is True and plan["rule_ok"] is False and "开发式" in plan["rule_message"]


def test_future_visit_is_a_400_with_the_error_shape(cadre, token_for, household):
    response = api(cadre, token_for, "post", f"/api/assistance/households/{household.pk}/visits",
                   {"visited_on": str(TODAY + dt.timedelta(days=3)), "content": "走访"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "晚于今天" in error["message"] and "visited_on" in error["details"]["errors"]
    assert Visit.objects.count() == 0


def test_malformed_visit_is_refused_at_the_edge(cadre, token_for, household):
    response = api(cadre, token_for, "post", f"/api/assistance/households/{household.pk}/visits",
                   {"visited_on": "next tuesday", "content": "走访"})
    assert response.status_code in (400, 422) and "error" in response.json()
    assert Visit.objects.count() == 0


def test_over_limit_assignment_is_a_400(township, token_for, cadre, areas):
    for _ in range(5):
        h = make_household()
        services.cadre_assign(actor=township, household=h, cadre=cadre)
    sixth = make_household()
    response = api(township, token_for, "post", f"/api/assistance/households/{sixth.pk}/assignments",
                   {"cadre_user_id": cadre.pk, "version": sixth.version})
    assert response.status_code == 400 and response.json()["error"]["code"] == "cadre_over_limit"
    assert not PairingAssignment.objects.filter(household=sixth).exists()


def test_stale_assignment_is_a_409(township, token_for, cadre, household):
    Household.objects.filter(pk=household.pk).update(version=5)
    response = api(township, token_for, "post", f"/api/assistance/households/{household.pk}/assignments",
                   {"cadre_user_id": cadre.pk, "version": 1})
    assert response.status_code == 409 and response.json()["error"]["code"] == "stale_version"


def test_stale_measure_patch_is_a_409(clerk, token_for, household):
    plan = services.plan_create(actor=clerk, household=household)
    measure = services.measure_add(actor=clerk, plan=plan, data={"measure_code": "IND-LOAN", "start_date": "2020-03-01",
                                                                "responsible_unit": "县农商银行"})
    ok = api(clerk, token_for, "patch", f"/api/assistance/measures/{measure.pk}", {"version": 1, "status": "in_place"})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api(clerk, token_for, "patch", f"/api/assistance/measures/{measure.pk}", {"version": 1, "amount": "9"})
    assert stale.status_code == 409


def test_bad_month_and_huge_pages_are_refused(township, token_for):
    bad = api(township, token_for, "get", "/api/assistance/visit-check",
              {"area": VILLAGE, "year": 2020, "month": "2020-13"})
    assert bad.status_code == 400 and "月份格式" in bad.json()["error"]["message"]
    assert api(township, token_for, "get", "/api/assistance/plans", {"page_size": 100000}).status_code == 422


def test_cadre_phone_is_masked_in_the_api_for_cadres(cadre, clerk, token_for):
    masked = api(cadre, token_for, "get", "/api/assistance/cadres").json()["items"]
    clear = api(clerk, token_for, "get", "/api/assistance/cadres").json()["items"]
    assert [c["phone"] for c in masked] == ["139****1234"] and [c["phone"] for c in clear] == ["13904181234"]


@pytest.mark.parametrize("month", ["2020-05", None])
def test_visit_check_api(township, token_for, cadre, household, month):
    services.cadre_assign(actor=township, household=household, cadre=cadre)
    params = {"area": VILLAGE, "year": 2020, **({"month": month} if month else {})}
    body = api(township, token_for, "get", "/api/assistance/visit-check", params).json()
    assert body["month"] == "2020-05" and body["min_visits"] == 3
    assert body["behind"] == [{"household_id": household.pk, "household_number": household.household_number,
                               "cadre_name": "刘帮扶", "visits": 0, "due": 3}]
