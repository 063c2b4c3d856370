"""Writes of the work-team context. Keyword-only, actor first, transactional, audited; bad input raises
ValidationFailed with a Chinese message and writes nothing."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fupin.accounts.access import require
from fupin.areas.models import AreaLevel
from fupin.areas.selectors import area_get
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.core.validators import validate_phone
from fupin.workteams.models import (
    ACHIEVEMENT_ITEMS,
    AttendanceDay,
    AttendanceSignoff,
    ChangeKind,
    ChangeReason,
    DispatchingUnit,
    Education,
    LogKind,
    MemberChange,
    PoliticalStatus,
    SatisfactionSurvey,
    Sex,
    TeamAnnualReport,
    TeamMember,
    TeamRole,
    UnitLevel,
    WorkLog,
    WorkTeam,
)

MAX_LOG_LENGTH = 5000


def parse_month(value: str | dt.date) -> dt.date:
    """"2020-05" (or any date in the month) → 2020-05-01."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    try:
        year, month = str(value).strip().split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise ValidationFailed(_("月份格式应为 YYYY-MM，如 2020-05：%(v)s") % {"v": value}, code="bad_month") from None


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _choice(value, choices, label: str, errors: dict, key: str):
    if value not in choices.values:
        options = "、".join(f"{v}（{lab}）" for v, lab in choices.choices)
        errors[key] = _("%(label)s应为：%(options)s") % {"label": label, "options": options}
    return value


def _text(value, label: str, errors: dict, key: str, *, max_length: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[key] = _("请填写%(label)s") % {"label": label}
    elif len(text) > max_length:
        errors[key] = _("%(label)s不能超过%(n)s个字") % {"label": label, "n": max_length}
    return text


def _refuse(errors: dict, code: str = "invalid") -> None:
    if errors:
        raise ValidationFailed("；".join(errors.values()), code=code, details={"errors": errors})


def _in_period(team: WorkTeam, day: dt.date, label: str) -> None:
    if not team.covers(day):
        raise ValidationFailed(
            _("%(label)s %(day)s 不在工作队驻村期间（%(start)s 至 %(end)s）")
            % {"label": label, "day": day, "start": team.start_date, "end": team.end_date},
            code="outside_team_period",
        )


# --- dispatching units and teams -------------------------------------------------------------

@transaction.atomic
def unit_create(*, actor, county_code: str, name: str, level: str, leading_body: str = "",
                leading_body_since: dt.date | None = None, leader_in_charge: str = "",
                responsible_division: str = "", party_secretary: str = "") -> DispatchingUnit:
    county = area_get(county_code)
    if county.level != AreaLevel.COUNTY:
        raise ValidationFailed(_("派出单位登记在县（市、区）：%(name)s 不是县级区划") % {"name": county.name},
                               code="not_a_county")
    require(actor, "workteam.manage", county.code)
    errors: dict[str, str] = {}
    name = _text(name, _("单位名称"), errors, "name", max_length=100)
    _choice(level, UnitLevel, _("单位层级"), errors, "level")
    fields = {"leading_body": _text(leading_body, _("领导机构"), errors, "leading_body", max_length=200, required=False),
              "leader_in_charge": _text(leader_in_charge, _("分管领导"), errors, "leader_in_charge", max_length=50,
                                        required=False),
              "responsible_division": _text(responsible_division, _("责任处室"), errors, "responsible_division",
                                            max_length=100, required=False),
              "party_secretary": _text(party_secretary, _("第一责任人"), errors, "party_secretary", max_length=50,
                                       required=False)}
    if name and DispatchingUnit.objects.filter(county=county, name=name).exists():
        errors["name"] = _("本县已登记派出单位“%(name)s”") % {"name": name}
    _refuse(errors)
    unit = DispatchingUnit.objects.create(county=county, name=name, level=level,
                                          leading_body_since=leading_body_since, **fields)
    audit_event(actor=actor, action="workteam.unit_create", target=unit, area_code=county.code,
                after={"name": name, "level": level, **fields})
    return unit


@transaction.atomic
def team_create(*, actor, unit: DispatchingUnit, village_code: str, name: str, start_date: dt.date,
                end_date: dt.date) -> WorkTeam:
    village = area_get(village_code)
    require(actor, "workteam.manage", village.code)
    errors: dict[str, str] = {}
    if village.level != AreaLevel.VILLAGE:
        errors["village"] = _("工作队驻在村一级：%(name)s 不是村") % {"name": village.name}
    elif not village.code.startswith(unit.county.prefix):
        errors["village"] = _("%(village)s 不在派出单位登记的 %(county)s") % {"village": village.name,
                                                                           "county": unit.county.name}
    name = _text(name, _("工作队名称"), errors, "name", max_length=100)
    if end_date <= start_date:
        errors["end_date"] = _("驻村结束日期应晚于开始日期")
    _refuse(errors)
    overlap = WorkTeam.objects.filter(village=village, start_date__lte=end_date, end_date__gte=start_date).first()
    if overlap is not None:
        raise ValidationFailed(
            _("%(village)s 在此期间已有驻村工作队“%(team)s”（%(start)s 至 %(end)s），一村一队")
            % {"village": village.name, "team": overlap.name, "start": overlap.start_date, "end": overlap.end_date},
            code="team_overlap")
    team = WorkTeam.objects.create(unit=unit, village=village, name=name, start_date=start_date, end_date=end_date)
    audit_event(actor=actor, action="workteam.team_create", target=team, area_code=village.code,
                after={"unit": unit.name, "village": village.code, "start_date": start_date, "end_date": end_date})
    return team


# --- members ---------------------------------------------------------------------------------

def _clean_member(data: dict, errors: dict) -> dict:
    clean = {"name": _text(data.get("name"), _("姓名"), errors, "name", max_length=50)}
    for key, choices, label in (("role", TeamRole, _("队内职务")), ("sex", Sex, _("性别")),
                                ("education", Education, _("学历")),
                                ("political_status", PoliticalStatus, _("政治面貌"))):
        clean[key] = _choice(data.get(key), choices, label, errors, key)
    age = data.get("age")
    if isinstance(age, bool) or not isinstance(age, int) or not 18 <= age <= 70:
        errors["age"] = _("年龄应为18–70之间的整数：%(v)s") % {"v": age}
    clean["age"] = age
    phone = str(data.get("phone") or "").strip()
    if not phone:
        errors["phone"] = _("请填写联系电话")
    else:
        try:
            validate_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    clean["phone"] = phone
    clean["party_relation_transferred"] = bool(data.get("party_relation_transferred", False))
    clean["released_from_unit_duties"] = bool(data.get("released_from_unit_duties", True))
    clean["user"] = data.get("user")
    return clean


def _first_secretary_free(team: WorkTeam, role: str, errors: dict, *, leaving: TeamMember | None = None) -> None:
    if role != TeamRole.FIRST_SECRETARY:
        return
    current = team.members.filter(role=TeamRole.FIRST_SECRETARY, left_on__isnull=True)
    if leaving is not None:
        current = current.exclude(pk=leaving.pk)
    if current.exists():
        errors["role"] = _("工作队已有第一书记（队长）：%(name)s") % {"name": current.first().name}


def _member_snapshot(member: TeamMember) -> dict:
    return {"name": member.name, "role": member.role, "joined_on": member.joined_on, "left_on": member.left_on,
            "party_relation_transferred": member.party_relation_transferred}


@transaction.atomic
def member_add(*, actor, team: WorkTeam, data: dict) -> TeamMember:
    """A member of the team's original roster (到岗 on the team's first day). Later arrivals are
    member changes, which need the approval they rest on."""
    require(actor, "workteam.manage", team.village.code)
    errors: dict[str, str] = {}
    clean = _clean_member(data, errors)
    joined_on = data.get("joined_on") or team.start_date
    if joined_on != team.start_date:
        errors["joined_on"] = _("组建后新到的队员请登记人员调整（须注明批准文号）；首批队员的到岗日期为驻村开始日期 %(d)s") % {
            "d": team.start_date}
    _first_secretary_free(team, clean.get("role"), errors)
    _refuse(errors)
    member = TeamMember.objects.create(team=team, joined_on=joined_on, **clean)
    audit_event(actor=actor, action="workteam.member_add", target=member, area_code=team.village.code,
                after=_member_snapshot(member))
    return member


@transaction.atomic
def member_change(*, actor, team: WorkTeam, kind: str, reason: str, effective_on: dt.date, approval_ref: str,
                  member_out: TeamMember | None = None, new_member: dict | None = None,
                  reason_detail: str = "") -> MemberChange:
    """人员调整: a member leaves (离队), joins (新增) or is replaced (调换) on `effective_on`."""
    require(actor, "workteam.manage", team.village.code)
    errors: dict[str, str] = {}
    _choice(kind, ChangeKind, _("调整类型"), errors, "kind")
    _choice(reason, ChangeReason, _("调整原因"), errors, "reason")
    approval_ref = _text(approval_ref, _("批准文号或批准说明（经县驻村工作领导小组批准）"), errors, "approval_ref",
                         max_length=200)
    reason_detail = _text(reason_detail, _("原因说明"), errors, "reason_detail", max_length=300, required=False)
    _refuse(errors)
    _in_period(team, effective_on, _("调整日期"))
    leaving = kind in (ChangeKind.LEAVE, ChangeKind.REPLACE)
    joining = kind in (ChangeKind.JOIN, ChangeKind.REPLACE)
    if leaving:
        if member_out is None or member_out.team_id != team.pk:
            errors["member_out"] = _("请选择本队的离队队员")
        elif member_out.left_on is not None:
            errors["member_out"] = _("%(name)s 已于 %(d)s 离队") % {"name": member_out.name, "d": member_out.left_on}
        elif effective_on < member_out.joined_on:
            errors["effective_on"] = _("调整日期早于 %(name)s 到岗日期 %(d)s") % {"name": member_out.name,
                                                                               "d": member_out.joined_on}
    elif member_out is not None:
        errors["member_out"] = _("新增队员不涉及离队队员")
    clean = None
    if joining:
        if not isinstance(new_member, dict):
            errors["new_member"] = _("请填写新到队员的信息")
        else:
            clean = _clean_member(new_member, errors)
            _first_secretary_free(team, clean.get("role"), errors, leaving=member_out if leaving else None)
    elif new_member:
        errors["new_member"] = _("队员离队不涉及新到队员")
    _refuse(errors)
    before = _member_snapshot(member_out) if leaving else None
    if leaving:
        member_out.left_on = effective_on
        member_out.save(update_fields=["left_on"])
    member_in = TeamMember.objects.create(team=team, joined_on=effective_on, **clean) if joining else None
    change = MemberChange.objects.create(team=team, kind=kind, member_out=member_out if leaving else None,
                                         member_in=member_in, reason=reason, reason_detail=reason_detail,
                                         effective_on=effective_on, approval_ref=approval_ref, recorded_by=actor)
    audit_event(actor=actor, action="workteam.member_change", target=change, area_code=team.village.code,
                before=before, after={"kind": kind, "reason": reason, "effective_on": effective_on,
                                      "approval_ref": approval_ref,
                                      "member_in": _member_snapshot(member_in) if member_in else None})
    return change


# --- attendance --------------------------------------------------------------------------------

@transaction.atomic
def attendance_record(*, actor, team: WorkTeam, member: TeamMember, month: dt.date, days: list[int]) -> list[dt.date]:
    """Set the days `member` was on duty in `month` (replacing what was recorded for that month).

    Refused for a month already signed off, a day outside the team's period or the member's time in
    the team, and a day still to come."""
    require(actor, "workteam.attend", team.village.code)
    month = parse_month(month)
    if member.team_id != team.pk:
        raise ValidationFailed(_("%(name)s 不是本队队员") % {"name": member.name}, code="not_a_member")
    signed = AttendanceSignoff.objects.filter(team=team, month=month).first()
    if signed is not None:
        raise Conflict(_("%(m)s 的考勤已由 %(who)s 于 %(at)s 签字，不能再修改")
                       % {"m": f"{month:%Y-%m}", "who": signed.signer_name, "at": f"{signed.signed_at:%Y-%m-%d}"},
                       code="month_signed")
    last = month_end(month).day
    chosen: list[dt.date] = []
    for value in days:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= last:
            raise ValidationFailed(_("%(m)s 没有第 %(d)s 日") % {"m": f"{month:%Y-%m}", "d": value}, code="bad_day")
        day = month.replace(day=value)
        _in_period(team, day, _("考勤日期"))
        if not member.active_on(day):
            raise ValidationFailed(
                _("考勤日期 %(day)s 不在 %(name)s 的在队期间（%(start)s 至 %(end)s）")
                % {"day": day, "name": member.name, "start": member.joined_on, "end": member.left_on or "今"},
                code="outside_member_period")
        if day > clock.today():
            raise ValidationFailed(_("不能登记将来的考勤：%(day)s") % {"day": day}, code="future_day")
        chosen.append(day)
    chosen = sorted(set(chosen))
    existing = AttendanceDay.objects.filter(member=member, day__gte=month, day__lte=month_end(month))
    before = sorted(existing.values_list("day", flat=True))
    existing.exclude(day__in=chosen).delete()
    AttendanceDay.objects.bulk_create([AttendanceDay(member=member, day=d, recorded_by=actor)
                                       for d in chosen if d not in before])
    audit_event(actor=actor, action="workteam.attendance", target=member, area_code=team.village.code,
                before={"month": f"{month:%Y-%m}", "days": [d.day for d in before]},
                after={"month": f"{month:%Y-%m}", "days": [d.day for d in chosen]})
    return chosen


@transaction.atomic
def attendance_record_month(*, actor, team: WorkTeam, month: dt.date, days_by_member: dict) -> int:
    """The whole month sheet at once (the grid page): all members' days, or nothing if one is refused."""
    total = 0
    for member_id, days in days_by_member.items():
        member = team.members.filter(pk=member_id).first()
        if member is None:
            raise ValidationFailed(_("本队没有编号为 %(id)s 的队员") % {"id": member_id}, code="not_a_member")
        total += len(attendance_record(actor=actor, team=team, member=member, month=month, days=days))
    return total


def attendance_signoff(*, actor, team: WorkTeam, month: dt.date) -> AttendanceSignoff:
    """The township Party secretary signs the team's month (考勤表签字), once."""
    require(actor, "workteam.signoff", team.village.code)
    month = parse_month(month)
    if month_end(month) < team.start_date or month > team.end_date:
        raise ValidationFailed(_("%(m)s 不在工作队驻村期间（%(start)s 至 %(end)s）")
                               % {"m": f"{month:%Y-%m}", "start": team.start_date, "end": team.end_date},
                               code="outside_team_period")
    if month_end(month) > clock.today():
        raise ValidationFailed(_("%(m)s 尚未结束，月末后再签字") % {"m": f"{month:%Y-%m}"}, code="month_not_over")
    existing = AttendanceSignoff.objects.filter(team=team, month=month).first()
    if existing is not None:
        raise Conflict(_("%(m)s 的考勤已由 %(who)s 于 %(at)s 签字，每月只签一次")
                       % {"m": f"{month:%Y-%m}", "who": existing.signer_name, "at": f"{existing.signed_at:%Y-%m-%d}"},
                       code="already_signed")
    days = AttendanceDay.objects.filter(member__team=team, day__gte=month, day__lte=month_end(month)).count()
    try:
        with transaction.atomic():
            signoff = AttendanceSignoff.objects.create(team=team, month=month, signed_by=actor,
                                                       signer_name=actor.display_name, signed_at=clock.now(),
                                                       days_total=days)
            audit_event(actor=actor, action="workteam.signoff", target=signoff, area_code=team.village.code,
                        after={"month": f"{month:%Y-%m}", "days_total": days})
    except IntegrityError:
        raise Conflict(_("%(m)s 的考勤刚刚已被签字，每月只签一次") % {"m": f"{month:%Y-%m}"},
                       code="already_signed") from None
    return signoff


# --- work logs ---------------------------------------------------------------------------------

@transaction.atomic
def work_log_add(*, actor, team: WorkTeam, day: dt.date, content: str, kind: str = LogKind.WORK) -> WorkLog:
    require(actor, "workteam.log", team.village.code)
    errors: dict[str, str] = {}
    _choice(kind, LogKind, _("日志类型"), errors, "kind")
    content = _text(content, _("日志内容"), errors, "content", max_length=MAX_LOG_LENGTH)
    _refuse(errors)
    _in_period(team, day, _("日志日期"))
    if day > clock.today():
        raise ValidationFailed(_("不能记录将来的日志：%(day)s") % {"day": day}, code="future_day")
    log = WorkLog.objects.create(team=team, day=day, kind=kind, content=content, author=actor,
                                 author_name=actor.display_name)
    audit_event(actor=actor, action="workteam.log", target=log, area_code=team.village.code,
                after={"day": day, "kind": kind, "length": len(content)})
    return log


# --- annual situation (附件2) and satisfaction surveys -------------------------------------------

MAX_WAN_YUAN = Decimal("1000000")  # 100亿元: far above any village's funds, well inside the column
MAX_ACHIEVEMENT = 2000
MAX_SUMMARY = 20000
REPORT_AMOUNTS = {"unit_investment": "帮扶单位投入资金数", "coordinated_funds": "协调落实驻村项目资金",
                  "goods_value": "物资折款", "village_collective_income": "所驻村集体收入"}


def team_year(team: WorkTeam, year) -> int:
    """A year of the team's period that has begun."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValidationFailed(_("年度应为整数：%(v)s") % {"v": year}, code="bad_year")
    if not team.start_date.year <= year <= team.end_date.year:
        raise ValidationFailed(_("%(y)s 年不在工作队驻村期间（%(start)s 至 %(end)s）")
                               % {"y": year, "start": team.start_date, "end": team.end_date},
                               code="outside_team_period")
    if year > clock.today().year:
        raise ValidationFailed(_("%(y)s 年尚未开始") % {"y": year}, code="future_year")
    return year


def _amount(value, label: str, errors: dict, key: str) -> Decimal:
    """An amount in 万元: required, at least 0, at most two decimal places."""
    if value is None or value == "":
        errors[key] = _("请填写%(label)s（万元，没有填 0）") % {"label": label}
        return Decimal("0.00")
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        amount = Decimal(str(value).strip())
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors[key] = _("%(label)s应为数字（万元）：%(v)s") % {"label": label, "v": value}
        return Decimal("0.00")
    if amount < 0:
        errors[key] = _("%(label)s不能为负数：%(v)s 万元") % {"label": label, "v": value}
    elif amount >= MAX_WAN_YUAN:
        errors[key] = _("%(label)s过大：%(v)s 万元") % {"label": label, "v": value}
    elif amount != amount.quantize(Decimal("0.01")):
        errors[key] = _("%(label)s最多保留两位小数（万元）：%(v)s") % {"label": label, "v": value}
    return amount.quantize(Decimal("0.01")) if key not in errors else Decimal("0.00")


def _achievements(value, errors: dict) -> dict[str, str]:
    """The 14 items of 驻村工作实绩材料, "1".."14" → text; empty items are left out."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        errors["achievements"] = _("驻村工作实绩材料应为以项目序号 1–14 为键的内容")
        return {}
    clean = {}
    for key, text in value.items():
        key = str(key).strip()
        if key not in ACHIEVEMENT_ITEMS:
            errors["achievements"] = _("驻村工作实绩材料没有第 %(k)s 项（共 1–14 项）") % {"k": key}
            continue
        if text is not None and not isinstance(text, str):
            errors["achievements"] = _("驻村工作实绩材料第 %(k)s 项应为文字") % {"k": key}
            continue
        text = (text or "").strip()
        if len(text) > MAX_ACHIEVEMENT:
            errors["achievements"] = _("驻村工作实绩材料第 %(k)s 项不能超过%(n)s个字") % {"k": key, "n": MAX_ACHIEVEMENT}
        elif text:
            clean[key] = text
    return dict(sorted(clean.items(), key=lambda item: int(item[0])))


def _report_snapshot(report: TeamAnnualReport | None) -> dict | None:
    if report is None:
        return None
    return {**{key: str(getattr(report, key)) for key in REPORT_AMOUNTS}, "version": report.version,
            "achievements": sorted(report.achievements, key=int), "summary_length": len(report.summary)}


@transaction.atomic
def annual_report_save(*, actor, team: WorkTeam, year: int, data: dict,
                       expected_version: int | None = None) -> TeamAnnualReport:
    """Create or replace the team's 年度工作情况 (附件2) for `year`. `expected_version` is the version the
    editor read (none or 0 for a new report); another version stored means someone saved in between,
    and the save is refused as a Conflict."""
    require(actor, "workteam.manage", team.village.code)
    year = team_year(team, year)
    errors: dict[str, str] = {}
    clean = {key: _amount(data.get(key), _(label), errors, key) for key, label in REPORT_AMOUNTS.items()}
    clean["achievements"] = _achievements(data.get("achievements"), errors)
    clean["summary"] = _text(data.get("summary"), _("工作总结"), errors, "summary", max_length=MAX_SUMMARY,
                             required=False)
    _refuse(errors)
    current = TeamAnnualReport.objects.select_for_update().filter(team=team, year=year).first()
    stored = current.version if current is not None else 0
    if (expected_version or 0) != stored:
        raise Conflict(_("%(y)s 年度工作情况已被他人修改（现为第 %(a)s 版，您读取的是第 %(b)s 版），请刷新后重试")
                       % {"y": year, "a": stored, "b": expected_version or 0}, code="stale_version")
    before = _report_snapshot(current)
    if current is None:
        try:
            with transaction.atomic():
                report = TeamAnnualReport.objects.create(team=team, year=year, updated_by=actor, **clean)
        except IntegrityError:
            raise Conflict(_("%(y)s 年度工作情况刚刚已被他人填报，请刷新后重试") % {"y": year},
                           code="stale_version") from None
    else:
        report = current
        for key, value in clean.items():
            setattr(report, key, value)
        report.version += 1
        report.updated_by = actor
        report.save()
    audit_event(actor=actor, action="workteam.annual_report", target=report, area_code=team.village.code,
                before=before, after={"year": year, **_report_snapshot(report)})
    return report


def _count(value, label: str, errors: dict, key: str, *, least: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        errors[key] = (_("%(label)s应为不小于 %(n)s 的整数：%(v)s") % {"label": label, "n": least, "v": value})
        return 0
    return value


@transaction.atomic
def survey_record(*, actor, team: WorkTeam, year: int, data: dict) -> SatisfactionSurvey:
    """满意度测评 of the team for `year`: respondents and satisfied in the village and among the poor
    households. Satisfied can never exceed respondents, so a satisfaction above 100% cannot be stored.
    A correction is a new survey: the latest one of the year counts."""
    require(actor, "workteam.manage", team.village.code)
    year = team_year(team, year)
    errors: dict[str, str] = {}
    surveyed_on = data.get("surveyed_on")
    if isinstance(surveyed_on, str):
        try:
            surveyed_on = dt.date.fromisoformat(surveyed_on.strip())
        except ValueError:
            errors["surveyed_on"] = _("测评日期格式应为 YYYY-MM-DD：%(v)s") % {"v": surveyed_on}
    if "surveyed_on" not in errors:
        if not isinstance(surveyed_on, dt.date):
            errors["surveyed_on"] = _("请填写测评日期")
        elif surveyed_on.year != year:
            errors["surveyed_on"] = _("测评日期 %(d)s 不在 %(y)s 年内") % {"d": surveyed_on, "y": year}
        elif not team.covers(surveyed_on):
            errors["surveyed_on"] = _("测评日期 %(d)s 不在工作队驻村期间（%(start)s 至 %(end)s）") % {
                "d": surveyed_on, "start": team.start_date, "end": team.end_date}
        elif surveyed_on > clock.today():
            errors["surveyed_on"] = _("测评日期 %(d)s 晚于今天") % {"d": surveyed_on}
    counts = {}
    for group, label in (("village", _("所驻村")), ("household", _("贫困户"))):
        respondents = _count(data.get(f"{group}_respondents"), _("%(g)s参与测评数") % {"g": label}, errors,
                             f"{group}_respondents", least=1)
        satisfied = _count(data.get(f"{group}_satisfied"), _("%(g)s满意数") % {"g": label}, errors,
                           f"{group}_satisfied")
        if respondents and satisfied > respondents:
            errors[f"{group}_satisfied"] = _("%(g)s满意数 %(s)s 超过参与测评数 %(r)s，满意度不能超过100%%") % {
                "g": label, "s": satisfied, "r": respondents}
        counts[f"{group}_respondents"], counts[f"{group}_satisfied"] = respondents, satisfied
    note = _text(data.get("note"), _("说明"), errors, "note", max_length=300, required=False)
    _refuse(errors)
    survey = SatisfactionSurvey.objects.create(team=team, year=year, surveyed_on=surveyed_on, note=note,
                                               recorded_by=actor, **counts)
    audit_event(actor=actor, action="workteam.survey", target=survey, area_code=team.village.code,
                after={"year": year, "surveyed_on": surveyed_on, **counts,
                       "village_percent": str(survey.village_percent),
                       "household_percent": str(survey.household_percent)})
    return survey
