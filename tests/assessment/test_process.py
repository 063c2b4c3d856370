"""The assessment process: self-assessment by the team leader → township → county evaluation from the
records and the assessors' findings → ranking → leading-group approval → spot check → publication,
with the refusals a user meets on the way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from registry.factories import make_household
from support.places import COUNTY, VILLAGE

from fupin.assessment import services
from fupin.assessment.models import MaterialSubmission, RoundStatus, SpotCheck
from fupin.audit.models import AuditEvent
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.workflow.models import ReviewStatus
from fupin.workflow.services import review_decide

from .process_kit import (
    SELF_FINDINGS,
    county_assess,
    entries,
    self_assess,
    through_county,
    township_pass,
)

pytestmark = pytest.mark.django_db


def test_a_round_lists_the_county_teams_in_unit_order(round_):
    listed = [(e.listing_order, e.team.name) for e in entries(round_)]
    assert listed == [(1, "县农业农村局驻黄花山村工作队"), (2, "县卫健局驻富有村工作队")]
    assert round_.status == RoundStatus.OPEN and round_.title == "彰武县2020年度驻村工作队考核"


def test_self_assessment_is_signed_by_the_leader_and_goes_to_the_township(round_, people):
    entry = next(e for e in entries(round_) if e.area.code == VILLAGE)
    entry = self_assess(entry, people.leader)
    # indicator 1: two problems, 1 point each; 24: 95 % × 4 + 90 % × 4 = 7.4 of 8
    assert entry.self_score == Decimal("97.40")
    assert entry.self_signed_by == people.leader and entry.review.stage_key == "township"
    assert AuditEvent.objects.filter(action="assessment.self_assessed").count() == 1


def test_only_the_team_leader_signs_the_self_assessment(round_, people):
    entry = next(e for e in entries(round_) if e.area.code == VILLAGE)
    with pytest.raises(PermissionDenied, match="队长"):
        services.entry_self_assess(actor=people.member, entry=entry, findings=SELF_FINDINGS,
                                   expected_version=entry.version)
    with pytest.raises(PermissionDenied):
        services.entry_self_assess(actor=people.clerk, entry=entry, findings=SELF_FINDINGS,
                                   expected_version=entry.version)
    entry.refresh_from_db()
    assert entry.review is None and entry.self_findings == {}


@pytest.mark.parametrize(("findings", "message"), [
    ({**SELF_FINDINGS, "99": 1}, "99"),                                   # unknown indicator
    ({**SELF_FINDINGS, "1": {"problems": -1}}, "1"),                      # negative count
    ({**SELF_FINDINGS, "24": {"village": 120, "households": 90}}, "24"),  # satisfaction above 100 %
    ({"1": 2}, "11"),                                                     # comparative indicator missing
])
def test_bad_findings_are_refused_and_nothing_is_written(round_, people, findings, message):
    entry = next(e for e in entries(round_) if e.area.code == VILLAGE)
    with pytest.raises(ValidationFailed, match=message):
        services.entry_self_assess(actor=people.leader, entry=entry, findings=findings,
                                   expected_version=entry.version)
    entry.refresh_from_db()
    assert (entry.review, entry.self_findings, entry.version) == (None, {}, 1)


def test_a_stale_edit_is_refused(round_, people):
    entry = next(e for e in entries(round_) if e.area.code == VILLAGE)
    self_assess(entry, people.leader)
    with pytest.raises(Conflict, match="已被他人修改"):
        services.entry_self_assess(actor=people.leader, entry=entry, findings=SELF_FINDINGS, expected_version=1)


def test_the_township_returns_and_the_team_submits_again(round_, people):
    entry = next(e for e in entries(round_) if e.area.code == VILLAGE)
    self_assess(entry, people.leader)
    entry.refresh_from_db()
    review_decide(actor=people.township, review=entry.review, expected_version=entry.review.version,
                  decision="return", reason="缺少投入资金证明", return_to="proposer")
    entry.refresh_from_db()
    assert entry.review.stage_key == "self"
    entry = self_assess(entry, people.leader, {**SELF_FINDINGS, "1": {"problems": 0}})
    assert entry.self_score == Decimal("99.40") and entry.review.stage_key == "township"


def test_the_county_stage_needs_the_county_evaluation(round_, people):
    entry = next(e for e in entries(round_) if e.area.code == VILLAGE)
    self_assess(entry, people.leader)
    township_pass(entry, people.township)
    entry.refresh_from_db()
    with pytest.raises(ValidationFailed, match="县级考核评价"):
        review_decide(actor=people.officer, review=entry.review, expected_version=entry.review.version,
                      decision="approve")


def test_the_county_evaluation_reads_the_records_and_keeps_the_assessors_notes(round_, people):
    entry = next(e for e in entries(round_) if e.area.code == VILLAGE)
    self_assess(entry, people.leader)
    township_pass(entry, people.township)
    entry = county_assess(entry, people.officer, findings={"11": {"funds": 120}, "12": {"income": 8.5},
                                                          "24": {"village": 95, "households": 90},
                                                          "20": {"gaps": 3}},
                          notes={"20": "工作日志缺3个月"})
    assert entry.review.status == ReviewStatus.APPROVED
    assert "22" in entry.records["findings"]  # unsigned attendance months come from the records
    assert entry.records["evidence"] and entry.county_notes == {"20": "工作日志缺3个月"}
    # 20: 3 gaps × 0.5; 22: the records say no month was signed off (capped at 5)
    result = services.score_findings(entry.round, entry, services.county_findings(entry))
    assert entry.score == result.score < Decimal("100")


def test_county_evaluation_is_refused_before_the_township(round_, people):
    entry = next(e for e in entries(round_) if e.area.code == VILLAGE)
    self_assess(entry, people.leader)
    entry.refresh_from_db()
    with pytest.raises(Conflict, match="尚未到县级考核环节"):
        services.entry_county_assess(actor=people.officer, entry=entry, findings={}, expected_version=entry.version)


def test_ranking_waits_for_every_team_then_ranks_by_the_county_score(round_, people):
    entry = next(e for e in entries(round_) if e.area.code == VILLAGE)
    self_assess(entry, people.leader)
    with pytest.raises(ValidationFailed, match="未完成县级考核评价"):
        services.round_rank(actor=people.officer, round_=round_, expected_version=round_.version)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_rank_approve_spot_check_publish(round_, people):
    through_county(round_, people)
    round_ = services.round_rank(actor=people.officer, round_=round_, expected_version=1)
    ranked = sorted(entries(round_), key=lambda e: e.rank)
    assert [e.rank for e in ranked] == [1, 2] and ranked[0].score >= ranked[1].score
    assert ranked[0].result["components"]  # explained indicator by indicator
    # whoever ranked may not approve; the county admin (leading group) does
    with pytest.raises(PermissionDenied):
        services.round_approve(actor=people.officer, round_=round_, expected_version=round_.version,
                               approval_ref="领导小组会议")
    with pytest.raises(ValidationFailed, match="审定会议或文号"):
        services.round_approve(actor=people.admin, round_=round_, expected_version=round_.version, approval_ref=" ")
    round_ = services.round_approve(actor=people.admin, round_=round_, expected_version=round_.version,
                                    approval_ref="彰武县脱贫攻坚领导小组2020年第5次会议")
    assert round_.status == RoundStatus.APPROVED
    with pytest.raises(Conflict):
        services.round_rank(actor=people.officer, round_=round_, expected_version=round_.version)

    entry = next(e for e in entries(round_) if e.area.code == VILLAGE)
    households = [make_household(village=VILLAGE) for _ in range(3)]
    checks = {k: "符合要求" for k in services.FOUR_CHECKS}
    visits = [{"household": h.household_number, "card_checked": True, "evaluation": "满意"} for h in households]
    with pytest.raises(ValidationFailed, match="3户"):
        services.spot_check_record(actor=people.officer, entry=entry, checks=checks, committee_visit="评价良好",
                                   household_visits=visits[:2], composite="较好", checked_on="2020-11-19",
                                   checkers="市抽验组")
    with pytest.raises(ValidationFailed, match="不是"):
        services.spot_check_record(actor=people.officer, entry=entry, checks=checks, committee_visit="评价良好",
                                   household_visits=[*visits[:2], {"household": "999", "evaluation": "满意"}],
                                   composite="较好", checked_on="2020-11-19", checkers="市抽验组")
    with pytest.raises(ValidationFailed, match="四看"):
        services.spot_check_record(actor=people.officer, entry=entry, checks={"team": "好"}, committee_visit="好",
                                   household_visits=visits, composite="较好", checked_on="2020-11-19",
                                   checkers="市抽验组")
    assert not SpotCheck.objects.exists()
    spot = services.spot_check_record(actor=people.officer, entry=entry, checks=checks, committee_visit="评价良好",
                                      household_visits=visits, composite="较好", checked_on="2020-11-19",
                                      checkers="市抽验组")
    assert spot.household_visits[0]["head"]
    round_ = services.round_publish(actor=people.admin, round_=round_, expected_version=round_.version)
    assert round_.status == RoundStatus.PUBLISHED
    assert set(AuditEvent.objects.filter(action__startswith="assessment.").values_list("action", flat=True)) >= {
        "assessment.round_created", "assessment.self_assessed", "assessment.county_assessed", "assessment.ranked",
        "assessment.approved", "assessment.spot_checked", "assessment.published"}


def test_tied_scores_rank_by_listing_order_and_are_marked(round_, people):
    same = {"11": {"funds": 100}, "12": {"income": 5}, "24": {"village": 90, "households": 90}}
    through_county(round_, people, county_findings=(same, same))
    services.round_rank(actor=people.officer, round_=round_, expected_version=1)
    ranked = sorted(entries(round_), key=lambda e: e.rank)
    assert [e.listing_order for e in ranked] == [1, 2] and all(e.tied for e in ranked)


def test_materials_checklist(round_, people):
    entry = next(e for e in entries(round_) if e.area.code == VILLAGE)
    services.material_mark(actor=people.leader, round_=round_, key="team.self_form", entry=entry,
                           submitted_on=dt.date(2020, 10, 25))
    services.material_mark(actor=people.officer, round_=round_, key="county.ranking", submitted_on="2020-11-20")
    with pytest.raises(Conflict, match="已登记"):
        services.material_mark(actor=people.officer, round_=round_, key="team.self_form", entry=entry,
                               submitted_on="2020-10-26")
    with pytest.raises(ValidationFailed, match="未知的报送材料"):
        services.material_mark(actor=people.officer, round_=round_, key="nothing", submitted_on="2020-10-26")
    with pytest.raises(ValidationFailed, match="请选择工作队"):
        services.material_mark(actor=people.officer, round_=round_, key="team.proof", submitted_on="2020-10-26")
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        services.material_mark(actor=people.officer, round_=round_, key="team.proof", entry=entry,
                               submitted_on="2030-01-01")
    with pytest.raises(PermissionDenied):  # a team member who is not the leader, a county item
        services.material_mark(actor=people.member, round_=round_, key="county.self_form", entry=entry,
                               submitted_on="2020-10-26")
    assert MaterialSubmission.objects.count() == 2


def test_round_creation_refusals(people, teams):
    with pytest.raises(ValidationFailed, match="不是驻村工作队考核方案"):
        services.round_create(actor=people.officer, scheme_id="zhangwu-2020-township", year=2020,
                              county_code=COUNTY + "000000")
    with pytest.raises(ValidationFailed, match="没有驻村工作队"):
        services.round_create(actor=people.officer, scheme_id="zhangwu-2020-team", year=2015,
                              county_code=COUNTY + "000000")
    with pytest.raises(PermissionDenied):
        services.round_create(actor=people.township, scheme_id="zhangwu-2020-team", year=2020,
                              county_code=COUNTY + "000000")
    services.round_create(actor=people.officer, scheme_id="zhangwu-2020-team", year=2020, county_code=COUNTY + "000000")
    with pytest.raises(Conflict, match="已有"):
        services.round_create(actor=people.officer, scheme_id="zhangwu-2020-team", year=2020,
                              county_code=COUNTY + "000000")
