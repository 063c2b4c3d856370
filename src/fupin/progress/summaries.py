"""国庆与年终总结: the national-day (end of September) and year-end (December) summaries of an area,
built like the quarterly report only from frozen monthly dispatch snapshots, in Excel and PDF.

What the plans ask for. Benxi's 2019 plan runs "全年推进、半年总结、年终验收" (004 「完成时限：全年推进、
半年总结、年终验收」); in October it dispatches September and the third quarter (004 「月初调度九月份工作和
三季度工作」) ahead of the 10·17 National Poverty Alleviation Day, whose activities "总结脱贫攻坚成果"
and "选树典型" (004 「选树典型，总结脱贫攻坚成果」); in December it "开展全年工作总结". Anshan's last phase
(2020-11 to 12) "全面总结全市脱贫攻坚取得成效，进一步建立健稳定脱贫长效机制" (001 「全面总结阶段」).
The documents do not name a 国庆 report as such: the national-day summary is the end-of-September
summary those October items need, from the September snapshot; the year-end one is from December.

Reproducible: only snapshots of the year up to the period's month, frozen no later than the period's
own snapshot, are read (a month frozen afterwards cannot change a summary already issued), and the
files carry the period snapshot's freezing time, so the same frozen period gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from fupin.areas.models import Area, AreaLevel
from fupin.core.errors import NotFound, ValidationFailed
from fupin.core.pdf import html_to_pdf
from fupin.progress.dispatch import snapshot_figures
from fupin.progress.indicators import INDICATORS
from fupin.progress.map import tile_colour
from fupin.progress.models import Snapshot
from fupin.progress.reports import (
    BOLD,
    LATE_STATES,
    STATE_LABELS,
    TARGET_HEADER,
    _d,
    _label,
    _save,
    _sheet,
    _target_line,
)

COLOUR_LABELS = {"green": "达标90%以上", "amber": "达标60%–90%", "red": "达标不足60%", "grey": "无建档立卡户"}
TREND = ["not_exited_persons", "exited_in_year_persons", "reached_households", "low_income_persons",
         "housing_shortfall", "water_shortfall"]


@dataclass(frozen=True)
class Kind:
    month: int
    title: str
    basis: str
    targets_title: str
    unfinished_title: str


KINDS = {
    "national_day": Kind(
        9, "国庆节前（截至9月底）脱贫攻坚阶段总结",
        "依据：本溪县2019年实施方案十月份“月初调度九月份工作和三季度工作”“开展‘10.17国家扶贫日’宣传活动”，"
        "“选树典型，总结脱贫攻坚成果”；“全年推进、半年总结、年终验收”。",
        "前三季度目标任务进展", "滞后和逾期事项（第四季度攻坚）"),
    "year_end": Kind(
        12, "年终总结（全年）",
        "依据：本溪县2019年实施方案“全年推进、半年总结、年终验收”、十二月份“开展全年工作总结”；鞍山市2020年"
        "全面总结阶段“全面总结脱贫攻坚取得成效，进一步建立健全稳定脱贫长效机制”；抚顺市“年考核”。",
        "年度目标任务验收", "未完成事项（转入下一年度，纳入长效机制）"),
}


def summary_kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise NotFound(_("未知的总结类型：%(k)s（应为 national_day 或 year_end）") % {"k": kind}, code="unknown_summary")
    return KINDS[kind]


def summary_snapshots(*, area: Area, year: int, kind: str) -> list[Snapshot]:
    """The frozen months the summary reads, the period's month last; refused while that month is not
    frozen."""
    spec = summary_kind(kind)
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("年度应在2000至2100之间：%(y)s") % {"y": year}, code="bad_year")
    period = dt.date(year, spec.month, 1)
    last = Snapshot.objects.filter(area=area, month=period).first()
    if last is None:
        raise ValidationFailed(
            _("%(area)s %(m)s 的月调度尚未封存，不能生成%(title)s：请先封存该月") % {
                "area": area.name, "m": f"{period:%Y-%m}", "title": spec.title},
            code="period_not_frozen", details={"month": f"{period:%Y-%m}"})
    earlier = Snapshot.objects.filter(area=area, month__gte=dt.date(year, 1, 1), month__lt=period,
                                      frozen_at__lte=last.frozen_at).order_by("month")
    return [*earlier, last]


def _area_rows(area: Area, first: dict, last: dict, names: dict, levels: dict) -> list[dict]:
    child_level = min(area.level + 1, AreaLevel.VILLAGE)
    codes = sorted(c for c, lv in levels.items() if lv == child_level and c.startswith(area.prefix) and c != area.code)
    rows = []
    for code in codes:
        end, start = last.get(code, {}), first.get(code, {})
        households, reached = end.get("households", Decimal("0")), end.get("reached_households", Decimal("0"))
        colour = tile_colour(households, reached)
        rows.append({
            "code": code, "name": names.get(code, code), "households": _d(households), "reached": _d(reached),
            "percent": round(float(reached * 100 / households), 1) if households else 0.0,
            "colour": colour, "colour_label": COLOUR_LABELS[colour],
            "exited_in_year_persons": _d(end.get("exited_in_year_persons")),
            "not_exited_start": _d(start.get("not_exited_persons")), "not_exited_end": _d(end.get("not_exited_persons")),
            "low_income_persons": _d(end.get("low_income_persons")),
            "shortfalls": _d(sum(end.get(k, Decimal("0")) for k in (
                "housing_shortfall", "water_shortfall", "education_shortfall", "medical_shortfall")))})
    # Leaders first (选树典型), then the ones that need a push; code breaks ties so the order is fixed.
    rows.sort(key=lambda r: (-r["percent"], r["code"]))
    return rows


def _milestones(snapshots: list[Snapshot]) -> list[dict]:
    """Every milestone seen in the period's snapshots, in its latest frozen state."""
    latest: dict = {}
    for s in snapshots:
        for m in s.milestones:
            latest[m["id"]] = m
    return sorted(latest.values(), key=lambda m: (m["due"], m["id"]))


def summary_data(*, area: Area, year: int, kind: str) -> dict:
    """Everything the summary shows, from frozen rows only."""
    spec = summary_kind(kind)
    snapshots = summary_snapshots(area=area, year=year, kind=kind)
    last = snapshots[-1]
    figures = [snapshot_figures(s) for s in snapshots]
    names = dict(last.values.values_list("area_code", "area_name"))
    levels = dict(last.values.values_list("area_code", "level").distinct())
    own = area.code
    overall = []
    for indicator in INDICATORS:
        start, end = figures[0].get(own, {}).get(indicator), figures[-1].get(own, {}).get(indicator)
        overall.append({"indicator": indicator, "label": _label(indicator), "start": _d(start), "end": _d(end),
                        "change": _d(end - start) if start is not None and end is not None else None})
    months = [f"{s.month:%Y-%m}" for s in snapshots]
    trend = [{"indicator": i, "label": _label(i), "values": [_d(f.get(own, {}).get(i)) for f in figures]}
             for i in TREND]
    targets = [t for t in last.targets if kind != "year_end" or t["deadline"][:4] == str(year)]
    milestones = _milestones(snapshots)
    unfinished_targets = [t for t in targets if t["state"] in LATE_STATES]
    unfinished_milestones = [m for m in milestones if m["state"] != "done"]
    expected = [f"{year}-{m:02d}" for m in range(1, spec.month + 1)]
    return {
        "area": area, "area_name": area.name, "year": year, "kind": kind, "spec": spec,
        "title": f"{area.name} {year}年{spec.title}", "period": months[-1], "baseline": months[0], "months": months,
        "missing_months": [m for m in expected if m not in months], "overall": overall,
        "areas": _area_rows(area, figures[0], figures[-1], names, levels), "trend": trend,
        "targets": targets, "done_targets": sum(1 for t in targets if t["state"] == "done"),
        "unfinished_targets": unfinished_targets, "milestones": milestones,
        "done_milestones": sum(1 for m in milestones if m["state"] == "done"),
        "unfinished_milestones": unfinished_milestones, "state_labels": STATE_LABELS,
        "snapshot": last, "frozen_at": timezone.localtime(last.frozen_at).strftime("%Y-%m-%d %H:%M")}


def summary_xlsx(data: dict) -> bytes:
    spec: Kind = data["spec"]
    wb = Workbook()
    wb.remove(wb.active)
    ws = _sheet(wb, "总体成效", ["指标", f"年初（{data['baseline']}）", f"期末（{data['period']}）", "增减"],
                [[x["label"], x["start"], x["end"], x["change"]] for x in data["overall"]], widths=[36, 16, 16, 10])
    ws.insert_rows(1, 3)
    ws["A1"] = data["title"]
    ws["A1"].font = BOLD
    ws["A2"] = f"由 {data['period']} 月调度封存数据生成（封存于 {data['frozen_at']}）；所用月份：{'、'.join(data['months'])}" + (
        f"；未封存的月份：{'、'.join(data['missing_months'])}" if data["missing_months"] else "")
    ws["A3"] = spec.basis
    _sheet(wb, "各区域成效",
           ["区域", "建档立卡户数", "已达标户数", "达标占比（%）", "进度", "本年脱贫人数", "年初未脱贫人数",
            "期末未脱贫人数", "人均纯收入5000元以下人数", "三保障及饮水缺口户次"],
           [[a["name"], a["households"], a["reached"], a["percent"], a["colour_label"], a["exited_in_year_persons"],
             a["not_exited_start"], a["not_exited_end"], a["low_income_persons"], a["shortfalls"]]
            for a in data["areas"]],
           colours=[a["colour"] for a in data["areas"]], widths=[20, 12, 12, 12, 14, 12, 14, 14, 16, 14])
    _sheet(wb, "逐月进展", ["指标", *data["months"]], [[t["label"], *t["values"]] for t in data["trend"]],
           widths=[36] + [10] * len(data["months"]))
    _sheet(wb, spec.targets_title[:31], TARGET_HEADER, [_target_line(t) for t in data["targets"]],
           colours=[t["colour"] for t in data["targets"]], widths=[24, 14, 12, 30, 10, 10, 6, 8, 12, 12, 16, 20, 20])
    _sheet(wb, "月度节点完成情况", ["方案", "完成时限", "工作内容", "牵头单位", "责任单位", "状态", "完成日期"],
           [[m["plan"], m["due"], m["title"], m["lead_unit"], m["responsible_units"],
             STATE_LABELS.get(m["state"], m["state"]), m["done_on"]] for m in data["milestones"]],
           colours=["green" if m["state"] == "done" else ("red" if m["state"] == "late" else None)
                    for m in data["milestones"]], widths=[24, 12, 60, 16, 20, 10, 12])
    rows = [["目标任务", t["area"], t["name"], t["deadline"], STATE_LABELS.get(t["state"], t["state"]),
             t["lead_leader"], t["lead_unit"]] for t in data["unfinished_targets"]]
    rows += [["月度节点", m["plan"], m["title"], m["due"], STATE_LABELS.get(m["state"], m["state"]), "", m["lead_unit"]]
             for m in data["unfinished_milestones"]]
    _sheet(wb, "未完成事项", ["类别", "区域/方案", "事项", "完成时限", "状态", "牵头领导", "牵头单位"], rows,
           colours=["red" if r[4] == STATE_LABELS["late"] else "amber" for r in rows],
           widths=[10, 24, 50, 12, 12, 16, 20])
    wb["未完成事项"].insert_rows(1)
    wb["未完成事项"]["A1"] = spec.unfinished_title
    wb["未完成事项"]["A1"].font = BOLD
    return _save(wb, data["snapshot"])


def summary_html(data: dict) -> str:
    with translation.override("zh-hans"):
        return render_to_string("progress/summary_print.html", data)


def summary_pdf(data: dict) -> bytes:
    return html_to_pdf(summary_html(data))
