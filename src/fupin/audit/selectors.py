"""Reads of the audit trail, for auditors and the audit administrator."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from fupin.accounts.access import actor_prefixes, require
from fupin.audit.models import AuditEvent


def audit_events(*, actor, action: str = "", actor_name: str = "", area_code: str = "", outcome: str = "",
                 since: dt.date | None = None, until: dt.date | None = None):
    """Events the actor may read: those in their areas, plus area-less events (logins, system work)
    for anyone whose audit right is held at county level or above."""
    require(actor, "audit.view")
    prefixes = actor_prefixes(actor, "audit.view")
    visible = Q()
    for prefix in prefixes:
        visible |= Q(area_code__startswith=prefix)
    if any(len(p) <= 6 for p in prefixes):
        visible |= Q(area_code="")
    qs = AuditEvent.objects.filter(visible)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor_name:
        qs = qs.filter(actor_name__icontains=actor_name)
    if area_code:
        qs = qs.filter(area_code__startswith=area_code)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if since:
        qs = qs.filter(occurred_at__date__gte=since)
    if until:
        qs = qs.filter(occurred_at__date__lte=until)
    return qs.order_by("-seq")
