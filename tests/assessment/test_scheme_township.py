"""The township table (附件15): 30/30/30/10, at most one third 优秀, five disqualifiers (E14-E17)."""

from __future__ import annotations

import pytest

from fupin.assessment.engine import quota_counts

from .kit import dec, run, shipped

SCHEME = "zhangwu-2020-township"


def full(scheme, **changes):
    return {**{i.id: float(i.max) for i in scheme.indicators}, **changes}


def township(scheme, i, score_drop=0, **extra):
    return {"id": f"z{i}", "name": f"乡镇{i}", "findings": full(scheme, **{"2.2": 10 - score_drop}), **extra}


@pytest.fixture(scope="module")
def scheme():
    return shipped(SCHEME)


def test_structure_and_the_row_that_does_not_add_up(scheme):  # E14
    assert [(p.title, p.max, p.items_max) for p in scheme.parts] == [
        ("责任落实", 30, 30), ("脱贫成效", 30, 30), ("扶贫资金", 30, 30), ("驻村帮扶与社会动员", 10, 5)]
    assert any("驻村帮扶与社会动员" in w and "合计 5 分" in w for w in scheme.warnings)


def test_part_four_scaled_to_ten_by_default(scheme):
    result = run(scheme, {"id": "z", "findings": full(scheme, **{"4.1": 2.5, "4.2": 1.25})}).subject("z")
    assert result.score == dec("97.5")  # part 4: (2.5 + 1.25) × 10/5 = 7.5
    assert result.components[0].parts[-1].score == dec("7.5")


def test_part_four_as_printed_option():
    scheme = shipped(SCHEME, part4_items="as_printed")
    result = run(scheme, {"id": "z", "findings": full(scheme)}).subject("z")
    assert result.score == dec(95)


@pytest.mark.parametrize("n, top", [(24, 8), (10, 3), (2, 0)])
def test_one_third_excellent(scheme, n, top):  # E15
    assert quota_counts(scheme, n)["优秀"] == top


def test_disqualified_township_is_not_excellent(scheme):  # E16
    teams = [township(scheme, i, i) for i in range(6)]
    teams[0]["facts"] = {"fund_rules_violated": True}
    result = run(scheme, *teams)
    first = result.subject("z0")
    assert first.rank == 1 and first.score == dec(100) and first.grade == ""
    assert [s.id for s in result.ranking() if s.grade == "优秀"] == ["z1", "z2"]
    assert first.effects == ["no_award"]


def test_annual_plan_not_completed_means_an_interview(scheme):  # E17
    result = run(scheme, township(scheme, 1, facts={"plan_not_completed": True})).subject("z1")
    assert result.effects == ["no_award", "interview"]
    assert "约谈" in result.vetoes[0].text


def test_deduction_items_entered_by_the_assessor(scheme):
    result = run(scheme, township(scheme, 1, adjustments={"media": {"points": 2, "note": "某舆情事件"}})).subject("z1")
    assert result.score == dec(98) and "某舆情事件" in result.adjustments[0].text
