"""The provincial 2020 table (8 items, 15 indicators, 80/20, grade quotas and caps): examples 19-23."""

from __future__ import annotations

import pytest

from fupin.assessment.engine import InputError, quota_counts

from .kit import dec, run, shipped

SCHEME = "liaoning-2020-province-team"
ENTERED = {"1": 8, "2": 3, "3": 4, "4": 3, "5": 4, "6": 8, "7": 7, "8": 8, "9": 7, "12": 5, "13": 5, "15": 5}


def direct(i, province, county, problems=2, group="彰武县", **extra):
    return {"id": f"t{i}", "name": f"工作队{i}", "group": group,
            "components": {"province": {"score": province}, "county": {"score": county}},
            "problems": [f"问题{n}" for n in range(problems)], **extra}


@pytest.fixture(scope="module")
def scheme():
    return shipped(SCHEME)


def test_structure(scheme):
    assert len(scheme.indicators) == 15 and sum(p.max for p in scheme.parts) == 100
    assert [(p.title, p.max) for p in scheme.parts] == [
        ("党建工作情况", 15), ("责任落实情况", 15), ("计划制定与执行情况", 15), ("产业扶贫情况", 15),
        ("村集体经济情况", 5), ("结对帮扶情况", 10), ("协调落实资金项目情况", 20), ("群众认可情况", 5)]
    province = scheme.component("province")
    assert province.weight == dec("0.8") and province.indicators == ("6", "7", "8", "9", "10", "11", "14")


@pytest.mark.parametrize("province, county, expected", [(90, 95, 91), (85, 100, 88)])
def test_composite_80_20(scheme, province, county, expected):  # examples 19 and 20
    assert run(scheme, direct(1, province, county)).subject("t1").score == dec(expected)


def test_quotas_for_20_teams(scheme):  # example 22
    assert quota_counts(scheme, 20) == {"好": 6, "较好": 6, "合格": 7, "基本合格": 1}


def test_grades_follow_the_ranking_within_each_county(scheme):
    teams = [direct(i, 90 - i, 90 - i) for i in range(20)] + [direct(99, 80, 80, group="阜新县")]
    result = run(scheme, *teams)
    grades = [result.subject(f"t{i}").grade for i in range(20)]
    assert grades == ["好"] * 6 + ["较好"] * 6 + ["合格"] * 7 + ["基本合格"]
    assert result.subject("t99").rank == 1 and result.subject("t99").grade == "合格"


def test_proposed_grades_are_checked_against_the_caps(scheme):  # example 21
    result = run(scheme, direct(1, 98, 98, proposed_grade="好"), direct(2, 95, 95, proposed_grade="较好"),
                 direct(3, 93, 93, proposed_grade="合格"), direct(4, 80, 80, proposed_grade="合格"),
                 direct(5, 80, 80, proposed_grade="合格"), direct(6, 70, 70, proposed_grade="合格"),
                 direct(7, 70, 70, proposed_grade="合格"), direct(8, 70, 70, proposed_grade="合格"),
                 direct(9, 70, 70, proposed_grade="合格"), direct(10, 60, 60, proposed_grade="合格"))
    assert result.subject("t1").problems == ["“好”分值不超过 97 分，现为 98 分"]
    assert result.subject("t2").problems == []
    assert result.subject("t3").problems == ["“合格”分值不超过 92 分，现为 93 分"]
    assert result.subject("t1").score == dec(98)  # a proposed grade is checked, never silently changed


def test_proposed_grades_over_the_quota(scheme):
    teams = [direct(i, 90, 90, proposed_grade="好") for i in range(4)] + \
            [direct(i, 80, 80, proposed_grade="合格") for i in range(4, 10)]
    result = run(scheme, *teams)
    assert result.problems == ["彰武县共 10 个，“好”不超过 30%（3 个），拟定了 4 个"]


def test_automatic_grades_report_the_score_at_the_cap(scheme):
    result = run(scheme, *[direct(i, 100 - i, 100 - i) for i in range(4)])
    first = result.subject("t0")
    assert first.grade == "好" and first.score == dec(97)


def test_report_needs_two_problem_items(scheme):  # example 23
    result = run(scheme, direct(1, 90, 90, problems=1), direct(2, 90, 90, problems=2))
    assert result.subject("t1").problems == ["问题详情不少于2条，现有1条，考核情况报告不能上报"]
    assert result.subject("t2").problems == []


def findings(i, n):
    county = {**ENTERED, "10": {"total_income": 100 - i, "per_capita_income": 3000 - i},
              "11": 20 - i, "14": {"funds_2020": 50 - i, "funds_since_stationing": 300 - i}}
    province = {k: v for k, v in county.items() if k in ("6", "7", "8", "9", "10", "11", "14")}
    return {"id": f"t{i}", "group": "彰武县", "problems": ["甲", "乙"],
            "components": {"province": {"findings": province}, "county": {"findings": county}}}


def test_spot_check_scored_from_findings_and_rescaled(scheme):
    result = run(scheme, *[findings(i, 5) for i in range(5)])
    second = result.subject("t1")
    province = second.components[0]
    # 10: 8 × 4/5; 11: 5 × 4/5; 14: 20 × 4/5 → 6.4 + 4 + 16 + 30 (6,7,8,9) = 56.4 of 63 → 89.52
    assert province.score == dec("89.52")
    assert "56.4 ÷ 63 × 100 = 89.52" in province.explanation
    assert second.components[1].score == dec("93.4")
    assert second.score == dec("90.3")  # 0.8 × 89.5238 + 0.2 × 93.4 = 90.30


def test_ranking_split_option(scheme):
    tilted = shipped(SCHEME, ranking_split=1)
    result = run(tilted, *[findings(i, 5) for i in range(5)])
    line = result.subject("t1").indicator("14", "county").lines
    assert [(x.id, x.points) for x in line] == [("funds_2020", dec(16)), ("funds_since_stationing", dec(0))]


def test_findings_outside_the_spot_check_are_refused(scheme):
    subject = findings(0, 1)
    subject["components"]["province"]["findings"]["1"] = 8
    with pytest.raises(InputError) as caught:
        run(scheme, subject)
    assert "指标“1”不在省级抽考的范围内" in caught.value.messages[0]
