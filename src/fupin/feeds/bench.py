"""`fupin bench feeds`: matching N medical claim rows against a registry of N persons and raising alerts.

Not timed: the registry (N persons of a synthetic Zhangwu county from `registry/generator.py`, written to
Parquet with ID number, person, household, village and 家庭纯收入) and the medical insurance file (N claims
as the department sends them: a UTF-8 CSV with the Chinese headers; claims fall on random persons, the
out-of-pocket amounts spread so that a few per cent of households pass their income).

Timed, ours: reading the department file (with the layout check), reading the registry, the pack
parameter per village, validating every row (ID checksum, amounts, dates), de-duplicating, the join, the
rule (household sums over the year against the pack threshold) and the alert rows with the values that
fired. `extra.phases` splits that time by step (the steps of `engine.feed_match` as it reports them).
The database writes of `feed_process` (the facts and alerts) are not part of it (they are not matching).

Baseline `duckdb_sql`: one hand-written DuckDB query over the same two files: join on the ID number,
sum per household, compare with the income. It checks nothing and reports no row.
"""

from __future__ import annotations

import math
import random
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

from fupin.core.bench import BenchResult, Stopwatch, Timing, benchmark
from fupin.feeds import engine
from fupin.feeds.kinds import feed_kind
from fupin.feeds.reading import read_feed
from fupin.feeds.services import params_frame
from fupin.registry.generator import Village, generate_households

COUNTY = "210922"
YEAR = 2020
PERSONS_PER_HOUSEHOLD = 2.3


def _villages(count: int) -> list[Village]:
    """Synthetic village codes of Zhangwu's townships (the matching needs codes, not the area table)."""
    return [Village(code=f"{COUNTY}{101 + i // 20:03d}{201 + i % 20:03d}", name=f"村{i}", township_name="镇",
                    county_name="彰武县") for i in range(count)]


def write_registry(path: Path, size: int, seed: int) -> pl.DataFrame:
    columns = {k: [] for k in engine.REGISTRY_SCHEMA}
    person_id = 0
    villages = _villages(max(1, min(200, size // 50)))
    households = generate_households(villages, households=math.ceil(size / PERSONS_PER_HOUSEHOLD), seed=seed,
                                     year=YEAR)
    for household_id, (values, people) in enumerate(households, start=1):
        for p in people:
            if person_id >= size:
                break
            person_id += 1
            columns["id_number"].append(p["id_number"])
            columns["person_id"].append(person_id)
            columns["household_id"].append(household_id)
            columns["village_code"].append(values["village"])
            columns["net_income_cents"].append(int(values["net_income"] * 100))
        if person_id >= size:
            break
    frame = pl.DataFrame(columns, schema=engine.REGISTRY_SCHEMA)
    frame.write_parquet(path)
    return frame


def write_claims(path: Path, registry: pl.DataFrame, size: int, seed: int) -> None:
    rng = random.Random(seed)
    ids = registry.get_column("id_number").to_list()
    names = ["张三", "李四", "王五", "赵六"]
    rows = {"姓名": [], "身份证号": [], "结算单号": [], "就诊机构": [], "入院日期": [], "结算日期": [], "医疗总费用": [],
            "个人自付金额": []}
    for i in range(size):
        day = f"{YEAR}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        paid = round(rng.lognormvariate(6.5, 1.3), 2)
        rows["姓名"].append(names[i % 4])
        rows["身份证号"].append(ids[rng.randrange(len(ids))][:18])
        rows["结算单号"].append(f"YB{YEAR}{i:09d}")
        rows["就诊机构"].append("彰武县人民医院")
        rows["入院日期"].append(day)
        rows["结算日期"].append(day)
        rows["医疗总费用"].append(f"{paid * 3:.2f}")
        rows["个人自付金额"].append(f"{paid:.2f}")
    pl.DataFrame(rows).write_csv(path)


def ours(claims: Path, registry_file: Path, phases: dict[str, float] | None = None) -> tuple[int, int]:
    """The production matching on files: (rows accepted, alerts); `phases`: filled with seconds per step."""
    phases = {} if phases is None else phases
    clock = [time.perf_counter()]

    def lap(step: str) -> None:
        now = time.perf_counter()
        phases[step] = now - clock[0]
        clock[0] = now

    kind = feed_kind("medical_insurance")
    frame = read_feed(claims, kind)
    lap("read file")
    registry = pl.read_parquet(registry_file)
    villages = registry.get_column("village_code").unique().sort().to_list()
    params = params_frame(kind, villages, YEAR)
    lap("registry and packs")
    result = engine.feed_match(frame, kind, year=YEAR, registry=registry, params=params, timings=phases)
    clock[0] = time.perf_counter()
    alerts = [{"fact_key": a["alert_key"], "household_id": a["household_id"], "person_id": a["person_id"],
               "values": {"facts": a["facts"], "amount": a["value_cents"], "income": a["income_cents"]},
               "threshold": {"factor": a["param_value"], "pack": a["pack"], "limit": a["limit_cents"]}}
              for a in result.alerts.iter_rows(named=True)]
    lap("alert rows")
    return result.count(engine.ACCEPTED), len(alerts)


def duckdb_sql(claims: Path, registry_file: Path) -> int:
    sql = """
        SELECT r.household_id, sum(CAST(c."个人自付金额" AS DECIMAL(14, 2))) AS paid, any_value(r.net_income_cents)
        FROM read_csv(?, all_varchar = true) c JOIN read_parquet(?) r ON c."身份证号" = left(r.id_number, 18)
        GROUP BY r.household_id HAVING sum(CAST(c."个人自付金额" AS DECIMAL(14, 2))) * 100
                                       > any_value(r.net_income_cents) * 1.0"""
    with duckdb.connect() as con:
        return len(con.execute(sql, [str(claims), str(registry_file)]).fetchall())


@benchmark("feeds", default_size=100_000,
           help="match N medical claims against N registry persons and raise alerts (baseline: one DuckDB join)")
def bench_feeds(*, size: int, seed: int = 1) -> BenchResult:
    with tempfile.TemporaryDirectory(prefix="fupin-bench-feeds-") as folder:
        registry_file, claims = Path(folder) / "registry.parquet", Path(folder) / "claims.csv"
        registry = write_registry(registry_file, size, seed)
        write_claims(claims, registry, size, seed)
        del registry
        duckdb_sql(claims, registry_file)  # warm the file cache for both, not timed
        params_frame(feed_kind("medical_insurance"), ["210922101201"], YEAR)  # load the policy packs once
        phases: dict[str, float] = {}
        with Stopwatch() as sw:
            accepted, alerts = ours(claims, registry_file, phases)
        with Stopwatch() as base:
            baseline_alerts = duckdb_sql(claims, registry_file)
    return BenchResult(result=Timing(sw.seconds, size), baselines={"duckdb_sql": Timing(base.seconds, size)},
                       extra={"rows_accepted": accepted, "alerts": alerts, "baseline_alerts": baseline_alerts,
                              "persons": size, "timed": "read file + registry, validate, match, rule, alert rows",
                              "phases": {step: round(seconds, 3) for step, seconds in phases.items()}})
