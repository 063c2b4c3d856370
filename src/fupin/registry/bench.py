"""Benchmarks of the registry import and export (`fupin bench import`, `fupin bench export`).

import: N persons of Zhangwu county generated into a national-layout CSV (not timed), then imported
with full validation (`registry_import`, timed). The baselines write the very rows the import wrote
into the same tables in the same run: PostgreSQL `postgres_copy` (a plain COPY of them), SQLite
`sqlite_executemany` (a plain executemany of them), and `orm_per_row` (Household/Person `save()` per
row on a sample of about 2,000 persons, extrapolated).

export: N persons generated into the database by `fupin generate --db` in a separate process (not
timed), then exported to .xlsx (`registry_export`, timed); the baseline is the same rows dumped
without labels or masking (`postgres_copy` to a file, or `sqlite_select_csv`).

The peak memory reported is counted from the start of the timed step (on Linux; elsewhere from the
start of the process, generation included): `extra.peak_counted_from` says which.

Runs in a year that holds no households (2020, or the next free one) and deletes what it wrote.
Use a scratch database: the import and the cleanup leave their audit events.
"""

from __future__ import annotations

import csv
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection, transaction

from fupin.areas.models import Area
from fupin.audit.services import audit_event
from fupin.core.bench import BenchResult, Stopwatch, Timing, benchmark
from fupin.core.errors import NotFound
from fupin.registry.bulk import county_villages, registry_generate_db
from fupin.registry.dictionaries import code_lists_for_year, dictionaries_load
from fupin.registry.generator import generate_households, write_csv
from fupin.registry.models import Dictionary, Household, Person, RegistryYear

COUNTY = "210922"
ORM_SAMPLE_PERSONS = 2000
PERSONS_PER_HOUSEHOLD = 2.3  # a little under the generator's mean, so N persons are always reached
MEAN_PERSONS_PER_HOUSEHOLD = 2.59  # the generator's mean (Zhangwu, seed 1)


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _restart_peak() -> bool:
    """Count the peak memory afresh from here (Linux: /proc/self/clear_refs), so the reported peak is
    the timed step's and not the data generation's before it. False where the kernel does not offer it."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _prepare() -> list:
    """The county's divisions and the code lists, loaded if this database has none yet (not timed)."""
    from fupin.areas.models import Area
    from fupin.areas.services import areas_load

    if not Area.objects.current().filter(code=COUNTY.ljust(12, "0")).exists():
        areas_load(actor=None, province=COUNTY[:2], within=[COUNTY])
    if not Dictionary.objects.exists():
        dictionaries_load(actor=None)
    villages = county_villages(COUNTY)
    if not villages:
        raise NotFound(f"县 {COUNTY} 没有行政村；请先加载区划代码（fupin areas load --province 21）")
    return villages


def _free_year() -> int:
    used = set(Household.objects.values_list("year", flat=True).distinct())
    return next(y for y in range(2020, 2101) if y not in used)


def _records(villages, size: int, seed: int, year: int):
    """Generated households until `size` persons are reached."""
    persons = 0
    for record in generate_households(villages, households=math.ceil(size / PERSONS_PER_HOUSEHOLD), seed=seed,
                                      year=year):
        if persons >= size:
            return
        persons += len(record[1])
        yield record


def _cleanup(year: int, *, created_year: bool) -> dict:
    with transaction.atomic():
        persons, households = _delete_rows(year, vacuum=False)
        if created_year:
            RegistryYear.objects.filter(year=year, county__code=COUNTY + "000000").delete()
        if persons or households:
            audit_event(actor=None, action="registry.bench_cleanup",
                        details={"year": year, "households": households, "rows": persons})
    _vacuum()
    return {"households": households}


def _vacuum() -> None:
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as c:
            c.execute(f"VACUUM ANALYZE {Household._meta.db_table}")
            c.execute(f"VACUUM ANALYZE {Person._meta.db_table}")


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


# ------------------------------------------------------------------------------------- baselines

def _postgres_copy(year: int, folder: Path) -> Timing:
    """Dump the rows the import wrote (not timed), delete them, then COPY them back (timed)."""
    files = {}
    with connection.cursor() as c:
        for model in (Household, Person):
            table, cols = model._meta.db_table, ", ".join(_columns(model))
            path = folder / f"{table}.copy"
            with path.open("wb") as fh, c.cursor.copy(
                    f"COPY (SELECT {cols} FROM {table} WHERE year = {int(year)} ORDER BY id) TO STDOUT") as copy:
                for data in copy:
                    fh.write(data)
            files[model] = (table, cols, path)
    rows = Person.objects.filter(year=year).count()
    _delete_rows(year)
    with Stopwatch() as sw, transaction.atomic(), connection.cursor() as c:
        for model in (Household, Person):
            table, cols, path = files[model]
            with path.open("rb") as fh, c.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                while data := fh.read(1 << 20):
                    copy.write(data)
    return Timing(sw.seconds, rows)


def _sqlite_executemany(year: int) -> Timing:
    """Move the rows the import wrote aside (not timed), then insert them back with executemany (the
    executemany calls and the commit timed, the fetching from the side table not)."""
    rows = Person.objects.filter(year=year).count()
    with connection.cursor() as c:
        for model in (Household, Person):
            table = model._meta.db_table
            c.execute(f"DROP TABLE IF EXISTS temp.bench_{table}")
            c.execute(f"CREATE TEMP TABLE bench_{table} AS SELECT {', '.join(_columns(model))} FROM {table} "
                      f"WHERE year = %s ORDER BY id", [year])
    _delete_rows(year)
    raw = connection.connection
    seconds = 0.0
    own = not connection.in_atomic_block  # inside a test's transaction there is nothing to begin or commit
    cursor = raw.cursor()
    try:
        if own:
            cursor.execute("BEGIN")
        for model in (Household, Person):
            table, cols = model._meta.db_table, _columns(model)
            source = raw.cursor()
            source.execute(f"SELECT * FROM temp.bench_{table}")
            insert = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            while batch := source.fetchmany(10_000):
                started = time.perf_counter()
                cursor.executemany(insert, batch)
                seconds += time.perf_counter() - started
            source.close()
            cursor.execute(f"DROP TABLE temp.bench_{table}")
        started = time.perf_counter()
        if own:
            cursor.execute("COMMIT")
        seconds += time.perf_counter() - started
    finally:
        cursor.close()
    return Timing(seconds, rows)


def _delete_rows(year: int, *, vacuum: bool = True) -> tuple[int, int]:
    """Plain DELETEs: the ORM's delete() would load every household to follow its relations, which
    for a million persons takes more memory than the import being measured."""
    with transaction.atomic(), connection.cursor() as c:
        c.execute(f"DELETE FROM {Person._meta.db_table} WHERE year = %s", [year])
        persons = c.rowcount
        c.execute(f"DELETE FROM {Household._meta.db_table} WHERE year = %s", [year])
        households = c.rowcount
    if vacuum:
        _vacuum()
    return persons, households


def _orm_per_row(villages, *, size: int, seed: int, year: int, total: int) -> Timing:
    """save() per household and per person on the first households of the same file, extrapolated
    to all `total` persons; the sample is deleted afterwards."""
    village_pk = dict(Area.objects.current().filter(code__in=[v.code for v in villages]).values_list("code", "pk"))
    h_fields = {f.name for f in Household._meta.concrete_fields} - {"id", "village", "pairing_cadre", "created_at",
                                                                      "updated_at"}
    p_fields = {f.name for f in Person._meta.concrete_fields} - {"id", "household"}
    chosen, persons = [], 0
    for values, people in _records(villages, size, seed, year):
        if persons >= min(ORM_SAMPLE_PERSONS, total):
            break
        chosen.append((values, people))
        persons += len(people)
    with Stopwatch() as sw, transaction.atomic():
        for values, people in chosen:
            h = Household(village_id=village_pk[values["village"]], **{k: v for k, v in values.items() if k in h_fields})
            h.save()
            for p in people:
                Person(household=h, year=year, **{k: v for k, v in p.items() if k in p_fields}).save()
    _delete_rows(year)
    return Timing(sw.seconds * total / max(persons, 1), total)


# ------------------------------------------------------------------------------------- workloads

@benchmark("import", default_size=100_000,
           help="registry import of N persons (national-layout CSV, full validation) vs COPY/executemany and save()")
def bench_import(*, size: int, seed: int) -> BenchResult:
    from fupin.registry.io.importer import registry_import

    villages = _prepare()
    year = _free_year()
    created_year = not RegistryYear.objects.filter(year=year, county__code=COUNTY + "000000").exists()
    with tempfile.TemporaryDirectory(prefix="fupin-bench-") as folder:
        folder = Path(folder)
        path = folder / "registry.csv"
        codes = code_lists_for_year(year)
        with Stopwatch() as generation, path.open("w", encoding="utf-8-sig", newline="") as fh:
            households, persons = write_csv(_records(villages, size, seed, year), fh, labels=codes.label)
        try:
            restarted = _restart_peak()
            with Stopwatch() as ours:
                result = registry_import(actor=None, file=path, year=year)
            import_rss = _rss_mb()
            if result.status != "imported":
                raise RuntimeError(f"bench import was not clean: {result.message}")
            baselines = {}
            if connection.vendor == "postgresql":
                baselines["postgres_copy"] = _postgres_copy(year, folder)
            else:
                baselines["sqlite_executemany"] = _sqlite_executemany(year)
            _delete_rows(year)
            baselines["orm_per_row"] = _orm_per_row(villages, size=size, seed=seed, year=year, total=persons)
        finally:
            _cleanup(year, created_year=created_year)
        return BenchResult(
            result=Timing(ours.seconds, persons), baselines=baselines,
            extra={"persons": persons, "households": households, "year": year, "file_mb": round(
                os.path.getsize(path) / 1e6, 1), "generate_seconds": round(generation.seconds, 1),
                "import_peak_rss_mb": import_rss, "orm_sample_persons": min(ORM_SAMPLE_PERSONS, persons),
                "peak_counted_from": "import" if restarted else "start"})


def _generate_db(*, households: int, seed: int, year: int) -> int:
    """Generated households written to the database by `fupin generate --db` in a process of its own, so
    the memory the generator holds (every ID number it has issued) is not counted as the export's. In a
    test's transaction the rows must be written in it, so there it runs here."""
    if connection.in_atomic_block:
        return registry_generate_db(actor=None, county_code=COUNTY, households=households, seed=seed,
                                    year=year).households
    done = subprocess.run([sys.executable, "-m", "fupin.cli", "generate", "--county", COUNTY, "--households",
                           str(households), "--seed", str(seed), "--year", str(year), "--db", "--json"],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])["households"]


def _export_baseline(year: int, folder: Path) -> tuple[str, Timing]:
    """The same persons with their household and village, as stored (codes, no masking), to CSV."""
    h, p, a = Household._meta.db_table, Person._meta.db_table, Area._meta.db_table
    h_cols = [f"h.{c}" for c in _columns(Household) if c not in ("id", "created_at", "updated_at", "version")]
    p_cols = [f"p.{c}" for c in _columns(Person) if c not in ("id", "household_id", "year")]
    sql = (f"SELECT {', '.join(h_cols + p_cols)}, a.code, a.name FROM {p} p JOIN {h} h ON h.id = p.household_id "
           f"JOIN {a} a ON a.id = h.village_id WHERE h.year = {int(year)} ORDER BY h.household_number, p.person_number")
    rows = Person.objects.filter(year=year).count()
    path = folder / "baseline.csv"
    if connection.vendor == "postgresql":
        with Stopwatch() as sw, transaction.atomic(), connection.cursor() as c, path.open("wb") as fh, \
                c.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER)") as copy:
            for data in copy:
                fh.write(data)
        return "postgres_copy", Timing(sw.seconds, rows)
    with Stopwatch() as sw, connection.cursor() as c, path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        c.execute(sql)
        while batch := c.fetchmany(10_000):
            writer.writerows(batch)
    return "sqlite_select_csv", Timing(sw.seconds, rows)


@benchmark("export", default_size=100_000,
           help="registry export of N persons to .xlsx (streamed, labels, masking) vs a plain dump of the rows")
def bench_export(*, size: int, seed: int) -> BenchResult:
    from fupin.registry.io.exporter import registry_export

    _prepare()
    year = _free_year()
    created_year = not RegistryYear.objects.filter(year=year, county__code=COUNTY + "000000").exists()
    with tempfile.TemporaryDirectory(prefix="fupin-bench-") as folder:
        folder = Path(folder)
        try:
            with Stopwatch() as generation:
                generated = _generate_db(households=max(1, math.ceil(size / MEAN_PERSONS_PER_HOUSEHOLD)), seed=seed,
                                         year=year)
            _vacuum()
            before = _rss_mb()
            restarted = _restart_peak()
            with Stopwatch() as ours, (folder / "export.xlsx").open("wb") as fh:
                exported = registry_export(actor=None, out=fh, year=year, fmt="xlsx", full_numbers=False)
            with Stopwatch() as as_csv, (folder / "export.csv").open("wb") as fh:
                registry_export(actor=None, out=fh, year=year, fmt="csv", full_numbers=False)
            name, baseline = _export_baseline(year, folder)
            xlsx_mb = round((folder / "export.xlsx").stat().st_size / 1e6, 1)
        finally:
            _cleanup(year, created_year=created_year)
    return BenchResult(
        result=Timing(ours.seconds, exported.rows), baselines={name: baseline},
        extra={"persons": exported.rows, "households": exported.households, "year": year, "xlsx_mb": xlsx_mb,
               "csv_seconds": round(as_csv.seconds, 2), "generate_seconds": round(generation.seconds, 1),
               "peak_before_export_mb": before, "generated_households": generated,
               "peak_counted_from": "export" if restarted else "start"})


def _per_household_loop(year: int, *, sample: int) -> Timing:
    """The way without a batch engine: households one by one through the ORM, members read per household,
    the same record checks in Python (member count, one head, income arithmetic, ID against birth and sex,
    the income line against the status), on a sample."""
    from fupin.registry import income, lifecycle, schema
    from fupin.registry.validation import id_birth_date, id_sex

    line = 400_000
    with Stopwatch() as sw:
        households = list(Household.objects.filter(year=year).order_by("id")[:sample])
        found = 0
        for h in households:
            active = [p for p in h.persons.all() if p.status == "active"]
            found += h.member_count != len(active)
            found += sum(1 for p in active if p.relation == schema.HEAD_RELATION) != 1
            computed = income.compute_income({n: getattr(h, n) for n in income.INPUTS}, h.member_count)
            found += any(computed[n] != getattr(h, n) for n in income.COMPUTED)
            cents = int(h.per_capita_net_income * 100)
            found += h.status == lifecycle.EXITED and cents <= line
            found += h.status in lifecycle.POOR and cents > 2 * line
            found += h.status in lifecycle.IN_REGISTRY and h.pairing_cadre_id is None
            for p in active:
                if len(p.id_number) >= 18:
                    found += id_birth_date(p.id_number[:18]) != p.birth_date or id_sex(p.id_number[:18]) != p.sex
    return Timing(sw.seconds, len(households))


@benchmark("quality", default_size=10_000,
           help="data-quality checks (Polars, every check) over N generated households vs a per-household ORM loop")
def bench_quality(*, size: int, seed: int) -> BenchResult:
    from fupin.registry.models import QualityResult
    from fupin.registry.quality import quality_run
    from fupin.registry.quality_store import stored_run

    _prepare()
    year = _free_year()
    created_year = not RegistryYear.objects.filter(year=year, county__code=COUNTY + "000000").exists()
    try:
        generated = _generate_db(households=max(1, size), seed=seed, year=year)
        with Stopwatch() as ours:
            run = quality_run(actor=None, year=year, area_code=COUNTY)
        baseline = _per_household_loop(year, sample=min(generated, 1000))
        # What a page view costs: the first read runs and stores the checks, later reads only read.
        with Stopwatch() as first_read:
            stored_run(actor=None, year=year, area_code=COUNTY)
        with Stopwatch() as stored_read:
            stored_run(actor=None, year=year, area_code=COUNTY)
    finally:
        QualityResult.objects.filter(year=year).delete()
        _cleanup(year, created_year=created_year)
    return BenchResult(result=Timing(ours.seconds, run.households), baselines={"per_household_loop": baseline},
                       extra={"households": run.households, "issues": len(run.issues), "year": year,
                              "counts": {k: v for k, v in run.counts().items() if v},
                              "stored_first_read_seconds": round(first_read.seconds, 3),
                              "stored_read_seconds": round(stored_read.seconds, 3),
                              "baseline_sample": baseline.items})
