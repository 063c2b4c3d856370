"""The two reviews of a monitoring case, routed by the household's village.

"monitoring.identify" follows 彰武县防止返贫监测和帮扶机制实施办法 三（三）:
  1.村组摸排 「由村委会研究确定预监测对象名单并报乡镇」 → proposal, village committee appraisal and the
    village notice (the override path needs 「经村委会评议并公示确认」);
  2.乡镇核查 「乡镇组织相关工作人员对各村上报的预监测对象名单进行走访核查，由镇党委会研究确定监测对象建议名单及其
    返贫致贫风险等级」 → the township's decision records the visit and the risk level;
  3.县级确定 「报县扶贫开发领导小组审定后录入全国扶贫开发信息系统」 → the county's decision (leading group);
  4.信息录入 → the entry, with its date (the announcement stage).
The pack's exclusions and override are checked before every stage passes (services.policy_gate).

"monitoring.eliminate" takes the same path (入户核实 → 民主评议公示 → 审核确认公告) and checks the
elimination criteria before the township and the county pass it (elimination.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from fupin.areas.models import AreaLevel
from fupin.monitoring.models import RiskLevel
from fupin.workflow.processes import (
    PassRule,
    ProcessDefinition,
    Stage,
    StageField,
    StageKind,
    register_process,
)

IDENTIFY = "monitoring.identify"
ELIMINATE = "monitoring.eliminate"

# Days each stage may take. The documents give no limits; national practice (research note §1.5:
# visit within 2-3 working days, the whole procedure within 20 working days) guides these.
APPRAISAL_DUE_DAYS = 10
AFTER_NOTICE_DUE_DAYS = 3
TOWNSHIP_DUE_DAYS = 10
COUNTY_DUE_DAYS = 10
ENTRY_DUE_DAYS = 5

VISIT_FIELDS = (
    StageField("visit_date", "走访核查日期（YYYY-MM-DD）"),
    StageField("visitors", "核查人员"),
    StageField("findings", "核查情况"),
)


def _notice_days(review) -> int:
    from fupin.monitoring.rules import notice_days
    from fupin.monitoring.services import case_for_review

    return notice_days(case_for_review(review).household)


def _village_stages(action_label: str) -> list[Stage]:
    return [
        Stage("proposal", action_label, StageKind.PROPOSAL, "monitoring.propose", AreaLevel.VILLAGE),
        Stage("appraisal", "村委会研究评议（民主评议）", StageKind.APPRAISAL, "monitoring.propose", AreaLevel.VILLAGE,
              due_days=APPRAISAL_DUE_DAYS, pass_rule=PassRule(numerator=1, denominator=2)),
        Stage("village_notice", "村级公示", StageKind.NOTICE, "monitoring.propose", AreaLevel.VILLAGE,
              notice_days=_notice_days, due_days=AFTER_NOTICE_DUE_DAYS),
    ]


def _hooks():
    from fupin.monitoring import services

    return services


def register_monitoring_processes() -> None:
    def before(**kw):
        return _hooks().before_stage(**kw)

    def passed(**kw):
        return _hooks().after_stage(**kw)

    def approved(**kw):
        return _hooks().review_approved(**kw)

    def ended(**kw):
        return _hooks().review_ended(**kw)

    risk_choices = tuple((code, str(label)) for code, label in RiskLevel.choices)
    register_process(ProcessDefinition(
        kind=IDENTIFY,
        label=str(_lazy("防返贫监测对象识别")),
        stages=[
            *_village_stages("村组摸排（提出预监测对象）"),
            Stage("township", "乡镇走访核查及镇党委会研究", StageKind.DECISION, "monitoring.review", AreaLevel.TOWNSHIP,
                  due_days=TOWNSHIP_DUE_DAYS,
                  fields=(*VISIT_FIELDS, StageField("risk_level", "返贫致贫风险等级", choices=risk_choices))),
            Stage("county", "县级确定（县扶贫开发领导小组审定）", StageKind.DECISION, "monitoring.approve",
                  AreaLevel.COUNTY, due_days=COUNTY_DUE_DAYS,
                  fields=(StageField("leading_group_meeting", "领导小组审定会议（日期或文号）"),)),
            Stage("entry", "信息录入并书面通知乡镇", StageKind.ANNOUNCEMENT, "monitoring.approve", AreaLevel.COUNTY,
                  due_days=ENTRY_DUE_DAYS),
        ],
        before_stage_passes=before, on_stage_passed=passed, on_approved=approved, on_rejected=ended,
        on_withdrawn=ended, view_action="monitoring.view",
    ), replace=True)
    register_process(ProcessDefinition(
        kind=ELIMINATE,
        label=str(_lazy("防返贫监测风险消除")),
        stages=[
            *_village_stages("村级提出风险消除"),
            Stage("township", "乡镇入户核实", StageKind.DECISION, "monitoring.review", AreaLevel.TOWNSHIP,
                  due_days=TOWNSHIP_DUE_DAYS, fields=VISIT_FIELDS),
            Stage("county", "县级审定", StageKind.DECISION, "monitoring.approve", AreaLevel.COUNTY,
                  due_days=COUNTY_DUE_DAYS),
            Stage("entry", "系统标注风险消除并公告", StageKind.ANNOUNCEMENT, "monitoring.approve", AreaLevel.COUNTY,
                  due_days=ENTRY_DUE_DAYS),
        ],
        before_stage_passes=before, on_approved=approved, on_rejected=ended, on_withdrawn=ended,
        view_action="monitoring.view",
    ), replace=True)
