"""附件4 报送材料清单: what the team sends the county (一) and what the county sends the city's spot-check
group (二), each item marked 已报送 or 未报送 with the date it was handed in.

`MATERIALS` is the canonical list, each item with a stable key and the seed line it comes from. The
status of the items is given as data, a list of ``{"key": "team.self_form", "submitted": True,
"submitted_on": date(2020, 10, 25), "note": ""}``; an item not listed is 未报送.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from fupin.assessment.engine.model import Cite

from .common import (
    BOLD,
    LEFT,
    SMALL,
    FormSheet,
    date_text,
    date_value,
    list_value,
    mapping_value,
    new_workbook,
    number_value,
    refuse,
    text_value,
    workbook_bytes,
)

PROOF = "及工作实绩相关证明材料（单位投入资金、协调项目资金、物资折款、村集体收入等）"


@dataclass(frozen=True)
class MaterialItem:
    key: str
    title: str
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class MaterialList:
    key: str
    title: str
    items: tuple[MaterialItem, ...]
    cites: tuple[Cite, ...]


def _c(*quotes: str) -> tuple[Cite, ...]:
    return tuple(Cite("000", q) for q in quotes)


MATERIALS: tuple[MaterialList, ...] = (
    MaterialList("team", "一、驻村工作队报送县级扶贫部门材料清单", (
        MaterialItem("team.self_form", "驻村工作队自评表（附件1）", _c("1.驻村工作队自评表（附件 1）；")),
        MaterialItem("team.proof", "驻村工作队工作实绩相关证明材料", _c("2.驻村工作队工作实绩相关证明材料；")),
        MaterialItem("team.situation_form", f"驻村工作队工作情况表（附件2）{PROOF}",
                     _c("3.驻村工作队工作情况表（附件 2）及工作实绩相关证明材料（单")),
    ), _c("一、驻村工作队报送县级扶贫部门材料清单")),
    MaterialList("county", "二、县级扶贫部门报送市级抽验组材料清单", (
        MaterialItem("county.ranking", "县级排序表（附件3）", _c("1.县级排序表（附件 3）；")),
        MaterialItem("county.evaluation_form", "县级考核评价表（附件1）", _c("2.县级考核评价表（附件 1）；")),
        MaterialItem("county.self_form", "驻村工作队自评表（附件1）", _c("3.驻村工作队自评表（附件 1）；")),
        MaterialItem("county.situation_form", f"驻村工作队工作情况表（附件2）{PROOF}、县级评价扣分证明",
                     _c("4.驻村工作队工作情况表（附件 2）及工作实绩相关证明材料（单", "扣分证明")),
    ), _c("二、县级扶贫部门报送市级抽验组材料清单")),
)
MATERIAL_KEYS = tuple(item.key for group in MATERIALS for item in group.items)


def materials_checklist_data(items, *, year: int = 2020, subject_name: str = "") -> dict:
    year = int(number_value(year, "year", required=True, minimum=Decimal(2000), maximum=Decimal(2100)))
    status: dict[str, dict] = {}
    for n, raw in enumerate(list_value(items, "items")):
        field = f"items[{n}]"
        raw = mapping_value(raw, field, ("key", "submitted", "submitted_on", "note"))
        key = text_value(raw.get("key"), f"{field}.key", required=True)
        if key not in MATERIAL_KEYS:
            raise refuse(_("未知的报送材料“%(key)s”（可用：%(keys)s）") % {"key": key, "keys": "、".join(MATERIAL_KEYS)},
                         code="unknown_material", field=f"{field}.key")
        if key in status:
            raise refuse(_("报送材料“%(key)s”重复") % {"key": key}, code="duplicate_material", field=f"{field}.key")
        submitted = raw.get("submitted", False)
        if not isinstance(submitted, bool):
            raise refuse(_("%(field)s 应为 true 或 false") % {"field": f"{field}.submitted"}, code="not_a_boolean",
                         field=f"{field}.submitted")
        day = date_value(raw.get("submitted_on"), f"{field}.submitted_on")
        if day and not submitted:
            raise refuse(_("“%(key)s”未报送，不应有报送日期") % {"key": key}, code="date_without_submission",
                         field=f"{field}.submitted_on")
        status[key] = {"submitted": submitted, "date": date_text(day) if day else "",
                       "note": text_value(raw.get("note"), f"{field}.note")}
    groups = []
    for group in MATERIALS:
        lines = []
        for n, item in enumerate(group.items, start=1):
            state = status.get(item.key, {"submitted": False, "date": "", "note": ""})
            lines.append({"no": n, "key": item.key, "title": item.title, "state": "已报送" if state["submitted"] else "未报送",
                          "submitted": state["submitted"], "date": state["date"], "note": state["note"]})
        groups.append({"key": group.key, "title": group.title, "items": lines})
    return {"title": f"{year}年度县直单位驻村工作考核报送材料清单", "subject": text_value(subject_name, "subject_name"),
            "groups": groups}


def materials_checklist_xlsx(items, *, year: int = 2020, subject_name: str = "") -> bytes:
    data = materials_checklist_data(items, year=year, subject_name=subject_name)
    widths = [6, 52, 10, 16, 16]
    wb, ws = new_workbook("报送材料清单", data["title"])
    sheet = FormSheet(ws, widths)
    sheet.line("附件4：", font=BOLD)
    sheet.title(data["title"])
    if data["subject"]:
        sheet.line(f"报送单位：{data['subject']}")
    for group in data["groups"]:
        sheet.row += 1
        sheet.line(group["title"], font=BOLD, height=24)
        sheet.row += 1
        for col, label in enumerate(["序号", "材料", "是否报送", "报送日期", "备注"], start=1):
            sheet.put(sheet.row, col, label, font=BOLD)
        sheet.fit(sheet.row, [], minimum=22)
        for line in group["items"]:
            sheet.row += 1
            r = sheet.row
            sheet.put(r, 1, line["no"])
            sheet.put(r, 2, line["title"], align=LEFT)
            sheet.put(r, 3, line["state"], font=BOLD if not line["submitted"] else SMALL)
            sheet.put(r, 4, line["date"], font=SMALL)
            sheet.put(r, 5, line["note"], align=LEFT, font=SMALL)
            sheet.fit(r, [(line["title"], widths[1]), (line["note"], widths[4])], minimum=24)
    sheet.print_setup()
    return workbook_bytes(wb)


def materials_checklist_html(items, *, year: int = 2020, subject_name: str = "") -> str:
    data = materials_checklist_data(items, year=year, subject_name=subject_name)
    return render_to_string("assessment/forms/materials_checklist.html", {"form": data})


def materials_as_dicts() -> list[dict]:
    """MATERIALS as plain data (for an API schema or a page)."""
    return [{"key": g.key, "title": g.title, "cites": [c.as_dict() for c in g.cites],
             "items": [{"key": i.key, "title": i.title, "cites": [c.as_dict() for c in i.cites]} for i in g.items]}
            for g in MATERIALS]

