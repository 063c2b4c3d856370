"""The workflow API: acting with the one error shape, the full review, lists and counts."""

import json

import pytest

from fupin.accounts.roles import Role
from fupin.core import clock
from fupin.workflow.models import ReviewStatus

from .kit import APPRAISAL_OK

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, token_for):
    def call(user, method: str, url: str, body: dict | None = None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"}
        if method == "get":
            return client.get(url, **headers)
        return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)

    return call


def _act(api, user, review, **body):
    return api(user, "post", f"/api/workflow/reviews/{review.pk}/act", body)


def test_walk_through_the_api(api, people, opened):
    r = _act(api, people.clerk, opened, act="appraisal", expected_version=1, **APPRAISAL_OK)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["stage_key"], body["version"], body["acts"]) == ("village_notice", 2, ["start_notice"])
    r = _act(api, people.clerk, opened, act="start_notice", expected_version=2, window_days=7, place="公开栏")
    notice = r.json()["notices"][0]
    assert (notice["starts_on"], notice["ends_on"], notice["status"]) == ("2024-03-01", "2024-03-07", "open")
    r = _act(api, people.clerk, opened, act="add_objection", expected_version=3, raised_by="村民甲",
             contact="13912345678", content="家有轿车", received_on="2024-03-02")
    assert r.status_code == 400 and "收到日期不能晚于今天" in r.json()["error"]["message"]
    r = _act(api, people.clerk, opened, act="add_objection", expected_version=3, raised_by="村民甲",
             contact="13912345678", content="家有轿车")
    objection = r.json()["notices"][0]["objections"][0]
    assert objection["contact"] == "13912345678" and objection["outcome"] == "pending"
    r = _act(api, people.clerk, opened, act="resolve_objection", expected_version=4, objection_id=objection["id"],
             outcome="dismissed", resolution="亲属车辆")
    clock.advance(days=7)
    r = _act(api, people.clerk, opened, act="close_notice", expected_version=5)
    assert r.json()["stage_key"] == "township"
    r = _act(api, people.township, opened, act="approve", expected_version=6, data={"risk_level": "low"})
    assert r.json()["stage_data"]["township"]["risk_level"] == "low"
    r = _act(api, people.county, opened, act="approve", expected_version=7)
    r = _act(api, people.county, opened, act="announce", expected_version=8, announced_on="2024-03-08")
    body = r.json()
    assert body["status"] == ReviewStatus.APPROVED and body["acts"] == []
    assert [s["state"] for s in body["stages"]] == ["done"] * 6
    assert [s["action"] for s in body["steps"]][-3:] == ["approved", "approved", "announced"]


def test_stale_version_is_409_in_the_error_shape(api, people, opened):
    _act(api, people.clerk, opened, act="appraisal", expected_version=1, **APPRAISAL_OK)
    r = _act(api, people.clerk, opened, act="start_notice", expected_version=1)
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "stale_version" and error["details"] == {"current_version": 2}
    assert "请刷新后重试" in error["message"] and error["request_id"]


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"act": "appraisal", "expected_version": 1, **APPRAISAL_OK, "votes_for": 40}, 400, "votes_exceed_attendees"),
    ({"act": "fly", "expected_version": 1}, 400, "unknown_act"),
    ({"act": "approve", "expected_version": 1}, 409, "wrong_stage"),
    ({"act": "appraisal", "expected_version": "one"}, 422, "validation_failed"),
    ({"act": "appraisal"}, 422, "validation_failed"),
    ({"act": "appraisal", "expected_version": 1, **APPRAISAL_OK, "minutes": "a\x00b"}, 400, "invalid_characters"),
])
def test_bad_requests(api, people, opened, body, status, code):
    r = _act(api, people.clerk, opened, **body)
    assert r.status_code == status, r.content
    assert r.json()["error"]["code"] == code
    opened.refresh_from_db()
    assert opened.version == 1


def test_refusals(api, people, opened):
    r = _act(api, people.township, opened, act="appraisal", expected_version=1, **APPRAISAL_OK)
    assert r.status_code == 403 and r.json()["error"]["code"] == "stage_permission"
    r = _act(api, people.other_clerk, opened, act="appraisal", expected_version=1, **APPRAISAL_OK)
    assert r.status_code == 404
    assert api(people.clerk, "get", "/api/workflow/reviews/99999999999999999999").status_code in (404, 422)


def test_detail_masks_contacts_for_readers_without_pii(api, people, opened, make_user):
    _act(api, people.clerk, opened, act="appraisal", expected_version=1, **APPRAISAL_OK)
    _act(api, people.clerk, opened, act="start_notice", expected_version=2)
    _act(api, people.clerk, opened, act="add_objection", expected_version=3, raised_by="村民甲",
         contact="13912345678", content="有车")
    cadre = make_user(Role.PAIRING_CADRE, opened.area.code)
    body = api(cadre, "get", f"/api/workflow/reviews/{opened.pk}").json()
    assert body["notices"][0]["objections"][0]["contact"] == "139****5678"
    assert body["acts"] == [] and "registry.propose" in body["problem"]


def test_lists_and_counts(api, people, opened):
    body = api(people.clerk, "get", "/api/workflow/inbox").json()
    assert body["count"] == 1 and body["items"][0]["subject_label"] == "富有村委会"
    counts = api(people.clerk, "get", "/api/workflow/inbox/counts").json()
    assert counts == {"total": 1, "overdue": 0, "stages": [
        {"kind": "test.identify", "kind_label": "测试识别纳入", "stage_key": "appraisal", "stage_label": "村民主评议",
         "count": 1}]}
    assert api(people.county, "get", "/api/workflow/reviews?area=210922101").json()["count"] == 1
    assert api(people.county, "get", "/api/workflow/reviews?area=210922102").json()["count"] == 0
    r = api(people.county, "get", "/api/workflow/reviews?status=lost")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_filter"
    clock.advance(days=16)
    assert api(people.county, "get", "/api/workflow/overdue").json()["items"][0]["overdue"] is True
    assert api(people.county, "get", "/api/workflow/overdue/by-area?level=5").json() == [
        {"code": "210922101202", "name": "富有村委会", "count": 1}]
    assert api(people.county, "get", "/api/workflow/overdue/by-area?level=9").status_code == 400
