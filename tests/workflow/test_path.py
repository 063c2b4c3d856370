"""The whole path of a review: village proposal → democratic appraisal → village notice (an
objection raised and resolved, the window enforced) → township → county → announcement."""

import datetime as dt

import pytest

from fupin.audit.models import AuditEvent
from fupin.core import clock
from fupin.core.errors import ValidationFailed
from fupin.workflow.models import NoticeStatus, ObjectionOutcome, Review, ReviewStatus, StepAction
from fupin.workflow.selectors import review_history

from .kit import APPRAISAL_OK, CALLS, KIND, START, act

pytestmark = pytest.mark.django_db


def _events(review):
    return list(AuditEvent.objects.filter(target_type="workflow.review", target_id=str(review.pk)).order_by("seq")
                .values_list("action", flat=True))


def test_whole_path_village_to_announcement(people, opened):
    review = opened
    assert (review.status, review.stage_key, review.version) == (ReviewStatus.PENDING, "appraisal", 1)
    assert review.due_on == START + dt.timedelta(days=15)

    act(review, people.clerk, "appraisal", held_on="2024-03-01", **APPRAISAL_OK)
    review.refresh_from_db()
    assert review.stage_key == "village_notice"
    assert review.stage_data["appraisal"]["passed"] is True

    notice = act(review, people.clerk, "start_notice", place="富有村村务公开栏", content="拟纳入户名单")
    assert (notice.starts_on, notice.ends_on, notice.window_days) == (START, START + dt.timedelta(days=6), 7)
    review.refresh_from_db()
    assert review.due_on == notice.ends_on + dt.timedelta(days=1 + 3)

    clock.advance(days=2)
    objection = act(review, people.clerk, "add_objection", raised_by="村民王某", contact="13912345678",
                    content="该户家中有小汽车，不符合条件")
    assert objection.received_on == START + dt.timedelta(days=2)

    clock.advance(days=5)  # the last day of the window
    with pytest.raises(ValidationFailed, match="方可结束公示"):
        act(review, people.clerk, "close_notice")
    clock.advance(days=1)  # the day after the window
    with pytest.raises(ValidationFailed, match="尚有1条异议未处理"):
        act(review, people.clerk, "close_notice")
    act(review, people.clerk, "resolve_objection", objection_id=objection.pk, outcome=ObjectionOutcome.DISMISSED,
        resolution="经入户核实，车辆为借用，登记在亲属名下，异议不成立")
    act(review, people.clerk, "close_notice")
    review.refresh_from_db()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    assert review.stage_key == "township"
    assert review.stage_data["village_notice"]["objections"] == 1

    act(review, people.township, "approve", reason="核查属实", data={"risk_level": "high"})
    review.refresh_from_db()
    assert review.stage_key == "county"
    assert review.stage_data["township"]["risk_level"] == "high"

    act(review, people.county, "approve", reason="同意纳入")
    review.refresh_from_db()
    assert review.stage_key == "announcement"
    assert CALLS == []  # the change applies when the review completes

    act(review, people.county, "announce", content="县级公告：同意纳入")
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    assert review.closed_at is not None and review.due_on is None
    assert CALLS == [("approved", review.pk)]

    actions = list(review.steps.values_list("action", flat=True))
    assert actions == [
        StepAction.PROPOSED, StepAction.APPRAISAL_PASSED, StepAction.NOTICE_STARTED, StepAction.OBJECTION_ADDED,
        StepAction.OBJECTION_RESOLVED, StepAction.NOTICE_CLOSED, StepAction.APPROVED, StepAction.APPROVED,
        StepAction.ANNOUNCED,
    ]
    assert list(review.steps.values_list("seq", flat=True)) == list(range(1, 10))
    # One audit event per step, in order, plus the owner's own write from its callback.
    assert _events(review) == [
        "workflow.open", "workflow.appraisal", "workflow.notice_start", "workflow.objection_add",
        "workflow.objection_resolve", "workflow.notice_close", "workflow.approve", "workflow.approve",
        "test.applied", "workflow.announce",
    ]
    last = AuditEvent.objects.filter(action="workflow.announce").get()
    assert last.before["stage"] == "announcement" and last.after["status"] == "approved"
    assert last.area_code == opened.area.code and last.actor_name == people.county.display_name
    assert review.version == 9


def test_history_shows_every_stage_and_step(people, opened):
    act(opened, people.clerk, "appraisal", **APPRAISAL_OK)
    history = review_history(actor=people.township, review_id=opened.pk)
    assert [s.state for s in history.stages] == ["done", "done", "current", "todo", "todo", "todo"]
    assert [s.action for s in history.steps] == [StepAction.PROPOSED, StepAction.APPRAISAL_PASSED]
    assert history.steps[1].votes_for == 18 and history.steps[1].minutes.startswith("村民代表会议")
    assert history.actions.acts == []  # the township cannot act on the village notice
    assert "村级公示" in history.actions.problem


def test_callback_failure_rolls_back_the_final_step(people, village):
    from fupin.workflow.services import review_open

    from .kit import to_announcement

    review = review_open(actor=people.clerk, kind=KIND, subject=village, area=village, reason="申请",
                         payload={"fail_on_approve": True})
    to_announcement(review, people)
    before_steps, before_events = review.steps.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match="测试用的业务校验未通过"):
        act(review, people.county, "announce")
    review.refresh_from_db()
    assert (review.status, review.stage_key, review.version) == (ReviewStatus.PENDING, "announcement", 6)
    assert review.steps.count() == before_steps
    assert AuditEvent.objects.count() == before_events  # neither our event nor the owner's write survived


def test_owner_check_blocks_a_stage(people, village):
    from fupin.workflow.services import review_open

    from .kit import to_township

    review = review_open(actor=people.clerk, kind=KIND, subject=village, area=village, reason="申请",
                         payload={"block_stage": "township"})
    to_township(review, people)
    with pytest.raises(ValidationFailed, match="不符合纳入条件"):
        act(review, people.township, "approve", data={"risk_level": "low"})
    review.refresh_from_db()
    assert review.stage_key == "township"
    # Returning is still possible: the owner's check guards passing only.
    act(review, people.township, "return", reason="请补充材料", return_to="proposer")
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.RETURNED
