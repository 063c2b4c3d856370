"""Lifecycle changes of a household go through the workflow's review (村申请 → 民主评议 → 村级公示 →
乡镇审核 → 县级审批 → 公告): one process per reviewed transition of `registry/lifecycle.py`.

A 脱贫退出 is checked against the exit standard of the policy pack in force before the county can
approve it, and the check (with what fails) is stored as the evidence of the change.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from fupin.areas.models import AreaLevel
from fupin.core.errors import ValidationFailed
from fupin.registry import lifecycle
from fupin.registry.models import Household
from fupin.workflow.processes import PassRule, ProcessDefinition, Stage, StageKind, register_process

# 公示 at village level: seven days in the documents' practice (Fushun 两公示一公告).
VILLAGE_NOTICE_DAYS = 7


def kind_of(transition: str) -> str:
    return f"registry.{transition}"


def _stages() -> list[Stage]:
    return [
        Stage("proposal", "村级申请", StageKind.PROPOSAL, "registry.propose", AreaLevel.VILLAGE),
        Stage("appraisal", "村民主评议", StageKind.APPRAISAL, "registry.propose", AreaLevel.VILLAGE, due_days=15,
              pass_rule=PassRule(numerator=1, denominator=2)),
        Stage("village_notice", "村级公示", StageKind.NOTICE, "registry.propose", AreaLevel.VILLAGE,
              notice_days=VILLAGE_NOTICE_DAYS, due_days=3),
        Stage("township", "乡镇审核", StageKind.DECISION, "registry.review", AreaLevel.TOWNSHIP, due_days=10),
        Stage("county", "县级审批", StageKind.DECISION, "registry.approve", AreaLevel.COUNTY, due_days=10),
        Stage("announcement", "县级公告", StageKind.ANNOUNCEMENT, "registry.approve", AreaLevel.COUNTY),
    ]


def _household(review) -> Household:
    return Household.objects.select_related("village").get(pk=int(review.subject_id))


def _check_exit(*, review, stage, actor) -> None:
    """Before the county approves an exit: the exit standard must hold, or the approval is refused
    with what fails."""
    if stage.key != "county":
        return
    from fupin.policy.households import exit_standard_evidence

    evidence = exit_standard_evidence(_household(review))
    if not evidence["passed"]:
        raise ValidationFailed(
            _("不符合脱贫退出标准（%(pack)s）：%(failing)s") % {
                "pack": evidence["pack"], "failing": "、".join(evidence["failing"]) or evidence.get("error") or "—"},
            code="exit_standard_not_met", details=evidence)


def _approved(transition: lifecycle.Transition):
    def apply(*, review, actor) -> None:
        from fupin.registry.services import lifecycle_apply

        household = _household(review)
        evidence = None
        if transition.exit_check:
            from fupin.policy.households import exit_standard_evidence

            evidence = exit_standard_evidence(household)
        lifecycle_apply(actor=actor, household_id=household.pk, transition=transition.name,
                        expected_version=household.version, reason=review.reason, evidence=evidence,
                        reference=f"review:{review.pk}")

    return apply


def register_lifecycle_processes() -> None:
    for transition in lifecycle.TRANSITIONS.values():
        if not transition.review:
            continue
        register_process(ProcessDefinition(
            kind=kind_of(transition.name),
            label=transition.label,
            stages=_stages(),
            on_approved=_approved(transition),
            before_stage_passes=_check_exit if transition.exit_check else None,
        ), replace=True)


def household_change_start(*, actor, household_id: int, transition: str, reason: str, expected_version: int):
    """Start a lifecycle change from the household's page: a reviewed transition opens its review
    (the village clerk proposes); an unreviewed one (列入预脱贫, 自然减少) is applied at once."""
    from fupin.registry.selectors import household_get
    from fupin.registry.services import lifecycle_apply
    from fupin.workflow.services import review_open

    t = lifecycle.TRANSITIONS.get(transition)
    if t is None:
        raise ValidationFailed(_("未知的状态变更：%(t)s") % {"t": transition}, code="unknown_transition")
    household = household_get(actor, household_id)
    problem = lifecycle.transition_problem(household.status, transition)
    if problem:
        raise ValidationFailed(problem, code="transition_not_allowed")
    if not t.review:
        return lifecycle_apply(actor=actor, household_id=household.pk, transition=transition,
                               expected_version=expected_version, reason=reason)
    return review_open(actor=actor, kind=kind_of(transition), subject=household, area=household.village,
                       reason=reason, payload={"transition": transition, "household_number": household.household_number,
                                               "year": household.year},
                       subject_label=_("%(number)s户 %(transition)s") % {"number": household.household_number,
                                                                          "transition": t.label})
