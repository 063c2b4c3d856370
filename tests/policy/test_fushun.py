"""Fushun's four groups (分类划档, spec part 03 §4.6, E27) and "两该两不该" registration errors (§4.7)."""

from __future__ import annotations

import datetime as dt

import pytest

from fupin.policy.engine import load_folder

from .conftest import decide, value

MET = dict(food_secure=True, clothing_secure=True, basic_medical_secured=True, compulsory_education_secured=True,
           housing_secured=True)
AS_OF = dt.date(2019, 12, 31)


@pytest.fixture(scope="module")
def fs(shipped):
    return shipped.get("fushun-2018-2020@1")


def poor(**fields):
    return {"id": "f", "household_type": "1", "poverty_attribute": "1", "exit_year": None,
            "first_identified_on": "2016-03-01", **MET, **fields}


@pytest.mark.parametrize(("record", "group"), [
    (poor(household_type="2", exit_year=2016, per_capita_net_income=4000), "脱贫达标人群"),  # (a)
    (poor(per_capita_net_income=3442), "巩固提升人群"),  # (b) 3,442 "达到"
    (poor(per_capita_net_income=3000, housing_secured=False), "重点帮扶人群"),  # (c)
    (poor(per_capita_net_income=5000, poverty_attribute="2"), "政策兜底人群"),  # (d) 低保
    (poor(per_capita_net_income=3000), "重点帮扶人群"),  # (e) under the default "or" reading
    (poor(household_type="2", exit_year=2017, per_capita_net_income=3442), "巩固提升人群"),  # G1 needs "超过"
    (poor(household_type="3", per_capita_net_income=3000), "非建档立卡户"),
])
def test_e27_four_groups(fs, record, group):
    assert value(fs, record, "fushun_group", AS_OF) == group


def test_e27_e_under_the_literal_and_reading_fits_no_group(fs, tmp_path):
    # the option is a parameter: a pack that chooses "and" (a new version) leaves case (e) unclassified
    source = fs.file
    from fupin.policy.engine.packs import shipped_folder

    text = (shipped_folder() / source).read_text(encoding="utf-8")
    text = text.replace("    value: or\n", "    value: and\n").replace("status: published", "status: draft")
    (tmp_path / source).write_text(text, encoding="utf-8")
    for name in ("fields.yaml",):
        (tmp_path / name).write_text((shipped_folder() / name).read_text(encoding="utf-8"), encoding="utf-8")
    literal = load_folder(tmp_path).get("fushun-2018-2020@1")
    assert value(literal, poor(per_capita_net_income=3000), "fushun_group", AS_OF) == "未能归类"
    assert value(literal, poor(per_capita_net_income=3000, housing_secured=False), "fushun_group",
                 AS_OF) == "重点帮扶人群"


def test_the_explanation_says_which_group_held(fs):
    d = decide(fs, poor(per_capita_net_income=3442), "fushun_group", AS_OF)
    assert d.clauses == {"not_poor_household": False, "safety_net": False, "exit_met": False, "consolidate": True,
                         "key_assistance": False}
    assert any("巩固提升人群" in reason and "成立" in reason for reason in d.reasons)


@pytest.mark.parametrize(("record", "error"), [
    (poor(household_type="3", per_capita_net_income=3000), "漏登"),
    (poor(per_capita_net_income=5000), "漏退"),
    (poor(per_capita_net_income=5000, first_identified_on="2019-04-01"), "错登"),
    (poor(household_type="2", exit_year=2018, per_capita_net_income=3000), "错退"),
    (poor(household_type="2", exit_year=2018, per_capita_net_income=5000, housing_secured=False), "错退"),
    (poor(per_capita_net_income=3000), "无"),
    (poor(household_type="3", per_capita_net_income=9000), "无"),
])
def test_two_should_two_should_not(fs, record, error):
    assert value(fs, record, "registration_error", AS_OF) == error


def test_exit_reward_in_the_year_of_exit(fs):
    assert value(fs, poor(household_type="2", exit_year=2019), "exit_reward", AS_OF) == 1000
    assert value(fs, poor(household_type="2", exit_year=2018), "exit_reward", AS_OF) == 0
    assert value(fs, poor(), "exit_reward", AS_OF) == 0
