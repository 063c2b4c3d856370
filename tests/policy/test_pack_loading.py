"""Loading packs: every problem names file, line and field; inheritance; immutability once published; diff."""

from __future__ import annotations

import json

import pytest

from fupin.policy.engine import PackError, evaluate_household, load_folder, publish
from fupin.policy.engine.diff import diff, diff_text

from .conftest import tiny_catalogue
from .support import write_pack, write_text

GOOD = """
id: base-2020
version: 1
title: 基础
jurisdiction: "21"
year: 2020
status: draft
parameters:
  line:
    type: money
    value: 4000
    cite: {seed: "000", quote: "低于国家扶贫标准1.5倍左右"}
rules:
  - id: poor
    title: 收入低于线
    when: income < params.line
    cite: {seed: "000", quote: "低于国家扶贫标准1.5倍左右"}
"""


def load(folder):
    return load_folder(folder, catalogue=tiny_catalogue())


def only_problem(folder):
    packs = load(folder)
    assert len(packs.problems) == 1, [str(p) for p in packs.problems]
    return packs.problems[0]


def test_a_good_pack_loads(tmp_path):
    write_text(tmp_path, "base.yaml", GOOD)
    packs = load(tmp_path)
    assert not packs.problems
    pack = packs.get("base-2020")
    assert pack.key == "base-2020@1" and pack.jurisdiction == "210000000000" and pack.years == (2020, 2020)
    assert evaluate_household(pack, {"income": 3000})["poor"].value is True


def test_a_typo_in_a_field_name_names_file_line_and_rule(tmp_path):
    write_text(tmp_path, "base.yaml", GOOD.replace("when: income <", "when: incom <"))
    problem = only_problem(tmp_path)
    assert (problem.file, problem.line, problem.field) == ("base.yaml", 15, "rules[poor].when")
    assert "unknown household field 'incom'" in problem.message and "did you mean: income" in problem.message


def test_a_missing_citation_is_refused(tmp_path):
    text = GOOD.replace('    cite: {seed: "000", quote: "低于国家扶贫标准1.5倍左右"}\n', "", 1)
    write_text(tmp_path, "base.yaml", text)
    problem = only_problem(tmp_path)
    assert (problem.line, problem.field) == (8, "parameters.line") and "missing citation" in problem.message
    write_text(tmp_path, "base.yaml", GOOD.replace('quote: "低于国家扶贫标准1.5倍左右"}\nrules', 'quote: ""}\nrules'))
    assert "missing quote" in only_problem(tmp_path).message
    write_text(tmp_path, "base.yaml", GOOD.rsplit("    cite:", 1)[0])
    problem = only_problem(tmp_path)
    assert problem.field == "rules[poor]" and "missing citation" in problem.message


def test_a_threshold_of_the_wrong_type_is_refused(tmp_path):
    write_text(tmp_path, "base.yaml", GOOD.replace("value: 4000", "value: '4000元'"))
    problem = only_problem(tmp_path)
    assert (problem.line, problem.field) == (10, "parameters.line.value")
    assert "expected a number (money), got '4000元'" in problem.message
    write_text(tmp_path, "base.yaml", GOOD.replace("value: 4000", "value: -5"))
    assert "cannot be negative" in only_problem(tmp_path).message
    write_text(tmp_path, "base.yaml", GOOD.replace("type: money\n    value: 4000", "type: rate\n    value: 1.5"))
    assert "between 0 and 1" in only_problem(tmp_path).message


def test_yaml_syntax_errors_and_duplicate_keys_name_the_line(tmp_path):
    write_text(tmp_path, "base.yaml", GOOD.replace("version: 1\n", "version: 1\nversion: 2\n"))
    problem = only_problem(tmp_path)
    assert problem.line == 3 and "duplicate key" in problem.message
    write_text(tmp_path, "base.yaml", GOOD.replace("year: 2020", "year: [2020"))
    assert "YAML syntax error" in only_problem(tmp_path).message


def test_unknown_keys_get_a_suggestion(tmp_path):
    write_text(tmp_path, "base.yaml", GOOD.replace("    when: income", "    wen: income"))
    packs = load(tmp_path)
    messages = [str(p) for p in packs.problems]
    assert any("rules[poor].wen: unknown key" in m and "did you mean when" in m for m in messages)


def test_inheritance_overrides_parameters_and_the_parents_rules_use_them(tmp_path):
    write_text(tmp_path, "base.yaml", GOOD)
    write_pack(tmp_path, pack_id="child-2020", extends="base-2020@1", params={"line": {"type": "money", "value": 5000}},
               rules=[{"id": "rich", "when": "not rules.poor"}])
    packs = load(tmp_path)
    assert not packs.problems
    child = packs.get("child-2020@1")
    assert [r.id for r in child.rules] == ["poor", "rich"] and child.chain == ["child-2020@1", "base-2020@1"]
    decisions = evaluate_household(child, {"income": 4500})
    assert decisions["poor"].value is True and decisions["rich"].value is False
    assert evaluate_household(packs.get("base-2020@1"), {"income": 4500})["poor"].value is False


def test_a_child_cannot_change_a_parameter_type(tmp_path):
    write_text(tmp_path, "base.yaml", GOOD)
    write_pack(tmp_path, pack_id="child-2020", extends="base-2020@1", params={"line": {"type": "text", "value": "x"}},
               rules=[])
    messages = [str(p) for p in load(tmp_path).problems]
    assert any("type text differs from money" in m for m in messages)


def test_an_inheritance_cycle_is_reported_with_the_chain(tmp_path):
    write_pack(tmp_path, pack_id="a-2020", extends="b-2020@1", rules=[{"id": "x", "when": "registered"}])
    write_pack(tmp_path, pack_id="b-2020", extends="a-2020@1", rules=[{"id": "y", "when": "registered"}])
    packs = load(tmp_path)
    assert not packs.packs
    messages = [str(p) for p in packs.problems]
    assert any("inheritance cycle / 继承循环: a-2020@1 → b-2020@1 → a-2020@1" in m for m in messages)
    assert any(m.startswith("a-2020.v1.yaml:") and "extends" in m for m in messages)


def test_extending_a_missing_pack_is_refused(tmp_path):
    write_pack(tmp_path, pack_id="a-2020", extends="nope-2020@1", rules=[{"id": "x", "when": "registered"}])
    assert "no pack nope-2020@1 to extend" in only_problem(tmp_path).message


def test_rules_reading_each_other_in_a_cycle_are_refused(tmp_path):
    write_pack(tmp_path, rules=[{"id": "x", "when": "rules.y"}, {"id": "y", "when": "not rules.x"}])
    assert "cycle" in only_problem(tmp_path).message


def test_a_published_pack_is_immutable(tmp_path):
    write_text(tmp_path, "base.yaml", GOOD.replace("status: draft", "status: published"))
    assert "not recorded in published.json" in only_problem(tmp_path).message
    digest = publish(tmp_path, "base-2020@1", catalogue=tiny_catalogue())
    assert json.loads((tmp_path / "published.json").read_text()) == {"base-2020@1": digest}
    assert not load(tmp_path).problems
    # comments and layout do not change the content
    write_text(tmp_path, "base.yaml", "# a comment\n" + GOOD.replace("status: draft", "status: published"))
    assert not load(tmp_path).problems
    # a changed threshold does
    write_text(tmp_path, "base.yaml", GOOD.replace("status: draft", "status: published").replace("4000", "4100"))
    problem = only_problem(tmp_path)
    assert problem.field == "version" and "publish the change as a new version" in problem.message
    with pytest.raises(PackError, match="already published"):
        publish(tmp_path, "base-2020@1", catalogue=tiny_catalogue())
    # going back to draft is refused too
    write_text(tmp_path, "base.yaml", GOOD)
    assert "cannot go back to draft" in only_problem(tmp_path).message


def test_publishing_a_draft_or_an_invalid_pack_is_refused(tmp_path):
    write_text(tmp_path, "base.yaml", GOOD)
    with pytest.raises(PackError, match="set status: published"):
        publish(tmp_path, "base-2020@1", catalogue=tiny_catalogue())
    write_text(tmp_path, "base.yaml", GOOD.replace("status: draft", "status: published").replace("income <", "incme <"))
    with pytest.raises(PackError, match="incme"):
        publish(tmp_path, "base-2020@1", catalogue=tiny_catalogue())
    assert not (tmp_path / "published.json").exists()


def test_diff_lists_parameter_and_rule_changes(tmp_path):
    write_text(tmp_path, "base.yaml", GOOD)
    write_text(tmp_path, "base2.yaml", GOOD.replace("version: 1", "version: 2").replace("4000", "4200")
               .replace("income < params.line", "income <= params.line"))
    packs = load(tmp_path)
    d = diff(packs.get("base-2020@1"), packs.get("base-2020@2"))
    assert d["parameters"]["changed"] == [{"name": "line", "title": "", "from": 4000, "to": 4200}]
    assert d["rules"]["changed"][0]["id"] == "poor" and d["rules"]["changed"][0]["fields"] == ["clauses"]
    text = diff_text(d)
    assert "~ 参数 line: 4000 → 4200" in text and "~ 规则 poor (clauses)" in text
    assert diff(packs.get("base-2020@1"), packs.get("base-2020@1"))["same"]


def test_shipped_packs_differ_where_the_documents_do(shipped):
    d = diff(shipped.get("zhangwu-2017@1"), shipped.get("zhangwu-2020@1"))
    changed = {c["name"]: (c["from"], c["to"]) for c in d["parameters"]["changed"]}
    assert changed["workteam_min_days_per_month"] == (3, 20)
    d = diff(shipped.get("zhangwu-2018@1"), shipped.get("zhangwu-2020@1"))
    assert "preschool_fee_waiver" in {p["name"] for p in d["parameters"]["removed"]}
    assert "education_grant" in {r["id"] for r in d["rules"]["changed"]}


def test_the_right_pack_applies_to_an_area_and_year(shipped):
    village = "210922101202"  # a village of Zhangwu county
    # the highest published version of a pack is the one in force: zhangwu-2020@2 supersedes @1
    assert [p.key for p in shipped.for_area(village, 2020)] == ["zhangwu-2020@2", "liaoning-2020@1"]
    assert [p.key for p in shipped.for_area(village, 2018)] == ["zhangwu-2018@1"]
    assert [p.key for p in shipped.for_area("210421000000", 2019)] == ["fushun-2018-2020@1"]
    assert shipped.for_area("210922101202", 2015) == []
