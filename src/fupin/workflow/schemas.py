"""API shapes of reviews, their steps, notices and objections, and of an action taken on a review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from ninja import Schema

from fupin.core import clock
from fupin.workflow.models import Review
from fupin.workflow.processes import get_process, kind_label


class ReviewOut(Schema):
    id: int
    kind: str
    kind_label: str
    subject_type: str
    subject_id: str
    subject_label: str
    area_code: str
    area_name: str
    status: str
    status_label: str
    stage_key: str
    stage_label: str
    proposer: str
    version: int
    opened_at: dt.datetime
    stage_entered_at: dt.datetime
    due_on: dt.date | None
    overdue: bool
    closed_at: dt.datetime | None


class StageOut(Schema):
    key: str
    label: str
    kind: str
    level: int
    action: str
    due_days: int | None
    state: str
    data: dict


class StepOut(Schema):
    seq: int
    stage_key: str
    stage_label: str
    action: str
    action_label: str
    actor: str
    reason: str
    attendees: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    minutes: str
    on_date: dt.date | None
    data: dict
    created_at: dt.datetime


class ObjectionOut(Schema):
    id: int
    raised_by: str
    contact: str
    content: str
    received_on: dt.date
    outcome: str
    outcome_label: str
    resolution: str
    resolved_by: str
    resolved_at: dt.datetime | None


class NoticeOut(Schema):
    id: int
    stage_key: str
    starts_on: dt.date
    window_days: int
    ends_on: dt.date
    place: str
    content: str
    status: str
    objections: list[ObjectionOut]


class ReviewDetailOut(ReviewOut):
    reason: str
    payload: dict
    stage_data: dict
    stages: list[StageOut]
    steps: list[StepOut]
    notices: list[NoticeOut]
    acts: list[str]
    can_withdraw: bool
    problem: str | None


class StageCountOut(Schema):
    kind: str
    kind_label: str
    stage_key: str
    stage_label: str
    count: int


class InboxCountsOut(Schema):
    total: int
    overdue: int
    stages: list[StageCountOut]


class AreaCountOut(Schema):
    code: str
    name: str
    count: int


class ActIn(Schema):
    """One action on the review's current stage. `act` is one of resubmit, withdraw, appraisal,
    start_notice, add_objection, resolve_objection, close_notice, approve, return, reject, announce;
    `expected_version` is the version you saw (a stale one is refused with 409). Only the fields the
    act uses are read."""

    act: str
    expected_version: int
    reason: str | None = None
    return_to: str | None = None
    data: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None
    attendees: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    minutes: str | None = None
    held_on: dt.date | None = None
    starts_on: dt.date | None = None
    window_days: int | None = None
    place: str | None = None
    content: str | None = None
    raised_by: str | None = None
    contact: str | None = None
    received_on: dt.date | None = None
    objection_id: int | None = None
    outcome: str | None = None
    resolution: str | None = None
    announced_on: dt.date | None = None


def _content_type(type_id: int) -> str:
    ct = ContentType.objects.get_for_id(type_id)  # cached
    return f"{ct.app_label}.{ct.model}"


def stage_label_of(review: Review) -> str:
    try:
        definition = get_process(review.kind)
        return definition.stages[definition.locate(review.stage_key, review.stage_index)].label
    except Exception:  # a kind no longer registered: show the key
        return review.stage_key


def review_out(review: Review) -> dict:
    return {
        "id": review.pk, "kind": review.kind, "kind_label": kind_label(review.kind),
        "subject_type": _content_type(review.subject_type_id),
        "subject_id": review.subject_id, "subject_label": review.subject_label,
        "area_code": review.area.code, "area_name": review.area.name, "status": review.status,
        "status_label": review.get_status_display(), "stage_key": review.stage_key,
        "stage_label": stage_label_of(review), "proposer": review.proposer.display_name, "version": review.version,
        "opened_at": review.opened_at, "stage_entered_at": review.stage_entered_at, "due_on": review.due_on,
        "overdue": bool(review.is_open and review.due_on and review.due_on < clock.today()),
        "closed_at": review.closed_at,
    }


def detail_out(history, *, show_contact) -> dict:
    """The full review for the API; `show_contact(value)` masks a phone number unless the reader may see it."""
    review = history.review
    return {
        **review_out(review), "reason": review.reason, "payload": review.payload, "stage_data": review.stage_data,
        "stages": [{"key": v.stage.key, "label": v.stage.label, "kind": v.stage.kind.value, "level": v.stage.level,
                    "action": v.stage.action, "due_days": v.stage.due_days, "state": v.state, "data": v.data}
                   for v in history.stages],
        "steps": [{"seq": s.seq, "stage_key": s.stage_key, "stage_label": s.stage_label, "action": s.action,
                   "action_label": s.get_action_display(), "actor": s.actor_name, "reason": s.reason,
                   "attendees": s.attendees, "votes_for": s.votes_for, "votes_against": s.votes_against,
                   "votes_abstain": s.votes_abstain, "minutes": s.minutes, "on_date": s.on_date, "data": s.data,
                   "created_at": s.created_at} for s in history.steps],
        "notices": [{"id": n.pk, "stage_key": n.stage_key, "starts_on": n.starts_on, "window_days": n.window_days,
                     "ends_on": n.ends_on, "place": n.place, "content": n.content, "status": n.status,
                     "objections": [{"id": o.pk, "raised_by": o.raised_by, "contact": show_contact(o.contact),
                                     "content": o.content, "received_on": o.received_on, "outcome": o.outcome,
                                     "outcome_label": o.get_outcome_display(), "resolution": o.resolution,
                                     "resolved_by": o.resolved_by.display_name if o.resolved_by else "",
                                     "resolved_at": o.resolved_at} for o in n.objections.all()]}
                    for n in history.notices],
        "acts": history.actions.acts, "can_withdraw": history.actions.can_withdraw,
        "problem": history.actions.problem,
    }
