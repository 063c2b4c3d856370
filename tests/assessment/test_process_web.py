"""The assessment process through its pages and its API, and against the permission matrix."""

from __future__ import annotations

import json

import pytest
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Role
from fupin.assessment.models import RoundStatus

from .process_kit import (
    SELF_FINDINGS,
    entries,
    self_assess,
    through_county,
    township_pass,
)

pytestmark = pytest.mark.django_db


def _ours(round_):
    return next(e for e in entries(round_) if e.area.code == VILLAGE)


def _self_form(entry, **changes) -> dict:
    data = {"expected_version": entry.version, "f-1-problems": "2", "f-11-funds": "120", "f-12-income": "8.5",
            "f-24-village": "95", "f-24-households": "90", "summary": "全年工作总结"}
    return {**data, **changes}


def test_leader_self_assesses_on_the_page(client, people, round_):
    entry = _ours(round_)
    client.force_login(people.leader)
    page = client.get(f"/assessment/entries/{entry.pk}/").content.decode()
    assert "队长签字并提交" in page and "派出单位投入和协调落实驻村项目资金" in page
    response = client.post(f"/assessment/entries/{entry.pk}/self/", _self_form(entry))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.self_findings["1"] == {"problems": 2} and str(entry.self_score) == "97.40"
    page = client.get(f"/assessment/entries/{entry.pk}/").content.decode()
    assert "乡镇初审中" in page and "队长签字并提交" not in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("f-1-problems", "两次", "应为数字"),
    ("f-24-village", "120", "24"),
    ("f-1-problems", "-1", "1"),
])
def test_a_refused_self_assessment_keeps_what_was_typed(client, people, round_, field, value, message):
    entry = _ours(round_)
    client.force_login(people.leader)
    response = client.post(f"/assessment/entries/{entry.pk}/self/", _self_form(entry, **{field: value}))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and f'value="{value}"' in page and "全年工作总结" in page
    entry.refresh_from_db()
    assert entry.review is None


def test_county_form_shows_the_evidence_and_submits(client, people, round_):
    entry = _ours(round_)
    self_assess(entry, people.leader)
    township_pass(entry, people.township)
    client.force_login(people.officer)
    page = client.get(f"/assessment/entries/{entry.pk}/").content.decode()
    assert "系统记录计算的依据" in page and "县考核组负责人签字并通过" in page
    entry.refresh_from_db()
    response = client.post(f"/assessment/entries/{entry.pk}/county/", {
        "expected_version": entry.version, "f-11-funds": "120", "f-12-income": "8.5", "f-24-village": "95",
        "f-24-households": "90", "f-20-gaps": "2", "note-20": "缺两个月的日志", "submit": "1"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.county_notes == {"20": "缺两个月的日志"} and entry.review.status == "approved"


def test_round_page_ranks_approves_and_publishes(client, people, round_):
    through_county(round_, people)
    client.force_login(people.officer)
    assert client.post(f"/assessment/rounds/{round_.pk}/rank/", {"expected_version": 1}).status_code == 302
    page = client.get(f"/assessment/rounds/{round_.pk}/").content.decode()
    assert "县级排序（附件3）" in page and "领导小组审定" not in page.split("entries-table")[0].split("toolbar")[1]
    client.force_login(people.admin)
    client.post(f"/assessment/rounds/{round_.pk}/approve/", {"expected_version": 2, "approval_ref": "2020年第5次会议"})
    client.post(f"/assessment/rounds/{round_.pk}/publish/", {"expected_version": 3})
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    # once published, the team sees its rank
    client.force_login(people.leader)
    page = client.get(f"/assessment/entries/{_ours(round_).pk}/").content.decode()
    assert "县级评价得分" in page and "得分说明" in page


def test_scores_stay_with_the_county_until_published(client, people, round_):
    through_county(round_, people)
    client.force_login(people.officer)
    client.post(f"/assessment/rounds/{round_.pk}/rank/", {"expected_version": 1})
    client.force_login(people.leader)
    page = client.get(f"/assessment/rounds/{round_.pk}/").content.decode()
    assert "县级评价得分" not in page and "县卫健局驻富有村工作队" in page
    assert "县农业农村局驻黄花山村工作队" not in page  # another village's team


def test_api_walkthrough_and_errors(client, people, round_, token_for):
    def call(user, method, url, body=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"}
        if method == "get":
            return client.get(url, **headers)
        return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)

    entry = _ours(round_)
    listed = call(people.officer, "get", "/api/assessment/rounds").json()
    assert [r["id"] for r in listed] == [round_.pk]
    r = call(people.leader, "post", f"/api/assessment/entries/{entry.pk}/self",
             {"expected_version": 1, "findings": {**SELF_FINDINGS, "24": {"village": 130, "households": 90}}})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_findings"
    r = call(people.leader, "post", f"/api/assessment/entries/{entry.pk}/self",
             {"expected_version": 1, "findings": SELF_FINDINGS})
    assert r.status_code == 200 and r.json()["state"] == "乡镇初审中"
    r = call(people.leader, "post", f"/api/assessment/entries/{entry.pk}/self",
             {"expected_version": 1, "findings": SELF_FINDINGS})
    assert r.status_code == 409
    other = next(e for e in entries(round_) if e.area.code == OTHER_VILLAGE)
    assert call(people.leader, "get", f"/api/assessment/entries/{other.pk}").status_code == 404
    r = call(people.officer, "post", f"/api/assessment/rounds/{round_.pk}/rank", {"expected_version": 1})
    assert r.status_code == 400 and r.json()["error"]["code"] == "entries_pending"
    r = call(people.officer, "post", f"/api/assessment/rounds/{round_.pk}/materials",
             {"key": "county.ranking", "submitted_on": "2020-11-20"})
    assert r.status_code == 201


# --- the permission matrix -------------------------------------------------------------------------

def test_round_list_matrix(make_user, token_for, round_):
    Matrix("/assessment/rounds/", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, marker=round_.title,
           other_area_refused=False).check(make_user, token_for)


def test_round_page_matrix(make_user, token_for, round_):
    Matrix(f"/assessment/rounds/{round_.pk}/", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY).check(make_user, token_for)


def test_entry_page_matrix(make_user, token_for, round_):
    Matrix(f"/assessment/entries/{_ours(round_).pk}/", Role.WORKTEAM_MEMBER, VILLAGE, OTHER_VILLAGE).check(
        make_user, token_for)


def test_entry_api_matrix(make_user, token_for, round_):
    Matrix(f"/api/assessment/entries/{_ours(round_).pk}", Role.TOWNSHIP_REVIEWER, "210922101", "210922102",
           api=True).check(make_user, token_for)


@pytest.mark.parametrize(("role", "area", "allowed"), [
    (Role.COUNTY_OFFICER, COUNTY, True), (Role.COUNTY_ADMIN, COUNTY, True), (Role.TOWNSHIP_REVIEWER, "210922101", False),
    (Role.WORKTEAM_MEMBER, VILLAGE, False), (Role.AUDITOR, COUNTY, False), (Role.COUNTY_OFFICER, OTHER_COUNTY, False),
])
def test_who_may_rank(client, make_user, people, round_, role, area, allowed):
    through_county(round_, people)
    client.force_login(make_user(role, area))
    client.post(f"/assessment/rounds/{round_.pk}/rank/", {"expected_version": 1})
    round_.refresh_from_db()
    assert (round_.status == RoundStatus.RANKED) is allowed


def _sheet_text(content: bytes) -> str:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)


def test_forms_are_downloaded_filled_from_the_process(client, people, round_):
    through_county(round_, people)
    entry = _ours(round_)
    client.force_login(people.leader)
    sheet = client.get(f"/assessment/entries/{entry.pk}/forms/self.xlsx")
    assert sheet.status_code == 200 and "驻村工作队队长签字" in _sheet_text(sheet.content)
    assert client.get(f"/assessment/entries/{entry.pk}/forms/county.xlsx").status_code == 409  # not ranked
    situation = _sheet_text(client.get(f"/assessment/entries/{entry.pk}/forms/situation.xlsx").content)
    assert "彰武县卫生健康局" in situation and "13904180101" not in situation  # the phone is masked for a member
    assert client.get(f"/assessment/entries/{entry.pk}/forms/nothing.xlsx").status_code == 404

    client.force_login(people.officer)
    services_rank = client.post(f"/assessment/rounds/{round_.pk}/rank/", {"expected_version": 1})
    assert services_rank.status_code == 302
    ranking = _sheet_text(client.get(f"/assessment/rounds/{round_.pk}/forms/ranking.xlsx").content)
    assert "县级排序表" in ranking and "县卫健局驻富有村工作队" in ranking
    county = _sheet_text(client.get(f"/assessment/entries/{entry.pk}/forms/county.xlsx").content)
    assert "县考核组负责人签字" in county
    client.force_login(people.leader)  # before publication the ranking stays with the county
    assert client.get(f"/assessment/rounds/{round_.pk}/forms/ranking.xlsx").status_code == 404


def test_forms_through_the_api(client, people, round_, token_for):
    entry = _ours(round_)
    self_assess(entry, people.leader)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(people.leader)}"}
    r = client.get(f"/api/assessment/entries/{entry.pk}/forms/self.xlsx", **headers)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    r = client.get(f"/api/assessment/rounds/{round_.pk}/forms/ranking.xlsx", **headers)
    assert r.status_code == 404
    r = client.get(f"/api/assessment/entries/{entry.pk}/forms/self.doc", **headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_form"
