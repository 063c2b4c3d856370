"""The vectorised import path gives exactly what the per-record path gives: the same staging rows
for every household, and the same problems (the households it cannot prove clean go the per-record
way). Files are generated, then cells are overwritten with awkward values at random."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin.core.validators import id_check_digit
from fupin.registry import income
from fupin.registry.dictionaries import code_lists_for_year
from fupin.registry.io import columnar
from fupin.registry.io import layout as layouts
from fupin.registry.io.importer import _villages
from fupin.registry.io.records import Context, HouseholdReader

from .kit import YEAR, col, generated

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

AWKWARD = ["", " ", "0", "-1", "13", "abc", "是", "否", "2099-01-01", "1880-01-01", "2019/5/6", "1,234.5",
           "-0.01", "99999999999.00", "12.345", "户主", "配偶", "之子", "男", "女", "在户", "死亡", "销号",
           "210922193604207986", "21092219360420798X", "2109221936042079", "21092219360420798641",
           "13800000000", "0418-1234567", "1380000", "A级", "D级", "210922100201", "999999999999",
           "2020", "2019", "x" * 60]


def _read(header, rows, *, fast: bool, prefixes=None):
    layout = layouts.build(header, year_given=True)
    ctx = Context(year=YEAR, codes=code_lists_for_year(YEAR), allowed_prefixes=prefixes, villages=_villages())
    accepted, rejected = [], []
    reader = HouseholdReader(layout, ctx, accept=lambda s: accepted.append((_text(s.household),
                                                                            [_text(p) for p in s.persons])),
                             reject=lambda hn, problems, n: rejected.append((hn, sorted(problems, key=repr), n)),
                             strict_width=True, vectorised=fast)
    for number, cells in enumerate(rows, start=2):
        reader.feed(number, list(cells))
    reader.close()
    return sorted(accepted), sorted(rejected, key=repr), reader


def _text(row: tuple) -> tuple:
    """Amounts as the text the database is given (the batch path keeps them as text, the per-record
    path as Decimal)."""
    return tuple(str(v) if isinstance(v, Decimal) else v for v in row)


def _same_both_ways(header, rows, prefixes=None):
    slow = _read(header, rows, fast=False, prefixes=prefixes)
    fast = _read(header, rows, fast=True, prefixes=prefixes)
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
    return fast


@pytest.mark.django_db
def test_a_clean_file_is_staged_by_the_batch_checks_alone(dictionaries, monkeypatch):
    header, rows = generated(households=60, seed=11)
    calls = []
    original = HouseholdReader._household
    monkeypatch.setattr(HouseholdReader, "_household", lambda self, *a: calls.append(a[0]) or original(self, *a))
    accepted, rejected, _reader = _read(header, rows, fast=True)
    assert not rejected and len(accepted) == 60
    assert calls == []  # nothing needed the per-record path
    monkeypatch.undo()
    _same_both_ways(header, rows)


@pytest.mark.django_db
@settings(SETTINGS, max_examples=30)
@given(edits=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 200), st.sampled_from(AWKWARD)),
                      min_size=1, max_size=8))
def test_edited_files_give_the_same_rows_and_problems_both_ways(dictionaries, edits):
    header, rows = generated(households=25, seed=5)
    for r, c, value in edits:
        rows[r % len(rows)][c % len(header)] = value
    _same_both_ways(header, rows)


@pytest.mark.django_db
def test_scope_and_households_split_or_gone_are_judged_alike(dictionaries):
    header, rows = generated(households=30, seed=3)
    hn, status = col(header, "户编号"), col(header, "户状态")
    rows.append(list(rows[0]))  # 户编号 again, away from its block
    rows[5][status] = "自然减少"
    accepted, rejected, reader = _same_both_ways(header, rows, prefixes=[rows[0][col(header, "行政村代码")][:9]])
    assert rejected and reader.repeated.get(rows[0][hn])


@SETTINGS
@given(st.lists(st.text(alphabet="0123456789X٣ ", min_size=0, max_size=19), min_size=1, max_size=30))
def test_id_check_agrees_with_the_validator(numbers):
    fast = columnar.id_check_ok(numbers)
    for number, ok in zip(numbers, fast, strict=True):
        expected = (len(number) == 18 and all("0" <= c <= "9" for c in number[:17]) and number[17] in "0123456789X"
                    and id_check_digit(number[:17]) == number[17])
        assert ok == expected, number


@SETTINGS
@given(st.lists(st.tuples(*[st.one_of(st.none(), st.integers(-10**6, 10**9)) for _ in income.INPUTS],
                          st.integers(0, 12)), min_size=1, max_size=30))
def test_income_arithmetic_agrees_with_compute_income(households):
    frame = pl.DataFrame([(*values, members) for *values, members in households],
                         schema=[*income.INPUTS, "members"], orient="row")
    computed = columnar.income_cents(frame)
    for h, (*values, members) in enumerate(households):
        expected = income.compute_income({n: None if v is None else Decimal(v).scaleb(-2)
                                          for n, v in zip(income.INPUTS, values, strict=True)}, members)
        for name in income.COMPUTED:
            negative = computed["net_negative" if name == "per_capita_net_income" else "disposable_negative"][h]
            got = pl.select(columnar.money_text(pl.lit(computed[name][h], pl.Int64),
                                                pl.lit(negative and name.startswith("per_capita")))).item()
            assert got == str(expected[name]), (name, values, members)

