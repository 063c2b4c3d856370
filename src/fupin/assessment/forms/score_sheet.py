"""The score sheet (考核指标表 with the 得分 column, 附件1): a scheme's table filled with one subject's
result, indicator by indicator, in the printed order, with the total and the signature line.

The same builder serves every scheme: the 2020 team table used for the team's self-assessment and the
county's evaluation, the provincial table (one score column per component that scored indicators,
then the 80/20 composite), the 2017 team scheme, and the township and department tables (their 数据来源
column, the bonus and penalty points, vetoes and the grade).
"""

from __future__ import annotations

import datetime as dt
import re

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from fupin.assessment.engine import Scheme, SubjectResult
from fupin.assessment.engine.numbers import fmt

from .common import (
    BODY,
    BOLD,
    CENTER,
    LEFT,
    LEFT_TOP,
    NUMBER_FORMAT,
    RIGHT,
    SMALL,
    FormSheet,
    date_text,
    new_workbook,
    number,
    points,
    refuse,
    text_value,
    workbook_bytes,
)

VERSIONS = {"self": "自评", "county": "县级考核评价"}
# Who signs (附件1 说明2): the team leader for the self-assessment, the head of the county group otherwise.
SIGN_LABELS = {
    "team": {"self": "驻村工作队队长签字：", "county": "县考核组负责人签字："},
    "township": {"self": "乡镇党委主要负责人签字：", "county": "县考核组负责人签字："},
    "department": {"self": "单位主要负责人签字：", "county": "县考核组负责人签字："},
}
SUBJECT_LABELS = {"team": "被考核单位工作队", "township": "被考核乡镇", "department": "被考核单位"}
UNIT_LABELS = {"team": "派出单位", "township": "所属县", "department": "主管部门"}
SUBTITLES = {
    "team": {"self": "驻村工作队自评表", "county": "县级考核评价表"},
    "township": {"self": "乡镇自评表", "county": "县级考核评价表"},
    "department": {"self": "单位自评表", "county": "县级考核评价表"},
}


def _attachment(scheme: Scheme) -> str:
    """附件1 / 附件15 ... as the scheme's short title names it (the number printed on the form)."""
    found = re.search(r"（(附件[^）]*)）", scheme.short_title)
    return found.group(1) if found else ""


def _show_explanation(result) -> bool:
    """Full marks on a deduction or entered item leave the column blank, as a filled paper form would."""
    if not result.assessed or result.note or result.kind in ("comparative", "formula"):
        return True
    return result.score != result.max or any(not line.counted for line in result.lines)


def _explanation(result) -> str:
    if not _show_explanation(result):
        return ""
    text = result.explanation
    if result.note:
        text += f"\n说明：{result.note}"
    return text


def _score_cell(result):
    if result is None:
        return "—"
    if not result.assessed:
        return "不考评"
    return number(result.score)


def _check(scheme: Scheme, subject: SubjectResult) -> None:
    known = {i.id for i in scheme.indicators}
    strange = sorted({i.id for i in subject.indicators} - known)
    if strange:
        raise refuse(_("考核结果中的指标 %(ids)s 不属于方案“%(title)s”，请用该方案的计分结果生成考核表")
                     % {"ids": "、".join(strange), "title": scheme.title},
                     code="scheme_mismatch", field="subject_result", indicators=strange)


def score_sheet_data(scheme: Scheme, subject_result: SubjectResult, *, version: str = "county",
                     subject_name: str = "", unit_name: str = "", village_label: str = "", signer_label: str = "",
                     signed_on: dt.date | None = None) -> dict:
    """Everything the sheet shows, for the Excel and the HTML renderings alike."""
    if version not in VERSIONS:
        raise refuse(_("考核表版本应为 self（自评）或 county（县级考核评价），现为“%(v)s”") % {"v": version},
                     code="unknown_version", field="version")
    _check(scheme, subject_result)
    subject_name = text_value(subject_name, "subject_name") or subject_result.name
    unit_name = text_value(unit_name, "unit_name")
    village_label = text_value(village_label, "village_label")
    signer_label = text_value(signer_label, "signer_label")
    if signed_on is not None and not isinstance(signed_on, dt.date):
        raise refuse(_("签字日期应为日期"), code="not_a_date", field="signed_on")
    kind = scheme.subject if scheme.subject in SIGN_LABELS else "team"

    scoring = [c for c in subject_result.components if c.indicators]
    many = len(scoring) > 1
    # With components (省级抽考 80% + 县级考核 20%) each score column says whose score it is.
    score_headers = [f"得分（{c.title}）" for c in scoring] if scheme.components else \
        ["考评得分" if kind != "team" else "得分"]
    has_source = any(i.source for i in scheme.indicators)

    parts = []
    for part in scheme.parts:
        rows, source = [], ""
        for indicator in part.indicators:
            lookup = [next((r for r in c.indicators if r.id == indicator.id), None) for c in scoring]
            explanations = []
            for component, result in zip(scoring, lookup, strict=True):
                text = _explanation(result) if result is not None else ""
                if text and many:
                    text = f"{component.title}：{text}"
                if text:
                    explanations.append(text)
            # The printed township and department tables give the data source once per part.
            source = indicator.source or source
            rows.append({"id": indicator.id, "title": indicator.title, "max": number(indicator.max),
                         "max_text": points(indicator.max),
                         "criterion": indicator.criterion or indicator.title,
                         "source": source, "scores": [_score_cell(r) for r in lookup],
                         "score_texts": [points(s) if isinstance(s, (int, float)) else s
                                         for s in (_score_cell(r) for r in lookup)],
                         "explanation": "\n".join(explanations)})
        _source_spans(rows)
        weight = f"，权重{fmt(part.weight)}%" if scheme.weighted and part.weight is not None else ""
        parts.append({"title": part.title, "max": number(part.max), "label": f"{part.title}\n（{fmt(part.max)}分{weight}）",
                      "rows": rows})

    summary = []
    special = scheme.weighted or any(p.scale_items for p in scheme.parts) or \
        any(not i.assessed for i in subject_result.indicators)
    for component in subject_result.components:
        if special and component.parts:
            text = "；".join(f"{p.title} {fmt(p.score)}/{fmt(p.max)}" for p in component.parts)
            summary.append({"label": "分项得分", "text": text, "score": None, "explanation": component.explanation})
        if scheme.components:
            summary.append({"label": f"{component.title}（权重{fmt(component.weight * 100)}%）", "text": "",
                            "score": number(component.score), "explanation": component.explanation})
    if subject_result.adjustments:
        summary.append({"label": "加减分前得分", "text": "", "score": number(subject_result.base), "explanation": ""})
    for adjustment in subject_result.adjustments:
        summary.append({"label": "加分" if adjustment.points >= 0 else "扣分", "text": adjustment.title,
                        "score": number(adjustment.points), "explanation": adjustment.text})
    if len(subject_result.steps) > 1 or scheme.components:
        total_explanation = "；".join(subject_result.steps)
    else:
        total_explanation = subject_result.components[0].explanation if subject_result.components else ""
    summary.append({"label": "综合得分" if scheme.components else "总得分", "text": "", "total": True,
                    "max": number(scheme.max), "score": number(subject_result.score), "explanation": total_explanation})
    if scheme.grading != "none":
        summary.append({"label": "评定等次", "text": "", "score": subject_result.grade or "—",
                        "explanation": subject_result.grade_explanation})
    for veto in subject_result.vetoes:
        summary.append({"label": "否决情形", "text": veto.title, "score": veto.grade or "",
                        "explanation": veto.text})
    if subject_result.problem_items:
        summary.append({"label": "问题详情", "score": None, "explanation": "",
                        "text": "\n".join(f"{n}. {p}" for n, p in enumerate(subject_result.problem_items, 1))})
    for problem in subject_result.problems:
        summary.append({"label": "提示", "text": problem, "score": None, "explanation": ""})
    for line in summary:
        line["score_text"] = points(line["score"]) if isinstance(line["score"], (int, float)) else (line["score"] or "")

    subtitle = SUBTITLES[kind][version]
    info = [(SUBJECT_LABELS[kind], subject_name)]
    if unit_name:
        info.append((UNIT_LABELS[kind], unit_name))
    if village_label:
        info.append(("所驻村", village_label))
    return {
        "attachment": _attachment(scheme), "title": scheme.title, "subtitle": subtitle, "version": version,
        "info": info, "max_text": fmt(scheme.max), "has_source": has_source, "score_headers": score_headers,
        "parts": parts, "summary": summary, "notes": list(scheme.notes),
        "sign_label": SIGN_LABELS[kind][version], "signer": signer_label,
        "date": date_text(signed_on, None if signed_on else scheme.year),
        "scheme_key": f"{scheme.id} 第{scheme.version}版",
    }


def score_sheet_xlsx(scheme: Scheme, subject_result: SubjectResult, *, version: str = "county",
                     subject_name: str = "", unit_name: str = "", village_label: str = "", signer_label: str = "",
                     signed_on: dt.date | None = None) -> bytes:
    """附件1 考核指标表 filled with one subject's scores (see score_sheet_data for the arguments)."""
    data = score_sheet_data(scheme, subject_result, version=version, subject_name=subject_name,
                            unit_name=unit_name, village_label=village_label, signer_label=signer_label,
                            signed_on=signed_on)
    nscores = len(data["score_headers"])
    widths = [6, 12, 8, 40 if data["has_source"] else 48] + ([22] if data["has_source"] else []) + \
        [9] * nscores + [34]
    wb, ws = new_workbook(data["subtitle"], f"{data['title']}（{data['subtitle']}）")
    sheet = FormSheet(ws, widths)
    if data["attachment"]:
        sheet.line(f"{data['attachment']}：", font=BOLD)
    sheet.title(data["title"])
    sheet.line(f"（{data['subtitle']}）", align=CENTER)
    sheet.line("　　".join(f"{label}：{value}" for label, value in data["info"]))

    text_col = 4
    source_col = 5 if data["has_source"] else None
    first_score = text_col + 1 + (1 if source_col else 0)
    last_score = first_score + nscores - 1
    note_col = last_score + 1
    sheet.row += 1
    header_row = sheet.row
    headers = ["序号", "考核内容", f"分值\n（{data['max_text']}分）", "考核标准"] + \
        (["数据来源"] if source_col else []) + data["score_headers"] + ["扣分说明"]
    for col, text in enumerate(headers, start=1):
        sheet.put(header_row, col, text, font=BOLD)
    sheet.fit(header_row, [(h, widths[n]) for n, h in enumerate(headers)], minimum=32)

    for part in data["parts"]:
        first = sheet.row + 1
        for row in part["rows"]:
            sheet.row += 1
            r = sheet.row
            sheet.put(r, 1, row["id"])
            sheet.put(r, 3, row["max"], number_format=NUMBER_FORMAT)
            sheet.put(r, text_col, row["criterion"], align=LEFT)
            if source_col and row["source_span"]:
                sheet.put(r, source_col, row["source"], last_row=r + row["source_span"] - 1, align=LEFT, font=SMALL)
            for n, value in enumerate(row["scores"]):
                sheet.put(r, first_score + n, value, number_format=NUMBER_FORMAT)
            sheet.put(r, note_col, row["explanation"], align=LEFT, font=SMALL)
            sheet.fit(r, [(row["criterion"], widths[text_col - 1]), (row["explanation"], widths[note_col - 1] * 1.1)])
        last = sheet.row
        sheet.put(first, 2, part["label"], last_row=last)

    for line in data["summary"]:
        sheet.row += 1
        r = sheet.row
        bold = BOLD if line.get("total") else None
        sheet.put(r, 1, line["label"], last_col=2, font=BOLD)
        sheet.put(r, 3, line.get("max"), number_format=NUMBER_FORMAT)
        sheet.put(r, text_col, line["text"], last_col=first_score - 1, align=LEFT)
        sheet.put(r, first_score, line["score"], last_col=last_score, font=bold or BODY,
                  number_format=NUMBER_FORMAT)
        sheet.put(r, note_col, line["explanation"], align=LEFT, font=SMALL)
        sheet.fit(r, [(line["text"], sheet.span_width(text_col, first_score - 1)),
                      (line["explanation"], widths[note_col - 1] * 1.1)], minimum=22)

    sheet.row += 1
    sheet.line(f"{data['sign_label']}{data['signer']}", height=30)
    sheet.line(data["date"], align=RIGHT, height=22)
    for n, note in enumerate(data["notes"], start=1):
        sheet.line(f"{'说明：' if n == 1 else '　　　'}{n}. {note}", font=SMALL, align=LEFT_TOP)
    sheet.print_setup(header_rows=f"{header_row}:{header_row}", freeze=f"A{header_row + 1}")
    return workbook_bytes(wb)


def _source_spans(rows: list[dict]) -> None:
    """Runs of the same data source inside a part share one cell, as the printed table does:
    `source_span` is the run's length on its first row and 0 on the rows it covers."""
    start = 0
    for n in range(1, len(rows) + 1):
        if n == len(rows) or rows[n]["source"] != rows[start]["source"]:
            rows[start]["source_span"] = n - start
            for k in range(start + 1, n):
                rows[k]["source_span"] = 0
            start = n


def score_sheet_html(scheme: Scheme, subject_result: SubjectResult, *, version: str = "county",
                     subject_name: str = "", unit_name: str = "", village_label: str = "", signer_label: str = "",
                     signed_on: dt.date | None = None) -> str:
    data = score_sheet_data(scheme, subject_result, version=version, subject_name=subject_name,
                            unit_name=unit_name, village_label=village_label, signer_label=signer_label,
                            signed_on=signed_on)
    return render_to_string("assessment/forms/score_sheet.html", {"form": data})
