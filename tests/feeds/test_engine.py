"""The matching engine and the file reader without the database: the quick pass over every row and the
second look at the rows it fails give every row the message it had, the registry side matches one person
per ID number, and the household rule finds the right households whatever each village's parameter."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from fupin.feeds import engine
from fupin.feeds.kinds import feed_kind
from fupin.feeds.reading import LayoutError, read_feed

from .conftest import MEDICAL_HEADER, write_csv

KIND = feed_kind("medical_insurance")
VILLAGE, OTHER = "210922101201", "210922101202"


def with_check(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, engine.ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


WANG = with_check("21092219600302001")   # born 1960-03-02
LI = with_check("21092219620715002")
ZHAO = with_check("21092219550109003")
XIAO = next(n for n in (with_check(f"210922196501010{i:02d}") for i in range(100)) if n.endswith("X"))


def claims(rows: list[list[str]]) -> pl.DataFrame:
    """Rows as `read_feed` gives them: text columns by key, `_row` from 2."""
    keys = [c.key for c in KIND.columns]
    return pl.DataFrame([dict(zip(keys, r, strict=True)) for r in rows], schema={k: pl.Utf8 for k in keys}) \
        .with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Int64))


def claim(id_number: str, number: str, day: str = "2020-05-01", paid: str = "100.00") -> list[str]:
    return ["王福", id_number, number, "彰武县人民医院", "", day, "300.00", paid]


def registry(*people: tuple[str, int, int, str, int]) -> pl.DataFrame:
    """(ID number, person, household, village, 家庭纯收入 in cents) per person."""
    return pl.DataFrame(list(people), schema=engine.REGISTRY_SCHEMA, orient="row")


def params(**factors: float) -> pl.DataFrame:
    return pl.DataFrame([(v, f, f"pack-{v}") for v, f in factors.items()], schema=engine.PARAMS_SCHEMA,
                        orient="row")


def match(frame, people, packs=None):
    return engine.feed_match(frame, KIND, year=2020, registry=people,
                             params=params(**{VILLAGE: 1.0}) if packs is None else packs)


def test_rows_failing_the_quick_pass_are_tidied_checked_again_and_keep_their_place():
    card = WANG + "21"                                   # a disability card number: the ID number, 2, 1
    leading_zero = with_check("01092219600302001")       # odd but well formed: checked by the pattern
    frame = claims([
        claim(WANG, "A1"),
        claim(card, "A2"),
        claim(leading_zero, "A3"),
        claim("+" + WANG[1:], "A4"),
        claim(with_check("21092219610229001"), "A5"),     # 29 February of a common year
        claim(with_check("21092219600229001"), "A6"),     # and of a leap year
        claim(f" {XIAO.lower()} ", "A7", day="2020/5/1"),
        ["  ", " ", "", "", "", "", "", " "],             # blank once tidied: left out
        claim(LI, "A8", day="2020-05-01 08:30:00", paid="1,300.50"),
        claim(LI, "A9", day="2020-02-30"),
        claim(LI, "A10", day="2019-12-31"),
    ])
    rows = engine.validate(frame, KIND, 2020)
    assert rows.get_column("_row").to_list() == [2, 3, 4, 5, 6, 7, 8, 10, 11, 12]
    problems = dict(zip(rows.get_column("_row"), rows.get_column("_problem"), strict=True))
    assert problems == {2: None, 3: None, 4: None, 7: None, 8: None, 10: None,
                        5: "身份证号应为18位，前17位为数字，末位为数字或X（残疾人证号为20位）",
                        6: "身份证号中的出生日期无效",
                        11: "“结算日期”不是有效日期（如 2020-05-01）",
                        12: "“结算日期”不在 2020 年度内"}
    tidied = rows.filter(pl.col("_row") == 8).row(0, named=True)
    assert tidied["id_number"] == XIAO and tidied["settled_on__date"] == dt.date(2020, 5, 1)
    converted = rows.filter(pl.col("_row") == 10).row(0, named=True)
    assert (converted["out_of_pocket__cents"], converted["settled_on__date"]) == (130050, dt.date(2020, 5, 1))


def test_an_id_number_the_registry_holds_twice_matches_its_first_person_once():
    people = registry((WANG, 1, 10, VILLAGE, 1_000_000), (WANG + "21", 2, 10, VILLAGE, 1_000_000),
                      (LI, 3, 11, VILLAGE, 1_000_000))
    result = match(claims([claim(WANG, "A1"), claim(LI, "A2"), claim(ZHAO, "A3")]), people)
    assert result.rows.select("_row", "person_id", "_status").rows() == [
        (2, 1, engine.ACCEPTED), (3, 3, engine.ACCEPTED), (4, None, engine.UNKNOWN)]


def test_repeated_facts_name_the_first_row_even_with_spaces_around_them():
    people = registry((WANG, 1, 10, VILLAGE, 1_000_000))
    frame = claims([claim(WANG, "A1"), claim(WANG, "A2"), claim(WANG, " A1 "), claim(WANG, "A1", day="2020/5/1")])
    result = match(frame, people)
    assert result.rows.select("_status", "_problem").rows() == [
        (engine.ACCEPTED, None), (engine.ACCEPTED, None), (engine.DUPLICATE, "与第2行重复"),
        (engine.DUPLICATE, "与第2行重复")]


def test_each_village_its_own_limit_and_the_alert_names_the_first_of_equal_largest_claims():
    people = registry((WANG, 1, 10, VILLAGE, 100_000), (LI, 2, 10, VILLAGE, 100_000),
                      (ZHAO, 3, 20, OTHER, 100_000))
    frame = claims([claim(WANG, "A1", paid="400.00"), claim(LI, "A2", paid="400.00"),
                    claim(ZHAO, "B1", paid="800.00")])
    # 800 yuan per household: over half the income (500) in 富有, under twice it (2,000) in the other village
    alerts = match(frame, people, params(**{VILLAGE: 0.5, OTHER: 2.0})).alerts
    assert alerts.select("household_id", "person_id", "value_cents", "limit_cents", "pack", "facts").rows() == [
        (10, 1, 80_000, 50_000, f"pack-{VILLAGE}", 2)]
    assert alerts.get_column("_fact_key").to_list() == [f"{WANG}|A1"]
    assert match(frame, people, params(**{VILLAGE: 2.0, OTHER: 0.5})).alerts.get_column("household_id").to_list() \
        == [20]


def test_the_steps_report_their_time():
    timings = {}
    engine.feed_match(claims([claim(WANG, "A1")]), KIND, year=2020, registry=registry((WANG, 1, 10, VILLAGE, 1)),
                      params=params(**{VILLAGE: 1.0}), timings=timings)
    assert set(timings) == {"validate", "repeated facts", "registry match", "rule"}


def test_a_utf8_file_with_a_bom_and_a_title_row_is_read_from_its_path(tmp_path):
    path = tmp_path / "m.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write("彰武县医保结算数据\n" + ",".join(MEDICAL_HEADER) + "\n" + ",".join(claim(WANG, "A1")) + "\n")
    assert read_feed(path, KIND).rows() == [(3, *[cell or None for cell in claim(WANG, "A1")])]


def test_bad_utf8_after_the_first_megabyte_and_a_blank_file_are_refused(tmp_path):
    path = write_csv(tmp_path / "m.csv", MEDICAL_HEADER, [claim(WANG, f"长编号{i:06d}") for i in range(20000)])
    with open(path, "ab") as fh:
        fh.write(",".join(claim(WANG, "尾行")).encode("gbk") + b"\n")
    assert path.stat().st_size > 1 << 20
    with pytest.raises(LayoutError) as caught:
        read_feed(path, KIND)
    assert caught.value.code == "bad_encoding"
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b" \r\n" * 700_000)
    with pytest.raises(LayoutError) as caught:
        read_feed(blank, KIND)
    assert caught.value.code == "empty_file"
