"""The department table (附件16 附表): grades, bonuses and penalties, one-vote veto, direct fail (E1-E13)."""

from __future__ import annotations

import pytest

from .kit import dec, run, shipped

SCHEME = "zhangwu-2020-department"


@pytest.fixture(scope="module")
def scheme():
    return shipped(SCHEME)


def table(scheme, total, **changes):
    """Points for every item adding up to `total`: full marks, lowered from the last item backwards."""
    values = {i.id: float(i.max) for i in scheme.indicators}
    short = 100 - total
    for indicator in reversed(scheme.indicators):
        taken = min(short, float(indicator.max))
        values[indicator.id] -= taken
        short -= taken
    return {**values, **changes}


def unit(scheme, total, *, done=True, **extra):
    findings = extra.pop("findings", None) or table(scheme, total)
    return run(scheme, {"id": "u", "name": "县某局", "findings": findings,
                        "facts": {"tasks_completed": done, **extra.pop("facts", {})}, **extra}).subject("u")


def test_table_maxima(scheme):  # E13
    assert [(p.title, p.max) for p in scheme.parts] == [
        ("政策落实情况", 20), ("工作举措", 20), ("工作开展情况", 30), ("脱贫成效", 20), ("综合考评", 10)]
    assert sum(i.max for i in scheme.indicators) == 100


@pytest.mark.parametrize("total, done, grade", [
    (92, True, "优秀"), (90, True, "优秀"), (95, False, "较差"), (85, True, "良好"), (80, True, "良好"),
    (79, True, "较差")])
def test_grades(scheme, total, done, grade):  # E1-E6
    assert unit(scheme, total, done=done).grade == grade


def test_not_completing_the_tasks_is_a_veto(scheme):  # E3
    result = unit(scheme, 95, done=False)
    assert "accountability" in result.effects and "circulate" in result.effects


def test_bonus_and_penalty_arithmetic(scheme):  # E7
    result = unit(scheme, 84, adjustments={"commendation": {"national": 1}, "media_article": {"provincial": 1},
                                           "criticism": {"city": 1}})
    assert result.score == dec(88) and result.grade == "良好"
    assert result.steps[-1] == "加减分：84 + 5 + 2 − 3 = 88 分"


def test_no_upper_cap(scheme):  # E8
    result = unit(scheme, 98, adjustments={"commendation": {"provincial": 1}})
    assert result.score == dec(102) and result.grade == "优秀"


def test_no_lower_floor(scheme):  # E9
    result = unit(scheme, 70, adjustments={"criticism": {"national": 2}})
    assert result.score == dec(60) and result.grade == "较差"
    assert [v.id for v in result.vetoes] == ["poor_grade"]


def test_veto_by_count(scheme):  # E10
    result = unit(scheme, 95, adjustments={"criticism": {"city": 3}})
    assert result.score == dec(86) and result.grade == "良好"
    assert [v.id for v in result.vetoes] == ["criticised_three_times"]
    assert result.effects == ["no_award", "accountability"]


def test_veto_by_unannounced_visit(scheme):  # E11
    result = unit(scheme, 93, adjustments={"unannounced_criticism": {"provincial": 1}})
    assert result.score == dec(89) and [v.id for v in result.vetoes] == ["unannounced"]


def test_unannounced_visit_veto_only_option():
    scheme = shipped(SCHEME, unannounced_deducts="veto_only")
    result = unit(scheme, 93, adjustments={"unannounced_criticism": {"provincial": 1}})
    assert result.score == dec(93) and result.grade == "良好"  # 优秀 by score, blocked by the veto


def test_veto_keeps_excellent_option():
    scheme = shipped(SCHEME, unannounced_deducts="veto_only", veto_and_excellent="keeps")
    assert unit(scheme, 93, adjustments={"unannounced_criticism": {"provincial": 1}}).grade == "优秀"


def test_weights_option(scheme):  # E12: policy 10 of 20, everything else full
    findings = table(scheme, 100, **{"1.1": 3, "1.2": 2, "1.3": 3, "1.4": 2, "1.5": 0, "1.6": 0, "1.7": 0})
    assert unit(scheme, 0, findings=findings).score == dec(90)
    weighted = shipped(SCHEME, weighting="stated_weights")
    assert unit(weighted, 0, findings=findings).score == dec(95)


def test_items_not_relevant_are_rescaled(scheme):
    findings = table(scheme, 95, **{"2.3": "not_assessed"})  # 90 of the 95 assessed points
    result = unit(scheme, 0, findings=findings)
    assert result.score == dec("94.74")
    assert result.indicator("2.3").explanation == "不涉及本单位，不考评"
    full_marks = shipped(SCHEME, not_assessed_items="full_marks")
    assert unit(full_marks, 0, findings=findings).score == dec(95)


def test_direct_fail(scheme):
    result = unit(scheme, 96, facts={"village_not_exited": True})
    assert result.grade == "不合格"
    assert {v.id for v in result.vetoes} == {"village_not_exited", "poor_grade"}
    mapped = shipped(SCHEME, direct_fail_grade="较差")
    assert unit(mapped, 96, facts={"village_not_exited": True}).grade == "较差"


def test_score_gap_between_89_and_90(scheme):
    result = unit(scheme, 89.5)
    assert result.score == dec("89.5") and result.grade == "良好"
    assert unit(shipped(SCHEME, score_gap="round_to_integer"), 89.5).grade == "优秀"


def test_ranking_by_category(scheme):
    units = [{"id": f"u{i}", "group": group, "findings": table(scheme, 90 - i), "facts": {"tasks_completed": True}}
             for i, group in enumerate(["行业部门", "行业部门", "驻村单位"])]
    result = run(scheme, *units)
    assert [(s.group, s.id, s.rank) for s in result.ranking()] == [
        ("行业部门", "u0", 1), ("行业部门", "u1", 2), ("驻村单位", "u2", 1)]
