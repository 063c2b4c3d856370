"""Reading a ledger sheet and turning its cells into typed values, and writing the empty template.

A ledger is a list of `Col`s: the Chinese header the county office sees, the kind of value, whether it
is required, an example and a note. The first row of the sheet holds the headers in any order; a
missing required header or a header we do not know refuses the whole file, naming them, because a
wrong layout would otherwise be read as wrong values in every row. Each cell problem is reported with
its row number and header; nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from fupin.core.errors import ValidationFailed

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# 序号 is the usual first column of a county ledger; its value 示例 marks the template's example row.
SERIAL = "序号"
EXAMPLE = "示例"
NOTES_SHEET = "填写说明"


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    kind: str  # text | code | id_number | number | money | wan | date | int | choice | bool
    required: bool = True
    example: object = ""
    note: str = ""
    choices: type | None = None  # a TextChoices: the cell holds its label (or its code)
    places: int = 2
    max_length: int = 200
    positive: bool = False  # number/money: > 0 rather than ≥ 0


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str
    code: str = "invalid"
    value: str = ""
    sheet: str = ""  # the worksheet, named when a workbook holds several (one per township)

    def as_dict(self) -> dict:
        out = {"row": self.row, "column": self.column, "message": self.message, "code": self.code,
               "value": self.value}
        return out | {"sheet": self.sheet} if self.sheet else out

    def __str__(self) -> str:
        where = _("第%(n)s行") % {"n": self.row} if self.row else _("文件")
        if self.sheet:
            where = _("工作表“%(s)s”") % {"s": self.sheet} + where
        column = f"“{self.column}”" if self.column else ""
        return f"{where}{column}：{self.message}"


def _norm(header) -> str:
    text = re.sub(r"\s+", "", str(header or "")).strip("*＊")
    return text.replace("(", "（").replace(")", "）")


def _aliases(col: Col) -> set[str]:
    full = _norm(col.header)
    return {full, full.split("（")[0]}


def check_upload(name: str, size: int | None) -> None:
    """Refuse before reading: only .xlsx, not empty, not over the limit."""
    if not str(name or "").lower().endswith(".xlsx"):
        raise ValidationFailed(_("只能导入 .xlsx 工作簿（旧版 .xls 请在Excel中另存为 .xlsx）；所选文件为“%(n)s”")
                               % {"n": name or "—"}, code="import_not_xlsx")
    if not size:
        raise ValidationFailed(_("文件是空的"), code="import_empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("文件 %(s).1f MB，超过 %(m)s MB 的上限；请分批导入")
                               % {"s": size / 1048576, "m": MAX_UPLOAD_BYTES // 1048576}, code="import_too_large")


def open_workbook(fileobj):
    """The uploaded .xlsx opened read-only, or one refusal for whatever is not a readable workbook."""
    head = fileobj.read(4)
    fileobj.seek(0)
    if head[:2] != b"PK":
        raise ValidationFailed(_("文件不是 .xlsx 工作簿（内容无法识别，可能已损坏或只是改了扩展名）"), code="import_unreadable")
    try:
        return load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same refusal
        raise ValidationFailed(_("无法读取 Excel 文件（.xlsx），文件可能已损坏"), code="import_unreadable") from exc


def read_rows(fileobj, columns: list[Col], title: str) -> list[tuple[int, dict]]:
    """(row number, {key: raw cell}) for every non-blank row after the header, the example row left out."""
    wb = open_workbook(fileobj)
    try:
        ws = wb[title] if title in wb.sheetnames else wb.worksheets[0]
        ws.reset_dimensions()  # some writers declare a wrong <dimension>; read what is really there
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ValidationFailed(_("工作表“%(t)s”是空的") % {"t": ws.title}, code="import_empty")
        index = _header_index(header, columns)
        out: list[tuple[int, dict]] = []
        for number, cells in enumerate(rows, start=2):
            if not any(c not in (None, "") and str(c).strip() for c in cells):
                continue
            raw = {key: cells[i] if i < len(cells) else None for key, i in index.items()}
            if str(raw.get("serial") or "").strip() == EXAMPLE:
                continue
            out.append((number, raw))
            if len(out) > MAX_ROWS:
                raise ValidationFailed(_("一次最多导入 %(m)s 行，请分批导入") % {"m": MAX_ROWS}, code="import_too_many_rows")
    finally:
        wb.close()
    return out


def _header_index(header, columns: list[Col]) -> dict[str, int]:
    by_name = {alias: col for col in columns for alias in _aliases(col)}
    index: dict[str, int] = {}
    unknown, repeated = [], []
    for i, cell in enumerate(header):
        name = _norm(cell)
        if not name:
            continue
        col = by_name.get(name)
        if col is None:
            unknown.append(str(cell).strip())
        elif col.key in index:
            repeated.append(str(cell).strip())
        else:
            index[col.key] = i
    missing = [c.header for c in columns if c.required and c.key not in index]
    if missing or unknown or repeated:
        parts = []
        if missing:
            parts.append(_("缺少列：%(c)s") % {"c": "、".join(missing)})
        if unknown:
            parts.append(_("无法识别的列：%(c)s") % {"c": "、".join(unknown)})
        if repeated:
            parts.append(_("重复的列：%(c)s") % {"c": "、".join(repeated)})
        raise ValidationFailed(_("表头与导入模板不符（%(p)s），未导入任何数据；请下载模板核对第1行")
                               % {"p": "；".join(parts)}, code="import_bad_layout",
                               details={"missing": missing, "unknown": unknown, "repeated": repeated})
    return index


class CellError(Exception):
    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message, self.code = message, code


def _shown(value) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return "" if value is None else str(value)[:60]


def parse_row(number: int, raw: dict, columns: list[Col], problems: list[Problem]) -> dict:
    """The row's typed values; every cell that fails is one problem (and its key is left out)."""
    values = {}
    for col in columns:
        value = raw.get(col.key)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if col.required:
                problems.append(Problem(number, col.header, _("必填，不能为空"), "required"))
            continue
        try:
            values[col.key] = parse_cell(value, col)
        except CellError as exc:
            problems.append(Problem(number, col.header, exc.message, exc.code, _shown(value)))
    return values


def _decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("不是数字"), "bad_number")
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise CellError(_("不是有效数字"), "bad_number") from None
    if not number.is_finite():
        raise CellError(_("不是有效数字"), "bad_number")
    return number


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(str(value))
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(_("不是有效日期（请填写如 2020-03-01，或设为Excel日期格式）"), "bad_date")


def _code(value, col: Col) -> str:
    """Codes typed as numbers come back as int/float; 18-digit certificate numbers lose digits as floats."""
    if isinstance(value, bool):
        raise CellError(_("格式不正确"), "bad_code")
    if isinstance(value, float):
        if col.kind == "id_number" or not value.is_integer():
            raise CellError(_("被Excel存成了数字，可能已丢失末尾数字；请把该列设为文本格式后重新填写"), "code_as_number")
        value = int(value)
    text = str(value).strip().upper() if col.kind == "id_number" else str(value).strip()
    if col.kind == "id_number" and not re.fullmatch(r"[0-9A-Z]{6,22}", text):
        raise CellError(_("证件号码格式不正确"), "bad_id_number")
    if col.kind == "code" and not re.fullmatch(r"[0-9A-Za-z-]{1,30}", text):
        raise CellError(_("只能包含数字和字母"), "bad_code")
    return text


def parse_cell(value, col: Col):
    if col.kind in ("code", "id_number"):
        return _code(value, col)
    if col.kind == "text":
        text = _shown(value) if isinstance(value, dt.datetime) else str(value).strip()
        if len(text) > col.max_length:
            raise CellError(_("超过 %(m)s 个字") % {"m": col.max_length}, "too_long")
        return text
    if col.kind == "date":
        return _date(value)
    if col.kind == "choice":
        text = str(value).strip()
        for code, label in col.choices.choices:
            if text in (code, label):
                return code
        raise CellError(_("无效；可选：%(o)s") % {"o": "、".join(str(lbl) for _c, lbl in col.choices.choices)}, "bad_choice")
    if col.kind == "bool":
        text = str(value).strip().lower()
        if text in ("是", "y", "yes", "true", "1", "√"):
            return True
        if text in ("否", "n", "no", "false", "0", "×"):
            return False
        raise CellError(_("请填写“是”或“否”"), "bad_bool")
    number = _decimal(value)
    if col.kind == "wan":
        return _wan(number, col)
    if col.kind == "int":
        if number != number.to_integral_value():
            raise CellError(_("应为整数"), "bad_integer")
        return int(number)
    places = 2 if col.kind == "money" else col.places
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise CellError(_("最多保留 %(p)s 位小数") % {"p": places}, "bad_precision")
    if number < 0 or (col.positive and number == 0):
        raise CellError(_("必须大于0") if col.positive else _("不能为负数"), "negative_amount")
    if number >= Decimal("1e11"):
        raise CellError(_("超出范围"), "out_of_range")
    return number.quantize(Decimal(1).scaleb(-places))


def _wan(number: Decimal, col: Col) -> Decimal:
    """An amount printed in 万元 (as on the official forms) → yuan; exact to the fen, so 6 decimals at most."""
    if number != number.quantize(Decimal("0.000001")):
        raise CellError(_("金额（万元）最多精确到分，即小数点后6位"), "bad_precision")
    if number < 0 or (col.positive and number == 0):
        raise CellError(_("必须大于0") if col.positive else _("不能为负数"), "negative_amount")
    if number >= Decimal("1e7"):
        raise CellError(_("超出范围"), "out_of_range")
    return (number * 10000).quantize(Decimal("0.01"))


def template_workbook(columns: list[Col], title: str, notes: list[str]) -> Workbook:
    """The empty ledger: headers (required ones in red), one example row marked 示例, text format on code
    columns, drop-down lists on choice columns, and a notes sheet describing every column."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    bold = Font(bold=True)
    red = Font(bold=True, color="C00000")
    grey = PatternFill("solid", fgColor="EFEFEF")
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font = red if col.required else bold
        if col.note:
            cell.comment = Comment(col.note, "fupin")
        example = ws.cell(row=2, column=i, value=col.example)
        example.fill = grey
        letter = cell.column_letter
        ws.column_dimensions[letter].width = max(12, len(col.header) * 2 + 2)
        if col.kind in ("code", "id_number", "text"):
            for r in range(2, 1002):
                ws.cell(row=r, column=i).number_format = "@"
        if col.kind == "date":
            for r in range(2, 1002):
                ws.cell(row=r, column=i).number_format = "yyyy-mm-dd"
        if col.kind in ("choice", "bool"):
            options = [str(lbl) for _c, lbl in col.choices.choices] if col.kind == "choice" else ["是", "否"]
            dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=not col.required)
            dv.add(f"{letter}2:{letter}1001")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    info = wb.create_sheet(NOTES_SHEET)
    info.append([_("列名"), _("必填"), _("格式"), _("说明")])
    for c in info[1]:
        c.font = bold
    kinds = {"text": _("文本"), "code": _("文本（代码，请设为文本格式）"), "id_number": _("文本（18位，请设为文本格式）"),
             "number": _("数字"), "money": _("金额（元，两位小数）"),
             "wan": _("金额（万元，精确到分）"), "date": _("日期 YYYY-MM-DD"), "int": _("整数"),
             "choice": _("下拉选择"), "bool": _("是 / 否")}
    for col in columns:
        note = col.note
        if col.kind == "choice":
            note = f"{note}；" if note else ""
            note += _("可选：") + "、".join(str(lbl) for _c, lbl in col.choices.choices)
        info.append([col.header, _("是") if col.required else _("否"), kinds[col.kind], note])
    info.append([])
    for line in [_("第2行（序号为“示例”）是填写示例，导入时自动跳过，可删除。"),
                 _("整批导入：任何一行有问题，全部不写入，并列出每个问题的行号和列名；改正后重新导入整个文件。"),
                 _("文件须为 .xlsx，不超过 %(m)s MB，一次不超过 %(r)s 行。") % {"m": MAX_UPLOAD_BYTES // 1048576, "r": MAX_ROWS},
                 *(str(x) for x in notes)]:
        info.append([line])
    for letter, width in (("A", 22), ("B", 8), ("C", 26), ("D", 90)):
        info.column_dimensions[letter].width = width
    return wb
