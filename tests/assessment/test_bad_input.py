"""Findings that cannot be scored are refused with a clear Chinese message, all problems at once."""

from __future__ import annotations

import pytest

from fupin.assessment.engine import InputError, choose_options, shipped_catalogue

from .kit import run, shipped

TEAM = "zhangwu-2020-team"
BASE = {"11": 1, "12": 1, "24": {"village": 100, "households": 100}}


def refused(scheme, *subjects) -> str:
    with pytest.raises(InputError) as caught:
        run(scheme, *subjects)
    return "\n".join(caught.value.messages)


@pytest.fixture(scope="module")
def team():
    return shipped(TEAM)


def test_unknown_indicator(team):
    text = refused(team, {"id": "a", "findings": {**BASE, "25": 1}})
    assert "未知的指标“25”" in text and "1–24" in text


def test_negative_count(team):
    assert "发现次数不能为负数：-3" in refused(team, {"id": "a", "findings": {**BASE, "1": -3}})


def test_fractional_count(team):
    assert "发现次数应为整数：1.5" in refused(team, {"id": "a", "findings": {**BASE, "1": 1.5}})


def test_satisfaction_above_100_percent(team):
    text = refused(team, {"id": "a", "findings": {**BASE, "24": {"village": 101, "households": 90}}})
    assert "所驻村满意度不能超过100%：101%" in text


def test_satisfaction_term_missing(team):
    assert "缺少计算项：households" in refused(team, {"id": "a", "findings": {**BASE, "24": {"village": 90}}})


def test_required_value_missing(team):
    text = refused(team, {"id": "a", "findings": {"24": {"village": 90, "households": 90}}})
    assert "缺少指标“11 派出单位投入和协调落实驻村项目资金”的数值（用于比较）" in text


def test_flag_given_a_number(team):
    assert "应为 true（存在此情形）或 false" in refused(team, {"id": "a", "findings": {**BASE, "13": 2}})


def test_several_clauses_need_names(team):
    assert "指标15有多条扣分规则" in refused(team, {"id": "a", "findings": {**BASE, "15": 1}})


def test_count_above_the_number_of_items(team):
    assert "最多 2 项，实为 3" in refused(team, {"id": "a", "findings": {**BASE, "2": 3}})


def test_best_below_the_own_value(team):
    text = refused(team, {"id": "a", "findings": {**BASE, "11": {"value": 50, "best": 40}}})
    assert "所给最高值 40 小于本单位数值 50" in text


def test_duplicate_subject_ids(team):
    assert "与 subjects[0] 重复" in refused(team, {"id": "a", "findings": BASE}, {"id": "a", "findings": BASE})


def test_unknown_subject_key(team):
    assert "finding: 未知的键（是否想写 findings？）" in refused(team, {"id": "a", "finding": BASE})


def test_no_subjects(team):
    with pytest.raises(InputError) as caught:
        run(team)
    assert "非空的考核对象列表" in caught.value.messages[0]


def test_not_assessed_only_where_allowed(team):
    assert "不允许“不涉及、不考评”" in refused(team, {"id": "a", "findings": {**BASE, "1": "not_assessed"}})


def test_unknown_option():
    sf = shipped_catalogue().file(TEAM)
    with pytest.raises(InputError) as caught:
        choose_options(sf.options, {"attendence_unit": "day", "tie_rule": "random"})
    text = "\n".join(caught.value.messages)
    assert "未知的选项（是否想写 attendance_unit？）" in text
    assert "取值“random”无效" in text


def test_department_facts_and_adjustments():
    scheme = shipped("zhangwu-2020-department")
    findings = {i.id: float(i.max) for i in scheme.indicators}
    text = refused(scheme, {"id": "u", "findings": findings,
                            "adjustments": {"criticism": {"county": 1}, "praise": 1}})
    assert "缺少“全面完成当年脱贫任务”（true 或 false）" in text
    assert "criticism.county: 未知的级别" in text
    assert "未知的加减分项" in text


def test_components_needed_for_the_province_scheme():
    scheme = shipped("liaoning-2020-province-team")
    text = refused(scheme, {"id": "t", "findings": {}})
    assert "请写在 components 下" in text and "components: 应为" in text
    text = refused(scheme, {"id": "t", "components": {"county": {"score": 90}}})
    assert "缺少“省级抽考”的结果" in text


def test_proposed_grades_all_or_none():
    scheme = shipped("liaoning-2020-province-team")
    team = {"components": {"province": {"score": 90}, "county": {"score": 90}}}
    text = refused(scheme, {"id": "a", "proposed_grade": "好", **team}, {"id": "b", **team},
                   {"id": "c", "proposed_grade": "优秀", **team})
    assert "要么都填，要么都不填" in text and "未知的等次“优秀”" in text
