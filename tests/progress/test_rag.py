"""Red / amber / green by deadline: the pure judgement every page and report shares."""

import datetime as dt
from decimal import Decimal

from fupin.progress.rag import judge

START, DEADLINE = dt.date(2020, 1, 1), dt.date(2020, 6, 30)


def verdict(actual, *, value=100, as_of=dt.date(2020, 3, 31), direction="at_least"):
    return judge(value=None if value is None else Decimal(value), actual=None if actual is None else Decimal(actual),
                 direction=direction, period_start=START, deadline=DEADLINE, as_of=as_of)


def test_met_is_green_whatever_the_date():
    v = verdict(100, as_of=dt.date(2020, 12, 1))
    assert (v.state, v.colour, v.percent) == ("done", "green", 100)


def test_not_met_after_the_deadline_is_red():
    v = verdict(80, as_of=dt.date(2020, 7, 1))
    assert (v.state, v.colour, v.percent, v.label) == ("late", "red", 80, "逾期未完成")


def test_close_to_the_deadline_is_amber():
    assert verdict(90, as_of=dt.date(2020, 6, 10)).state == "near"


def test_behind_the_straight_line_pace_is_amber_ahead_is_green():
    # 31 March is half way through the period: 40 of 100 is behind, 60 is ahead
    assert verdict(40).state == "behind"
    assert verdict(60).state == "on_track"


def test_reduce_to_zero_targets():
    assert verdict(0, value=0, direction="at_most").state == "done"
    assert verdict(5, value=0, direction="at_most", as_of=dt.date(2020, 7, 1)).colour == "red"
    assert verdict(5, value=0, direction="at_most").colour == "green"


def test_a_qualitative_task_has_no_colour():
    assert verdict(None, value=None).colour == "grey"


def test_nothing_reported_counts_as_zero():
    assert verdict(None, as_of=dt.date(2020, 7, 1)).percent == 0
