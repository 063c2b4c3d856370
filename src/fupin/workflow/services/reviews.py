"""Opening, resubmitting and withdrawing reviews; democratic appraisal; decisions; announcement."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.areas.models import Area, AreaLevel
from fupin.areas.selectors import area_get
from fupin.core import clock
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.workflow.models import OPEN_STATUSES, Review, ReviewStatus, StepAction
from fupin.workflow.permissions import permission_problem
from fupin.workflow.processes import FAIL_REJECT, StageKind, get_process
from fupin.workflow.services._base import (
    add_step,
    advance,
    before_pass,
    cancel_open_notice,
    check_may_act,
    expect_stage,
    locked,
    record,
    reject,
    require_actor,
    send_back,
    to_date,
    to_int,
    to_text,
)

RETURN_PREVIOUS = "previous"
RETURN_PROPOSER = "proposer"
MAX_REASON = 2000


def _payload(payload: Any) -> dict:
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise ValidationFailed(_("申请内容应为键值对象"), code="bad_payload")
    try:
        text = json.dumps(payload, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        raise ValidationFailed(_("申请内容无法保存为JSON"), code="bad_payload") from None
    if "\x00" in text or "\\u0000" in text:
        raise ValidationFailed(_("申请内容含有无法保存的控制字符"), code="bad_payload")
    if len(text) > 200_000:
        raise ValidationFailed(_("申请内容过大（超过20万字符）"), code="bad_payload")
    return json.loads(text)


def _area(area: Area | str) -> Area:
    if isinstance(area, Area):
        if not area.is_current:
            raise ValidationFailed(_("区划“%(name)s”已撤销或合并，不能在其下提出审核") % {"name": area.name},
                                   code="area_not_current")
        return area
    return area_get(area)


def review_open(*, actor, kind: str, subject, area: Area | str, reason: str, payload: dict | None = None,
                subject_label: str | None = None) -> Review:
    """Propose a change (提出申请): the review is created, its proposal stage passed, and it waits at
    the next stage. Refused when the subject already has an open review of this kind."""
    require_actor(actor)
    definition = get_process(kind)
    area = _area(area)
    if area.level < definition.deepest_level:
        raise ValidationFailed(
            _("“%(label)s”须在%(level)s级区划提出，“%(area)s”是%(actual)s级") % {
                "label": definition.label, "level": AreaLevel(definition.deepest_level).label, "area": area.name,
                "actual": area.get_level_display()},
            code="area_level",
        )
    if getattr(subject, "pk", None) is None:
        raise ValidationFailed(_("审核对象尚未保存"), code="subject_unsaved")
    reason = to_text(reason, _("申请理由"), max_length=MAX_REASON)
    payload = _payload(payload)
    label = to_text(subject_label if subject_label is not None else str(subject), _("审核对象名称"), max_length=200)
    subject_type = ContentType.objects.get_for_model(subject)
    proposal = definition.stages[0]
    now = clock.now()
    with transaction.atomic():
        review = Review(kind=kind, subject_type=subject_type, subject_id=str(subject.pk), subject_label=label,
                        area=area, payload=payload, reason=reason, proposer=actor, opened_at=now,
                        stage_entered_at=now, updated_at=now, stage_index=0, stage_key=proposal.key)
        problem = permission_problem(actor, review, proposal)
        if problem:
            raise PermissionDenied(problem, code="stage_permission")
        existing = Review.objects.filter(kind=kind, subject_type=subject_type, subject_id=str(subject.pk),
                                         status__in=OPEN_STATUSES).first()
        if existing is not None:
            raise Conflict(_("“%(subject)s”已有进行中的“%(label)s”审核（#%(id)s），不能重复提出") % {
                "subject": label, "label": definition.label, "id": existing.pk},
                code="review_already_open", details={"review_id": existing.pk})
        try:
            with transaction.atomic():
                review.save()
        except IntegrityError:
            raise Conflict(_("“%(subject)s”已有进行中的“%(label)s”审核，不能重复提出") % {
                "subject": label, "label": definition.label}, code="review_already_open") from None
        before_pass(definition, review, proposal, actor)
        add_step(review, proposal, StepAction.PROPOSED, actor, reason=reason)
        advance(review, definition, actor)
        record(actor, review, "open", {"reason": reason, "payload": payload})
    return review


def review_resubmit(*, actor, review: Review | int, expected_version: int, reason: str = "",
                    payload: dict | None = None) -> Review:
    """Send a returned review on again (重新提交), with the changes the return asked for."""
    with locked(actor, review, expected_version) as (review, definition, stage):
        expect_stage(stage, StageKind.PROPOSAL, act=_("重新提交"))
        check_may_act(actor, review, stage, passing=True)
        reason = to_text(reason, _("修改说明"), max_length=MAX_REASON)
        if payload is not None:
            review.payload = _payload(payload)
        before_pass(definition, review, stage, actor)
        add_step(review, stage, StepAction.RESUBMITTED, actor, reason=reason)
        advance(review, definition, actor)
        record(actor, review, "resubmit", {"reason": reason, "payload_changed": payload is not None})
    return review


def review_withdraw(*, actor, review: Review | int, expected_version: int, reason: str = "") -> Review:
    """The proposer takes the review back (撤回) before it is approved."""
    with locked(actor, review, expected_version) as (review, definition, stage):
        if review.proposer_id != actor.pk:
            raise PermissionDenied(_("只有提议人可以撤回审核事项"), code="not_proposer")
        check_may_act(actor, review, definition.stages[0], passing=False)
        if stage.kind == StageKind.ANNOUNCEMENT:
            raise Conflict(_("该事项已审批通过、等待公告，不能撤回"), code="already_approved")
        reason = to_text(reason, _("撤回理由"), max_length=MAX_REASON)
        add_step(review, stage, StepAction.WITHDRAWN, actor, reason=reason)
        cancel_open_notice(review, actor)
        review.status, review.closed_at, review.due_on = ReviewStatus.WITHDRAWN, clock.now(), None
        record(actor, review, "withdraw", {"reason": reason, "stage": stage.key})
        if definition.on_withdrawn is not None:
            definition.on_withdrawn(review=review, actor=actor)
    return review


def review_record_appraisal(*, actor, review: Review | int, expected_version: int, attendees: int | None = None,
                            votes_for: int | None = None, votes_against: int | None = None,
                            votes_abstain: int | None = None, minutes: str = "", held_on=None) -> Review:
    """Record a democratic appraisal (民主评议): who attended, how they voted, the minutes. The
    stage's pass rule decides; a failed vote rejects the review or returns it to the proposer."""
    with locked(actor, review, expected_version) as (review, definition, stage):
        expect_stage(stage, StageKind.APPRAISAL, act=_("登记民主评议"))
        check_may_act(actor, review, stage, passing=True)
        attendees = to_int(attendees, _("实到人数"), minimum=1, maximum=10000)
        votes = {
            "votes_for": to_int(votes_for, _("赞成票数"), maximum=10000),
            "votes_against": to_int(votes_against, _("反对票数"), maximum=10000),
            "votes_abstain": to_int(votes_abstain, _("弃权票数"), maximum=10000),
        }
        if sum(votes.values()) > attendees:
            raise ValidationFailed(
                _("赞成、反对、弃权票数之和（%(sum)s）超过实到人数（%(n)s）") % {"sum": sum(votes.values()), "n": attendees},
                code="votes_exceed_attendees")
        minutes = to_text(minutes, _("会议记录"), max_length=20000)
        held_on = to_date(held_on, _("评议日期"), default=clock.today())
        if held_on > clock.today():
            raise ValidationFailed(_("评议日期不能晚于今天"), code="future_date")
        passed = stage.pass_rule.passes(attendees=attendees, **votes)
        result = {"attendees": attendees, **votes, "held_on": held_on.isoformat(), "passed": passed,
                  "rule": stage.pass_rule.describe()}
        review.stage_data = {**review.stage_data, stage.key: result}
        if passed:
            before_pass(definition, review, stage, actor)
        add_step(review, stage, StepAction.APPRAISAL_PASSED if passed else StepAction.APPRAISAL_FAILED, actor,
                 attendees=attendees, minutes=minutes, on_date=held_on, data={"rule": result["rule"]}, **votes,
                 reason="" if passed else _("民主评议未通过：%(rule)s") % {"rule": result["rule"]})
        if passed:
            advance(review, definition, actor)
        elif stage.on_appraisal_fail == FAIL_REJECT:
            reject(review, definition, actor)
        else:
            send_back(review, definition, 0, actor)
        record(actor, review, "appraisal", result)
    return review


def review_decide(*, actor, review: Review | int, expected_version: int, decision: str, reason: str = "",
                  return_to: str = RETURN_PREVIOUS, data: dict | None = None) -> Review:
    """Decide a decision stage (审核/审批): approve (recording the stage's fields), return with a
    reason to the previous stage or to the proposer, or reject with a reason."""
    with locked(actor, review, expected_version) as (review, definition, stage):
        expect_stage(stage, StageKind.DECISION, act=_("审批"))
        check_may_act(actor, review, stage, passing=True)
        if decision == "approve":
            reason = to_text(reason, _("审核意见"), required=False, max_length=MAX_REASON)
            given = dict(data or {})
            unknown = set(given) - {f.name for f in stage.fields}
            if unknown:
                raise ValidationFailed(_("“%(stage)s”没有这些登记项：%(names)s") % {
                    "stage": stage.label, "names": "、".join(sorted(unknown))}, code="unknown_field")
            cleaned = {f.name: f.clean(given.get(f.name)) for f in stage.fields}
            review.stage_data = {**review.stage_data, stage.key: {
                **cleaned, "by": actor.display_name, "on": clock.today().isoformat()}}
            before_pass(definition, review, stage, actor)
            add_step(review, stage, StepAction.APPROVED, actor, reason=reason, data=cleaned)
            advance(review, definition, actor)
            details = {"decision": decision, "stage": stage.key, "data": cleaned, "reason": reason}
        elif decision == "return":
            if not stage.allow_return:
                raise ValidationFailed(_("“%(stage)s”不能退回") % {"stage": stage.label}, code="return_not_allowed")
            reason = to_text(reason, _("退回理由"), max_length=MAX_REASON)
            if return_to not in (RETURN_PREVIOUS, RETURN_PROPOSER):
                raise ValidationFailed(_("退回对象应为上一环节或提议人"), code="bad_return_to")
            target = 0 if return_to == RETURN_PROPOSER else review.stage_index - 1
            add_step(review, stage, StepAction.RETURNED, actor, reason=reason,
                     data={"to": definition.stages[target].key, "to_label": definition.stages[target].label})
            send_back(review, definition, target, actor)
            details = {"decision": decision, "stage": stage.key, "to": definition.stages[target].key, "reason": reason}
        elif decision == "reject":
            if not stage.allow_reject:
                raise ValidationFailed(_("“%(stage)s”不能否决") % {"stage": stage.label}, code="reject_not_allowed")
            reason = to_text(reason, _("不同意的理由"), max_length=MAX_REASON)
            add_step(review, stage, StepAction.REJECTED, actor, reason=reason)
            reject(review, definition, actor)
            details = {"decision": decision, "stage": stage.key, "reason": reason}
        else:
            raise ValidationFailed(_("审批结论应为同意、退回或不同意"), code="bad_decision")
        record(actor, review, decision, details)
    return review


def review_announce(*, actor, review: Review | int, expected_version: int, announced_on=None,
                    content: str = "") -> Review:
    """Record the announcement (公告) of an approved review; this completes it."""
    with locked(actor, review, expected_version) as (review, definition, stage):
        expect_stage(stage, StageKind.ANNOUNCEMENT, act=_("发布公告"))
        check_may_act(actor, review, stage, passing=True)
        announced_on = to_date(announced_on, _("公告日期"), default=clock.today())
        entered = timezone.localdate(review.stage_entered_at)
        if announced_on > clock.today() or announced_on < entered:
            raise ValidationFailed(_("公告日期应在%(a)s至今天之间") % {"a": entered.isoformat()}, code="bad_date")
        content = to_text(content, _("公告内容"), required=False, max_length=20000)
        review.stage_data = {**review.stage_data, stage.key: {"announced_on": announced_on.isoformat()}}
        before_pass(definition, review, stage, actor)
        add_step(review, stage, StepAction.ANNOUNCED, actor, on_date=announced_on, reason=content)
        advance(review, definition, actor)
        record(actor, review, "announce", {"announced_on": announced_on.isoformat()})
    return review


__all__ = [
    "RETURN_PREVIOUS", "RETURN_PROPOSER", "review_announce", "review_decide", "review_open",
    "review_record_appraisal", "review_resubmit", "review_withdraw",
]
