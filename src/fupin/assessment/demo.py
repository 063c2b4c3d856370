"""Demo: the county's 2020 assessment of its work teams, in progress. 黄花山 and 柳树 have passed the
county's evaluation, 东哈尔套's self-assessment waits for the township, and 富有村's team leader
(the `workteam` account, 周明) has still to self-assess."""

from __future__ import annotations

import datetime as dt

from fupin.accounts.models import User
from fupin.assessment import services
from fupin.assessment.models import AssessmentRound
from fupin.assessment.records import records_findings
from fupin.core import clock
from fupin.workflow.services import review_decide
from fupin.workteams.models import TeamMember, TeamRole

COUNTY = "210922000000"
SCHEME = "zhangwu-2020-team"
LEADERS = {"210922101202": "workteam", "210922101203": "workteam2", "210922101204": "workteam3",
           "210922101206": "workteam4"}
# What each team reports (附件1 self version) and what the county's assessors add (with their notes).
SELF = {
    "210922101203": {"1": {"problems": 1}, "11": {"funds": 86}, "12": {"income": 12.6},
                     "24": {"village": 96, "households": 93}},
    "210922101204": {"11": {"funds": 240}, "12": {"income": 18.2}, "24": {"village": 98, "households": 95}},
    "210922101206": {"4": {"activists": True}, "11": {"funds": 45}, "12": {"income": 6.8},
                     "24": {"village": 92, "households": 88}},
}
COUNTY_ADDS = {
    "210922101203": ({"20": {"gaps": 2}}, {"20": "7月、8月工作日志缺少入户记录"}),
    "210922101204": ({"13": {"no_plan": False}}, {}),
}


def _leader_accounts() -> None:
    """Link each team's first secretary to the leader's demo account."""
    for code, username in LEADERS.items():
        user = User.objects.filter(username=username).first()
        if user is not None:
            TeamMember.objects.filter(team__village__code=code, role=TeamRole.FIRST_SECRETARY, left_on__isnull=True,
                                      user__isnull=True).update(user=user)


def demo_assessment() -> dict:
    if AssessmentRound.objects.filter(scheme_id=SCHEME, year=2020, county__code=COUNTY).exists():
        return {"rounds": 0}
    officer, township = User.objects.get(username="officer"), User.objects.get(username="township")
    _leader_accounts()
    round_ = services.round_create(actor=officer, scheme_id=SCHEME, year=2020, county_code=COUNTY,
                                   self_due=dt.date(2020, 10, 25), county_due=dt.date(2020, 11, 30))
    for entry in round_.entries.select_related("team", "area").order_by("listing_order"):
        code = entry.area.code
        if code not in SELF:
            continue
        leader = User.objects.get(username=LEADERS[code])
        entry = services.entry_self_assess(actor=leader, entry=entry, findings=SELF[code],
                                           summary="全年按计划开展驻村帮扶工作，详见工作情况表（附件2）。",
                                           expected_version=entry.version)
        services.material_mark(actor=leader, round_=round_, key="team.self_form", entry=entry,
                               submitted_on=dt.date(2020, 10, 24))
        if code not in COUNTY_ADDS:
            continue  # waits for the township
        review_decide(actor=township, review=entry.review, expected_version=entry.review.version,
                      decision="approve", reason="材料齐全，同意上报县考核组")
        entry.refresh_from_db()
        findings, notes = COUNTY_ADDS[code]
        # The comparative indicators and satisfaction come from the team's annual report and survey;
        # where the records lack them the assessors enter the team's own figures.
        missing = records_findings(team=entry.team, year=2020, today=clock.today()).get("missing", [])
        given = {k: v for k, v in SELF[code].items() if k in missing}
        services.entry_county_assess(actor=officer, entry=entry, findings={**given, **findings}, notes=notes,
                                     expected_version=entry.version, submit=True)
    return {"rounds": 1}
