"""The demo teams' 2020 annual reports and surveys: one of each per team, plausible, scored by the
2020 table, added once (also to a demo made before they existed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from support.places import VILLAGE

from fupin.assessment.engine import score_run, shipped_catalogue
from fupin.assessment.records import records_findings
from fupin.audit.models import AuditEvent
from fupin.workteams.demo import YEAR, demo_workteams
from fupin.workteams.models import SatisfactionSurvey, TeamAnnualReport, WorkTeam

from .test_demo import demo_accounts  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_every_demo_team_has_its_year(demo_accounts):  # noqa: F811
    demo_workteams()
    assert YEAR == 2020
    reports = TeamAnnualReport.objects.filter(year=YEAR).select_related("team__unit")
    assert reports.count() == 4 and SatisfactionSurvey.objects.filter(year=YEAR).count() == 4
    by_level = {r.team.unit.level: r.total_funds for r in reports}
    assert by_level["province"] > by_level["city"] > Decimal("0")
    for report in reports:
        assert report.achievements and set(report.achievements) <= {str(n) for n in range(1, 15)}
        assert f"{report.total_funds}万元" in report.summary
    for survey in SatisfactionSurvey.objects.all():
        assert Decimal("80") < survey.household_percent <= Decimal("100")
    event = AuditEvent.objects.get(action="workteam.demo")
    assert (event.details["annual_reports"], event.details["surveys"]) == (4, 4)


def test_the_demo_findings_can_be_scored(demo_accounts):  # noqa: F811
    demo_workteams()
    subjects = []
    for team in WorkTeam.objects.select_related("unit", "village"):
        result = records_findings(team=team, year=YEAR, today=dt.date(2021, 3, 1))
        assert result["missing"] == []
        subjects.append({"id": str(team.pk), "name": team.name, "findings": result["findings"]})
    run = score_run(shipped_catalogue().scheme("zhangwu-2020-team"), {"subjects": subjects})
    fuyou = WorkTeam.objects.get(village__code=VILLAGE)
    indicators = {i.id: i.score for i in run.subject(str(fuyou.pk)).indicators}
    assert Decimal("0") < indicators["11"] < Decimal("3")  # the provincial team brought more
    assert indicators["24"] == Decimal("7.40")  # 28/30 and 33/36 satisfied


def test_a_demo_made_before_the_reports_gets_them_once(demo_accounts):  # noqa: F811
    demo_workteams()
    TeamAnnualReport.objects.all().delete()
    SatisfactionSurvey.objects.filter(team__village__code=VILLAGE).delete()
    assert demo_workteams()["teams"] == 0
    assert TeamAnnualReport.objects.count() == 4 and SatisfactionSurvey.objects.count() == 4
    demo_workteams()
    assert TeamAnnualReport.objects.count() == 4 and SatisfactionSurvey.objects.count() == 4
    assert AuditEvent.objects.filter(action="workteam.demo").count() == 2
