"""The two lists of teams: 附件3 县级排序表 (the county's ranking of its county-level teams) and Doc B
附件2 考核情况报告 (the county's report on the provincial teams, with grades and problem details).

County ranking rows, best first: ``{"unit": "县卫健局", "team": "县卫健局驻富有村工作队", "score": 97.5,
"rank": 1}`` (rank optional: by default the position, so that 「相同分数的排在前面的名次靠前」; a given rank
may be shared). Equal scores are marked 同分 in the 备注 column, naming the other places.

Province report rows: ``{"team": "省某厅驻某村工作队", "score": 92, "grade": "合格", "problems": ["…", "…"]}``;
the report is refused while a team has fewer than two problem items (「每个工作队不少于 2条」).

`ranking_rows(run)` and `province_report_rows(run)` make the rows from an engine run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from fupin.assessment.engine import RunResult
from fupin.assessment.engine.numbers import fmt

from .common import (
    BOLD,
    LEFT,
    LEFT_TOP,
    NUMBER_FORMAT,
    RIGHT,
    SMALL,
    VERTICAL,
    FormSheet,
    date_text,
    list_value,
    mapping_value,
    new_workbook,
    number,
    number_value,
    points,
    refuse,
    text_value,
    workbook_bytes,
)

RANKING_REMARK = "按名次从高到低依次填写，相同分数的排在前面的名次靠前"  # 附件3 备注, as printed
PROVINCE_GRADES = ("好", "较好", "合格", "基本合格")
MIN_PROBLEMS = 2  # 「每个工作队不少于 2条」
PROVINCE_REMARKS = (
    "分值采用百分制打分。",
    "评估等次按照“好”30%、“较好”30%、“合格”35%、“基本合格”5%四个等次给出综合评价。",
    "“问题详情”栏填写工作队考核或平时发现问题基本情况，每个工作队不少于 2条。",
)


def _year(year) -> int:
    value = number_value(year, "year", required=True, minimum=Decimal(2000), maximum=Decimal(2100))
    return int(value)


# ---------------------------------------------------------------------------------------------------
# 附件3 县级排序表


def ranking_rows(run: RunResult, *, units: dict[str, str] | None = None, group: str | None = None) -> list[dict]:
    """Rows for the county ranking from a run (one group: a county), in the engine's ranking order."""
    units = units or {}
    return [{"unit": units.get(s.id, ""), "team": s.name, "score": s.score, "rank": s.rank}
            for s in run.ranking() if group is None or s.group == group]


def county_ranking_data(rows, *, county_name: str, year: int = 2020, signed_on: dt.date | None = None,
                        remark: str | None = None) -> dict:
    county_name = text_value(county_name, "county_name", required=True)
    year = _year(year)
    lines = []
    for n, raw in enumerate(list_value(rows, "rows")):
        field = f"rows[{n}]"
        raw = mapping_value(raw, field, ("unit", "team", "score", "rank"))
        score = number_value(raw.get("score"), f"{field}.score", required=True, minimum=None)
        rank = number_value(raw.get("rank"), f"{field}.rank", minimum=Decimal(1))
        if rank is not None and rank != rank.to_integral_value():
            raise refuse(_("%(field)s 名次应为整数") % {"field": field}, code="not_an_integer", field=f"{field}.rank")
        lines.append({"unit": text_value(raw.get("unit"), f"{field}.unit"),
                      "team": text_value(raw.get("team"), f"{field}.team", required=True),
                      "score": score, "rank": int(rank) if rank is not None else n + 1})
    for before, after in zip(lines, lines[1:], strict=False):
        if after["score"] > before["score"] or after["rank"] < before["rank"]:
            raise refuse(_("排序表应按名次从高到低填写：“%(a)s”（%(sa)s 分）排在“%(b)s”（%(sb)s 分）之后")
                         % {"a": after["team"], "sa": fmt(after["score"]), "b": before["team"], "sb": fmt(before["score"])},
                         code="not_in_rank_order", field="rows")
    for line in lines:
        same = [other["rank"] for other in lines if other is not line and other["score"] == line["score"]]
        line["remark"] = f"同分（与第{'、'.join(str(r) for r in same)}名）" if same else ""
        line["score_text"] = points(line["score"])
        line["score"] = number(line["score"])
    tied = any(line["remark"] for line in lines)
    remark = text_value(remark, "remark") or RANKING_REMARK
    if tied:
        remark += "；分数相同的已在备注栏标明“同分”"
    return {"title": f"{year}年度县直单位驻村工作队县级排序表", "county": county_name, "rows": lines,
            "remark": remark, "date": date_text(signed_on, year)}


def county_ranking_xlsx(rows, *, county_name: str, year: int = 2020, signed_on: dt.date | None = None,
                        remark: str | None = None) -> bytes:
    data = county_ranking_data(rows, county_name=county_name, year=year, signed_on=signed_on, remark=remark)
    widths = [5, 7, 24, 32, 9, 16]
    wb, ws = new_workbook("县级排序表", data["title"])
    sheet = FormSheet(ws, widths)
    sheet.line("附件3：", font=BOLD)
    sheet.title(data["title"])
    sheet.line(f"被考核工作队所在县：{data['county']}")
    sheet.row += 1
    header = sheet.row
    for col, label in enumerate(["名次", "县直部门和单位", "工作队名称", "分数", "备注"], start=2):
        sheet.put(header, col, label, font=BOLD)
    sheet.fit(header, [], minimum=24)
    for line in data["rows"] or [{"rank": None, "unit": None, "team": None, "score": None, "remark": None}] * 3:
        sheet.row += 1
        r = sheet.row
        sheet.put(r, 2, line["rank"], number_format="0")
        sheet.put(r, 3, line["unit"], align=LEFT)
        sheet.put(r, 4, line["team"], align=LEFT)
        sheet.put(r, 5, line["score"], number_format=NUMBER_FORMAT)
        sheet.put(r, 6, line["remark"], font=SMALL)
        sheet.fit(r, [(line["unit"] or "", widths[2]), (line["team"] or "", widths[3]),
                      (line["remark"] or "", widths[5])], minimum=22)
    sheet.tall_enough(header, sheet.row, "驻村工作队排序")
    sheet.put(header, 1, "驻村工作队排序", last_row=sheet.row, font=BOLD, align=VERTICAL)
    sheet.row += 1
    sheet.put(sheet.row, 1, "备注", last_col=2, font=BOLD)
    sheet.put(sheet.row, 3, data["remark"], last_col=6, align=LEFT)
    sheet.fit(sheet.row, [(data["remark"], sheet.span_width(3, 6))], minimum=30)
    sheet.row += 1
    sheet.line("县脱贫攻坚领导小组领导签字：", height=30)
    sheet.line("县脱贫攻坚领导小组（公章）", align=RIGHT, height=30)
    sheet.line(data["date"], align=RIGHT, height=22)
    sheet.print_setup(header_rows=f"{header}:{header}", freeze=f"A{header + 1}")
    return workbook_bytes(wb)


def county_ranking_html(rows, *, county_name: str, year: int = 2020, signed_on: dt.date | None = None,
                        remark: str | None = None) -> str:
    data = county_ranking_data(rows, county_name=county_name, year=year, signed_on=signed_on, remark=remark)
    return render_to_string("assessment/forms/county_ranking.html", {"form": data})


# ---------------------------------------------------------------------------------------------------
# Doc B 附件2 考核情况报告


def province_report_rows(run: RunResult, *, group: str | None = None) -> list[dict]:
    """Rows for the county's report from a provincial run: final score, grade and the problem items."""
    return [{"team": s.name, "score": s.score, "grade": s.grade or "", "problems": list(s.problem_items)}
            for s in run.ranking() if group is None or s.group == group]


def province_report_data(rows, *, county_name: str, year: int = 2020, signed_on: dt.date | None = None) -> dict:
    county_name = text_value(county_name, "county_name", required=True)
    year = _year(year)
    lines, short = [], []
    for n, raw in enumerate(list_value(rows, "rows")):
        field = f"rows[{n}]"
        raw = mapping_value(raw, field, ("team", "score", "grade", "problems"))
        team = text_value(raw.get("team"), f"{field}.team", required=True)
        score = number_value(raw.get("score"), f"{field}.score", required=True, maximum=Decimal(100))
        grade = text_value(raw.get("grade"), f"{field}.grade", required=True)
        if grade not in PROVINCE_GRADES:
            raise refuse(_("“%(team)s”的评价等次应为 %(grades)s 之一，现为“%(grade)s”")
                         % {"team": team, "grades": "、".join(PROVINCE_GRADES), "grade": grade},
                         code="unknown_grade", field=f"{field}.grade")
        problems = [text_value(p, f"{field}.problems[{k}]") for k, p in
                    enumerate(list_value(raw.get("problems"), f"{field}.problems"))]
        problems = [p for p in problems if p]
        if len(problems) < MIN_PROBLEMS:
            short.append({"team": team, "count": len(problems)})
        lines.append({"no": n + 1, "team": team, "score": number(score), "score_text": points(score), "grade": grade,
                      "problems": problems,
                      "problems_text": "\n".join(f"{k}. {p}" for k, p in enumerate(problems, start=1))})
    if short:
        raise refuse(_("问题详情每个工作队不少于 %(min)s 条：%(teams)s，考核情况报告不能生成")
                     % {"min": MIN_PROBLEMS, "teams": "；".join(f"{s['team']} 现有 {s['count']} 条" for s in short)},
                     code="too_few_problems", field="rows", teams=short)
    return {"title": f"{year}年度省（中）直单位驻村帮扶工作考核情况报告", "county": county_name, "rows": lines,
            "date": date_text(signed_on, year), "remarks": PROVINCE_REMARKS}


def province_report_xlsx(rows, *, county_name: str, year: int = 2020, signed_on: dt.date | None = None) -> bytes:
    data = province_report_data(rows, county_name=county_name, year=year, signed_on=signed_on)
    widths = [6, 28, 9, 9, 52]
    wb, ws = new_workbook("考核情况报告", data["title"])
    sheet = FormSheet(ws, widths)
    sheet.line("附件2", font=BOLD)
    sheet.title(data["title"])
    sheet.line(f"考核单位：{data['county']}")
    sheet.row += 1
    header = sheet.row
    for col, label in enumerate(["序号", "省直部门（单位）工作队名称", "综合得分", "评价等次", "问题详情"], start=1):
        sheet.put(header, col, label, font=BOLD)
    sheet.fit(header, [], minimum=30)
    for line in data["rows"]:
        sheet.row += 1
        r = sheet.row
        sheet.put(r, 1, line["no"])
        sheet.put(r, 2, line["team"], align=LEFT)
        sheet.put(r, 3, line["score"], number_format=NUMBER_FORMAT)
        sheet.put(r, 4, line["grade"])
        sheet.put(r, 5, line["problems_text"], align=LEFT)
        sheet.fit(r, [(line["team"], widths[1]), (line["problems_text"], widths[4])], minimum=36)
    sheet.row += 1
    sheet.put(sheet.row, 1, "县（市、区）脱贫攻坚领导小组意见：", last_col=5, align=LEFT_TOP)
    ws.row_dimensions[sheet.row].height = 60
    sheet.row += 1
    sheet.put(sheet.row, 1, "（盖章）", last_col=5, align=RIGHT)
    sheet.row += 1
    sheet.put(sheet.row, 1, data["date"], last_col=5, align=RIGHT)
    sheet.box(sheet.row - 2, sheet.row)
    for n, text in enumerate(data["remarks"], start=1):
        sheet.line(f"{'备注：' if n == 1 else '　　　'}{n}. {text}", font=SMALL)
    sheet.print_setup(header_rows=f"{header}:{header}", freeze=f"A{header + 1}")
    return workbook_bytes(wb)


def province_report_html(rows, *, county_name: str, year: int = 2020, signed_on: dt.date | None = None) -> str:
    data = province_report_data(rows, county_name=county_name, year=year, signed_on=signed_on)
    return render_to_string("assessment/forms/province_report.html", {"form": data})
