"""The test process kind shaped like the registry's identification (识别纳入): village proposal →
democratic appraisal → village notice (7 days) → township review (with a risk level) → county
approval → county announcement. The subject is the village's Area row."""

from __future__ import annotations

import datetime as dt

from fupin.accounts.services import role_assign
from fupin.areas.models import AreaLevel
from fupin.areas.selectors import area_get
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import ValidationFailed
from fupin.workflow.processes import (
    ProcessDefinition,
    Stage,
    StageField,
    StageKind,
)
from fupin.workflow.services import review_act

KIND = "test.identify"
START = dt.date(2024, 3, 1)
CALLS: list[tuple[str, int]] = []


def on_approved(*, review, actor):
    CALLS.append(("approved", review.pk))
    # A write of the owner's, in the same transaction as the last step.
    audit_event(actor=actor, action="test.applied", target=review, area_code=review.area.code)
    if review.payload.get("fail_on_approve"):
        raise ValidationFailed("登记失败：测试用的业务校验未通过", code="owner_refused")


def on_rejected(*, review, actor):
    CALLS.append(("rejected", review.pk))


def on_withdrawn(*, review, actor):
    CALLS.append(("withdrawn", review.pk))


def before_stage_passes(*, review, stage, actor):
    if review.payload.get("block_stage") == stage.key:
        raise ValidationFailed(f"“{stage.label}”不能通过：不符合纳入条件", code="owner_blocked")


STAGES = [
    Stage("proposal", "村级申请", StageKind.PROPOSAL, "registry.propose", AreaLevel.VILLAGE),
    Stage("appraisal", "村民主评议", StageKind.APPRAISAL, "registry.propose", AreaLevel.VILLAGE, due_days=15),
    Stage("village_notice", "村级公示", StageKind.NOTICE, "registry.propose", AreaLevel.VILLAGE, notice_days=7,
          due_days=3),
    Stage("township", "乡镇审核", StageKind.DECISION, "registry.review", AreaLevel.TOWNSHIP, due_days=10,
          fields=(StageField("risk_level", "风险等级", choices=(("high", "高"), ("medium", "中"), ("low", "低"))),)),
    Stage("county", "县级审批", StageKind.DECISION, "registry.approve", AreaLevel.COUNTY, due_days=10),
    Stage("announcement", "县级公告", StageKind.ANNOUNCEMENT, "registry.approve", AreaLevel.COUNTY, due_days=5),
]


def definition(kind: str = KIND, **changes) -> ProcessDefinition:
    stages = changes.pop("stages", STAGES)
    return ProcessDefinition(kind=kind, label=changes.pop("label", "测试识别纳入"), stages=stages,
                             on_approved=on_approved, on_rejected=on_rejected, on_withdrawn=on_withdrawn,
                             before_stage_passes=before_stage_passes, **changes)


def stage_variant(key: str, **changes) -> list[Stage]:
    """STAGES with one stage changed."""
    import dataclasses

    return [dataclasses.replace(s, **changes) if s.key == key else s for s in STAGES]


def grant(user, role: str, area: str):
    role_assign(actor=None, user=user, role=role, area=area_get(area))
    return user


def act(review, actor, name: str, **fields):
    """Take `name` on the review at its current version (as a user who just loaded the page)."""
    review.refresh_from_db()
    return review_act(actor=actor, review=review, act=name, expected_version=review.version, **fields)


APPRAISAL_OK = {"attendees": 21, "votes_for": 18, "votes_against": 2, "votes_abstain": 1,
                "minutes": "村民代表会议评议：同意纳入"}


def to_township(review, people):
    """Appraisal passed and notice run without objections: the review waits at the township."""
    act(review, people.clerk, "appraisal", **APPRAISAL_OK)
    act(review, people.clerk, "start_notice", place="村务公开栏")
    clock.advance(days=7)
    act(review, people.clerk, "close_notice")
    review.refresh_from_db()
    return review


def to_announcement(review, people):
    to_township(review, people)
    act(review, people.township, "approve", data={"risk_level": "high"})
    act(review, people.county, "approve", reason="同意")
    review.refresh_from_db()
    return review
