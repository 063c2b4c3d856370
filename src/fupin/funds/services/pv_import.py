"""Import of the settling company's monthly statements (光伏发电结算单) from Excel.

The first sheet has a header row with the columns below (in any order) and one row per station and
month; a last row whose first cell is 合计 is checked against the sum of the rows. The whole file is
written in one transaction through `settlement_record`, or nothing is: every bad row is reported with
its row number and the rule it breaks.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from fupin.audit.services import audit_event
from fupin.core.errors import ApplicationError, ValidationFailed
from fupin.funds.models import PVStation

from .pv import settlement_record

COLUMNS = {"电站编号": "station", "年度": "year", "月份": "month", "发电量": "kwh", "结算单价": "unit_price",
           "税费": "taxes", "运维费用": "om_cost", "场地租金": "land_rent", "结算日期": "settled_on", "结算单号": "reference"}
REQUIRED = ("station", "year", "month", "kwh", "unit_price", "settled_on")
SUMMED = ("kwh", "taxes", "om_cost", "land_rent")
MAX_ROWS = 20000


def _header(row) -> dict[str, int]:
    found = {}
    for i, cell in enumerate(row):
        name = str(cell or "").strip()
        for label, key in COLUMNS.items():
            if name.startswith(label):
                found[key] = i
    missing = [label for label, key in COLUMNS.items() if key in REQUIRED and key not in found]
    if missing:
        raise ValidationFailed(_("第1行缺少列：%(m)s") % {"m": "、".join(missing)}, code="import_missing_columns")
    return found


def _dec(value) -> Decimal:
    try:
        return Decimal(str(value if value not in (None, "") else 0).replace(",", ""))
    except InvalidOperation:
        return Decimal("NaN")


def settlements_import(*, actor, fileobj) -> dict:
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same refusal
        raise ValidationFailed(_("无法读取 Excel 文件（.xlsx）"), code="import_unreadable") from exc
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    if not rows:
        raise ValidationFailed(_("文件是空的"), code="import_empty")
    cols = _header(rows[0])
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c not in (None, "") for c in r)]
    total = None
    if body and str(body[-1][1][0] or "").strip() == "合计":
        total = body.pop()
    if len(body) > MAX_ROWS:
        raise ValidationFailed(_("一次最多导入 %(m)s 行") % {"m": MAX_ROWS}, code="import_too_many_rows")
    errors: list[dict] = []
    if total is not None:
        for key in SUMMED:
            if key not in cols:
                continue
            stated = _dec(total[1][cols[key]])
            summed = sum((_dec(r[cols[key]]) for _n, r in body), Decimal(0))
            if stated != summed:
                errors.append({"row": total[0], "message": _("合计行“%(c)s”为 %(s)s，各行之和为 %(t)s，不相符")
                               % {"c": next(k for k, v in COLUMNS.items() if v == key), "s": stated, "t": summed}})
    if errors:
        raise ValidationFailed(_("合计行与明细不符，未导入任何数据：%(e)s") % {"e": "；".join(e["message"] for e in errors)},
                               code="import_totals_mismatch", details={"errors": errors})
    stations = {s.code: s for s in PVStation.objects.filter(code__in={str(r[cols["station"]] or "").strip()
                                                                      for _n, r in body})}
    written = 0
    with transaction.atomic():
        for n, r in body:
            get = {key: r[i] if i < len(r) else None for key, i in cols.items()}
            station = stations.get(str(get.pop("station") or "").strip())
            if station is None:
                errors.append({"row": n, "message": _("第%(n)s行：未知的电站编号") % {"n": n}})
                continue
            try:
                with transaction.atomic():
                    settlement_record(actor=actor, station=station, **{k: v for k, v in get.items() if v is not None})
                written += 1
            except ApplicationError as exc:
                errors.append({"row": n, "message": _("第%(n)s行：%(m)s") % {"n": n, "m": exc.message}})
        if errors:
            transaction.set_rollback(True)
        else:
            audit_event(actor=actor, action="funds.pv.settle_import", after={"rows": written})
    if errors:
        raise ValidationFailed(_("%(k)s 行有错误，未导入任何数据：%(e)s")
                               % {"k": len(errors), "e": "；".join(e["message"] for e in errors[:20])},
                               code="import_rows_invalid", details={"errors": errors})
    return {"rows": written}
