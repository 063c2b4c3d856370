"""Risk elimination needs the criteria (income above the line for the required months from the
monthly records, 三保障 secure, labour capacity), takes the same review path, and can be reversed."""

import datetime as dt
from decimal import Decimal

import pytest
from registry.factories import member

from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.monitoring.elimination import elimination_check
from fupin.monitoring.models import CaseStatus
from fupin.monitoring.rhythm import monthly_record_save
from fupin.monitoring.services import case_open, case_reflag, elimination_propose
from fupin.workflow.models import Review

from .kit import CLEAN_FACTS, START, act, exited_household, measure_in_place, through_village, to_entry, visit

pytestmark = pytest.mark.django_db
GOOD_MONTH = {"income": "2500", "expenses": "1200", "rigid_expenses": "300", "education_secured": True,
              "medical_secured": True, "housing_secured": True, "water_secured": True}


def monitored_case(people, **household_fields):
    household = exited_household(**household_fields)
    with clock.pinned(START):
        case = case_open(actor=people.clerk, household=household, found_by="application", reason="因病",
                         risk_types=["01"], facts=CLEAN_FACTS)
        to_entry(Review.objects.get(kind="monitoring.identify", subject_id=str(case.pk)), people)
    case.refresh_from_db()
    return case


def record_months(people, case, first: dt.date, count: int, **overrides):
    for i in range(count):
        month = dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        monthly_record_save(actor=people.clerk, case=case, month=month, data={**GOOD_MONTH, **overrides})


def states(check):
    return {c["key"]: c["state"] for c in check["criteria"]}


def test_criteria_follow_the_monthly_records(people):
    case = monitored_case(people)
    with clock.pinned(dt.date(2021, 1, 10)):
        assert states(elimination_check(case))["income"] == "not_met"
        record_months(people, case, dt.date(2020, 6, 1), 5)
        assert states(elimination_check(case))["income"] == "not_met"  # five months of six
        record_months(people, case, dt.date(2020, 11, 1), 1, income="100")
        check = elimination_check(case)
        assert states(check)["income"] == "not_met" and "2020-11" in check["criteria"][0]["detail"]
        monthly_record_save(actor=people.clerk, case=case, month="2020-12", data=GOOD_MONTH)
        check = elimination_check(case)
    # 2020-07..2020-12 with November below the line: still not met; the assistance app decides measures.
    assert states(check)["income"] == "not_met"
    assert states(check)["secured"] == "met" and states(check)["labour"] == "met"
    assert states(check)["measures"] == "not_met"
    measure_in_place(case.household)
    with clock.pinned(dt.date(2021, 1, 10)):
        assert states(elimination_check(case))["measures"] == "met"


def test_elimination_walks_the_review_and_can_be_reversed(people):
    case = monitored_case(people)
    measure_in_place(case.household)
    township_visit = {k: v for k, v in visit().items() if k != "risk_level"}
    with clock.pinned(dt.date(2021, 1, 10)):
        record_months(people, case, dt.date(2020, 7, 1), 6)
        assert elimination_check(case)["passed"] is True
        review = elimination_propose(actor=people.clerk, case=case, reason="收入稳定，三保障达标",
                                     expected_version=case.version)
        through_village(review, people)
        act(review, people.township, "approve", data={**township_visit, "visit_date": clock.today().isoformat()})
        act(review, people.county, "approve", reason="同意")
        act(review, people.county, "announce", content="标注风险消除")
    case.refresh_from_db()
    household = case.household
    household.refresh_from_db()
    assert case.status == CaseStatus.ELIMINATED and household.risk_eliminated is True
    assert household.risk_eliminated_on == case.eliminated_on == dt.date(2021, 1, 17)
    with pytest.raises(ValidationFailed):
        case_reflag(actor=people.township, case=case, reason=" ", expected_version=case.version)
    with pytest.raises(Conflict):
        case_reflag(actor=people.township, case=case, reason="再次因病", expected_version=case.version - 1)
    case = case_reflag(actor=people.township, case=case, reason="再次因病", expected_version=case.version,
                       risk_types=["01", "03"])
    household.refresh_from_db()
    assert case.status == CaseStatus.MONITORED and case.eliminated_on is None
    assert household.risk_eliminated is False and household.risk_types == ["01", "03"]
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["elimination_proposed", "eliminated", "reflagged"]
    assert case.events.get(kind="reflagged").data["previous_eliminated_on"] == "2021-01-17"


def test_household_without_labour_stays_monitored(people):
    members = [member("赵老汉", "02", "1", dt.date(1940, 1, 2), labour_skill="5"),
               member("钱老太", "10", "2", dt.date(1942, 3, 4), labour_skill="4")]
    case = monitored_case(people, members=members, wage_income=Decimal("30000.00"))
    assert states(elimination_check(case))["labour"] == "not_met"


def test_elimination_refused_before_criteria_and_in_wrong_state(people):
    case = monitored_case(people)
    with clock.pinned(dt.date(2020, 8, 10)):
        record_months(people, case, dt.date(2020, 6, 1), 2)
        review = elimination_propose(actor=people.clerk, case=case, reason="申请消除", expected_version=case.version)
        with pytest.raises(Conflict):
            elimination_propose(actor=people.clerk, case=case, reason="again", expected_version=case.version)
        through_village(review, people)
        with pytest.raises(ValidationFailed) as refused:
            act(review, people.township, "approve", data={k: v for k, v in visit().items() if k != "risk_level"})
    assert refused.value.code == "elimination_criteria_not_met" and "最近6个月" in refused.value.message
    with pytest.raises(Conflict):
        case_reflag(actor=people.township, case=case, reason="x", expected_version=case.version)
