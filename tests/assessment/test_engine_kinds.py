"""The engine, one indicator kind at a time, on small schemes written for the test."""

from __future__ import annotations

import pytest

from fupin.assessment.engine import InputError

from .kit import dec, one, run, scheme_from

DEDUCTION = """
max = 10
[[parts]]
id = "p"
title = "部分"
max = 10
[[parts.indicators]]
id = "1"
title = "多条扣分"
max = 10
kind = "deduction"
cap = 8
cite = [{ seed = "000", quote = "测试引文足够长" }]
[[parts.indicators.clauses]]
id = "problems"
title = "问题（处）"
per = 1.5
cap = 6
[[parts.indicators.clauses]]
id = "missing"
title = "缺项"
points = 3
[[parts.indicators.clauses]]
id = "meetings"
title = "会议（次）"
at_least = 2
per = 1
"""


def test_deduction_per_occurrence(tmp_path):
    result = one(scheme_from(tmp_path, DEDUCTION), {"1": {"problems": 2}}).indicator("1")
    assert result.score == dec(7)
    assert "2 × 1.5 分 = 扣 3 分" in result.explanation and "10 − 3 = 7" in result.explanation


def test_clause_cap_then_indicator_cap(tmp_path):
    scheme = scheme_from(tmp_path, DEDUCTION)
    # 5 problems × 1.5 = 7.5, clause cap 6; plus the fixed 3 = 9, indicator cap 8 → 10 − 8 = 2
    result = one(scheme, {"1": {"problems": 5, "missing": True}}).indicator("1")
    assert result.score == dec(2)
    assert "本条最多扣 6 分" in result.explanation and "最多扣 8 分" in result.explanation


def test_several_clauses_in_one_indicator_add_up(tmp_path):
    result = one(scheme_from(tmp_path, DEDUCTION), {"1": {"problems": 1, "missing": True}}).indicator("1")
    assert result.score == dec("5.5")
    assert [line.id for line in result.lines] == ["problems", "missing"]


def test_shortfall_clause_counts_what_is_missing(tmp_path):
    scheme = scheme_from(tmp_path, DEDUCTION)
    assert one(scheme, {"1": {"meetings": 0}}).indicator("1").score == dec(8)
    assert one(scheme, {"1": {"meetings": 1}}).indicator("1").score == dec(9)
    assert one(scheme, {"1": {"meetings": 3}}).indicator("1").score == dec(10)


def test_no_finding_means_full_marks(tmp_path):
    result = one(scheme_from(tmp_path, DEDUCTION)).indicator("1")
    assert result.score == dec(10) and "未发现扣分情形" in result.explanation


def test_floor_of_zero_without_a_cap(tmp_path):
    body = DEDUCTION.replace("cap = 8\n", "").replace("cap = 6\n", "")
    result = one(scheme_from(tmp_path, body), {"1": {"problems": 20}}).indicator("1")
    assert result.score == dec(0) and "扣至0分为止" in result.explanation


def test_exemption_cancels_the_deductions(tmp_path):
    body = DEDUCTION.replace('cap = 8\n', 'cap = 8\nexemption = { id = "agreed", title = "双方同意不结对" }\n')
    scheme = scheme_from(tmp_path, body)
    assert one(scheme, {"1": {"problems": 2, "agreed": False}}).indicator("1").score == dec(7)
    exempt = one(scheme, {"1": {"problems": 2, "agreed": True}}).indicator("1")
    assert exempt.score == dec(10) and "双方同意不结对" in exempt.explanation
    assert not any(line.counted for line in exempt.lines)


COMPARATIVE = """
max = 5
comparison_set = "{comparison}"
rank_formula = "{formula}"
[[parts]]
id = "p"
title = "部分"
max = 5
[[parts.indicators]]
id = "1"
title = "资金"
max = 5
kind = "comparative"
method = "{method}"
cite = [{{ seed = "000", quote = "测试引文足够长" }}]
[[parts.indicators.measures]]
id = "funds"
title = "资金"
points = 5
unit = "万元"
"""


def comparative(tmp_path, method="value_over_best", comparison="run", formula="top_full_last_share"):
    return scheme_from(tmp_path, COMPARATIVE.format(method=method, comparison=comparison, formula=formula))


def test_proportional_to_the_best_of_the_run(tmp_path):
    result = run(comparative(tmp_path), {"id": "a", "findings": {"1": 200}}, {"id": "b", "findings": {"1": 50}})
    assert result.subject("a").indicator("1").score == dec(5)
    b = result.subject("b").indicator("1")
    assert b.score == dec("1.25") and "5 × 50 ÷ 200" in b.explanation


def test_proportional_comparison_set_by_group(tmp_path):
    result = run(comparative(tmp_path, comparison="group"),
                 {"id": "a", "group": "甲县", "findings": {"1": 200}},
                 {"id": "b", "group": "乙县", "findings": {"1": 50}})
    assert result.subject("b").indicator("1").score == dec(5)  # the best of its own county


def test_proportional_best_given_from_outside(tmp_path):
    result = run(comparative(tmp_path), {"id": "a", "findings": {"1": {"value": 50, "best": 400}}})
    a = result.subject("a").indicator("1")
    assert a.score == dec("0.63") and "所给比较范围内最高" in a.explanation


def test_proportional_when_the_best_is_zero(tmp_path):
    result = run(comparative(tmp_path), {"id": "a", "findings": {"1": 0}}, {"id": "b", "findings": {"1": 0}})
    assert result.subject("a").indicator("1").score == dec(0)
    assert "最高值为0" in result.subject("a").indicator("1").explanation


def test_rank_proportional_with_ties_sharing_the_better_rank(tmp_path):
    result = run(comparative(tmp_path, method="rank"),
                 {"id": "a", "findings": {"1": 30}}, {"id": "b", "findings": {"1": 20}},
                 {"id": "c", "findings": {"1": 20}}, {"id": "d", "findings": {"1": 5}})
    scores = {s: result.subject(s).indicator("1").score for s in "abcd"}
    # n = 4: 5 × 4/4, b and c both 2nd: 5 × 3/4, d 4th: 5 × 1/4
    assert scores == {"a": dec(5), "b": dec("3.75"), "c": dec("3.75"), "d": dec("1.25")}


def test_rank_proportional_last_gets_zero_option(tmp_path):
    result = run(comparative(tmp_path, method="rank", formula="top_full_last_zero"),
                 {"id": "a", "findings": {"1": 30}}, {"id": "b", "findings": {"1": 20}},
                 {"id": "c", "findings": {"1": 10}})
    assert [result.subject(s).indicator("1").score for s in "abc"] == [dec(5), dec("2.5"), dec(0)]


def test_rank_given_from_outside(tmp_path):
    result = run(comparative(tmp_path, method="rank"), {"id": "a", "findings": {"1": {"rank": 3, "of": 10}}})
    assert result.subject("a").indicator("1").score == dec(4)  # 5 × (10 − 3 + 1) / 10


FORMULA = """
max = 8
[[parts]]
id = "p"
title = "满意度"
max = 8
[[parts.indicators]]
id = "24"
title = "满意度"
max = 8
kind = "formula"
cite = [{ seed = "000", quote = "测试引文足够长" }]
[[parts.indicators.terms]]
id = "village"
title = "所驻村满意度"
factor = 4
[[parts.indicators.terms]]
id = "households"
title = "贫困户满意度"
factor = 4
"""


def test_formula_of_percentages(tmp_path):
    result = one(scheme_from(tmp_path, FORMULA), {"24": {"village": 90, "households": 95}}).indicator("24")
    assert result.score == dec("7.4")
    assert "所驻村满意度 90% × 4 分 + 贫困户满意度 95% × 4 分 = 3.6 + 3.8 = 7.4 分" == result.explanation


ENTERED_WEIGHTED = """
max = 100
weighted = {weighted}
[[parts]]
id = "a"
title = "甲"
max = 20
weight = 10
[[parts.indicators]]
id = "1"
title = "甲项"
max = 20
kind = "entered"
cite = [{{ seed = "000", quote = "测试引文足够长" }}]
[[parts]]
id = "b"
title = "乙"
max = 80
weight = 90
[[parts.indicators]]
id = "2"
title = "乙项"
max = 80
kind = "entered"
cite = [{{ seed = "000", quote = "测试引文足够长" }}]
"""


def test_entered_points_summed(tmp_path):
    result = one(scheme_from(tmp_path, ENTERED_WEIGHTED.format(weighted="false")), {"1": 10, "2": 80})
    assert result.score == dec(90)
    assert result.indicator("1").explanation == "考核组评定 10 分（满分 20）"


def test_weighted_composition_of_parts(tmp_path):
    result = one(scheme_from(tmp_path, ENTERED_WEIGHTED.format(weighted="true")), {"1": 10, "2": 80})
    assert result.score == dec(95)  # 10/20 × 10 + 80/80 × 90


COMPONENTS = """
max = 100
[[components]]
id = "province"
title = "省级抽考"
weight = 0.8
indicators = ["1"]
rescale = {rescale}
[[components]]
id = "county"
title = "县级考核"
weight = 0.2
[[parts]]
id = "p"
title = "部分"
max = 100
[[parts.indicators]]
id = "1"
title = "抽考项"
max = 60
kind = "entered"
cite = [{{ seed = "000", quote = "测试引文足够长" }}]
[[parts.indicators]]
id = "2"
title = "其他"
max = 40
kind = "entered"
cite = [{{ seed = "000", quote = "测试引文足够长" }}]
"""


def test_weighted_components_with_a_rescaled_subset(tmp_path):
    scheme = scheme_from(tmp_path, COMPONENTS.format(rescale="true"))
    subject = run(scheme, {"id": "a", "components": {"province": {"findings": {"1": 45}},
                                                     "county": {"findings": {"1": 60, "2": 35}}}}).subject("a")
    # province: 45/60 → 75; county 95; 0.8 × 75 + 0.2 × 95 = 60 + 19 = 79
    assert subject.score == dec(79)
    assert "= 60 + 19 = 79 分" in subject.steps[0]


def test_weighted_components_raw_subset(tmp_path):
    scheme = scheme_from(tmp_path, COMPONENTS.format(rescale="false"))
    subject = run(scheme, {"id": "a", "components": {"province": {"findings": {"1": 45}},
                                                     "county": {"score": 95}}}).subject("a")
    assert subject.score == dec(55)  # 0.8 × 45 + 0.2 × 95


ADJUSTED = """
max = 100
grading = "by_score"
{limits}
[[parts]]
id = "p"
title = "部分"
max = 100
[[parts.indicators]]
id = "1"
title = "得分"
max = 100
kind = "entered"
cite = [{{ seed = "000", quote = "测试引文足够长" }}]
[[facts]]
id = "done"
title = "完成任务"
[[adjustments]]
id = "praise"
title = "表彰"
sign = 1
levels = {{ national = 5, city = 3 }}
per_occurrence = {per}
cite = [{{ seed = "000", quote = "测试引文足够长" }}]
[[adjustments]]
id = "blame"
title = "通报批评"
sign = -1
levels = {{ national = 5, city = 3 }}
cite = [{{ seed = "000", quote = "测试引文足够长" }}]
[[vetoes]]
id = "three"
title = "批评3次以上"
when_adjustments = ["blame"]
at_least = 3
effects = ["no_award", "accountability"]
cite = [{{ seed = "000", quote = "测试引文足够长" }}]
[[vetoes]]
id = "poor"
title = "较差"
when_grade = ["较差"]
effects = ["accountability"]
cite = [{{ seed = "000", quote = "测试引文足够长" }}]
[[grades]]
name = "优秀"
min_score = 90
requires = ["done"]
award = true
max_score = {cap}
[[grades]]
name = "良好"
min_score = 80
requires = ["done"]
[[grades]]
name = "较差"
"""


def adjusted(tmp_path, limits="", per="true", cap=200):
    return scheme_from(tmp_path, ADJUSTED.format(limits=limits, per=per, cap=cap))


def test_bonus_may_lift_the_score_above_100(tmp_path):
    subject = one(adjusted(tmp_path), {"1": 98}, facts={"done": True}, adjustments={"praise": {"national": 1}})
    assert subject.score == dec(103) and subject.grade == "优秀"


def test_penalties_may_take_the_score_below_zero(tmp_path):
    subject = one(adjusted(tmp_path), {"1": 4}, facts={"done": True}, adjustments={"blame": {"national": 2}})
    assert subject.score == dec(-6) and subject.grade == "较差"
    assert [v.id for v in subject.vetoes] == ["poor"]


def test_scheme_floor_and_cap(tmp_path):
    scheme = adjusted(tmp_path, limits="total_floor = 0\ntotal_cap = 100")
    assert one(scheme, {"1": 4}, facts={"done": True}, adjustments={"blame": {"national": 2}}).score == dec(0)
    assert one(scheme, {"1": 98}, facts={"done": True}, adjustments={"praise": {"national": 1}}).score == dec(100)


def test_bonus_once_per_level(tmp_path):
    subject = one(adjusted(tmp_path, per="false"), {"1": 80}, facts={"done": True},
                  adjustments={"praise": {"city": 2}})
    assert subject.score == dec(83) and "按级别计一次" in subject.adjustments[0].text


def test_one_vote_veto_keeps_the_score_and_blocks_the_award_grade(tmp_path):
    subject = one(adjusted(tmp_path), {"1": 100}, facts={"done": True}, adjustments={"blame": {"city": 3}})
    assert subject.score == dec(91)
    assert subject.grade == "良好"  # 优秀 by score, but 取消评优资格
    assert subject.effects == ["no_award", "accountability"]
    assert "一票否决" in subject.grade_explanation


def test_grade_requires_a_fact(tmp_path):
    subject = one(adjusted(tmp_path), {"1": 95}, facts={"done": False})
    assert subject.grade == "较差" and "完成任务" in subject.grade_explanation


def test_grade_score_cap_is_applied(tmp_path):
    subject = one(adjusted(tmp_path, cap=97), {"1": 99}, facts={"done": True})
    assert subject.grade == "优秀" and subject.score == dec(97)
    assert any("不超过 97 分" in step for step in subject.steps)


RANKED = """
max = 100
grading = "by_rank"
tie_rule = "{tie}"
[[parts]]
id = "p"
title = "部分"
max = 100
[[parts.indicators]]
id = "1"
title = "得分"
max = 100
kind = "entered"
cite = [{{ seed = "000", quote = "测试引文足够长" }}]
[[grades]]
name = "好"
quota = 0.3
max_score = 97
[[grades]]
name = "较好"
quota = 0.3
max_score = 95
[[grades]]
name = "合格"
quota = 0.35
quota_kind = "about"
takes_rest = true
max_score = 92
[[grades]]
name = "基本合格"
quota = 0.05
quota_kind = "about"
"""


def test_ranking_ties_follow_the_listing_order(tmp_path):
    result = run(scheme_from(tmp_path, RANKED.format(tie="listing_order")),
                 {"id": "a", "name": "甲", "findings": {"1": 90}}, {"id": "b", "name": "乙", "findings": {"1": 95}},
                 {"id": "c", "name": "丙", "findings": {"1": 90}})
    assert [(s.id, s.rank) for s in result.ranking()] == [("b", 1), ("a", 2), ("c", 3)]
    assert result.subject("a").tied_with == ["丙"] and result.subject("c").tied_with == ["甲"]


def test_ranking_ties_shared(tmp_path):
    result = run(scheme_from(tmp_path, RANKED.format(tie="shared")),
                 {"id": "a", "findings": {"1": 90}}, {"id": "b", "findings": {"1": 95}},
                 {"id": "c", "findings": {"1": 90}}, {"id": "d", "findings": {"1": 80}})
    assert {s.id: s.rank for s in result.subjects} == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_grades_by_rank_with_quotas_per_group(tmp_path):
    subjects = [{"id": f"t{i}", "group": "甲县", "findings": {"1": 90 - i}} for i in range(20)]
    subjects.append({"id": "solo", "group": "乙县", "findings": {"1": 60}})
    result = run(scheme_from(tmp_path, RANKED.format(tie="listing_order")), *subjects)
    grades = [result.subject(f"t{i}").grade for i in range(20)]
    assert grades == ["好"] * 6 + ["较好"] * 6 + ["合格"] * 7 + ["基本合格"]
    assert result.subject("solo").grade == "合格"  # a county of one: 30% of 1 rounds down to none


def test_input_error_lists_every_problem(tmp_path):
    with pytest.raises(InputError) as caught:
        one(scheme_from(tmp_path, DEDUCTION), {"1": {"problems": -1, "missing": "yes", "nope": 1}, "9": 1})
    messages = "\n".join(caught.value.messages)
    assert "不能为负数" in messages and "应为 true" in messages and "没有扣分规则“nope”" in messages
    assert "未知的指标“9”" in messages
