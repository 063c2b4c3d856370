"""The fund-risk report (附件17): negative list, special funds only, idle funds, overdue disbursement and
overdue completion — each with its numbers, scoped to the reader's areas."""

import pytest

from fupin.core import clock
from fupin.funds import services as svc
from fupin.funds.selectors import fund_risks

from .conftest import funded_project, library_project, new_project

pytestmark = pytest.mark.django_db


def _kinds(findings):
    return sorted(f.kind for f in findings)


def test_a_clean_project_has_no_findings(people):
    funded_project(people)
    assert fund_risks(people.county) == []


def test_negative_list_keywords_are_flagged_for_review(people):
    new_project(people, name="村部办公楼维修", content="维修办公楼并购车一辆")
    findings = fund_risks(people.county)
    assert _kinds(findings) == ["negative_list", "negative_list"]
    assert {f.numbers["keyword"] for f in findings} == {"办公楼", "购车"}


def test_collective_project_on_special_funds_only(people):
    library_project(people, mode="township_village", funds={"central": "500000", "county": "100000"})
    library_project(people, mode="township_village", name="扶贫车间",
                    funds={"central": "500000", "integrated": "100000"})
    findings = [f for f in fund_risks(people.county) if f.kind == "special_funds_only"]
    assert len(findings) == 1 and "中央、县" in findings[0].message


def test_idle_funds_after_ninety_days(people):
    funded_project(people)
    clock.advance(days=90)
    assert "idle_funds" not in _kinds(fund_risks(people.county))
    clock.advance(days=1)
    idle = [f for f in fund_risks(people.county) if f.kind == "idle_funds"]
    assert len(idle) == 1 and idle[0].numbers["undisbursed"] == "1000000.00" and idle[0].numbers["days"] == "91"


def test_overdue_disbursement_once_a_stage_is_reached_and_not_paid(people):
    p = funded_project(people)
    svc.project_report_progress(actor=people.clerk, project=p, percent=80, on=clock.today())
    clock.advance(days=31)
    overdue = [f for f in fund_risks(people.county) if f.kind == "overdue_disbursement"]
    assert len(overdue) == 1 and overdue[0].numbers["owed"] == "500000.00"
    svc.disbursement_post(actor=people.county, project=p, source="central", amount="500000", on=clock.today())
    assert "overdue_disbursement" not in _kinds(fund_risks(people.county))


def test_overdue_completion_after_the_deadline(people):
    library_project(people)  # deadline 2020-04-30
    clock.pin(clock.today().replace(month=5, day=1))
    assert "completion_overdue" in _kinds(fund_risks(people.county))


def test_the_report_is_scoped(people):
    new_project(people, name="购车")
    assert fund_risks(people.other_township) == []
    assert len(fund_risks(people.township)) == 1
