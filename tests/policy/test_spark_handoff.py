"""Spark fed and read through Arrow and Parquet gives Polars' answers; `fupin bench screen-spark` proves it
household by household and refuses to print figures when the two differ."""

from __future__ import annotations

import json
from io import StringIO

import polars as pl
import pytest
from django.core.management import call_command

from fupin.policy.bench import spark_differences
from fupin.policy.engine.batch import ID, KEY, run_batch
from fupin.policy.engine.bench import generate
from fupin.policy.selectors import pack_get


@pytest.fixture(scope="module")
def pack():
    return pack_get("zhangwu-2020")


@pytest.fixture(scope="module")
def frames():
    """Generated households with some values missing, so that some decisions are errors."""
    households, persons = generate(300, seed=3)
    households = households.with_columns(
        pl.when(pl.col(ID) % 7 == 0).then(None).otherwise(pl.col("per_capita_disposable_income"))
        .alias("per_capita_disposable_income"))
    persons = persons.with_columns(
        pl.when(pl.col(KEY) % 11 == 0).then(None).otherwise(pl.col("birth_date")).alias("birth_date"))
    return households, persons


@pytest.fixture(scope="module")
def spark():
    pyspark = pytest.importorskip("pyspark.sql")
    from fupin.policy.engine.spark import local_session

    already = pyspark.SparkSession.getActiveSession()
    session = local_session("fupin-spark-tests")
    yield session
    if already is None:  # leave a session other test modules started to them
        session.stop()


# ---- the comparison the benchmark relies on (no Spark needed) ------------------------------------------

def test_identical_frames_have_no_difference(pack, frames):
    result = run_batch(pack, *frames)
    assert spark_differences(result, result.sample(fraction=1.0, shuffle=True, seed=1)) == {}


def test_a_changed_decision_is_counted_in_its_column(pack, frames):
    result = run_batch(pack, *frames)
    flipped = result.with_columns(pl.when(pl.col(ID) == 7).then(pl.col("low_income_list").not_())
                                  .otherwise(pl.col("low_income_list")).alias("low_income_list"))
    assert spark_differences(result, flipped) == {"low_income_list": 1}
    # a message where there was none (or another one) is a difference too
    marked = result.with_columns(pl.when(pl.col(ID) == 3).then(pl.lit("另一条"))
                                 .otherwise(pl.col("monitoring_type__error")).alias("monitoring_type__error"))
    assert spark_differences(result, marked) == {"monitoring_type__error": 1}


def test_missing_households_and_columns_are_differences(pack, frames):
    result = run_batch(pack, *frames)
    assert spark_differences(result, result.filter(pl.col(ID) != 42)) == {ID: 1}
    assert spark_differences(result, result.drop("risk_level")) == {"risk_level": 300}
    assert spark_differences(result, result.with_columns(pl.col("education_grant").cast(pl.Int64))) == {
        "education_grant": 300}


# ---- Spark ---------------------------------------------------------------------------------------------

@pytest.mark.spark
@pytest.mark.parametrize("via", ["arrow", "parquet"])
def test_spark_through_arrow_or_parquet_decides_like_polars(spark, pack, frames, via, tmp_path):
    from fupin.policy.engine.spark import run_spark, spark_frames, to_polars

    households, persons = frames
    expected = run_batch(pack, households, persons)
    folder = tmp_path if via == "parquet" else None
    sh, sp = spark_frames(spark, pack, households, persons, folder=folder)
    actual = to_polars(run_spark(pack, sh, sp), folder=folder)
    assert actual.columns == expected.columns
    assert spark_differences(expected, actual) == {}
    # the sample exercises every outcome, so agreement is not agreement on nothing
    statuses = set(pl.concat([actual[f"{r.id}__status"] for r in pack.rules]))
    assert statuses == {"ok", "error", "not_applicable"}


@pytest.mark.spark
def test_chosen_rules_with_what_they_read_decide_like_polars(spark, pack, frames):
    from fupin.policy.engine.spark import run_spark, spark_frames, to_polars

    households, persons = frames
    # a column of nothing but nulls arrives from Polars untyped; the catalogue's type is restored
    households = households.with_columns(pl.lit(None).alias("rigid_expenditure"))
    expected = run_batch(pack, households, persons, rules=["monitoring_type"])
    sh, sp = spark_frames(spark, pack, households, persons)
    actual = to_polars(run_spark(pack, sh, sp, rules=["monitoring_type"]))
    assert "monitoring_eligible" in actual.columns and "education_grant" not in actual.columns
    assert spark_differences(expected, actual) == {}


@pytest.mark.spark
def test_screen_spark_benchmark_reports_every_step(spark):
    out = StringIO()
    call_command("bench", "screen-spark", "--size", "200", stdout=out)
    report = json.loads(out.getvalue())
    extra = report["extra"]
    assert extra["pack"] == "zhangwu-2020@2" and extra["identical"] == {"households": 200, "columns": 106}
    assert set(extra["spark_seconds"]) == {"session_start", "handoff_parquet", "rules", "result_back_parquet"}
    assert report["baselines"]["polars"]["seconds"] > 0
