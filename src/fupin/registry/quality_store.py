"""Stored data-quality results: the checks run once per county and year and are kept until the county's
data changes, so the page, the API and the supervision list read stored issues (scoped by the choke
point) instead of running every check over the whole county on every view.

A county's result is stale when its data changed since (see `_stamp`). It is then run again on the
next read; `refresh=True` (the page's 重新检查 button,
`fupin registry quality --refresh`) runs it regardless."""

from __future__ import annotations

import time

from django.db import transaction
from django.db.models import Count, Max, Q

from fupin.accounts.access import actor_prefixes, require, scope
from fupin.areas.models import Area, AreaLevel
from fupin.audit.models import AuditEvent
from fupin.core import clock
from fupin.registry.models import Household, Person, QualityIssueRecord, QualityResult
from fupin.registry.quality import ACTION, CHECKS_BY_ID, QualityIssue, QualityRun, _scope_prefix, quality_run

BATCH = 5000


def _stamp(county_prefix: str, year: int) -> str:
    """What the county's data looks like now: its newest audit event (every change through the
    services writes one), and the counts and last update of the households and persons of the year
    and the year before (which also catch rows written around the services, as bulk loads do)."""
    event = (AuditEvent.objects.filter(Q(area_code__startswith=county_prefix) | Q(area_code=""))
             .order_by("-seq").values_list("seq", flat=True).first() or 0)
    years = (year - 1, year)
    households = Household.objects.filter(year__in=years, village__code__startswith=county_prefix).aggregate(
        n=Count("id"), last=Max("updated_at"))
    persons = Person.objects.filter(year__in=years, household__village__code__startswith=county_prefix).count()
    last = households["last"].isoformat() if households["last"] else "-"
    return f"{event}:{households['n']}:{persons}:{last}"


def _counties(actor, prefix: str, year: int) -> list[Area]:
    """The counties whose issues the read needs: the county of the area asked for, else every county
    of the actor's areas that has households in the year."""
    wanted = [prefix] if prefix else ([""] if actor is None else actor_prefixes(actor, ACTION))
    match = Q()
    for p in wanted:
        match |= Q(village__code__startswith=p[:6])
    villages = Household.objects.filter(year=year).filter(match).values_list("village__code", flat=True).distinct()
    codes = {code[:6].ljust(12, "0") for code in villages}
    return list(Area.objects.current().filter(code__in=codes, level=AreaLevel.COUNTY).order_by("code"))


def refresh_county(county: Area, year: int) -> QualityResult:
    """Run every check over one county and year and replace its stored result, in one transaction."""
    stamp = _stamp(county.code[:6], year)
    run = quality_run(actor=None, year=year, area_code=county.code)
    with transaction.atomic():
        QualityResult.objects.filter(county=county, year=year).delete()
        result = QualityResult.objects.create(county=county, year=year, stamp=stamp, households=run.households,
                                              skipped=[str(s) for s in run.skipped], seconds=run.seconds,
                                              computed_at=clock.now())
        QualityIssueRecord.objects.bulk_create(
            [QualityIssueRecord(result=result, household_id=i.household_id, household_number=i.household_number,
                                area_code=i.area_code, check_id=i.check, message=i.message, values=i.values,
                                year=i.year) for i in run.issues], batch_size=BATCH)
    return result


def _current_result(county: Area, year: int, *, refresh: bool) -> QualityResult:
    result = QualityResult.objects.filter(county=county, year=year).first()
    if refresh or result is None or _stamp(county.code[:6], year) != result.stamp:
        result = refresh_county(county, year)
    return result


def stored_run(*, actor, year: int, area_code: str = "", checks: list[str] | None = None,
               refresh: bool = False) -> QualityRun:
    """The issues of one year in the actor's areas (narrowed to `area_code` and `checks`), read from the
    stored results, each county's run again first when stale. Same shape as `quality_run`."""
    started = time.perf_counter()
    if actor is not None:
        require(actor, ACTION)
    unknown = sorted(set(checks or []) - set(CHECKS_BY_ID))
    if unknown:
        return quality_run(actor=actor, year=year, area_code=area_code, checks=checks)  # raises the error
    prefix, code = _scope_prefix(actor, area_code)
    results = [_current_result(county, year, refresh=refresh) for county in _counties(actor, prefix, year)]
    records = QualityIssueRecord.objects.filter(result__in=results)
    if actor is not None:
        records = scope(records, actor, ACTION, code_path="area_code")
    if prefix:
        records = records.filter(area_code__startswith=prefix)
    if checks:
        records = records.filter(check_id__in=checks)
    issues = [QualityIssue(household_id=r.household_id, area_code=r.area_code, check=r.check_id, message=r.message,
                           values=r.values, household_number=r.household_number, year=r.year)
              for r in records.order_by("area_code", "household_number", "check_id")]
    households = Household.objects.filter(year=year)
    if actor is not None:
        households = scope(households, actor, ACTION, code_path="village__code")
    if prefix:
        households = households.filter(village__code__startswith=prefix)
    skipped = sorted({s for r in results for s in r.skipped})
    return QualityRun(year=year, area_code=code, issues=issues, households=households.count(), skipped=skipped,
                      seconds=round(time.perf_counter() - started, 3),
                      computed_at=min((r.computed_at for r in results), default=None))
