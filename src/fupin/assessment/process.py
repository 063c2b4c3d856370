"""The per-team review of the assessment, routed by the team's village:

「采取工作队自评、乡镇初审、县扶贫办考核、市级抽查验收」 (彰武县2020年驻村帮扶考核实施方案 二):
  自评 → the proposal, signed by the team leader with the self-assessment findings (附件1 self version);
  乡镇初审 → the township's decision (it may return the self-assessment to the team, never reject it);
  县扶贫办考核 → the county office's decision, which needs its evaluation (附件1 county version) saved.
Ranking, the leading group's approval, the city spot check and publication are steps of the round
(services.round_rank ... round_publish): they concern all teams at once."""

from __future__ import annotations

from fupin.areas.models import AreaLevel
from fupin.workflow.processes import ProcessDefinition, Stage, StageKind, register_process

TEAM_REVIEW = "assessment.team"


def _before_stage(*, review, stage, actor) -> None:
    from fupin.assessment.services import check_stage_ready

    check_stage_ready(review=review, stage=stage)


def register_assessment_process() -> None:
    register_process(ProcessDefinition(
        kind=TEAM_REVIEW,
        label="驻村工作队年度考核",
        stages=[
            Stage("self", "驻村工作队自评（队长签字）", StageKind.PROPOSAL, "assessment.self", AreaLevel.VILLAGE),
            Stage("township", "乡镇初审", StageKind.DECISION, "assessment.review", AreaLevel.TOWNSHIP,
                  due_days=10, allow_reject=False),
            Stage("county", "县扶贫办考核评价（县考核组负责人签字）", StageKind.DECISION, "assessment.score",
                  AreaLevel.COUNTY, due_days=30, allow_reject=False),
        ],
        before_stage_passes=_before_stage,
        view_action="assessment.view",
    ), replace=True)
