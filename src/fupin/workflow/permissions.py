"""Who may act on a review's current stage: the stage's action, held at the stage's level of the
review's area (through fupin.accounts.access), and the independence rules of review.

`ActorRoles` reads the actor's role assignments once, so the inbox can ask about every stage of
every process without a query each.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from fupin.accounts.access import actor_prefixes, can
from fupin.accounts.roles import role_allows
from fupin.areas.models import PREFIX_LENGTH, Area, AreaLevel, pad_code
from fupin.workflow.models import DECISION_ACTIONS, PROPOSAL_ACTIONS, Review, ReviewStatus, ReviewStep
from fupin.workflow.processes import ProcessDefinition, Stage, StageKind, get_process


def stage_area_code(area_code: str, stage: Stage) -> str:
    """The 12-digit code of the area at which `stage` is acted on (the village, its township, ...)."""
    return pad_code(area_code[: PREFIX_LENGTH[stage.level]])


class ActorRoles:
    def __init__(self, actor):
        from fupin.accounts.models import RoleAssignment

        self.actor = actor
        signed_in = actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active
        self.rows = (
            list(RoleAssignment.objects.filter(user=actor).values_list("role", "area__prefix")) if signed_in else []
        )

    def stage_prefixes(self, stage: Stage) -> list[str]:
        """Area prefixes under which the actor may act on `stage`: a review whose area code starts
        with one of them is theirs to act on (at this stage)."""
        length = PREFIX_LENGTH[stage.level]
        if stage.exact_level:
            bound = {p for role, p in self.rows if len(p) == length and role_allows(role, stage.action)}
            # can() applies the area switcher (it narrows, never widens).
            return sorted(p for p in bound if can(self.actor, stage.action, pad_code(p)))
        return [p for p in actor_prefixes(self.actor, stage.action) if len(p) <= length]

    def may_act(self, review: Review, stage: Stage) -> bool:
        code = stage_area_code(review.area.code, stage)
        return any(code.startswith(p) for p in self.stage_prefixes(stage))


def _area_name(code: str) -> str:
    area = Area.objects.current().filter(code=code).first()
    return area.name if area else code


def permission_problem(actor, review: Review, stage: Stage, roles: ActorRoles | None = None) -> str | None:
    """Why the actor may not act on `stage` of `review` (None: they may)."""
    roles = roles or ActorRoles(actor)
    if roles.may_act(review, stage):
        return None
    code = stage_area_code(review.area.code, stage)
    return _("办理“%(stage)s”需要在%(area)s（%(level)s级）拥有“%(action)s”权限") % {
        "stage": stage.label, "area": _area_name(code), "level": AreaLevel(stage.level).label, "action": stage.action,
    }


def independence_problem(actor, review: Review, stage: Stage) -> str | None:
    """For an independent stage: the proposer may not pass it, and nobody decides two decision
    stages of the same review."""
    if not stage.independent:
        return None
    steps = ReviewStep.objects.filter(review=review, actor=actor)
    if review.proposer_id == actor.pk or steps.filter(action__in=PROPOSAL_ACTIONS).exists():
        return _("您是该事项的提议人，不能审核或审批自己提出的事项")
    other = steps.filter(action__in=DECISION_ACTIONS, stage_key__in=_other_decision_keys(review.kind, stage)).first()
    if other is not None:
        return _("您已办理本事项的“%(stage)s”环节，同一人不能办理两个审批环节") % {"stage": other.stage_label}
    return None


def open_problem(review: Review) -> str | None:
    if review.is_open:
        return None
    return _("该事项已办结（%(status)s），不能再办理") % {"status": review.get_status_display()}


def _other_decision_keys(kind: str, stage: Stage) -> list[str]:
    definition = get_process(kind)
    return [s.key for s in definition.stages if s.kind == StageKind.DECISION and s.key != stage.key]


def independence_exclusion(actor, definition: ProcessDefinition, stage: Stage) -> Q:
    """The reviews an independent stage must not offer to `actor` (for the inbox)."""
    if not stage.independent:
        return Q(pk__in=[])
    decided = ReviewStep.objects.filter(actor=actor, action__in=DECISION_ACTIONS, review__kind=definition.kind,
                                        stage_key__in=_other_decision_keys(definition.kind, stage))
    proposed = ReviewStep.objects.filter(actor=actor, action__in=PROPOSAL_ACTIONS)
    return (Q(proposer=actor) | Q(pk__in=decided.values("review_id")) | Q(pk__in=proposed.values("review_id")))


def waiting_at(definition: ProcessDefinition, stage: Stage) -> Q:
    """Reviews of this kind waiting at `stage` (the proposal stage waits after a return)."""
    status = ReviewStatus.RETURNED if stage.kind == StageKind.PROPOSAL else ReviewStatus.PENDING
    return Q(kind=definition.kind, stage_key=stage.key, status=status)
