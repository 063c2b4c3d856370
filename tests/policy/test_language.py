"""The rule language: what it accepts, what it refuses at load time, and what it means per household."""

from __future__ import annotations

import datetime as dt

import pytest

from fupin.policy.engine import ExpressionError, evaluate_household
from fupin.policy.engine.check import Env, Param, check
from fupin.policy.engine.syntax import parse

from .conftest import tiny_catalogue
from .support import canonical_batch, canonical_single, one_rule_pack


def env(**params):
    return Env(tiny_catalogue(), {k: Param(k, t, val) for k, (t, val) in params.items()}, {"other": "bool"})


def refused(source: str, **params) -> str:
    with pytest.raises(ExpressionError) as info:
        check(source, env(**params))
    return info.value.render(source)


def test_a_typo_in_a_field_name_is_refused_with_a_suggestion():
    message = refused("incme < 5000")
    assert "unknown household field 'incme'" in message and "did you mean: income" in message


def test_unknown_parameter_and_rule_names_are_refused():
    assert "unknown parameter params.lin" in refused("income < params.lin", line=("number", 4000.0))
    assert "did you mean: line" in refused("income < params.lin", line=("number", 4000.0))
    assert "unknown rule rules.othr" in refused("rules.othr")


def test_person_fields_need_a_member_aggregate_and_household_fields_are_not_visible_inside_one():
    assert "person field" in refused("earning > 0")
    assert "household field" in refused("any_member(income > 0)")
    assert "cannot be nested" in refused("any_member(count_members() > 1)")


def test_types_are_checked():
    assert "needs 数值 number" in refused("registered + 1")
    assert "cannot compare" in refused("income == 'x'")
    assert "needs numbers or dates" in refused("kind < '2'")
    assert "same type" in refused("if(registered, 1, 'a')")
    assert "'and' needs 是否 bool" in refused("income and registered")


def test_code_literals_are_checked_against_the_field_codes():
    message = refused("kind == '4'")
    assert "'4' is not a code of kind（户类型）" in message and "1 贫困户" in message
    assert "not a code" in refused("kind in ['1', '9']")
    assert "not a code" in refused("'02' in risks")


def test_syntax_errors_point_at_the_place():
    with pytest.raises(ExpressionError) as info:
        parse("income < = 5")
    assert info.value.offset == 9
    assert "do not chain" in refused("0 < income < 5")
    assert "use == for equality" in refused("income = 5")
    assert "quote strings" in refused("kind == 贫困户")
    assert "takes 3 argument" in refused("if(registered, 1)")
    assert "unknown function" in refused("sqrt(income)")


def test_no_python_is_reachable():
    for source in ["__import__('os')", "income.__class__", "open('x')", "(lambda: 1)()"]:
        with pytest.raises(ExpressionError):
            check(source, env())


def test_constant_sub_expressions_are_folded_and_a_constant_division_by_zero_is_refused():
    tree = check("income < params.f * params.n", env(f=("number", 1.5), n=("number", 4000.0)))
    assert tree.right.value == 6000 and tree.right.label == "params.f * params.n"
    assert "division by zero" in refused("income < 1 / (params.a - params.a)", a=("number", 3.0))


def test_an_option_switch_keeps_only_the_chosen_branch():
    tree = check("if(params.mode == 'or', registered or income < 1, registered and income < 1)",
                 env(mode=("text", "and")))
    assert tree.op == "and"


@pytest.fixture
def pack_of(tmp_path_factory):
    def make(when=None, **kw):
        return one_rule_pack(tmp_path_factory.mktemp("pack"), when, **kw)
    return make


def test_division_by_zero_is_an_error_of_that_household_only(pack_of):
    pack = pack_of(amount="income / size")
    records = [{"id": "a", "income": 6000, "size": 3}, {"id": "b", "income": 6000, "size": 0},
               {"id": "c", "income": None, "size": 0}]
    single = canonical_single(pack, records)
    assert single["a"]["r"][:2] == ("ok", 2000)
    assert single["b"]["r"][0] == "error" and "division by zero" in single["b"]["r"][2] and "income / size" in \
        single["b"]["r"][2]
    assert single["c"]["r"][0] == "error" and "missing value" in single["c"]["r"][2] and "income" in single["c"]["r"][2]
    assert canonical_batch(pack, records) == single


def test_a_division_on_a_branch_not_taken_is_no_error(pack_of):
    pack = pack_of(amount="if(size > 0, income / size, 0)")
    assert canonical_single(pack, [{"id": "b", "income": 6000, "size": 0}])["b"]["r"][:2] == ("ok", 0)


def test_missing_values_follow_three_valued_logic(pack_of):
    pack = pack_of("registered or income < 5000")
    records = [{"id": "t", "registered": True, "income": None}, {"id": "u", "registered": False, "income": None},
               {"id": "f", "registered": False, "income": 9000}]
    single = canonical_single(pack, records)
    assert single["t"]["r"][:2] == ("ok", True)
    assert single["u"]["r"][0] == "error" and single["u"]["r"][2] == "missing value / 缺少数据: income"
    assert single["f"]["r"][:2] == ("ok", False)
    assert canonical_batch(pack, records) == single


def test_decimal_rates_compare_exactly(pack_of):
    # 0.3 × 20 is 6.000000000000001 in binary floating point; the engine rounds to 6 places, so 6 ≥ 0.3 × 20.
    pack = pack_of("income >= 0.3 * size and 0.1 + 0.2 == 0.3")
    assert canonical_single(pack, [{"id": "w", "income": 6, "size": 20}])["w"]["r"][:2] == ("ok", True)


def test_round_is_half_up_and_amounts_print_with_two_decimals(pack_of):
    pack = pack_of(amount="round(income, 2) + round(0 - size, 0)")
    decision = evaluate_household(pack, {"income": 2.675, "size": 2.5})["r"]
    assert decision.value == pytest.approx(2.68 - 3)
    assert decision.as_dict()["value"] == "-0.32"


def test_member_aggregates_age_and_lists(pack_of):
    pack = pack_of(amount="count_members(age(birth) >= 65) * 100 + sum_members(earning, stage in ['20', '40']) "
                          "+ max_members(earning) * 0 + if(all_members(not disabled), 1, 0)")
    record = {"id": "a", "members": [
        {"birth": "1955-12-31", "earning": 10, "stage": "00", "disabled": False},
        {"birth": "1956-01-01", "earning": 20, "stage": "20", "disabled": False},
        {"birth": "2008-02-29", "earning": 30.5, "stage": "40", "disabled": False}]}
    # on 2020-12-31 the first member is 65, the second 64
    assert evaluate_household(pack, record, as_of=dt.date(2020, 12, 31))["r"].value == 100 + 50.5 + 1
    assert canonical_batch(pack, [record], as_of=dt.date(2020, 12, 31)) == canonical_single(
        pack, [record], as_of=dt.date(2020, 12, 31))


def test_a_household_without_members(pack_of):
    pack = pack_of("not any_member(disabled) and all_members(disabled) and count_members() == 0")
    assert canonical_single(pack, [{"id": "e"}])["e"]["r"][:2] == ("ok", True)
    assert canonical_batch(pack, [{"id": "e"}]) == canonical_single(pack, [{"id": "e"}])


def test_the_explanation_lists_each_clause_with_the_values_compared(pack_of):
    pack = pack_of("income < params.f * params.n and '01' in risks",
                   params={"f": {"type": "number", "value": 1.5}, "n": {"type": "money", "value": 4000}})
    decision = evaluate_household(pack, {"income": 5200, "risks": ["01"]})["r"]
    tree = decision.explanation[0]["tree"]
    compare = tree["children"][0]
    assert compare["expr"] == "income < params.f * params.n"
    assert (compare["left"], compare["op"], compare["right"], compare["value"]) == (5200, "<", 6000, True)
    assert compare["children"][0] == {"expr": "income", "label": "人均收入", "value": 5200}
    assert tree["children"][1]["item"] == "01" and tree["children"][1]["list"] == ["01"]
    assert decision.reasons[-1] == "结论 result: 规则 = True"
