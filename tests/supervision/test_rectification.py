"""Rectification of a finding to closure: the responsible unit reports with evidence, the county
verifies and closes or sends back; closing without evidence, acting for another unit and stale edits
are refused and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from support.places import COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.supervision import services
from fupin.supervision.evidence import evidence_dir, evidence_path
from fupin.supervision.models import Evidence, FindingStatus, StepKind

from .conftest import photo

pytestmark = pytest.mark.django_db


def test_village_reports_with_evidence_and_county_closes(finding, clerk, officer):
    services.rectification_report(actor=clerk, finding=finding, measures="帮扶责任人9月已走访3次，补记走访记录",
                                  uploads=[photo()], version=finding.version)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REPORTED
    stored = Evidence.objects.get(finding=finding)
    assert evidence_path(stored.stored_name).read_bytes()[:4] == b"\x89PNG"
    assert stored.file_name == "整改后照片.png" and len(stored.sha256) == 64

    services.finding_close(actor=officer, finding=finding, comment="抽查两户，属实", version=finding.version)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED and finding.closed_on == dt.date(2020, 9, 15)
    assert finding.closed_by == officer
    assert [s.kind for s in finding.steps.order_by("at", "pk")] == [StepKind.RECORD, StepKind.REPORT, StepKind.CLOSE]
    actions = set(AuditEvent.objects.filter(target_id=str(finding.pk)).values_list("action", flat=True))
    assert {"supervision.finding_record", "supervision.report", "supervision.close"} <= actions


def test_closing_without_evidence_is_refused(finding, clerk, officer):
    services.rectification_report(actor=clerk, finding=finding, measures="已整改")
    finding.refresh_from_db()
    with pytest.raises(ValidationFailed) as refused:
        services.finding_close(actor=officer, finding=finding)
    assert refused.value.code == "no_evidence" and "佐证材料" in refused.value.message
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REPORTED and finding.closed_on is None


def test_closing_before_any_report_is_refused(finding, officer):
    with pytest.raises(Conflict) as refused:
        services.finding_close(actor=officer, finding=finding)
    assert refused.value.code == "not_reported"


def test_sent_back_then_reported_again_with_more_evidence(finding, clerk, officer):
    services.rectification_report(actor=clerk, finding=finding, measures="已口头提醒")
    finding.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.finding_return(actor=officer, finding=finding, comment="")  # a reason is required
    services.finding_return(actor=officer, finding=finding, comment="口头提醒不算整改，请补走访记录")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RETURNED
    services.rectification_report(actor=clerk, finding=finding, measures="已补走访3次", uploads=[photo("走访记录.pdf")])
    finding.refresh_from_db()
    services.finding_close(actor=officer, finding=finding)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED


def test_reporting_twice_waits_for_verification(finding, clerk):
    services.rectification_report(actor=clerk, finding=finding, measures="已整改")
    with pytest.raises(Conflict) as refused:
        services.rectification_report(actor=clerk, finding=finding, measures="再报一次")
    assert refused.value.code == "already_reported"


def test_another_village_cannot_rectify(finding, make_user):
    other = make_user(Role.VILLAGE_CLERK, OTHER_VILLAGE)
    with pytest.raises(PermissionDenied):
        services.rectification_report(actor=other, finding=finding, measures="代报")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN


def test_township_may_rectify_its_village_but_not_close(finding, reviewer):
    services.rectification_report(actor=reviewer, finding=finding, measures="乡镇督促整改", uploads=[photo()])
    finding.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.finding_close(actor=reviewer, finding=finding)


def test_department_finding_is_for_that_department_only(officer, campaign, make_user):
    finding = services.finding_record(actor=officer, area_code=TOWNSHIP, description="乡镇卫生院未完成标准化建设",
                                      responsible_kind="department", responsible_department="health",
                                      found_on=dt.date(2020, 9, 10), deadline=dt.date(2020, 10, 31),
                                      campaign=campaign)
    assert finding.responsible_area.code == "210922000000"
    assert finding.responsible_label.endswith("卫生健康局")
    education = make_user(Role.DEPARTMENT_USER, COUNTY, department="education")
    with pytest.raises(PermissionDenied):
        services.rectification_report(actor=education, finding=finding, measures="不归我们")
    health = make_user(Role.DEPARTMENT_USER, COUNTY, department="health")
    services.rectification_report(actor=health, finding=finding, measures="已完成标准化改造", uploads=[photo()])
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REPORTED


def test_department_user_cannot_rectify_a_village_finding(finding, make_user):
    health = make_user(Role.DEPARTMENT_USER, COUNTY, department="health")
    with pytest.raises(PermissionDenied):
        services.rectification_report(actor=health, finding=finding, measures="代报")


@pytest.mark.parametrize(("name", "content", "code"), [
    ("病毒.exe", b"MZ", "bad_file_type"),
    ("空白.png", b"", "empty_file"),
])
def test_bad_evidence_is_refused_and_nothing_is_kept(finding, clerk, name, content, code):
    before = set(evidence_dir().iterdir())
    with pytest.raises(ValidationFailed) as refused:
        services.rectification_report(actor=clerk, finding=finding, measures="已整改",
                                      uploads=[photo(), SimpleUploadedFile(name, content)])
    assert refused.value.code == code
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN
    assert not Evidence.objects.exists() and set(evidence_dir().iterdir()) == before


def test_stale_edit_is_refused(finding, officer, admin):
    read_version = finding.version
    services.finding_update(actor=admin, finding=finding, version=read_version, deadline=dt.date(2020, 10, 15))
    with pytest.raises(Conflict) as refused:
        services.finding_update(actor=officer, finding=finding, version=read_version, description="覆盖别人的修改")
    assert refused.value.code == "stale"
    finding.refresh_from_db()
    assert finding.deadline == dt.date(2020, 10, 15) and finding.description.startswith("帮扶责任人")


def test_stale_report_is_refused(finding, clerk, officer):
    read_version = finding.version
    services.finding_update(actor=officer, finding=finding, version=read_version, severity="serious")
    with pytest.raises(Conflict):
        services.rectification_report(actor=clerk, finding=finding, measures="已整改", version=read_version)


def test_edit_cannot_move_the_deadline_before_the_finding(finding, officer):
    with pytest.raises(ValidationFailed) as refused:
        services.finding_update(actor=officer, finding=finding, version=finding.version,
                                deadline=dt.date(2020, 9, 1))
    assert "早于发现日期" in refused.value.message


def test_evidence_can_be_added_until_closed(finding, clerk, officer):
    services.evidence_add(actor=clerk, finding=finding, uploads=[photo()], note="整改前照片")
    services.rectification_report(actor=clerk, finding=finding, measures="已整改")
    finding.refresh_from_db()
    services.finding_close(actor=officer, finding=finding)  # the earlier photo is evidence enough
    with pytest.raises(Conflict):
        services.evidence_add(actor=clerk, finding=finding, uploads=[photo()])
    assert finding.evidence.count() == 1


def test_village_reads_nothing_of_another_village(finding, make_user):
    from fupin.supervision.selectors import findings_visible

    other = make_user(Role.VILLAGE_CLERK, OTHER_VILLAGE)
    assert not findings_visible(actor=other).exists()
    assert list(findings_visible(actor=make_user(Role.VILLAGE_CLERK, VILLAGE))) == [finding]
