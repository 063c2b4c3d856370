"""The Zhangwu 2020 team table (附件1, 24 indicators) against the spec's worked examples (part 01)."""

from __future__ import annotations

import pytest

from fupin.assessment.engine import InputError

from .kit import dec, one, run, shipped

SCHEME = "zhangwu-2020-team"


@pytest.fixture(scope="module")
def scheme():
    return shipped(SCHEME)


# The indicators that need a value (comparisons, the satisfaction formula), at their best.
BASE = {"11": 1, "12": 1, "24": {"village": 100, "households": 100}}


def score_of(scheme, indicator, finding):
    return one(scheme, {**BASE, indicator: finding}).indicator(indicator).score


def test_table_maxima_add_up_to_100(scheme):  # example 38
    assert [(p.title, p.max) for p in scheme.parts] == [
        ("党建工作", 20), ("组织领导", 6), ("发展产业项目", 21), ("结对帮扶", 15), ("工作队管理", 30), ("驻村帮扶满意度", 8)]
    assert sum(i.max for i in scheme.indicators) == 100
    assert [i.id for i in scheme.indicators] == [str(n) for n in range(1, 25)]


@pytest.mark.parametrize("items, expected", [(7, "1.5"), (12, "0")])  # examples 1 and 2
def test_records_incomplete(scheme, items, expected):
    assert score_of(scheme, "20", items) == dec(expected)


@pytest.mark.parametrize("village, households, expected", [(90, 95, "7.4"), (75, 80, "6.2"), (100, 100, "8")])
def test_satisfaction(scheme, village, households, expected):  # examples 3 and 4
    assert score_of(scheme, "24", {"village": village, "households": households}) == dec(expected)


def test_knowing_the_village(scheme):  # examples 5 and 6
    assert score_of(scheme, "19", {"households_unknown": 3}) == dec(4)
    assert score_of(scheme, "19", {"village_unknown": True, "households_unknown": 8}) == dec(0)


@pytest.mark.parametrize("finding, expected", [
    ({"no_project": True}, 0),
    ({"no_staged_results": True}, 3),
    ({"no_income_gain": True}, 1),
    ({"no_staged_results": True, "no_income_gain": True}, 0),
])
def test_industry_project_clauses(scheme, finding, expected):  # example 7
    assert score_of(scheme, "15", finding) == dec(expected)


@pytest.mark.parametrize("sessions, expected", [(1, 1), (3, 2), (0, 0), (2, 2)])
def test_party_group_sessions(scheme, sessions, expected):  # example 8
    assert score_of(scheme, "9", sessions) == dec(expected)


def test_activists_and_new_members(scheme):  # example 9
    assert score_of(scheme, "4", {"activists": True}) == dec("0.5")
    assert score_of(scheme, "4", {"activists": True, "new_member": True}) == dec(0)


def test_party_relation_transfer(scheme):  # example 10: only members who are there count
    assert score_of(scheme, "23", 1) == dec(2)
    assert score_of(scheme, "23", 0) == dec(3)


@pytest.mark.parametrize("months, expected", [(3, 2), (7, 0)])
def test_township_secretary_signature(scheme, months, expected):  # example 11
    assert score_of(scheme, "22", months) == dec(expected)


def test_pairing_measures_exemption(scheme):  # example 12
    assert score_of(scheme, "17", {"households": 4}) == dec(1)
    assert score_of(scheme, "17", {"households": 4, "agreed_no_cadre_pairing": True}) == dec(5)
    assert score_of(scheme, "18", {"households": 2, "agreed_no_cadre_pairing": True}) == dec(5)


def test_funds_proportional_to_the_largest(scheme):  # example 13
    result = run(scheme, {"id": "a", "findings": {**BASE, "11": 200}}, {"id": "b", "findings": {**BASE, "11": 50}})
    assert result.subject("a").indicator("11").score == dec(3)
    assert result.subject("b").indicator("11").score == dec("0.75")


def test_funds_rank_option(scheme):
    ranked = shipped(SCHEME, proportional_method="rank")
    result = run(ranked, {"id": "a", "findings": {**BASE, "11": 200}}, {"id": "b", "findings": {**BASE, "11": 50}})
    assert result.subject("b").indicator("11").score == dec("1.5")  # 3 × (2 − 2 + 1) / 2


def test_attendance_person_months(scheme):  # example 14, interpretation (i), the default
    assert score_of(scheme, "21", {"member_months_short": 2}) == dec(8)
    assert score_of(scheme, "21", {"member_months_short": 12}) == dec(0)
    assert score_of(scheme, "21", {"member_months_short": 2, "staff_short": 3}) == dec(5)


def test_attendance_day_option_counts_missing_days():
    scheme = shipped(SCHEME, attendance_unit="day")
    result = one(scheme, {**BASE, "21": {"member_months_short": 2, "days_short": 4}}).indicator("21")
    assert result.score == dec(6)
    assert "按所选口径不计" in result.explanation


def test_total_of_example_15(scheme):
    subject = one(scheme, {"1": 3, "20": 5, "21": {"member_months_short": 12},
                           "24": {"village": 92, "households": 88}, "11": 120, "12": 15})
    assert subject.score == dec("83.7")
    assert subject.indicator("21").explanation.endswith("最多扣 10 分；得 0 分")


def test_every_indicator_cites_the_seed(scheme):
    assert all(i.cites and i.criterion for i in scheme.indicators)


def test_unknown_indicator_and_negative_count_are_refused(scheme):
    with pytest.raises(InputError) as caught:
        one(scheme, {"25": 1, "14": -2, "24": {"village": 120, "households": 90}, "11": 10, "12": 1})
    text = "\n".join(caught.value.messages)
    assert "未知的指标“25”" in text and "不能为负数" in text and "不能超过100%" in text
