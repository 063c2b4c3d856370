"""`fupin bench screen`: every rule of the Zhangwu 2020 pack over generated households (Polars),
against a hand-written DuckDB query computing the core flags and the one-household evaluator in a loop."""

from fupin.core.bench import BenchResult, Timing, benchmark


@benchmark("screen", default_size=1_000_000, help="all rules of zhangwu-2020 over N households (Polars)")
def screen(*, size: int, seed: int) -> BenchResult:
    from fupin.policy.engine.bench import run
    from fupin.policy.selectors import pack_get

    measured = run(pack_get("zhangwu-2020"), size, loop_sample=min(2000, size))
    baselines = {name: Timing(b["seconds"], size) for name, b in measured["baselines"].items()}
    extra = {"rules": measured["result"]["rules"], "engine": "polars", "decided": measured["decided"]}
    if "duckdb_sql_same_rules" in measured["ratios"]:
        extra["ratio_duckdb_sql_same_rules"] = round(measured["ratios"]["duckdb_sql_same_rules"], 3)
        extra["same_rules_seconds"] = round(measured["result"]["same_rules_seconds"], 4)
    return BenchResult(result=Timing(measured["result"]["seconds"], size), baselines=baselines, extra=extra)


@benchmark("screen-store", default_size=20_000,
           help="fupin screen over N generated households: read, decide (Polars), store decisions (COPY/executemany)")
def screen_store(*, size: int, seed: int) -> BenchResult:
    """Decisions written back: our bulk write of every household × rule row, against the ORM's bulk_create
    and one save() per row (on a sample), on the same rows in the same run. The registry rows are
    generated first and removed afterwards (not timed)."""
    from fupin.policy.storebench import run as run_store

    return run_store(size=size, seed=seed)


def spark_differences(expected, actual) -> dict[str, int]:
    """Households whose output differs, by column ({} when every column of every household is identical).
    Both frames are Polars frames of `run_batch`'s shape; a missing column counts every household."""
    from fupin.policy.engine.batch import ID

    unmatched = expected.join(actual, on=ID, how="anti").height + actual.join(expected, on=ID, how="anti").height
    if unmatched or expected.height != actual.height:
        return {ID: unmatched or abs(expected.height - actual.height)}
    expected, actual = expected.sort(ID), actual.sort(ID)
    counts = {}
    for name in expected.columns:
        if name not in actual.columns or expected[name].dtype != actual[name].dtype:
            counts[name] = expected.height
            continue
        # ne_missing: null against null is equal, null against a value is a difference
        differing = int(expected[name].ne_missing(actual[name]).sum())
        if differing:
            counts[name] = differing
    return counts | {name: actual.height for name in actual.columns if name not in expected.columns}


@benchmark("screen-spark", default_size=100_000,
           help="all rules of zhangwu-2020 over N households on Spark (local mode), checked identical to Polars")
def screen_spark(*, size: int, seed: int) -> BenchResult:
    """The Spark path timed step by step — session start, frames handed over as Parquet, the rules executed
    (written as Parquet), the result read back by Polars — then compared with Polars on the same frames,
    household by household and column by column: any difference raises."""
    import shutil
    import tempfile

    import polars as pl

    from fupin.core.bench import Stopwatch
    from fupin.policy.engine.batch import run_batch
    from fupin.policy.engine.bench import generate
    from fupin.policy.selectors import pack_get

    try:
        from fupin.policy.engine.spark import local_session, run_spark, spark_frames
    except ImportError as exc:
        raise RuntimeError("screen-spark 需要 PySpark（pip install 'fupin[spark]'）") from exc
    pack = pack_get("zhangwu-2020")
    as_of = pack.default_as_of()
    households, persons = generate(size, seed=seed)
    with Stopwatch() as polars_sw:
        expected = run_batch(pack, households, persons, as_of=as_of)
    folder = tempfile.mkdtemp(prefix="fupin-spark-")
    try:
        with Stopwatch() as start:
            spark = local_session("fupin-bench")
        with Stopwatch() as handoff:
            sh, sp = spark_frames(spark, pack, households, persons, folder=folder)
        with Stopwatch() as rules:
            run_spark(pack, sh, sp, as_of=as_of).write.parquet(f"{folder}/result")
        with Stopwatch() as back:
            actual = pl.read_parquet(f"{folder}/result/*.parquet")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    differing = spark_differences(expected, actual)
    if differing:
        raise AssertionError(f"Spark 与 Polars 结果不一致 / Spark differs from Polars: {differing}")
    spark_seconds = handoff.seconds + rules.seconds + back.seconds
    return BenchResult(
        result=Timing(spark_seconds, size), baselines={"polars": Timing(polars_sw.seconds, size)},
        extra={"engine": "spark local[2]", "pack": pack.key, "rules": len(pack.rules), "members": persons.height,
               "spark_seconds": {"session_start": round(start.seconds, 2), "handoff_parquet": round(handoff.seconds, 2),
                                 "rules": round(rules.seconds, 2), "result_back_parquet": round(back.seconds, 2)},
               "identical": {"households": size, "columns": len(expected.columns)}})
