"""The 2017 county scheme (daily 20 + annual 80) against the spec's worked examples 16-18."""

from __future__ import annotations

import pytest

from fupin.assessment.engine import InputError

from .kit import dec, one, shipped

ANNUAL = {"unit": 18, "team": 52}


@pytest.fixture(scope="module")
def scheme():
    return shipped("zhangwu-2017-team")


def test_parts_are_daily_20_and_annual_80(scheme):
    assert [(p.title, p.max) for p in scheme.parts] == [("日常考核", 20), ("年度考核", 80)]
    assert [(i.id, i.max) for i in scheme.indicators] == [("daily", 20), ("unit", 20), ("team", 60)]


def test_daily_deductions(scheme):  # example 16
    daily = {"1": 1, "1b": 1, "2": 2, "2b": 1, "3b": 1, "4": 1}
    result = one(scheme, {"daily": daily, **ANNUAL}).indicator("daily")
    assert result.score == dec(13)
    assert "扣分合计 7 分" in result.explanation


def test_daily_floor(scheme):  # example 17: 11 stage tasks not done → 0, not −2
    assert one(scheme, {"daily": {"1": 11}, **ANNUAL}).indicator("daily").score == dec(0)


def test_total(scheme):  # example 18
    daily = {"1": 1, "1b": 1, "2": 2, "2b": 1, "3b": 1, "4": 1}
    assert one(scheme, {"daily": daily, **ANNUAL}).score == dec(83)


def test_annual_scores_are_bounded(scheme):
    with pytest.raises(InputError) as caught:
        one(scheme, {"unit": 21, "team": 52})
    assert "得分应在 0–20 之间" in caught.value.messages[0]
