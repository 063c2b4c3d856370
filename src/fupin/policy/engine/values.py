"""The meaning of every operation on one value — the reference the batch engines must match.

Numbers are decimals with at most 6 fractional digits, carried as IEEE doubles: every arithmetic
result is rounded to 6 places (`snap`: x·10⁶ rounded half to even, then divided by 10⁶), which makes
0.3 × 20 equal 6 exactly and gives the one-household evaluator, Polars and Spark bit-identical answers
(see docs/decisions/numeric-model.md). A division by a constant is a multiplication by its reciprocal.

A value is a number (float), text, bool, date, a tuple (code lists), `None` (missing) or `Err`
(a per-household error such as a division by zero). Missing values follow Kleene's three-valued
logic: `false and missing` is false, `true and missing` is missing. An error wins over a missing
value; `and`, `or` and `if` evaluate left to right and skip the side they do not need.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

SCALE = 1_000_000.0
LIMIT = 1e9  # input magnitudes up to this are exact to 6 decimal places
BIG = 1e12  # results this large are left as they are (beyond the range where rounding to 6 places is exact)


@dataclass(frozen=True)
class Err:
    """An error value: this household cannot be decided by this rule, and why."""

    message: str


def snap(x: float) -> float:
    """Round to 6 decimal places (the engine's one rounding step): Python's round() is half to even."""
    if not abs(x) < BIG:
        return x
    return round(x * SCALE) / SCALE


def round_half_away(y: float) -> float:
    """y rounded to a whole number, halves away from zero (as Rust's f64::round, exact)."""
    whole = math.floor(abs(y))
    if abs(y) - whole >= 0.5:
        whole += 1
    return math.copysign(float(whole), y)


def number(value) -> float:
    """An input number as the engine holds it."""
    return snap(float(value))


def first_error(*values):
    for value in values:
        if isinstance(value, Err):
            return value
    return None


def arith(op: str, a, b, message: str = ""):
    err = first_error(a, b)
    if err:
        return err
    if a is None or b is None:
        return None
    if op == "+":
        return snap(a + b)
    if op == "-":
        return snap(a - b)
    if op == "*":
        return snap(a * b)
    if b == 0:
        return Err(message or "division by zero / 除数为零")
    return snap(a / b)


def negate(a):
    if isinstance(a, Err) or a is None:
        return a
    return snap(-a)


def compare(op: str, a, b):
    err = first_error(a, b)
    if err:
        return err
    if a is None or b is None:
        return None
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    if op == "==":
        return a == b
    return a != b


def logic_and(a, b_thunk):
    if isinstance(a, Err):
        return a
    if a is False:
        return False
    b = b_thunk()
    if isinstance(b, Err):
        return b
    if a is True:
        return b
    return False if b is False else None


def logic_or(a, b_thunk):
    if isinstance(a, Err):
        return a
    if a is True:
        return True
    b = b_thunk()
    if isinstance(b, Err):
        return b
    if a is False:
        return b
    return True if b is True else None


def logic_not(a):
    if isinstance(a, Err) or a is None:
        return a
    return not a


def contains(item, container, negate_: bool = False):
    err = first_error(item, container)
    if err:
        return err
    if item is None or container is None:
        return None
    found = item in container
    return not found if negate_ else found


def if_(cond, then_thunk, else_thunk):
    if isinstance(cond, Err) or cond is None:
        return cond
    return then_thunk() if cond else else_thunk()


def coalesce(values):
    for value in values:
        if isinstance(value, Err) or value is not None:
            return value
    return None


def known(value):
    if isinstance(value, Err):
        return value
    return value is not None


def extreme(kind: str, values):
    err = first_error(*values)
    if err:
        return err
    if any(v is None for v in values):
        return None
    return min(values) if kind == "min" else max(values)


def unary_math(kind: str, a, digits: int = 0):
    if isinstance(a, Err) or a is None:
        return a
    if kind == "abs":
        return abs(a)
    if kind == "ceil":
        return float(math.ceil(a))
    if kind == "floor":
        return float(math.floor(a))
    # round half away from zero to `digits` places: the everyday 四舍五入
    if not abs(a) < BIG:
        return a
    factor = 10.0 ** digits
    return snap(round_half_away(a * factor) / factor)


def age(birth, at):
    """Full years (周岁) at the date `at`."""
    err = first_error(birth, at)
    if err:
        return err
    if birth is None or at is None:
        return None
    years = at.year - birth.year - (1 if (at.month, at.day) < (birth.month, birth.day) else 0)
    return float(years)


def overlaps(codes, wanted):
    """Whether a code list holds any of `wanted`."""
    if isinstance(codes, Err) or codes is None:
        return codes
    return any(code in wanted for code in codes)


def year_of(day):
    if isinstance(day, Err) or day is None:
        return day
    return float(day.year)


def lookup(table: dict, key, default, message: str):
    if isinstance(key, Err) or key is None:
        return key
    if key in table:
        return table[key]
    if isinstance(default, Err):
        return default
    if default is _NO_DEFAULT:
        return Err(message)
    return default


_NO_DEFAULT = object()
NO_DEFAULT = _NO_DEFAULT


# ---- member aggregates ------------------------------------------------------------------------

def aggregate(kind: str, pairs: list[tuple[object, object]]):
    """`pairs` holds (condition, value) per member, in member order; condition True when absent.

    An error in any included member wins (the alphabetically first message, so every engine picks
    the same one); then a missing condition or included value makes the result missing.
    """
    errors = []
    unknown = False
    included = []
    for cond, value in pairs:
        if isinstance(cond, Err):
            errors.append(cond.message)
            continue
        if cond is None:
            unknown = True
            continue
        if not cond:
            continue
        if isinstance(value, Err):
            errors.append(value.message)
        elif value is None:
            unknown = True
        else:
            included.append(value)
    if errors:
        return Err(min(errors))
    if kind == "any":
        # Kleene: any true member decides, even if others are unknown
        if any(v is True for v in included):
            return True
        return None if unknown or any(v is None for v in included) else False
    if kind == "all":
        if any(v is False for v in included):
            return False
        return None if unknown else True
    if unknown:
        return None
    if kind == "count":
        return float(len(included))
    if kind == "sum":
        return snap(sum(included)) if included else 0.0
    if not included:
        return None
    return min(included) if kind == "min" else max(included)


def money(value: float) -> str:
    """An amount with 2 decimals, rounded half up (四舍五入), never "-0.00"."""
    from decimal import ROUND_HALF_UP, Decimal

    text = str(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return "0.00" if text == "-0.00" else text


def to_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
