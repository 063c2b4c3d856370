"""Reads of the assessment process, scoped: a team sees its own entry, a township the teams in its
villages, the county every team of its rounds. Scores of other teams stay with the county until
the results are published."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from fupin.accounts.access import access_object, actor_prefixes, can, scope
from fupin.assessment.materials import MATERIALS, PARTIES
from fupin.assessment.models import AssessmentEntry, AssessmentRound, RoundStatus
from fupin.assessment.services import is_team_leader
from fupin.core.errors import NotFound
from fupin.workflow.models import ReviewStatus

VIEW = "assessment.view"


def rounds_visible(*, actor) -> QuerySet[AssessmentRound]:
    """Rounds of the actor's counties, and rounds in which a team of the actor's areas is assessed."""
    prefixes = actor_prefixes(actor, VIEW)
    if not prefixes:
        return AssessmentRound.objects.none()
    county_q = Q()
    for prefix in prefixes:
        county_q |= Q(county__code__startswith=prefix)
    with_entries = scope(AssessmentEntry.objects.all(), actor, VIEW).values("round_id")
    return (AssessmentRound.objects.filter(county_q | Q(pk__in=with_entries))
            .select_related("county").order_by("-year", "county__code", "scheme_id"))


def round_get(*, actor, round_id: int) -> AssessmentRound:
    round_ = rounds_visible(actor=actor).filter(pk=round_id).first()
    if round_ is None:
        if AssessmentRound.objects.filter(pk=round_id).exists():
            from fupin.audit.services import audit_denial

            audit_denial(actor=actor, action="access.denied", reason=f"assessment round {round_id} {VIEW}")
        raise NotFound("考核批次不存在或不在您的管辖范围内", code="round_not_found")
    return round_


def entries_visible(*, actor, round_: AssessmentRound) -> QuerySet[AssessmentEntry]:
    return (scope(round_.entries.all(), actor, VIEW)
            .select_related("team", "team__unit", "area", "review").order_by("listing_order"))


def entry_get(*, actor, entry_id: int) -> AssessmentEntry:
    return access_object(actor, AssessmentEntry.objects.select_related(
        "round", "round__county", "team", "team__unit", "area", "review"), entry_id, VIEW)


def scores_visible(*, actor, round_: AssessmentRound) -> bool:
    """Scores and ranks of the whole round: the county always; everyone once published."""
    return round_.status == RoundStatus.PUBLISHED or can(actor, "assessment.score", round_.county.code)


STAGE_LABELS = {"self": "待自评", "township": "乡镇初审中", "county": "县级考核中"}


def entry_state(entry: AssessmentEntry) -> str:
    review = entry.review
    if review is None:
        return "待自评"
    if review.status == ReviewStatus.APPROVED:
        return "县级评价完成"
    if review.status == ReviewStatus.RETURNED or (review.stage_key == "self" and review.status == ReviewStatus.PENDING):
        return "已退回，待重新自评"
    if review.status == ReviewStatus.WITHDRAWN:
        return "已撤回"
    return STAGE_LABELS.get(review.stage_key, review.stage_key)


@dataclass
class Acts:
    self_assess: bool
    county_assess: bool
    township_review: bool


def entry_acts(*, actor, entry: AssessmentEntry) -> Acts:
    review = entry.review
    open_at = review.stage_key if review is not None and review.status in (ReviewStatus.PENDING,
                                                                          ReviewStatus.RETURNED) else None
    round_open = entry.round.status == RoundStatus.OPEN
    may_self = (round_open and (review is None or open_at == "self")
                and can(actor, "assessment.self", entry.area.code) and is_team_leader(actor, entry.team))
    return Acts(
        self_assess=may_self,
        county_assess=round_open and open_at == "county" and can(actor, "assessment.score", entry.area.code),
        township_review=round_open and open_at == "township" and can(actor, "assessment.review", entry.area.code),
    )


def materials_table(round_: AssessmentRound, entries: list[AssessmentEntry]) -> dict:
    """附件4 as a grid: a row per team, a column per item handed in per team (grouped by who hands it
    in), and the county's once-per-round items apart."""
    done = {(m.entry_id, m.key): m for m in round_.materials.all()}
    columns = [m for m in MATERIALS if m.per_team]
    groups = [{"title": title, "span": sum(1 for m in columns if m.party == party)} for party, title in PARTIES.items()]
    return {
        "columns": columns, "groups": [g for g in groups if g["span"]],
        "rows": [{"entry": e, "cells": [{"material": m, "item": done.get((e.pk, m.key))} for m in columns]}
                 for e in entries],
        "round_items": [{"material": m, "item": done.get((None, m.key))} for m in MATERIALS if not m.per_team],
    }
