"""The 2020 team table's findings computed from the records (fupin.assessment.records): households of
the team's village from the registry, pairings, measures and visits from assistance, the team's annual
report and satisfaction survey, and 21-23 from attendance — counted, evidenced, and scored."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from registry import factories
from registry.factories import member
from support.places import COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.assessment.engine import score_run, shipped_catalogue
from fupin.assessment.records import records_findings
from fupin.assistance import services as assistance
from fupin.core import clock
from fupin.core.errors import ValidationFailed
from fupin.workteams import services as workteams

pytestmark = pytest.mark.django_db
TODAY = dt.date(2021, 1, 10)
UNIT = "彰武县卫生健康局"
_births = itertools.count(1)


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(TODAY):
        yield TODAY


def household(head: str, *, year: int = 2020, number: str | None = None, **fields):
    """A household whose members' ID numbers never repeat another test household's."""
    day = dt.date(1950, 1, 1) + dt.timedelta(days=3 * next(_births))
    people = [member(head, "02", "1", day), member("李桂兰", "10", "2", day + dt.timedelta(days=1))]
    return factories.make_household(year=year, number=number, members=people, **fields)


@pytest.fixture
def officer(make_user):
    return make_user(Role.COUNTY_OFFICER, COUNTY)


@pytest.fixture
def township(make_user):
    return make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)


@pytest.fixture
def team(officer):
    unit = workteams.unit_create(actor=officer, county_code=COUNTY, name=UNIT, level="county")
    team = workteams.team_create(actor=officer, unit=unit, village_code=VILLAGE, name="县卫健局驻富有村工作队",
                                 start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 12, 31))
    for name, role in (("周明", "first_secretary"), ("吴海燕", "member"), ("郑旭", "member")):
        workteams.member_add(actor=officer, team=team, data={
            "name": name, "role": role, "sex": "male", "age": 35, "education": "bachelor",
            "political_status": "party_member", "phone": "13904180101", "party_relation_transferred": True})
    return team


def cadre(make_user, township, name: str, *, unit_kind: str = "dispatching", unit_name: str = UNIT):
    user = make_user(Role.PAIRING_CADRE, VILLAGE)
    assistance.cadre_profile_save(actor=township, user=user, area_code=VILLAGE, data={
        "name": name, "unit_kind": unit_kind, "unit_name": unit_name, "phone": "13904181234"})
    return user


def measure(officer, h, *, status: str = "in_place", start: str = "2020-03-01", end: str | None = None,
            plan=None):
    plan = plan or assistance.plan_create(actor=officer, household=h)
    assistance.measure_add(actor=officer, plan=plan, data={
        "measure_code": "SEC-DIBAO", "start_date": start, "end_date": end, "amount": "4200", "status": status,
        "responsible_unit": "县民政局"})
    return plan


@pytest.fixture
def village(make_user, officer, township, team):
    """Households of 富有村委会 in 2020 and what the records say about each:

    王一 paired with the unit's cadre 刘帮扶, a measure in place, visited — nothing to find;
    王二 (exited) paired with 刘帮扶 and visited, no measure — 14 and 17;
    王三 paired with 刘帮扶, a measure only planned, never visited — 14, 17 and 18;
    王四 with no cadre, a measure in place — 16;
    王五 paired with a township cadre 钱玉兰, not visited, a measure in place — nothing (17 and 18 only
         concern the dispatching unit's cadres);
    王六 paired with 刘帮扶 until August, a measure March–June, visited in May — 16 only;
    王七 whose measure was recorded on its 2019 record and is still in place — nothing for 14, but
         no cadre (16) — its 2019 visit does not count;
    a removed household and a household of another village — not counted at all."""
    unit_cadre = cadre(make_user, township, "刘帮扶")
    other_cadre = cadre(make_user, township, "钱玉兰", unit_kind="township", unit_name="哈尔套镇人民政府")
    hh = {name: household(name, status="exited" if name == "王二" else "registered")
          for name in ("王一", "王二", "王三", "王四", "王五", "王六")}
    for name in ("王一", "王二", "王三", "王六"):
        assistance.cadre_assign(actor=township, household=hh[name], cadre=unit_cadre, started_on="2020-01-06")
    assistance.cadre_assign(actor=township, household=hh["王五"], cadre=other_cadre, started_on="2020-01-06")
    assistance.cadre_unassign(actor=township, household=hh["王六"], ended_on="2020-08-01", reason="帮扶责任人调离")
    for name in ("王一", "王四", "王五"):
        measure(officer, hh[name])
    measure(officer, hh["王三"], status="planned", start="2021-03-01")
    measure(officer, hh["王六"], status="ended", start="2020-03-01", end="2020-06-30")
    for name, day in (("王一", "2020-06-01"), ("王二", "2020-09-12"), ("王六", "2020-05-20")):
        unit_cadre.refresh_from_db()
        assistance.visit_record(actor=unit_cadre, household=hh[name], data={"visited_on": day, "content": "走访"})
    assistance.visit_record(actor=other_cadre, household=hh["王三"], data={"visited_on": "2020-07-01",
                                                                          "content": "代为走访"})
    old = household("王七", year=2019)
    measure(officer, old, start="2019-05-01")
    assistance.visit_record(actor=unit_cadre, household=old, data={"visited_on": "2019-11-02", "content": "走访"})
    hh["王七"] = household("王七", number=old.household_number)
    household("赵销号", status="removed")
    household("孙邻村", village=OTHER_VILLAGE)
    return hh


def items(result: dict, indicator: str) -> list[str]:
    [e] = [e for e in result["evidence"] if e.indicator == indicator]
    return [item.split(" ", 1)[1] for item in e.items]


def test_household_counts_and_their_evidence(village, team):
    result = records_findings(team=team, year=2020, today=TODAY)
    f = result["findings"]
    assert (f["14"], f["16"], f["17"], f["18"]) == ({"households": 2}, {"households": 3}, {"households": 2},
                                                    {"households": 1})
    assert items(result, "14") == ["王二", "王三"]
    assert items(result, "16") == ["王四", "王六", "王七"]
    assert items(result, "17") == ["王二（帮扶责任人 刘帮扶）", "王三（帮扶责任人 刘帮扶）"]
    assert items(result, "18") == ["王三（帮扶责任人 刘帮扶）"]
    first = next(e for e in result["evidence"] if e.indicator == "14").items[0]
    assert first.startswith(village["王二"].household_number)
    assert next(e for e in result["evidence"] if e.indicator == "16").title == "没有帮扶责任人的贫困户（户）"


def test_the_work_team_indicators_come_from_team_findings(village, team):
    result = records_findings(team=team, year=2020, today=TODAY)
    # No attendance recorded: every member short every month, and no month signed.
    assert result["findings"]["22"] == {"unsigned_months": 12}
    assert result["findings"]["23"] == {"members": 0}
    assert [e.indicator for e in result["evidence"]][-5:] == ["21", "21", "21", "22", "23"]


def test_a_cadre_of_another_unit_with_the_same_kind_does_not_count(make_user, township, team):
    h = household("王八")
    stranger = cadre(make_user, township, "陈外单位", unit_name="彰武县教育局")
    assistance.cadre_assign(actor=township, household=h, cadre=stranger, started_on="2020-02-01")
    f = records_findings(team=team, year=2020, today=TODAY)["findings"]
    assert (f["16"], f["17"], f["18"]) == ({"households": 0}, {"households": 0}, {"households": 0})


def test_entered_indicators_missing_until_entered(village, team):
    result = records_findings(team=team, year=2020, today=TODAY)
    assert result["missing"] == ["11", "12", "24"]
    assert not {"11", "12", "24"} & set(result["findings"])


@pytest.fixture
def entered(officer, team):
    workteams.annual_report_save(actor=officer, team=team, year=2020, data={
        "unit_investment": "12.50", "coordinated_funds": "30", "goods_value": "2.25",
        "village_collective_income": "8.6", "achievements": {"5": "协调投入 30 万元硬化村路 2.5 公里"}})
    workteams.survey_record(actor=officer, team=team, year=2020, data={
        "surveyed_on": dt.date(2020, 10, 20), "village_respondents": 30, "village_satisfied": 27,
        "household_respondents": 40, "household_satisfied": 40})
    workteams.survey_record(actor=officer, team=team, year=2020, data={
        "surveyed_on": dt.date(2020, 11, 20), "village_respondents": 30, "village_satisfied": 28,
        "household_respondents": 40, "household_satisfied": 37})


def test_funds_income_and_the_latest_survey(entered, team):
    result = records_findings(team=team, year=2020, today=TODAY)
    f = result["findings"]
    assert f["11"] == {"funds": 44.75} and f["12"] == {"income": 8.6}
    assert f["24"] == {"village": 93.33, "households": 92.5}
    assert json.loads(json.dumps(f)) == f  # can be stored and sent as it is
    assert result["missing"] == []
    text = {s["indicator"]: s["text"] for s in result["sources"]}
    assert "12.50 万元" in text["11"] and "44.75 万元" in text["11"] and "2020-11-20" in text["24"]


def test_the_findings_are_scored_by_the_2020_table(village, entered, team):
    findings = records_findings(team=team, year=2020, today=TODAY)["findings"]
    run = score_run(shipped_catalogue().scheme("zhangwu-2020-team"),
                    {"subjects": [{"id": "t", "findings": findings}]})
    scores = {i.id: i.score for i in run.subject("t").indicators}
    assert scores["11"] == Decimal("3") and scores["12"] == Decimal("2")  # alone in the run: the best
    assert scores["14"] == Decimal("8") and scores["16"] == Decimal("2")
    assert scores["17"] == Decimal("3") and scores["18"] == Decimal("4")
    assert scores["24"] == Decimal("7.43")  # 93.33% × 4 + 92.5% × 4
    assert scores["22"] == Decimal("0")  # 12 months unsigned, at most 5 deducted


def test_a_year_without_a_day_of_stationing_is_refused(team):
    with pytest.raises(ValidationFailed) as exc:
        records_findings(team=team, year=2019, today=TODAY)
    assert exc.value.code == "outside_team_period"


def test_bulk_queries_whatever_the_number_of_households(village, team):
    with CaptureQueriesContext(connection) as before:
        records_findings(team=team, year=2020, today=TODAY)
    for n in range(15):
        household(f"赵{n}")
    with CaptureQueriesContext(connection) as after:
        result = records_findings(team=team, year=2020, today=TODAY)
    assert result["findings"]["16"] == {"households": 18}
    assert len(after.captured_queries) == len(before.captured_queries) <= 12
