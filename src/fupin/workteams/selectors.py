"""Reads of the work-team context, every one scoped through fupin.accounts.access by the village's code
(a dispatching unit by its county's)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from fupin.accounts.access import access_object, can_see_pii, scope
from fupin.core.errors import NotFound, ValidationFailed
from fupin.core.validators import mask_phone
from fupin.workteams.models import (
    AttendanceDay,
    AttendanceSignoff,
    DispatchingUnit,
    MemberChange,
    SatisfactionSurvey,
    TeamAnnualReport,
    TeamMember,
    TeamRole,
    WorkLog,
    WorkTeam,
)
from fupin.workteams.services import month_end, parse_month

REQUIRED_MEMBERS = 3  # 每个驻村工作队一般不少于3人
REQUIRED_DAYS = 20  # 每人每月在岗不少于20天


def units_visible(*, actor, action: str = "workteam.view") -> QuerySet[DispatchingUnit]:
    return scope(DispatchingUnit.objects.select_related("county").annotate(team_count=Count("teams")),
                 actor, action, code_path="county__code")


def unit_get(*, actor, unit_id: int, action: str = "workteam.view") -> DispatchingUnit:
    return access_object(actor, DispatchingUnit.objects.select_related("county"), unit_id, action,
                         code_path="county__code")


def teams_visible(*, actor, action: str = "workteam.view") -> QuerySet[WorkTeam]:
    current = Q(members__left_on__isnull=True)
    qs = WorkTeam.objects.select_related("unit", "village").annotate(
        member_count=Count("members", filter=current, distinct=True))
    return scope(qs, actor, action, code_path="village__code")


def team_get(*, actor, team_id: int, action: str = "workteam.view") -> WorkTeam:
    return access_object(actor, WorkTeam.objects.select_related("unit", "unit__county", "village"), team_id, action,
                         code_path="village__code")


def member_get(*, team: WorkTeam, member_id) -> TeamMember:
    member = team.members.filter(pk=member_id).first()
    if member is None:
        raise NotFound("本队没有此队员", code="member_not_found")
    return member


def team_leader(team: WorkTeam) -> TeamMember | None:
    return team.members.filter(left_on__isnull=True, role=TeamRole.FIRST_SECRETARY).first()


def team_members(*, actor, team: WorkTeam, current_only: bool = False) -> list[TeamMember]:
    """The members with their days stationed (驻村天数, from attendance) and the phone masked unless the
    actor may see personal data in the village."""
    qs = team.members.annotate(days_stationed=Count("attendance"))
    if current_only:
        qs = qs.filter(left_on__isnull=True)
    members = list(qs.order_by("left_on", "role", "joined_on", "pk"))
    if not can_see_pii(actor, team.village.code):
        for member in members:
            member.phone = mask_phone(member.phone)
    return members


def team_changes(*, team: WorkTeam) -> QuerySet[MemberChange]:
    return team.changes.select_related("member_out", "member_in")


def team_logs(*, team: WorkTeam) -> QuerySet[WorkLog]:
    return team.logs.all()


def annual_report(*, team: WorkTeam, year: int) -> TeamAnnualReport | None:
    """The team's 年度工作情况 (附件2) for the year, if entered."""
    return team.annual_reports.filter(year=year).select_related("updated_by").first()


def team_surveys(*, team: WorkTeam, year: int | None = None) -> QuerySet[SatisfactionSurvey]:
    """满意度测评 of the team, latest first (the first of a year is the one that counts)."""
    qs = team.surveys.order_by("-surveyed_on", "-pk")
    return qs.filter(year=year) if year is not None else qs


def latest_survey(*, team: WorkTeam, year: int) -> SatisfactionSurvey | None:
    return team_surveys(team=team, year=year).first()


def team_months(team: WorkTeam, *, today: dt.date) -> list[dt.date]:
    """The months of the team's period up to today, most recent first."""
    months = []
    month = team.start_date.replace(day=1)
    last = min(team.end_date, today)
    while month <= last:
        months.append(month)
        month = (month_end(month) + dt.timedelta(days=1))
    return list(reversed(months))


@dataclass
class MonthRow:
    member: TeamMember
    days: list[tuple[int, bool, bool]]  # (day of month, present, allowed)
    present: int


@dataclass
class MonthGrid:
    team: WorkTeam
    month: dt.date
    day_numbers: list[int]
    rows: list[MonthRow]
    signoff: AttendanceSignoff | None
    total: int = 0
    short: list[str] = field(default_factory=list)  # members below 20 days

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"


def attendance_month(*, team: WorkTeam, month, today: dt.date) -> MonthGrid:
    """The month sheet: one row per member in the team during the month, one cell per day."""
    month = parse_month(month)
    end = month_end(month)
    members = [m for m in team.members.order_by("role", "joined_on", "pk")
               if m.joined_on <= end and (m.left_on is None or m.left_on >= month)]
    present: dict[int, set[int]] = defaultdict(set)
    for member_id, day in AttendanceDay.objects.filter(member__team=team, day__gte=month, day__lte=end).values_list(
            "member_id", "day"):
        present[member_id].add(day.day)
    numbers = list(range(1, end.day + 1))
    rows = []
    for member in members:
        cells = []
        for n in numbers:
            day = month.replace(day=n)
            allowed = team.covers(day) and member.active_on(day) and day <= today
            cells.append((n, n in present[member.pk], allowed))
        rows.append(MonthRow(member, cells, len(present[member.pk])))
    grid = MonthGrid(team, month, numbers, rows, AttendanceSignoff.objects.filter(team=team, month=month).first())
    grid.total = sum(r.present for r in rows)
    grid.short = [r.member.name for r in rows if r.present < REQUIRED_DAYS]
    return grid


# --- what the records say for the assessment (附件1 indicators 21-23) ------------------------

@dataclass
class Evidence:
    indicator: str
    clause: str
    count: int
    items: list[str]

    @property
    def title(self) -> str:
        """The clause as the 2020 team table words it (未转组织关系的队员（人） ...)."""
        from fupin.assessment.engine import shipped_catalogue

        indicator = shipped_catalogue().scheme(FINDINGS_SCHEME).indicator(self.indicator)
        clause = indicator.clause(self.clause) if indicator else None
        return clause.title if clause else self.clause


FINDINGS_SCHEME = "zhangwu-2020-team"


def team_findings(*, team: WorkTeam, year: int, today: dt.date) -> dict:
    """Findings for the 2020 team table computed from the records, with the evidence of each count:

    * 21 staff_short — each month of the year (within the team's period) with fewer than 3 members,
      one person-time per missing member; member_months_short — member-months below 20 days on duty;
      days_short — the days missing below 20 in those member-months;
    * 22 unsigned_months — months of the period, ended by `today`, without the township sign-off;
    * 23 members — current members whose Party relation is not transferred.

    A member-month counts only the days the member was in the team; a month the member joined or left
    during is prorated: the requirement is 20 days × (days in the team ÷ days in the month), rounded."""
    if not 2000 <= year <= 2100:
        raise ValidationFailed(f"年度应在2000–2100之间：{year}", code="bad_year")
    start = max(team.start_date, dt.date(year, 1, 1))
    end = min(team.end_date, dt.date(year, 12, 31), today)
    evidence = {key: Evidence(*key.split("."), 0, []) for key in
                ("21.staff_short", "21.member_months_short", "21.days_short", "22.unsigned_months", "23.members")}
    members = list(team.members.all())
    days_by_member: dict[int, set[dt.date]] = defaultdict(set)
    for member_id, day in AttendanceDay.objects.filter(member__team=team, day__gte=start, day__lte=end).values_list(
            "member_id", "day"):
        days_by_member[member_id].add(day)
    signed = set(AttendanceSignoff.objects.filter(team=team).values_list("month", flat=True))
    month = start.replace(day=1)
    while start <= end and month <= end:
        last = month_end(month)
        if last <= end:  # only months that are over
            first = max(month, team.start_date)
            span = (last - month).days + 1
            active = [m for m in members if m.joined_on <= last and (m.left_on is None or m.left_on >= first)]
            missing = max(0, REQUIRED_MEMBERS - len(active))
            if missing:
                evidence["21.staff_short"].count += missing
                evidence["21.staff_short"].items.append(f"{month:%Y-%m} 在队 {len(active)} 人，缺 {missing} 人")
            for member in active:
                in_team = (min(last, member.left_on or last) - max(first, member.joined_on)).days + 1
                required = round(REQUIRED_DAYS * in_team / span)
                got = sum(1 for d in days_by_member[member.pk] if month <= d <= last)
                if got < required:
                    evidence["21.member_months_short"].count += 1
                    evidence["21.days_short"].count += required - got
                    evidence["21.member_months_short"].items.append(
                        f"{member.name} {month:%Y-%m} 在岗 {got} 天（应不少于 {required} 天）")
            if month not in signed:
                evidence["22.unsigned_months"].count += 1
                evidence["22.unsigned_months"].items.append(f"{month:%Y-%m}")
        month = last + dt.timedelta(days=1)
    for member in members:
        if member.left_on is None and not member.party_relation_transferred:
            evidence["23.members"].count += 1
            evidence["23.members"].items.append(member.name)
    evidence["21.days_short"].items = list(evidence["21.member_months_short"].items)
    findings = {
        "21": {"staff_short": evidence["21.staff_short"].count,
               "member_months_short": evidence["21.member_months_short"].count,
               "days_short": evidence["21.days_short"].count},
        "22": {"unsigned_months": evidence["22.unsigned_months"].count},
        "23": {"members": evidence["23.members"].count},
    }
    return {"year": year, "from": start, "to": end, "findings": findings,
            "evidence": [e for e in evidence.values()]}
