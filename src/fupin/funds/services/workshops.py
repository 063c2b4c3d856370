"""扶贫车间 (ZW-WS): registration, the qualification checks, certification (县级认定 → 市级备案) and subsidies.

Checks, every figure from the pack in force (`workshop_*` parameters):

* poor employees ≥ 30% of the employees (rounded up) and ≥ 5 (000 L8968「车间就业人数的 30%，且不低于 5 人」);
* new (and joint) workshops: usable area ≥ 200 m², main investment ≤ 200,000 yuan;
* renovated workshops: building area ≥ 150 m², one-off renovation subsidy ≤ 100,000 yuan;
* the stable-employment reward is 1,000 yuan per poor laborer; 以工代训 at most 6 months.
"""

from __future__ import annotations

import math
import uuid

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds.ledger import yuan
from fupin.funds.models import ZERO, SubsidyKind, Workshop, WorkshopKind, WorkshopStatus, WorkshopSubsidy
from fupin.funds.params import param, training_months_max

from ._common import actor_or_none, allow, as_choice, as_date, as_int, as_money, check_version, refuse_status
from .pv import as_number, village_area

# 以工代训「最长不超过 6个月」 (000 L9004); the pack has no parameter for it.


def qualification(w: Workshop, on=None) -> dict:
    """Each check with the numbers, against the pack in force on `on` (the certification date, else
    today); `ok` when all pass. Without a pack for that year nothing can be checked, and it says so."""
    try:
        return _qualification(w, (on or w.certified_on or clock.today()).year)
    except ValidationFailed as exc:
        if exc.code not in ("no_policy_pack", "no_policy_parameter"):
            raise
        return {"ok": False, "checks": [{"id": "pack", "ok": False, "message": exc.message, "cite": ""}],
                "poor_needed": None}


def _qualification(w: Workshop, year: int) -> dict:
    code = w.village.code
    share = param(code, year, "workshop_poor_share_min")
    minimum = param(code, year, "workshop_poor_min")
    need = max(math.ceil(w.employees_total * share.decimal), int(minimum.value))
    checks = [{"id": "poor_employees", "ok": w.employees_poor >= need,
               "message": _("吸纳建档立卡贫困人口 %(p)s 人，应不少于 %(n)s 人（就业人数 %(t)s 的 30%%，且不少于 %(m)s 人）")
               % {"p": w.employees_poor, "n": need, "t": w.employees_total, "m": minimum.value}, "cite": share.cite}]
    if w.kind == WorkshopKind.RENOVATED:
        area = param(code, year, "workshop_min_area_renovated")
        checks.append({"id": "building_area", "ok": w.building_area >= area.decimal,
                       "message": _("建筑面积 %(a)s 平方米，应不低于 %(m)s 平方米") % {"a": w.building_area, "m": area.value},
                       "cite": area.cite})
    else:
        area = param(code, year, "workshop_min_area_new")
        invest = param(code, year, "workshop_max_investment_new")
        checks.append({"id": "usable_area", "ok": w.usable_area >= area.decimal,
                       "message": _("使用面积 %(a)s 平方米，应达到 %(m)s 平方米以上") % {"a": w.usable_area, "m": area.value},
                       "cite": area.cite})
        checks.append({"id": "investment", "ok": w.investment <= invest.decimal,
                       "message": _("主体投入 %(a)s，原则上不超过 %(m)s") % {"a": yuan(w.investment), "m": yuan(invest.decimal)},
                       "cite": invest.cite})
    return {"ok": all(c["ok"] for c in checks), "checks": checks, "poor_needed": need}


def _fields(data: dict) -> dict:
    out = {}
    if "kind" in data:
        out["kind"] = as_choice(data["kind"], WorkshopKind, _("建设方式"))
    for key, label in (("usable_area", _("使用面积")), ("building_area", _("建筑面积"))):
        if key in data:
            out[key] = as_number(data[key], label, positive=False)
    if "investment" in data:
        out["investment"] = as_money(data["investment"], _("主体投入资金"), allow_zero=True)
    if "employees_total" in data:
        out["employees_total"] = as_int(data["employees_total"], _("就业人数"), high=100000)
    if "employees_poor" in data:
        out["employees_poor"] = as_int(data["employees_poor"], _("贫困人口就业人数"), high=100000)
    for key in ("name", "operator", "business"):
        if key in data:
            out[key] = str(data[key] or "").strip()[:100]
    return out


def _check_counts(total: int, poor: int) -> None:
    if poor > total:
        raise ValidationFailed(_("贫困人口就业人数 %(p)s 超过就业人数 %(t)s") % {"p": poor, "t": total},
                               code="poor_over_total")


def workshop_create(*, actor, village_code: str, name: str, kind: str, usable_area, building_area, investment,
                    employees_total, employees_poor, operator: str = "", business: str = "") -> Workshop:
    village = village_area(village_code, _("所在村"))
    allow(actor, "funds.edit", village.code)
    data = _fields({"name": name, "kind": kind, "usable_area": usable_area, "building_area": building_area,
                    "investment": investment, "employees_total": employees_total, "employees_poor": employees_poor,
                    "operator": operator, "business": business})
    if not data["name"]:
        raise ValidationFailed(_("请填写车间名称"), code="required")
    _check_counts(data["employees_total"], data["employees_poor"])
    with transaction.atomic():
        w = Workshop.objects.create(code=f"tmp-{uuid.uuid4().hex[:20]}", village=village,
                                    created_by=actor_or_none(actor), **data)
        w.code = f"CJ{village.code[6:]}-{w.pk:04d}"
        w.save(update_fields=["code"])
        audit_event(actor=actor, action="funds.workshop.create", target=w, area_code=village.code,
                    after={k: str(v) for k, v in data.items()})
    return w


def workshop_update(*, actor, workshop: Workshop, version, **changes) -> Workshop:
    """Change the size or the employees (a certified workshop's employees change as people come and go)."""
    data = _fields(changes)
    with transaction.atomic():
        w = Workshop.objects.select_for_update().select_related("village").get(pk=workshop.pk)
        allow(actor, "funds.edit", w.village.code)
        check_version(w, version)
        before = {k: str(getattr(w, k)) for k in data}
        for key, value in data.items():
            setattr(w, key, value)
        _check_counts(w.employees_total, w.employees_poor)
        w.version += 1
        w.save()
        audit_event(actor=actor, action="funds.workshop.update", target=w, area_code=w.village.code, before=before,
                    after={k: str(v) for k, v in data.items()})
    return w


def workshop_certify(*, actor, workshop: Workshop, on, version=None) -> Workshop:
    """县级认定: refused, with every failing check, unless the workshop qualifies."""
    on = as_date(on, _("认定日期"))
    with transaction.atomic():
        w = Workshop.objects.select_for_update().select_related("village").get(pk=workshop.pk)
        allow(actor, "funds.approve", w.village.code)
        check_version(w, version)
        refuse_status(w, [WorkshopStatus.PROPOSED], _("认定"))
        q = qualification(w, on)
        if not q["ok"]:
            raise ValidationFailed(_("不符合扶贫车间认定条件：%(f)s") % {
                "f": "；".join(c["message"] for c in q["checks"] if not c["ok"])}, code="workshop_not_qualified",
                details=q)
        w.status, w.certified_on = WorkshopStatus.CERTIFIED, on
        w.rules_pack = param(w.village.code, on.year, "workshop_poor_min").pack
        w.version += 1
        w.save()
        audit_event(actor=actor, action="funds.workshop.certify", target=w, area_code=w.village.code,
                    after={"certified_on": on, "rules": w.rules_pack})
    return w


def workshop_file(*, actor, workshop: Workshop, on, version=None) -> Workshop:
    on = as_date(on, _("备案日期"))
    with transaction.atomic():
        w = Workshop.objects.select_for_update().select_related("village").get(pk=workshop.pk)
        allow(actor, "funds.approve", w.village.code)
        check_version(w, version)
        refuse_status(w, [WorkshopStatus.CERTIFIED], _("备案"))
        if on < w.certified_on:
            raise ValidationFailed(_("备案日期不能早于认定日期"), code="date_order")
        w.status, w.filed_on = WorkshopStatus.FILED, on
        w.version += 1
        w.save()
        audit_event(actor=actor, action="funds.workshop.file", target=w, area_code=w.village.code, after={"filed_on": on})
    return w


def subsidy_pay(*, actor, workshop: Workshop, kind: str, paid_on, amount=None, persons=0, months=0) -> WorkshopSubsidy:
    """A subsidy to a certified workshop: renovation within the cap, 1,000 yuan per stable poor laborer,
    以工代训 for at most six months."""
    kind = as_choice(kind, SubsidyKind, _("补贴类别"))
    paid_on = as_date(paid_on, _("拨付日期"))
    persons = as_int(persons or 0, _("人数"), high=100000)
    months = as_int(months or 0, _("月数"), high=120)
    with transaction.atomic():
        w = Workshop.objects.select_for_update().select_related("village").get(pk=workshop.pk)
        allow(actor, "funds.approve", w.village.code)
        if w.status == WorkshopStatus.PROPOSED:
            raise Conflict(_("车间尚未认定，不能拨付补贴"), code="bad_status")
        code, year = w.village.code, paid_on.year
        paid = WorkshopSubsidy.objects.filter(workshop=w, kind=kind).aggregate(t=Sum("amount"))["t"] or ZERO
        if kind == SubsidyKind.RENOVATION:
            if w.kind != WorkshopKind.RENOVATED:
                raise ValidationFailed(_("只有利用闲置集体房产改造的车间可以申请维修改造补贴"), code="not_renovated")
            area = param(code, year, "workshop_min_area_renovated")
            if w.building_area < area.decimal:
                raise ValidationFailed(_("建筑面积 %(a)s 平方米，不足 %(m)s 平方米，不能申请改造补贴（%(c)s）")
                                       % {"a": w.building_area, "m": area.value, "c": area.cite},
                                       code="renovation_area_too_small")
            cap = param(code, year, "workshop_renovation_subsidy_max")
            amount = as_money(amount, _("补贴金额"))
            if paid + amount > cap.decimal:
                raise ValidationFailed(_("一次性维修改造补贴累计 %(t)s 超过上限 %(c)s（%(s)s）")
                                       % {"t": yuan(paid + amount), "c": yuan(cap.decimal), "s": cap.cite},
                                       code="renovation_subsidy_over_cap")
        elif kind == SubsidyKind.STABLE_JOB:
            reward = param(code, year, "workshop_stable_job_reward")
            if persons <= 0 or persons > w.employees_poor:
                raise ValidationFailed(_("稳定就业人数应在 1 至 %(p)s（车间贫困人口就业人数）之间") % {"p": w.employees_poor},
                                       code="bad_persons")
            expected = reward.decimal * persons
            amount = as_money(amount if amount not in (None, "") else expected, _("补贴金额"))
            if amount != expected:
                raise ValidationFailed(_("稳定就业奖补为每人 %(r)s：%(n)s 人应为 %(e)s，不是 %(a)s")
                                       % {"r": yuan(reward.decimal), "n": persons, "e": yuan(expected), "a": yuan(amount)},
                                       code="reward_mismatch")
        else:
            amount = as_money(amount, _("补贴金额"))
            limit = training_months_max(code, year)
            if months <= 0 or months > int(limit.value):
                raise ValidationFailed(_("以工代训补贴最长不超过 %(m)s 个月：%(n)s（%(c)s）")
                                       % {"m": limit.value, "n": months, "c": limit.cite}, code="training_too_long")
        row = WorkshopSubsidy.objects.create(workshop=w, kind=kind, persons=persons, months=months, amount=amount,
                                             paid_on=paid_on, created_by=actor_or_none(actor))
        audit_event(actor=actor, action="funds.workshop.subsidy", target=w, area_code=code,
                    after={"kind": kind, "amount": str(amount), "persons": persons, "months": months})
    return row


def subsidy_reverse(*, actor, subsidy: WorkshopSubsidy, reason: str) -> WorkshopSubsidy:
    if not str(reason or "").strip():
        raise ValidationFailed(_("请填写冲正原因"), code="required")
    with transaction.atomic():
        s = WorkshopSubsidy.objects.select_for_update().select_related("workshop__village").get(pk=subsidy.pk)
        allow(actor, "funds.approve", s.workshop.village.code)
        if s.reverses_id or WorkshopSubsidy.objects.filter(reverses=s).exists():
            raise Conflict(_("该记录已冲正或本身是冲正记录"), code="already_reversed")
        row = WorkshopSubsidy.objects.create(workshop=s.workshop, kind=s.kind, persons=-s.persons, months=s.months,
                                             amount=-s.amount, paid_on=clock.today(), reverses=s,
                                             created_by=actor_or_none(actor))
        audit_event(actor=actor, action="funds.workshop.subsidy_reverse", target=s.workshop,
                    area_code=s.workshop.village.code, after={"subsidy": s.pk, "reason": str(reason)[:200]})
    return row
