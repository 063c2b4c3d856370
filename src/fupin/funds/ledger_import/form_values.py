"""Cells of the inventory forms that carry more than one value: the owner by name within the sheet's
township, 资金类型 (one or several fund sources, with each one's amount when several), 合同起止年月
("2018.8-2021.8") and 规模 ("10栋"). Each helper reports its problem on the row and returns None."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from fupin.areas.models import Area, AreaLevel
from fupin.funds import catalogue
from fupin.funds.ledger import add_years

from .base import Context

TOWNSHIP_ITSELF = "（镇本级）"
_SPLIT = re.compile(r"[、,，;；/\s]+")
_SOURCE = re.compile(r"^(\D+?)[:：]?(\d+(?:\.\d+)?)(?:万元|万)?$")
_PERIOD = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*月?\s*[-—–~～至]+\s*(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*月?$")
_SCALE = re.compile(r"^(\d+(?:\.\d+)?)\s*(\D{0,10})$")
WAN = Decimal(10000)


def _plain(name: str) -> str:
    """Village names are registered as 富有村委会 but written 富有村 as often."""
    name = re.sub(r"\s+", "", name)
    for suffix in ("村民委员会", "村委会"):
        if name.endswith(suffix):
            return name[: -len(suffix)] + "村"
    return name


def owner(ctx: Context, n: int, township: Area, name: str, column: str) -> Area | None:
    """The township itself (its name, or “X（镇本级）”) or one of its current villages, in the user's scope."""
    name = re.sub(r"\s+", "", name or "")
    if name in (township.name, f"{township.name}{TOWNSHIP_ITSELF}") or name.endswith(TOWNSHIP_ITSELF):
        if name.endswith(TOWNSHIP_ITSELF) and name[: -len(TOWNSHIP_ITSELF)] != township.name:
            ctx.add(n, column, _("不是本表乡镇（%(t)s）") % {"t": township.name}, "unknown_area", name)
            return None
        area = township
    else:
        cache = getattr(ctx, "villages_by_name", None)
        if cache is None:
            cache = {}
            ctx.villages_by_name = cache
        if township.code not in cache:
            cache[township.code] = {}
            for v in Area.objects.current().filter(level=AreaLevel.VILLAGE, parent_code=township.code):
                cache[township.code].setdefault(v.name, v)
                cache[township.code].setdefault(_plain(v.name), v)
        villages = cache[township.code]
        area = villages.get(name) or villages.get(_plain(name))
        if area is None:
            ctx.add(n, column, _("%(t)s没有名为“%(v)s”的行政村") % {"t": township.name, "v": name}, "unknown_area", name)
            return None
    return area if ctx.in_scope(n, area, column, name) else None


def funds(ctx: Context, n: int, text: str, total: Decimal, column: str) -> list[tuple[str, Decimal]] | None:
    """[(source code, yuan)]: one source takes the whole amount; several must each carry their amount in 万元
    (中央40、强村工程10) adding up to the row's amount, because the model keeps each source's share."""
    labels = {s.label: s.code for s in catalogue.fund_sources().values()} | {c: c for c in catalogue.fund_sources()}
    parts = [p for p in _SPLIT.split(str(text or "").strip()) if p]
    out: list[tuple[str, Decimal | None]] = []
    for part in parts:
        match = _SOURCE.match(part)
        label, amount = (match.group(1), match.group(2)) if match else (part, None)
        code = labels.get(label.strip())
        if code is None:
            ctx.add(n, column, _("未知的资金类型“%(s)s”；可选：%(o)s")
                    % {"s": label, "o": "、".join(s.label for s in catalogue.fund_sources().values())},
                    "unknown_fund_source", part)
            return None
        if any(code == c for c, _a in out):
            ctx.add(n, column, _("资金类型“%(s)s”重复") % {"s": label}, "duplicate_fund_source", part)
            return None
        try:
            yuan = None if amount is None else Decimal(amount) * WAN
        except InvalidOperation:
            yuan = None
        if yuan is not None and (yuan != yuan.quantize(Decimal("0.01")) or yuan <= 0):
            ctx.add(n, column, _("“%(s)s”的金额应大于0、以万元计最多精确到分") % {"s": label}, "bad_amount", part)
            return None
        out.append((code, yuan))
    if not out:
        return None  # blank: the required-cell problem is already reported
    if len(out) == 1 and out[0][1] is None:
        return [(out[0][0], total)]
    if any(a is None for _c, a in out):
        ctx.add(n, column, _("有多种资金类型时，请写明每种的金额（万元），如“中央40、强村工程10”"), "fund_split_needed", text)
        return None
    listed = sum((a for _c, a in out), Decimal(0))
    if listed != total:
        ctx.add(n, column, _("各资金类型金额之和 %(a)s 万元与资金投入 %(b)s 万元不符")
                % {"a": shown(listed), "b": shown(total)}, "fund_split_mismatch", text)
        return None
    return [(c, a.quantize(Decimal("0.01"))) for c, a in out]


def shown(yuan: Decimal) -> str:
    """Yuan → the 万元 figure as the forms print it, without trailing zeros."""
    return format((Decimal(yuan) / WAN).normalize(), "f")


def period(ctx: Context, n: int, text: str, term: int | None, column: str) -> tuple[dt.date, dt.date] | None:
    """(starts_on, ends_on) from “2018.8-2021.8”: the first of the start month, and the end `term` years on."""
    match = _PERIOD.match(re.sub(r"\s+", "", str(text or "")))
    if not match:
        ctx.add(n, column, _("格式应为“起始年.月-终止年.月”，如 2018.8-2021.8"), "bad_period", text)
        return None
    y1, m1, y2, m2 = (int(g) for g in match.groups())
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        ctx.add(n, column, _("月份应在1–12之间"), "bad_period", text)
        return None
    starts_on = dt.date(y1, m1, 1)
    if term is None:
        return None
    ends_on = add_years(starts_on, term)
    if (y2, m2) != (ends_on.year, ends_on.month):
        ctx.add(n, column, _("与合作期限 %(t)s 年不符：应为 %(a)s.%(b)s-%(c)s.%(d)s")
                % {"t": term, "a": y1, "b": m1, "c": ends_on.year, "d": ends_on.month}, "period_term_mismatch", text)
        return None
    return starts_on, ends_on


def scale(ctx: Context, n: int, value, column: str) -> tuple[Decimal | None, str] | None:
    """规模 as printed: a number and its unit (10栋, 320平方米); blank is allowed."""
    text = re.sub(r"\s+", "", str(value or ""))
    if not text:
        return None, ""
    match = _SCALE.match(text)
    number = Decimal(match.group(1)) if match else None
    if number is None or number <= 0 or number != number.quantize(Decimal("0.01")):
        ctx.add(n, column, _("应为大于0的数字加单位（最多两位小数），如“10栋”“800亩”"), "bad_scale", value)
        return None
    return number, match.group(2)


def subtype(ctx: Context, n: int, text: str, asset_type: str, column: str) -> str | None:
    """子类型 by its label (or code), of the row's asset type; 股权、债权 belong on 附件3, not here."""
    found = next((s for s in catalogue.asset_subtypes().values() if text in (s.label, s.code)), None)
    if found is None or found.asset_type != asset_type or found.code in ("equity", "debt"):
        allowed = [s.label for s in catalogue.asset_subtypes().values()
                   if s.asset_type == asset_type and s.code not in ("equity", "debt")]
        ctx.add(n, column, _("不是该资产类型的子类型；可选：%(o)s") % {"o": "、".join(allowed)}, "unknown_asset_subtype", text)
        return None
    return found.code
