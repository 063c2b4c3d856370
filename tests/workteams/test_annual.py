"""The annual situation (附件2) and satisfaction surveys: saved by the county, versioned against stale
edits, audited; every bad input refused with a clear message and nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from support.places import COUNTY, OTHER_COUNTY, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core import clock
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.workteams import services
from fupin.workteams.models import SatisfactionSurvey, TeamAnnualReport
from fupin.workteams.selectors import annual_report, latest_survey, team_surveys

pytestmark = pytest.mark.django_db
AMOUNTS = {"unit_investment": "8.5", "coordinated_funds": 46, "goods_value": Decimal("3.20"),
           "village_collective_income": "6.80"}
SURVEY = {"surveyed_on": dt.date(2020, 11, 18), "village_respondents": 30, "village_satisfied": 28,
          "household_respondents": 36, "household_satisfied": 33}


def save(actor, team, *, year=2020, expected_version=None, **changes):
    return services.annual_report_save(actor=actor, team=team, year=year, data={**AMOUNTS, **changes},
                                       expected_version=expected_version)


def test_save_then_edit_with_the_version_read(officer, team):
    report = save(officer, team, achievements={"5": " 硬化村路3.2公里 ", "1": "", "13": "化解纠纷7起"},
                  summary="全年工作总结")
    assert (report.version, report.total_funds, report.village_collective_income) == (1, Decimal("57.70"),
                                                                                    Decimal("6.80"))
    assert report.achievements == {"5": "硬化村路3.2公里", "13": "化解纠纷7起"}
    edited = save(officer, team, expected_version=1, village_collective_income="7.10")
    assert edited.pk == report.pk and edited.version == 2
    assert annual_report(team=team, year=2020).village_collective_income == Decimal("7.10")
    events = AuditEvent.objects.filter(action="workteam.annual_report").order_by("seq")
    assert [e.before and e.before["village_collective_income"] for e in events] == [None, "6.80"]
    assert list(events)[-1].after["village_collective_income"] == "7.10"


@pytest.mark.parametrize("expected", [None, 0, 1, 3])
def test_a_stale_edit_is_a_conflict_and_changes_nothing(officer, team, expected):
    save(officer, team)
    save(officer, team, expected_version=1, goods_value="4")  # someone else saved version 2
    with pytest.raises(Conflict) as exc:
        save(officer, team, expected_version=expected, goods_value="9")
    assert exc.value.code == "stale_version" and "第 2 版" in exc.value.message
    report = annual_report(team=team, year=2020)
    assert (report.version, report.goods_value) == (2, Decimal("4.00"))


def test_a_version_for_a_report_never_saved_is_a_conflict(officer, team):
    with pytest.raises(Conflict):
        save(officer, team, expected_version=1)
    assert not TeamAnnualReport.objects.exists()


@pytest.mark.parametrize(("changes", "key", "words"), [
    ({"unit_investment": "-1"}, "unit_investment", "不能为负数"),
    ({"village_collective_income": Decimal("-0.01")}, "village_collective_income", "不能为负数"),
    ({"coordinated_funds": "很多"}, "coordinated_funds", "应为数字"),
    ({"coordinated_funds": "NaN"}, "coordinated_funds", "应为数字"),
    ({"goods_value": True}, "goods_value", "应为数字"),
    ({"goods_value": "1.234"}, "goods_value", "两位小数"),
    ({"goods_value": "1e7"}, "goods_value", "过大"),
    ({"village_collective_income": None}, "village_collective_income", "请填写"),
    ({"achievements": {"15": "多出的一项"}}, "achievements", "没有第 15 项"),
    ({"achievements": {"3": 12}}, "achievements", "应为文字"),
    ({"achievements": ["硬化村路"]}, "achievements", "1–14"),
    ({"achievements": {"14": "字" * 2001}}, "achievements", "不能超过"),
    ({"summary": "字" * 20001}, "summary", "不能超过"),
])
def test_bad_input_is_refused_and_nothing_written(officer, team, changes, key, words):
    with pytest.raises(ValidationFailed) as exc:
        save(officer, team, **changes)
    assert words in exc.value.details["errors"][key]
    assert not TeamAnnualReport.objects.exists()
    assert not AuditEvent.objects.filter(action="workteam.annual_report").exists()


@pytest.mark.parametrize(("year", "code"), [(2019, "outside_team_period"), (2022, "outside_team_period"),
                                            ("2020", "bad_year")])
def test_a_year_outside_the_period_is_refused(officer, team, year, code):
    with pytest.raises(ValidationFailed) as exc:
        save(officer, team, year=year)
    assert exc.value.code == code and not TeamAnnualReport.objects.exists()


def test_a_year_not_yet_begun_is_refused(officer, team, today):
    assert today.year == 2021
    with pytest.raises(ValidationFailed) as exc:
        save(officer, team, year=2021 + 1)
    assert exc.value.code == "outside_team_period"  # the team ends in 2021
    with clock.pinned(dt.date(2020, 6, 1)), pytest.raises(ValidationFailed) as exc:
        save(officer, team, year=2021)
    assert exc.value.code == "future_year"


@pytest.mark.parametrize(("role", "area"), [(Role.VILLAGE_CLERK, VILLAGE), (Role.TOWNSHIP_REVIEWER, TOWNSHIP),
                                            (Role.WORKTEAM_MEMBER, VILLAGE), (Role.AUDITOR, COUNTY),
                                            (Role.COUNTY_OFFICER, OTHER_COUNTY)])
def test_only_the_county_keeps_them(make_user, team, role, area):
    someone = make_user(role, area)
    with pytest.raises(PermissionDenied):
        save(someone, team)
    with pytest.raises(PermissionDenied):
        services.survey_record(actor=someone, team=team, year=2020, data=SURVEY)
    assert not TeamAnnualReport.objects.exists() and not SatisfactionSurvey.objects.exists()


# --- surveys -------------------------------------------------------------------------------------

def test_survey_percentages_and_the_latest_one_counts(officer, team):
    first = services.survey_record(actor=officer, team=team, year=2020, data=SURVEY)
    assert (first.village_percent, first.household_percent) == (Decimal("93.33"), Decimal("91.67"))
    later = services.survey_record(actor=officer, team=team, year=2020, data={
        **SURVEY, "surveyed_on": "2020-12-01", "household_satisfied": 36, "note": "复测"})
    assert later.household_percent == Decimal("100.00")
    assert latest_survey(team=team, year=2020) == later
    assert list(team_surveys(team=team, year=2020)) == [later, first]
    assert AuditEvent.objects.filter(action="workteam.survey").order_by("seq").last().after["household_percent"] == "100.00"


@pytest.mark.parametrize(("changes", "key", "words"), [
    ({"village_satisfied": 31}, "village_satisfied", "超过参与测评数"),
    ({"household_satisfied": 37}, "household_satisfied", "不能超过100%"),
    ({"village_respondents": 0, "village_satisfied": 0}, "village_respondents", "不小于 1"),
    ({"household_satisfied": -1}, "household_satisfied", "不小于 0"),
    ({"household_respondents": 36.0}, "household_respondents", "整数"),
    ({"village_satisfied": True}, "village_satisfied", "整数"),
    ({"surveyed_on": dt.date(2021, 1, 5)}, "surveyed_on", "不在 2020 年内"),
    ({"surveyed_on": "2020-13-01"}, "surveyed_on", "格式"),
    ({"surveyed_on": None}, "surveyed_on", "请填写"),
    ({"note": "字" * 301}, "note", "不能超过"),
])
def test_bad_survey_is_refused_and_nothing_written(officer, team, changes, key, words):
    with pytest.raises(ValidationFailed) as exc:
        services.survey_record(actor=officer, team=team, year=2020, data={**SURVEY, **changes})
    assert words in exc.value.details["errors"][key]
    assert not SatisfactionSurvey.objects.exists()


def test_a_survey_day_still_to_come_is_refused(officer, team):
    with pytest.raises(ValidationFailed) as exc:
        services.survey_record(actor=officer, team=team, year=2021, data={**SURVEY, "surveyed_on": "2021-03-01"})
    assert "晚于今天" in exc.value.message and not SatisfactionSurvey.objects.exists()


def test_the_database_refuses_a_satisfaction_above_100_percent(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        SatisfactionSurvey.objects.create(team=team, year=2020, surveyed_on=dt.date(2020, 11, 18),
                                          village_respondents=30, village_satisfied=31,
                                          household_respondents=10, household_satisfied=10)


def test_the_database_refuses_a_negative_amount(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamAnnualReport.objects.create(team=team, year=2020, unit_investment=Decimal("-1"))
