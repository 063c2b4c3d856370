"""The pinnable clock that deadlines are counted with."""

import datetime as dt

import pytest

from fupin.core import clock


def test_pinned_clock_moves_only_when_told():
    # The workflow tests run with the clock pinned; inside, a nested pin wins and is undone after.
    outer = clock.today()
    with clock.pinned(dt.date(2020, 5, 8)):
        assert clock.today() == dt.date(2020, 5, 8)
        assert clock.now().hour == 9 and clock.now().tzinfo is not None
        clock.advance(days=7)
        assert clock.today() == dt.date(2020, 5, 15)
    assert clock.today() == outer


def test_unpinned_clock_follows_real_time():
    with clock.pinned(dt.date(2020, 1, 1)):
        pass
    previous = clock._pinned
    clock.unpin()
    try:
        assert not clock.is_pinned()
        assert abs((clock.now() - dt.datetime.now(dt.UTC)).total_seconds()) < 5
        with pytest.raises(RuntimeError):
            clock.advance(days=1)
    finally:
        clock._pinned = previous
