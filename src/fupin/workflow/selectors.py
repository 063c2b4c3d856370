"""Reads of reviews, all through the scoping choke point.

A review is visible to whoever holds its process's `view_action` in the review's area; a review is
in someone's inbox when its current stage is one they may act on (permissions.ActorRoles).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from fupin.accounts.access import access_object, can, can_see_pii, scope
from fupin.areas.models import PREFIX_LENGTH, Area, AreaLevel, pad_code
from fupin.areas.selectors import area_path
from fupin.core import clock
from fupin.core.errors import NotAuthenticated, NotFound, PermissionDenied
from fupin.core.validators import mask_phone
from fupin.workflow.models import (
    OPEN_STATUSES,
    ObjectionOutcome,
    PublicNotice,
    Review,
    ReviewStatus,
    ReviewStep,
    StepAction,
)
from fupin.workflow.permissions import (
    ActorRoles,
    independence_exclusion,
    independence_problem,
    open_problem,
    permission_problem,
    waiting_at,
)
from fupin.workflow.processes import ProcessDefinition, Stage, StageKind, get_process, processes

_BASE = Review.objects.select_related("area", "proposer")
MAX_ID = 2**63 - 1


def _by_view_action() -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for definition in processes():
        grouped[definition.view_action].append(definition.kind)
    return grouped


def reviews_visible(*, actor) -> QuerySet:
    """Every review the actor may see: per process, scoped by the process's view action."""
    qs = Review.objects.none()
    for action, kinds in _by_view_action().items():
        qs = qs | scope(Review.objects.filter(kind__in=kinds), actor, action)
    return qs.select_related("area", "proposer")


# The menu entry's action: everyone who works with the registry may have reviews waiting.
MENU_ACTION = "registry.view"


def may_use_workflow(actor) -> bool:
    """Whether the actor can see or act on reviews somewhere (of any registered process)."""
    actions = {MENU_ACTION}
    for definition in processes():
        actions |= definition.stage_actions() | {definition.view_action}
    return any(can(actor, action) for action in actions)


def require_workflow_user(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(_("请先登录"))
    if not may_use_workflow(actor):
        raise PermissionDenied(_("您没有查看或办理审核事项的权限"))


def review_get(*, actor, review_id: int) -> Review:
    """One review the actor may see; others are "not found" to them (and the attempt is audited)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(_("请先登录"))
    if not isinstance(review_id, int) or not 0 < review_id < MAX_ID:
        raise NotFound(_("审核事项不存在或不在您的管辖范围内"))
    kind = Review.objects.filter(pk=review_id).values_list("kind", flat=True).first()
    if kind is None:
        raise NotFound(_("审核事项不存在或不在您的管辖范围内"))
    definition = get_process(kind)
    return access_object(actor, _BASE.all(), review_id, definition.view_action)


# Inbox -----------------------------------------------------------------------------------------


def _inbox_q(actor, roles: ActorRoles) -> Q | None:
    q = None
    for definition in processes():
        for stage in definition.stages:
            prefixes = roles.stage_prefixes(stage)
            if not prefixes:
                continue
            where = Q()
            for prefix in prefixes:
                where |= Q(area__code__startswith=prefix)
            branch = waiting_at(definition, stage) & where & ~independence_exclusion(actor, definition, stage)
            q = branch if q is None else q | branch
    return q


def inbox(*, actor) -> QuerySet:
    """Reviews waiting at a stage the actor may act on, oldest deadline first."""
    q = _inbox_q(actor, ActorRoles(actor))
    if q is None:
        return Review.objects.none()
    return _BASE.filter(q).order_by("due_on", "stage_entered_at", "pk")


def inbox_total(*, actor) -> int:
    """How many reviews wait for the actor: one count query, cheap enough for a menu badge."""
    return inbox(actor=actor).count()


@dataclass
class StageCount:
    kind: str
    kind_label: str
    stage_key: str
    stage_label: str
    count: int


@dataclass
class InboxCounts:
    total: int = 0
    stages: list[StageCount] = field(default_factory=list)
    overdue: int = 0


def inbox_counts(*, actor) -> InboxCounts:
    """How many reviews wait for the actor, per process and stage (for the menu and the inbox)."""
    qs = inbox(actor=actor)
    counts = InboxCounts()
    rows = qs.order_by().values("kind", "stage_key").annotate(n=Count("id"))
    by_key = {(r["kind"], r["stage_key"]): r["n"] for r in rows}
    for definition in processes():
        for stage in definition.stages:
            n = by_key.get((definition.kind, stage.key))
            if n:
                counts.stages.append(StageCount(definition.kind, definition.label, stage.key, stage.label, n))
                counts.total += n
    counts.overdue = qs.filter(due_on__lt=clock.today()).count() if counts.total else 0
    return counts


# One review ------------------------------------------------------------------------------------


@dataclass
class StageView:
    index: int
    stage: Stage
    state: str  # done, current, todo
    data: dict


@dataclass
class ActionState:
    """What the actor may do on the review now, and why not when they may not."""

    acts: list[str] = field(default_factory=list)
    problem: str | None = None
    can_withdraw: bool = False


@dataclass
class ReviewHistory:
    review: Review
    definition: ProcessDefinition
    stage: Stage
    stages: list[StageView]
    steps: list[ReviewStep]
    notices: list[PublicNotice]
    open_notice: PublicNotice | None
    actions: ActionState
    overdue: bool
    area_path: str
    notice_window: int | None = None


def review_stage(review: Review) -> tuple[ProcessDefinition, Stage]:
    definition = get_process(review.kind)
    try:
        index = definition.locate(review.stage_key, review.stage_index)
    except KeyError:
        raise NotFound(_("该事项所在的环节“%(stage)s”已不在流程定义中，请联系系统管理员") % {
            "stage": review.stage_key}, code="stage_gone") from None
    return definition, definition.stages[index]


def action_state(actor, review: Review, definition: ProcessDefinition, stage: Stage,
                 notice: PublicNotice | None) -> ActionState:
    state = ActionState()
    closed = open_problem(review)
    if closed:
        state.problem = closed
        return state
    if review.proposer_id == actor.pk and stage.kind != StageKind.ANNOUNCEMENT:
        state.can_withdraw = permission_problem(actor, review, definition.stages[0]) is None
    problem = permission_problem(actor, review, stage)
    if problem:
        state.problem = problem
        return state
    if stage.kind == StageKind.PROPOSAL:
        state.acts = ["resubmit"]
        return state
    independence = independence_problem(actor, review, stage)
    if stage.kind == StageKind.NOTICE:
        state.acts = ["add_objection", "resolve_objection", "close_notice"] if notice else ["start_notice"]
        if independence:
            state.acts = ["add_objection"] if notice else []
            state.problem = independence
        return state
    if independence:
        state.problem = independence
        return state
    if stage.kind == StageKind.APPRAISAL:
        state.acts = ["appraisal"]
    elif stage.kind == StageKind.DECISION:
        state.acts = ["approve"] + (["return"] if stage.allow_return else []) + (
            ["reject"] if stage.allow_reject else [])
    else:
        state.acts = ["announce"]
    return state


def step_summary(step: ReviewStep, definition: ProcessDefinition) -> str:
    """One line of what a step recorded, for the timeline."""
    data = step.data or {}
    if step.action in (StepAction.APPRAISAL_PASSED, StepAction.APPRAISAL_FAILED):
        return _("实到%(a)s人，赞成%(f)s票，反对%(g)s票，弃权%(b)s票（%(rule)s）") % {
            "a": step.attendees, "f": step.votes_for, "g": step.votes_against, "b": step.votes_abstain,
            "rule": data.get("rule", "")}
    if step.action == StepAction.NOTICE_STARTED:
        text = _("公示%(n)s天：%(a)s至%(b)s") % {"n": data.get("window_days"), "a": step.on_date,
                                              "b": data.get("ends_on")}
        return text + (_("，地点：%(p)s") % {"p": data["place"]} if data.get("place") else "")
    if step.action == StepAction.OBJECTION_ADDED:
        return _("异议人：%(who)s，收到日期：%(d)s") % {"who": data.get("raised_by", ""), "d": step.on_date}
    if step.action == StepAction.OBJECTION_RESOLVED:
        return _("异议 #%(id)s：%(o)s") % {"id": data.get("objection_id"),
                                         "o": ObjectionOutcome(data.get("outcome", "pending")).label}
    if step.action == StepAction.NOTICE_CLOSED:
        return _("收到异议%(n)s条，其中成立%(u)s条") % {"n": data.get("objections", 0), "u": data.get("upheld", 0)}
    if step.action == StepAction.RETURNED:
        return _("退回至：%(to)s") % {"to": data.get("to_label", data.get("to", ""))}
    if step.action == StepAction.ANNOUNCED:
        return _("公告日期：%(d)s") % {"d": step.on_date}
    if step.action == StepAction.APPROVED and data:
        try:
            fields = {f.name: f for f in definition.stages[definition.index_of(step.stage_key)].fields}
        except KeyError:
            fields = {}
        return "；".join(f"{fields[k].label if k in fields else k}：{fields[k].display(v) if k in fields else v}"
                        for k, v in data.items())
    return ""


def review_history(*, actor, review_id: int) -> ReviewHistory:
    """A review with its stages, every step taken, its notices and objections, and what the actor
    may do now."""
    review = review_get(actor=actor, review_id=review_id)
    definition, stage = review_stage(review)
    current = definition.index_of(stage.key)
    steps = list(review.steps.order_by("seq"))
    for step in steps:
        step.summary = step_summary(step, definition)
    notices = list(review.notices.prefetch_related("objections__resolved_by").order_by("starts_on", "pk"))
    notice = next((n for n in notices if n.status == "open"), None)
    stages = []
    for index, s in enumerate(definition.stages):
        if not review.is_open:
            state = "done" if review.status == ReviewStatus.APPROVED or index < current else "todo"
            if index == current and review.status != ReviewStatus.APPROVED:
                state = "stopped"
        else:
            state = "done" if index < current else "current" if index == current else "todo"
        stages.append(StageView(index, s, state, review.stage_data.get(s.key, {})))
    return ReviewHistory(
        review=review, definition=definition, stage=stage, stages=stages, steps=steps, notices=notices,
        open_notice=notice, actions=action_state(actor, review, definition, stage, notice),
        notice_window=stage.window_for(review) if stage.kind == StageKind.NOTICE else None,
        overdue=bool(review.is_open and review.due_on and review.due_on < clock.today()),
        area_path=area_path(review.area),
    )


def contact_shown(actor, review: Review):
    """A function that shows a contact number in full to readers who may see personal data in the
    review's area, and masked to everyone else."""
    full = can_see_pii(actor, review.area.code)
    return lambda value: value if full else mask_phone(value)


# Overdue ---------------------------------------------------------------------------------------


def reviews_overdue(*, actor, area_code: str = "") -> QuerySet:
    """Open reviews past their stage's deadline, in the actor's areas (optionally under one area)."""
    qs = reviews_visible(actor=actor).filter(status__in=OPEN_STATUSES, due_on__lt=clock.today())
    if area_code:
        qs = qs.filter(area__code__startswith=area_code)
    return qs.order_by("due_on", "pk")


@dataclass
class AreaCount:
    code: str
    name: str
    count: int


def overdue_by_area(*, actor, level: int = AreaLevel.TOWNSHIP) -> list[AreaCount]:
    """Overdue reviews counted per area of `level` (townships by default), for alerts up the hierarchy."""
    length = PREFIX_LENGTH[level]
    rows = (
        reviews_overdue(actor=actor).order_by()
        .annotate(unit=Substr("area__code", 1, length)).values("unit").annotate(n=Count("id")).order_by("unit")
    )
    codes = {r["unit"]: r["n"] for r in rows}
    names = dict(Area.objects.current().filter(code__in=[pad_code(c) for c in codes]).values_list("code", "name"))
    return [AreaCount(pad_code(c), names.get(pad_code(c), pad_code(c)), n) for c, n in codes.items()]


# For owning apps (unscoped: their own services decide who asks) --------------------------------


def open_review_for(subject, kind: str | None = None) -> Review | None:
    """The open review of `subject` (of `kind`, if given), for an owning app's own checks."""
    from django.contrib.contenttypes.models import ContentType

    qs = Review.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk),
                               status__in=OPEN_STATUSES)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-pk").first()


def reviews_of_subject(subject) -> QuerySet:
    from django.contrib.contenttypes.models import ContentType

    return Review.objects.filter(subject_type=ContentType.objects.get_for_model(subject),
                                 subject_id=str(subject.pk)).order_by("-opened_at", "-pk")
