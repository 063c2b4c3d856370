"""/api/supervision against the permission matrix, and the whole rectification over the API: record,
report with files (multipart), close; the one error shape for bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.supervision.models import Finding, FindingStatus

from .conftest import photo

pytestmark = pytest.mark.django_db
CLERK, OFFICER, REVIEWER = Role.VILLAGE_CLERK, Role.COUNTY_OFFICER, Role.TOWNSHIP_REVIEWER

FINDING = {"area": VILLAGE, "description": "危房改造户旧房未拆除", "severity": "serious", "responsible_kind": "village",
           "found_on": "2020-09-11", "deadline": "2020-10-11"}


def api(user, token_for) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")


def test_findings_list(make_user, token_for, finding):
    Matrix("/api/supervision/findings", CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker="帮扶责任人8月仅走访1次",
           other_area_refused=False).check(make_user, token_for)


def test_finding_detail(make_user, token_for, finding):
    Matrix(f"/api/supervision/findings/{finding.pk}", REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, api=True,
           marker="帮扶责任人8月仅走访1次").check(make_user, token_for)


def test_record_finding(make_user, token_for, campaign):
    Matrix("/api/supervision/findings", OFFICER, COUNTY, OTHER_COUNTY, api=True, method="post", ok_status=201,
           data=FINDING).check(make_user, token_for)


def test_campaigns(make_user, token_for, campaign):
    Matrix("/api/supervision/campaigns", CLERK, VILLAGE, "210922102201", api=True, marker=campaign.name,
           other_area_refused=False).check(make_user, token_for)


def test_campaign_detail(make_user, token_for, campaign):
    Matrix(f"/api/supervision/campaigns/{campaign.pk}", REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, api=True,
           marker=campaign.name).check(make_user, token_for)


def test_whole_rectification_over_the_api(officer, clerk, token_for, campaign):
    county, village = api(officer, token_for), api(clerk, token_for)
    created = county.post("/api/supervision/findings", {**FINDING, "campaign_id": campaign.pk},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    fid = created.json()["id"]
    refused = county.post(f"/api/supervision/findings/{fid}/close", {}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_reported"
    reported = village.post(f"/api/supervision/findings/{fid}/report",
                            {"measures": "旧房已拆除", "version": 1, "files": [photo("拆除后.png")]})
    assert reported.status_code == 200, reported.content
    body = reported.json()
    assert body["status"] == "reported" and body["steps"][-1]["evidence"][0]["file_name"] == "拆除后.png"
    closed = county.post(f"/api/supervision/findings/{fid}/close", {"version": body["version"], "comment": "现场核实"},
                         content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert Finding.objects.get(pk=fid).status == FindingStatus.CLOSED


def test_close_without_evidence_answers_the_error_shape(officer, clerk, token_for, finding):
    api(clerk, token_for).post(f"/api/supervision/findings/{finding.pk}/report", {"measures": "已整改"})
    response = api(officer, token_for).post(f"/api/supervision/findings/{finding.pk}/close", {},
                                            content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "no_evidence" and "佐证材料" in error["message"]


def test_deadline_before_the_finding_date_answers_400(officer, token_for):
    response = api(officer, token_for).post("/api/supervision/findings", {**FINDING, "deadline": "2020-09-01"},
                                            content_type="application/json")
    assert response.status_code == 400 and "早于发现日期" in response.json()["error"]["message"]


def test_finding_outside_scope_answers_404(make_user, token_for):
    response = api(make_user(OFFICER, OTHER_COUNTY), token_for).post(
        "/api/supervision/findings", FINDING, content_type="application/json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "area_out_of_scope"


def test_stale_patch_answers_409(officer, token_for, finding):
    client = api(officer, token_for)
    ok = client.patch(f"/api/supervision/findings/{finding.pk}", {"version": 1, "deadline": "2020-10-10"},
                      content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"/api/supervision/findings/{finding.pk}", {"version": 1, "severity": "critical"},
                         content_type="application/json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"


def test_pages_are_bounded(officer, token_for, finding):
    client = api(officer, token_for)
    assert client.get("/api/supervision/findings?page_size=100000").status_code == 422
    page = client.get("/api/supervision/findings?page_size=1").json()
    assert page["count"] == 1 and len(page["items"]) == 1


def test_overdue_filter(officer, token_for, finding):
    from fupin.core import clock

    with clock.pinned(dt.date(2020, 10, 1)):
        body = api(officer, token_for).get("/api/supervision/findings?overdue=true").json()
    assert [i["id"] for i in body["items"]] == [finding.pk] and body["items"][0]["overdue"] is True


def test_checklist_with_its_quotes(officer, token_for, checklist):
    body = api(officer, token_for).get(f"/api/supervision/checklists/{checklist.pk}").json()
    assert len({i["area_no"] for i in body["items"]}) == 12
    assert all(i["cite_seed"] == "000" and len(i["cite_quote"]) >= 4 for i in body["items"])
