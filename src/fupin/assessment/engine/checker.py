"""Collecting every problem of a scheme file with where it is: the checker the loader uses."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from fractions import Fraction

from .errors import Problem
from .model import Cite
from .numbers import D, fmt

SEEDS = ("000", "001", "002", "003", "004")

ENUMS = {
    "grading": ("none", "by_score", "by_rank"),
    "grade_caps": ("clamp", "flag"),
    "grade_rounding": ("none", "integer"),
    "quota_rounding": ("floor", "round"),
    "not_assessed": ("rescale", "full_marks"),
    "comparison_set": ("run", "group"),
    "rank_formula": ("top_full_last_share", "top_full_last_zero"),
    "tie_rule": ("listing_order", "shared"),
    "method": ("value_over_best", "rank"),
    "quota_kind": ("max", "about"),
}


def suggest(name: str, options) -> str:
    if re.fullmatch(r"[\d.]+", str(name)):
        return ""  # indicator numbers: "25" is not a typo of "2" or "5"
    close = difflib.get_close_matches(str(name), [str(o) for o in options], n=2, cutoff=0.6)
    return f"（是否想写 {'、'.join(close)}？）" if close else ""



class Checker:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def keys(self, table, allowed: set[str], where: str) -> bool:
        if not isinstance(table, dict):
            self.add(where, "应为一张表（键 = 值）")
            return False
        for key in table:
            if key not in allowed:
                self.add(f"{where}.{key}" if where else key, f"未知的键{suggest(key, allowed)}")
        return True

    def text(self, table: dict, key: str, where: str, *, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(f"{where}.{key}", "缺少此项")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(f"{where}.{key}", "应为非空文本")
            return ""
        return value.strip()

    def number(self, table: dict, key: str, where: str, *, required: bool = True, positive: bool = False,
               minimum: Decimal | None = None) -> Decimal | None:
        value = table.get(key)
        if value is None:
            if required:
                self.add(f"{where}.{key}", "缺少此项")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            self.add(f"{where}.{key}", f"应为数值，实为 {value!r}")
            return None
        number = D(value)
        if positive and number <= 0:
            self.add(f"{where}.{key}", f"应大于0，实为 {fmt(number)}")
            return None
        if minimum is not None and number < minimum:
            self.add(f"{where}.{key}", f"不应小于 {fmt(minimum)}，实为 {fmt(number)}")
            return None
        return number

    def flag(self, table: dict, key: str, where: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.add(f"{where}.{key}", f"应为 true 或 false，实为 {value!r}")
            return default
        return value

    def enum(self, table: dict, key: str, where: str, default: str) -> str:
        value = table.get(key, default)
        allowed = ENUMS[key]
        if value not in allowed:
            self.add(f"{where}.{key}", f"应为 {'、'.join(allowed)} 之一，实为 {value!r}")
            return default
        return value

    def ids(self, items: list, key: str, where: str) -> None:
        seen: set[str] = set()
        for i, item in enumerate(items):
            value = item.get(key) if isinstance(item, dict) else None
            if value is None:
                continue
            if str(value) in seen:
                self.add(f"{where}[{i}].{key}", f"重复的编号“{value}”")
            seen.add(str(value))

    def cites(self, table: dict, where: str, *, required: bool) -> tuple[Cite, ...]:
        raw = table.get("cite")
        if raw is None:
            if required:
                self.add(f"{where}.cite", "缺少出处引文：cite = [{seed = \"000\", quote = \"……\"}]")
            return ()
        items = raw if isinstance(raw, list) else [raw]
        out = []
        for i, item in enumerate(items):
            spot = f"{where}.cite[{i}]"
            if not isinstance(item, dict) or set(item) - {"seed", "quote"}:
                self.add(spot, "引文格式应为 {seed = \"000\", quote = \"……\"}")
                continue
            seed, quote = str(item.get("seed", "")), item.get("quote")
            if seed not in SEEDS:
                self.add(f"{spot}.seed", f"未知的来源文件“{seed}”，应为 {'、'.join(SEEDS)} 之一")
                continue
            if not isinstance(quote, str) or len(quote.strip()) < 4 or "\n" in quote:
                self.add(f"{spot}.quote", "引文应为原文同一行中至少4个字符")
                continue
            out.append(Cite(seed, quote))
        return tuple(out)



def table_list(raw: dict, key: str, where: str, check: Checker) -> list[dict]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        check.add(f"{where}{key}", "应为表的数组：[[" + key + "]]")
        return []
    return value


def fraction(value, check: Checker, where: str) -> Fraction | None:
    """A share of a group: a number between 0 and 1, or an exact fraction written "1/3"."""
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        share = Fraction(value) if isinstance(value, str) else Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        check.add(where, f"比例应为 0–1 之间的数或分数（如 \"1/3\"），实为 {value!r}")
        return None
    if not 0 < share <= 1:
        check.add(where, f"比例应在 0–1 之间，实为 {value!r}")
        return None
    return share
