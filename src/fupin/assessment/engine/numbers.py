"""Exact decimal arithmetic for scores: 0.9 × 4 is 3.6, never 3.6000000000000001."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def D(value) -> Decimal:
    """A Decimal from an int, float (through its shortest repr), Decimal or numeric string."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def q2(value: Decimal) -> Decimal:
    """Rounded half-up to two places (分 to the hundredth)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None) -> str:
    """3 → "3", 2.50 → "2.5", 0.75 → "0.75": how the documents write points."""
    if value is None:
        return "—"
    value = q2(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(q2(value))
