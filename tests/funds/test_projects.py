"""The project library: the steps into the library, their order and dates, who may take them."""

import datetime as dt

import pytest

from fupin.audit.models import AuditEvent
from fupin.core import clock
from fupin.core.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from fupin.funds import services as svc
from fupin.funds.models import Project, ProjectFund, ProjectStatus

from .conftest import START, D, library_project, new_project

pytestmark = pytest.mark.django_db


def test_village_application_records_funds_by_source_and_is_audited(people):
    p = new_project(people, funds={"central": "600000", "integrated": "150000.50"})
    assert p.status == ProjectStatus.PROPOSED and p.code == f"XM2020-{p.pk:06d}"
    assert {f.source: f.amount for f in p.funds.all()} == {"central": D("600000.00"), "integrated": D("150000.50")}
    event = AuditEvent.objects.get(action="funds.project.create")
    assert event.area_code == p.area.code and event.after["funds"]["integrated"] == "150000.50"


def test_catalogue_name_fills_the_project_name(people):
    p = new_project(people, name="", catalogue_code="22", category="breeding")
    assert p.name == "养牛"


def test_library_steps_in_order_with_dates(people):
    p = library_project(people)
    assert p.status == ProjectStatus.IN_LIBRARY and p.in_library
    assert p.township_reviewed_on == START and p.publicity_from == START
    assert p.publicity_to == START + dt.timedelta(days=6)
    assert p.county_approved_on == START + dt.timedelta(days=7)
    # approved before the rule's deadline (the documents' "4月31日", read as 30 April)
    assert p.completion_deadline == dt.date(2020, 4, 30)
    assert p.rules_pack == "default@2016+zhangwu@2020"
    actions = list(AuditEvent.objects.filter(action__startswith="funds.project").order_by("seq").values_list("action", flat=True))
    assert actions == ["funds.project.create", "funds.project.township_review", "funds.project.publicise",
                       "funds.project.approve"]


def test_county_cannot_approve_before_publicity_is_over(people):
    p = new_project(people)
    svc.project_township_review(actor=people.township, project=p, on=START)
    svc.project_publicise(actor=people.township, project=p, starts_on=START)
    clock.advance(days=6)  # the seventh day of publicity
    with pytest.raises(ValidationFailed) as err:
        svc.project_approve(actor=people.county, project=p, on=clock.today())
    assert err.value.code == "publicity_not_over" and "2020-03-08" in err.value.message
    assert Project.objects.get(pk=p.pk).status == ProjectStatus.PUBLICISED


def test_steps_cannot_be_skipped(people):
    p = new_project(people)
    with pytest.raises(Conflict):
        svc.project_publicise(actor=people.township, project=p, starts_on=START)
    with pytest.raises(Conflict):
        svc.project_approve(actor=people.county, project=p, on=START)


def test_each_step_needs_its_level(people):
    p = new_project(people)
    with pytest.raises(PermissionDenied):
        svc.project_township_review(actor=people.clerk, project=p, on=START)
    with pytest.raises(PermissionDenied):
        svc.project_township_review(actor=people.other_township, project=p, on=START)
    svc.project_township_review(actor=people.township, project=p, on=START)
    svc.project_publicise(actor=people.township, project=p, starts_on=START)
    clock.advance(days=8)
    with pytest.raises(PermissionDenied):
        svc.project_approve(actor=people.township, project=p, on=clock.today())


def test_another_village_cannot_apply_here_and_anonymous_is_refused(people):
    with pytest.raises(PermissionDenied):
        svc.project_create(actor=people.other_clerk, area_code=people.clerk.assignments.first().area.code,
                           category="planting", mode="household", year=2020, name="x", village_meeting_on=START,
                           funds={"central": "1"})
    from django.contrib.auth.models import AnonymousUser
    with pytest.raises(NotAuthenticated):
        new_project(type("P", (), {"clerk": AnonymousUser()})())


@pytest.mark.parametrize("change, code", [
    ({"funds": {}}, "no_fund_rows"),
    ({"funds": {"moon": "100"}}, "unknown_fund_source"),
    ({"funds": [("central", "100"), ("central", "200")]}, "duplicate_fund_source"),
    ({"funds": {"central": "-5"}}, "amount_not_positive"),
    ({"funds": {"central": "10.005"}}, "bad_amount_precision"),
    ({"funds": {"central": "abc"}}, "bad_amount"),
    ({"households_driven": 10, "persons_driven": 5}, "persons_below_households"),
    ({"category": "mining"}, "bad_choice"),
    ({"catalogue_code": "99"}, "unknown_project_name"),
    ({"village_meeting_on": dt.date(2020, 3, 3)}, "future_date"),
])
def test_bad_applications_are_refused_and_write_nothing(people, change, code):
    with pytest.raises(ValidationFailed) as err:
        new_project(people, **change)
    assert err.value.code == code and err.value.message
    assert not Project.objects.exists() and not ProjectFund.objects.exists()


def test_a_county_area_cannot_own_a_project(people):
    with pytest.raises(ValidationFailed) as err:
        svc.project_create(actor=people.county, area_code="210922000000", category="planting", mode="household",
                           year=2020, name="x", village_meeting_on=START, funds={"central": "1"})
    assert err.value.code == "owner_level"


def test_rejection_needs_a_reason_and_ends_the_application(people):
    p = new_project(people)
    with pytest.raises(ValidationFailed):
        svc.project_reject(actor=people.township, project=p, on=START, reason=" ")
    p = svc.project_reject(actor=people.township, project=p, on=START, reason="带贫机制不清")
    assert p.status == ProjectStatus.REJECTED and p.rejection_reason == "带贫机制不清"
    with pytest.raises(Conflict):
        svc.project_township_review(actor=people.township, project=p, on=START)


def test_fund_plan_is_editable_before_the_library_only(people):
    p = new_project(people)
    p = svc.project_update(actor=people.clerk, project=p, version=p.version, funds={"central": "900000"})
    assert [(f.source, f.amount) for f in p.funds.all()] == [("central", D("900000.00"))]
    with pytest.raises(Conflict):  # a stale version
        svc.project_update(actor=people.clerk, project=p, version=1, name="改名")
    p = library_project(people)
    with pytest.raises(ValidationFailed) as err:
        svc.project_update(actor=people.clerk, project=p, funds={"central": "1"})
    assert err.value.code == "library_project_locked"
    p = svc.project_update(actor=people.clerk, project=p, households_driven=60, persons_driven=150)
    assert (p.households_driven, p.persons_driven) == (60, 150)


def test_progress_completion_and_two_step_acceptance(people):
    p = library_project(people)
    svc.project_report_progress(actor=people.clerk, project=p, percent=40, on=clock.today())
    with pytest.raises(ValidationFailed) as err:
        svc.project_report_progress(actor=people.clerk, project=p, percent=30, on=clock.today())
    assert err.value.code == "progress_backwards"
    p = svc.project_complete(actor=people.clerk, project=p, on=clock.today())
    assert p.status == ProjectStatus.COMPLETED and p.progress == 100
    with pytest.raises(PermissionDenied):
        svc.project_accept(actor=people.clerk, project=p, on=clock.today())
    p = svc.project_accept(actor=people.township, project=p, on=clock.today())
    assert p.status == ProjectStatus.COMPLETED and p.township_accepted_on == clock.today()
    with pytest.raises(PermissionDenied):
        svc.project_accept(actor=people.township, project=p, on=clock.today())
    p = svc.project_accept(actor=people.county, project=p, on=clock.today())
    assert p.status == ProjectStatus.ACCEPTED and p.accepted_on == clock.today()
