"""Decisions: return with a reason, reject, self-approval and double decisions refused, wrong
area and wrong level refused, stale versions refused with nothing changed."""

import pytest
from support.places import TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fupin.workflow.models import NoticeStatus, ReviewStatus, StepAction
from fupin.workflow.selectors import inbox
from fupin.workflow.services import review_decide, review_open

from .kit import CALLS, KIND, act, grant, stage_variant, to_announcement, to_township

pytestmark = pytest.mark.django_db


def _state(review):
    review.refresh_from_db()
    return review.status, review.stage_key, review.version, review.steps.count()


def test_return_to_previous_stage_reopens_the_notice(people, opened):
    review = to_township(opened, people)
    act(review, people.township, "return", reason="公示内容缺少家庭人口，请重新公示", return_to="previous")
    review.refresh_from_db()
    assert (review.status, review.stage_key) == (ReviewStatus.PENDING, "village_notice")
    step = review.steps.last()
    assert (step.action, step.reason, step.data["to"]) == (StepAction.RETURNED, "公示内容缺少家庭人口，请重新公示",
                                                           "village_notice")
    # The village posts a new notice; the old one stays closed in the history.
    act(review, people.clerk, "start_notice")
    assert list(review.notices.values_list("status", flat=True)) == [NoticeStatus.CLOSED, NoticeStatus.OPEN]


def test_return_to_proposer_and_resubmit(people, opened):
    review = to_township(opened, people)
    act(review, people.township, "return", reason="请补充低保证明", return_to="proposer")
    review.refresh_from_db()
    assert (review.status, review.stage_key) == (ReviewStatus.RETURNED, "proposal")
    assert review in inbox(actor=people.clerk)
    assert review not in inbox(actor=people.township)

    act(review, people.clerk, "resubmit", reason="已补充低保证明", payload={"household": "H001", "dibao": True})
    review.refresh_from_db()
    assert (review.status, review.stage_key) == (ReviewStatus.PENDING, "appraisal")
    assert review.payload["dibao"] is True
    assert review.steps.last().action == StepAction.RESUBMITTED


def test_return_needs_a_reason_and_a_known_target(people, opened):
    review = to_township(opened, people)
    before = _state(review)
    with pytest.raises(ValidationFailed, match="请填写退回理由"):
        act(review, people.township, "return", reason="  ")
    with pytest.raises(ValidationFailed, match="退回对象"):
        act(review, people.township, "return", reason="x", return_to="county")
    assert _state(review) == before


def test_reject_closes_the_review_and_tells_the_owner(people, opened):
    review = to_township(opened, people)
    with pytest.raises(ValidationFailed, match="请填写不同意的理由"):
        act(review, people.township, "reject")
    act(review, people.township, "reject", reason="家庭人均纯收入高于标准")
    review.refresh_from_db()
    assert review.status == ReviewStatus.REJECTED and review.closed_at is not None
    assert CALLS == [("rejected", review.pk)]
    with pytest.raises(Conflict, match="已办结"):
        act(review, people.county, "approve")
    assert AuditEvent.objects.filter(action="workflow.reject", target_id=str(review.pk)).count() == 1


def test_unknown_decision_refused(people, opened):
    review = to_township(opened, people)
    with pytest.raises(ValidationFailed, match="审批结论"):
        review_decide(actor=people.township, review=review, expected_version=review.version, decision="maybe")


def test_approve_checks_the_stage_fields(people, opened):
    review = to_township(opened, people)
    before = _state(review)
    with pytest.raises(ValidationFailed, match="请填写“风险等级”"):
        act(review, people.township, "approve")
    with pytest.raises(ValidationFailed, match="取值无效，应为：高、中、低"):
        act(review, people.township, "approve", data={"risk_level": "extreme"})
    with pytest.raises(ValidationFailed, match="没有这些登记项：income"):
        act(review, people.township, "approve", data={"risk_level": "low", "income": 1})
    assert _state(review) == before


def test_nobody_approves_their_own_proposal(people, village):
    # A user who holds both a village role (to propose) and the township role (to review).
    both = grant(people.workteam, Role.TOWNSHIP_REVIEWER, TOWNSHIP)
    review = review_open(actor=both, kind=KIND, subject=village, area=village, reason="申请")
    to_township(review, people)
    assert review not in inbox(actor=both)
    with pytest.raises(PermissionDenied, match="不能审核或审批自己提出的事项"):
        act(review, both, "approve", data={"risk_level": "low"})
    act(review, people.township, "approve", data={"risk_level": "low"})  # someone else may


def test_a_resubmitter_counts_as_proposer(people, opened):
    review = to_township(opened, people)
    both = grant(people.workteam, Role.TOWNSHIP_REVIEWER, TOWNSHIP)
    act(review, people.township, "return", reason="补充材料", return_to="proposer")
    act(review, both, "resubmit", reason="已补充")
    to_township(review, people)
    with pytest.raises(PermissionDenied, match="提议人"):
        act(review, both, "approve", data={"risk_level": "low"})


def test_nobody_decides_two_decision_stages(people, village, variant):
    # With exact_level off a county officer may take the township's stage too, but not both stages.
    variant("test.loose", stages=stage_variant("township", exact_level=False))
    review = review_open(actor=people.clerk, kind="test.loose", subject=village, area=VILLAGE, reason="申请")
    to_township(review, people)
    act(review, people.county, "approve", data={"risk_level": "medium"})
    assert review not in inbox(actor=people.county)
    with pytest.raises(PermissionDenied, match="同一人不能办理两个审批环节"):
        act(review, people.county, "approve")
    act(review, people.county_admin, "approve")
    review.refresh_from_db()
    assert review.stage_key == "announcement"


def test_exact_level_keeps_county_out_of_the_township_stage(people, opened):
    review = to_township(opened, people)
    assert review not in inbox(actor=people.county)
    with pytest.raises(PermissionDenied, match="哈尔套镇（乡镇级）拥有“registry.review”权限"):
        act(review, people.county, "approve", data={"risk_level": "low"})


def test_wrong_level_refused(people, opened):
    review = to_township(opened, people)
    with pytest.raises(PermissionDenied, match="乡镇审核"):
        act(review, people.clerk, "approve", data={"risk_level": "low"})


def test_wrong_area_refused_as_not_found(people, opened):
    review = to_township(opened, people)
    before = _state(review)
    denials = AuditEvent.objects.filter(outcome="denied").count()
    with pytest.raises(NotFound):
        act(review, people.other_township, "approve", data={"risk_level": "low"})
    with pytest.raises(NotFound):
        act(review, people.other_clerk, "appraisal")
    assert _state(review) == before
    assert AuditEvent.objects.filter(outcome="denied").count() == denials + 2


def test_stale_version_refused_and_nothing_changes(people, opened):
    review = to_township(opened, people)
    seen = review.version
    act(review, people.township, "return", reason="补充材料", return_to="previous")
    before, events = _state(review), AuditEvent.objects.count()
    with pytest.raises(Conflict, match="已被他人办理") as caught:
        review_decide(actor=people.township, review=review, expected_version=seen, decision="approve",
                      data={"risk_level": "low"})
    assert caught.value.details["current_version"] == seen + 1
    assert _state(review) == before
    assert AuditEvent.objects.count() == events


def test_bad_expected_version_refused(people, opened):
    from fupin.workflow.services import review_act

    with pytest.raises(ValidationFailed, match="版本号应为整数"):
        review_act(actor=people.clerk, review=opened, act="appraisal", expected_version="abc")
    with pytest.raises(ValidationFailed, match="请填写版本号"):
        review_act(actor=people.clerk, review=opened, act="appraisal", expected_version=None)


def test_wrong_stage_refused(people, opened):
    with pytest.raises(Conflict, match="当前环节是“村民主评议”（民主评议），不能审批"):
        act(opened, people.township, "approve")
    with pytest.raises(Conflict, match="不能发布公告"):
        act(opened, people.county, "announce")


def test_unknown_act_refused(people, opened):
    with pytest.raises(ValidationFailed, match="未知的操作"):
        act(opened, people.clerk, "approve_everything")


def test_announcement_date_checked(people, opened):
    review = to_announcement(opened, people)
    with pytest.raises(ValidationFailed, match="公告日期应在"):
        act(review, people.county, "announce", announced_on="2030-01-01")
    with pytest.raises(ValidationFailed, match="格式不正确"):
        act(review, people.county, "announce", announced_on="2024/03/09")
    act(review, people.county, "announce")
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED


def test_county_admin_may_approve_at_county(people, opened):
    review = to_township(opened, people)
    act(review, people.township, "approve", data={"risk_level": "low"})
    assert review in inbox(actor=people.county_admin) and review in inbox(actor=people.county)
    act(review, people.county_admin, "approve")
    review.refresh_from_db()
    assert review.stage_key == "announcement"
