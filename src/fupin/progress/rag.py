"""Progress of a target against its deadline: red / amber / green (红黄绿灯).

Pure: figures in, a verdict out, so the page, the API, the monthly snapshot and the dispatch report
judge a target the same way (docs/decisions/progress-rag.md).

* met (不少于: actual ≥ value; 不多于: actual ≤ value) → green 已完成
* not met after the deadline → red 逾期未完成
* not met within `AMBER_DAYS` of the deadline → amber 临近时限
* 不少于 targets behind the straight-line pace from the period start → amber 进度滞后
* otherwise → green 按进度推进
* a target without a figure (qualitative task) → none 定性任务
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _lazy

AMBER_DAYS = 30

LABELS = {
    "done": _lazy("已完成"),
    "late": _lazy("逾期未完成"),
    "near": _lazy("临近时限"),
    "behind": _lazy("进度滞后"),
    "on_track": _lazy("按进度推进"),
    "none": _lazy("定性任务"),
}
COLOURS = {"done": "green", "on_track": "green", "near": "amber", "behind": "amber", "late": "red", "none": "grey"}


@dataclass(frozen=True)
class Verdict:
    state: str
    percent: int | None

    @property
    def colour(self) -> str:
        return COLOURS[self.state]

    @property
    def label(self) -> str:
        return str(LABELS[self.state])


def judge(*, value: Decimal | None, actual: Decimal | None, direction: str, period_start: dt.date,
          deadline: dt.date, as_of: dt.date) -> Verdict:
    if value is None:
        return Verdict("none", None)
    actual = actual or Decimal("0")
    at_most = direction == "at_most"
    met = actual <= value if at_most else actual >= value
    if at_most:
        percent = 100 if met else None
    else:
        percent = 100 if value == 0 else min(100, int(actual * 100 / value))
    if met:
        return Verdict("done", percent)
    if as_of > deadline:
        return Verdict("late", percent)
    if (deadline - as_of).days <= AMBER_DAYS:
        return Verdict("near", percent)
    if not at_most:
        span = max((deadline - period_start).days, 1)
        elapsed = min(max((as_of - period_start).days, 0), span)
        if actual * span < value * elapsed:
            return Verdict("behind", percent)
    return Verdict("on_track", percent)
