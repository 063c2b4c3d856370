"""The assistance sections of the 明白卡 and the household page (registered in apps.py through
`fupin.registry.card.register_card_section`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fupin.accounts.access import can
from fupin.assistance import rules
from fupin.assistance.selectors import cadre_phone, card_measures, month_bounds, profile_of
from fupin.core import clock


def measure_rows(household, actor) -> list[dict] | None:
    """One row per measure: “name” → category · status · amount · responsible unit · dates."""
    if not can(actor, "assistance.view", household.village.code):
        return None
    rows = card_measures(household, actor)
    if not rows:
        return None
    out = []
    for r in rows:
        period = f"{r['start_date']} 至 {r['end_date']}" if r["end_date"] else _("%(d)s 起") % {"d": r["start_date"]}
        amount = _("%(a)s 元") % {"a": r["amount"]} if r["amount"] else ""
        value = " · ".join(x for x in (r["category"], r["status"], amount, r["responsible_unit"], period) if x)
        out.append({"label": r["name"], "value": value})
    return out


def cadre_rows(household, actor) -> list[dict] | None:
    """结对帮扶: the current cadre from their profile (unit, position, phone masked without pii.view),
    since when, and this month's visits against the minimum. The registry's own card block shows the
    account's name; this adds what the pairing record knows."""
    if not household.pairing_cadre_id or not can(actor, "assistance.view", household.village.code):
        return None
    profile = profile_of(household.pairing_cadre)
    current = household.pairing_assignments.filter(ended_on__isnull=True).first()
    first, last = month_bounds(clock.today())
    visits = household.visits.filter(visitor_id=household.pairing_cadre_id, visited_on__range=(first, last)).count()
    limits = rules.cadre_limits(household.village.code, household.year)
    rows = [{"label": _("帮扶责任人"), "value": profile.name if profile else household.pairing_cadre.username}]
    if profile:
        rows.append({"label": _("工作单位及职务"), "value": " ".join(x for x in (profile.unit_name, profile.position) if x)})
        rows.append({"label": _("联系电话"), "value": cadre_phone(profile, actor, household.village.code)})
    if current:
        rows.append({"label": _("结对日期"), "value": current.started_on})
    rows.append({"label": _("本月走访"), "value": _("%(n)s 次（每月不少于 %(m)s 次）") % {"n": visits, "m": limits.min_visits}})
    return rows
