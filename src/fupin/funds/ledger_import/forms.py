"""Import of a filled official inventory form (附件3, 附件4 of the asset plan) in the layout that
`fupin.funds.inventory` exports, so an exported form filled in by a village comes back as it went out.

A sheet is: the title (county and years), 乡镇名称：…（盖章）, the header row, the 合计 row, the numbered data
rows, blank numbered rows, the notes and the signature line. A workbook may hold one sheet per township.
Besides every row's checks, the printed 合计 of each money/count column must equal the sum of the rows
(the rule of the forms: 合计 is the sum of the rows beneath it); a mismatch refuses the file, naming the
column, the printed and the computed total. All rows of all sheets are written, or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fupin.accounts.access import require
from fupin.areas.models import Area, AreaLevel
from fupin.audit.services import audit_denial, audit_event
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds.inventory import FORMS, Sheet, inventory_workbook

from .base import Context, Ledger
from .form_values import shown
from .sheet import (
    EXAMPLE,
    MAX_ROWS,
    CellError,
    Problem,
    _header_index,
    _norm,
    open_workbook,
    parse_cell,
    parse_row,
)

TOTAL = "合计"
TOTAL_CODES = ("total_mismatch", "total_missing")
_TITLE = re.compile(r"^\s*(\S+?)\s*(\d{4})\s*-\s*(\d{4})\s*年")
_TOWNSHIP = re.compile(r"乡镇名称[:：]\s*(.*?)\s*(?:[（(]盖章[)）])?\s*$")


@dataclass
class FormSheet:
    title: str
    county: str  # from the title row: "彰武县2016-2020年…"
    township_name: str  # from "乡镇名称：哈尔套镇（盖章）"
    rows: list[tuple[int, dict]] = field(default_factory=list)
    total_row: int | None = None
    total_raw: dict = field(default_factory=dict)


def total_columns(ledger: Ledger):
    """The ledger's columns that the form sums in its 合计 row (the same flags the export uses)."""
    summed = {c.header for c in FORMS[ledger.form].columns if c.money or c.total}
    return [c for c in ledger.columns if c.header in summed]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(ws, ledger: Ledger) -> FormSheet | None:
    ws.reset_dimensions()
    top: list[tuple] = []
    rows = ws.iter_rows(values_only=True)
    for cells in rows:
        top.append(cells)
        if cells and _norm(cells[0]) == "序号":
            break
        if len(top) >= 10:
            break
    if not top or not top[-1] or _norm(top[-1][0]) != "序号":
        if all(all(_blank(c) for c in cells) for cells in top):
            return None  # an empty sheet: nothing to read
        raise ValidationFailed(
            _("工作表“%(s)s”不是%(f)s的格式：前10行中没有以“序号”开头的表头行；请使用导出的空白表填写")
            % {"s": ws.title, "f": ledger.title}, code="import_bad_layout",
            details={"sheet": ws.title, "missing": [c.header for c in ledger.columns if c.required], "unknown": [],
                     "repeated": []})
    try:
        index = _header_index(top[-1], ledger.columns)
    except ValidationFailed as exc:
        raise ValidationFailed(_("工作表“%(s)s”：%(m)s") % {"s": ws.title, "m": exc.message}, code=exc.code,
                               details={**exc.details, "sheet": ws.title}) from exc
    title = str(top[0][0] or "") if top[0] else ""
    match = _TITLE.match(title)
    township = next((str(c[0]) for c in top[1:-1] if c and isinstance(c[0], str) and "乡镇名称" in c[0]), "")
    found = _TOWNSHIP.search(township)
    sheet = FormSheet(ws.title, match.group(1) if match else "", found.group(1).strip() if found else "")
    others = [i for key, i in index.items() if key != "serial"]
    for number, cells in enumerate(rows, start=len(top) + 1):
        first = cells[0] if cells else None
        label = re.sub(r"\s+", "", str(first or ""))
        if label == TOTAL:
            sheet.total_row = number
            sheet.total_raw = {key: cells[i] if i < len(cells) else None for key, i in index.items()}
            continue
        if label.startswith("注") or "签字" in label:
            break  # the notes and the signature line close the table
        if label == EXAMPLE or all(_blank(cells[i]) for i in others if i < len(cells)):
            continue  # the printed form's blank numbered lines
        sheet.rows.append((number, {key: cells[i] if i < len(cells) else None for key, i in index.items()}))
    return sheet


def read_form(fileobj, ledger: Ledger) -> list[FormSheet]:
    wb = open_workbook(fileobj)
    try:
        sheets = [s for s in (_read_sheet(ws, ledger) for ws in wb.worksheets) if s is not None]
    finally:
        wb.close()
    if sum(len(s.rows) for s in sheets) > MAX_ROWS:
        raise ValidationFailed(_("一次最多导入 %(m)s 行，请分批导入") % {"m": MAX_ROWS}, code="import_too_many_rows")
    if not any(s.rows for s in sheets):
        raise ValidationFailed(_("表中没有数据行（在“合计”行下方按序号逐行填写）"), code="import_no_rows")
    return sheets


def _township(ctx: Context, sheet: FormSheet) -> Area | None:
    """The sheet's township by name (within the county of the title when two share the name)."""
    if not sheet.township_name:
        ctx.add(2, _("乡镇名称"), _("第2行未填写乡镇名称（格式：乡镇名称：××镇（盖章））"), "unknown_township")
        return None
    found = list(Area.objects.current().filter(level=AreaLevel.TOWNSHIP, name=sheet.township_name))
    if len(found) > 1 and sheet.county:
        counties = {a.code for a in Area.objects.current().filter(level=AreaLevel.COUNTY, name=sheet.county)}
        found = [t for t in found if t.parent_code in counties]
    if len(found) != 1:
        ctx.add(2, _("乡镇名称"), _("未知的乡镇“%(t)s”") % {"t": sheet.township_name} if not found
                else _("有多个乡镇名为“%(t)s”，请在第1行标题写明县名") % {"t": sheet.township_name},
                "unknown_township", sheet.township_name)
        return None
    return found[0]


def check_totals(ctx: Context, sheet: FormSheet, ledger: Ledger, rows: list[tuple[int, dict]]) -> list[dict]:
    """Each summed column: the printed 合计 against the sum of the rows (skipped where a cell is unreadable)."""
    checked = []
    for col in total_columns(ledger):
        if any(p.column == col.header and p.row != sheet.total_row for p in ctx.problems):
            continue
        computed = sum((v.get(col.key) or 0 for _n, v in rows), Decimal(0))
        raw = sheet.total_raw.get(col.key)
        if sheet.total_row is not None and _blank(raw) and not computed:
            continue  # nothing in the column, nothing to sum
        if sheet.total_row is None or _blank(raw):
            ctx.add(sheet.total_row or 0, col.header, _("合计行未填写，各行之和为 %(s)s（如填的是公式，请在Excel中打开并保存后再导入）")
                    % {"s": shown(computed)}, "total_missing")
            continue
        try:
            printed = parse_cell(raw.strip() if isinstance(raw, str) else raw, col)
        except CellError as exc:
            ctx.add(sheet.total_row, col.header, _("合计：%(m)s") % {"m": exc.message}, exc.code, raw)
            continue
        item = {"sheet": sheet.title, "column": col.header, "printed": shown(printed), "computed": shown(computed)}
        if printed != computed:
            ctx.add(sheet.total_row, col.header, _("合计为 %(p)s，各行之和为 %(c)s，相差 %(d)s（合计应等于各行之和）")
                    % {"p": item["printed"], "c": item["computed"], "d": shown(printed - computed)},
                    "total_mismatch", item["printed"])
            checked.append(item)
    return checked


def _refusal(problems: list[Problem], rows: int, mismatches: list[dict]) -> ValidationFailed:
    from . import _refuse  # the ledgers' refusal message, shared

    if problems and all(p.code == "total_mismatch" for p in problems):
        listed = "；".join(str(p) for p in problems)
        return ValidationFailed(_("合计与各行之和不符，未导入任何数据：%(e)s") % {"e": listed}, code="total_mismatch",
                                details={"rows": rows, "problems": [p.as_dict() for p in problems],
                                         "totals": mismatches})
    refusal = _refuse(problems, rows)
    refusal.details["totals"] = mismatches
    return refusal


def form_import(ledger: Ledger, *, actor, fileobj, name: str) -> dict:
    """Every sheet checked (rows, totals, duplicates across sheets), then all written in one transaction."""
    from . import _common_area

    if actor is not None:
        require(actor, "funds.edit")
    sheets = read_form(fileobj, ledger)
    several = len(sheets) > 1
    problems: list[Problem] = []
    outside: list[str] = []
    mismatches: list[dict] = []
    prepared: list = []
    count = 0
    for sheet in sheets:
        ctx = Context(actor)
        township = _township(ctx, sheet)
        rows = [(n, parse_row(n, raw, ledger.columns, ctx.problems)) for n, raw in sheet.rows]
        count += len(rows)
        mismatches += check_totals(ctx, sheet, ledger, rows)
        if township is not None:
            for _n, values in rows:
                values["_township"] = township
            prepared += [(sheet.title, item) for item in ledger.check(ctx, rows)]
        problems += [replace(p, sheet=sheet.title) if several else p for p in ctx.problems]
        outside += ctx.outside
    if several and ledger.key is not None:
        seen: dict = {}
        for title, item in prepared:
            key = ledger.key(item)
            if key in seen and seen[key] != title:
                problems.append(Problem(None, ledger.key_column, _("与工作表“%(s)s”中的一行重复") % {"s": seen[key]},
                                        "duplicate_in_file", " ".join(map(str, key[1:])), title))
            seen.setdefault(key, title)
    if outside and actor is not None:
        audit_denial(actor=actor, action=f"funds.import.{ledger.kind}",
                     reason=_("%(n)s 行的村不在管辖范围内：%(c)s") % {"n": len(outside), "c": "、".join(sorted(set(outside))[:20])})
    if problems:
        raise _refusal(problems, count, mismatches)
    items = [item for _title, item in prepared]
    try:
        with transaction.atomic():
            codes = ledger.write(actor, items)
            audit_event(actor=actor, action=f"funds.import.{ledger.kind}", area_code=_common_area([i[0].code for i in items]),
                        after={"rows": len(codes), "codes": codes[:500]},
                        details={"file": name[:200], "form": ledger.form, "sheets": [s.title for s in sheets]})
    except IntegrityError as exc:  # someone registered the same record between our check and our write
        raise Conflict(_("导入时数据已被他人修改，请重新导入"), code="import_conflict") from exc
    return {"ledger": ledger.kind, "title": ledger.title, "rows": len(codes), "codes": codes}


def form_template(ledger: Ledger, actor=None):
    """The empty form as the system exports it, headed with the user's township when they have one."""
    areas = [a.area for a in actor.assignments.select_related("area").order_by("-area__level")] \
        if getattr(actor, "is_authenticated", False) else []
    spec = FORMS[ledger.form]
    for area in areas:
        if area.level in (AreaLevel.TOWNSHIP, AreaLevel.VILLAGE):
            township = area if area.level == AreaLevel.TOWNSHIP else Area.objects.current().get(code=area.parent_code)
            return inventory_workbook(ledger.form, township.code,
                                      sheets=[Sheet(township, [], [None] * (len(spec.columns) - 1))])
    county = next((a for a in areas if a.level == AreaLevel.COUNTY), None) or \
        Area.objects.current().filter(level=AreaLevel.COUNTY).order_by("code").first()
    if county is None:
        raise ValidationFailed(_("尚未载入行政区划"), code="no_areas")
    return inventory_workbook(ledger.form, county.code, sheets=[])
