"""Pages of the work-team context: team list, dispatching units, the team page with its members, the
year's situation (附件2), surveys and assessment findings, the attendance month grid with the township
sign-off, and work logs."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from fupin.accounts.access import can, require, scope
from fupin.areas.models import Area, AreaLevel
from fupin.assessment.records import records_findings
from fupin.core import clock
from fupin.core.errors import ApplicationError
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table
from fupin.workteams import services
from fupin.workteams.forms import (
    AnnualReportForm,
    ChangeForm,
    LogForm,
    MemberForm,
    NewMemberForm,
    SurveyForm,
    TeamForm,
    UnitForm,
)
from fupin.workteams.models import ACHIEVEMENT_ITEMS, AttendanceDay, UnitLevel, WorkLog, WorkTeam
from fupin.workteams.selectors import (
    annual_report,
    attendance_month,
    member_get,
    team_changes,
    team_get,
    team_leader,
    team_logs,
    team_members,
    team_months,
    team_surveys,
    teams_visible,
    units_visible,
)


def _team_link(team: WorkTeam) -> str:
    return reverse("workteams:team", args=[team.pk])


TEAM_COLUMNS = [
    Column("name", _lazy("工作队名称"), sort="name", link=_team_link),
    Column("village", _lazy("所驻村"), sort="village__code", render=lambda t: t.village.name),
    Column("unit", _lazy("派出单位"), sort="unit__name", render=lambda t: t.unit.name),
    Column("level", _lazy("层级"), sort="unit__level", render=lambda t: t.unit.get_level_display()),
    Column("period", _lazy("驻村期间"), sort="start_date", render=lambda t: f"{t.start_date} 至 {t.end_date}"),
    Column("member_count", _lazy("现有队员"), sort="member_count"),
]
TEAM_FILTERS = [
    Filter("q", _lazy("工作队或村名"), "name__contains"),
    Filter("level", _lazy("层级"), "unit__level", choices=list(UnitLevel.choices)),
]
UNIT_COLUMNS = [
    Column("name", _lazy("单位名称"), sort="name"),
    Column("level", _lazy("层级"), sort="level", render=lambda u: u.get_level_display()),
    Column("county", _lazy("登记县"), render=lambda u: u.county.name),
    Column("leader_in_charge", _lazy("分管领导")),
    Column("responsible_division", _lazy("责任处室")),
    Column("leading_body", _lazy("脱贫攻坚工作领导机构")),
    Column("team_count", _lazy("工作队数"), sort="team_count"),
]
MEMBER_COLUMNS = [
    Column("name", _lazy("姓名")),
    Column("role", _lazy("队内职务"), render=lambda m: m.get_role_display()),
    Column("sex", _lazy("性别"), render=lambda m: m.get_sex_display()),
    Column("age", _lazy("年龄")),
    Column("education", _lazy("学历"), render=lambda m: m.get_education_display()),
    Column("political_status", _lazy("政治面貌"), render=lambda m: m.get_political_status_display()),
    Column("phone", _lazy("联系电话")),
    Column("joined_on", _lazy("驻村调整时间")),
    Column("left_on", _lazy("离队日期")),
    Column("days_stationed", _lazy("驻村天数")),
    Column("party_relation_transferred", _lazy("组织关系转接"),
           render=lambda m: "已转" if m.party_relation_transferred else "未转"),
]
LOG_COLUMNS = [
    Column("day", _lazy("日期"), sort="day"),
    Column("kind", _lazy("类型"), sort="kind", render=lambda log: log.get_kind_display()),
    Column("author_name", _lazy("记录人")),
    Column("content", _lazy("内容")),
]


@requires("workteam.view")
def team_list(request):
    table = Table(request, teams_visible(actor=request.user), columns=TEAM_COLUMNS, filters=TEAM_FILTERS,
                  default_sort="village")
    return render(request, "workteams/team_list.html", {
        "table": table, "can_manage": can(request.user, "workteam.manage")})


@requires("workteam.view")
def unit_list(request):
    table = Table(request, units_visible(actor=request.user), columns=UNIT_COLUMNS,
                  filters=[Filter("q", _lazy("单位名称"), "name__contains")], default_sort="level")
    return render(request, "workteams/unit_list.html", {
        "table": table, "can_manage": can(request.user, "workteam.manage")})


def _form_page(request, form, *, title: str, back: str, back_label: str, extra_form=None):
    return render(request, "workteams/form.html", {"form": form, "extra_form": extra_form, "title": title,
                                                   "back": back, "back_label": back_label})


def _errors_to_form(form, exc: ApplicationError) -> None:
    errors = exc.details.get("errors") or {}
    for key, message in errors.items():
        form.add_error(key if key in form.fields else None, message)
    if not errors:
        form.add_error(None, exc.message)


@requires("workteam.manage")
def unit_new(request):
    counties = scope(Area.objects.current().filter(level=AreaLevel.COUNTY), request.user, "workteam.manage",
                     code_path="code").order_by("code")
    form = UnitForm(request.POST or None, counties=counties)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_create(actor=request.user, county_code=data.pop("county"), **data)
        except ApplicationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已登记派出单位：%(name)s") % {"name": unit.name})
            return redirect("workteams:units")
    return _form_page(request, form, title=_("登记派出单位"), back=reverse("workteams:units"),
                      back_label=_("派出单位"))


@requires("workteam.manage")
def team_new(request):
    villages = scope(Area.objects.current().filter(level=AreaLevel.VILLAGE), request.user, "workteam.manage",
                     code_path="code").order_by("code")
    form = TeamForm(request.POST or None, units=units_visible(actor=request.user, action="workteam.manage"),
                    villages=villages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = units_visible(actor=request.user, action="workteam.manage").get(pk=data["unit"])
            team = services.team_create(actor=request.user, unit=unit, village_code=data["village"],
                                        name=data["name"], start_date=data["start_date"], end_date=data["end_date"])
        except ApplicationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已登记工作队：%(name)s") % {"name": team.name})
            return redirect("workteams:team", team.pk)
    return _form_page(request, form, title=_("登记驻村工作队"), back=reverse("workteams:teams"),
                      back_label=_("驻村工作队"))


def _year_of(request, team: WorkTeam) -> int:
    """The year asked for, else the latest year with attendance, else this year."""
    today = clock.today()
    latest = AttendanceDay.objects.filter(member__team=team).order_by("-day").values_list("day", flat=True).first()
    default = latest.year if latest else min(today, team.end_date).year
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and team.start_date.year <= int(value) <= team.end_date.year else default


def _findings(team: WorkTeam, year: int, today: dt.date) -> tuple[dict | None, str]:
    try:
        return records_findings(team=team, year=year, today=today), ""
    except ApplicationError as exc:
        return None, exc.message


@requires("workteam.view")
def team_detail(request, team_id: int):
    team = team_get(actor=request.user, team_id=team_id)
    today = clock.today()
    members = Table(request, team_members(actor=request.user, team=team), columns=MEMBER_COLUMNS, per_page=50)
    year = _year_of(request, team)
    signed = {s.month: s for s in team.signoffs.all()}
    months = [(m, signed.get(m)) for m in team_months(team, today=today)]
    findings, findings_error = _findings(team, year, today)
    report = annual_report(team=team, year=year)
    achievements = [(n, title, report.achievements.get(n, "")) for n, title in ACHIEVEMENT_ITEMS.items()
                    if report and report.achievements.get(n)]
    return render(request, "workteams/team_detail.html", {
        "team": team, "leader": team_leader(team), "members": members, "changes": team_changes(team=team)[:20],
        "months": months, "findings": findings, "findings_error": findings_error, "year": year,
        "years": list(range(team.start_date.year, min(team.end_date, today).year + 1)),
        "report": report, "achievements": achievements, "surveys": team_surveys(team=team, year=year),
        "can_manage": can(request.user, "workteam.manage", team.village.code),
        "can_log": can(request.user, "workteam.log", team.village.code),
    })


def _managed_year(request, team_id: int, year: int):
    """The team and the year being edited, or a redirect with the reason the year cannot be."""
    team = team_get(actor=request.user, team_id=team_id, action="workteam.manage")
    try:
        services.team_year(team, year)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return team, redirect("workteams:team", team.pk)
    return team, None


def _back_to_year(team: WorkTeam, year: int) -> str:
    return f"{reverse('workteams:team', args=[team.pk])}?year={year}"


@requires("workteam.manage")
def annual_report_edit(request, team_id: int, year: int):
    team, refused = _managed_year(request, team_id, year)
    if refused:
        return refused
    current = annual_report(team=team, year=year)
    form = AnnualReportForm(request.POST or None, initial=AnnualReportForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_report_save(actor=request.user, team=team, year=year, data=form.report_data(),
                                        expected_version=form.cleaned_data["version"])
        except ApplicationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已保存 %(y)s 年度工作情况") % {"y": year})
            return redirect(_back_to_year(team, year))
    return _form_page(request, form, title=_("%(y)s 年度工作情况（附件2）：%(team)s") % {"y": year, "team": team.name},
                      back=_back_to_year(team, year), back_label=team.name)


@requires("workteam.manage")
def survey_new(request, team_id: int, year: int):
    team, refused = _managed_year(request, team_id, year)
    if refused:
        return refused
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_record(actor=request.user, team=team, year=year, data=form.cleaned_data)
        except ApplicationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已登记满意度测评"))
            return redirect(_back_to_year(team, year))
    return _form_page(request, form, title=_("%(y)s 年满意度测评：%(team)s") % {"y": year, "team": team.name},
                      back=_back_to_year(team, year), back_label=team.name)


@requires("workteam.manage")
def member_new(request, team_id: int):
    team = team_get(actor=request.user, team_id=team_id, action="workteam.manage")
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add(actor=request.user, team=team, data=form.cleaned_data)
        except ApplicationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已登记队员：%(name)s") % {"name": member.name})
            return redirect("workteams:team", team.pk)
    return _form_page(request, form, title=_("登记首批队员：%(team)s") % {"team": team.name},
                      back=reverse("workteams:team", args=[team.pk]), back_label=team.name)


@requires("workteam.manage")
def change_new(request, team_id: int):
    team = team_get(actor=request.user, team_id=team_id, action="workteam.manage")
    form = ChangeForm(request.POST or None, members=team.members.filter(left_on__isnull=True))
    arriving = NewMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and arriving.is_valid():
        data = form.cleaned_data
        try:
            member_out = member_get(team=team, member_id=data["member_out"]) if data["member_out"] else None
            services.member_change(actor=request.user, team=team, kind=data["kind"], reason=data["reason"],
                                   reason_detail=data["reason_detail"], effective_on=data["effective_on"],
                                   approval_ref=data["approval_ref"], member_out=member_out,
                                   new_member=arriving.member_data())
        except ApplicationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已登记人员调整"))
            return redirect("workteams:team", team.pk)
    return _form_page(request, form, extra_form=arriving, title=_("人员调整：%(team)s") % {"team": team.name},
                      back=reverse("workteams:team", args=[team.pk]), back_label=team.name)


@requires("workteam.view")
def attendance_view(request, team_id: int, month: str):
    team = team_get(actor=request.user, team_id=team_id)
    try:
        month_date = services.parse_month(month)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("workteams:team", team.pk)
    if request.method == "POST":
        require(request.user, "workteam.attend", team.village.code)
        days = {row_member: [] for row_member in request.POST.getlist("member")}
        for key in request.POST:
            if key.startswith("d-"):
                _prefix, member_id, day = key.split("-", 2)
                if member_id in days and day.isdigit():
                    days[member_id].append(int(day))
        try:
            total = services.attendance_record_month(actor=request.user, team=team, month=month_date,
                                                     days_by_member={int(k): v for k, v in days.items()
                                                                     if k.isdigit()})
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存考勤：共 %(n)s 人天") % {"n": total})
        return redirect("workteams:attendance", team.pk, f"{month_date:%Y-%m}")
    grid = attendance_month(team=team, month=month_date, today=clock.today())
    previous = (month_date - dt.timedelta(days=1)).replace(day=1)
    following = services.month_end(month_date) + dt.timedelta(days=1)
    return render(request, "workteams/attendance.html", {
        "team": team, "grid": grid,
        "previous": f"{previous:%Y-%m}" if services.month_end(previous) >= team.start_date else "",
        "following": f"{following:%Y-%m}" if following <= min(team.end_date, clock.today()) else "",
        "can_attend": can(request.user, "workteam.attend", team.village.code) and grid.signoff is None,
        "can_sign": can(request.user, "workteam.signoff", team.village.code) and grid.signoff is None,
    })


@requires("workteam.signoff")
@require_POST
def attendance_signoff_view(request, team_id: int, month: str):
    team = team_get(actor=request.user, team_id=team_id, action="workteam.signoff")
    try:
        signoff = services.attendance_signoff(actor=request.user, team=team, month=month)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("workteams:team", team.pk)
    messages.success(request, _("已签字：%(m)s 考勤") % {"m": f"{signoff.month:%Y-%m}"})
    return redirect("workteams:attendance", team.pk, f"{signoff.month:%Y-%m}")


@requires("workteam.view")
def logs_view(request, team_id: int):
    team = team_get(actor=request.user, team_id=team_id)
    can_log = can(request.user, "workteam.log", team.village.code)
    form = LogForm(request.POST or None, initial={"day": clock.today()})
    if request.method == "POST":
        require(request.user, "workteam.log", team.village.code)
        if form.is_valid():
            try:
                services.work_log_add(actor=request.user, team=team, **form.cleaned_data)
            except ApplicationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("已记录"))
                return redirect("workteams:logs", team.pk)
    table = Table(request, team_logs(team=team), columns=LOG_COLUMNS,
                  filters=[Filter("kind", _lazy("类型"), "kind", choices=list(WorkLog._meta.get_field("kind").choices))],
                  default_sort="-day")
    return render(request, "workteams/logs.html", {"team": team, "table": table, "form": form, "can_log": can_log})
