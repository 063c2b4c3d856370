"""The official assessment forms (附件1-4, the provincial report): what a clerk sees in the Excel and PDF."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from openpyxl import load_workbook
from support.seeds import SEEDS_DIR

from fupin.assessment.engine import shipped_catalogue
from fupin.assessment.forms import (
    ACHIEVEMENT_TEMPLATE,
    MATERIALS,
    county_ranking_xlsx,
    form_pdf,
    materials_checklist_xlsx,
    province_report_rows,
    province_report_xlsx,
    ranking_rows,
    score_sheet_html,
    score_sheet_xlsx,
    team_situation_xlsx,
)
from fupin.core.errors import ValidationFailed

from .kit import run, shipped

TEAM_2020 = [
    {"id": "t1", "name": "县卫健局驻富有村工作队", "group": "彰武县",
     "findings": {"1": 3, "4": {"activists": True}, "9": 1, "11": 200, "12": 8.5,
                  "15": {"no_staged_results": True, "note": "大棚项目尚未见效"},
                  "17": {"households": 4, "agreed_no_cadre_pairing": True},
                  "21": {"member_months_short": 2, "staff_short": 0}, "24": {"village": 92, "households": 88}}},
    {"id": "t2", "name": "县教育局驻兴隆村工作队", "group": "彰武县",
     "findings": {"11": 300, "12": 10, "24": {"village": 100, "households": 100}}},
]
PROVINCE_INDICATORS = {"6": 7, "7": 6, "8": 8, "9": 7, "10": {"total_income": 50, "per_capita_income": 2000},
                       "11": 30, "14": {"funds_2020": 50, "funds_since_stationing": 300}}
TEAM_INFO = {
    "unit_name": "彰武县卫生健康局", "county": "彰武县", "township": "五峰镇", "village": "富有村",
    "members": [{"name": "张三", "role": "队长", "gender": "男", "age": 45, "education": "本科",
                 "political_status": "中共党员", "phone": "138****5678", "adjusted_on": "2020-03-01", "days": 186},
                {"name": "李四", "role": "队员", "gender": "女", "age": 32, "education": "硕士研究生",
                 "political_status": "中共党员", "phone": "139****1234", "adjusted_on": dt.date(2019, 5, 10),
                 "days": 201}],
    "funds_unit": 20, "funds_coordinated": 100.5,
    "materials": ["研究制定村级党务和村务管理制度3项，全年共召开村“两委”会议12次。"],
    "opinions": {"unit": "同意上报。"},
}
RANKING = [{"unit": "县卫健局", "team": "县卫健局驻富有村工作队", "score": 97.5},
           {"unit": "县教育局", "team": "县教育局驻兴隆村工作队", "score": 95},
           {"unit": "县农业农村局", "team": "县农业农村局驻平安村工作队", "score": 95},
           {"unit": "县交通局", "team": "县交通局驻前进村工作队", "score": 90.25}]
REPORT = [{"team": "省民政厅驻四合城村工作队", "score": 92, "grade": "合格",
           "problems": ["村级档案管理不规范", "年度帮扶计划措施不够具体"]},
          {"team": "省交通厅驻哈尔套村工作队", "score": 95, "grade": "较好",
           "problems": ["驻村工作日志记录不够详细", "产业项目带贫机制不清晰", "结对帮扶记录卡填写不全"]}]


def sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def row_starting(ws, first) -> tuple:
    return next(r for r in rows(ws) if r[0] == first)


def texts(ws) -> list[str]:
    return [str(v) for r in rows(ws) for v in r if v is not None]


@pytest.fixture(scope="module")
def team_run():
    return run(shipped("zhangwu-2020-team"), *TEAM_2020)


@pytest.fixture(scope="module")
def team_sheet(team_run):
    scheme = shipped("zhangwu-2020-team")
    return sheet(score_sheet_xlsx(scheme, team_run.subject("t1"), version="county", unit_name="彰武县卫生健康局",
                                  village_label="彰武县五峰镇富有村", signed_on=dt.date(2020, 11, 28)))


# ---------------------------------------------------------------------------------------------------
# 附件1 score sheet


def test_team_sheet_lists_the_24_indicators_with_scores_and_reasons(team_sheet):
    ws = team_sheet
    assert "2020年度县直单位驻村帮扶工作考核指标表" in texts(ws)
    assert "（县级考核评价表）" in texts(ws)
    ids = [r[0] for r in rows(ws) if isinstance(r[0], str) and r[0].isdigit()]
    assert ids == [str(n) for n in range(1, 25)]
    first = row_starting(ws, "1")
    assert first[2] == 10 and first[4] == 7  # 分值 10, 得分 7: numbers, not text
    assert "3 × 1 分 = 扣 3 分" in first[5]
    assert row_starting(ws, "2")[5] is None  # full marks: nothing to explain
    assert "说明：大棚项目尚未见效" in row_starting(ws, "15")[5]
    assert "不予扣减" in row_starting(ws, "17")[5]  # the exemption is shown, not just full marks
    total = row_starting(ws, "总得分")
    assert total[2] == 100 and total[4] == 90.4
    assert "县考核组负责人签字：" in texts(ws) and "2020年11月28日" in texts(ws)
    assert ws.freeze_panes == "A6" and int(ws.page_setup.paperSize) == 9  # frozen header, A4
    assert any(str(m).startswith("B") for m in ws.merged_cells.ranges)  # 考核内容 merged over its part


def test_self_version_is_signed_by_the_team_leader(team_run):
    ws = sheet(score_sheet_xlsx(shipped("zhangwu-2020-team"), team_run.subject("t2"), version="self"))
    assert "（驻村工作队自评表）" in texts(ws) and "驻村工作队队长签字：" in texts(ws)
    assert "被考核单位工作队：县教育局驻兴隆村工作队" in texts(ws)
    assert "2020年　　月　　日" in texts(ws)


def test_province_sheet_shows_the_spot_check_and_the_composite():
    scheme = shipped("liaoning-2020-province-team")
    result = run(scheme, {"id": "t", "name": "省某厅驻某村工作队", "group": "彰武县", "problems": ["档案不全", "计划不具体"],
                          "components": {"province": {"findings": PROVINCE_INDICATORS},
                                        "county": {"score": 95}}}).subject("t")
    ws = sheet(score_sheet_xlsx(scheme, result, version="county"))
    header = next(r for r in rows(ws) if r[0] == "序号")
    assert "得分（省级抽考）" in header
    assert row_starting(ws, "1")[4] == "—"  # not in the province's spot check
    assert row_starting(ws, "6")[4] == 7
    composite = row_starting(ws, "综合得分")
    assert composite[4] == 92 and "按 92 分上报" in composite[5]  # the 合格 cap of 92
    assert row_starting(ws, "评定等次")[4] == "合格"
    assert "1. 档案不全\n2. 计划不具体" in row_starting(ws, "问题详情")[3]


def test_department_sheet_has_sources_adjustments_veto_and_grade():
    scheme = shipped("zhangwu-2020-department")
    findings = {i.id: float(i.max) for i in scheme.indicators} | {"1.1": 2, "3.3": {"not_assessed": True}}
    result = run(scheme, {"id": "u", "name": "县教育局", "findings": findings, "facts": {"tasks_completed": True},
                          "adjustments": {"commendation": {"national": 1}, "criticism": {"city": 3}}}).subject("u")
    ws = sheet(score_sheet_xlsx(scheme, result, version="county"))
    header = next(r for r in rows(ws) if r[0] == "序号")
    assert "数据来源" in header and "考评得分" in header
    assert row_starting(ws, "3.3")[5] == "不考评"
    assert any(str(m).startswith("E") and ":E" in str(m) for m in ws.merged_cells.ranges)  # one source per part
    assert [r[5] for r in rows(ws) if r[0] in ("加分", "扣分")] == [5, -9]
    assert row_starting(ws, "总得分")[5] == float(result.score) == 94.95
    assert row_starting(ws, "评定等次")[5] == "良好"
    assert "取消评优资格" in row_starting(ws, "否决情形")[6]


def test_township_sheet_shows_the_scaled_part():
    scheme = shipped("zhangwu-2020-township")
    findings = {i.id: float(i.max) for i in scheme.indicators} | {"4.2": 1.25}
    result = run(scheme, {"id": "z", "name": "五峰镇", "findings": findings}).subject("z")
    ws = sheet(score_sheet_xlsx(scheme, result, version="self"))
    assert "被考核乡镇：五峰镇" in texts(ws)
    assert "驻村帮扶与社会动员 7.5/10" in row_starting(ws, "分项得分")[3]
    assert row_starting(ws, "总得分")[5] == 97.5


@pytest.mark.parametrize("scheme_id", shipped_catalogue().ids())
def test_every_shipped_scheme_makes_a_sheet(scheme_id):
    scheme = shipped(scheme_id)
    findings = {i.id: (float(i.max) if i.kind == "entered" else
                       {m.id: 10 for m in i.measures} if i.kind == "comparative" else
                       {t.id: 90 for t in i.terms} if i.kind == "formula" else {}) for i in scheme.indicators}
    subject = {"id": "s", "name": "对象", "facts": {f.id: True for f in scheme.facts if f.default is None},
               "problems": ["问题一", "问题二"]}
    if scheme.components:  # the province scores its spot-check, the county gives a total
        subject["components"] = {"province": {"findings": {k: v for k, v in findings.items()
                                                           if k in scheme.component("province").indicators}},
                                 "county": {"score": 90}}
    else:
        subject["findings"] = findings
    result = run(scheme, subject).subject("s")
    ws = sheet(score_sheet_xlsx(scheme, result, version="self"))
    total = next(r for r in rows(ws) if r[0] in ("总得分", "综合得分"))
    assert float(result.score) in [v for v in total if isinstance(v, (int, float))]
    assert scheme.title in texts(ws)


def test_score_sheet_refusals(team_run):
    with pytest.raises(ValidationFailed) as wrong:
        score_sheet_xlsx(shipped("zhangwu-2020-team"), team_run.subject("t1"), version="city")
    assert wrong.value.code == "unknown_version"
    with pytest.raises(ValidationFailed) as mismatch:
        score_sheet_xlsx(shipped("zhangwu-2020-township"), team_run.subject("t1"), version="self")
    assert mismatch.value.code == "scheme_mismatch"


# ---------------------------------------------------------------------------------------------------
# 附件2 工作情况表


def test_team_situation_form():
    ws = sheet(team_situation_xlsx(TEAM_INFO))
    all_text = texts(ws)
    assert "2020年度县直单位驻村工作队工作情况表" in all_text
    assert "彰武县卫生健康局" in all_text and "彰武县五峰镇富有村" in all_text
    member = next(r for r in rows(ws) if "张三" in r)
    assert list(member[1:]) == ["张三", "队长", "男", 45, "本科", "中共党员", "138****5678", "2020-03-01", 186]
    funds = next(r for r in rows(ws) if "投入资金总数（万元）" in r)
    assert funds[3] == 120.5 and funds[6] == 20 and funds[9] == 100.5  # the total is the sum of the two
    assert "1、研究制定村级党务和村务管理制度3项，全年共召开村“两委”会议12次。" in all_text
    assert f"14、{ACHIEVEMENT_TEMPLATE[13]}" in all_text  # items not given keep the template
    for label in ("工作队派出单位意见：\n同意上报。", "村意见：", "乡镇意见：", "县（市、区）脱贫攻坚领导小组意见："):
        assert label in all_text
    assert all_text.count("签字　　　　　　　　（盖章）") == 4 and all_text.count("2020年　　月　　日") == 4


@pytest.mark.parametrize("change, code", [
    ({"unit_name": ""}, "required"),
    ({"members": [{"name": "张三", "mobile": "1"}]}, "unknown_field"),
    ({"members": [{"name": "张三", "age": 8}]}, "out_of_range"),
    ({"members": [{"name": "张三", "adjusted_on": "三月"}]}, "not_a_date"),
    ({"funds_total": 100}, "funds_mismatch"),
    ({"funds_unit": "二十"}, "not_a_number"),
    ({"materials": ["x"] * 15}, "too_many_materials"),
    ({"opinions": {"city": "同意"}}, "unknown_field"),
    ({"leader": "张三"}, "unknown_field"),
])
def test_team_situation_refusals(change, code):
    with pytest.raises(ValidationFailed) as refused:
        team_situation_xlsx({**TEAM_INFO, **change})
    assert refused.value.code == code


# ---------------------------------------------------------------------------------------------------
# 附件3 县级排序表 and the provincial report


def test_county_ranking_marks_ties():
    ws = sheet(county_ranking_xlsx(RANKING, county_name="彰武县", year=2020))
    body = [r for r in rows(ws) if isinstance(r[1], int)]
    assert [(r[1], r[3], r[4], r[5]) for r in body] == [
        (1, "县卫健局驻富有村工作队", 97.5, None), (2, "县教育局驻兴隆村工作队", 95, "同分（与第3名）"),
        (3, "县农业农村局驻平安村工作队", 95, "同分（与第2名）"), (4, "县交通局驻前进村工作队", 90.25, None)]
    all_text = texts(ws)
    assert "被考核工作队所在县：彰武县" in all_text
    assert any("相同分数的排在前面的名次靠前" in t for t in all_text)
    for label in ("县脱贫攻坚领导小组领导签字：", "县脱贫攻坚领导小组（公章）", "2020年　　月　　日"):
        assert label in all_text


def test_county_ranking_from_a_run(team_run):
    rows_ = ranking_rows(team_run, units={"t1": "县卫健局", "t2": "县教育局"})
    assert [(r["unit"], r["rank"]) for r in rows_] == [("县教育局", 1), ("县卫健局", 2)]
    ws = sheet(county_ranking_xlsx(rows_, county_name="彰武县", year=2020))
    assert next(r for r in rows(ws) if r[1] == 2)[4] == 90.4


def test_county_ranking_refuses_rows_out_of_order():
    with pytest.raises(ValidationFailed) as refused:
        county_ranking_xlsx(list(reversed(RANKING)), county_name="彰武县", year=2020)
    assert refused.value.code == "not_in_rank_order"
    with pytest.raises(ValidationFailed):
        county_ranking_xlsx(RANKING, county_name="", year=2020)


def test_province_report():
    ws = sheet(province_report_xlsx(REPORT, county_name="彰武县"))
    all_text = texts(ws)
    assert "2020年度省（中）直单位驻村帮扶工作考核情况报告" in all_text and "考核单位：彰武县" in all_text
    first = row_starting(ws, 1)
    assert first[1:4] == ("省民政厅驻四合城村工作队", 92, "合格")
    assert first[4] == "1. 村级档案管理不规范\n2. 年度帮扶计划措施不够具体"
    assert "县（市、区）脱贫攻坚领导小组意见：" in all_text and "（盖章）" in all_text


def test_province_report_needs_two_problems_per_team():
    short = [REPORT[0], {**REPORT[1], "problems": ["只有一条"]}]
    with pytest.raises(ValidationFailed) as refused:
        province_report_xlsx(short, county_name="彰武县")
    assert refused.value.code == "too_few_problems"
    assert refused.value.details["teams"] == [{"team": "省交通厅驻哈尔套村工作队", "count": 1}]
    assert "省交通厅驻哈尔套村工作队 现有 1 条" in refused.value.message
    with pytest.raises(ValidationFailed) as grade:
        province_report_xlsx([{**REPORT[0], "grade": "优秀"}], county_name="彰武县")
    assert grade.value.code == "unknown_grade"


def test_province_report_rows_from_a_run():
    scheme = shipped("liaoning-2020-province-team")
    result = run(scheme, *[{"id": f"t{i}", "name": f"工作队{i}", "group": "彰武县", "problems": ["甲", "乙"],
                            "components": {"province": {"score": 90 - i}, "county": {"score": 90 - i}}}
                           for i in range(3)])
    report = province_report_rows(result)
    # three teams: no room for 好 or 较好 within 30%, so all are 合格 (about 35%, the rest)
    assert [(r["team"], r["score"], r["grade"], r["problems"]) for r in report] == [
        ("工作队0", 90, "合格", ["甲", "乙"]), ("工作队1", 89, "合格", ["甲", "乙"]), ("工作队2", 88, "合格", ["甲", "乙"])]
    ws = sheet(province_report_xlsx(report, county_name="彰武县"))
    assert row_starting(ws, 1)[1] == "工作队0"


# ---------------------------------------------------------------------------------------------------
# 附件4 报送材料清单


def test_materials_checklist():
    items = [{"key": "team.self_form", "submitted": True, "submitted_on": "2020-10-25"},
             {"key": "county.situation_form", "submitted": False, "note": "扣分证明待补"}]
    ws = sheet(materials_checklist_xlsx(items))
    all_text = texts(ws)
    assert "一、驻村工作队报送县级扶贫部门材料清单" in all_text and "二、县级扶贫部门报送市级抽验组材料清单" in all_text
    done = next(r for r in rows(ws) if r[1] == "驻村工作队自评表（附件1）" and r[2] == "已报送")
    assert done[3] == "2020年10月25日"
    proof = next(r for r in rows(ws) if r[1] and "县级评价扣分证明" in r[1])
    assert proof[2] == "未报送" and proof[4] == "扣分证明待补"
    assert sum(1 for r in rows(ws) if r[2] == "未报送") == 6


@pytest.mark.parametrize("items, code", [
    ([{"key": "team.summary", "submitted": True}], "unknown_material"),
    ([{"key": "county.ranking"}, {"key": "county.ranking"}], "duplicate_material"),
    ([{"key": "county.ranking", "submitted": "是"}], "not_a_boolean"),
    ([{"key": "county.ranking", "submitted": False, "submitted_on": "2020-11-30"}], "date_without_submission"),
])
def test_materials_refusals(items, code):
    with pytest.raises(ValidationFailed) as refused:
        materials_checklist_xlsx(items)
    assert refused.value.code == code


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the seed documents are not present here")
def test_material_lists_quote_their_seed_lines():
    lines = (SEEDS_DIR / "000_053db9d62dfd1711.txt").read_text(encoding="utf-8").splitlines()
    cites = [c for g in MATERIALS for c in g.cites + tuple(x for i in g.items for x in i.cites)]
    assert [c.quote for c in cites if not any(c.quote in line for line in lines)] == []
    assert any("扣分证明" == c.quote for c in cites)


# ---------------------------------------------------------------------------------------------------
# Reproducible files and the PDFs


def test_same_input_gives_the_same_bytes(team_run):
    scheme = shipped("zhangwu-2020-team")
    builders = [lambda: score_sheet_xlsx(scheme, team_run.subject("t1"), version="self"),
                lambda: team_situation_xlsx(TEAM_INFO),
                lambda: county_ranking_xlsx(RANKING, county_name="彰武县", year=2020),
                lambda: materials_checklist_xlsx([]), lambda: province_report_xlsx(REPORT, county_name="彰武县")]
    for build in builders:
        first = build()
        assert build() == first
        core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
        assert "2000-01-01T00:00:00Z" in core


def test_html_sheet_carries_the_signature_and_the_total(team_run):
    html = score_sheet_html(shipped("zhangwu-2020-team"), team_run.subject("t1"), version="self")
    assert "驻村工作队队长签字：" in html and "90.4" in html and "扣 3 分" in html


def test_unknown_form_kind_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        form_pdf("attendance_sheet")
    assert refused.value.code == "unknown_form"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_every_form_prints_to_pdf(team_run):
    scheme = shipped("zhangwu-2020-team")
    calls = {
        "score_sheet": {"scheme": scheme, "subject_result": team_run.subject("t1"), "version": "county"},
        "team_situation": {"team_info": TEAM_INFO},
        "county_ranking": {"rows": RANKING, "county_name": "彰武县", "year": 2020},
        "materials_checklist": {"items": []},
        "province_report": {"rows": REPORT, "county_name": "彰武县"},
    }
    with ThreadPoolExecutor(max_workers=3) as pool:  # each print starts a browser: run a few at once
        printed = dict(zip(calls, pool.map(lambda kind: form_pdf(kind, **calls[kind]), calls), strict=True))
    assert {kind: data[:4] for kind, data in printed.items()} == dict.fromkeys(calls, b"%PDF")
