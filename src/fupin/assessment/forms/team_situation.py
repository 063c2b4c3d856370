"""附件2 工作情况表 (2020年度县直单位驻村工作队工作情况表): the team's unit, village, current members,
funds and the 驻村工作实绩材料 lines, with the four opinion blocks that sign it off.

`team_info` is a plain dict (all keys optional unless marked):

    {
      "year": 2020,                          # the form's year (title, 「2020年 月 日」 of the opinion blocks)
      "unit_name": "彰武县卫生健康局",          # 县直部门（单位）名称 — required
      "county": "彰武县", "township": "五峰镇", "village": "富有村",
                                              # 所在村名称, printed 「彰武县五峰镇富有村」; or "village_label"
      "members": [                            # 现任驻村队员情况, in the order to print
        {"name": "张三", "role": "队长", "gender": "男", "age": 45, "education": "本科",
         "political_status": "中共党员", "phone": "138****5678", "adjusted_on": "2020-03-01", "days": 186},
      ],                                      # phone printed as given (mask it before if the reader may not see it)
      "funds_total": 120, "funds_unit": 20, "funds_coordinated": 100,
                                              # 万元: 投入资金总数 = 帮扶单位投入 + 协调落实驻村项目资金（含物资折款）;
                                              # the total is computed when left out, refused when it does not add up
      "achievements": "……",                   # 工作实绩 in a few sentences (optional)
      "materials": ["研究制定村级党务和村务管理制度3项，……", None, ...],
                                              # 驻村工作实绩材料: up to 14 texts replacing the template's items in
                                              # order; an item left out or None keeps the template text with ×
      "opinions": {"unit": "…", "village": "…", "township": "…", "county": "…"},
                                              # 工作队派出单位意见, 村意见, 乡镇意见, 县（市、区）脱贫攻坚领导小组意见
    }
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

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
    date_value,
    list_value,
    mapping_value,
    new_workbook,
    number,
    number_value,
    refuse,
    text_value,
    workbook_bytes,
)

# 驻村工作实绩材料（模板）, 14 items, as printed (000: 「驻村工作实绩材料（模板）」).
ACHIEVEMENT_TEMPLATE = (
    "研究制定村级党务和村务管理制度×项，全年共召开村“两委”会议×次、党员参观培训×次，选培×名后备村干部和×名入党积极分子。",
    "投资×万元对村部和文化广场进行改扩建，向村部捐赠价值×万元的办公、电教和文体设备，建设公示亭，开通党员干部远程教育设备，多方协调桌椅等办公用品。",
    "协调资金×万元，建设满族风情文化广场，启动满族村寨建设项目。",
    "帮扶×个养殖户、×个种植户扩大生产，为其中×个养殖户、×个种植户各申请无息贷款×万元。",
    "协调投入×万元，对村内道路进行整体规划建设，修建水泥路×公里、沙石路×公里，实现了“户户通”水泥路的目标。",
    "协调投入×万元，建设沼气池项目，解决×个养殖户养殖粪便无害化处理问题。",
    "争取补贴资金×万元，为×个农户落实了节能炉改造项目。",
    "协调美丽乡村建设项目×个，项目建设资金×万元。",
    "协调高标准田建设项目×亩，项目建设资金×万元。",
    "协调秸秆腐熟剂试验项目×亩，项目资金×万元。",
    "开办“爱心超市”，捐赠款物折合人民币×万多元,对全镇×多名贫困群众和×名贫困学生进行救助。",
    "为村小学捐赠图书、文体器材等折合人民币×万元。",
    "化解邻里、土地、家庭等矛盾纠纷×起。",
    "其他工作。",
)
MEMBER_COLUMNS = (
    ("name", "姓名", 9), ("role", "队内职务", 8), ("gender", "性别", 5), ("age", "年龄", 5), ("education", "学历", 8),
    ("political_status", "政治面貌", 9), ("phone", "联系电话", 13), ("adjusted_on", "驻村调整时间", 11),
    ("days", "驻村天数", 7),
)
OPINIONS = (("unit", "工作队派出单位意见："), ("village", "村意见："), ("township", "乡镇意见："),
            ("county", "县（市、区）脱贫攻坚领导小组意见："))
FUNDS_NOTE = "注：投入资金情况不包括投资性资金、不包括为贫困户协调的贷款"
TEAM_KEYS = ("year", "unit_name", "county", "township", "village", "village_label", "members", "funds_total",
             "funds_unit", "funds_coordinated", "achievements", "materials", "opinions")


def _member(raw, n: int) -> dict:
    field = f"members[{n}]"
    raw = mapping_value(raw, field, [key for key, _label, _w in MEMBER_COLUMNS])
    member = {key: text_value(raw.get(key), f"{field}.{key}") for key in
              ("role", "gender", "education", "political_status", "phone")}
    member["name"] = text_value(raw.get("name"), f"{field}.name", required=True)
    age = number_value(raw.get("age"), f"{field}.age", minimum=Decimal(16), maximum=Decimal(80))
    days = number_value(raw.get("days"), f"{field}.days")
    for key, value in (("age", age), ("days", days)):
        if value is not None and value != value.to_integral_value():
            raise refuse(_("%(field)s 应为整数") % {"field": f"{field}.{key}"}, code="not_an_integer",
                         field=f"{field}.{key}")
    member["age"] = int(age) if age is not None else None
    member["days"] = int(days) if days is not None else None
    adjusted = date_value(raw.get("adjusted_on"), f"{field}.adjusted_on")
    member["adjusted_on"] = adjusted.isoformat() if adjusted else ""
    return member


def _material(n: int, text: str | None) -> str:
    if not text:
        return f"{n}、{ACHIEVEMENT_TEMPLATE[n - 1]}"
    return text if re.match(rf"^{n}\s*[、.．]", text) else f"{n}、{text}"


def team_situation_data(team_info: dict) -> dict:
    info = mapping_value(team_info, "team_info", TEAM_KEYS)
    year = number_value(info.get("year", 2020), "year", minimum=Decimal(2000), maximum=Decimal(2100))
    year = int(year) if year is not None else 2020
    unit_name = text_value(info.get("unit_name"), "unit_name", required=True)
    village = text_value(info.get("village_label"), "village_label")
    if not village:
        county, township, name = (text_value(info.get(k), k) for k in ("county", "township", "village"))
        if not name:
            raise refuse(_("请填写所在村名称（county、township、village 或 village_label）"), code="required",
                         field="village")
        village = f"{county}{township}{name}"
    members = [_member(m, n) for n, m in enumerate(list_value(info.get("members"), "members"))]

    unit = number_value(info.get("funds_unit"), "funds_unit")
    coordinated = number_value(info.get("funds_coordinated"), "funds_coordinated")
    total = number_value(info.get("funds_total"), "funds_total")
    if total is None and (unit is not None or coordinated is not None):
        total = (unit or Decimal(0)) + (coordinated or Decimal(0))
    elif total is not None and unit is not None and coordinated is not None and total != unit + coordinated:
        raise refuse(_("投入资金总数 %(total)s 万元应等于帮扶单位投入 %(unit)s 万元与协调落实驻村项目资金 %(co)s 万元之和")
                     % {"total": fmt(total), "unit": fmt(unit), "co": fmt(coordinated)},
                     code="funds_mismatch", field="funds_total")

    given = list_value(info.get("materials"), "materials")
    if len(given) > len(ACHIEVEMENT_TEMPLATE):
        raise refuse(_("驻村工作实绩材料最多 %(n)s 项，现有 %(m)s 项") % {"n": len(ACHIEVEMENT_TEMPLATE), "m": len(given)},
                     code="too_many_materials", field="materials")
    texts = [text_value(t, f"materials[{n}]") for n, t in enumerate(given)]
    materials = [_material(n, texts[n - 1] if n <= len(texts) else "") for n in range(1, len(ACHIEVEMENT_TEMPLATE) + 1)]

    opinions_in = mapping_value(info.get("opinions") or {}, "opinions", [k for k, _label in OPINIONS])
    opinions = [{"label": label, "text": text_value(opinions_in.get(key), f"opinions.{key}"),
                 "date": date_text(None, year)} for key, label in OPINIONS]
    return {
        "title": f"{year}年度县直单位驻村工作队工作情况表", "year": year, "unit_name": unit_name, "village": village,
        # blank lines to fill by hand when no one is listed
        "members": members, "member_rows": members or [dict.fromkeys((k for k, _l, _w in MEMBER_COLUMNS), "")] * 3,
        "member_columns": [(key, label) for key, label, _w in MEMBER_COLUMNS],
        "funds": [("投入资金总数（万元）", number(total)), ("帮扶单位投入资金数（万元）", number(unit)),
                  ("协调落实驻村项目资金（含物资折款）（万元）", number(coordinated))],
        "achievements": text_value(info.get("achievements"), "achievements"), "materials": materials,
        "opinions": opinions, "note": FUNDS_NOTE,
    }


def team_situation_xlsx(team_info: dict) -> bytes:
    data = team_situation_data(team_info)
    widths = [5] + [w for _k, _l, w in MEMBER_COLUMNS]
    wb, ws = new_workbook("工作情况表", data["title"])
    sheet = FormSheet(ws, widths)
    sheet.line("附件2：", font=BOLD)
    sheet.title(data["title"])
    last = sheet.ncols

    def pair(label: str, value: str):
        sheet.row += 1
        sheet.put(sheet.row, 1, label, last_col=3, font=BOLD)
        sheet.put(sheet.row, 4, value, last_col=last, align=LEFT)
        sheet.fit(sheet.row, [(value, sheet.span_width(4, last))], minimum=26)

    pair("县直部门（单位）名称", data["unit_name"])
    pair("所在村名称", data["village"])

    first = sheet.row + 1
    sheet.row += 1
    for col, (_key, label) in enumerate(data["member_columns"], start=2):
        sheet.put(sheet.row, col, label, font=BOLD)
    sheet.fit(sheet.row, [], minimum=30)
    for member in data["member_rows"]:
        sheet.row += 1
        for col, (key, _label) in enumerate(data["member_columns"], start=2):
            value = member.get(key)
            sheet.put(sheet.row, col, None if value == "" else value, number_format="0")
        sheet.fit(sheet.row, [(str(member.get(key) or ""), widths[col - 1])
                              for col, (key, _label) in enumerate(data["member_columns"], start=2)], minimum=22)
    sheet.tall_enough(first, sheet.row, "现任驻村队员情况")
    sheet.put(first, 1, "现任驻村队员情况", last_row=sheet.row, font=BOLD, align=VERTICAL)

    first = sheet.row + 1
    sheet.row += 1
    for n, (label, value) in enumerate(data["funds"]):
        col = 2 + n * 3
        sheet.put(sheet.row, col, label, last_col=col + 1, font=SMALL)
        sheet.put(sheet.row, col + 2, value, number_format=NUMBER_FORMAT)
    sheet.fit(sheet.row, [(label, sheet.span_width(2 + n * 3, 3 + n * 3)) for n, (label, _v) in enumerate(data["funds"])],
              minimum=30)
    if data["achievements"]:
        sheet.row += 1
        sheet.put(sheet.row, 2, data["achievements"], last_col=last, align=LEFT)
        sheet.fit(sheet.row, [(data["achievements"], sheet.span_width(2, last))])
    sheet.row += 1
    sheet.put(sheet.row, 2, "驻村工作实绩材料", last_col=last, font=BOLD)
    for text in data["materials"]:
        sheet.row += 1
        sheet.put(sheet.row, 2, text, last_col=last, align=LEFT)
        sheet.fit(sheet.row, [(text, sheet.span_width(2, last))])
    sheet.tall_enough(first, sheet.row, "工作实绩")
    sheet.put(first, 1, "工作实绩", last_row=sheet.row, font=BOLD, align=VERTICAL)

    for opinion in data["opinions"]:
        sheet.row += 1
        text = f"{opinion['label']}\n{opinion['text']}" if opinion["text"] else opinion["label"]
        sheet.put(sheet.row, 1, text, last_col=last, align=LEFT_TOP)
        sheet.fit(sheet.row, [(text, sheet.span_width(1, last))], minimum=48)
        sheet.row += 1
        sheet.put(sheet.row, 1, "签字　　　　　　　　（盖章）", last_col=last, align=RIGHT)
        sheet.row += 1
        sheet.put(sheet.row, 1, opinion["date"], last_col=last, align=RIGHT)
        sheet.box(sheet.row - 2, sheet.row)
    sheet.line(data["note"], font=SMALL)
    sheet.print_setup()
    return workbook_bytes(wb)


def team_situation_html(team_info: dict) -> str:
    return render_to_string("assessment/forms/team_situation.html", {"form": team_situation_data(team_info)})
