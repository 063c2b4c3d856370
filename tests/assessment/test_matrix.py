"""The scheme pages and the assessment API against the permission matrix. A scheme concerns its
jurisdiction: Fuxin county (the other county) sees the Liaoning scheme but not Zhangwu's."""

from __future__ import annotations

import pytest
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, VILLAGE

from fupin.accounts.roles import Role

pytestmark = pytest.mark.django_db
FUXIN_VILLAGE = "210921100202"  # a village of Fuxin county, the other county of the tests
TEAM = {"id": "a", "name": "县卫健局工作队",
        "findings": {"1": 3, "11": 10, "12": 5, "24": {"village": 90, "households": 95}}}


def test_scheme_list_page(make_user, token_for):
    Matrix("/assessment/", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, marker="zhangwu-2020-township",
           other_area_refused=False).check(make_user, token_for)


def test_scheme_page(make_user, token_for):
    Matrix("/assessment/zhangwu-2020-team/", Role.WORKTEAM_MEMBER, VILLAGE, FUXIN_VILLAGE,
           marker="所驻村满意度").check(make_user, token_for)


def test_other_county_sees_the_provincial_scheme(client, make_user):
    client.force_login(make_user(Role.COUNTY_OFFICER, OTHER_COUNTY))
    page = client.get("/assessment/liaoning-2020-province-team/")
    assert page.status_code == 200
    assert "群众认可度" in page.content.decode()
    assert client.get("/assessment/zhangwu-2020-team/").status_code == 404


def test_api_scheme_list(make_user, token_for):
    Matrix("/api/assessment/schemes", Role.DEPARTMENT_USER, COUNTY, OTHER_COUNTY, department="health", api=True,
           marker="zhangwu-2020-department", other_area_refused=False).check(make_user, token_for)


def test_api_scheme(make_user, token_for):
    Matrix("/api/assessment/schemes/zhangwu-2020-township", Role.TOWNSHIP_REVIEWER, "210922101", "210921100",
           api=True, marker="驻村帮扶与社会动员").check(make_user, token_for)


def test_api_score(make_user, token_for):
    Matrix("/api/assessment/schemes/zhangwu-2020-team/score", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, api=True,
           method="post", data={"subjects": [TEAM]}, marker="3 × 1 分 = 扣 3 分").check(make_user, token_for)


def test_api_score_bad_findings(client, make_user, token_for):
    token = token_for(make_user(Role.COUNTY_OFFICER, COUNTY))
    bad = {"subjects": [{"id": "a", "findings": {"25": 1, "1": -1, "24": {"village": 120, "households": 90}}}]}
    response = client.post("/api/assessment/schemes/zhangwu-2020-team/score", bad, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400
    problems = response.json()["error"]["details"]["problems"]
    assert any("未知的指标“25”" in p for p in problems)
    assert any("不能为负数" in p for p in problems)
    assert any("不能超过100%" in p for p in problems)


def test_api_score_with_an_option(client, make_user, token_for):
    token = token_for(make_user(Role.COUNTY_OFFICER, COUNTY))
    body = {"options": {"proportional_method": "rank"},
            "subjects": [TEAM, {**TEAM, "id": "b", "name": "县教育局工作队", "findings": {**TEAM["findings"], "11": 5}}]}
    result = client.post("/api/assessment/schemes/zhangwu-2020-team/score", body, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert result["options"]["proportional_method"] == "rank"
    assert [(s["id"], s["rank"]) for s in result["subjects"]] == [("a", 1), ("b", 2)]
