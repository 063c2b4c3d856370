"""Checks every funds service shares: permission in the record's area, areas, dates, money, versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from fupin.accounts.access import require
from fupin.areas.models import Area, AreaLevel, pad_code
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds import catalogue
from fupin.funds.models import CENT


def allow(actor, action: str, area_code: str) -> None:
    """The actor must hold `action` over the area. `actor=None` is the system itself (demo, imports)."""
    if actor is not None:
        require(actor, action, area_code)


def actor_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def owner_area(code: str, *, what: str) -> Area:
    """A current township or village: the levels that own projects, assets and income."""
    raw = str(code or "").strip()
    padded = pad_code(raw) if raw.isdigit() and len(raw) in (9, 12) else raw
    area = Area.objects.current().filter(code=padded).first()
    if area is None:
        raise ValidationFailed(_("%(what)s：未知的区划代码“%(c)s”") % {"what": what, "c": code}, code="unknown_area")
    if area.level not in (AreaLevel.TOWNSHIP, AreaLevel.VILLAGE):
        raise ValidationFailed(_("%(what)s应为乡镇或行政村，“%(n)s”是%(l)s级区划")
                               % {"what": what, "n": area.name, "l": area.get_level_display()}, code="owner_level")
    return area


def as_date(value, label: str, *, not_future: bool = True, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(_("请填写%(f)s") % {"f": label}, code="required")
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValidationFailed(_("%(f)s“%(v)s”不是有效日期（YYYY-MM-DD）") % {"f": label, "v": value},
                                   code="bad_date") from exc
    if isinstance(value, dt.datetime):
        value = value.date()
    if not_future and value > clock.today():
        raise ValidationFailed(_("%(f)s不能晚于今天（%(d)s）") % {"f": label, "d": value.isoformat()}, code="future_date")
    return value


def as_money(value, label: str, *, positive: bool = True, allow_zero: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, AttributeError, ValueError) as exc:
        raise ValidationFailed(_("%(f)s“%(v)s”不是有效金额") % {"f": label, "v": value}, code="bad_amount") from exc
    if not amount.is_finite():
        raise ValidationFailed(_("%(f)s“%(v)s”不是有效金额") % {"f": label, "v": value}, code="bad_amount")
    if amount != amount.quantize(CENT):
        raise ValidationFailed(_("%(f)s最多保留两位小数（精确到分）：%(v)s") % {"f": label, "v": value},
                               code="bad_amount_precision")
    if positive and (amount < 0 or (amount == 0 and not allow_zero)):
        raise ValidationFailed(_("%(f)s必须大于0：%(v)s") % {"f": label, "v": value}, code="amount_not_positive")
    if abs(amount) >= Decimal("1e12"):
        raise ValidationFailed(_("%(f)s超出范围：%(v)s") % {"f": label, "v": value}, code="amount_too_large")
    return amount.quantize(CENT)


def as_int(value, label: str, *, low: int = 0, high: int | None = None) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(_("%(f)s“%(v)s”不是整数") % {"f": label, "v": value}, code="bad_integer") from exc
    if number < low or (high is not None and number > high):
        bounds = f"{low}–{high}" if high is not None else f"≥{low}"
        raise ValidationFailed(_("%(f)s应在 %(b)s 之间：%(v)s") % {"f": label, "b": bounds, "v": value},
                               code="out_of_range")
    return number


def as_choice(value, choices, label: str) -> str:
    if value not in choices.values:
        options = "、".join(f"{v}（{lbl}）" for v, lbl in choices.choices)
        raise ValidationFailed(_("%(f)s“%(v)s”无效；可选：%(o)s") % {"f": label, "v": value, "o": options},
                               code="bad_choice")
    return value


def fund_rows(rows: Mapping | Iterable, *, what: str) -> list[tuple[str, Decimal]]:
    """[(source, amount)] from a mapping or pairs or dicts: every source known, once, amount > 0."""
    if isinstance(rows, Mapping):
        pairs = list(rows.items())
    else:
        pairs = [(r["source"], r["amount"]) if isinstance(r, Mapping) else tuple(r) for r in rows or []]
    if not pairs:
        raise ValidationFailed(_("%(w)s至少要有一种资金来源") % {"w": what}, code="no_fund_rows")
    seen, out = set(), []
    for source, amount in pairs:
        catalogue.check_source(source)
        if source in seen:
            raise ValidationFailed(_("资金类型“%(s)s”重复：每种资金来源只填一行")
                                   % {"s": catalogue.source_label(source)}, code="duplicate_fund_source")
        seen.add(source)
        out.append((source, as_money(amount, _("%(s)s资金") % {"s": catalogue.source_label(source)})))
    return out


def check_version(obj, version) -> None:
    if version is not None and int(version) != obj.version:
        raise Conflict(_("记录已被他人修改（版本 %(a)s，您读取的是 %(b)s），请刷新后重试")
                       % {"a": obj.version, "b": version}, code="stale_version")


def refuse_status(obj, allowed, doing: str) -> None:
    if obj.status not in allowed:
        raise Conflict(_("当前状态“%(s)s”不能%(d)s") % {"s": obj.get_status_display(), "d": doing}, code="bad_status")
