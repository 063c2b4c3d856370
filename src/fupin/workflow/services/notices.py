"""Public notices (公示) and the objections (异议) received during them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fupin.core import clock
from fupin.core.errors import Conflict, NotFound, ValidationFailed
from fupin.core.validators import validate_phone
from fupin.workflow.models import (
    NoticeStatus,
    Objection,
    ObjectionOutcome,
    PublicNotice,
    Review,
    StepAction,
)
from fupin.workflow.processes import FAIL_REJECT, StageKind
from fupin.workflow.services._base import (
    add_step,
    advance,
    before_pass,
    check_may_act,
    due_from,
    expect_stage,
    locked,
    record,
    reject,
    send_back,
    to_date,
    to_int,
    to_text,
)

MAX_WINDOW_DAYS = 90
MAX_LEAD_DAYS = 30


def _open_notice(review: Review) -> PublicNotice:
    notice = PublicNotice.objects.select_for_update().filter(review=review, status=NoticeStatus.OPEN).first()
    if notice is None:
        raise Conflict(_("当前没有正在进行的公示"), code="no_open_notice")
    return notice


def review_start_notice(*, actor, review: Review | int, expected_version: int, starts_on=None, window_days=None,
                        place: str = "", content: str = "") -> PublicNotice:
    """Post the public notice of the current NOTICE stage. The window is the definition's (a longer
    one may be given, never a shorter one) or, where the definition leaves it open, the one given
    here. A notice cannot be back-dated: it starts today or later."""
    with locked(actor, review, expected_version) as (review, definition, stage):
        expect_stage(stage, StageKind.NOTICE, act=_("发布公示"))
        check_may_act(actor, review, stage, passing=True)
        if PublicNotice.objects.filter(review=review, status=NoticeStatus.OPEN).exists():
            raise Conflict(_("该事项已在公示中"), code="notice_already_open")
        today = clock.today()
        starts_on = to_date(starts_on, _("公示开始日期"), default=today)
        if starts_on < today:
            raise ValidationFailed(_("公示开始日期不能早于今天（不能倒签）"), code="backdated_notice")
        if starts_on > today + dt.timedelta(days=MAX_LEAD_DAYS):
            raise ValidationFailed(_("公示开始日期不能晚于%(n)s天后") % {"n": MAX_LEAD_DAYS}, code="notice_too_far")
        required = stage.window_for(review)
        given = to_int(window_days, _("公示天数"), minimum=1, maximum=MAX_WINDOW_DAYS, required=required is None)
        if given is None:
            window = required
        else:
            floor = max(required or 0, stage.min_notice_days)
            if given < floor:
                raise ValidationFailed(_("公示期不得少于%(n)s天") % {"n": floor}, code="notice_too_short")
            window = given
        notice = PublicNotice.objects.create(
            review=review, stage_key=stage.key, starts_on=starts_on, window_days=window,
            ends_on=starts_on + dt.timedelta(days=window - 1),
            place=to_text(place, _("公示地点"), required=False, max_length=200),
            content=to_text(content, _("公示内容"), required=False, max_length=20000),
            started_by=actor, started_at=clock.now(),
        )
        add_step(review, stage, StepAction.NOTICE_STARTED, actor, on_date=starts_on,
                 data={"notice_id": notice.pk, "window_days": window, "ends_on": notice.ends_on.isoformat(),
                       "place": notice.place})
        review.due_on = due_from(notice.ends_on + dt.timedelta(days=1), stage)
        record(actor, review, "notice_start", {"notice_id": notice.pk, "starts_on": starts_on.isoformat(),
                                               "ends_on": notice.ends_on.isoformat(), "window_days": window})
    return notice


def review_add_objection(*, actor, review: Review | int, expected_version: int, raised_by: str = "",
                         content: str = "", received_on=None, contact: str = "") -> Objection:
    """Record an objection (异议) received during the notice window, from a villager or anyone else."""
    with locked(actor, review, expected_version) as (review, _definition, stage):
        expect_stage(stage, StageKind.NOTICE, act=_("登记异议"))
        check_may_act(actor, review, stage, passing=False)
        notice = _open_notice(review)
        today = clock.today()
        received_on = to_date(received_on, _("收到日期"), default=today)
        if received_on > today:
            raise ValidationFailed(_("收到日期不能晚于今天"), code="future_date")
        if not notice.starts_on <= received_on <= notice.ends_on:
            raise ValidationFailed(
                _("异议须在公示期内（%(a)s至%(b)s）提出，%(d)s收到的异议不予登记") % {
                    "a": notice.starts_on.isoformat(), "b": notice.ends_on.isoformat(), "d": received_on.isoformat()},
                code="outside_window")
        contact = to_text(contact, _("联系方式"), required=False, max_length=30)
        try:
            validate_phone(contact)
        except ValidationError as exc:
            raise ValidationFailed(str(exc.messages[0]), code="bad_phone") from None
        objection = Objection.objects.create(
            notice=notice, raised_by=to_text(raised_by, _("异议人姓名"), max_length=100), contact=contact,
            content=to_text(content, _("异议内容"), max_length=20000), received_on=received_on,
            recorded_by=actor, recorded_at=clock.now(),
        )
        add_step(review, stage, StepAction.OBJECTION_ADDED, actor, on_date=received_on,
                 data={"objection_id": objection.pk, "raised_by": objection.raised_by})
        record(actor, review, "objection_add", {"objection_id": objection.pk, "received_on": received_on.isoformat()})
    return objection


def review_resolve_objection(*, actor, review: Review | int, expected_version: int, objection_id: int | None = None,
                             outcome: str = "", resolution: str = "") -> Objection:
    """Resolve an objection after looking into it: upheld (异议成立) or dismissed, with the reason."""
    with locked(actor, review, expected_version) as (review, _definition, stage):
        expect_stage(stage, StageKind.NOTICE, act=_("处理异议"))
        check_may_act(actor, review, stage, passing=True)
        notice = _open_notice(review)
        objection_id = to_int(objection_id, _("异议编号"), minimum=1, maximum=2**63 - 1)
        objection = Objection.objects.select_for_update().filter(pk=objection_id, notice=notice).first()
        if objection is None:
            raise NotFound(_("本次公示中没有编号为%(id)s的异议") % {"id": objection_id}, code="objection_not_found")
        if objection.is_resolved:
            raise Conflict(_("该异议已于%(at)s处理") % {"at": objection.resolved_at.date().isoformat()},
                           code="objection_resolved")
        if outcome not in (ObjectionOutcome.UPHELD, ObjectionOutcome.DISMISSED):
            raise ValidationFailed(_("处理结果应为“异议成立”或“异议不成立”"), code="bad_outcome")
        objection.outcome = outcome
        objection.resolution = to_text(resolution, _("处理意见"), max_length=20000)
        objection.resolved_by, objection.resolved_at = actor, clock.now()
        objection.save()
        add_step(review, stage, StepAction.OBJECTION_RESOLVED, actor, reason=objection.resolution,
                 data={"objection_id": objection.pk, "outcome": outcome})
        record(actor, review, "objection_resolve", {"objection_id": objection.pk, "outcome": outcome})
    return objection


def review_close_notice(*, actor, review: Review | int, expected_version: int) -> Review:
    """End the notice once its window is over and every objection is resolved. Without an upheld
    objection the review moves on; with one it goes back to the proposer (or is rejected)."""
    with locked(actor, review, expected_version) as (review, definition, stage):
        expect_stage(stage, StageKind.NOTICE, act=_("结束公示"))
        check_may_act(actor, review, stage, passing=True)
        notice = _open_notice(review)
        if clock.today() <= notice.ends_on:
            raise ValidationFailed(
                _("公示期至%(end)s，%(next)s起方可结束公示") % {
                    "end": notice.ends_on.isoformat(), "next": (notice.ends_on + dt.timedelta(days=1)).isoformat()},
                code="notice_window_open")
        objections = list(notice.objections.all())
        pending = [o for o in objections if not o.is_resolved]
        if pending:
            raise ValidationFailed(_("尚有%(n)s条异议未处理，处理后方可结束公示") % {"n": len(pending)},
                                   code="objections_pending")
        upheld = [o for o in objections if o.outcome == ObjectionOutcome.UPHELD]
        if not upheld:
            before_pass(definition, review, stage, actor)
        notice.status, notice.closed_by, notice.closed_at = NoticeStatus.CLOSED, actor, clock.now()
        notice.save()
        summary = {"notice_id": notice.pk, "objections": len(objections), "upheld": len(upheld)}
        add_step(review, stage, StepAction.NOTICE_CLOSED, actor, on_date=clock.today(), data=summary)
        review.stage_data = {**review.stage_data, stage.key: {
            "starts_on": notice.starts_on.isoformat(), "ends_on": notice.ends_on.isoformat(), **summary}}
        if not upheld:
            advance(review, definition, actor)
        else:
            reason = (_("公示期间异议成立%(n)s条：%(what)s") % {
                "n": len(upheld), "what": "；".join(o.resolution for o in upheld)})[:2000]
            if stage.on_upheld_objection == FAIL_REJECT:
                add_step(review, stage, StepAction.REJECTED, actor, reason=reason)
                reject(review, definition, actor)
            else:
                add_step(review, stage, StepAction.RETURNED, actor, reason=reason,
                         data={"to": definition.stages[0].key, "to_label": definition.stages[0].label})
                send_back(review, definition, 0, actor)
        record(actor, review, "notice_close", summary)
    return review
