"""The battle map's indicators and the incremental refresh of the pre-aggregated table.

Every figure is computed set-based in the database (SQL GROUP BY through the ORM: one pass over the
changed villages' households and persons), stored per village, and rolled up to township, county,
city and province from the village rows. A page view reads `AreaIndicator` only; it never counts
persons (DHIS2's lesson; ARCHITECTURE.md, convention 7).

Incremental: a village is recomputed only when its fingerprint (number of households, latest
`updated_at`) moved since the last refresh — every registry write bumps `updated_at`, a deletion
changes the count. The small tables (monitoring cases, projects and their funds) are recounted in
full on every refresh: they hold hundreds of rows, not millions. See
docs/decisions/progress-incremental-refresh.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext_lazy as _lazy

from fupin.areas.models import AreaLevel, pad_code
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.progress.models import AreaIndicator, StandardMark, VillageFingerprint
from fupin.registry import schema
from fupin.registry.models import Household, HouseholdStatus, Person, PersonStatus

# 年人均收入未达 5000 元 (001 L146 「年人均收入未达 5000 元」; Zhangwu: 000 L4169 「3922 人 5000 元以下」):
# the line of the "<5000" population, and the income half of the 达标 mark (docs/decisions/progress-standard.md).
STANDARD_INCOME = Decimal("5000")

IN_REGISTRY = (HouseholdStatus.REGISTERED, HouseholdStatus.EXPECTED_EXIT, HouseholdStatus.EXITED,
               HouseholdStatus.RETURNED)
NOT_EXITED = (HouseholdStatus.REGISTERED, HouseholdStatus.EXPECTED_EXIT, HouseholdStatus.RETURNED)
LIBRARY_STATUSES = ("in_library", "implementing", "completed", "accepted")


@dataclass(frozen=True)
class Indicator:
    code: str
    label: object
    unit: object
    # A household filter (Q over Household) giving the records behind the figure; None: not households.
    households: Q | None = None
    persons: bool = False


def _shortfall(field: str) -> Q:
    return Q(**{field: False})


_Q_REG = Q(status__in=IN_REGISTRY)
_Q_EXITED = Q(status=HouseholdStatus.EXITED)
_Q_NOT_EXITED = Q(status__in=NOT_EXITED)
_Q_LOW = _Q_REG & Q(per_capita_net_income__lt=STANDARD_INCOME)
_Q_HOUSING = _Q_REG & (_shortfall("housing_secured") | Q(housing_grade__in=sorted(schema.DANGEROUS_HOUSING_GRADES)))
_Q_WATER = _Q_REG & _shortfall("safe_drinking_water")
_Q_EDUCATION = _Q_REG & _shortfall("compulsory_education_secured")
_Q_MEDICAL = _Q_REG & _shortfall("basic_medical_secured")
# 达标: income at the line and none of 两不愁三保障 or safe water known to be missing.
_Q_REACHED = (_Q_REG & Q(per_capita_net_income__gte=STANDARD_INCOME)
              & ~Q(food_secure=False) & ~Q(clothing_secure=False) & ~Q(compulsory_education_secured=False)
              & ~Q(basic_medical_secured=False) & ~Q(housing_secured=False) & ~Q(safe_drinking_water=False)
              & ~Q(housing_grade__in=sorted(schema.DANGEROUS_HOUSING_GRADES)))


def _exited_in_year(year: int) -> Q:
    return _Q_EXITED & Q(exit_year=year)


INDICATORS: dict[str, Indicator] = {i.code: i for i in [
    Indicator("households", _lazy("建档立卡户数"), _lazy("户"), _Q_REG),
    Indicator("persons", _lazy("建档立卡人数"), _lazy("人"), _Q_REG, persons=True),
    Indicator("exited_households", _lazy("已脱贫户数"), _lazy("户"), _Q_EXITED),
    Indicator("exited_persons", _lazy("已脱贫人数"), _lazy("人"), _Q_EXITED, persons=True),
    Indicator("exited_in_year_households", _lazy("当年脱贫户数"), _lazy("户"), None),
    Indicator("exited_in_year_persons", _lazy("当年脱贫人数"), _lazy("人"), None, persons=True),
    Indicator("not_exited_households", _lazy("未脱贫户数"), _lazy("户"), _Q_NOT_EXITED),
    Indicator("not_exited_persons", _lazy("未脱贫人数"), _lazy("人"), _Q_NOT_EXITED, persons=True),
    Indicator("low_income_households", _lazy("人均纯收入5000元以下户数"), _lazy("户"), _Q_LOW),
    Indicator("low_income_persons", _lazy("人均纯收入5000元以下人数"), _lazy("人"), _Q_LOW, persons=True),
    Indicator("housing_shortfall", _lazy("住房安全未保障户数"), _lazy("户"), _Q_HOUSING),
    Indicator("water_shortfall", _lazy("饮水安全未保障户数"), _lazy("户"), _Q_WATER),
    Indicator("education_shortfall", _lazy("义务教育未保障户数"), _lazy("户"), _Q_EDUCATION),
    Indicator("medical_shortfall", _lazy("基本医疗未保障户数"), _lazy("户"), _Q_MEDICAL),
    Indicator("reached_households", _lazy("已达标户数（达标一户标注一户）"), _lazy("户"), _Q_REACHED),
    Indicator("monitored_households", _lazy("监测对象户数"), _lazy("户"), None),
    Indicator("projects", _lazy("入库扶贫项目数"), _lazy("个"), None),
    Indicator("project_funds", _lazy("项目计划资金"), _lazy("元"), None),
]}
HOUSEHOLD_CODES = [c for c in INDICATORS if c not in ("monitored_households", "projects", "project_funds")]
SMALL_TABLE_CODES = ["monitored_households", "projects", "project_funds"]


def household_filter(code: str, year: int) -> Q | None:
    """The households behind a figure (for the records list linked from every figure)."""
    if code.startswith("exited_in_year"):
        return _exited_in_year(year)
    if code == "monitored_households":
        model = _monitoring_model()
        if model is None:
            return Q(pk__in=[])
        return Q(pk__in=model.objects.filter(year=year, status="monitored").values("household_id"))
    found = INDICATORS.get(code)
    return found.households if found else None


def _monitoring_model():
    """The monitoring app's case table when it is installed (built alongside; read lazily)."""
    try:
        return apps.get_model("monitoring", "MonitoringCase")
    except LookupError:
        return None


# --- computing ---------------------------------------------------------------------------------

def _village_counts(year: int, village_codes: list[str] | None) -> dict[str, dict[str, int]]:
    """Household and person figures per village code, one GROUP BY each."""
    households = Household.objects.filter(year=year)
    persons = Person.objects.filter(year=year, status=PersonStatus.ACTIVE)
    if village_codes is not None:
        households = households.filter(village__code__in=village_codes)
        persons = persons.filter(household__village__code__in=village_codes)
    h_aggregates = {
        "households": Count("id", filter=_Q_REG),
        "exited_households": Count("id", filter=_Q_EXITED),
        "exited_in_year_households": Count("id", filter=_exited_in_year(year)),
        "not_exited_households": Count("id", filter=_Q_NOT_EXITED),
        "low_income_households": Count("id", filter=_Q_LOW),
        "housing_shortfall": Count("id", filter=_Q_HOUSING),
        "water_shortfall": Count("id", filter=_Q_WATER),
        "education_shortfall": Count("id", filter=_Q_EDUCATION),
        "medical_shortfall": Count("id", filter=_Q_MEDICAL),
        "reached_households": Count("id", filter=_Q_REACHED),
    }
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in households.values("village__code").annotate(**h_aggregates).order_by():
        out[row.pop("village__code")].update(row)

    via = _prefix  # the same household predicate seen from a person row
    p_aggregates = {
        "persons": Count("id", filter=via(_Q_REG)),
        "exited_persons": Count("id", filter=via(_Q_EXITED)),
        "exited_in_year_persons": Count("id", filter=via(_exited_in_year(year))),
        "not_exited_persons": Count("id", filter=via(_Q_NOT_EXITED)),
        "low_income_persons": Count("id", filter=via(_Q_LOW)),
    }
    for row in persons.values("household__village__code").annotate(**p_aggregates).order_by():
        out[row.pop("household__village__code")].update(row)
    for code in village_codes or []:
        out.setdefault(code, {})
    return {code: {k: values.get(k, 0) for k in HOUSEHOLD_CODES} for code, values in out.items()}


def _prefix(q: Q) -> Q:
    """A Household Q rewritten for Person rows (every lookup gets `household__`)."""
    clone = Q()
    clone.connector, clone.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            clone.children.append(_prefix(child))
        else:
            key, value = child
            clone.children.append((f"household__{key}", value))
    return clone


def _small_tables(year: int) -> dict[str, dict[str, Decimal]]:
    """Monitoring cases per village, projects and their planned funds per project area (any level)."""
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    model = _monitoring_model()
    if model is not None:
        for row in (model.objects.filter(year=year, status="monitored").values("village__code")
                    .annotate(n=Count("household_id", distinct=True)).order_by()):
            out[row["village__code"]]["monitored_households"] = Decimal(row["n"])
    from fupin.funds.models import Project

    projects = Project.objects.filter(year=year, status__in=LIBRARY_STATUSES)
    for row in projects.values("area__code").annotate(n=Count("id"), funds=Sum("funds__amount")).order_by():
        out[row["area__code"]]["projects"] = Decimal(row["n"])
        out[row["area__code"]]["project_funds"] = row["funds"] or Decimal("0")
    return out


_LEVEL_DIGITS = ((2, AreaLevel.PROVINCE), (4, AreaLevel.CITY), (6, AreaLevel.COUNTY), (9, AreaLevel.TOWNSHIP))


def _ancestors(code: str) -> list[tuple[str, int]]:
    """(code, level) of every area above a 12-digit code: province, city, county, township."""
    own = _level_of(code)
    return [(pad_code(code[:n]), level) for n, level in _LEVEL_DIGITS if level < own]


def _level_of(code: str) -> int:
    significant = code.rstrip("0")
    for n, level in _LEVEL_DIGITS:
        if len(significant) <= n:
            return level
    return AreaLevel.VILLAGE


# --- refresh -----------------------------------------------------------------------------------

@dataclass
class RefreshResult:
    year: int
    villages_total: int = 0
    villages_recomputed: int = 0
    rows_written: int = 0
    marks_added: int = 0
    marks_removed: int = 0
    full: bool = False

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _fingerprints(year: int) -> dict[str, tuple[int, dt.datetime | None]]:
    rows = (Household.objects.filter(year=year).values("village__code")
            .annotate(n=Count("id"), last=Max("updated_at")).order_by())
    return {r["village__code"]: (r["n"], r["last"]) for r in rows}


def indicators_refresh(*, year: int, full: bool = False, actor=None) -> RefreshResult:
    """Bring the pre-aggregated table of `year` up to date: recompute the villages whose households
    changed, roll every level up again from the village rows, recount the small tables, and mark the
    households that reached the standard. One audit event per run."""
    result = RefreshResult(year=year, full=full)
    now = clock.now()
    with transaction.atomic():
        current = _fingerprints(year)
        stored = {f.village_code: f for f in VillageFingerprint.objects.filter(year=year)}
        if full:
            changed = set(current) | set(stored)
        else:
            changed = {code for code, (n, last) in current.items()
                       if code not in stored or stored[code].households != n or stored[code].last_change != last}
            changed |= set(stored) - set(current)  # villages whose households all went away
        result.villages_total = len(current)
        result.villages_recomputed = len(changed)
        if changed:
            counts = _village_counts(year, sorted(changed) if not full else None)
            AreaIndicator.objects.filter(year=year, level=AreaLevel.VILLAGE, area_code__in=changed,
                                         indicator__in=HOUSEHOLD_CODES).delete()
            AreaIndicator.objects.bulk_create(
                [AreaIndicator(area_code=code, level=AreaLevel.VILLAGE, year=year, indicator=k, value=Decimal(v),
                               refreshed_at=now)
                 for code, values in counts.items() if code in current for k, v in values.items()],
                batch_size=2000)
            _save_fingerprints(year, current, stored, changed)
            added, removed = _marks(year, sorted(changed), now.date())
            result.marks_added, result.marks_removed = added, removed
        result.rows_written = _roll_up(year, now)
        audit_event(actor=actor, action="progress.refresh", details=result.as_dict())
    return result


def _save_fingerprints(year: int, current: dict, stored: dict, changed: set[str]) -> None:
    VillageFingerprint.objects.filter(year=year, village_code__in=changed).delete()
    VillageFingerprint.objects.bulk_create(
        [VillageFingerprint(year=year, village_code=code, households=current[code][0], last_change=current[code][1])
         for code in sorted(changed) if code in current], batch_size=2000)


def _marks(year: int, villages: list[str], today: dt.date) -> tuple[int, int]:
    """达标一户标注一户: mark the households of the recomputed villages that now reach the standard,
    unmark those that fell back. Set-based: the ids of reaching households against the stored marks."""
    reaching = set(Household.objects.filter(year=year, village__code__in=villages).filter(_Q_REACHED)
                   .values_list("id", flat=True))
    marked = dict(StandardMark.objects.filter(year=year, village_code__in=villages)
                  .values_list("household_id", "village_code"))
    gone = [hid for hid in marked if hid not in reaching]
    StandardMark.objects.filter(year=year, household_id__in=gone).delete()
    new = reaching - set(marked)
    village_of = dict(Household.objects.filter(id__in=new).values_list("id", "village__code"))
    StandardMark.objects.bulk_create([StandardMark(year=year, household_id=hid, village_code=village_of[hid],
                                                   reached_on=today) for hid in sorted(new)], batch_size=2000)
    return len(new), len(gone)


def _roll_up(year: int, now: dt.datetime) -> int:
    """Every level above the village, summed from the village rows, plus the small tables at every
    level. Rewrites the non-village rows of the year (a few thousand at most)."""
    totals: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    village_rows = AreaIndicator.objects.filter(year=year, level=AreaLevel.VILLAGE, indicator__in=HOUSEHOLD_CODES)
    for code, indicator, value in village_rows.values_list("area_code", "indicator", "value").iterator(chunk_size=5000):
        for key in _ancestors(code):
            totals[key][indicator] += value
    small = _small_tables(year)
    for code, values in small.items():
        level = _level_of(code)
        for key in [*_ancestors(code), (code, level)]:
            for indicator, value in values.items():
                totals[key][indicator] += value
    # Every area that has any figure gets every small-table indicator (0 when none).
    rows = []
    for (code, level), values in totals.items():
        for indicator in SMALL_TABLE_CODES:
            values.setdefault(indicator, Decimal("0"))
        rows.extend(AreaIndicator(area_code=code, level=level, year=year, indicator=k, value=v, refreshed_at=now)
                    for k, v in values.items() if level != AreaLevel.VILLAGE or k in SMALL_TABLE_CODES)
    AreaIndicator.objects.filter(year=year).exclude(level=AreaLevel.VILLAGE, indicator__in=HOUSEHOLD_CODES).delete()
    AreaIndicator.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
