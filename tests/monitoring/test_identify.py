"""A case goes from village screening to county entry through the "monitoring.identify" review,
the pack's exclusions apply at each step, and the registry household follows the case."""

import pytest

from fupin.audit.models import AuditEvent
from fupin.core import clock
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.monitoring.models import CaseStatus, MonitoringCase
from fupin.monitoring.services import case_open, case_propose
from fupin.workflow.models import Review

from .kit import CLEAN_FACTS, START, act, exited_household, through_village, to_entry, visit

pytestmark = pytest.mark.django_db


def _review(case, kind="monitoring.identify"):
    return Review.objects.get(kind=kind, subject_id=str(case.pk))


def test_public_entry_point_opens_case_and_review(people):
    household = exited_household()
    with clock.pinned(START):
        case = case_propose(actor=people.workteam, household=household, found_by="workteam_visit",
                            reason="因病支出骤增", risk_types=["01"], source="visit-7")
    assert isinstance(case, MonitoringCase) and case.status == CaseStatus.SCREENING
    assert case.case_type == "1" and case.risk_types == ["01"] and case.source == "visit-7"
    review = _review(case)
    assert review.stage_key == "appraisal" and review.area.code == household.village.code
    assert AuditEvent.objects.filter(action="monitoring.propose", target_id=str(case.pk)).exists()


def test_whole_procedure_enters_the_case_and_fills_the_household(people):
    household = exited_household()
    with clock.pinned(START):
        case = case_open(actor=people.clerk, household=household, found_by="application", reason="本人申请，因病",
                         risk_types=["01"], facts=CLEAN_FACTS)
        review = _review(case)
        to_entry(review, people, level="medium")
    case.refresh_from_db()
    household.refresh_from_db()
    review.refresh_from_db()
    assert review.status == "approved"
    assert case.status == CaseStatus.MONITORED and case.risk_level == "medium"
    assert case.identified_on == clock.today() or case.identified_on is not None
    assert household.monitoring_type == "1" and household.risk_types == ["01"]
    assert household.risk_eliminated is False and household.risk_identified_on == case.identified_on
    assert list(case.events.values_list("kind", flat=True)) == ["proposed", "identified"]


def test_missing_screening_answers_stop_the_appraisal(people):
    household = exited_household()
    with clock.pinned(START):
        case = case_propose(actor=people.clerk, household=household, found_by="screening", reason="村组摸排")
        with pytest.raises(ValidationFailed) as refused:
            act(_review(case), people.clerk, "appraisal", **{"attendees": 9, "votes_for": 8, "votes_against": 1,
                                                             "votes_abstain": 0, "minutes": "评议"})
    assert refused.value.code == "exclusion_not_evaluable" and "排查信息" in refused.value.message
    assert _review(case).stage_key == "appraisal"


def test_an_exclusion_stops_the_case_until_the_special_procedure_is_given(people):
    from fupin.monitoring.services import case_set_facts

    household = exited_household()
    with clock.pinned(START):
        with pytest.raises(ValidationFailed) as at_proposal:
            case_open(actor=people.clerk, household=household, found_by="screening", reason="村组摸排",
                      facts={**CLEAN_FACTS, "car_value": "80000"})
        assert at_proposal.value.code == "excluded" and not MonitoringCase.objects.exists()
        case = case_open(actor=people.clerk, household=household, found_by="screening", reason="村组摸排",
                         facts=CLEAN_FACTS)
        review = _review(case)
        case = case_set_facts(actor=people.clerk, case=case, expected_version=case.version,
                              facts={"car_value": "80000"})
        with pytest.raises(ValidationFailed) as refused:
            act(review, people.clerk, "appraisal", **{"attendees": 9, "votes_for": 8, "votes_against": 1,
                                                      "votes_abstain": 0, "minutes": "评议"})
        assert refused.value.code == "excluded" and "5 万元以上" in refused.value.message
        with pytest.raises(Conflict):
            case_set_facts(actor=people.clerk, case=case, expected_version=case.version - 1, facts={})
        case = case_set_facts(actor=people.clerk, case=case, expected_version=case.version, facts={},
                              override_reason="车辆系借款购买，家中重病，生活仍处贫困")
        to_entry(review, people)
    case.refresh_from_db()
    assert case.status == CaseStatus.MONITORED
    event = case.events.get(kind="identified")
    assert event.data["override"] is True and event.data["exclusions"]


def test_township_records_the_visit_and_a_valid_risk_level(people):
    household = exited_household()
    with clock.pinned(START):
        case = case_open(actor=people.clerk, household=household, found_by="application", reason="申请",
                         facts=CLEAN_FACTS)
        review = _review(case)
        through_village(review, people)
        with pytest.raises(ValidationFailed):
            act(review, people.township, "approve", data={**visit(), "risk_level": "extreme"})
        with pytest.raises(ValidationFailed) as bad_date:
            act(review, people.township, "approve", data={**visit(), "visit_date": "2020-13-01"})
        assert bad_date.value.code == "bad_visit_date"
        with pytest.raises(ValidationFailed):
            act(review, people.township, "approve", data={k: v for k, v in visit().items() if k != "visitors"})
        act(review, people.township, "approve", data=visit("low"))
    case.refresh_from_db()
    assert case.risk_level == "low" and _review(case).stage_key == "county"


def test_return_with_reason_and_rejection(people):
    household = exited_household()
    with clock.pinned(START):
        case = case_open(actor=people.clerk, household=household, found_by="application", reason="申请",
                         facts=CLEAN_FACTS)
        review = _review(case)
        through_village(review, people)
        with pytest.raises(ValidationFailed):
            act(review, people.township, "return", reason="")
        act(review, people.township, "return", reason="收入情况需补充核实", return_to="proposer")
        review.refresh_from_db()
        assert review.status == "returned"
        act(review, people.clerk, "resubmit", reason="已补充收入情况")
        through_village(review, people)
        act(review, people.township, "approve", data=visit())
        act(review, people.county, "reject", reason="经行业部门数据筛查，收入超过监测线")
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_INCLUDED
    assert list(case.events.values_list("kind", flat=True)) == ["proposed", "not_included"]


def test_nobody_approves_what_they_proposed(people, make_user):
    from support.places import TOWNSHIP

    from fupin.accounts.roles import Role
    from fupin.accounts.services import role_assign
    from fupin.areas.selectors import area_get

    both = make_user(Role.VILLAGE_CLERK)
    role_assign(actor=None, user=both, role=Role.TOWNSHIP_REVIEWER, area=area_get(TOWNSHIP))
    with clock.pinned(START):
        case = case_open(actor=both, household=exited_household(), found_by="screening", reason="摸排",
                         facts=CLEAN_FACTS)
        review = _review(case)
        through_village(review, people)
        with pytest.raises(PermissionDenied) as refused:
            act(review, both, "approve", data=visit())
    assert refused.value.code == "independence"


def test_bad_proposals_are_refused_and_write_nothing(people, make_user):
    from fupin.accounts.roles import Role

    household = exited_household()
    poor = exited_household(status="registered", exit_year=None, household_type="1")
    for kwargs, code in [
        ({"found_by": "rumour", "reason": "x"}, "bad_found_by"),
        ({"found_by": "application", "reason": "  "}, "field_required"),
        ({"found_by": "application", "reason": "x", "risk_types": ["77"]}, "bad_risk_type"),
        ({"found_by": "application", "reason": "x", "household": poor}, "not_monitorable"),
    ]:
        target = kwargs.pop("household", household)
        with pytest.raises(ValidationFailed) as refused:
            case_propose(actor=people.clerk, household=target, **kwargs)
        assert refused.value.code == code
    with pytest.raises(ValidationFailed) as bad_facts:
        case_open(actor=people.clerk, household=household, found_by="application", reason="x",
                  facts={"car_value": "很多", "flying_car": True})
    assert set(bad_facts.value.details["errors"]) == {"car_value", "flying_car"}
    with pytest.raises(PermissionDenied):
        case_propose(actor=make_user(Role.VILLAGE_CLERK, "210922101203"), household=household,
                     found_by="application", reason="x")
    assert not MonitoringCase.objects.exists() and not Review.objects.exists()
    case_propose(actor=people.clerk, household=household, found_by="application", reason="申请")
    with pytest.raises(Conflict):
        case_propose(actor=people.workteam, household=household, found_by="workteam_visit", reason="再报")
    assert MonitoringCase.objects.count() == 1


def test_a_frozen_registry_year_refuses_the_case(people):
    from fupin.core.errors import Locked
    from fupin.registry.models import RegistryYear

    household = exited_household()
    RegistryYear.objects.filter(year=2020).update(frozen=True, frozen_at=clock.now())
    with pytest.raises(Locked):
        case_propose(actor=people.clerk, household=household, found_by="application", reason="申请")
    assert not MonitoringCase.objects.exists()
