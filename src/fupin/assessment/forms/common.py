"""What every form shares: numbers as the documents write them, dates with blanks to fill by hand,
input checks that name the place, and a small worksheet writer for the fixed printed layouts.

Workbooks come out byte-identical for the same input: the document properties carry a fixed time and
every zip entry the fixed stamp the project's other exports use, so a form of a closed assessment
regenerated later is the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from fupin.assessment.engine.numbers import D, fmt
from fupin.core.errors import ValidationFailed
from fupin.registry.io.xlsx import FIXED_ZIP_TIME

FIXED_PROPERTIES_TIME = dt.datetime(*FIXED_ZIP_TIME)
FONT_NAME = "宋体"
BLANK_DATE = "　　年　　月　　日"

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LEFT_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True, indent=1)
VERTICAL = Alignment(horizontal="center", vertical="center", wrap_text=True, text_rotation=255)
BODY = Font(name=FONT_NAME, size=11)
BOLD = Font(name=FONT_NAME, size=11, bold=True)
TITLE = Font(name=FONT_NAME, size=16, bold=True)
SMALL = Font(name=FONT_NAME, size=10)
NUMBER_FORMAT = "0.##;-0.##;0"  # 90.4, 97, 0: no trailing zeros, as the documents write points
INTEGER_FORMAT = "0"


# ---------------------------------------------------------------------------------------------------
# Values


def number(value) -> int | float | None:
    """A Decimal score as an Excel number: whole numbers as int, others rounded to the hundredth."""
    if value is None:
        return None
    value = D(value).quantize(Decimal("0.01"))
    return int(value) if value == value.to_integral_value() else float(value)


def points(value) -> str:
    """Points as text for the HTML forms (3, 2.5, 0.75; — when not scored)."""
    return fmt(None if value is None else D(value))


def date_text(day: dt.date | None, year: int | None = None) -> str:
    """2020年10月25日, or the printed blanks (with the year when known) for a date written by hand."""
    if day is None:
        return f"{year}年　　月　　日" if year else BLANK_DATE
    return f"{day.year}年{day.month}月{day.day}日"


def refuse(message: str, *, code: str, field: str, **details) -> ValidationFailed:
    return ValidationFailed(message, code=code, details={"field": field, **details})


def text_value(value, field: str, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise refuse(_("%(field)s 应为文字") % {"field": field}, code="not_text", field=field)
    value = value.strip()
    if required and not value:
        raise refuse(_("%(field)s 不能为空") % {"field": field}, code="required", field=field)
    return value


def number_value(value, field: str, *, required: bool = False, minimum: Decimal | None = Decimal(0),
                 maximum: Decimal | None = None) -> Decimal | None:
    """A number given as int, float, Decimal or numeric text; None or "" when not required."""
    if value is None or value == "":
        if required:
            raise refuse(_("%(field)s 不能为空") % {"field": field}, code="required", field=field)
        return None
    if isinstance(value, bool):
        raise refuse(_("%(field)s 应为数字") % {"field": field}, code="not_a_number", field=field)
    try:
        result = D(value)
    except (InvalidOperation, TypeError, ValueError):
        raise refuse(_("%(field)s 应为数字，现为“%(value)s”") % {"field": field, "value": value},
                     code="not_a_number", field=field) from None
    if not result.is_finite():
        raise refuse(_("%(field)s 应为数字，现为“%(value)s”") % {"field": field, "value": value},
                     code="not_a_number", field=field)
    if minimum is not None and result < minimum:
        raise refuse(_("%(field)s 不能小于 %(min)s，现为 %(value)s") % {"field": field, "min": fmt(minimum), "value": fmt(result)},
                     code="out_of_range", field=field)
    if maximum is not None and result > maximum:
        raise refuse(_("%(field)s 不能大于 %(max)s，现为 %(value)s") % {"field": field, "max": fmt(maximum), "value": fmt(result)},
                     code="out_of_range", field=field)
    return result


def date_value(value, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise refuse(_("%(field)s 应为日期（如 2020-10-25），现为“%(value)s”") % {"field": field, "value": value},
                 code="not_a_date", field=field)


def mapping_value(value, field: str, allowed: Iterable[str]) -> dict:
    """A dict whose keys are all known: a misspelt key is refused rather than silently left blank."""
    if not isinstance(value, dict):
        raise refuse(_("%(field)s 应为键值对象") % {"field": field}, code="not_an_object", field=field)
    allowed = list(allowed)
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        raise refuse(_("%(field)s 含未知的项：%(keys)s（可用：%(allowed)s）")
                     % {"field": field, "keys": "、".join(unknown), "allowed": "、".join(allowed)},
                     code="unknown_field", field=field, unknown=unknown)
    return value


def list_value(value, field: str) -> list:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise refuse(_("%(field)s 应为列表") % {"field": field}, code="not_a_list", field=field)
    return list(value)


# ---------------------------------------------------------------------------------------------------
# Worksheets


def _units(text: str) -> int:
    """Display width of text: a CJK character takes about two column units."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


class FormSheet:
    """A worksheet filled row by row with the printed form's cells, merged ranges and borders."""

    def __init__(self, ws: Worksheet, widths: list[float]):
        self.ws = ws
        self.widths = widths
        self.ncols = len(widths)
        self.row = 0
        for n, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width

    def span_width(self, first: int, last: int) -> float:
        return sum(self.widths[first - 1:last])

    def height_for(self, text: str, width: float, *, size: int = 11) -> float:
        lines = 0
        for line in (text or "").split("\n"):
            lines += max(1, -(-_units(line) // max(int(width) - 1, 1)))
        return max(1, lines) * (size * 1.45) + 4

    def put(self, row: int, col: int, value, *, last_col: int | None = None, last_row: int | None = None,
            font: Font = BODY, align: Alignment = CENTER, border: bool = True, number_format: str | None = None):
        """One cell (or a merged range) with its style; borders on every cell of the range."""
        last_col = last_col or col
        last_row = last_row or row
        if last_col > col or last_row > row:
            self.ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
        cell = self.ws.cell(row, col, value)
        cell.font, cell.alignment = font, align
        if number_format and isinstance(value, (int, float)):
            cell.number_format = number_format
        if border:
            for r in range(row, last_row + 1):
                for c in range(col, last_col + 1):
                    self.ws.cell(r, c).border = BOX
        return cell

    def line(self, text: str, *, font: Font = BODY, align: Alignment = LEFT, border: bool = False,
             height: float | None = None) -> int:
        """A full-width row of text (title, header line, note, signature)."""
        self.row += 1
        self.put(self.row, 1, text, last_col=self.ncols, font=font, align=align, border=border)
        self.ws.row_dimensions[self.row].height = height or self.height_for(text, self.span_width(1, self.ncols),
                                                                           size=int(font.sz or 11))
        return self.row

    def title(self, text: str) -> int:
        return self.line(text, font=TITLE, align=CENTER, height=30)

    def fit(self, row: int, texts: list[tuple[str, float]], minimum: float = 20) -> None:
        """Row height enough for the longest wrapped text among (text, available width)."""
        height = max([minimum] + [self.height_for(t, w) for t, w in texts if t])
        self.ws.row_dimensions[row].height = min(height, 409)

    def tall_enough(self, first: int, last: int, label: str) -> None:
        """Rows high enough together for a label written top to bottom in a merged side cell."""
        dims = self.ws.row_dimensions
        needed = len(label) * 15 + 10
        have = sum(dims[r].height or 15 for r in range(first, last + 1))
        if have < needed:
            extra = (needed - have) / (last - first + 1)
            for r in range(first, last + 1):
                dims[r].height = (dims[r].height or 15) + extra

    def box(self, first: int, last: int) -> None:
        """One bordered block over whole rows (an opinion with its signature and date): no inner lines.
        Each row is one merged range; LibreOffice draws a merged range with its first cell's border, Excel
        with each cell's, so both are set."""
        for r in range(first, last + 1):
            top, bottom = (THIN if r == first else None), (THIN if r == last else None)
            for c in range(1, self.ncols + 1):
                self.ws.cell(r, c).border = Border(left=THIN if c == 1 else None,
                                                   right=THIN if c in (1, self.ncols) else None,
                                                   top=top, bottom=bottom)

    def print_setup(self, *, landscape: bool = False, header_rows: str | None = None, freeze: str | None = None):
        ws = self.ws
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.print_options.horizontalCentered = True
        if header_rows:
            ws.print_title_rows = header_rows
        if freeze:
            ws.freeze_panes = freeze


def new_workbook(sheet_title: str, document_title: str) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    wb.properties.title = document_title
    wb.properties.creator = "Fupin"
    return wb, ws


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx bytes with fixed document times and zip stamps: the same form gives the same file."""
    wb.properties.created = FIXED_PROPERTIES_TIME
    wb.properties.modified = FIXED_PROPERTIES_TIME
    wb.properties.lastModifiedBy = None
    raw = io.BytesIO()
    # ExcelWriter directly: Workbook.save would stamp `modified` with the current time.
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
