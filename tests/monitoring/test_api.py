"""/api/monitoring: propose, screening answers, monthly records, elimination; bad input answers the one
error shape and writes nothing; lists are paginated."""

import datetime as dt
import json

import pytest
from django.test import Client

from fupin.core import clock
from fupin.monitoring.models import MonitoringCase, MonthlyRecord

from .kit import CLEAN_FACTS, START, exited_household, to_entry

pytestmark = pytest.mark.django_db


def call(token, method, url, body=None):
    client = Client()
    response = client.generic(method, url, json.dumps(body) if body is not None else "",
                              content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.status_code, response.json()


def test_propose_list_detail_and_bad_input(people, token_for):
    household = exited_household()
    token = token_for(people.clerk)
    with clock.pinned(START):
        status, body = call(token, "POST", "/api/monitoring/cases", {"household_id": household.pk,
                                                                     "found_by": "nonsense", "reason": "x"})
        assert status == 400 and body["error"]["code"] == "bad_found_by" and "发现途径" in body["error"]["message"]
        status, body = call(token, "POST", "/api/monitoring/cases", {"household_id": household.pk,
                                                                     "found_by": "application", "reason": "x",
                                                                     "facts": {"car_value": "-1"}})
        assert status == 400 and "car_value" in body["error"]["details"]["errors"]
        assert not MonitoringCase.objects.exists()
        status, body = call(token, "POST", "/api/monitoring/cases", {
            "household_id": household.pk, "found_by": "application", "reason": "因病", "risk_types": ["01"],
            "facts": CLEAN_FACTS})
        assert status == 201 and body["status"] == "screening" and "村委会研究评议" in body["step"]
        case_id = body["id"]
        status, body = call(token, "POST", "/api/monitoring/cases", {"household_id": household.pk,
                                                                     "found_by": "application", "reason": "再提"})
        assert status == 409 and body["error"]["code"] == "case_exists"
    status, body = call(token, "GET", "/api/monitoring/cases?status=screening&page_size=1")
    assert status == 200 and body["count"] == 1 and body["items"][0]["id"] == case_id
    status, body = call(token, "GET", "/api/monitoring/cases?page_size=100000")
    assert status == 422
    status, body = call(token, "GET", f"/api/monitoring/cases/{case_id}")
    assert status == 200 and body["policy_pack"].startswith("zhangwu-2020")
    assert {row["id"] for row in body["policy"]} >= {"monitoring_exclusion", "risk_level"}
    assert body["household_phone"] == "13912345678"
    status, body = call(token_for(people.workteam), "GET", f"/api/monitoring/cases/{case_id}")
    assert body["household_phone"] == "139****5678"


def test_facts_stale_version(people, token_for):
    household = exited_household()
    token = token_for(people.clerk)
    with clock.pinned(START):
        _s, body = call(token, "POST", "/api/monitoring/cases", {"household_id": household.pk,
                                                                 "found_by": "screening", "reason": "摸排"})
        case_id, version = body["id"], body["version"]
        status, body = call(token, "POST", f"/api/monitoring/cases/{case_id}/facts",
                            {"facts": CLEAN_FACTS, "expected_version": version})
        assert status == 200 and body["version"] == version + 1
        status, body = call(token, "POST", f"/api/monitoring/cases/{case_id}/facts",
                            {"facts": {"large_grower": True}, "expected_version": version})
        assert status == 409 and body["error"]["code"] == "stale_version"
    assert MonitoringCase.objects.get(pk=case_id).facts["large_grower"] is False


def test_monthly_records_and_elimination_over_the_api(people, token_for):
    household = exited_household()
    token = token_for(people.clerk)
    with clock.pinned(START):
        _s, body = call(token, "POST", "/api/monitoring/cases", {"household_id": household.pk,
                                                                 "found_by": "application", "reason": "因病",
                                                                 "facts": CLEAN_FACTS})
        case_id = body["id"]
        from fupin.workflow.models import Review

        to_entry(Review.objects.get(kind="monitoring.identify", subject_id=str(case_id)), people)
    month = {"month": "2020-07", "income": "2000", "expenses": "900", "education_secured": True,
             "medical_secured": True, "housing_secured": True, "water_secured": True}
    with clock.pinned(dt.date(2020, 8, 3)):
        status, body = call(token, "POST", f"/api/monitoring/cases/{case_id}/monthly", {**month, "income": "abc"})
        assert status in (400, 422)
        status, body = call(token, "POST", f"/api/monitoring/cases/{case_id}/monthly", {**month, "month": "2021-01"})
        assert status == 400 and "month" in body["error"]["details"]["errors"]
        status, body = call(token, "POST", f"/api/monitoring/cases/{case_id}/monthly", month)
        assert status == 200 and body["version"] == 1
        status, body = call(token, "POST", f"/api/monitoring/cases/{case_id}/monthly", {**month, "income": "2100"})
        assert status == 409
        status, body = call(token, "GET", f"/api/monitoring/cases/{case_id}/monthly")
        assert body["count"] == 1 and body["items"][0]["income"] in ("2000.00", 2000.0, "2000")
        status, body = call(token, "POST", f"/api/monitoring/cases/{case_id}/eliminate",
                            {"reason": "收入稳定", "expected_version": 1})
        assert status == 409
        version = MonitoringCase.objects.get(pk=case_id).version
        status, body = call(token, "POST", f"/api/monitoring/cases/{case_id}/eliminate",
                            {"reason": "收入稳定", "expected_version": version})
        assert status == 201 and "村委会研究评议" in body["case"]["step"]
    assert MonthlyRecord.objects.count() == 1
