"""Reads of supervision and rectification, every one through fupin.accounts.access."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from fupin.accounts.access import access_object, actor_prefixes, can, scope
from fupin.areas.models import pad_code
from fupin.core import clock
from fupin.core.errors import NotFound
from fupin.supervision.models import (
    OPEN_STATUSES,
    Campaign,
    Checklist,
    Evidence,
    Finding,
    FindingStatus,
    LookbackCheck,
    RectificationStep,
)

VIEW = "progress.view"


def campaigns_visible(*, actor, action: str = VIEW) -> QuerySet:
    """Campaigns the county runs in the actor's areas, those covering any area within them, and those
    covering an area that contains theirs (a village sees the campaign over its township)."""
    base = Campaign.objects.order_by()
    run_here = scope(base, actor, action, code_path="county__code").values("pk")
    covering = scope(base, actor, action, code_path="covered__code").values("pk")
    above = {pad_code(p[:n]) for p in actor_prefixes(actor, action) for n in (6, 9) if n < len(p)}
    return Campaign.objects.filter(Q(pk__in=run_here) | Q(pk__in=covering) | Q(covered__code__in=above)).distinct(
    ).select_related("county", "checklist")


def campaign_get(*, actor, campaign_id: int, action: str = VIEW) -> Campaign:
    campaign = campaigns_visible(actor=actor, action=action).filter(pk=campaign_id).first()
    if campaign is None:
        # Refused the same way as any record outside the actor's areas (audited, "not found").
        return access_object(actor, Campaign.objects.select_related("county"), campaign_id, action,
                             code_path="county__code")
    return campaign


def findings_visible(*, actor, action: str = VIEW) -> QuerySet:
    return scope(Finding.objects.select_related("area", "responsible_area", "campaign", "checklist_item"),
                 actor, action)


def finding_get(*, actor, finding_id: int, action: str = VIEW) -> Finding:
    return access_object(actor, Finding.objects.select_related("area", "responsible_area", "campaign",
                                                               "checklist_item", "household", "closed_by"),
                         finding_id, action)


def findings_overdue(*, actor, today: dt.date | None = None) -> QuerySet:
    """Open findings past their deadline in the actor's areas (逾期未整改)."""
    today = today or clock.today()
    return findings_visible(actor=actor).filter(status__in=OPEN_STATUSES, deadline__lt=today)


def overdue_badge(user) -> int:
    """The menu badge: overdue findings the user supervises or must rectify."""
    if not (can(user, "supervision.manage") or can(user, "rectification.act")):
        return 0
    return findings_overdue(actor=user).count()


def finding_steps(*, finding: Finding) -> list[RectificationStep]:
    return list(finding.steps.prefetch_related("evidence").order_by("at", "pk"))


def finding_evidence(*, finding: Finding) -> list[Evidence]:
    return list(finding.evidence.order_by("uploaded_at", "pk"))


def evidence_get(*, actor, finding: Finding, evidence_id: int) -> Evidence:
    found = finding.evidence.filter(pk=evidence_id).first()
    if found is None:
        raise NotFound(_("佐证材料不存在"), code="no_such_evidence")
    return found


def status_counts(qs: QuerySet, today: dt.date | None = None) -> dict[str, int]:
    today = today or clock.today()
    counts = qs.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status=FindingStatus.OPEN)),
        reported=Count("pk", filter=Q(status=FindingStatus.REPORTED)),
        returned=Count("pk", filter=Q(status=FindingStatus.RETURNED)),
        closed=Count("pk", filter=Q(status=FindingStatus.CLOSED)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
    )
    return counts


def checks_visible(*, actor, campaign: Campaign, action: str = VIEW) -> QuerySet:
    return scope(campaign.checks.select_related("village", "finding"), actor, action, code_path="village__code")


def check_get(*, actor, check_id: int, action: str = VIEW) -> LookbackCheck:
    return access_object(actor, LookbackCheck.objects.select_related("campaign", "village", "household", "finding"),
                         check_id, action, code_path="village__code")


def checklists_visible(*, actor, action: str = VIEW) -> QuerySet:
    """Checklists whose jurisdiction lies within the actor's areas or contains one of them."""
    prefixes = actor_prefixes(actor, action)
    if not prefixes:
        return Checklist.objects.none()
    visible = Q(jurisdiction__in={p[:n] for p in prefixes for n in (2, 4, 6) if n <= len(p)})
    for p in prefixes:
        visible |= Q(jurisdiction__startswith=p)
    return Checklist.objects.filter(visible).annotate(item_count=Count("items")).order_by("-year", "key", "-version")


def checklist_get(*, actor, checklist_id: int, action: str = VIEW) -> Checklist:
    found = checklists_visible(actor=actor, action=action).filter(pk=checklist_id).first()
    if found is None:
        if Checklist.objects.filter(pk=checklist_id).exists():
            from fupin.audit.services import audit_denial

            audit_denial(actor=actor, action="access.denied", reason=f"supervision.checklist:{checklist_id} {action}")
        raise NotFound(_("督查清单不存在或不适用于您的管辖范围"), code="no_such_checklist")
    return found
