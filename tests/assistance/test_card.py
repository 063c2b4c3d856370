"""The 明白卡 sections contributed through the registry's card hook."""

from __future__ import annotations

import datetime as dt

from fupin.assistance import services
from fupin.registry.card import card_sections


def test_card_shows_measures_and_the_cadre_with_a_masked_phone(township, clerk, cadre, household):
    services.cadre_assign(actor=township, household=household, cadre=cadre)
    plan = services.plan_create(actor=clerk, household=household)
    services.measure_add(actor=clerk, plan=plan, data={"measure_code": "EMP-PUBLIC", "start_date": dt.date(2020, 3, 1),
                                                      "amount": "3600", "status": "in_place",
                                                      "responsible_unit": "哈尔套镇人民政府"})
    household.refresh_from_db()
    sections = {s.title: s.rows for s in card_sections(household, cadre)}
    measures = sections["帮扶措施"]
    assert measures[0]["label"] == "公益岗位（含光伏收益公益岗）"
    assert measures[0]["value"] == "就业帮扶 · 已落实 · 3600.00 元 · 哈尔套镇人民政府 · 2020-03-01 起"
    services.visit_record(actor=cadre, household=household, data={"visited_on": dt.date(2020, 5, 3), "content": "走访"})
    cadre_rows = {r["label"]: r["value"] for r in sections["结对帮扶"]}
    assert cadre_rows == {"帮扶责任人": "刘帮扶", "工作单位及职务": "县卫生健康局 科员", "联系电话": "139****1234",
                          "结对日期": "2020-05-15", "本月走访": "0 次（每月不少于 3 次）"}
    full = {s.title: s.rows for s in card_sections(household, clerk)}
    rows = {r["label"]: r["value"] for r in full["结对帮扶"]}
    assert rows["联系电话"] == "13904181234" and rows["本月走访"] == "1 次（每月不少于 3 次）"


def test_card_leaves_the_sections_out_when_there_is_nothing(clerk, household):
    titles = [s.title for s in card_sections(household, clerk)]
    assert "帮扶措施" not in titles and "结对帮扶" not in titles
