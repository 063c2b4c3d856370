"""/api/workteams: dispatching units, teams, members and changes, attendance, work logs, the annual
situation (附件2) and satisfaction surveys, and the assessment findings computed from the records."""

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from fupin.api.pagination import Pages
from fupin.api.schemas import Error, Year
from fupin.assessment.records import records_findings
from fupin.core import clock
from fupin.core.errors import NotFound
from fupin.workteams import services
from fupin.workteams.models import (
    DispatchingUnit,
    SatisfactionSurvey,
    TeamAnnualReport,
    TeamMember,
    WorkLog,
    WorkTeam,
)
from fupin.workteams.schemas import (
    AnnualReportIn,
    AnnualReportOut,
    AttendanceIn,
    AttendanceOut,
    AttendanceRow,
    ChangeIn,
    ChangeOut,
    FindingsOut,
    LogIn,
    LogOut,
    MemberIn,
    MemberOut,
    SignoffOut,
    SurveyIn,
    SurveyOut,
    TeamIn,
    TeamOut,
    UnitIn,
    UnitOut,
)
from fupin.workteams.selectors import (
    annual_report,
    attendance_month,
    member_get,
    team_changes,
    team_get,
    team_logs,
    team_members,
    team_surveys,
    teams_visible,
    unit_get,
    units_visible,
)

router = Router(tags=["workteams 驻村工作队"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error}


def _unit(u: DispatchingUnit) -> UnitOut:
    return UnitOut(id=u.pk, county=u.county.code, name=u.name, level=u.level, level_label=u.get_level_display(),
                   leading_body=u.leading_body, leading_body_since=u.leading_body_since,
                   leader_in_charge=u.leader_in_charge, responsible_division=u.responsible_division,
                   party_secretary=u.party_secretary)


def _team(t: WorkTeam) -> TeamOut:
    return TeamOut(id=t.pk, name=t.name, unit_id=t.unit_id, unit_name=t.unit.name, level=t.unit.level,
                   village=t.village.code, village_name=t.village.name, start_date=t.start_date, end_date=t.end_date)


def _member(m: TeamMember) -> MemberOut:
    return MemberOut(id=m.pk, name=m.name, role=m.role, role_label=m.get_role_display(), sex=m.sex, age=m.age,
                     education=m.education, political_status=m.political_status, phone=m.phone,
                     joined_on=m.joined_on, left_on=m.left_on, days_stationed=getattr(m, "days_stationed", 0),
                     party_relation_transferred=m.party_relation_transferred)


def _log(log: WorkLog) -> LogOut:
    return LogOut(id=log.pk, day=log.day, kind=log.kind, content=log.content, author_name=log.author_name)


class TeamFilter(Schema):
    village: str | None = None
    q: str | None = None


@router.get("/units", response=list[UnitOut])
@paginate(Pages, page_size=50)
def list_units(request):
    """Dispatching units (派出单位) registered in your counties."""
    return [_unit(u) for u in units_visible(actor=request.auth).order_by("level", "name")]


@router.post("/units", response={201: UnitOut, **ERRORS})
def create_unit(request, body: UnitIn):
    data = body.dict()
    return Status(201, _unit(services.unit_create(actor=request.auth, county_code=data.pop("county"), **data)))


@router.get("", response=list[TeamOut])
@paginate(Pages, page_size=50)
def list_teams(request, filters: Query[TeamFilter]):
    """Work teams (驻村工作队) stationed in your areas; filter by village code prefix or name."""
    qs = teams_visible(actor=request.auth)
    if filters.village:
        qs = qs.filter(village__code__startswith=filters.village)
    if filters.q:
        qs = qs.filter(name__contains=filters.q)
    return [_team(t) for t in qs.order_by("village__code", "-start_date")]


@router.post("", response={201: TeamOut, **ERRORS})
def create_team(request, body: TeamIn):
    unit = unit_get(actor=request.auth, unit_id=body.unit_id, action="workteam.manage")
    team = services.team_create(actor=request.auth, unit=unit, village_code=body.village, name=body.name,
                                start_date=body.start_date, end_date=body.end_date)
    return Status(201, _team(team))


@router.get("/{team_id}", response={200: TeamOut, 404: Error})
def get_team(request, team_id: int):
    return _team(team_get(actor=request.auth, team_id=team_id))


@router.get("/{team_id}/members", response={200: list[MemberOut], 404: Error})
def list_members(request, team_id: int):
    """Members with every column of 附件2; the phone is masked unless you may see personal data."""
    team = team_get(actor=request.auth, team_id=team_id)
    return [_member(m) for m in team_members(actor=request.auth, team=team)]


@router.post("/{team_id}/members", response={201: MemberOut, **ERRORS})
def add_member(request, team_id: int, body: MemberIn):
    """A member of the original roster (到岗 on the team's first day)."""
    team = team_get(actor=request.auth, team_id=team_id, action="workteam.manage")
    return Status(201, _member(services.member_add(actor=request.auth, team=team, data=body.dict())))


@router.get("/{team_id}/changes", response={200: list[ChangeOut], 404: Error})
def list_changes(request, team_id: int):
    team = team_get(actor=request.auth, team_id=team_id)
    return [ChangeOut(id=c.pk, kind=c.kind, reason=c.reason, reason_detail=c.reason_detail,
                      effective_on=c.effective_on, approval_ref=c.approval_ref, member_out_id=c.member_out_id,
                      member_in_id=c.member_in_id) for c in team_changes(team=team)]


@router.post("/{team_id}/changes", response={201: ChangeOut, **ERRORS})
def record_change(request, team_id: int, body: ChangeIn):
    """人员调整: kind join / leave / replace, with the approval it rests on."""
    team = team_get(actor=request.auth, team_id=team_id, action="workteam.manage")
    member_out = member_get(team=team, member_id=body.member_out_id) if body.member_out_id else None
    change = services.member_change(actor=request.auth, team=team, kind=body.kind, reason=body.reason,
                                    reason_detail=body.reason_detail, effective_on=body.effective_on,
                                    approval_ref=body.approval_ref, member_out=member_out,
                                    new_member=body.new_member.dict() if body.new_member else None)
    return Status(201, ChangeOut(id=change.pk, kind=change.kind, reason=change.reason,
                                 reason_detail=change.reason_detail, effective_on=change.effective_on,
                                 approval_ref=change.approval_ref, member_out_id=change.member_out_id,
                                 member_in_id=change.member_in_id))


def _sheet(team: WorkTeam, month) -> AttendanceOut:
    grid = attendance_month(team=team, month=month, today=clock.today())
    rows = [AttendanceRow(member_id=r.member.pk, name=r.member.name, days=[n for n, present, _a in r.days if present],
                          present=r.present) for r in grid.rows]
    signoff = grid.signoff
    return AttendanceOut(month=grid.label, signed=signoff is not None,
                         signer_name=signoff.signer_name if signoff else "",
                         signed_at=signoff.signed_at if signoff else None, rows=rows, total=grid.total)


@router.get("/{team_id}/attendance/{month}", response={200: AttendanceOut, 400: Error, 404: Error})
def get_attendance(request, team_id: int, month: str):
    """The month sheet (YYYY-MM): the days each member was on duty, and the sign-off."""
    return _sheet(team_get(actor=request.auth, team_id=team_id), services.parse_month(month))


@router.put("/{team_id}/attendance/{month}", response={200: AttendanceOut, **ERRORS})
def put_attendance(request, team_id: int, month: str, body: AttendanceIn):
    """Set one member's days on duty in the month (replaces that member's month). Refused once signed."""
    team = team_get(actor=request.auth, team_id=team_id, action="workteam.attend")
    member = member_get(team=team, member_id=body.member_id)
    services.attendance_record(actor=request.auth, team=team, member=member, month=services.parse_month(month),
                               days=body.days)
    return _sheet(team, services.parse_month(month))


@router.post("/{team_id}/attendance/{month}/signoff", response={201: SignoffOut, **ERRORS})
def sign_attendance(request, team_id: int, month: str):
    """The township Party secretary signs the month, once (a second sign-off answers 409)."""
    team = team_get(actor=request.auth, team_id=team_id, action="workteam.signoff")
    signoff = services.attendance_signoff(actor=request.auth, team=team, month=month)
    return Status(201, SignoffOut(month=f"{signoff.month:%Y-%m}", signer_name=signoff.signer_name,
                                  signed_at=signoff.signed_at, days_total=signoff.days_total))


@router.get("/{team_id}/logs", response={200: list[LogOut], 404: Error})
def list_logs(request, team_id: int):
    return [_log(x) for x in team_logs(team=team_get(actor=request.auth, team_id=team_id))]


@router.post("/{team_id}/logs", response={201: LogOut, **ERRORS})
def add_log(request, team_id: int, body: LogIn):
    team = team_get(actor=request.auth, team_id=team_id, action="workteam.log")
    return Status(201, _log(services.work_log_add(actor=request.auth, team=team, day=body.day, kind=body.kind,
                                                  content=body.content)))


def _report(r: TeamAnnualReport) -> AnnualReportOut:
    return AnnualReportOut(year=r.year, unit_investment=r.unit_investment, coordinated_funds=r.coordinated_funds,
                           goods_value=r.goods_value, total_funds=r.total_funds,
                           village_collective_income=r.village_collective_income, achievements=r.achievements,
                           summary=r.summary, version=r.version, updated_at=r.updated_at)


def _survey(s: SatisfactionSurvey) -> SurveyOut:
    return SurveyOut(id=s.pk, year=s.year, surveyed_on=s.surveyed_on, village_respondents=s.village_respondents,
                     village_satisfied=s.village_satisfied, village_percent=s.village_percent,
                     household_respondents=s.household_respondents, household_satisfied=s.household_satisfied,
                     household_percent=s.household_percent, note=s.note)


@router.get("/{team_id}/annual-reports/{year}", response={200: AnnualReportOut, 404: Error})
def get_annual_report(request, team_id: int, year: Year):
    """The team's 年度工作情况 (附件2) for the year: funds in 万元, village collective income, the 14-item
    驻村工作实绩材料 ("1".."14" → text), the work summary, and the version to send back when editing."""
    report = annual_report(team=team_get(actor=request.auth, team_id=team_id), year=year)
    if report is None:
        raise NotFound(f"{year} 年度工作情况尚未填报", code="annual_report_not_found")
    return _report(report)


@router.put("/{team_id}/annual-reports/{year}", response={200: AnnualReportOut, **ERRORS})
def put_annual_report(request, team_id: int, year: Year, body: AnnualReportIn):
    """Create or replace the year's report. `expected_version`: the version you read (omit for a new
    report); another version stored answers 409. Investment-type funds and loans coordinated for
    households are not counted (「投入资金情况不包括投资性资金」); a negative amount answers 400."""
    team = team_get(actor=request.auth, team_id=team_id, action="workteam.manage")
    data = body.dict()
    expected = data.pop("expected_version")
    return _report(services.annual_report_save(actor=request.auth, team=team, year=year, data=data,
                                               expected_version=expected))


@router.get("/{team_id}/surveys", response={200: list[SurveyOut], 404: Error})
def list_surveys(request, team_id: int, year: Year | None = None):
    """满意度测评, latest first; the first of a year is the one indicator 24 uses."""
    return [_survey(s) for s in team_surveys(team=team_get(actor=request.auth, team_id=team_id), year=year)]


@router.post("/{team_id}/surveys", response={201: SurveyOut, **ERRORS})
def record_survey(request, team_id: int, body: SurveyIn):
    """Record a survey; satisfied above respondents (a satisfaction over 100%) answers 400."""
    team = team_get(actor=request.auth, team_id=team_id, action="workteam.manage")
    data = body.dict()
    year = data.pop("year")
    return Status(201, _survey(services.survey_record(actor=request.auth, team=team, year=year, data=data)))


@router.get("/{team_id}/findings", response={200: FindingsOut, 400: Error, 404: Error})
def get_findings(request, team_id: int, year: Year):
    """Findings of zhangwu-2020-team computed from the records, with the evidence behind each count:
    11-12 (annual report), 14 and 16-18 (the village's households, pairings, measures and visits),
    21-23 (attendance, sign-offs, members), 24 (latest survey). `missing` lists what must still be
    entered; `findings` can be scored as they are once it is empty."""
    team = team_get(actor=request.auth, team_id=team_id)
    result = records_findings(team=team, year=year, today=clock.today())
    return FindingsOut(year=year, date_from=result["from"], date_to=result["to"], scheme="zhangwu-2020-team",
                       findings=result["findings"],
                       evidence=[{"indicator": e.indicator, "clause": e.clause, "count": e.count, "items": e.items}
                                 for e in result["evidence"]],
                       missing=result["missing"], sources=result["sources"])
