"""The problem list (问题清单) and the rectification ledger (整改台账) as Excel workbooks, and the signed
rectification report (整改情况报告) as a PDF. Each is built from findings the reader may see."""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import Count, Prefetch, QuerySet
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from fupin.core import clock
from fupin.supervision.models import Finding, FindingStatus, RectificationStep, StepKind

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")

PROBLEM_COLUMNS = [("序号", 6), ("问题编号", 9), ("督查活动", 22), ("乡镇", 12), ("村", 14), ("督查要点", 22),
                   ("问题描述", 40), ("严重程度", 8), ("问题来源", 11), ("责任单位", 16), ("发现日期", 11),
                   ("整改时限", 11), ("状态", 11), ("逾期天数", 8)]
LEDGER_COLUMNS = [("序号", 6), ("问题编号", 9), ("问题所在", 18), ("问题描述", 36), ("责任单位", 16),
                  ("整改时限", 11), ("整改措施", 40), ("上报日期", 11), ("佐证材料", 8), ("核验意见", 24),
                  ("核验人", 10), ("销号日期", 11), ("状态", 11), ("逾期督办", 11)]


def _names(qs: QuerySet) -> dict[str, str]:
    from fupin.areas.models import Area

    codes = set()
    for area_code in qs.values_list("area__code", flat=True):
        codes.add(area_code[:9].ljust(12, "0"))
    return dict(Area.objects.current().filter(code__in=codes).values_list("code", "name"))


def _sheet(wb: Workbook, title: str, heading: str, columns: list[tuple[str, int]], rows: list[list], note: str):
    ws = wb.active if wb.active.max_row == 1 and wb.active.title == "Sheet" else wb.create_sheet()
    ws.title = title
    ws.cell(row=1, column=1, value=heading).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.cell(row=2, column=1, value=note)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    for i, (label, width) in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=i, value=label)
        cell.font, cell.border, cell.alignment = Font(bold=True), BOX, Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border, cell.alignment = BOX, WRAP
    ws.freeze_panes = "A4"
    # Printed on A4 landscape, all columns on one page width (the ledger is signed on paper).
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "3:3"
    footer = 4 + len(rows) + 1
    ws.cell(row=footer, column=1, value="主要领导签字：                经手人签字：                制表时间：")
    return ws


def _overdue_days(f: Finding, today: dt.date) -> int | str:
    return (today - f.deadline).days if f.is_overdue(today) else ""


def problem_list_workbook(qs: QuerySet, *, title: str = "督查问题清单", today: dt.date | None = None) -> Workbook:
    today = today or clock.today()
    qs = qs.select_related("area", "responsible_area", "campaign", "checklist_item").order_by("area__code", "pk")
    townships = _names(qs)
    rows = []
    for n, f in enumerate(qs, start=1):
        township = townships.get(f.area.code[:9].ljust(12, "0"), "") if len(f.area.prefix) >= 9 else ""
        item = f"{f.checklist_item.no} {f.checklist_item.area_title}" if f.checklist_item else ""
        rows.append([n, f.pk, f.campaign.name if f.campaign else "", township,
                     f.area.name if len(f.area.prefix) == 12 else "", item, f.description, f.get_severity_display(),
                     f.get_source_display(), f.responsible_label, f.found_on, f.deadline, f.get_status_display(),
                     _overdue_days(f, today)])
    wb = Workbook()
    _sheet(wb, "问题清单", title, PROBLEM_COLUMNS, rows, f"共 {len(rows)} 个问题，统计日期 {today}")
    return wb


def ledger_workbook(qs: QuerySet, *, title: str = "问题整改台账", today: dt.date | None = None) -> Workbook:
    today = today or clock.today()
    steps = Prefetch("steps", queryset=RectificationStep.objects.order_by("at", "pk"))
    qs = (qs.select_related("area", "responsible_area", "closed_by").prefetch_related(steps)
          .annotate(evidence_count=Count("evidence", distinct=True)).order_by("area__code", "pk"))
    rows = []
    for n, f in enumerate(qs, start=1):
        reports = [s for s in f.steps.all() if s.kind == StepKind.REPORT]
        verdicts = [s for s in f.steps.all() if s.kind in (StepKind.CLOSE, StepKind.RETURN)]
        last_report = reports[-1] if reports else None
        rows.append([n, f.pk, f.area.name, f.description, f.responsible_label, f.deadline,
                     last_report.text if last_report else "", last_report.day if last_report else "",
                     f.evidence_count, verdicts[-1].text if verdicts else "",
                     verdicts[-1].actor_name if verdicts and f.status == FindingStatus.CLOSED else "",
                     f.closed_on or "", f.get_status_display(), f.escalated_on or ""])
    wb = Workbook()
    _sheet(wb, "整改台账", title, LEDGER_COLUMNS, rows, f"共 {len(rows)} 个问题，统计日期 {today}")
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def report_html(*, title: str, unit: str, findings: QuerySet, counts: dict, today: dt.date | None = None) -> str:
    """The rectification report as one self-contained HTML page (printed to PDF by Chromium)."""
    today = today or clock.today()
    steps = Prefetch("steps", queryset=RectificationStep.objects.order_by("at", "pk"))
    rows = []
    for f in findings.select_related("area", "responsible_area").prefetch_related(steps).annotate(
            evidence_count=Count("evidence", distinct=True)).order_by("area__code", "pk"):
        reports = [s for s in f.steps.all() if s.kind == StepKind.REPORT]
        rows.append({"f": f, "measures": reports[-1].text if reports else "", "overdue": f.is_overdue(today)})
    return render_to_string("supervision/report_pdf.html", {"title": title, "unit": unit, "rows": rows,
                                                            "counts": counts, "today": today})
