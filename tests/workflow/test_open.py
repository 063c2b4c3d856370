"""Opening, withdrawing, and the process definitions themselves."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from support.places import TOWNSHIP, VILLAGE

from fupin.areas.models import Area, AreaLevel
from fupin.areas.selectors import area_get
from fupin.audit.models import AuditEvent
from fupin.core.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from fupin.workflow.models import Review, ReviewStatus
from fupin.workflow.processes import ProcessDefinition, Stage, StageKind, get_process, register_process
from fupin.workflow.selectors import open_review_for, reviews_of_subject
from fupin.workflow.services import review_open

from .kit import KIND, STAGES, act, definition, to_announcement

pytestmark = pytest.mark.django_db


def test_open_records_proposal_and_audit(people, opened, village):
    assert opened.proposer == people.clerk and opened.subject_label == "富有村委会"
    assert opened.payload == {"household": "H001", "members": 3}
    assert open_review_for(village, KIND) == opened
    assert list(reviews_of_subject(village)) == [opened]
    event = AuditEvent.objects.get(action="workflow.open")
    assert event.details["reason"] == "因病致贫，申请识别纳入" and event.area_code == VILLAGE


def test_one_open_review_per_subject_and_kind(people, opened, village):
    with pytest.raises(Conflict, match="已有进行中的“测试识别纳入”审核"):
        review_open(actor=people.workteam, kind=KIND, subject=village, area=village, reason="再次申请")
    assert Review.objects.count() == 1


def test_a_closed_review_allows_a_new_one(people, opened, village):
    act(opened, people.clerk, "withdraw", reason="重新整理材料")
    again = review_open(actor=people.clerk, kind=KIND, subject=village, area=village, reason="重新申请")
    assert again.pk != opened.pk


@pytest.mark.parametrize(("changes", "error", "message"), [
    ({"reason": " "}, ValidationFailed, "请填写申请理由"),
    ({"payload": ["not", "a", "dict"]}, ValidationFailed, "申请内容应为键值对象"),
    ({"kind": "no.such"}, ValidationFailed, "未知的审核类型"),
    ({"area": TOWNSHIP}, ValidationFailed, "须在村级区划提出，“哈尔套镇”是乡镇级"),
    ({"area": "219999"}, NotFound, "未知的区划代码"),
    ({"area": "abc"}, ValidationFailed, "区划代码“abc”无效"),
])
def test_bad_proposals_refused(people, village, changes, error, message):
    kwargs = {"actor": people.clerk, "kind": KIND, "subject": village, "area": village, "reason": "申请", **changes}
    with pytest.raises(error, match=message):
        review_open(**kwargs)
    assert not Review.objects.exists()


def test_retired_area_refused(people, village):
    retired = Area(code="210922101299", prefix="210922101299", level=AreaLevel.VILLAGE, name="已撤销村",
                   parent_code="210922101000", valid_from="2000-01-01", valid_to="2020-01-01")
    with pytest.raises(ValidationFailed, match="已撤销或合并"):
        review_open(actor=people.clerk, kind=KIND, subject=village, area=retired, reason="申请")


def test_only_the_proposal_role_opens(people, village):
    with pytest.raises(PermissionDenied, match="村级申请"):
        review_open(actor=people.township, kind=KIND, subject=village, area=village, reason="申请")
    with pytest.raises(PermissionDenied):
        review_open(actor=people.other_clerk, kind=KIND, subject=village, area=village, reason="申请")
    with pytest.raises(NotAuthenticated):
        review_open(actor=None, kind=KIND, subject=village, area=village, reason="申请")


def test_withdraw_only_by_the_proposer_and_before_approval(people, opened):
    with pytest.raises(PermissionDenied, match="只有提议人可以撤回"):
        act(opened, people.workteam, "withdraw", reason="x")
    with pytest.raises(ValidationFailed, match="请填写撤回理由"):
        act(opened, people.clerk, "withdraw")
    review = to_announcement(opened, people)
    with pytest.raises(Conflict, match="等待公告，不能撤回"):
        act(review, people.clerk, "withdraw", reason="x")


def test_withdrawn_review_is_closed(people, opened):
    act(opened, people.clerk, "withdraw", reason="农户外出务工，收入已超标准")
    opened.refresh_from_db()
    assert opened.status == ReviewStatus.WITHDRAWN and opened.closed_at is not None


# Definitions -----------------------------------------------------------------------------------


def _stage(key, kind, **kw):
    return Stage(key, key, kind, kw.pop("action", "registry.review"), kw.pop("level", AreaLevel.TOWNSHIP), **kw)


@pytest.mark.parametrize(("stages", "message"), [
    ([_stage("a", StageKind.DECISION)], "needs a proposal"),
    ([_stage("a", StageKind.DECISION), _stage("b", StageKind.DECISION)], "first stage"),
    ([_stage("p", StageKind.PROPOSAL), _stage("n", StageKind.NOTICE, notice_days=7)], "last stage"),
    ([_stage("p", StageKind.PROPOSAL), _stage("p", StageKind.DECISION)], "unique"),
])
def test_bad_definitions_refused(stages, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        ProcessDefinition(kind="test.bad", label="坏流程", stages=stages)


def test_bad_stages_refused():
    with pytest.raises(ImproperlyConfigured, match="unknown action"):
        _stage("x", StageKind.DECISION, action="registry.do_anything")
    with pytest.raises(ImproperlyConfigured, match="notice_days"):
        _stage("x", StageKind.NOTICE, notice_days=0)
    with pytest.raises(ImproperlyConfigured, match="level"):
        _stage("x", StageKind.DECISION, level=7)


def test_registering_a_different_definition_under_a_kind_needs_replace():
    register_process(definition())  # the same definition again: harmless
    assert get_process(KIND).label == "测试识别纳入"
    other = definition(label="另一个流程")
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        register_process(other)
    register_process(other, replace=True)
    assert get_process(KIND).label == "另一个流程"


def test_decision_stages_are_independent_by_default():
    assert [s.independent for s in STAGES] == [False, False, False, True, True, False]


def test_stage_level_comes_from_the_area_code(people, opened):
    from fupin.workflow.permissions import stage_area_code

    assert [stage_area_code(VILLAGE, s) for s in STAGES[2:5]] == [VILLAGE, "210922101000", "210922000000"]
    assert area_get("210922101").name == "哈尔套镇"


def test_an_edited_definition_is_followed_by_stage_key(people, opened):
    from fupin.workflow.processes import unregister_process

    from .kit import APPRAISAL_OK

    # A stage inserted before the current one: the review stays at its appraisal.
    extra = Stage("visit", "入户核实", StageKind.DECISION, "registry.review", AreaLevel.TOWNSHIP)
    register_process(definition(stages=[STAGES[0], extra, *STAGES[1:]]), replace=True)
    act(opened, people.clerk, "appraisal", **APPRAISAL_OK)
    opened.refresh_from_db()
    assert (opened.stage_key, opened.stage_index) == ("village_notice", 3)
    # The current stage removed: refused with a message, nothing changes.
    register_process(definition(stages=[s for s in STAGES if s.key != "village_notice"]), replace=True)
    with pytest.raises(Conflict, match="已不在流程定义中"):
        act(opened, people.clerk, "start_notice")
    with pytest.raises(NotFound, match="已不在流程定义中"):
        from fupin.workflow.selectors import review_history

        review_history(actor=people.clerk, review_id=opened.pk)
    unregister_process(KIND)
    with pytest.raises(ValidationFailed, match="未知的审核类型"):
        act(opened, people.clerk, "start_notice")
