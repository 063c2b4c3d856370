"""Reads of anti-return monitoring, every one scoped through fupin.accounts.access by the household's
village; and the overdue list: review steps past their deadline, monthly records, quarterly analyses
and refreshes not done, for the area and everything below it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from fupin.accounts.access import access_object, actor_prefixes, can, can_see_pii, scope
from fupin.areas.models import PREFIX_LENGTH, Area, AreaLevel
from fupin.core import clock
from fupin.core.validators import mask_phone
from fupin.monitoring.models import (
    CaseStatus,
    MonitoringCase,
    MonthlyRecord,
    QuarterlyRefresh,
    TownshipAnalysis,
)
from fupin.monitoring.reviews import ELIMINATE, IDENTIFY
from fupin.monitoring.rhythm import quarter_end, quarter_of
from fupin.workflow.models import OPEN_STATUSES, Review

CODE_PATH = "village__code"


def cases_visible(*, actor) -> QuerySet[MonitoringCase]:
    qs = MonitoringCase.objects.select_related("household", "village")
    return scope(qs, actor, "monitoring.view", code_path=CODE_PATH)


def case_list(*, actor, area: str = "", case_type: str = "", status: str = "", step: str = "", q: str = ""
              ) -> QuerySet[MonitoringCase]:
    qs = cases_visible(actor=actor)
    if area:
        qs = qs.filter(village__code__startswith=_prefix(area))
    if case_type:
        qs = qs.filter(case_type=case_type)
    if status:
        qs = qs.filter(status=status)
    if step:
        ids = Review.objects.filter(kind__in=[IDENTIFY, ELIMINATE], status__in=OPEN_STATUSES,
                                    stage_key=step).values_list("subject_id", flat=True)
        qs = qs.filter(pk__in=[int(i) for i in ids])
    if q:
        qs = qs.filter(Q(household__household_number__startswith=q.strip()) | Q(source=q.strip()))
    return qs.order_by("-created_at", "-pk")


def _prefix(code: str) -> str:
    code = (code or "").strip()
    area = Area.objects.filter(code=code).first()
    return area.prefix if area is not None else code


def case_get(*, actor, case_id: int) -> MonitoringCase:
    return access_object(actor, MonitoringCase.objects.select_related("household__village", "village", "proposed_by"),
                         case_id, "monitoring.view", code_path=CODE_PATH)


def open_reviews(case_ids) -> dict[int, Review]:
    """The open review of each case (an identification or an elimination), for lists and pages."""
    out: dict[int, Review] = {}
    for review in Review.objects.filter(kind__in=[IDENTIFY, ELIMINATE], status__in=OPEN_STATUSES,
                                        subject_id__in=[str(i) for i in case_ids]):
        out[int(review.subject_id)] = review
    return out


def case_reviews(case: MonitoringCase) -> QuerySet[Review]:
    return Review.objects.filter(kind__in=[IDENTIFY, ELIMINATE], subject_id=str(case.pk)).order_by("opened_at")


def step_label(review: Review | None) -> str:
    if review is None:
        return ""
    from fupin.workflow.processes import get_process

    definition = get_process(review.kind)
    try:
        stage = definition.stages[definition.locate(review.stage_key, review.stage_index)]
    except KeyError:
        return review.stage_key
    return f"{definition.label}：{stage.label}"


def household_phone(actor, case: MonitoringCase) -> str:
    phone = case.household.phone
    return phone if can_see_pii(actor, case.village.code) else mask_phone(phone)


def monthly_records(case: MonitoringCase) -> QuerySet[MonthlyRecord]:
    return case.monthly_records.select_related("recorded_by").order_by("-month")


def analyses_visible(*, actor) -> QuerySet[TownshipAnalysis]:
    return scope(TownshipAnalysis.objects.select_related("township"), actor, "monitoring.view",
                 code_path="township__code")


# ------------------------------------------------------------------------------ overdue

@dataclass(frozen=True)
class OverdueItem:
    kind: str  # step | monthly | analysis | refresh
    kind_label: str
    area_code: str
    area_name: str
    subject: str
    due_on: dt.date
    case_id: int | None = None
    review_id: int | None = None


KIND_LABELS = {"step": "审核环节逾期", "monthly": "月度监测记录未登记", "analysis": "乡镇季度研判未开展",
               "refresh": "季度信息采集未完成"}


def _months(start: dt.date, end_exclusive: dt.date):
    y, m = start.year, start.month
    while dt.date(y, m, 1) < end_exclusive:
        yield dt.date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _month_end(month: dt.date) -> dt.date:
    nxt = dt.date(month.year + 1, 1, 1) if month.month == 12 else dt.date(month.year, month.month + 1, 1)
    return nxt - dt.timedelta(days=1)


def _quarters(start: dt.date, today: dt.date):
    """Finished quarters whose end is on or after `start`."""
    year, quarter = quarter_of(start)
    while quarter_end(year, quarter) < today:
        yield year, quarter
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def overdue(*, actor, area_code: str = "", today: dt.date | None = None) -> list[OverdueItem]:
    """Everything past due in the actor's areas (or the given area below them), the oldest first."""
    cases = cases_visible(actor=actor)
    if area_code:
        cases = cases.filter(village__code__startswith=_prefix(area_code))
    return overdue_of(cases, today=today or clock.today())


def overdue_of(cases: QuerySet[MonitoringCase], *, today: dt.date) -> list[OverdueItem]:
    """What is past due for these cases (the command line passes an area's cases, unscoped: it runs
    on the server, as `fupin audit verify` does)."""
    monitored = list(cases.filter(status=CaseStatus.MONITORED).values_list(
        "pk", "identified_on", "village__code", "village__name", "household__household_number"))
    ids = [row[0] for row in monitored]
    have_months = defaultdict(set)
    for case_id, month in MonthlyRecord.objects.filter(case_id__in=ids).values_list("case_id", "month"):
        have_months[case_id].add(month)
    have_refresh = defaultdict(set)
    for case_id, year, quarter in QuarterlyRefresh.objects.filter(case_id__in=ids).values_list("case_id", "year",
                                                                                               "quarter"):
        have_refresh[case_id].add((year, quarter))
    items: list[OverdueItem] = []
    # Translated once per call: a county's list has tens of thousands of rows.
    labels = {kind: _(label) for kind, label in KIND_LABELS.items()}
    month_text, quarter_text = _("%(n)s户 %(m)s"), _("%(n)s户 %(y)s年第%(q)s季度")
    this_month = today.replace(day=1)
    township_start: dict[str, dt.date] = {}
    for case_id, identified_on, code, name, number in monitored:
        for month in _months(identified_on.replace(day=1), this_month):
            if month not in have_months[case_id]:
                items.append(OverdueItem("monthly", labels["monthly"], code, name,
                                         month_text % {"n": number, "m": f"{month:%Y-%m}"}, _month_end(month),
                                         case_id=case_id))
        for year, quarter in _quarters(identified_on, today):
            if (year, quarter) not in have_refresh[case_id]:
                items.append(OverdueItem("refresh", labels["refresh"], code, name,
                                         quarter_text % {"n": number, "y": year, "q": quarter},
                                         quarter_end(year, quarter), case_id=case_id))
        township = code[:PREFIX_LENGTH[AreaLevel.TOWNSHIP]]
        township_start[township] = min(identified_on, township_start.get(township, identified_on))
    items += _analyses_overdue(township_start, today)
    reviews = Review.objects.filter(kind__in=[IDENTIFY, ELIMINATE], status__in=OPEN_STATUSES, due_on__lt=today,
                                    subject_id__in=[str(i) for i in cases.values_list("pk", flat=True)])
    for review in reviews.select_related("area"):
        items.append(OverdueItem("step", _(KIND_LABELS["step"]), review.area.code, review.area.name,
                                 f"{review.subject_label}：{step_label(review)}", review.due_on,
                                 case_id=int(review.subject_id), review_id=review.pk))
    return sorted(items, key=lambda i: (i.due_on, i.area_code, i.subject))


def _analyses_overdue(township_start: dict[str, dt.date], today: dt.date) -> list[OverdueItem]:
    if not township_start:
        return []
    townships = {a.prefix: a for a in Area.objects.current().filter(level=AreaLevel.TOWNSHIP,
                                                                   prefix__in=list(township_start))}
    done = set(TownshipAnalysis.objects.filter(township__prefix__in=list(township_start))
               .values_list("township__prefix", "year", "quarter"))
    items = []
    for prefix, start in township_start.items():
        area = townships.get(prefix)
        if area is None:
            continue
        for year, quarter in _quarters(start, today):
            if (prefix, year, quarter) not in done:
                items.append(OverdueItem("analysis", _(KIND_LABELS["analysis"]), area.code, area.name,
                                         _("%(y)s年第%(q)s季度") % {"y": year, "q": quarter}, quarter_end(year, quarter)))
    return items


def overdue_badge(user) -> int:
    """The menu count: shown to the township and the county above the villages (monitoring.review)."""
    if not can(user, "monitoring.review") or not actor_prefixes(user, "monitoring.view"):
        return 0
    return len(overdue(actor=user))
