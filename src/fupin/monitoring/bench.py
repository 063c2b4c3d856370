"""`fupin bench monitoring-overdue`: the overdue list (monthly records, quarterly refreshes and analyses
not done) over a county's monitored households, against a per-case loop over the same data in the
same run.

N households of Zhangwu county are generated into a free registry year (not timed); each becomes a
monitored case identified in the first half of that year, with monthly records for a random part of
the months since. The figure is `selectors.overdue_of` for the whole county as of the year's end (three
set-based reads, the gaps computed in Python); the `orm_per_row` baseline asks, for each case, which
months and quarters it has, one query each, as a naive page would. Everything the run wrote is
deleted afterwards.
"""

from __future__ import annotations

import datetime as dt
import random

from fupin.core.bench import BenchResult, Stopwatch, Timing, benchmark

COUNTY = "210922"
BENCH_USER = "bench_monitoring"


def _prepare():
    from fupin.accounts.models import User
    from fupin.accounts.services import user_create
    from fupin.areas.models import Area
    from fupin.areas.services import areas_load
    from fupin.registry.dictionaries import dictionaries_load
    from fupin.registry.models import Dictionary

    if not Area.objects.current().filter(code=COUNTY.ljust(12, "0")).exists():
        areas_load(actor=None, province=COUNTY[:2], within=[COUNTY])
    if not Dictionary.objects.exists():
        dictionaries_load(actor=None)
    user = User.objects.filter(username=BENCH_USER).first()
    return user or user_create(actor=None, username=BENCH_USER, password=f"Bench@{random.randrange(10**9)}x")


def _free_year() -> int:
    from fupin.registry.models import Household

    used = set(Household.objects.values_list("year", flat=True).distinct())
    return next(y for y in range(2088, 2000, -1) if y not in used)


def _populate(year: int, size: int, user) -> None:
    from decimal import Decimal

    from fupin.core import clock
    from fupin.monitoring.models import CaseStatus, MonitoringCase, MonthlyRecord
    from fupin.registry.bulk import registry_generate_db
    from fupin.registry.models import Household

    registry_generate_db(actor=None, county_code=COUNTY, households=size, seed=11, year=year)
    rng = random.Random(size)
    now = clock.now()
    cases = [MonitoringCase(household_id=pk, year=year, village_id=village, case_type="1", risk_types=["01"],
                            found_by="screening", reason="bench", status=CaseStatus.MONITORED, proposed_by=user,
                            identified_on=dt.date(year, rng.randrange(1, 7), 1), created_at=now, updated_at=now)
             for pk, village in Household.objects.filter(year=year).values_list("pk", "village_id")]
    MonitoringCase.objects.bulk_create(cases, batch_size=2000)
    records = []
    for case in MonitoringCase.objects.filter(year=year).only("pk", "identified_on"):
        for month in range(case.identified_on.month, 13):
            if rng.random() < 0.8:
                records.append(MonthlyRecord(case_id=case.pk, month=dt.date(year, month, 1), income=Decimal("1500"),
                                             expenses=Decimal("800"), rigid_expenses=Decimal("0"),
                                             education_secured=True, medical_secured=True, housing_secured=True,
                                             water_secured=True, recorded_by=user, recorded_at=now))
    MonthlyRecord.objects.bulk_create(records, batch_size=5000)


def _per_case_loop(cases, today: dt.date) -> int:
    """The naive baseline: per case, one query for its months and one for its quarters."""
    from fupin.monitoring.selectors import _months, _quarters

    missing = 0
    for case in cases:
        have = set(case.monthly_records.values_list("month", flat=True))
        missing += sum(1 for m in _months(case.identified_on, today.replace(day=1)) if m not in have)
        done = set(case.refreshes.values_list("year", "quarter"))
        missing += sum(1 for q in _quarters(case.identified_on, today) if q not in done)
    return missing


@benchmark("monitoring-overdue", default_size=20_000,
           help="overdue monthly records and quarterly work of a county's monitored households vs a per-case loop")
def run(size: int, **_options) -> BenchResult:
    from fupin.monitoring.models import MonitoringCase
    from fupin.monitoring.selectors import overdue_of
    from fupin.registry.models import Household, RegistryYear

    user = _prepare()
    year = _free_year()
    _populate(year, size, user)
    today = dt.date(year + 1, 1, 15)
    try:
        cases = MonitoringCase.objects.filter(year=year, village__code__startswith=COUNTY)
        with Stopwatch() as ours:
            items = overdue_of(cases, today=today)
        with Stopwatch() as loop:
            missing = _per_case_loop(cases.only("pk", "identified_on"), today)
        ours_cases = len({i.case_id for i in items if i.case_id})
        return BenchResult(result=Timing(ours.seconds, size), baselines={"orm_per_row": Timing(loop.seconds, size)},
                           extra={"overdue_items": len(items), "cases_with_gaps": ours_cases,
                                  "loop_missing_case_items": missing})
    finally:
        MonitoringCase.objects.filter(year=year).delete()
        Household.objects.filter(year=year).delete()
        RegistryYear.objects.filter(year=year).delete()
