"""The annual situation, surveys and computed findings on the pages and the API: the permission matrix
(anonymous / no role / the role in the right area / in another area), who may and may not edit, and
what the assessor sees."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from support.matrix import REFUSED, Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.workteams import services
from fupin.workteams.models import SatisfactionSurvey, TeamAnnualReport

pytestmark = pytest.mark.django_db
CLERK, MEMBER, OFFICER, SECRETARY = Role.VILLAGE_CLERK, Role.WORKTEAM_MEMBER, Role.COUNTY_OFFICER, Role.TOWNSHIP_REVIEWER
REPORT = {"unit_investment": "8.50", "coordinated_funds": "46", "goods_value": "3.2",
          "village_collective_income": "6.8"}
SURVEY = {"year": 2020, "surveyed_on": "2020-11-18", "village_respondents": 30, "village_satisfied": 28,
          "household_respondents": 36, "household_satisfied": 33}


@pytest.fixture
def report(officer, team):
    return services.annual_report_save(actor=officer, team=team, year=2020, data={
        **REPORT, "achievements": {"5": "硬化村路3.2公里"}, "summary": "全年走访贫困户"})


@pytest.fixture
def survey(officer, team):
    data = {k: v for k, v in SURVEY.items() if k != "year"}
    return services.survey_record(actor=officer, team=team, year=2020, data=data)


def api(client, token, method: str, url: str, data=None):
    return client.generic(method, url, json.dumps(data or {}), content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {token}")


# --- pages -------------------------------------------------------------------------------------

def test_annual_report_form(make_user, token_for, team, report):
    Matrix(f"/workteams/{team.pk}/annual/2020/", OFFICER, COUNTY, OTHER_COUNTY, marker="投入资金情况不包括投资性资金").check(
        make_user, token_for)


def test_save_annual_report_page(make_user, token_for, team):
    data = {**REPORT, "version": "0", "item_5": "硬化村路3.2公里", "summary": "总结"}
    Matrix(f"/workteams/{team.pk}/annual/2020/", OFFICER, COUNTY, OTHER_COUNTY, method="post", data=data,
           ok_status=302).check(make_user, token_for)
    report = TeamAnnualReport.objects.get()
    assert report.total_funds == Decimal("57.70") and report.achievements == {"5": "硬化村路3.2公里"}


def test_survey_form_page(make_user, token_for, team):
    Matrix(f"/workteams/{team.pk}/surveys/2020/new/", OFFICER, COUNTY, OTHER_COUNTY, marker="其中满意户数").check(
        make_user, token_for)


def test_record_survey_page(make_user, token_for, team):
    data = {k: v for k, v in SURVEY.items() if k != "year"}
    Matrix(f"/workteams/{team.pk}/surveys/2020/new/", OFFICER, COUNTY, OTHER_COUNTY, method="post", data=data,
           ok_status=302).check(make_user, token_for)
    assert SatisfactionSurvey.objects.get().household_percent == Decimal("91.67")


@pytest.mark.parametrize(("role", "area"), [(CLERK, VILLAGE), (SECRETARY, TOWNSHIP), (MEMBER, VILLAGE),
                                            (Role.AUDITOR, COUNTY)])
def test_viewers_may_not_edit_on_the_pages(client, make_user, team, role, area):
    client.force_login(make_user(role, area))
    page = client.get(f"/workteams/{team.pk}/?year=2020").content.decode()
    edit, new_survey = f"/workteams/{team.pk}/annual/2020/", f"/workteams/{team.pk}/surveys/2020/new/"
    assert "年度工作情况（附件2）" in page and edit not in page and new_survey not in page
    assert client.get(edit).status_code in REFUSED
    assert client.post(edit, {**REPORT, "version": "0"}).status_code in REFUSED
    assert client.post(new_survey, SURVEY).status_code in REFUSED
    assert not TeamAnnualReport.objects.exists() and not SatisfactionSurvey.objects.exists()


def test_a_negative_amount_on_the_page_is_shown_next_to_the_field(client, officer, team):
    client.force_login(officer)
    page = client.post(f"/workteams/{team.pk}/annual/2020/", {**REPORT, "goods_value": "-3", "version": "0"})
    assert page.status_code == 200 and "物资折款不能为负数" in page.content.decode()
    assert not TeamAnnualReport.objects.exists()


def test_a_stale_form_is_refused_with_a_message(client, officer, team, report):
    client.force_login(officer)
    services.annual_report_save(actor=officer, team=team, year=2020, data=REPORT, expected_version=1)
    page = client.post(f"/workteams/{team.pk}/annual/2020/", {**REPORT, "goods_value": "9", "version": "1"})
    assert "已被他人修改" in page.content.decode()
    assert TeamAnnualReport.objects.get().goods_value == Decimal("3.20")


def test_satisfied_above_respondents_on_the_page(client, officer, team):
    client.force_login(officer)
    page = client.post(f"/workteams/{team.pk}/surveys/2020/new/", {**SURVEY, "village_satisfied": 31})
    assert "满意度不能超过100%" in page.content.decode() and not SatisfactionSurvey.objects.exists()


def test_a_year_outside_the_period_redirects_with_the_reason(client, officer, team):
    client.force_login(officer)
    page = client.get(f"/workteams/{team.pk}/annual/2019/", follow=True).content.decode()
    assert "2019 年不在工作队驻村期间" in page


def test_the_team_page_shows_the_year_and_what_the_assessor_needs(client, make_user, team, members, report,
                                                                 survey):
    client.force_login(make_user(Role.AUDITOR, COUNTY))
    page = client.get(f"/workteams/{team.pk}/?year=2020").content.decode()
    assert "57.70 万元" in page and "硬化村路3.2公里" in page and "全年走访贫困户" in page
    assert "93.33%" in page and "91.67%" in page
    assert "帮扶单位投入 8.50 万元" in page  # the source of indicator 11
    assert "没有帮扶责任人的贫困户（户）" in page and "尚需填报" not in page


def test_the_team_page_says_what_must_still_be_entered(client, officer, team, members):
    client.force_login(officer)
    page = client.get(f"/workteams/{team.pk}/?year=2020").content.decode()
    assert "尚需填报的指标：11、12、24" in page
    assert f"/workteams/{team.pk}/annual/2020/" in page and f"/workteams/{team.pk}/surveys/2020/new/" in page


# --- API ---------------------------------------------------------------------------------------

def test_api_annual_report(make_user, token_for, team, report):
    Matrix(f"/api/workteams/{team.pk}/annual-reports/2020", MEMBER, VILLAGE, OTHER_VILLAGE, api=True,
           marker="硬化村路").check(make_user, token_for)


def test_api_annual_report_not_entered(client, make_user, token_for, team):
    response = api(client, token_for(make_user(MEMBER, VILLAGE)), "GET", f"/api/workteams/{team.pk}/annual-reports/2020")
    assert response.status_code == 404 and response.json()["error"]["code"] == "annual_report_not_found"


def test_api_put_annual_report(make_user, token_for, team):
    Matrix(f"/api/workteams/{team.pk}/annual-reports/2020", OFFICER, COUNTY, OTHER_COUNTY, api=True, method="put",
           data={**REPORT, "achievements": {"13": "化解纠纷7起"}}).check(make_user, token_for)
    assert TeamAnnualReport.objects.get().achievements == {"13": "化解纠纷7起"}


def test_api_edit_with_version_negative_and_stale(client, make_user, token_for, team, report):
    token = token_for(make_user(OFFICER, COUNTY))
    url = f"/api/workteams/{team.pk}/annual-reports/2020"
    ok = api(client, token, "PUT", url, {**REPORT, "goods_value": "4", "expected_version": 1})
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.json()["total_funds"] == "58.50"
    stale = api(client, token, "PUT", url, {**REPORT, "goods_value": "9", "expected_version": 1})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    negative = api(client, token, "PUT", url, {**REPORT, "unit_investment": -2, "expected_version": 2})
    assert negative.status_code == 400 and "unit_investment" in negative.json()["error"]["details"]["errors"]
    assert TeamAnnualReport.objects.get().goods_value == Decimal("4.00")


@pytest.mark.parametrize(("role", "area"), [(CLERK, VILLAGE), (SECRETARY, TOWNSHIP), (MEMBER, VILLAGE)])
def test_api_viewers_may_not_edit(client, make_user, token_for, team, role, area):
    token = token_for(make_user(role, area))
    assert api(client, token, "PUT", f"/api/workteams/{team.pk}/annual-reports/2020", REPORT).status_code in REFUSED
    assert api(client, token, "POST", f"/api/workteams/{team.pk}/surveys", SURVEY).status_code in REFUSED
    assert not TeamAnnualReport.objects.exists() and not SatisfactionSurvey.objects.exists()


def test_api_surveys(make_user, token_for, team, survey):
    Matrix(f"/api/workteams/{team.pk}/surveys?year=2020", Role.AUDITOR, COUNTY, OTHER_COUNTY, api=True,
           marker="93.33").check(make_user, token_for)


def test_api_record_survey(make_user, token_for, team):
    Matrix(f"/api/workteams/{team.pk}/surveys", OFFICER, COUNTY, OTHER_COUNTY, api=True, method="post",
           ok_status=201, data=SURVEY).check(make_user, token_for)
    assert SatisfactionSurvey.objects.get().village_percent == Decimal("93.33")


def test_api_survey_above_100_percent(client, make_user, token_for, team):
    response = api(client, token_for(make_user(OFFICER, COUNTY)), "POST", f"/api/workteams/{team.pk}/surveys",
                   {**SURVEY, "household_satisfied": 40})
    assert response.status_code == 400 and "household_satisfied" in response.json()["error"]["details"]["errors"]
    assert not SatisfactionSurvey.objects.exists()


def test_api_findings_are_ready_to_score(client, make_user, token_for, team, members, report, survey):
    body = api(client, token_for(make_user(OFFICER, COUNTY)), "GET",
               f"/api/workteams/{team.pk}/findings?year=2020").json()
    assert body["findings"]["11"] == {"funds": 57.7} and body["findings"]["24"] == {"village": 93.33,
                                                                                   "households": 91.67}
    assert body["missing"] == [] and {s["indicator"] for s in body["sources"]} == {"11", "12", "17", "24"}
    scored = api(client, token_for(make_user(OFFICER, COUNTY)), "POST", "/api/assessment/schemes/zhangwu-2020-team/score",
                 {"subjects": [{"id": "t", "findings": body["findings"]}]})
    assert scored.status_code == 200, scored.content


def test_api_findings_for_a_year_before_the_team(client, make_user, token_for, team):
    response = api(client, token_for(make_user(OFFICER, COUNTY)), "GET", f"/api/workteams/{team.pk}/findings?year=2019")
    assert response.status_code == 400 and response.json()["error"]["code"] == "outside_team_period"
