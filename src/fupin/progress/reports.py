"""The dispatch report (月调度报告) of a frozen month, in Excel and PDF, and the quarterly report built
from three frozen months. Built only from snapshot rows, with fixed timestamps inside the files, so a
frozen month's report regenerates byte for byte."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from fupin.areas.models import AreaLevel
from fupin.core.pdf import html_to_pdf
from fupin.progress.dispatch import snapshot_figures, snapshot_previous
from fupin.progress.indicators import INDICATORS
from fupin.progress.models import Snapshot

FILLS = {"red": PatternFill("solid", fgColor="F8D7DA"), "amber": PatternFill("solid", fgColor="FFF3CD"),
         "green": PatternFill("solid", fgColor="D4EDDA")}
BOLD = Font(bold=True)
LATE_STATES = ("late", "behind", "near")
STATE_LABELS = {"done": "已完成", "late": "逾期未完成", "near": "临近时限", "behind": "进度滞后",
                "on_track": "按进度推进", "none": "定性任务", "due": "本月到期"}


def _label(code: str) -> str:
    with translation.override("zh-hans"):
        return str(INDICATORS[code].label) if code in INDICATORS else code


def _d(value) -> float | int | None:
    if value is None:
        return None
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


def report_rows(snapshot: Snapshot) -> dict:
    """Everything the report shows, from the frozen rows: the area and its children with this month,
    last month and the change; late targets and milestones with who leads them."""
    now = snapshot_figures(snapshot)
    previous = snapshot_previous(snapshot)
    before = snapshot_figures(previous) if previous else {}
    names = dict(snapshot.values.values_list("area_code", "area_name"))
    own = snapshot.area.code
    child_level = snapshot.area.level + 1
    codes = [own] + sorted(c for c, lv in snapshot.values.values_list("area_code", "level").distinct()
                           if lv == child_level and c.startswith(snapshot.area.prefix))
    areas = []
    for code in codes:
        lines = []
        for indicator in INDICATORS:
            this = now.get(code, {}).get(indicator, Decimal("0"))
            last = before.get(code, {}).get(indicator) if previous else None
            lines.append({"indicator": indicator, "label": _label(indicator), "value": _d(this), "previous": _d(last),
                          "change": _d(this - last) if last is not None else None})
        areas.append({"code": code, "name": names.get(code, code), "lines": lines})
    late_targets = [t for t in snapshot.targets if t["state"] in LATE_STATES]
    late_milestones = [m for m in snapshot.milestones if m["state"] == "late"]
    return {"snapshot": snapshot, "month": f"{snapshot.month:%Y-%m}", "area_name": snapshot.area.name,
            "previous_month": f"{previous.month:%Y-%m}" if previous else "", "areas": areas,
            "targets": snapshot.targets, "late_targets": late_targets, "milestones": snapshot.milestones,
            "late_milestones": late_milestones, "state_labels": STATE_LABELS,
            "frozen_at": timezone.localtime(snapshot.frozen_at).strftime("%Y-%m-%d %H:%M")}


def _stable(data: bytes, stamp: str) -> bytes:
    """Zip entries with a fixed date and the document properties at the freezing time: the same
    snapshot always gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, body)
    return out.getvalue()


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list], colours: list[str | None] | None = None,
           widths: list[int] | None = None):
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for n, row in enumerate(rows):
        ws.append(row)
        colour = colours[n] if colours else None
        if colour in FILLS:
            for cell in ws[ws.max_row]:
                cell.fill = FILLS[colour]
    for n, width in enumerate(widths or [], start=1):
        ws.column_dimensions[ws.cell(row=1, column=n).column_letter].width = width
    ws.freeze_panes = "A2"
    return ws


def _target_line(t: dict) -> list:
    return [t["plan"], t["area"], t["group"], t["name"], _d(t["value"]), _d(t["actual"]), t["unit"],
            t["percent"], STATE_LABELS.get(t["state"], t["state"]), t["deadline"], t["lead_leader"], t["lead_unit"],
            t["responsible_units"]]


TARGET_HEADER = ["方案", "区域", "类别", "目标任务", "目标值", "完成值", "单位", "完成比例（%）", "状态", "完成时限",
                 "牵头领导", "牵头单位", "责任单位"]


def dispatch_xlsx(snapshot: Snapshot) -> bytes:
    data = report_rows(snapshot)
    wb = Workbook()
    wb.remove(wb.active)
    rows = []
    for area in data["areas"]:
        for line in area["lines"]:
            rows.append([area["name"], line["label"], line["value"], line["previous"], line["change"]])
    ws = _sheet(wb, "调度总表", ["区域", "指标", f"{data['month']}", f"上月 {data['previous_month']}", "增减"], rows,
                widths=[20, 34, 14, 14, 10])
    ws.insert_rows(1)
    ws["A1"] = f"{data['area_name']} {data['month']} 月调度（封存于 {data['frozen_at']}）"
    ws["A1"].font = BOLD
    _sheet(wb, "滞后和逾期事项", TARGET_HEADER, [_target_line(t) for t in data["late_targets"]],
           colours=[t["colour"] for t in data["late_targets"]], widths=[24, 14, 12, 30, 10, 10, 6, 8, 12, 12, 16, 20, 20])
    _sheet(wb, "目标任务进度", TARGET_HEADER, [_target_line(t) for t in data["targets"]],
           colours=[t["colour"] for t in data["targets"]], widths=[24, 14, 12, 30, 10, 10, 6, 8, 12, 12, 16, 20, 20])
    _sheet(wb, "月度节点", ["方案", "完成时限", "工作内容", "牵头单位", "责任单位", "状态", "完成日期"],
           [[m["plan"], m["due"], m["title"], m["lead_unit"], m["responsible_units"],
             STATE_LABELS.get(m["state"], m["state"]), m["done_on"]] for m in data["milestones"]],
           colours=["red" if m["state"] == "late" else ("green" if m["state"] == "done" else None)
                    for m in data["milestones"]], widths=[24, 12, 60, 16, 20, 10, 12])
    return _save(wb, snapshot)


def _save(wb: Workbook, snapshot: Snapshot) -> bytes:
    stamp = snapshot.frozen_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    wb.properties.creator = "Fupin"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _stable(buffer.getvalue(), stamp)


def dispatch_html(snapshot: Snapshot) -> str:
    with translation.override("zh-hans"):
        return render_to_string("progress/dispatch_print.html", report_rows(snapshot))


def dispatch_pdf(snapshot: Snapshot) -> bytes:
    return html_to_pdf(dispatch_html(snapshot))


def quarterly_xlsx(snapshots: list[Snapshot]) -> bytes:
    """季度报告: each indicator of the area and its children month by month through the quarter, and
    the targets as they stood at the quarter's end."""
    first, last = snapshots[0], snapshots[-1]
    months = [f"{s.month:%Y-%m}" for s in snapshots]
    figures = [snapshot_figures(s) for s in snapshots]
    names = dict(last.values.values_list("area_code", "area_name"))
    child_level = AreaLevel(min(last.area.level + 1, AreaLevel.VILLAGE))
    codes = [last.area.code] + sorted(c for c, lv in last.values.values_list("area_code", "level").distinct()
                                      if lv == child_level)
    rows = []
    for code in codes:
        for indicator in INDICATORS:
            values = [f.get(code, {}).get(indicator) for f in figures]
            start, end = values[0], values[-1]
            change = _d(end - start) if start is not None and end is not None else None
            rows.append([names.get(code, code), _label(indicator), *[_d(v) for v in values], change])
    wb = Workbook()
    wb.remove(wb.active)
    quarter = (first.month.month - 1) // 3 + 1
    ws = _sheet(wb, "季度调度", ["区域", "指标", *months, "季度增减"], rows, widths=[20, 34, 12, 12, 12, 10])
    ws.insert_rows(1)
    ws["A1"] = f"{last.area.name} {first.month.year}年第{quarter}季度调度报告"
    ws["A1"].font = BOLD
    _sheet(wb, "季末目标任务进度", TARGET_HEADER, [_target_line(t) for t in last.targets],
           colours=[t["colour"] for t in last.targets], widths=[24, 14, 12, 30, 10, 10, 6, 8, 12, 12, 16, 20, 20])
    return _save(wb, last)
