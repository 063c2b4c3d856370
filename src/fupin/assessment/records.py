"""What a team's records say for the 2020 team table (zhangwu-2020-team, 附件1), ready to score.

`records_findings` combines the work-team records (indicators 21-23, from
`fupin.workteams.selectors.team_findings`), the team's 年度工作情况 (11 funds, 12 village collective
income), its 满意度测评 (24) and the registry and assistance records of the village's households
(14 因户施策, 16 帮扶责任人全覆盖, 17 结对户的帮扶措施, 18 帮扶记录（卡）). Every count comes with its
evidence: the households (户编号 and head's name) or months behind it. The definitions, and why, are
in docs/decisions/assessment-records.md.

Internal read, no actor: callers check access to the team first (as `team_get` does).
A handful of set-based queries per team, whatever the number of households.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from fupin.assistance.models import (
    CadreProfile,
    CadreUnitKind,
    MeasureStatus,
    PairingAssignment,
    PlanMeasure,
    Visit,
)
from fupin.assistance.rules import PLAN_STATUSES
from fupin.assistance.selectors import head_name
from fupin.core.errors import ValidationFailed
from fupin.registry.models import Household
from fupin.workteams.models import WorkTeam
from fupin.workteams.selectors import FINDINGS_SCHEME, Evidence, annual_report, latest_survey, team_findings

SCHEME = FINDINGS_SCHEME
# 建档立卡户 of the 2020 table: 贫困户 not yet out (未脱贫、预脱贫、返贫) and 已脱贫户, who keep their
# pairing cadre and need 巩固措施 (脱贫不脱帮扶). Monitored-only households are not 贫困户 of this table.
REGISTERED_STATUSES = tuple(PLAN_STATUSES)
# A measure counts once it was carried out: in place, or ended after being in place. A measure only
# planned is not yet 因户施策.
CARRIED_OUT = (MeasureStatus.IN_PLACE, MeasureStatus.ENDED)
# Comparative indicators: the table ranks teams on them, so they must be entered for a run.
ENTERED = ("11", "12", "24")


def records_findings(*, team: WorkTeam, year: int, today: dt.date) -> dict:
    """Findings of `team` for `year` up to `today`, each count with its Evidence.

    Returns {"year", "from", "to", "findings", "evidence", "missing", "sources"}: `findings` can be
    given to the scoring engine as one subject's findings, and stored or sent as JSON as they are
    (amounts and percentages are JSON numbers of two decimal places, which the engine reads exactly); `missing` lists the indicators that must
    still be entered (11 and 12 without the annual report, 24 without a survey); `sources` says where
    each entered value comes from ({"indicator", "text"})."""
    base = team_findings(team=team, year=year, today=today)
    start, end = base["from"], base["to"]
    if start > end:
        raise ValidationFailed(f"{year} 年没有工作队驻村的日子（驻村期间 {team.start_date} 至 {team.end_date}）",
                               code="outside_team_period")
    findings: dict = {}
    sources: list[dict] = []
    missing: list[str] = []
    _entered(team, year, findings, sources, missing)
    household_evidence = _household_findings(team, year, start, end, findings, sources)
    findings.update(base["findings"])
    return {"year": year, "from": start, "to": end,
            "findings": dict(sorted(findings.items(), key=lambda item: int(item[0]))),
            "evidence": household_evidence + base["evidence"], "missing": missing, "sources": sources}


def _number(value: Decimal) -> int | float:
    """A two-place Decimal as a JSON number: 12 stays 12, 44.75 is 44.75 (its repr, read back exactly)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _wan(value: Decimal) -> str:
    return f"{value:.2f} 万元"


def _entered(team: WorkTeam, year: int, findings: dict, sources: list, missing: list) -> None:
    """11 and 12 from the annual report, 24 from the latest survey of the year."""
    report = annual_report(team=team, year=year)
    if report is None:
        missing += ["11", "12"]
    else:
        findings["11"] = {"funds": _number(report.total_funds)}
        findings["12"] = {"income": _number(report.village_collective_income)}
        sources.append({"indicator": "11", "text": (
            f"{year}年度工作情况（第 {report.version} 版）：帮扶单位投入 {_wan(report.unit_investment)}"
            f" + 协调落实驻村项目资金 {_wan(report.coordinated_funds)} + 物资折款 {_wan(report.goods_value)}"
            f" = {_wan(report.total_funds)}（不含投资性资金和为贫困户协调的贷款）")})
        sources.append({"indicator": "12", "text": f"{year}年度工作情况：所驻村集体收入 "
                                                   f"{_wan(report.village_collective_income)}"})
    survey = latest_survey(team=team, year=year)
    if survey is None:
        missing.append("24")
    else:
        findings["24"] = {"village": _number(survey.village_percent),
                          "households": _number(survey.household_percent)}
        sources.append({"indicator": "24", "text": (
            f"{survey.surveyed_on} 满意度测评：所驻村 {survey.village_satisfied}/{survey.village_respondents} 人满意"
            f"（{survey.village_percent}%），贫困户 {survey.household_satisfied}/{survey.household_respondents} 户满意"
            f"（{survey.household_percent}%）")})


def _household_findings(team: WorkTeam, year: int, start: dt.date, end: dt.date, findings: dict,
                        sources: list) -> list[Evidence]:
    """14, 16, 17 and 18 from the registry (the year's records) and the assistance records.

    Assistance records are matched by 户编号 across years, so a measure or pairing recorded on last
    year's record still counts when it runs into this year."""
    households = list(Household.objects.filter(year=year, village__code=team.village.code,
                                               status__in=REGISTERED_STATUSES)
                      .annotate(head=head_name()).order_by("household_number")
                      .values("household_number", "head", "pairing_cadre_id"))
    numbers = Household.objects.filter(year=year, village__code=team.village.code,
                                       status__in=REGISTERED_STATUSES).values("household_number")
    history: set[str] = set()
    open_at_end: set[str] = set()
    paired_in_period: dict[str, set[int]] = defaultdict(set)
    for number, cadre_id, started, ended in (PairingAssignment.objects
                                             .filter(household__household_number__in=numbers)
                                             .values_list("household__household_number", "cadre_id", "started_on",
                                                          "ended_on")):
        history.add(number)
        if started > end:
            continue
        if ended is None or ended >= end:
            open_at_end.add(number)
        if ended is None or ended >= start:
            paired_in_period[number].add(cadre_id)
    # Records with no pairing history (imported with a cadre) count by their current cadre.
    for h in households:
        if h["household_number"] not in history and h["pairing_cadre_id"]:
            open_at_end.add(h["household_number"])
            paired_in_period[h["household_number"]].add(h["pairing_cadre_id"])
    cadre_ids = {c for cadres in paired_in_period.values() for c in cadres}
    profiles = {p["user_id"]: p for p in CadreProfile.objects.filter(user_id__in=cadre_ids).values(
        "user_id", "name", "unit_kind", "unit_name")}
    unit_name = team.unit.name.strip()
    unit_cadres = {uid for uid, p in profiles.items()
                   if p["unit_kind"] == CadreUnitKind.DISPATCHING and p["unit_name"].strip() == unit_name}
    measured = set(PlanMeasure.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=start),
                                              plan__household__household_number__in=numbers,
                                              status__in=CARRIED_OUT, start_date__lte=end)
                   .values_list("plan__household__household_number", flat=True).distinct())
    visited = set(Visit.objects.filter(household__household_number__in=numbers, visited_on__range=(start, end))
                  .values_list("household__household_number", "visitor_id").distinct())

    evidence = {key: Evidence(key, "households", 0, []) for key in ("14", "16", "17", "18")}

    def found(key: str, h: dict, extra: str = "") -> None:
        evidence[key].count += 1
        evidence[key].items.append(f"{h['household_number']} {h['head'] or '（户主未登记）'}{extra}")

    unit_paired = 0
    for h in households:
        number = h["household_number"]
        if number not in measured:
            found("14", h)
        if number not in open_at_end:
            found("16", h)
        mine = sorted(paired_in_period[number] & unit_cadres)
        if not mine:
            continue
        unit_paired += 1
        names = "（帮扶责任人 " + "、".join(profiles[c]["name"] for c in mine) + "）"
        if number not in measured:
            found("17", h, names)
        if not any((number, c) in visited for c in mine):
            found("18", h, names)
    for key, e in evidence.items():
        findings[key] = {"households": e.count}
    sources.append({"indicator": "17", "text": (
        f"建档立卡户 {len(households)} 户，其中由派出单位（{unit_name}）干部结对帮扶 {unit_paired} 户"
        f"（按帮扶责任人档案的单位类别“派出单位”和工作单位名称认定）")})
    return list(evidence.values())
