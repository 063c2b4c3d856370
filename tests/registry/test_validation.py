"""Validation: one test per kind of bad input, each message naming the field and what is wrong."""

import datetime as dt
from decimal import Decimal

import pytest

from fupin.registry import schema
from fupin.registry.validation import (
    CodeLists,
    parse_value,
    validate_household,
    validate_income,
    validate_members,
    validate_person,
    validate_record,
)

from .factories import family, id_number, member

pytestmark = pytest.mark.django_db

CODES = CodeLists({
    "sex": {"1": "男", "2": "女"}, "id_type": {"01": "居民身份证", "20": "残疾人证（20位）", "22": "残疾人证（22位）"},
    "relation": {"02": "户主", "10": "配偶", "20": "之子", "30": "之女"}, "ethnicity": {"01": "汉族", "02": "蒙古族"},
    "health_status": {"1": "健康", "4": "残疾"}, "labour_skill": {"1": "普通劳动力"},
    "disability_category": {str(i): f"类{i}" for i in range(1, 8)},
    "disability_grade": {str(i): f"{i}级" for i in range(1, 5)},
    "poverty_cause": {"01": "因病", "02": "因残"}, "poverty_attribute": {"1": "一般贫困户"},
    "identification_standard": {"1": "国家标准"}, "risk_type": {"01": "因病"},
}, on=dt.date(2020, 12, 31))


def household(**changes):
    values = {"year": 2020, "household_number": "2109221012020001", "village": "210922101202",
              "status": "registered", "main_cause": "01", "poverty_attribute": "1"}
    values.update(changes)
    return values


def messages(problems):
    return [p.message for p in problems]


def test_a_valid_family_has_no_problems():
    assert validate_record(household(member_count=3), family(), CODES, year=2020) == []


def test_id_check_digit_wrong():
    person = member("王福", "02", "1", dt.date(1960, 3, 2))
    good = person["id_number"]
    person["id_number"] = good[:17] + ("0" if good[17] != "0" else "1")
    problems = validate_person(person, CODES, year=2020)
    assert any("证件号码：校验位错误" in m and f"应为“{good[17]}”" in m for m in messages(problems))


def test_id_length_wrong_for_its_type():
    person = member("王福", "02", "1", dt.date(1960, 3, 2))
    person["id_number"] = person["id_number"][:17]
    assert any("证件号码：居民身份证号应为18位，实际为17位" in m for m in messages(validate_person(person, CODES, year=2020)))


def test_id_with_impossible_birth_date():
    first17 = "21092219601302001"
    from fupin.core.validators import id_check_digit

    person = member("王福", "02", "1", dt.date(1960, 3, 2), id_number=first17 + id_check_digit(first17))
    assert any("出生日期“19601302”不是有效日期" in m for m in messages(validate_person(person, CODES, year=2020)))


def test_birth_date_inconsistent_with_id():
    person = member("王福", "02", "1", dt.date(1960, 3, 2))
    person["birth_date"] = dt.date(1961, 3, 2)
    assert any(m.startswith("出生日期：1961-03-02 与证件号码中的出生日期 1960-03-02 不一致")
               for m in messages(validate_person(person, CODES, year=2020)))


def test_sex_inconsistent_with_id():
    person = member("王福", "02", "1", dt.date(1960, 3, 2))
    person["sex"] = "2"
    assert any(m.startswith("性别：“女”与证件号码不一致（第17位表示男）")
               for m in messages(validate_person(person, CODES, year=2020)))


def test_disability_card_with_bad_category_digit():
    person = member("王福", "02", "1", dt.date(1960, 3, 2), health="4")
    person["id_type"], person["id_number"] = "20", person["id_number"] + "92"
    assert any("第19位（残疾类别）应为1-7" in m for m in messages(validate_person(person, CODES, year=2020)))


def test_disability_card_disagreeing_with_recorded_grade():
    person = member("王福", "02", "1", dt.date(1960, 3, 2), health="4", disability_category="4",
                    disability_grade="1")
    person["id_type"], person["id_number"] = "20", person["id_number"] + "42"
    assert any(m.startswith("残疾等级：“1级”与残疾人证号第20位“2”不一致")
               for m in messages(validate_person(person, CODES, year=2020)))


def test_valid_disability_cards_of_20_and_22_digits():
    person = member("王福", "02", "1", dt.date(1960, 3, 2), health="4", disability_category="4",
                    disability_grade="2", person_number="21092210120200010")
    person["id_type"], person["id_number"] = "20", person["id_number"] + "42"
    assert validate_person(person, CODES, year=2020) == []
    person["id_type"], person["id_number"] = "22", person["id_number"] + "01"
    assert validate_person(person, CODES, year=2020) == []


def test_household_without_head():
    members = family()
    members[0]["relation"] = "10"
    assert "与户主关系：本户没有户主（应有且仅有一名户主）" in messages(validate_members(members))


def test_household_with_two_heads():
    members = family()
    members[2]["relation"] = "02"
    assert any(m.startswith("与户主关系：本户有2名户主（王福、王浩）") for m in messages(validate_members(members)))


def test_a_head_who_left_does_not_count():
    members = family()
    members[0]["status"] = "deceased"
    members[1]["relation"] = "02"
    assert validate_members(members) == []


def test_same_id_twice_in_one_household():
    members = family()
    members[2]["id_number"] = members[1]["id_number"]
    assert any("证件号码：" in m and "在本户出现2次" in m for m in messages(validate_members(members)))


def test_same_person_in_two_households_of_a_year():
    members = family()
    elsewhere = {members[1]["id_number"]: "2109221012030007"}
    problems = validate_record(household(), members, CODES, year=2020, elsewhere=elsewhere)
    assert any(m.startswith("证件号码：李桂兰已登记在2020年度的户 2109221012030007 中") for m in messages(problems))


def test_negative_income_component():
    problems = validate_income({"wage_income": Decimal("-1")}, 3)
    assert "工资性收入：不能为负数（-1）" in messages(problems)


def test_assistance_more_than_transfer_income():
    problems = validate_income({"transfer_income": Decimal("100"), "assistance_income": Decimal("300")}, 1)
    assert any(m.startswith("其中：低保金、特困供养金：300.00 大于转移性收入 100.00") for m in messages(problems))


def test_net_income_that_does_not_add_up():
    values = {"wage_income": Decimal("6000"), "business_income": Decimal("3000"), "production_costs": Decimal("1000"),
              "net_income": Decimal("9000")}
    assert "家庭纯收入：填写为 9000.00，按家庭总收入−生产经营性支出应为 8000.00" in messages(validate_income(values, 2))


def test_per_capita_income_that_does_not_divide():
    values = {"wage_income": Decimal("9000"), "per_capita_net_income": Decimal("4500")}
    assert "人均纯收入：填写为 4500.00，按家庭纯收入÷人数3应为 3000.00" in messages(validate_income(values, 3))


def test_member_count_that_disagrees_with_members():
    problems = validate_record(household(member_count=4), family(), CODES, year=2020)
    assert "人数：填写为4人，与在户成员3人不一致" in messages(problems)


def test_code_outside_the_dictionary():
    problems = validate_household(household(main_cause="13"), CODES, year=2020)
    assert "主要致贫原因：“13”不在字典“主要致贫原因”（2020-12-31有效的）中" in messages(problems)
    person = member("王福", "02", "1", dt.date(1960, 3, 2), ethnicity="99")
    assert any(m.startswith("民族：“99”不在字典") for m in messages(validate_person(person, CODES, year=2020)))


def test_code_closed_before_the_record_year(dictionaries):
    """因疫 was a risk type of the 2020 list only; a 2021 record may not use it."""
    from fupin.registry.dictionaries import code_lists_for_year

    assert validate_household(household(risk_types=["05"]), code_lists_for_year(2020), year=2020) == []
    problems = validate_household(household(year=2021, risk_types=["05"]), code_lists_for_year(2021), year=2021)
    assert any(m.startswith("风险类型：“05”不在字典") for m in messages(problems))


def test_village_outside_the_actors_area():
    problems = validate_household(household(village="210922102201"), CODES, year=2020,
                                  allowed_prefixes=["210922101202"])
    assert "行政村代码：210922102201 不在您的管辖范围内" in messages(problems)


def test_village_code_malformed():
    assert any(m.startswith("行政村代码：“2109221”应为12位") for m in
               messages(validate_household(household(village="2109221"), CODES, year=2020)))


def test_phone_malformed():
    assert any(m.startswith("户联系电话：“12345”格式不正确")
               for m in messages(validate_household(household(phone="12345"), CODES, year=2020)))


def test_birth_after_the_record_year():
    birth = dt.date(2021, 5, 1)
    person = member("王小", "20", "1", birth)
    assert any(m.startswith("出生日期：2021-05-01 晚于2020年末") for m in messages(validate_person(person, CODES, year=2020)))


def test_migrant_months_above_twelve():
    person = member("王福", "02", "1", dt.date(1960, 3, 2), migrant_work_months=13)
    assert "务工时间（月）：应在0到12之间，实际为13" in messages(validate_person(person, CODES, year=2020))


def test_required_member_fields():
    problems = validate_person({"relation": "02", "sex": "1", "id_type": "01"}, CODES, year=2020)
    assert {"姓名：不能为空", "证件号码：不能为空", "出生日期：不能为空"} <= set(messages(problems))


def test_exit_year_after_record_year():
    assert "脱贫年度：2021 应在2013年到2020年之间" in messages(
        validate_household(household(exit_year=2021), CODES, year=2020))


def test_risk_eliminated_before_identified():
    problems = validate_household(household(risk_identified_on=dt.date(2020, 5, 1),
                                            risk_eliminated_on=dt.date(2020, 3, 1)), CODES, year=2020)
    assert "风险消除时间：2020-03-01 早于风险识别时间 2020-05-01" in messages(problems)


@pytest.mark.parametrize(("name", "raw", "expected"), [
    ("member_count", "三", "人数：“三”不是整数"),
    ("first_identified_on", "2020年5月", "首次识别时间：“2020年5月”不是日期（应为 YYYY-MM-DD）"),
    ("safe_drinking_water", "也许", "是否解决安全饮用水：“也许”应为“是”或“否”"),
    ("wage_income", "很多", "工资性收入：“很多”不是金额（元，最多两位小数）"),
    ("main_cause", "因穷", "主要致贫原因：“因穷”不在字典“主要致贫原因”（2020-12-31有效的）中"),
    ("status", "富裕", "户状态：“富裕”不是可选值（拟纳入、未脱贫、预脱贫、已脱贫、返贫、销号、自然减少）"),
])
def test_spreadsheet_text_that_does_not_parse(name, raw, expected):
    value, problem = parse_value(schema.field(schema.HOUSEHOLD, name), raw, CODES)
    assert problem is not None and problem.message == expected


def test_spreadsheet_text_that_parses():
    spec = schema.field(schema.HOUSEHOLD, "main_cause")
    assert parse_value(spec, "因病", CODES) == ("01", None)
    assert parse_value(spec, "02", CODES) == ("02", None)
    assert parse_value(schema.field(schema.HOUSEHOLD, "other_causes"), "因病、因残", CODES) == (["01", "02"], None)
    assert parse_value(schema.field(schema.HOUSEHOLD, "first_identified_on"), "20141001", CODES) == (
        dt.date(2014, 10, 1), None)
    assert parse_value(schema.field(schema.HOUSEHOLD, "safe_drinking_water"), "是", CODES) == (True, None)
    assert parse_value(schema.field(schema.HOUSEHOLD, "wage_income"), "1,234.5", CODES) == (Decimal("1234.50"), None)


def test_problems_carry_row_numbers_for_the_importer():
    problem = validate_person({"relation": "02"}, CODES, year=2020)[0].at_row(7)
    assert str(problem).startswith("第7行 ")
    assert problem.as_dict()["row"] == 7


def test_id_number_helper_is_valid():
    from fupin.core.validators import id_number_problem

    assert id_number_problem(id_number(dt.date(1980, 1, 31), "2")) is None
