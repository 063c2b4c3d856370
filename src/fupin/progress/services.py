"""Writes of targets, plans and milestones. Keyword-only, actor first, transactional, audited; bad input
raises ValidationFailed with a Chinese message and writes nothing; a stale edit is a Conflict."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from fupin.accounts.access import require
from fupin.areas.selectors import area_get
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.progress.indicators import INDICATORS
from fupin.progress.models import Direction, Milestone, Plan, PlanKind, Target


def _refuse(errors: dict) -> None:
    if errors:
        raise ValidationFailed("；".join(errors.values()), details={"errors": errors})


def _text(value, label: str, errors: dict, key: str, *, max_length: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[key] = _("请填写%(label)s") % {"label": label}
    elif len(text) > max_length:
        errors[key] = _("%(label)s不能超过%(n)s个字") % {"label": label, "n": max_length}
    return text


def _figure(value, label: str, errors: dict, key: str, *, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[key] = _("请填写%(label)s") % {"label": label}
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors[key] = _("%(label)s应为数字：%(v)s") % {"label": label, "v": value}
        return None
    if not number.is_finite() or number < 0 or number >= Decimal("1e14"):
        errors[key] = _("%(label)s应为不小于0的数字：%(v)s") % {"label": label, "v": value}
        return None
    return number.quantize(Decimal("0.01"))


def _stale(obj, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise Conflict(_("该记录已被他人修改（当前版本 %(v)s），请刷新后重试") % {"v": obj.version}, code="stale")


@transaction.atomic
def plan_create(*, actor, area_code: str, code: str, title: str, kind: str, start: dt.date, end: dt.date,
                issuer: str = "") -> Plan:
    area = area_get(area_code)
    require(actor, "progress.manage", area.code)
    errors: dict[str, str] = {}
    code = _text(code, _("方案标识"), errors, "code", max_length=60, required=True)
    title = _text(title, _("方案名称"), errors, "title", max_length=200, required=True)
    if kind not in PlanKind.values:
        errors["kind"] = _("方案类型不正确：%(v)s") % {"v": kind}
    if end < start:
        errors["end"] = _("截止日期不能早于起始日期")
    if code and Plan.objects.filter(code=code).exists():
        errors["code"] = _("方案标识“%(c)s”已存在") % {"c": code}
    _refuse(errors)
    plan = Plan.objects.create(code=code, title=title, kind=kind, area=area, start=start, end=end,
                               issuer=_text(issuer, _("印发单位"), errors, "issuer", max_length=200))
    audit_event(actor=actor, action="progress.plan_create", target=plan, area_code=area.code,
                after={"code": code, "title": title, "start": start, "end": end})
    return plan


@transaction.atomic
def target_create(*, actor, area_code: str, name: str, value, deadline: dt.date, period_start: dt.date,
                  plan: Plan | None = None, indicator: str = "", direction: str = Direction.AT_LEAST, unit: str = "",
                  group: str = "", lead_leader: str = "", lead_unit: str = "", responsible_units: str = "",
                  responsible_person: str = "", note: str = "") -> Target:
    """A target for an area the actor manages; under a plan it must lie in the plan's area and period."""
    area = area_get(area_code)
    require(actor, "progress.manage", area.code)
    errors: dict[str, str] = {}
    fields = {
        "name": _text(name, _("指标名称"), errors, "name", max_length=200, required=True),
        "unit": _text(unit, _("单位"), errors, "unit", max_length=20),
        "group": _text(group, _("类别"), errors, "group", max_length=60),
        "lead_leader": _text(lead_leader, _("牵头领导"), errors, "lead_leader", max_length=100),
        "lead_unit": _text(lead_unit, _("牵头单位"), errors, "lead_unit", max_length=200, required=True),
        "responsible_units": _text(responsible_units, _("责任单位"), errors, "responsible_units", max_length=300),
        "responsible_person": _text(responsible_person, _("责任人"), errors, "responsible_person", max_length=100),
        "note": _text(note, _("备注"), errors, "note", max_length=300),
    }
    figure = _figure(value, _("目标值"), errors, "value", required=True)
    if indicator and indicator not in INDICATORS:
        errors["indicator"] = _("未知的实时指标：%(v)s") % {"v": indicator}
    if direction not in Direction.values:
        errors["direction"] = _("方向应为“达到”或“降至”")
    if deadline < period_start:
        errors["deadline"] = _("完成时限不能早于期间起始日期")
    if plan is not None:
        if not area.code.startswith(plan.area.prefix):
            errors["area"] = _("%(area)s 不在方案“%(plan)s”的实施区域内") % {"area": area.name, "plan": plan.title}
        if deadline > plan.end or period_start < plan.start:
            errors["deadline"] = _("目标期间须在方案期间内（%(s)s 至 %(e)s）") % {"s": plan.start, "e": plan.end}
    _refuse(errors)
    target = Target.objects.create(plan=plan, area=area, period_start=period_start, period_end=deadline,
                                   deadline=deadline, value=figure, indicator=indicator, direction=direction, **fields)
    audit_event(actor=actor, action="progress.target_create", target=target, area_code=area.code,
                after={"name": fields["name"], "value": figure, "deadline": deadline, "lead_unit": fields["lead_unit"],
                       "plan": plan.code if plan else ""})
    return target


@transaction.atomic
def target_report(*, actor, target: Target, reported_value, expected_version: int | None = None) -> Target:
    """The lead unit reports progress of a target the system cannot count from the records."""
    require(actor, "progress.manage", target.area.code)
    errors: dict[str, str] = {}
    figure = _figure(reported_value, _("完成值"), errors, "reported_value", required=True)
    if target.indicator:
        errors["reported_value"] = _("该目标由系统按实时数据统计，无需填报")
    _refuse(errors)
    _stale(target, expected_version)
    before = target.reported_value
    updated = Target.objects.filter(pk=target.pk, version=target.version).update(
        reported_value=figure, version=F("version") + 1, updated_at=clock.now())
    if not updated:
        raise Conflict(_("该记录已被他人修改，请刷新后重试"), code="stale")
    target.refresh_from_db()
    audit_event(actor=actor, action="progress.target_report", target=target, area_code=target.area.code,
                before={"reported_value": before}, after={"reported_value": figure})
    return target


@transaction.atomic
def milestone_create(*, actor, plan: Plan, due: dt.date, title: str, lead_unit: str = "",
                     responsible_units: str = "") -> Milestone:
    require(actor, "progress.manage", plan.area.code)
    errors: dict[str, str] = {}
    title = _text(title, _("工作内容"), errors, "title", max_length=500, required=True)
    lead_unit = _text(lead_unit, _("牵头单位"), errors, "lead_unit", max_length=200)
    responsible_units = _text(responsible_units, _("责任单位"), errors, "responsible_units", max_length=300)
    if due > plan.end:
        errors["due"] = _("节点时限 %(d)s 晚于方案截止日期 %(e)s") % {"d": due, "e": plan.end}
    elif due < plan.start:
        errors["due"] = _("节点时限 %(d)s 早于方案起始日期 %(s)s") % {"d": due, "s": plan.start}
    _refuse(errors)
    milestone = Milestone.objects.create(plan=plan, due=due, title=title, lead_unit=lead_unit,
                                         responsible_units=responsible_units,
                                         sort_order=plan.milestones.count())
    audit_event(actor=actor, action="progress.milestone_create", target=milestone, area_code=plan.area.code,
                after={"plan": plan.code, "due": due, "title": title})
    return milestone


@transaction.atomic
def milestone_done(*, actor, milestone: Milestone, done_on: dt.date, expected_version: int | None = None) -> Milestone:
    plan = milestone.plan
    require(actor, "progress.manage", plan.area.code)
    _stale(milestone, expected_version)
    if done_on > clock.today():
        raise ValidationFailed(_("完成日期不能晚于今天"), code="future_date")
    if done_on < plan.start:
        raise ValidationFailed(_("完成日期早于方案起始日期 %(s)s") % {"s": plan.start}, code="before_plan")
    updated = Milestone.objects.filter(pk=milestone.pk, version=milestone.version).update(
        done_on=done_on, version=F("version") + 1)
    if not updated:
        raise Conflict(_("该记录已被他人修改，请刷新后重试"), code="stale")
    milestone.refresh_from_db()
    audit_event(actor=actor, action="progress.milestone_done", target=milestone, area_code=plan.area.code,
                after={"done_on": done_on})
    return milestone
