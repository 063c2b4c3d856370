"""What every workflow service shares: locking with the expected version, the checks, steps,
moving between stages, callbacks and the audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from fupin.workflow.models import NoticeStatus, PublicNotice, Review, ReviewStatus, ReviewStep
from fupin.workflow.permissions import independence_problem, open_problem, permission_problem
from fupin.workflow.processes import ProcessDefinition, Stage, StageKind, get_process

MAX_ID = 2**63 - 1


def require_actor(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(_("请先登录"))


@contextmanager
def locked(actor, review: Review | int, expected_version) -> Iterator[tuple[Review, ProcessDefinition, Stage]]:
    """A transaction holding the review's row lock, entered if the actor may see the review and
    nobody changed it since they looked (`expected_version`); otherwise NotFound or Conflict, and
    nothing changes. The visibility check runs before the transaction so that a refusal's audit
    event is kept."""
    from fupin.workflow.selectors import review_get

    require_actor(actor)
    review_id = review.pk if isinstance(review, Review) else to_int(review, _("审核事项编号"), minimum=1,
                                                                    maximum=MAX_ID)
    review_get(actor=actor, review_id=review_id)  # NotFound (audited) outside the actor's areas
    version = to_int(expected_version, _("版本号"), minimum=1, maximum=MAX_ID)
    with transaction.atomic():
        row = Review.objects.select_for_update().select_related("area", "proposer").get(pk=review_id)
        if row.version != version:
            raise Conflict(
                _("该事项已被他人办理（当前版本 %(now)s，您看到的是版本 %(seen)s），请刷新后重试")
                % {"now": row.version, "seen": version},
                code="stale_version", details={"current_version": row.version},
            )
        closed = open_problem(row)
        if closed:
            raise Conflict(closed, code="review_closed")
        definition = get_process(row.kind)
        try:
            row.stage_index = definition.locate(row.stage_key, row.stage_index)
        except KeyError:
            raise Conflict(_("该事项所在的环节“%(stage)s”已不在流程定义中，请联系系统管理员") % {
                "stage": row.stage_key}, code="stage_gone") from None
        row.before = snapshot(row)
        row.version += 1  # saved with the change; a failure rolls it back with everything else
        yield row, definition, definition.stages[row.stage_index]


def expect_stage(stage: Stage, *kinds: StageKind, act: str) -> None:
    if stage.kind not in kinds:
        raise Conflict(
            _("当前环节是“%(stage)s”（%(kind)s），不能%(act)s") % {"stage": stage.label, "kind": stage.kind.label,
                                                                "act": act},
            code="wrong_stage",
        )


def check_may_act(actor, review: Review, stage: Stage, *, passing: bool) -> None:
    problem = permission_problem(actor, review, stage)
    if problem:
        raise PermissionDenied(problem, code="stage_permission")
    if passing:
        problem = independence_problem(actor, review, stage)
        if problem:
            raise PermissionDenied(problem, code="independence")


# Input coercion: pages post strings, the API posts typed values; both get the same Chinese errors.


def to_text(value: Any, label: str, *, required: bool = True, max_length: int | None = None) -> str:
    text = "" if value is None else str(value).strip()
    if "\x00" in text:
        raise ValidationFailed(_("%(label)s含有无法保存的控制字符") % {"label": label}, code="bad_text")
    if required and not text:
        raise ValidationFailed(_("请填写%(label)s") % {"label": label}, code="required")
    if max_length and len(text) > max_length:
        raise ValidationFailed(_("%(label)s不能超过%(n)s个字") % {"label": label, "n": max_length}, code="too_long")
    return text


def to_int(value: Any, label: str, *, minimum: int = 0, maximum: int | None = None, required: bool = True):
    if value is None or (isinstance(value, str) and not value.strip()):
        if not required:
            return None
        raise ValidationFailed(_("请填写%(label)s") % {"label": label}, code="required")
    if isinstance(value, bool):
        raise ValidationFailed(_("%(label)s应为整数") % {"label": label}, code="not_integer")
    if isinstance(value, int):
        number = value
    else:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValidationFailed(_("%(label)s应为整数") % {"label": label}, code="not_integer") from None
    if number < minimum or (maximum is not None and number > maximum):
        bound = _("不小于%(a)s") % {"a": minimum} if maximum is None else _("在%(a)s到%(b)s之间") % {
            "a": minimum, "b": maximum}
        raise ValidationFailed(_("%(label)s应%(bound)s") % {"label": label, "bound": bound}, code="out_of_range")
    return number


def to_date(value: Any, label: str, *, default: dt.date | None = None) -> dt.date:
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None:
            raise ValidationFailed(_("请填写%(label)s") % {"label": label}, code="required")
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed(_("%(label)s格式不正确，应为 YYYY-MM-DD") % {"label": label}, code="bad_date") from None


# Steps, stages and callbacks -------------------------------------------------------------------


def snapshot(review: Review) -> dict:
    return {"status": review.status, "stage": review.stage_key, "version": review.version}


def add_step(review: Review, stage: Stage, action: str, actor, **fields) -> ReviewStep:
    last = review.steps.aggregate(n=Max("seq"))["n"] or 0
    return ReviewStep.objects.create(
        review=review, seq=last + 1, stage_key=stage.key, stage_label=stage.label, action=action, actor=actor,
        actor_name=getattr(actor, "display_name", "") or actor.get_username(), created_at=clock.now(), **fields,
    )


def due_from(start: dt.date, stage: Stage) -> dt.date | None:
    return None if stage.due_days is None else start + dt.timedelta(days=stage.due_days)


def enter_stage(review: Review, definition: ProcessDefinition, index: int) -> None:
    stage = definition.stages[index]
    review.stage_index, review.stage_key = index, stage.key
    review.status = ReviewStatus.RETURNED if stage.kind == StageKind.PROPOSAL else ReviewStatus.PENDING
    review.stage_entered_at = clock.now()
    review.due_on = due_from(clock.today(), stage)


def cancel_open_notice(review: Review, actor) -> None:
    PublicNotice.objects.filter(review=review, status=NoticeStatus.OPEN).update(
        status=NoticeStatus.CANCELLED, closed_by=actor, closed_at=clock.now())


def before_pass(definition: ProcessDefinition, review: Review, stage: Stage, actor) -> None:
    if definition.before_stage_passes is not None:
        definition.before_stage_passes(review=review, stage=stage, actor=actor)


def advance(review: Review, definition: ProcessDefinition, actor) -> None:
    """The current stage has passed: move to the next one, or complete the review."""
    passed = definition.stages[review.stage_index]
    if review.stage_index + 1 < len(definition.stages):
        enter_stage(review, definition, review.stage_index + 1)
        save(review)
        if definition.on_stage_passed is not None:
            definition.on_stage_passed(review=review, stage=passed, actor=actor)
        return
    review.status, review.closed_at, review.due_on = ReviewStatus.APPROVED, clock.now(), None
    save(review)
    if definition.on_stage_passed is not None:
        definition.on_stage_passed(review=review, stage=passed, actor=actor)
    if definition.on_approved is not None:
        definition.on_approved(review=review, actor=actor)


def send_back(review: Review, definition: ProcessDefinition, index: int, actor) -> None:
    cancel_open_notice(review, actor)
    enter_stage(review, definition, index)
    save(review)


def reject(review: Review, definition: ProcessDefinition, actor) -> None:
    cancel_open_notice(review, actor)
    review.status, review.closed_at, review.due_on = ReviewStatus.REJECTED, clock.now(), None
    save(review)
    if definition.on_rejected is not None:
        definition.on_rejected(review=review, actor=actor)


def save(review: Review) -> None:
    review.updated_at = clock.now()
    review.save()


def record(actor, review: Review, action: str, details: dict | None = None) -> None:
    """Save the review and write the audit event of the change (inside the caller's transaction)."""
    save(review)
    audit_event(actor=actor, action=f"workflow.{action}", target=review, area_code=review.area.code,
                before=getattr(review, "before", None), after=snapshot(review),
                details={"kind": review.kind, "subject": review.subject_label, **(details or {})})
