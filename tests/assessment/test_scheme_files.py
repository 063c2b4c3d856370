"""The shipped scheme files hold together in every option variant; broken files are named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from fupin.assessment.engine import SchemeError, UnknownScheme, check_file, shipped_catalogue, shipped_folder

from .kit import scheme_from

DECISIONS = Path(__file__).resolve().parents[2] / "docs" / "decisions"
FILES = sorted(shipped_folder().glob("*.toml"))


def test_five_tables_are_shipped():
    assert shipped_catalogue().ids() == [
        "liaoning-2020-province-team", "zhangwu-2017-team", "zhangwu-2020-department", "zhangwu-2020-team",
        "zhangwu-2020-township"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_variant_builds(path):
    assert check_file(path) == []


@pytest.mark.parametrize("scheme", shipped_catalogue().latest(), ids=lambda s: s.id)
def test_every_option_has_a_decision_note(scheme):
    for name, option in scheme.options.items():
        assert option.decision, name
        assert (DECISIONS / option.decision).is_file(), option.decision
        assert option.decision.startswith("assessment-")


@pytest.mark.parametrize("scheme", shipped_catalogue().latest(), ids=lambda s: s.id)
def test_every_indicator_and_rule_cites_the_documents(scheme):
    assert scheme.cites and all(i.cites for i in scheme.indicators)
    assert all(a.cites for a in scheme.adjustments) and all(v.cites for v in scheme.vetoes)
    assert scheme.max == sum(p.max for p in scheme.parts) == 100


def test_unknown_scheme():
    with pytest.raises(UnknownScheme) as caught:
        shipped_catalogue().scheme("zhangwu-2020-teams")
    assert "未知的考核方案“zhangwu-2020-teams”" in str(caught.value)
    assert "是否想写 zhangwu-2020-team" in str(caught.value)


BROKEN = """
max = 10
colour = "red"
[options.mode]
title = "模式"
default = "c"
[options.mode.choices]
a = "甲"
b = "乙"
[[parts]]
id = "p"
title = "部分"
max = 10
[[parts.indicators]]
id = "1"
title = "一"
max = 4
kind = "deduction"
cite = [{ seed = "000", quote = "测试引文足够长" }]
[[parts.indicators.clauses]]
id = "x"
title = "既按次又一次性"
per = 1
points = 2
[[parts.indicators]]
id = "1"
title = "重复编号"
max = 3
kind = "scored"
"""


def test_broken_file_names_every_problem(tmp_path):
    with pytest.raises(SchemeError) as caught:
        scheme_from(tmp_path, BROKEN)
    text = "\n".join(caught.value.messages)
    assert "默认值“c”不在取值" in text


def test_broken_structure_is_reported(tmp_path):
    with pytest.raises(SchemeError) as caught:
        scheme_from(tmp_path, BROKEN.replace('default = "c"', 'default = "a"'))
    text = "\n".join(caught.value.messages)
    assert "colour: 未知的键" in text
    assert "须有且只有 per（每次扣分）或 points（一次性扣分）之一" in text
    assert "指标类型应为 deduction、comparative、formula、entered 之一" in text


def test_items_that_do_not_add_up_must_say_how(tmp_path):
    body = """
max = 10
[[parts]]
id = "p"
title = "部分"
max = 10
[[parts.indicators]]
id = "1"
title = "一"
max = 5
kind = "entered"
cite = [{ seed = "000", quote = "测试引文足够长" }]
"""
    with pytest.raises(SchemeError) as caught:
        scheme_from(tmp_path, body)
    assert "指标分值之和 5 不等于本部分分值 10" in str(caught.value)


def test_option_reference_must_cover_every_choice(tmp_path):
    body = """
max = 10
tie_rule = { option = "ties", values = { one = "listing_order" } }
[options.ties]
title = "同分"
default = "one"
[options.ties.choices]
one = "一"
two = "二"
[[parts]]
id = "p"
title = "部分"
max = 10
[[parts.indicators]]
id = "1"
title = "一"
max = 10
kind = "entered"
cite = [{ seed = "000", quote = "测试引文足够长" }]
"""
    with pytest.raises(SchemeError) as caught:
        scheme_from(tmp_path, body)
    assert "values 应恰好覆盖选项“ties”的取值" in str(caught.value)


def test_citation_needs_a_known_seed(tmp_path):
    body = """
max = 10
[[parts]]
id = "p"
title = "部分"
max = 10
[[parts.indicators]]
id = "1"
title = "一"
max = 10
kind = "entered"
cite = [{ seed = "009", quote = "测试引文足够长" }]
"""
    with pytest.raises(SchemeError) as caught:
        scheme_from(tmp_path, body)
    assert "未知的来源文件“009”" in str(caught.value)
