"""Cases as plain dicts for the API and the pages: labels, the current step, masked contact."""

from __future__ import annotations

from fupin.core.errors import ApplicationError
from fupin.monitoring import rules
from fupin.monitoring.elimination import elimination_check
from fupin.monitoring.models import CaseStatus, MonitoringCase
from fupin.monitoring.selectors import case_reviews, household_phone, open_reviews, step_label
from fupin.registry.dictionaries import label_everywhere


def case_rows(cases) -> list[dict]:
    cases = list(cases)
    reviews = open_reviews([c.pk for c in cases])
    types, risks = label_everywhere("monitoring_type"), label_everywhere("risk_type")
    return [case_row(c, reviews.get(c.pk), types, risks) for c in cases]


def case_row(case: MonitoringCase, review=None, types=None, risks=None) -> dict:
    types = types if types is not None else label_everywhere("monitoring_type")
    risks = risks if risks is not None else label_everywhere("risk_type")
    return {"id": case.pk, "household_id": case.household_id, "household_number": case.household.household_number,
            "year": case.year, "village": case.village.code, "village_name": case.village.name,
            "case_type": case.case_type, "case_type_label": types.get(case.case_type, case.case_type),
            "risk_types": list(case.risk_types), "risk_type_labels": [risks.get(r, r) for r in case.risk_types],
            "risk_level": case.risk_level, "risk_level_label": case.get_risk_level_display() if case.risk_level else "",
            "suggested_risk_level": case.suggested_risk_level, "found_by": case.found_by,
            "found_by_label": case.get_found_by_display(), "source": case.source, "status": case.status,
            "status_label": case.get_status_display(), "step": step_label(review), "review_id": review.pk if review else None,
            "identified_on": case.identified_on, "eliminated_on": case.eliminated_on, "version": case.version}


def case_detail(actor, case: MonitoringCase) -> dict:
    reviews = list(case_reviews(case))
    current = next((r for r in reviews if r.is_open), None)
    row = case_row(case, current)
    try:
        evaluation = rules.evaluate_case(case)
        policy, pack, exclusions = rules.explanation(evaluation), evaluation.pack, evaluation.firing_exclusions()
        if evaluation.exclusion is None:
            exclusions = []
    except ApplicationError as exc:  # a household without a pack in force: shown, not hidden
        policy, pack, exclusions = [{"id": "error", "title": exc.message, "status": "error", "value": None,
                                     "reasons": []}], "", []
    elimination = elimination_check(case)["criteria"] if case.status == CaseStatus.MONITORED else []
    history = [{"kind": e.kind, "kind_label": e.get_kind_display(), "at": e.at, "actor_name": e.actor_name,
                "note": e.note} for e in case.events.all()]
    return {**row, "reason": case.reason, "facts": case.facts, "fact_labels": rules.FACT_LABELS,
            "override_reason": case.override_reason, "household_phone": household_phone(actor, case),
            "open_review_id": current.pk if current else None, "reviews": [r.pk for r in reviews],
            "review_objects": reviews, "policy_pack": pack, "policy": policy, "exclusions": exclusions,
            "elimination": elimination, "history": history}


def card_rows(household, actor) -> list[dict] | None:
    """The monitoring section of the household page and the 明白卡 (None: not a monitoring case, or
    the reader may not see monitoring)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from fupin.accounts.access import can

    if not can(actor, "monitoring.view", household.village.code):
        return None
    case = (MonitoringCase.objects.filter(household=household).select_related("household", "village")
            .order_by("-created_at", "-pk").first())
    if case is None:
        return None
    reviews = open_reviews([case.pk])
    row = case_row(case, reviews.get(case.pk))
    return [
        {"label": _("监测对象类型"), "value": row["case_type_label"]},
        {"label": _("风险类型"), "value": "、".join(row["risk_type_labels"]) or "—"},
        {"label": _("风险等级"), "value": row["risk_level_label"] or "—"},
        {"label": _("状态"), "value": row["status_label"]},
        {"label": _("当前环节"), "value": row["step"] or "—"},
        {"label": _("风险识别日期"), "value": row["identified_on"] or "—"},
        {"label": _("风险消除日期"), "value": row["eliminated_on"] or "—"},
        {"label": _("监测对象页"), "value": reverse("monitoring:case", args=[case.pk])},
    ]
