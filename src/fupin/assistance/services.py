"""Writes of the assistance context. Keyword-only, actor first, transactional, audited; bad input
raises ValidationFailed with a Chinese message and writes nothing; a stale `version` is a Conflict."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.access import can, require
from fupin.areas.selectors import area_get
from fupin.assistance import rules
from fupin.assistance.catalogue import catalogue
from fupin.assistance.models import (
    AssistancePlan,
    CadreProfile,
    CadreUnitKind,
    MeasureStatus,
    PairingAssignment,
    PlanMeasure,
    Visit,
    VisitorRole,
)
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.core.validators import validate_phone
from fupin.registry.models import Household
from fupin.registry.services import ensure_writable

MAX_TEXT = 2000


def _text(value, label: str, errors: dict, key: str, *, max_length: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[key] = _("请填写%(label)s") % {"label": label}
    elif len(text) > max_length:
        errors[key] = _("%(label)s不能超过%(n)s个字") % {"label": label, "n": max_length}
    return text


def _choice(value, choices, label: str, errors: dict, key: str) -> str:
    if value not in choices.values:
        options = "、".join(f"{v}（{lab}）" for v, lab in choices.choices)
        errors[key] = _("%(label)s应为：%(options)s") % {"label": label, "options": options}
    return value


def _date(value, label: str, errors: dict, key: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            errors[key] = _("请填写%(label)s") % {"label": label}
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[key] = _("%(label)s格式应为 YYYY-MM-DD：%(v)s") % {"label": label, "v": value}
        return None


def _money(value, label: str, errors: dict, key: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors[key] = _("%(label)s应为数字：%(v)s") % {"label": label, "v": value}
        return Decimal("0.00")
    if amount < 0 or amount >= Decimal("1e10"):
        errors[key] = _("%(label)s应在 0 到 99 亿元之间：%(v)s") % {"label": label, "v": value}
    return amount


def _refuse(errors: dict, code: str = "invalid") -> None:
    if errors:
        raise ValidationFailed("；".join(errors.values()), code=code, details={"errors": errors})


def _check_version(obj, version) -> None:
    if version is not None and int(version) != obj.version:
        raise Conflict(_("记录已被他人修改（版本 %(a)s，您读取的是 %(b)s），请刷新后重试")
                       % {"a": obj.version, "b": version}, code="stale_version")


def _not_future(day: dt.date | None, label: str, errors: dict, key: str) -> None:
    if day is not None and day > clock.today():
        errors[key] = _("%(label)s %(d)s 晚于今天，不能登记未来的日期") % {"label": label, "d": day}


# --- plans and measures ---------------------------------------------------------------------

@transaction.atomic
def plan_create(*, actor, household: Household, needs: str = "", note: str = "") -> AssistancePlan:
    """帮扶计划 for one registered or monitored household (one per household record, i.e. per year)."""
    require(actor, "assistance.plan", household.village.code)
    ensure_writable(year=household.year, village_code=household.village.code)
    if not Household.objects.filter(rules.plan_allowed_q(), pk=household.pk).exists():
        raise ValidationFailed(_("只能为建档立卡户或监测对象制定帮扶计划：%(h)s 的户状态为“%(s)s”")
                               % {"h": household.household_number, "s": household.get_status_display()},
                               code="not_eligible")
    if AssistancePlan.objects.filter(household=household).exists():
        raise Conflict(_("%(h)s %(y)s 年度已有帮扶计划") % {"h": household.household_number, "y": household.year},
                       code="plan_exists")
    errors: dict[str, str] = {}
    needs = _text(needs, _("脱贫需求"), errors, "needs", max_length=300, required=False)
    note = _text(note, _("说明"), errors, "note", max_length=300, required=False)
    _refuse(errors)
    plan = AssistancePlan.objects.create(household=household, year=household.year, needs=needs, note=note,
                                         created_by=actor)
    audit_event(actor=actor, action="assistance.plan_create", target=plan, area_code=household.village.code,
                after={"household": household.household_number, "year": household.year, "needs": needs})
    return plan


def _clean_measure(data: dict, errors: dict, *, current: PlanMeasure | None = None) -> dict:
    clean: dict = {}
    if current is None:
        code = str(data.get("measure_code") or "").strip()
        if not code:
            errors["measure_code"] = _("请选择帮扶措施")
        elif code not in catalogue().measures:
            errors["measure_code"] = _("帮扶措施目录中没有措施代码 %(code)s") % {"code": code}
        clean["measure_code"] = code
    get = (lambda k: data[k] if k in data else getattr(current, k)) if current is not None else data.get
    clean["start_date"] = _date(get("start_date"), _("开始日期"), errors, "start_date")
    clean["end_date"] = _date(get("end_date"), _("结束日期"), errors, "end_date", required=False)
    if clean["start_date"] and clean["end_date"] and clean["end_date"] < clean["start_date"]:
        errors["end_date"] = _("结束日期不能早于开始日期")
    clean["amount"] = _money(get("amount"), _("金额"), errors, "amount")
    clean["status"] = _choice(get("status") or MeasureStatus.PLANNED, MeasureStatus, _("状态"), errors, "status")
    clean["responsible_unit"] = _text(get("responsible_unit"), _("责任单位"), errors, "responsible_unit",
                                      max_length=100)
    clean["note"] = _text(get("note"), _("说明"), errors, "note", max_length=300, required=False)
    today = clock.today()
    if clean["status"] == MeasureStatus.IN_PLACE and clean["start_date"] and clean["start_date"] > today:
        errors["status"] = _("开始日期 %(d)s 在今天之后，措施尚不能标为已落实") % {"d": clean["start_date"]}
    if clean["status"] == MeasureStatus.ENDED and not clean["end_date"]:
        errors["end_date"] = _("已结束的措施请填写结束日期")
    return clean


def _measure_snapshot(m: PlanMeasure) -> dict:
    return {"measure_code": m.measure_code, "name": m.name, "start_date": m.start_date, "end_date": m.end_date,
            "amount": m.amount, "status": m.status, "responsible_unit": m.responsible_unit}


@transaction.atomic
def measure_add(*, actor, plan: AssistancePlan, data: dict, plan_version: int | None = None) -> PlanMeasure:
    """Add a catalogue measure to a plan. `data`: measure_code, start_date, end_date, amount, status,
    responsible_unit, note."""
    household = plan.household
    require(actor, "assistance.plan", household.village.code)
    ensure_writable(year=plan.year, village_code=household.village.code)
    plan = AssistancePlan.objects.select_for_update().get(pk=plan.pk)
    _check_version(plan, plan_version)
    errors: dict[str, str] = {}
    clean = _clean_measure(data, errors)
    _refuse(errors)
    cat = catalogue()
    kind = cat.measure(clean["measure_code"])
    measure = PlanMeasure.objects.create(plan=plan, catalogue_version=cat.version, name=kind.name,
                                         category=kind.category, kind=kind.kind, **clean)
    AssistancePlan.objects.filter(pk=plan.pk).update(version=F("version") + 1, updated_at=timezone.now())
    audit_event(actor=actor, action="assistance.measure_add", target=measure, area_code=household.village.code,
                after=_measure_snapshot(measure))
    return measure


@transaction.atomic
def measure_update(*, actor, measure: PlanMeasure, version: int, changes: dict) -> PlanMeasure:
    """Change a measure's dates, amount, status, unit or note (the measure itself stays: end it and add
    another instead). Refused when `version` is not the one stored."""
    require(actor, "assistance.plan", measure.plan.household.village.code)
    measure = PlanMeasure.objects.select_for_update().select_related("plan__household__village").get(pk=measure.pk)
    ensure_writable(year=measure.plan.year, village_code=measure.plan.household.village.code)
    _check_version(measure, version)
    before = _measure_snapshot(measure)
    errors: dict[str, str] = {}
    clean = _clean_measure(changes, errors, current=measure)
    _refuse(errors)
    for key, value in clean.items():
        setattr(measure, key, value)
    measure.version += 1
    measure.save()
    AssistancePlan.objects.filter(pk=measure.plan_id).update(version=F("version") + 1, updated_at=timezone.now())
    audit_event(actor=actor, action="assistance.measure_update", target=measure,
                area_code=measure.plan.household.village.code, before=before, after=_measure_snapshot(measure))
    return measure


# --- cadres ---------------------------------------------------------------------------------

@transaction.atomic
def cadre_profile_save(*, actor, user, area_code: str, data: dict, version: int | None = None) -> CadreProfile:
    """Create or update the profile of a pairing cadre (unit, position, phone)."""
    area = area_get(area_code)
    require(actor, "cadre.assign", area.code)
    current = CadreProfile.objects.select_for_update().filter(user=user).first()
    if current is not None:
        require(actor, "cadre.assign", current.area.code)
        _check_version(current, version)
    errors: dict[str, str] = {}
    clean = {"name": _text(data.get("name") or user.get_full_name() or user.username, _("姓名"), errors, "name",
                           max_length=50),
             "unit_kind": _choice(data.get("unit_kind"), CadreUnitKind, _("单位类别"), errors, "unit_kind"),
             "unit_name": _text(data.get("unit_name"), _("工作单位"), errors, "unit_name", max_length=100),
             "position": _text(data.get("position"), _("职务"), errors, "position", max_length=50, required=False),
             "phone": _text(data.get("phone"), _("联系电话"), errors, "phone", max_length=20)}
    if clean["phone"]:
        try:
            validate_phone(clean["phone"])
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    if not user.is_active:
        errors["user"] = _("账号已停用：%(u)s") % {"u": user.username}
    elif not can(user, "registry.view", area.code):
        errors["user"] = _("账号 %(u)s 没有 %(a)s 的查看权限，请先为其分配帮扶责任人角色") % {"u": user.username,
                                                                                "a": area.name}
    _refuse(errors)
    if current is None:
        profile = CadreProfile.objects.create(user=user, area=area, **clean)
        audit_event(actor=actor, action="assistance.cadre_profile", target=profile, area_code=area.code,
                    after={**clean, "phone": "***"})
        return profile
    before = {"name": current.name, "unit_kind": current.unit_kind, "unit_name": current.unit_name,
              "position": current.position, "area": current.area.code}
    for key, value in clean.items():
        setattr(current, key, value)
    current.area = area
    current.version += 1
    current.save()
    audit_event(actor=actor, action="assistance.cadre_profile", target=current, area_code=area.code,
                before=before, after={**clean, "phone": "***", "area": area.code})
    return current


def _open_count(cadre, year: int, excluding: int) -> int:
    return (PairingAssignment.objects.filter(cadre=cadre, ended_on__isnull=True, household__year=year)
            .exclude(household_id=excluding).count())


@transaction.atomic
def cadre_assign(*, actor, household: Household, cadre, started_on: dt.date | str | None = None,
                 version: int | None = None, reason: str = "") -> PairingAssignment:
    """结对: pair `cadre` with `household` from `started_on`, ending the current pairing (history kept)
    and making `Household.pairing_cadre` the new cadre. Refused past the limit of households per cadre
    in force (pack parameter, default 5)."""
    village = household.village.code
    require(actor, "cadre.assign", village)
    locked = Household.objects.select_for_update().get(pk=household.pk)
    _check_version(locked, version)
    ensure_writable(year=locked.year, village_code=village)
    errors: dict[str, str] = {}
    started = _date(started_on or clock.today(), _("结对日期"), errors, "started_on")
    _not_future(started, _("结对日期"), errors, "started_on")
    reason = _text(reason, _("调整原因"), errors, "reason", max_length=200, required=False)
    profile = CadreProfile.objects.filter(user=cadre).first()
    if profile is None:
        errors["cadre"] = _("%(u)s 还没有帮扶责任人档案（单位、职务、电话），请先登记") % {"u": cadre.username}
    elif not cadre.is_active or not can(cadre, "registry.view", village):
        errors["cadre"] = _("帮扶责任人 %(n)s 已停用或无权查看本村农户") % {"n": profile.name}
    _refuse(errors)
    current = PairingAssignment.objects.select_for_update().filter(household=locked, ended_on__isnull=True).first()
    if current is not None and current.cadre_id == cadre.pk:
        raise Conflict(_("%(n)s 已是该户的帮扶责任人") % {"n": profile.name}, code="already_paired")
    if current is not None and started < current.started_on:
        raise ValidationFailed(_("结对日期不能早于当前结对的开始日期 %(d)s") % {"d": current.started_on},
                               code="bad_date")
    limits = rules.cadre_limits(village, locked.year)
    count = _open_count(cadre, locked.year, locked.pk)
    if count >= limits.max_households:
        raise ValidationFailed(
            _("%(n)s 已结对帮扶 %(c)s 户，每人帮扶不超过 %(m)s 户（%(src)s）")
            % {"n": profile.name, "c": count, "m": limits.max_households, "src": limits.source},
            code="cadre_over_limit", details={"households": count, "limit": limits.max_households})
    previous = None
    if current is not None:
        previous = current.cadre.username
        current.ended_on = started
        current.end_reason = reason or _("调整帮扶责任人")
        current.save(update_fields=["ended_on", "end_reason"])
    assignment = PairingAssignment.objects.create(household=locked, cadre=cadre, started_on=started,
                                                  assigned_by=actor)
    Household.objects.filter(pk=locked.pk).update(pairing_cadre=cadre, version=F("version") + 1,
                                                  updated_at=timezone.now())
    audit_event(actor=actor, action="assistance.cadre_assign", target=locked, area_code=village,
                before={"cadre": previous}, after={"cadre": cadre.username, "started_on": started},
                details={"reason": reason} if reason else None)
    return assignment


@transaction.atomic
def cadre_unassign(*, actor, household: Household, ended_on: dt.date | str | None = None,
                   version: int | None = None, reason: str) -> PairingAssignment:
    """End the current pairing without a successor (the household leaves the lists, the cadre leaves)."""
    village = household.village.code
    require(actor, "cadre.assign", village)
    locked = Household.objects.select_for_update().get(pk=household.pk)
    _check_version(locked, version)
    ensure_writable(year=locked.year, village_code=village)
    errors: dict[str, str] = {}
    ended = _date(ended_on or clock.today(), _("结束日期"), errors, "ended_on")
    _not_future(ended, _("结束日期"), errors, "ended_on")
    reason = _text(reason, _("调整原因"), errors, "reason", max_length=200)
    _refuse(errors)
    current = PairingAssignment.objects.select_for_update().filter(household=locked, ended_on__isnull=True).first()
    if current is None:
        raise Conflict(_("该户当前没有帮扶责任人"), code="not_paired")
    if ended < current.started_on:
        raise ValidationFailed(_("结束日期不能早于结对日期 %(d)s") % {"d": current.started_on}, code="bad_date")
    current.ended_on, current.end_reason = ended, reason
    current.save(update_fields=["ended_on", "end_reason"])
    Household.objects.filter(pk=locked.pk).update(pairing_cadre=None, version=F("version") + 1,
                                                  updated_at=timezone.now())
    audit_event(actor=actor, action="assistance.cadre_unassign", target=locked, area_code=village,
                before={"cadre": current.cadre.username}, after={"ended_on": ended}, details={"reason": reason})
    return current


@transaction.atomic
def pairings_backfill(*, actor, households, started_on: dt.date) -> int:
    """Open an assignment record for households whose `pairing_cadre` was set before the history
    existed (e.g. by the registry import). One audit event with the count."""
    missing = (households.filter(pairing_cadre__isnull=False)
               .exclude(pairing_assignments__ended_on__isnull=True)
               .values_list("pk", "pairing_cadre_id"))
    rows = [PairingAssignment(household_id=pk, cadre_id=cadre_id, started_on=started_on, assigned_by=actor)
            for pk, cadre_id in missing]
    PairingAssignment.objects.bulk_create(rows)
    if rows:
        audit_event(actor=actor, action="assistance.pairing_backfill", details={"households": len(rows)})
    return len(rows)


# --- visits ---------------------------------------------------------------------------------

@transaction.atomic
def visit_record(*, actor, household: Household, data: dict) -> Visit:
    """帮扶记录卡: one visit (date, content, problems found, measures taken)."""
    village = household.village.code
    require(actor, "visit.record", village)
    errors: dict[str, str] = {}
    visited_on = _date(data.get("visited_on") or clock.today(), _("走访日期"), errors, "visited_on")
    _not_future(visited_on, _("走访日期"), errors, "visited_on")
    if visited_on is not None and visited_on.year < household.year - 1:
        errors["visited_on"] = _("走访日期 %(d)s 早于本户 %(y)s 年度档案") % {"d": visited_on, "y": household.year}
    role = data.get("visitor_role") or VisitorRole.PAIRING_CADRE
    _choice(role, VisitorRole, _("走访人身份"), errors, "visitor_role")
    content = _text(data.get("content"), _("帮扶内容"), errors, "content", max_length=MAX_TEXT)
    problems = _text(data.get("problems"), _("发现问题"), errors, "problems", max_length=MAX_TEXT, required=False)
    taken = _text(data.get("measures_taken"), _("采取措施"), errors, "measures_taken", max_length=MAX_TEXT,
                  required=False)
    _refuse(errors)
    visit = Visit.objects.create(household=household, visitor=actor, visitor_role=role, visited_on=visited_on,
                                 content=content, problems=problems, measures_taken=taken)
    audit_event(actor=actor, action="assistance.visit_record", target=visit, area_code=village,
                after={"household": household.household_number, "visited_on": visited_on, "visitor_role": role})
    return visit
