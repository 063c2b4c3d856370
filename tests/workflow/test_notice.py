"""Public notice (公示): the window (from the definition, a parameter, or a function of the review),
objections inside the window only, each resolved before closing, and an upheld objection."""

import datetime as dt

import pytest

from fupin.core import clock
from fupin.core.errors import Conflict, NotFound, ValidationFailed
from fupin.workflow.models import NoticeStatus, ObjectionOutcome, ReviewStatus, StepAction
from fupin.workflow.processes import FAIL_REJECT
from fupin.workflow.services import review_open

from .kit import APPRAISAL_OK, CALLS, START, act, stage_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_notice(people, opened):
    act(opened, people.clerk, "appraisal", **APPRAISAL_OK)
    opened.refresh_from_db()
    return opened


def _open_at_notice(people, village, kind):
    review = review_open(actor=people.clerk, kind=kind, subject=village, area=village, reason="申请")
    act(review, people.clerk, "appraisal", **APPRAISAL_OK)
    return review


def test_window_from_the_definition_may_be_lengthened_not_shortened(people, at_notice):
    with pytest.raises(ValidationFailed, match="公示期不得少于7天"):
        act(at_notice, people.clerk, "start_notice", window_days=5)
    notice = act(at_notice, people.clerk, "start_notice", window_days=10)
    assert notice.ends_on == START + dt.timedelta(days=9)


def test_window_given_when_the_notice_starts(people, village, variant):
    variant("test.param", stages=stage_variant("village_notice", notice_days=None, min_notice_days=5))
    review = _open_at_notice(people, village, "test.param")
    with pytest.raises(ValidationFailed, match="请填写公示天数"):
        act(review, people.clerk, "start_notice")
    with pytest.raises(ValidationFailed, match="公示期不得少于5天"):
        act(review, people.clerk, "start_notice", window_days=3)
    with pytest.raises(ValidationFailed, match="公示天数应在1到90之间"):
        act(review, people.clerk, "start_notice", window_days=400)
    notice = act(review, people.clerk, "start_notice", window_days="5")
    assert notice.window_days == 5


def test_window_from_a_function_of_the_review(people, village, variant):
    # e.g. a policy-pack parameter looked up from the review's area and year
    variant("test.pack", stages=stage_variant("village_notice", notice_days=lambda review: 5 + len(review.payload)))
    review = review_open(actor=people.clerk, kind="test.pack", subject=village, area=village, reason="申请",
                         payload={"a": 1, "b": 2})
    act(review, people.clerk, "appraisal", **APPRAISAL_OK)
    assert act(review, people.clerk, "start_notice").window_days == 7


def test_notice_cannot_be_backdated_or_started_twice(people, at_notice):
    with pytest.raises(ValidationFailed, match="不能倒签"):
        act(at_notice, people.clerk, "start_notice", starts_on="2024-02-20")
    with pytest.raises(ValidationFailed, match="不能晚于30天后"):
        act(at_notice, people.clerk, "start_notice", starts_on="2024-06-01")
    notice = act(at_notice, people.clerk, "start_notice", starts_on="2024-03-04")  # next Monday
    assert notice.ends_on == dt.date(2024, 3, 10)
    with pytest.raises(Conflict, match="已在公示中"):
        act(at_notice, people.clerk, "start_notice")


def test_objections_only_inside_the_window(people, at_notice):
    notice = act(at_notice, people.clerk, "start_notice", starts_on="2024-03-04")
    with pytest.raises(ValidationFailed, match="须在公示期内（2024-03-04至2024-03-10）提出"):
        act(at_notice, people.clerk, "add_objection", raised_by="村民甲", content="不符合", received_on="2024-03-01")
    clock.advance(days=11)  # 2024-03-12
    with pytest.raises(ValidationFailed, match="2024-03-11收到的异议不予登记"):
        act(at_notice, people.clerk, "add_objection", raised_by="村民甲", content="不符合", received_on="2024-03-11")
    with pytest.raises(ValidationFailed, match="收到日期不能晚于今天"):
        act(at_notice, people.clerk, "add_objection", raised_by="村民甲", content="不符合", received_on="2024-03-13")
    # Received on the last day and recorded two days later: accepted.
    objection = act(at_notice, people.clerk, "add_objection", raised_by="村民甲", content="不符合",
                    received_on="2024-03-10")
    assert objection.notice == notice


@pytest.mark.parametrize(("fields", "message"), [
    ({"raised_by": "", "content": "不符合"}, "请填写异议人姓名"),
    ({"raised_by": "村民甲", "content": ""}, "请填写异议内容"),
    ({"raised_by": "村民甲", "content": "不符合", "contact": "12345"}, "电话号码格式不正确"),
    ({"raised_by": "村" * 101, "content": "不符合"}, "异议人姓名不能超过100个字"),
])
def test_bad_objections_refused(people, at_notice, fields, message):
    act(at_notice, people.clerk, "start_notice")
    at_notice.refresh_from_db()
    version = at_notice.version
    with pytest.raises(ValidationFailed, match=message):
        act(at_notice, people.clerk, "add_objection", **fields)
    at_notice.refresh_from_db()
    assert at_notice.version == version
    assert not at_notice.notices.get().objections.exists()


def test_objection_needs_an_open_notice(people, at_notice):
    with pytest.raises(Conflict, match="当前没有正在进行的公示"):
        act(at_notice, people.clerk, "add_objection", raised_by="村民甲", content="不符合")


def test_resolving_objections(people, at_notice):
    act(at_notice, people.clerk, "start_notice")
    objection = act(at_notice, people.clerk, "add_objection", raised_by="村民甲", content="有小汽车")
    with pytest.raises(ValidationFailed, match="请填写处理意见"):
        act(at_notice, people.clerk, "resolve_objection", objection_id=objection.pk, outcome="dismissed")
    with pytest.raises(ValidationFailed, match="处理结果应为"):
        act(at_notice, people.clerk, "resolve_objection", objection_id=objection.pk, outcome="maybe",
            resolution="核实")
    with pytest.raises(NotFound, match="没有编号为999999的异议"):
        act(at_notice, people.clerk, "resolve_objection", objection_id=999999, outcome="dismissed", resolution="核实")
    act(at_notice, people.clerk, "resolve_objection", objection_id=objection.pk, outcome="dismissed",
        resolution="车辆为亲属所有")
    with pytest.raises(Conflict, match="该异议已于2024-03-01处理"):
        act(at_notice, people.clerk, "resolve_objection", objection_id=objection.pk, outcome="upheld",
            resolution="改判")


def test_upheld_objection_returns_the_review(people, at_notice):
    act(at_notice, people.clerk, "start_notice")
    objection = act(at_notice, people.clerk, "add_objection", raised_by="村民乙", content="户主在县城有商品房")
    act(at_notice, people.clerk, "resolve_objection", objection_id=objection.pk, outcome=ObjectionOutcome.UPHELD,
        resolution="经核实户主在县城有商品房")
    clock.advance(days=7)
    act(at_notice, people.clerk, "close_notice")
    at_notice.refresh_from_db()
    assert (at_notice.status, at_notice.stage_key) == (ReviewStatus.RETURNED, "proposal")
    last = at_notice.steps.last()
    assert last.action == StepAction.RETURNED and "经核实户主在县城有商品房" in last.reason
    assert at_notice.notices.get().status == NoticeStatus.CLOSED


def test_upheld_objection_can_reject(people, village, variant):
    variant("test.strict", stages=stage_variant("village_notice", on_upheld_objection=FAIL_REJECT))
    review = _open_at_notice(people, village, "test.strict")
    act(review, people.clerk, "start_notice")
    objection = act(review, people.clerk, "add_objection", raised_by="村民乙", content="不符合")
    act(review, people.clerk, "resolve_objection", objection_id=objection.pk, outcome="upheld", resolution="属实")
    clock.advance(days=7)
    act(review, people.clerk, "close_notice")
    review.refresh_from_db()
    assert review.status == ReviewStatus.REJECTED
    assert CALLS == [("rejected", review.pk)]


def test_close_without_a_notice_refused(people, at_notice):
    with pytest.raises(Conflict, match="当前没有正在进行的公示"):
        act(at_notice, people.clerk, "close_notice")


def test_withdraw_cancels_the_open_notice(people, at_notice):
    act(at_notice, people.clerk, "start_notice")
    act(at_notice, people.clerk, "withdraw", reason="农户自愿放弃申请")
    at_notice.refresh_from_db()
    assert at_notice.status == ReviewStatus.WITHDRAWN
    assert at_notice.notices.get().status == NoticeStatus.CANCELLED
    assert CALLS == [("withdrawn", at_notice.pk)]
