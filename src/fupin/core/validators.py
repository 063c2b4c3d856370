"""Validators for Chinese identifiers: 公民身份号码 (GB 11643-1999) and mobile/landline numbers."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number_problem(value: str) -> str | None:
    """Why `value` is not a valid 18-digit resident ID number, or None when it is."""
    value = (value or "").strip().upper()
    if not _ID_RE.match(value):
        return str(_("身份证号应为18位，前17位为数字，末位为数字或X"))
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return str(_("身份证号中的出生日期无效"))
    if id_check_digit(value[:17]) != value[17]:
        return str(_("身份证号校验位错误"))
    return None


def validate_id_number(value: str) -> None:
    problem = id_number_problem(value)
    if problem:
        raise ValidationError(problem, code="id_number")


def validate_phone(value: str) -> None:
    if value and not _PHONE_RE.match(value.strip()):
        raise ValidationError(_("电话号码格式不正确：手机号11位，固话如 0418-1234567"), code="phone")


def mask_id_number(value: str) -> str:
    """Keep the area prefix and the last two characters: 210922********12X → enough to tell people apart."""
    if not value:
        return value
    return value[:6] + "*" * max(len(value) - 8, 0) + value[-2:]


def mask_phone(value: str) -> str:
    if not value:
        return value
    return value[:3] + "****" + value[-4:] if len(value) >= 7 else "*" * len(value)
