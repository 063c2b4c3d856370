"""月调度: freeze every indicator of an area and all below it for one month, compare with the month
before and with the plan, and list what is late and who leads it.

Benxi's county poverty office dispatches once a month (004 「县扶贫办实行“一月一调度”」), Anshan
dispatches, counts and reports monthly (001 「实施月调度、月统计、月报告」) and reports quarterly
(001 「实行季调度、季报告」). A frozen month is immutable: its report is built only from the frozen
rows, so it regenerates byte for byte.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from fupin.accounts.access import require
from fupin.areas.models import Area
from fupin.areas.selectors import area_get
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.progress.indicators import indicators_refresh
from fupin.progress.models import AreaIndicator, Milestone, Snapshot, SnapshotValue, Target
from fupin.progress.selectors import targets_with_progress


def parse_month(value) -> dt.date:
    """"2020-05" (or a date in the month) → 2020-05-01; a clear message otherwise."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    try:
        year, month = str(value).strip().split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise ValidationFailed(_("月份格式应为 YYYY-MM，如 2020-05：%(v)s") % {"v": value}, code="bad_month") from None


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def previous_month(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def _target_rows(area: Area, as_of: dt.date, year_figures: dict | None = None) -> list[dict]:
    targets = list(Target.objects.select_related("area", "plan").filter(area__code__startswith=area.prefix)
                   .filter(period_start__lte=as_of).order_by("deadline", "area__code", "sort_order", "pk"))
    out = []
    for row in targets_with_progress(targets, as_of, year_figures):
        t = row.target
        out.append({"id": t.pk, "plan": t.plan.title if t.plan else "", "area": t.area.name, "area_code": t.area.code,
                    "group": t.group, "name": t.name, "value": _num(t.value), "unit": t.unit,
                    "actual": _num(row.actual), "live": row.live, "direction": t.direction,
                    "percent": row.verdict.percent, "state": row.verdict.state, "colour": row.verdict.colour,
                    "deadline": t.deadline.isoformat(), "lead_leader": t.lead_leader, "lead_unit": t.lead_unit,
                    "responsible_units": t.responsible_units, "responsible_person": t.responsible_person})
    return out


def _milestone_rows(area: Area, month: dt.date, as_of: dt.date) -> list[dict]:
    """Milestones due in the month, earlier ones still open (late), and earlier ones done during the
    month (so the year's summaries see when a late item was finished)."""
    qs = (Milestone.objects.select_related("plan").filter(plan__area__code__startswith=area.prefix)
          .filter(Q(due__gte=month, due__lte=month_end(month)) | Q(due__lt=month, done_on__isnull=True)
                  | Q(due__lt=month, done_on__gte=month))
          .filter(plan__start__lte=as_of).order_by("due", "sort_order", "pk"))
    out = []
    for m in qs:
        done = m.done_on is not None and m.done_on <= as_of
        state = "done" if done else ("late" if m.due < as_of else "due")
        out.append({"id": m.pk, "plan": m.plan.title, "due": m.due.isoformat(), "title": m.title,
                    "lead_unit": m.lead_unit, "responsible_units": m.responsible_units,
                    "done_on": m.done_on.isoformat() if done else "", "state": state})
    return out


def _num(value) -> str | None:
    return None if value is None else str(Decimal(value).normalize().quantize(Decimal("1.00")))


def snapshot_write(*, actor, area: Area, month: dt.date, year: int, values: list[tuple[str, str, int, str, Decimal]],
                   as_of: dt.date, figures_override: bool = False) -> Snapshot:
    """Write one frozen month (values: area code, area name, level, indicator, value). Refused when the
    month is already frozen: a frozen month never changes. With `figures_override` the targets are
    judged against `values` instead of the live table (the demo's reconstructed history)."""
    year_figures = None
    if figures_override:
        year_figures = {}
        for code, _name, _level, indicator, value in values:
            year_figures.setdefault((code, year), {})[indicator] = value
    try:
        with transaction.atomic():
            snapshot = Snapshot.objects.create(area=area, month=month, year=year, frozen_at=clock.now(),
                                               frozen_by=actor if getattr(actor, "pk", None) else None,
                                               targets=_target_rows(area, as_of, year_figures),
                                               milestones=_milestone_rows(area, month, as_of))
    except IntegrityError:
        raise Conflict(_("%(area)s %(m)s 的月调度已封存，不可更改") % {"area": area.name, "m": f"{month:%Y-%m}"},
                       code="month_frozen") from None
    SnapshotValue.objects.bulk_create(
        [SnapshotValue(snapshot=snapshot, area_code=c, area_name=n, level=lv, indicator=i, value=v)
         for c, n, lv, i, v in values], batch_size=2000)
    audit_event(actor=actor, action="progress.snapshot_freeze", target=snapshot, area_code=area.code,
                details={"month": f"{month:%Y-%m}", "values": len(values), "targets": len(snapshot.targets)})
    return snapshot


def current_values(area: Area, year: int) -> list[tuple[str, str, int, str, Decimal]]:
    rows = list(AreaIndicator.objects.filter(year=year, area_code__startswith=area.prefix)
                .values_list("area_code", "level", "indicator", "value"))
    names = dict(Area.objects.current().filter(code__in={r[0] for r in rows}).values_list("code", "name"))
    return [(code, names.get(code, code), level, indicator, value) for code, level, indicator, value in rows]


@transaction.atomic
def snapshot_freeze(*, actor, area_code: str, month) -> Snapshot:
    """Freeze `month` for an area: refresh the aggregates, then copy every indicator of the area and
    all below it, the targets' progress and the month's milestones into the snapshot."""
    area = area_get(area_code)
    require(actor, "progress.manage", area.code)
    month = parse_month(month)
    today = clock.today()
    if month > today.replace(day=1):
        raise ValidationFailed(_("不能封存尚未到来的月份：%(m)s") % {"m": f"{month:%Y-%m}"}, code="future_month")
    if Snapshot.objects.filter(area=area, month=month).exists():
        raise Conflict(_("%(area)s %(m)s 的月调度已封存，不可更改") % {"area": area.name, "m": f"{month:%Y-%m}"},
                       code="month_frozen")
    indicators_refresh(year=month.year, actor=actor)
    as_of = min(month_end(month), today)
    return snapshot_write(actor=actor, area=area, month=month, year=month.year,
                          values=current_values(area, month.year), as_of=as_of)


def snapshot_figures(snapshot: Snapshot) -> dict[str, dict[str, Decimal]]:
    out: dict[str, dict[str, Decimal]] = {}
    for code, indicator, value in snapshot.values.values_list("area_code", "indicator", "value"):
        out.setdefault(code, {})[indicator] = value
    return out


def snapshot_previous(snapshot: Snapshot) -> Snapshot | None:
    return Snapshot.objects.filter(area=snapshot.area, month=previous_month(snapshot.month)).first()


def quarter_snapshots(*, area: Area, year: int, quarter: int) -> list[Snapshot]:
    """The three frozen months of a quarter; refused, naming them, when any is missing."""
    if quarter not in (1, 2, 3, 4):
        raise ValidationFailed(_("季度应为1至4：%(q)s") % {"q": quarter}, code="bad_quarter")
    months = [dt.date(year, 3 * (quarter - 1) + k, 1) for k in (1, 2, 3)]
    found = {s.month: s for s in Snapshot.objects.filter(area=area, month__in=months)}
    missing = [f"{m:%Y-%m}" for m in months if m not in found]
    if missing:
        raise ValidationFailed(_("季度报告需要三个月的调度快照，尚未封存：%(m)s") % {"m": "、".join(missing)},
                               code="quarter_incomplete")
    return [found[m] for m in months]
