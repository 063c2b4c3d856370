"""Democratic appraisal (民主评议): the pass rule, a failed vote, and bad input refused with nothing written."""

import pytest

from fupin.core.errors import PermissionDenied, ValidationFailed
from fupin.workflow.models import ReviewStatus, StepAction
from fupin.workflow.processes import FAIL_RETURN, PassRule
from fupin.workflow.services import review_open

from .kit import APPRAISAL_OK, CALLS, act, stage_variant

pytestmark = pytest.mark.django_db


def test_failed_vote_rejects_the_review(people, opened):
    act(opened, people.clerk, "appraisal", attendees=20, votes_for=10, votes_against=8, votes_abstain=2,
        minutes="赞成10票，未过半数")
    opened.refresh_from_db()
    assert opened.status == ReviewStatus.REJECTED
    step = opened.steps.last()
    assert step.action == StepAction.APPRAISAL_FAILED
    assert (step.attendees, step.votes_for, step.votes_against, step.votes_abstain) == (20, 10, 8, 2)
    assert "赞成票超过实到人数的半数" in step.reason
    assert opened.stage_data["appraisal"]["passed"] is False
    assert CALLS == [("rejected", opened.pk)]


def test_failed_vote_can_return_to_the_proposer(people, village, variant):
    variant("test.soft", stages=stage_variant("appraisal", on_appraisal_fail=FAIL_RETURN))
    review = review_open(actor=people.clerk, kind="test.soft", subject=village, area=village, reason="申请")
    act(review, people.clerk, "appraisal", attendees=9, votes_for=3, votes_against=6, votes_abstain=0, minutes="未通过")
    review.refresh_from_db()
    assert (review.status, review.stage_key) == (ReviewStatus.RETURNED, "proposal")
    assert CALLS == []


def test_configurable_pass_rule(people, village, variant):
    two_thirds = PassRule(numerator=2, denominator=3, strictly_more=False, min_attendees=5)
    variant("test.twothirds", stages=stage_variant("appraisal", pass_rule=two_thirds))
    review = review_open(actor=people.clerk, kind="test.twothirds", subject=village, area=village, reason="申请")
    act(review, people.clerk, "appraisal", attendees=9, votes_for=6, votes_against=3, votes_abstain=0, minutes="六票赞成")
    review.refresh_from_db()
    assert review.stage_key == "village_notice"  # 6 of 9 reaches two thirds


@pytest.mark.parametrize(("fields", "message"), [
    ({**APPRAISAL_OK, "votes_for": 30}, "超过实到人数"),
    ({**APPRAISAL_OK, "attendees": 0}, "实到人数应在1到10000之间"),
    ({**APPRAISAL_OK, "votes_against": -1}, "反对票数应在0到10000之间"),
    ({**APPRAISAL_OK, "votes_for": "十八"}, "赞成票数应为整数"),
    ({**APPRAISAL_OK, "votes_abstain": True}, "弃权票数应为整数"),
    ({**APPRAISAL_OK, "minutes": " "}, "请填写会议记录"),
    ({**APPRAISAL_OK, "minutes": "a\x00b"}, "会议记录含有无法保存的控制字符"),
    ({k: v for k, v in APPRAISAL_OK.items() if k != "attendees"}, "请填写实到人数"),
    ({**APPRAISAL_OK, "held_on": "2024-03-02"}, "评议日期不能晚于今天"),
    ({**APPRAISAL_OK, "held_on": "3月1日"}, "评议日期格式不正确"),
])
def test_bad_appraisal_input_writes_nothing(people, opened, fields, message):
    with pytest.raises(ValidationFailed, match=message):
        act(opened, people.clerk, "appraisal", **fields)
    opened.refresh_from_db()
    assert (opened.version, opened.stage_key, opened.steps.count()) == (1, "appraisal", 1)


def test_appraisal_recorded_only_by_the_village(people, opened):
    with pytest.raises(PermissionDenied, match="富有村委会（村级）"):
        act(opened, people.township, "appraisal", **APPRAISAL_OK)


def test_pass_rule_arithmetic():
    majority = PassRule()
    assert majority.passes(attendees=20, votes_for=11, votes_against=9, votes_abstain=0)
    assert not majority.passes(attendees=20, votes_for=10, votes_against=0, votes_abstain=10)  # exactly half
    cast = PassRule(base="votes_cast")
    assert cast.passes(attendees=20, votes_for=6, votes_against=5, votes_abstain=0)
    assert not PassRule(min_attendees=10).passes(attendees=9, votes_for=9, votes_against=0, votes_abstain=0)
    assert PassRule(numerator=2, denominator=3).describe() == "赞成票超过实到人数的2/3"
    assert "不少于10人" in PassRule(min_attendees=10).describe()
