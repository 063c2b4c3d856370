"""Today and now, in the county's time zone, with a clock that tests and demonstrations can pin.

Deadlines (a public notice window, a stage's due date) are counted in calendar days of
`settings.TIME_ZONE`. Code that needs the date or the time calls `clock.today()` / `clock.now()`
instead of `date.today()` / `timezone.now()`, so a test can move time without waiting:

    with clock.pinned(dt.date(2020, 5, 8)):
        ...                      # clock.today() == 2020-05-08
        clock.advance(days=7)    # clock.today() == 2020-05-15

The pin is process-wide (not per thread), so a live test server sees it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_pinned: dt.datetime | None = None


def _aware(value: dt.date | dt.datetime) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        # A pinned date reads as nine in the morning local time: well inside the day either way.
        value = dt.datetime.combine(value, dt.time(9, 0))
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value


def now() -> dt.datetime:
    """The current moment (aware), or the pinned one."""
    return _pinned if _pinned is not None else timezone.now()


def today() -> dt.date:
    """The current date in the county's time zone, or the pinned one."""
    return timezone.localdate(now())


def pin(value: dt.date | dt.datetime) -> None:
    global _pinned
    _pinned = _aware(value)


def unpin() -> None:
    global _pinned
    _pinned = None


def is_pinned() -> bool:
    return _pinned is not None


def advance(*, days: int = 0, hours: int = 0, minutes: int = 0) -> dt.datetime:
    """Move a pinned clock forward (only a pinned clock can move)."""
    if _pinned is None:
        raise RuntimeError("clock.advance() needs a pinned clock")
    pin(_pinned + dt.timedelta(days=days, hours=hours, minutes=minutes))
    return now()


@contextmanager
def pinned(value: dt.date | dt.datetime) -> Iterator[None]:
    """Pin the clock for the duration of a `with` block, restoring the previous state after it."""
    global _pinned
    previous = _pinned
    pin(value)
    try:
        yield
    finally:
        _pinned = previous
