"""The screening benchmark: generated households, the compiled rules (Polars), and two baselines —
one hand-written DuckDB query computing the same flags, and the one-household evaluator in a loop.

Printed as the project's benchmark JSON by `fupin policy bench` (docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
import resource
import time

import polars as pl

from .batch import ID, KEY, run_batch
from .evaluate import evaluate_household
from .model import Pack

# The rules the hand-written SQL computes too (the core of the Zhangwu 2020 screening).
SQL_RULES = ["monitoring_income_trigger", "monitoring_shock_trigger", "monitoring_exclusion", "monitoring_override",
             "monitoring_eligible", "low_income_list", "pv_deep_poverty", "education_grant", "project_subsidy_basis"]


def _pick(h: pl.Expr, modulo: int) -> pl.Expr:
    return (h % modulo).cast(pl.Int64)


def generate(n: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`n` households (about 2.5 members each) with every field the Zhangwu 2020 pack reads."""
    idx = pl.int_range(n, dtype=pl.Int64)
    h = [idx.hash(seed + k) for k in range(12)]
    households = pl.select(
        idx.alias(ID),
        pl.when(_pick(h[0], 10) < 3).then(pl.lit("1")).when(_pick(h[0], 10) < 8).then(pl.lit("2"))
        .otherwise(pl.lit("3")).alias("household_type"),
        (_pick(h[1], 50) != 0).alias("rural_hukou_resident"),
        (_pick(h[1], 40) == 1).alias("military_family"),
        (_pick(h[2], 1500000) / 100).alias("per_capita_disposable_income"),
        (_pick(h[3], 1500000) / 100).alias("per_capita_net_income"),
        (_pick(h[4], 6000000) / 100).alias("net_income"),
        (_pick(h[5], 6000000) / 100).alias("previous_year_net_income"),
        (_pick(h[6], 8000000) / 100).alias("rigid_expenditure"),
        pl.when(_pick(h[7], 5) == 0).then(pl.lit(["01"])).when(_pick(h[7], 5) == 1).then(pl.lit(["04", "06"]))
        .otherwise(pl.lit([], dtype=pl.List(pl.String))).alias("risk_types"),
        (_pick(h[8], 100) == 0).alias("supporter_public_or_stable_job"),
        pl.when(_pick(h[8], 20) == 1).then(_pick(h[9], 120000).cast(pl.Float64)).otherwise(0.0).alias("car_value"),
        pl.when(_pick(h[8], 30) == 2).then(_pick(h[10], 90000).cast(pl.Float64)).otherwise(0.0).alias("machinery_value"),
        (_pick(h[9], 60) == 0).alias("bought_commercial_housing"),
        (_pick(h[9], 3) == 0).alias("resettlement_housing"),
        (_pick(h[10], 80) == 0).alias("enterprise_with_dividend"),
        (_pick(h[10], 2) == 0).alias("livelihood_business_only"),
        (_pick(h[11], 90) == 0).alias("large_grower"),
        (_pick(h[11], 91) == 0).alias("long_term_contracting"),
        (_pick(h[11], 92) == 0).alias("employs_others"),
        (_pick(h[11], 200) == 0).alias("concealed_assets"),
        (_pick(h[2], 3) == 0).alias("override_village_appraisal"),
        (_pick(h[3], 3) == 0).alias("override_township_verified"),
        (_pick(h[4], 3) == 0).alias("override_county_approved"),
        (_pick(h[5], 500) == 0).alias("major_disaster_loss"),
        (_pick(h[6], 500) == 0).alias("village_assembly_recognised"),
        (1 + _pick(h[0], 4)).cast(pl.Float64).alias("member_count"),
        pl.when(_pick(h[1], 7) == 0).then(pl.lit("2")).otherwise(pl.lit("1")).alias("poverty_attribute"),
        (30 + _pick(h[2], 90)).cast(pl.Float64).alias("housing_area"),
        pl.when(_pick(h[3], 7) == 0).then(pl.lit("irregular")).when(_pick(h[3], 7) == 1).then(pl.lit("stable"))
        .otherwise(pl.lit(None, pl.String)).alias("dibao_situation"),
        pl.when(_pick(h[4], 4) == 0).then(pl.lit("dispersed")).otherwise(pl.lit("centralised")).alias("water_supply_mode"),
        _pick(h[5], 15).cast(pl.Float64).alias("water_fetch_minutes"),
        _pick(h[6], 600).cast(pl.Float64).alias("water_horizontal_m"),
        _pick(h[7], 60).cast(pl.Float64).alias("water_vertical_m"),
        (_pick(h[8], 11) / 100 + 0.9).alias("water_guarantee_rate"),
        pl.when(_pick(h[9], 20) == 0).then(_pick(h[10], 80000).cast(pl.Float64)).alias("loan_amount"),
        pl.when(_pick(h[9], 20) == 0).then(1 + _pick(h[11], 4)).cast(pl.Float64).alias("loan_term_years"),
        pl.when(_pick(h[9], 20) == 0).then(pl.date(1950, 1, 1) + pl.duration(days=_pick(h[2], 20000)))
        .alias("loan_applicant_birth_date"),
        pl.when(_pick(h[9], 20) == 0).then(pl.lit(dt.date(2020, 6, 1))).alias("loan_application_date"),
        (_pick(h[10], 9) == 0).alias("loan_has_other_outstanding"),
        (_pick(h[11], 12) != 0).alias("loan_for_production"),
        pl.when(_pick(h[7], 33) == 0).then((20 + _pick(h[8], 80)).cast(pl.Float64)).alias("renovation_planned_area"),
        (_pick(h[6], 2) == 0).alias("renovation_self_funded"),
    )
    for name in ("food_secure", "clothing_secure", "basic_medical_secured", "compulsory_education_secured",
                 "housing_secured", "safe_drinking_water"):
        households = households.with_columns((pl.col(ID).hash(len(name)) % 30 != 0).alias(name))
    persons = households.select(pl.col(ID).alias(KEY), pl.col("member_count").cast(pl.Int64).alias("__n")) \
        .with_columns(pl.int_ranges(0, pl.col("__n")).alias("__i")).explode("__i").drop("__n")
    p = [pl.struct(KEY, "__i").hash(seed + 100 + k) for k in range(8)]
    persons = persons.with_columns(
        pl.when(_pick(p[0], 200) == 0).then(pl.lit("institution")).when(_pick(p[0], 50) == 1).then(pl.lit("soe"))
        .otherwise(pl.lit("none")).alias("employer_type"),
        (_pick(p[1], 2) == 0).alias("public_payroll_staff"),
        (_pick(p[1], 3) == 0).alias("stable_employment"),
        (_pick(p[2], 6000000) / 100).alias("annual_income"),
        (_pick(p[3], 300) == 0).alias("current_village_head"),
        (_pick(p[3], 40) == 1).alias("lonely_elderly"),
        (_pick(p[3], 80) == 2).alias("orphan"),
        (_pick(p[4], 100) == 0).alias("recognised_major_disease"),
        (pl.date(1930, 1, 1) + pl.duration(days=_pick(p[5], 33000))).alias("birth_date"),
        pl.when(_pick(p[6], 30) == 0).then(pl.lit("1")).when(_pick(p[6], 30) == 1).then(pl.lit("2"))
        .otherwise(pl.lit(None, pl.String)).alias("disability_grade"),
        pl.when(_pick(p[6], 7) == 0).then(pl.lit("4")).otherwise(pl.lit("1")).alias("labour_skill"),
        pl.when(_pick(p[7], 8) == 0).then(pl.lit("10")).when(_pick(p[7], 8) == 1).then(pl.lit("20"))
        .when(_pick(p[7], 8) == 2).then(pl.lit("40")).when(_pick(p[7], 8) == 3).then(pl.lit("60"))
        .otherwise(pl.lit("00")).alias("schooling"),
        pl.when(_pick(p[0], 9) == 0).then(pl.lit("3")).when(_pick(p[0], 9) == 1).then(pl.lit("2"))
        .otherwise(pl.lit("1")).alias("health"),
        (_pick(p[1], 4) != 0).alias("medical_three_layers_done"),
        (_pick(p[2], 3000000) / 100).alias("medical_burden_after_three_layers"),
        (_pick(p[4], 3) == 0).alias("boarding"),
    ).drop("__i")
    return households, persons


HAND_SQL = """
WITH m AS (
  SELECT household_id,
    bool_or(employer_type IN ('organ','institution','social_group') AND public_payroll_staff) AS public_staff,
    bool_or(employer_type IN ('soe','large_private') AND stable_employment AND annual_income >= 30000) AS stable_job,
    bool_or(current_village_head) AS village_head,
    bool_or(lonely_elderly AND date_diff('year', birth_date, DATE '{as_of}')
            - CASE WHEN strftime(birth_date, '%m%d') > '{mmdd}' THEN 1 ELSE 0 END >= 65) AS lonely65,
    bool_or(orphan AND date_diff('year', birth_date, DATE '{as_of}')
            - CASE WHEN strftime(birth_date, '%m%d') > '{mmdd}' THEN 1 ELSE 0 END <= 16) AS orphan16,
    bool_or(disability_grade IN ('1','2') AND labour_skill = '4') AS disabled,
    bool_or(recognised_major_disease) AS disease,
    count(*) FILTER (WHERE schooling IN ('40','45','50','55','60','70','80')) AS seniors,
    count(*) FILTER (WHERE schooling = '10') AS preschool,
    count(*) FILTER (WHERE schooling IN ('40','45')) AS high
  FROM p GROUP BY household_id
), f AS (
  SELECT h.id,
    per_capita_disposable_income < 6000 AS income_trigger,
    list_has_any(risk_types, ['01','03','04','05','06','99'])
      AND (rigid_expenditure > previous_year_net_income OR net_income <= 0.5 * previous_year_net_income) AS shock,
    (NOT military_family AND (coalesce(public_staff, false) OR coalesce(stable_job, false)
       OR supporter_public_or_stable_job))
      OR coalesce(village_head, false) OR car_value >= 50000 OR machinery_value >= 50000
      OR (bought_commercial_housing AND NOT resettlement_housing)
      OR (enterprise_with_dividend AND NOT livelihood_business_only)
      OR large_grower OR long_term_contracting OR employs_others OR concealed_assets AS excluded,
    override_village_appraisal AND override_township_verified AND override_county_approved AS override,
    household_type IN ('1','2') AND per_capita_net_income < 5000 AS low_income,
    household_type IN ('1','2') AND (coalesce(lonely65, false) OR coalesce(orphan16, false)
      OR coalesce(disabled, false) OR coalesce(disease, false) OR coalesce(seniors, 0) >= 2
      OR major_disaster_loss OR village_assembly_recognised) AS pv,
    CASE WHEN household_type IN ('1','2') THEN coalesce(preschool, 0) * 1000.0 + coalesce(high, 0) * 2000.0
         ELSE 0 END AS education_grant,
    household_type, member_count, rural_hukou_resident
  FROM h LEFT JOIN m ON m.household_id = h.id
)
SELECT id, income_trigger, shock, excluded, override,
  household_type IN ('2','3') AND rural_hukou_resident AND (income_trigger OR shock) AND (NOT excluded OR override)
    AS eligible,
  low_income, pv, education_grant,
  CASE WHEN household_type = '1' THEN member_count * 2000 WHEN household_type = '2' AND low_income
       THEN member_count * 1500 WHEN household_type = '2' THEN member_count * 1000 ELSE 0 END AS project_subsidy
FROM f
"""


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(pack: Pack, size: int, *, loop_sample: int = 2000, as_of: dt.date | None = None) -> dict:
    """Time the three ways on the same generated data; returns the benchmark JSON object."""
    as_of = as_of or pack.default_as_of()
    households, persons = generate(size)
    t0 = time.perf_counter()
    result = run_batch(pack, households, persons, as_of=as_of)
    polars_all = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_batch(pack, households, persons, as_of=as_of, rules=SQL_RULES)
    polars_same = time.perf_counter() - t0
    baselines = {}
    try:
        import duckdb
    except ImportError:  # pragma: no cover - duckdb is a dependency of the benchmark only
        duckdb = None
    if duckdb is not None:
        con = duckdb.connect()
        con.register("h", households.to_arrow())
        con.register("p", persons.to_arrow())
        sql = HAND_SQL.format(as_of=as_of.isoformat(), mmdd=as_of.strftime("%m%d"))
        t0 = time.perf_counter()
        con.sql(sql).to_arrow_table()
        seconds = time.perf_counter() - t0
        baselines["duckdb_sql"] = {"seconds": seconds, "per_second": size / seconds,
                                   "rules": len(SQL_RULES)}
    sample = min(loop_sample, size)
    records = _records(households.head(sample), persons.filter(pl.col(KEY) < sample))
    t0 = time.perf_counter()
    for record in records:
        evaluate_household(pack, record, as_of=as_of)
    seconds = time.perf_counter() - t0
    baselines["per_household_loop"] = {"seconds": seconds * size / sample, "per_second": sample / seconds,
                                       "measured_on": sample}
    throughput = size / polars_all
    ratios = {name: throughput / b["per_second"] for name, b in baselines.items()}
    if "duckdb_sql" in baselines:
        ratios["duckdb_sql_same_rules"] = (size / polars_same) / baselines["duckdb_sql"]["per_second"]
    return {
        "workload": "policy_screen", "size": size, "database": "none (in-memory frames)",
        "result": {"seconds": polars_all, "per_second": throughput, "peak_rss_mb": _peak_mb(),
                   "rules": len(pack.rules), "engine": "polars", "same_rules_seconds": polars_same},
        "baselines": baselines, "ratios": ratios, "decided": {
            "ok": int(sum((result[f"{r.id}__status"] == "ok").sum() for r in pack.rules)),
            "error": int(sum((result[f"{r.id}__status"] == "error").sum() for r in pack.rules))},
    }


def _records(households: pl.DataFrame, persons: pl.DataFrame) -> list[dict]:
    members: dict = {}
    for row in persons.iter_rows(named=True):
        members.setdefault(row.pop(KEY), []).append(row)
    out = []
    for row in households.iter_rows(named=True):
        row["members"] = members.get(row[ID], [])
        out.append(row)
    return out
