"""The `screen-store` benchmark: a screening's read, decide and write-back over generated households.

The households are generated with the registry's generator in a year no household uses yet and are
removed at the end, with everything this benchmark wrote. The pack is zhangwu-2020 whatever that year
is: the engine does not look at the registry year, and the point is the throughput of the write-back.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fupin.core.bench import BenchResult, Stopwatch, Timing
from fupin.policy.frames import decide, registry_records
from fupin.policy.models import ScreeningRun, StoredDecision
from fupin.policy.selectors import pack_get
from fupin.policy.services import area_households, bulk_write

ORM_SAMPLE = 2000


def _run_record(pack, area, year: int) -> ScreeningRun:
    now = timezone.now()
    return ScreeningRun.objects.create(pack=pack.key, fingerprint=pack.fingerprint, year=year, area_code=area.code,
                                       area_name=area.name, engine="polars", as_of=dt.date(2020, 12, 31),
                                       started_at=now, finished_at=now)


def _objects(run, pack_key: str, rows, villages) -> list[StoredDecision]:
    return [StoredDecision(run=run, household_id=r.household_id, area_code=villages.get(str(r.household_id), ""),
                           rule=r.rule, status=r.status, value=r.value, clauses=r.clauses, error=r.error, pack=pack_key)
            for r in rows]


def run(*, size: int, seed: int) -> BenchResult:
    from fupin.areas.selectors import area_get
    from fupin.registry import bench as registry_bench
    from fupin.registry.bulk import registry_generate_db
    from fupin.registry.models import RegistryYear

    registry_bench._prepare()
    year = registry_bench._free_year()
    county = registry_bench.COUNTY
    created_year = not RegistryYear.objects.filter(year=year, county__code=county + "000000").exists()
    pack = pack_get("zhangwu-2020")
    area = area_get(county)
    try:
        registry_generate_db(actor=None, county_code=county, households=size, seed=seed, year=year)
        with Stopwatch() as reading:
            records, villages = registry_records(area_households(area, year), pack)
        with Stopwatch() as deciding:
            rows = list(decide("polars", pack, records, dt.date(2020, 12, 31)))
        with Stopwatch() as ours, transaction.atomic():
            bulk_write(_run_record(pack, area, year), pack.key, rows, villages)
        StoredDecision.objects.filter(run__year=year).delete()
        with Stopwatch() as bulk_create, transaction.atomic():
            StoredDecision.objects.bulk_create(_objects(_run_record(pack, area, year), pack.key, rows, villages),
                                               batch_size=2000)
        StoredDecision.objects.filter(run__year=year).delete()
        sample = rows[:ORM_SAMPLE]
        with Stopwatch() as per_row, transaction.atomic():
            for obj in _objects(_run_record(pack, area, year), pack.key, sample, villages):
                obj.save()
    finally:
        ScreeningRun.objects.filter(year=year).delete()
        registry_bench._cleanup(year, created_year=created_year)
    return BenchResult(
        result=Timing(ours.seconds, len(rows)),
        baselines={"orm_bulk_create": Timing(bulk_create.seconds, len(rows)),
                   "orm_per_row": Timing(per_row.seconds, len(sample))},
        extra={"households": len(records), "rules": len(pack.rules), "decisions": len(rows),
               "read_seconds": round(reading.seconds, 3), "decide_seconds": round(deciding.seconds, 3),
               "screen_seconds": round(reading.seconds + deciding.seconds + ours.seconds, 3),
               "orm_per_row_sample": len(sample)})
