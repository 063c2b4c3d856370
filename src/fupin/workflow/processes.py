"""Process definitions (审核流程定义): the stages a kind of review goes through, as Python data.

An owning app (the registry, monitoring, assessment, funds) describes each kind of review once and
registers it from its AppConfig.ready():

    from fupin.areas.models import AreaLevel
    from fupin.workflow.processes import PassRule, ProcessDefinition, Stage, StageField, StageKind, register_process

    register_process(ProcessDefinition(
        kind="registry.identify",
        label="识别纳入",
        stages=[
            Stage("proposal", "村级申请", StageKind.PROPOSAL, "registry.propose", AreaLevel.VILLAGE),
            Stage("appraisal", "村民主评议", StageKind.APPRAISAL, "registry.propose", AreaLevel.VILLAGE,
                  due_days=15, pass_rule=PassRule(numerator=1, denominator=2)),
            Stage("village_notice", "村级公示", StageKind.NOTICE, "registry.propose", AreaLevel.VILLAGE,
                  notice_days=7, due_days=3),
            Stage("township", "乡镇审核", StageKind.DECISION, "registry.review", AreaLevel.TOWNSHIP, due_days=10),
            Stage("county", "县级审批", StageKind.DECISION, "registry.approve", AreaLevel.COUNTY, due_days=10),
            Stage("announcement", "县级公告", StageKind.ANNOUNCEMENT, "registry.approve", AreaLevel.COUNTY),
        ],
        on_approved=household_identified,   # called as fn(review=..., actor=...)
        on_rejected=household_not_identified,
    ))

and opens a review with `fupin.workflow.services.review_open(actor=..., kind="registry.identify",
subject=household, area=household.village, payload={...}, reason="...")`. Every later step is taken
in the workflow's own pages and API (or by calling its services); the owner learns the outcome
through its callbacks, which run inside the transaction of the final step, so a callback that raises
rolls the step back as well.

Rules the definition expresses:

* The first stage is the proposal (PROPOSAL), done by `review_open` and, after a return to the
  proposer, by `review_resubmit`. The last stage is a DECISION or an ANNOUNCEMENT.
* A stage is acted on by a user whose role grants `action` at `level` of the subject's area (the
  village, its township or its county, found from the area code). With `exact_level=True` (the
  default) the role must be bound at that very level: a county officer does not do the township's
  review. `exact_level=False` lets roles bound higher up act as well.
* `independent` stages (by default every DECISION) may not be passed by anyone who proposed or
  resubmitted the review, nor by anyone who already decided another decision stage of it.
* An APPRAISAL (民主评议) records attendees, votes and minutes; `pass_rule` decides the outcome;
  a failed vote rejects the review (or returns it to the proposer: `on_appraisal_fail="return"`).
* A NOTICE (公示) runs for `notice_days` calendar days from its start (a number, or a function of
  the review, e.g. a policy-pack parameter); when the definition gives none, the user starting the
  notice gives the window (at least `min_notice_days`). Objections (异议) received during the window
  must each be resolved with a reason; the notice closes only after its last day. An upheld
  objection returns the review to the proposer (or rejects it: `on_upheld_objection="reject"`).
* A DECISION approves (optionally recording `fields`, e.g. a risk level), returns with a reason to
  the previous stage or to the proposer, or rejects with a reason.
* An ANNOUNCEMENT (公告) records the announcement date; it completes the review.
* `due_days` gives each stage a deadline counted from the day the review reached it (for a notice:
  from the day after the notice's last day), so overdue reviews can be listed per area.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext as _

from fupin.accounts.roles import ALL_ACTIONS
from fupin.areas.models import PREFIX_LENGTH, AreaLevel
from fupin.core.errors import ValidationFailed


class StageKind(models.TextChoices):
    PROPOSAL = "proposal", "申请/提议"
    APPRAISAL = "appraisal", "民主评议"
    NOTICE = "notice", "公示"
    DECISION = "decision", "审核审批"
    ANNOUNCEMENT = "announcement", "公告"


FAIL_REJECT = "reject"
FAIL_RETURN = "return"


@dataclass(frozen=True)
class PassRule:
    """When a democratic appraisal (民主评议) passes: votes for must exceed (or, with
    `strictly_more=False`, reach) numerator/denominator of the base, which is the attendees
    (实到人数) or the votes cast; and at least `min_attendees` must attend."""

    numerator: int = 1
    denominator: int = 2
    base: str = "attendees"  # or "votes_cast"
    strictly_more: bool = True
    min_attendees: int = 1

    def __post_init__(self) -> None:
        if self.denominator <= 0 or not 0 < self.numerator <= self.denominator:
            raise ImproperlyConfigured("PassRule: need 0 < numerator <= denominator")
        if self.base not in ("attendees", "votes_cast"):
            raise ImproperlyConfigured("PassRule.base is 'attendees' or 'votes_cast'")

    def passes(self, *, attendees: int, votes_for: int, votes_against: int, votes_abstain: int) -> bool:
        if attendees < self.min_attendees:
            return False
        base = attendees if self.base == "attendees" else votes_for + votes_against + votes_abstain
        lhs, rhs = votes_for * self.denominator, base * self.numerator
        return lhs > rhs if self.strictly_more else lhs >= rhs

    def describe(self) -> str:
        base = _("实到人数") if self.base == "attendees" else _("有效票数")
        share = _("半数") if (self.numerator, self.denominator) == (1, 2) else f"{self.numerator}/{self.denominator}"
        verb = _("超过") if self.strictly_more else _("达到")
        text = _("赞成票%(verb)s%(base)s的%(share)s") % {"verb": verb, "base": base, "share": share}
        if self.min_attendees > 1:
            text += _("，且实到不少于%(n)s人") % {"n": self.min_attendees}
        return text


@dataclass(frozen=True)
class StageField:
    """A value recorded when a decision stage approves (e.g. the township's risk level 风险等级)."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True

    def clean(self, value: Any) -> str:
        text = "" if value is None else str(value).strip()
        if not text:
            if self.required:
                raise ValidationFailed(_("请填写“%(label)s”") % {"label": self.label}, code="field_required",
                                       details={"field": self.name})
            return ""
        if self.choices and text not in {c for c, _label in self.choices}:
            allowed = "、".join(label for _c, label in self.choices)
            raise ValidationFailed(_("“%(label)s”的取值无效，应为：%(allowed)s") % {"label": self.label,
                                   "allowed": allowed}, code="field_choice", details={"field": self.name})
        return text

    def display(self, value: str) -> str:
        return dict(self.choices).get(value, value)


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    kind: StageKind
    action: str
    level: int
    due_days: int | None = None
    exact_level: bool = True
    independent: bool | None = None  # default: True for DECISION stages, False otherwise
    # APPRAISAL
    pass_rule: PassRule = field(default_factory=PassRule)
    on_appraisal_fail: str = FAIL_REJECT
    # NOTICE
    notice_days: int | Callable[..., int] | None = None
    min_notice_days: int = 1
    on_upheld_objection: str = FAIL_RETURN
    # DECISION
    fields: tuple[StageField, ...] = ()
    allow_return: bool = True
    allow_reject: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", StageKind(self.kind))
        object.__setattr__(self, "level", int(self.level))
        object.__setattr__(self, "fields", tuple(self.fields))
        if self.independent is None:
            object.__setattr__(self, "independent", self.kind == StageKind.DECISION)
        if self.level not in PREFIX_LENGTH:
            raise ImproperlyConfigured(f"stage {self.key}: level must be 1..5")
        if self.action not in ALL_ACTIONS:
            raise ImproperlyConfigured(f"stage {self.key}: unknown action {self.action!r} (see accounts/roles.py)")
        if self.on_appraisal_fail not in (FAIL_REJECT, FAIL_RETURN):
            raise ImproperlyConfigured(f"stage {self.key}: on_appraisal_fail is 'reject' or 'return'")
        if self.on_upheld_objection not in (FAIL_REJECT, FAIL_RETURN):
            raise ImproperlyConfigured(f"stage {self.key}: on_upheld_objection is 'reject' or 'return'")
        if isinstance(self.notice_days, int) and self.notice_days < 1:
            raise ImproperlyConfigured(f"stage {self.key}: notice_days must be at least 1")
        if self.min_notice_days < 1:
            raise ImproperlyConfigured(f"stage {self.key}: min_notice_days must be at least 1")
        if self.due_days is not None and self.due_days < 0:
            raise ImproperlyConfigured(f"stage {self.key}: due_days cannot be negative")

    @property
    def level_label(self) -> str:
        return AreaLevel(self.level).label

    def window_for(self, review) -> int | None:
        """The notice window the definition gives for this review (None: the user gives it)."""
        if callable(self.notice_days):
            return int(self.notice_days(review))
        return self.notice_days


@dataclass(frozen=True)
class ProcessDefinition:
    kind: str
    label: str
    stages: Sequence[Stage]
    on_approved: Callable[..., Any] | None = None
    on_rejected: Callable[..., Any] | None = None
    on_withdrawn: Callable[..., Any] | None = None
    # fn(review=, stage=, actor=) after any stage passes (the review already moved on)
    on_stage_passed: Callable[..., Any] | None = None
    # fn(review=, stage=, actor=) before a stage passes; raise ValidationFailed to stop it
    before_stage_passes: Callable[..., Any] | None = None
    # who may see reviews of this kind (scoped by the review's area)
    view_action: str = "registry.view"

    def __post_init__(self) -> None:
        stages = tuple(self.stages)
        object.__setattr__(self, "stages", stages)
        if len(stages) < 2:
            raise ImproperlyConfigured(f"process {self.kind}: needs a proposal and at least one more stage")
        if stages[0].kind != StageKind.PROPOSAL or any(s.kind == StageKind.PROPOSAL for s in stages[1:]):
            raise ImproperlyConfigured(f"process {self.kind}: the first stage, and only it, is the PROPOSAL")
        if stages[-1].kind not in (StageKind.DECISION, StageKind.ANNOUNCEMENT):
            raise ImproperlyConfigured(f"process {self.kind}: the last stage is a DECISION or an ANNOUNCEMENT")
        keys = [s.key for s in stages]
        if len(set(keys)) != len(keys):
            raise ImproperlyConfigured(f"process {self.kind}: stage keys must be unique")
        if self.view_action not in ALL_ACTIONS:
            raise ImproperlyConfigured(f"process {self.kind}: unknown view action {self.view_action!r}")
        if len(self.kind) > 64:
            raise ImproperlyConfigured(f"process {self.kind}: kind is at most 64 characters")

    @property
    def deepest_level(self) -> int:
        return max(s.level for s in self.stages)

    def index_of(self, key: str) -> int:
        for i, stage in enumerate(self.stages):
            if stage.key == key:
                return i
        raise KeyError(key)

    def locate(self, key: str, index: int) -> int:
        """Where the stage `key` is now. A review remembers both its stage's key and index, so that
        a definition edited while reviews are open is still followed by key; KeyError when the
        stage is gone."""
        if 0 <= index < len(self.stages) and self.stages[index].key == key:
            return index
        return self.index_of(key)

    def stage_actions(self) -> set[str]:
        return {s.action for s in self.stages}


_PROCESSES: dict[str, ProcessDefinition] = {}


def register_process(definition: ProcessDefinition, *, replace: bool = False) -> ProcessDefinition:
    """Make a kind of review available. Registering the same definition twice is harmless; a
    different definition under a registered kind needs `replace=True`."""
    existing = _PROCESSES.get(definition.kind)
    if existing is not None and existing != definition and not replace:
        raise ImproperlyConfigured(f"process {definition.kind} is already registered")
    _PROCESSES[definition.kind] = definition
    return definition


def unregister_process(kind: str) -> None:
    _PROCESSES.pop(kind, None)


def get_process(kind: str) -> ProcessDefinition:
    try:
        return _PROCESSES[kind]
    except KeyError:
        raise ValidationFailed(_("未知的审核类型：%(kind)s") % {"kind": kind}, code="unknown_process") from None


def processes() -> list[ProcessDefinition]:
    return sorted(_PROCESSES.values(), key=lambda d: d.kind)


def kind_label(kind: str) -> str:
    definition = _PROCESSES.get(kind)
    return definition.label if definition else kind
