"""Excel import of the funds ledgers the county offices keep: PV stations (光伏电站台账), public-welfare
posts with their holders (公益岗位台账) and microloans (扶贫小额信贷台账).

`ledger_import(kind=..., actor=..., fileobj=...)` refuses non-.xlsx and oversized files, refuses a wrong
header row as a whole, checks every row (types, dates, amounts, villages in the user's scope, the
household and person references in the registry, duplicates in the file and in the database, and the
same rules as the one-record pages), and then writes all rows in one transaction with one audit event
for the batch, or writes nothing and raises `ValidationFailed(code="import_rows_invalid")` whose
`details["problems"]` lists every problem with its row number and column.

The filled inventory forms 附件3 (equity) and 附件4 (assets) are ledgers too, read in the layout the
system exports them (see `forms.py`), with their 合计 row checked against the rows (`total_mismatch`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fupin.accounts.access import require
from fupin.audit.services import audit_denial, audit_event
from fupin.core.errors import Conflict, NotFound, ValidationFailed

from . import assets, equity, loans, posts, stations
from .base import Context, Ledger
from .forms import form_import, form_template
from .sheet import MAX_ROWS, MAX_UPLOAD_BYTES, Problem, check_upload, parse_row, read_rows, template_workbook

LEDGERS: dict[str, Ledger] = {x.LEDGER.kind: x.LEDGER for x in (stations, posts, loans, equity, assets)}
MAX_LISTED = 50  # problems named in the message; details carry all of them

__all__ = ["LEDGERS", "MAX_ROWS", "MAX_UPLOAD_BYTES", "Problem", "ledger_get", "ledger_import", "ledger_template"]


def ledger_get(kind: str) -> Ledger:
    if kind not in LEDGERS:
        raise NotFound(_("没有这种台账：%(k)s") % {"k": kind}, code="unknown_ledger")
    return LEDGERS[kind]


def ledger_template(kind: str, actor=None):
    """The empty .xlsx template (an openpyxl Workbook) of a ledger; of a form, the empty exported form."""
    ledger = ledger_get(kind)
    if ledger.form:
        return form_template(ledger, actor)
    return template_workbook(ledger.columns, ledger.title, ledger.notes)


def _size(fileobj) -> int:
    size = getattr(fileobj, "size", None)
    if size is not None:
        return size
    try:
        return os.fstat(fileobj.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        here = fileobj.tell()
        fileobj.seek(0, os.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(here)
        return size


def _common_area(codes: Iterable[str]) -> str:
    """The 12-digit code of the smallest area holding every row's village (for the batch's audit event)."""
    prefix = os.path.commonprefix(list(codes))
    for level in (12, 9, 6, 4, 2):
        if len(prefix) >= level:
            return prefix[:level].ljust(12, "0")
    return ""


def _refuse(problems: list[Problem], rows: int) -> ValidationFailed:
    problems = sorted(problems, key=lambda p: (p.row or 0, p.column))
    listed = "；".join(str(p) for p in problems[:MAX_LISTED])
    more = _("……共%(n)s个问题") % {"n": len(problems)} if len(problems) > MAX_LISTED else ""
    return ValidationFailed(_("%(r)s 行中有 %(k)s 个问题，未导入任何数据：%(e)s%(m)s")
                            % {"r": rows, "k": len(problems), "e": listed, "m": more}, code="import_rows_invalid",
                            details={"rows": rows, "problems": [p.as_dict() for p in problems]})


def ledger_import(*, kind: str, actor, fileobj, name: str | None = None) -> dict:
    """Import one ledger file: every row or none. `actor=None` is the system (every area)."""
    ledger = ledger_get(kind)
    if actor is not None:
        require(actor, "funds.edit")
    name = name if name is not None else os.path.basename(str(getattr(fileobj, "name", "") or ""))
    check_upload(name, _size(fileobj))
    if ledger.form:
        return form_import(ledger, actor=actor, fileobj=fileobj, name=name)
    raw_rows = read_rows(fileobj, ledger.columns, ledger.title)
    if not raw_rows:
        raise ValidationFailed(_("文件中没有数据行（第2行起填写，示例行不算）"), code="import_no_rows")
    ctx = Context(actor)
    rows = [(n, parse_row(n, raw, ledger.columns, ctx.problems)) for n, raw in raw_rows]
    codes: list[str] = []
    try:
        with transaction.atomic():
            prepared = ledger.check(ctx, rows)
            if not ctx.problems:
                codes = ledger.write(actor, prepared)
                audit_event(actor=actor, action=f"funds.import.{kind}", area_code=_common_area(_areas(prepared)),
                            after={"rows": len(codes), "codes": codes[:500]}, details={"file": name[:200]})
    except IntegrityError as exc:  # someone registered the same record between our check and our write
        raise Conflict(_("导入时数据已被他人修改，请重新导入"), code="import_conflict") from exc
    if ctx.outside and actor is not None:
        audit_denial(actor=actor, action=f"funds.import.{kind}",
                     reason=_("%(n)s 行的村不在管辖范围内：%(c)s") % {"n": len(ctx.outside),
                                                                 "c": "、".join(sorted(set(ctx.outside))[:20])})
    if ctx.problems:
        raise _refuse(ctx.problems, len(rows))
    return {"ledger": kind, "title": ledger.title, "rows": len(codes), "codes": codes}


def _areas(prepared: list) -> list[str]:
    """The village code of each prepared row (the first element is the village or the household)."""
    out = []
    for item in prepared:
        first = item[0]
        out.append(first.code if hasattr(first, "code") and hasattr(first, "level") else first.village.code)
    return out
