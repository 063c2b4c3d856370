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
