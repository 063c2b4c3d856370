"""/api/progress: the permission matrix, the one error shape for bad input, and the figures."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, TOWNSHIP

from fupin.accounts.roles import Role
from fupin.progress import dispatch
from fupin.progress.indicators import indicators_refresh
from fupin.progress.models import Snapshot, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshed(households):
    indicators_refresh(year=2020)
    return households


def post(client, url, token, body):
    return client.post(url, json.dumps(body, default=str), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")


def test_area_map_endpoint(make_user, token_for, refreshed):
    Matrix(f"/api/progress/areas/{COUNTY}", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, api=True).check(
        make_user, token_for)
    Matrix(f"/api/progress/areas/{TOWNSHIP}/records/households", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP,
           api=True).check(make_user, token_for)


def test_area_map_figures_and_links(client, officer, token_for, refreshed):
    body = client.get(f"/api/progress/areas/{COUNTY}", HTTP_AUTHORIZATION=f"Bearer {token_for(officer)}").json()
    figures = {f["indicator"]: f for f in body["figures"]}
    assert float(figures["households"]["value"]) == 6 and body["year"] == 2020
    assert figures["households"]["records_url"] == f"/api/progress/areas/{COUNTY}000000/records/households?year=2020"
    assert figures["projects"]["records_url"] is None
    children = {c["name"]: c["figures"] for c in body["children"]}
    assert len(children) == 24 and float(children["哈尔套镇"]["households"]) == 5
    assert float(children["章古台镇"]["households"]) == 1 and float(children["五峰镇"]["households"]) == 0
    records = client.get(figures["low_income_households"]["records_url"],
                         HTTP_AUTHORIZATION=f"Bearer {token_for(officer)}").json()
    assert records["count"] == 2


def test_create_target_and_bad_input(client, officer, token_for):
    token = token_for(officer)
    body = {"area": COUNTY, "name": "新建扶贫车间", "value": 15, "deadline": dt.date(2020, 12, 31),
            "period_start": dt.date(2020, 1, 1), "lead_unit": "县人社局"}
    created = post(client, "/api/progress/targets", token, body)
    assert created.status_code == 201 and created.json()["state"] == "behind"
    outside = post(client, "/api/progress/targets", token, {**body, "area": OTHER_COUNTY})
    assert outside.status_code == 403 and outside.json()["error"]["code"] == "permission_denied"
    negative = post(client, "/api/progress/targets", token, {**body, "value": -1})
    assert negative.status_code == 422 and "error" in negative.json()
    report = post(client, f"/api/progress/targets/{created.json()['id']}/report", token, {"value": 20, "version": 1})
    assert report.status_code == 200 and report.json()["state"] == "done"
    stale = post(client, f"/api/progress/targets/{created.json()['id']}/report", token, {"value": 21, "version": 1})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    assert Target.objects.count() == 1


def test_freeze_via_api(client, officer, token_for, refreshed):
    token = token_for(officer)
    future = post(client, "/api/progress/snapshots", token, {"area": COUNTY, "month": "2020-12"})
    assert future.status_code == 400 and future.json()["error"]["code"] == "future_month"
    done = post(client, "/api/progress/snapshots", token, {"area": COUNTY, "month": "2020-07"})
    assert done.status_code == 201 and done.json()["month"] == "2020-07"
    again = post(client, "/api/progress/snapshots", token, {"area": COUNTY, "month": "2020-07"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "month_frozen"
    assert Snapshot.objects.count() == 1
    values = client.get(f"/api/progress/snapshots/{done.json()['id']}/values?page_size=500",
                        HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert values["count"] > 0


def test_snapshot_list_is_scoped(client, make_user, token_for, officer, refreshed):
    dispatch.snapshot_freeze(actor=officer, area_code=COUNTY, month="2020-06")
    mine = client.get("/api/progress/snapshots", HTTP_AUTHORIZATION=f"Bearer {token_for(officer)}").json()
    other = make_user(Role.COUNTY_OFFICER, OTHER_COUNTY)
    theirs = client.get("/api/progress/snapshots", HTTP_AUTHORIZATION=f"Bearer {token_for(other)}").json()
    assert (mine["count"], theirs["count"]) == (1, 0)


def test_refresh_needs_the_manage_right(client, reviewer, officer, token_for, refreshed):
    refused = post(client, "/api/progress/refresh", token_for(reviewer), {"year": 2020})
    assert refused.status_code == 403
    done = post(client, "/api/progress/refresh", token_for(officer), {"year": 2020})
    assert done.status_code == 200 and done.json()["villages_recomputed"] == 0


def test_area_map_body_keeps_to_its_schema(client, officer, token_for, refreshed):
    """The map is rendered without the framework's response validation (the dashboard's hot path), so
    hold its body to MapOut here: validating and rendering it again changes nothing."""
    from fupin.api.main import api
    from fupin.progress.schemas import MapOut, TargetOut

    token = token_for(officer)
    post(client, "/api/progress/targets", token, {"area": COUNTY, "name": "新建扶贫车间", "value": 15,
                                                  "deadline": dt.date(2020, 12, 31),
                                                  "period_start": dt.date(2020, 1, 1), "lead_unit": "县人社局"})
    bodies = {}
    for code in (COUNTY, TOWNSHIP):
        response = client.get(f"/api/progress/areas/{code}", HTTP_AUTHORIZATION=f"Bearer {token}")
        bodies[code] = body = response.json()
        again = json.loads(api.renderer.render(None, MapOut.model_validate(body).model_dump(), response_status=200))
        assert response.status_code == 200 and body == again
    assert [set(t) for t in bodies[COUNTY]["targets"]] == [set(TargetOut.model_fields)]
