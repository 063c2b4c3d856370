"""Reads of the division tree. Scoped reads for users go through fupin.accounts.access."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from fupin.areas.models import Area, AreaLevel, pad_code
from fupin.core.errors import NotFound, ValidationFailed


def normalise_code(code: str) -> str:
    code = str(code or "").strip()
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise ValidationFailed(
            _("区划代码“%(code)s”无效：应为2、4、6、9或12位数字") % {"code": code}, code="bad_area_code"
        )
    return pad_code(code)


def area_get(code: str, *, on: dt.date | None = None) -> Area:
    """The area with `code` (current, or as it stood on `on`); NotFound with a clear message otherwise."""
    padded = normalise_code(code)
    qs = Area.objects.filter(code=padded)
    area = (qs.as_of(on) if on else qs.current()).first()
    if area is None:
        raise NotFound(_("未知的区划代码：%(code)s") % {"code": code}, code="unknown_area")
    return area


def area_ancestors(area: Area) -> list[Area]:
    """Province → ... → parent, current rows."""
    codes = [pad_code(area.code[:n]) for n in (2, 4, 6, 9) if n < len(area.prefix)]
    by_code = {a.code: a for a in Area.objects.current().filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def area_path(area: Area) -> str:
    return " / ".join([a.name for a in area_ancestors(area)] + [area.name])


def area_children(area: Area):
    return Area.objects.current().filter(parent_code=area.code).order_by("code")


def counties_served(codes: list[str]):
    return Area.objects.current().filter(level=AreaLevel.COUNTY, code__in=[pad_code(c) for c in codes])


def area_history(code: str):
    return Area.objects.filter(code=normalise_code(code)).order_by("valid_from")
