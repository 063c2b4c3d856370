"""Reads of the battle map: figures of an area and its children from the pre-aggregated table, targets
with their progress, a village's households with their 达标 mark, and the records behind a figure.
Every read is scoped through `fupin.accounts.access`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from fupin.accounts.access import access_area, access_object, actor_prefixes, scope
from fupin.areas.models import Area, AreaLevel
from fupin.core import clock
from fupin.core.errors import NotFound
from fupin.progress.indicators import INDICATORS, household_filter
from fupin.progress.models import AreaBoundary, AreaIndicator, Milestone, Plan, Snapshot, StandardMark, Target
from fupin.progress.rag import Verdict, judge
from fupin.registry import schema
from fupin.registry.models import Household, Person, PersonStatus

VIEW = "progress.view"


def home_area(actor) -> str | None:
    """Where the actor's battle map opens: the widest area they may view."""
    prefixes = actor_prefixes(actor, VIEW)
    return prefixes[0].ljust(12, "0") if prefixes else None


def map_area(*, actor, code: str) -> Area:
    return access_area(actor, code, VIEW)


def data_year(area_code: str, requested: int | None = None) -> int:
    """The registry year the map shows: the one asked for, else the latest refreshed for the area."""
    if requested:
        return requested
    latest = AreaIndicator.objects.filter(area_code=area_code).aggregate(y=Max("year"))["y"]
    return latest or clock.today().year


def years_available(area_code: str) -> list[int]:
    return sorted(set(AreaIndicator.objects.filter(area_code=area_code).values_list("year", flat=True)), reverse=True)


def figures(area_codes: list[str], year: int) -> dict[str, dict[str, Decimal]]:
    """{area code: {indicator: value}} from the pre-aggregated table (0 for what is not there)."""
    out: dict[str, dict[str, Decimal]] = {code: dict.fromkeys(INDICATORS, Decimal("0")) for code in area_codes}
    rows = AreaIndicator.objects.filter(year=year, area_code__in=area_codes).values_list("area_code", "indicator",
                                                                                         "value")
    for code, indicator, value in rows:
        out[code][indicator] = value
    return out


def children(*, actor, area: Area) -> list[Area]:
    """The areas one level below, that the actor may view; for a county, its townships."""
    qs = Area.objects.current().filter(parent_code=area.code).order_by("code")
    return list(scope(qs, actor, VIEW, code_path="code"))


@dataclass
class TargetRow:
    target: Target
    actual: Decimal | None
    verdict: Verdict
    live: bool

    @property
    def colour(self) -> str:
        return self.verdict.colour


def _actual(target: Target, year_figures: dict[tuple[str, int], dict[str, Decimal]]) -> Decimal | None:
    if target.indicator:
        return year_figures.get((target.area.code, target.period_end.year), {}).get(target.indicator, Decimal("0"))
    return target.reported_value


def targets_with_progress(targets: list[Target], as_of: dt.date,
                          year_figures: dict[tuple[str, int], dict[str, Decimal]] | None = None) -> list[TargetRow]:
    """Each target with its actual figure (live indicator or reported) and its red/amber/green verdict.
    `year_figures` ({(area code, year): {indicator: value}}) replaces the live table when given."""
    needed: dict[int, set[str]] = defaultdict(set)
    for t in targets:
        if t.indicator and year_figures is None:
            needed[t.period_end.year].add(t.area.code)
    year_figures = dict(year_figures or {})
    for year, codes in needed.items():
        for code, values in figures(sorted(codes), year).items():
            year_figures[(code, year)] = values
    rows = []
    for t in targets:
        actual = _actual(t, year_figures)
        verdict = judge(value=t.value, actual=actual, direction=t.direction, period_start=t.period_start,
                        deadline=t.deadline, as_of=as_of)
        rows.append(TargetRow(t, actual, verdict, bool(t.indicator)))
    return rows


def area_targets(*, actor, area: Area, year: int | None = None) -> QuerySet:
    """Targets set for the area itself and for the areas directly below it (a county's map shows the
    townships' task rows too), within the actor's scope."""
    child_level = Q(area__parent_code=area.code)
    qs = scope(Target.objects.select_related("area", "plan"), actor, VIEW).filter(Q(area=area) | child_level)
    if year:
        qs = qs.filter(period_start__year__lte=year, period_end__year__gte=year)
    return qs.order_by("deadline", "area__code", "sort_order", "pk")


def plans_visible(*, actor) -> QuerySet:
    return scope(Plan.objects.select_related("area"), actor, VIEW).order_by("-start", "code")


def plan_get(*, actor, plan_id: int, action: str = VIEW) -> Plan:
    return access_object(actor, Plan.objects.select_related("area"), plan_id, action)


def target_get(*, actor, target_id: int, action: str = VIEW) -> Target:
    return access_object(actor, Target.objects.select_related("area", "plan"), target_id, action)


def milestone_get(*, actor, milestone_id: int, action: str = VIEW) -> Milestone:
    return access_object(actor, Milestone.objects.select_related("plan", "plan__area"), milestone_id, action,
                         code_path="plan__area__code")


def snapshots_visible(*, actor) -> QuerySet:
    return scope(Snapshot.objects.select_related("area"), actor, VIEW)


def snapshot_get(*, actor, snapshot_id: int) -> Snapshot:
    return access_object(actor, Snapshot.objects.select_related("area"), snapshot_id, VIEW)


def village_households(*, actor, village: Area, year: int) -> tuple[QuerySet, dict[int, dt.date]]:
    """The village's households (户级挂图) with their 达标 mark date; registry scope applies too."""
    if village.level != AreaLevel.VILLAGE:
        raise NotFound(_("户级挂图只在村一级"), code="not_a_village")
    qs = scope(Household.objects.filter(year=year, village=village), actor, "registry.view", code_path="village__code")
    marks = dict(StandardMark.objects.filter(year=year, village_code=village.code)
                 .values_list("household_id", "reached_on"))
    return qs, marks


def records(*, actor, area: Area, indicator: str, year: int) -> QuerySet:
    """The households behind one figure, within the viewer's registry scope."""
    condition = household_filter(indicator, year)
    if condition is None:
        raise NotFound(_("该指标没有对应的农户清单：%(i)s") % {"i": indicator}, code="no_records")
    qs = Household.objects.filter(year=year, village__code__startswith=area.prefix).filter(condition)
    return scope(qs.select_related("village"), actor, "registry.view", code_path="village__code")


def with_head_name(qs: QuerySet) -> QuerySet:
    """Households annotated with the head's name (户主), one subquery, no query per row."""
    head = Person.objects.filter(household=OuterRef("pk"), relation=schema.HEAD_RELATION,
                                 status=PersonStatus.ACTIVE).values("name")[:1]
    return qs.annotate(head_name=Subquery(head))


def boundaries_visible(*, actor) -> QuerySet:
    """Stored boundaries within the actor's area, with who uploaded them."""
    return scope(AreaBoundary.objects.select_related("uploaded_by"), actor, VIEW, code_path="area_code")
