"""Campaigns and findings: what is recorded, and the bad input that is refused with a clear message
(a deadline before the finding date, an area outside the recorder's scope, a point of another
checklist, a period that ends before it starts)."""

from __future__ import annotations

import datetime as dt

import pytest
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core.errors import NotFound, PermissionDenied, ValidationFailed
from fupin.supervision import services
from fupin.supervision.models import Campaign, Finding, FindingSource

pytestmark = pytest.mark.django_db


def record(actor, **changes):
    data = dict(area_code=VILLAGE, description="村卫生室未达标准化", responsible_kind="village",
                found_on=dt.date(2020, 9, 10), deadline=dt.date(2020, 9, 30))
    return services.finding_record(actor=actor, **{**data, **changes})


def test_a_campaign_covers_its_townships_with_the_shipped_checklist(campaign, checklist):
    assert [a.code for a in campaign.covered.all()] == ["210922101000"]
    assert campaign.checklist == checklist and campaign.get_kind_display() == "督查"
    assert AuditEvent.objects.filter(action="supervision.campaign_create", target_id=str(campaign.pk)).exists()


def test_campaign_period_must_not_end_before_it_starts(officer):
    with pytest.raises(ValidationFailed) as refused:
        services.campaign_create(actor=officer, county_code=COUNTY, kind="special", name="危房改造专项检查",
                                 year=2020, start_date=dt.date(2020, 6, 1), end_date=dt.date(2020, 5, 1),
                                 covered_codes=[TOWNSHIP])
    assert "早于开始日期" in refused.value.message
    assert not Campaign.objects.exists()


def test_campaign_over_another_county_is_out_of_scope(officer):
    with pytest.raises(NotFound):
        services.campaign_create(actor=officer, county_code=COUNTY, kind="inspection", name="越界督查", year=2020,
                                 start_date=dt.date(2020, 6, 1), end_date=dt.date(2020, 6, 30),
                                 covered_codes=[OTHER_COUNTY + "001"])


def test_lookback_needs_a_sample_percentage(officer):
    with pytest.raises(ValidationFailed) as refused:
        services.campaign_create(actor=officer, county_code=COUNTY, kind="lookback", name="回头看", year=2020,
                                 start_date=dt.date(2020, 6, 1), end_date=dt.date(2020, 6, 30),
                                 covered_codes=[TOWNSHIP])
    assert "抽查比例" in refused.value.message


def test_finding_records_its_item_and_unit(finding, checklist):
    assert finding.checklist_item.no == "1.5" and finding.source == FindingSource.CAMPAIGN
    assert finding.responsible_area.code == VILLAGE and finding.responsible_label == "富有村委会"
    assert finding.steps.get().text.startswith("帮扶责任人")


def test_deadline_before_the_finding_date_is_refused(officer):
    with pytest.raises(ValidationFailed) as refused:
        record(officer, found_on=dt.date(2020, 9, 10), deadline=dt.date(2020, 9, 1))
    assert refused.value.details["errors"]["deadline"] == "整改时限 2020-09-01 早于发现日期 2020-09-10"
    assert not Finding.objects.exists()


def test_finding_in_the_future_is_refused(officer):
    with pytest.raises(ValidationFailed) as refused:
        record(officer, found_on=dt.date(2020, 10, 1), deadline=dt.date(2020, 10, 30))
    assert "不能晚于今天" in refused.value.message


def test_finding_for_an_area_outside_scope_is_refused_and_audited(make_user):
    township_officer_elsewhere = make_user(Role.COUNTY_OFFICER, OTHER_COUNTY)
    before = AuditEvent.objects.filter(outcome="denied").count()
    with pytest.raises(NotFound) as refused:
        record(township_officer_elsewhere)
    assert "不在您的管辖范围内" in refused.value.message
    assert AuditEvent.objects.filter(outcome="denied").count() == before + 1
    assert not Finding.objects.exists()


def test_a_township_cannot_record_findings(reviewer):
    with pytest.raises(PermissionDenied):
        record(reviewer)


def test_finding_outside_the_campaign_coverage_is_refused(officer, campaign):
    with pytest.raises(ValidationFailed) as refused:
        record(officer, area_code=OTHER_TOWNSHIP, responsible_kind="township", campaign=campaign)
    assert "不在督查活动" in refused.value.message


def test_checklist_item_needs_the_campaigns_checklist(officer, checklist):
    with pytest.raises(ValidationFailed) as refused:
        record(officer, checklist_item=checklist.items.first())
    assert "督查要点不属于" in refused.value.message


@pytest.mark.parametrize(("changes", "message"), [
    ({"area_code": TOWNSHIP, "responsible_kind": "village"}, "不能指定给村"),
    ({"responsible_kind": "department"}, "请选择责任部门"),
    ({"responsible_kind": "county"}, "责任单位类型应为"),
    ({"description": "  "}, "请填写问题描述"),
    ({"severity": "fatal"}, "严重程度应为"),
])
def test_bad_responsible_unit_or_text_is_refused(officer, changes, message):
    with pytest.raises(ValidationFailed) as refused:
        record(officer, **changes)
    assert message in refused.value.message


def test_township_may_answer_for_a_village_problem(officer):
    finding = record(officer, responsible_kind="township")
    assert finding.responsible_area.code == TOWNSHIP + "000"
