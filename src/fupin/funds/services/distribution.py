"""收益分配方案: the owner proposes (产权人提方案) after a democratic decision (民主决策), publicises it
(公示), the superior reviews it (上级主管单位审核) and the county approves and files it (县级审批备案).

Checked at every step, so a plan that breaks a rule can be neither submitted nor approved:

* the part paid directly to registered households is at least the rule's share of the plan's income
  (默认 50%), refused with the rule and the numbers;
* every household line names a registered household of a village inside the plan's area, and the
  line's village is the household's own;
* the lines do not exceed the plan's income, and the plan's income does not exceed the rent and
  dividends received by the owner for that year less what other plans already distribute.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fupin.areas.models import Area, AreaLevel
from fupin.audit.services import audit_event
from fupin.core.errors import ValidationFailed
from fupin.funds.ledger import percent, yuan
from fupin.funds.models import (
    ZERO,
    DistributionLine,
    DistributionPlan,
    IncomeReceipt,
    LineKind,
    PlanStatus,
)
from fupin.funds.rules import rules_for
from fupin.registry.models import Household, HouseholdStatus

from ._common import (
    actor_or_none,
    allow,
    as_choice,
    as_date,
    as_int,
    as_money,
    check_version,
    owner_area,
    refuse_status,
)

# Households that may receive asset income: registered now or in the past (not removed from the registry).
ELIGIBLE_HOUSEHOLDS = (HouseholdStatus.REGISTERED, HouseholdStatus.EXPECTED_EXIT, HouseholdStatus.EXITED,
                       HouseholdStatus.RETURNED)
OPEN_PLAN = (PlanStatus.DRAFT, PlanStatus.DECIDED, PlanStatus.PUBLICISED, PlanStatus.REVIEWED)


def _snapshot(p: DistributionPlan) -> dict:
    return {"status": p.status, "income_total": str(p.income_total), "version": p.version}


def _clean_lines(plan_area: Area, lines: Iterable[Mapping]) -> list[DistributionLine]:
    out, seen = [], set()
    villages: dict[str, Area] = {}
    for n, raw in enumerate(lines, start=1):
        where = _("第%(n)s行") % {"n": n}
        kind = as_choice(raw.get("kind"), LineKind, where + _("分配对象类别"))
        amount = as_money(raw.get("amount"), where + _("金额"))
        household = None
        if kind == LineKind.HOUSEHOLD:
            hid = raw.get("household") or raw.get("household_id")
            household = Household.objects.select_related("village").filter(pk=hid).first() if hid else None
            if household is None:
                raise ValidationFailed(where + _("：找不到建档立卡户（%(h)s）") % {"h": hid}, code="unknown_household")
            if household.pk in seen:
                raise ValidationFailed(where + _("：户 %(h)s 重复") % {"h": household.household_number},
                                       code="duplicate_household")
            seen.add(household.pk)
            if household.status not in ELIGIBLE_HOUSEHOLDS:
                raise ValidationFailed(where + _("：户 %(h)s 状态为“%(s)s”，不是建档立卡户")
                                       % {"h": household.household_number, "s": household.get_status_display()},
                                       code="household_not_registered")
            village = household.village
            given = str(raw.get("village") or raw.get("village_code") or "")
            if given and given != village.code:
                raise ValidationFailed(where + _("：户 %(h)s 属于%(v)s，不是所填的村（%(g)s）")
                                       % {"h": household.household_number, "v": village.name, "g": given},
                                       code="household_outside_village")
        else:
            code = str(raw.get("village") or raw.get("village_code") or plan_area.code)
            village = villages.get(code) or Area.objects.current().filter(code=code).first()
            if village is None or village.level not in (AreaLevel.VILLAGE, AreaLevel.TOWNSHIP):
                raise ValidationFailed(where + _("：未知的村“%(c)s”") % {"c": code}, code="unknown_area")
            villages[code] = village
        if not village.code.startswith(plan_area.prefix):
            who = household.household_number if household else village.name
            raise ValidationFailed(
                where + _("：%(w)s 在%(v)s，不在方案所属的%(a)s范围内（收益只能分配给本村/本乡镇的对象）")
                % {"w": who, "v": village.name, "a": plan_area.name}, code="household_outside_village")
        out.append(DistributionLine(kind=kind, village=village, household=household, amount=amount,
                                    note=str(raw.get("note") or "")[:200]))
    if not out:
        raise ValidationFailed(_("分配方案至少要有一行分配明细"), code="no_lines")
    return out


def income_available(area: Area, year: int, *, excluding: DistributionPlan | None = None) -> dict:
    """Rent and dividends received by the owner for `year`, less what its other live plans distribute."""
    received = (IncomeReceipt.objects.filter(area=area, period_year=year).aggregate(t=Sum("amount"))["t"]
                or ZERO).quantize(Decimal("0.01"))
    others = DistributionPlan.objects.filter(area=area, year=year).exclude(status=PlanStatus.REJECTED)
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    planned = (others.aggregate(t=Sum("income_total"))["t"] or ZERO).quantize(Decimal("0.01"))
    return {"received": received, "planned": planned, "available": received - planned}


def check_plan(plan: DistributionPlan, lines: list[DistributionLine]) -> dict:
    """Every rule a plan must meet; raises ValidationFailed naming the rule and the numbers."""
    rules = rules_for(plan.area.code, plan.year)
    total = plan.income_total
    lines_total = sum((ln.amount for ln in lines), ZERO)
    households = sum((ln.amount for ln in lines if ln.kind == LineKind.HOUSEHOLD), ZERO)
    if lines_total > total:
        raise ValidationFailed(_("分配明细合计 %(l)s 超过可分配收益 %(t)s（超出 %(o)s）")
                               % {"l": yuan(lines_total), "t": yuan(total), "o": yuan(lines_total - total)},
                               code="lines_exceed_income")
    minimum = (total * rules.household_share_min).quantize(Decimal("0.01"))
    share = households / total
    if households < minimum:
        raise ValidationFailed(
            _("直接分配到建档立卡户的收益不足：规则要求不低于可分配收益的 %(min)s（%(src)s）。可分配收益 %(t)s，"
              "应至少到户 %(need)s，方案到户 %(h)s（占 %(share)s），差 %(gap)s")
            % {"min": percent(rules.household_share_min), "src": rules.sources.get("household_share_min", ""),
               "t": yuan(total), "need": yuan(minimum), "h": yuan(households), "share": percent(share),
               "gap": yuan(minimum - households)},
            code="household_share_below_minimum",
            details={"income_total": str(total), "household_total": str(households), "share": str(share),
                     "minimum_share": str(rules.household_share_min), "rules": rules.pack_id})
    money = income_available(plan.area, plan.year, excluding=plan if plan.pk else None)
    if total > money["available"]:
        raise ValidationFailed(
            _("可分配收益 %(t)s 超过%(y)s年度已到账的资产收益：到账 %(r)s，其他方案已分配 %(p)s，尚可分配 %(a)s")
            % {"t": yuan(total), "y": plan.year, "r": yuan(money["received"]), "p": yuan(money["planned"]),
               "a": yuan(money["available"])},
            code="income_exceeds_received", details={k: str(v) for k, v in money.items()})
    return {"rules": rules, "household_total": households, "lines_total": lines_total, "share": share,
            "reserve": total - lines_total}


def plan_create(*, actor, area_code: str, year, title: str, income_total, lines, note: str = "") -> DistributionPlan:
    """产权人提方案: a draft plan with its lines."""
    area = owner_area(area_code, what=_("产权人"))
    allow(actor, "funds.edit", area.code)
    title = str(title or "").strip()
    if not title:
        raise ValidationFailed(_("请填写方案名称"), code="required")
    year = as_int(year, _("收益年度"), low=2000, high=2100)
    income_total = as_money(income_total, _("可分配收益"))
    rows = _clean_lines(area, lines)
    with transaction.atomic():
        plan = DistributionPlan(code=f"tmp-{uuid.uuid4().hex[:20]}", area=area, year=year, title=title[:100],
                                income_total=income_total, note=str(note or "")[:300], created_by=actor_or_none(actor))
        check_plan(plan, rows)
        plan.save()
        plan.code = f"FP{year}-{plan.pk:06d}"
        plan.save(update_fields=["code"])
        for row in rows:
            row.plan = plan
        DistributionLine.objects.bulk_create(rows)
        audit_event(actor=actor, action="funds.plan.create", target=plan, area_code=area.code,
                    after={**_snapshot(plan), "lines": len(rows), "household_total": str(
                        sum((r.amount for r in rows if r.kind == LineKind.HOUSEHOLD), ZERO))})
    return plan


def plan_update(*, actor, plan: DistributionPlan, version=None, income_total=None, lines=None,
                title: str | None = None) -> DistributionPlan:
    """Change a draft (or a returned) plan; a returned plan goes back to draft."""
    with transaction.atomic():
        p = DistributionPlan.objects.select_for_update().select_related("area").get(pk=plan.pk)
        allow(actor, "funds.edit", p.area.code)
        check_version(p, version)
        refuse_status(p, [PlanStatus.DRAFT, PlanStatus.REJECTED], _("修改"))
        before = _snapshot(p)
        if title is not None:
            p.title = str(title).strip()[:100] or p.title
        if income_total is not None:
            p.income_total = as_money(income_total, _("可分配收益"))
        rows = _clean_lines(p.area, lines) if lines is not None else list(p.lines.all())
        check_plan(p, rows)
        if lines is not None:
            p.lines.all().delete()
            for row in rows:
                row.plan = p
            DistributionLine.objects.bulk_create(rows)
        p.status, p.rejected_on, p.rejection_reason = PlanStatus.DRAFT, None, ""
        p.version += 1
        p.save()
        audit_event(actor=actor, action="funds.plan.update", target=p, area_code=p.area.code, before=before,
                    after={**_snapshot(p), "lines": len(rows)})
    return p


def _step(*, actor, plan, action: str, allowed, doing: str, audit: str, on_label: str, on, version, apply):
    on = as_date(on, on_label)
    with transaction.atomic():
        p = DistributionPlan.objects.select_for_update().select_related("area").get(pk=plan.pk)
        allow(actor, action, p.area.code)
        check_version(p, version)
        refuse_status(p, allowed, doing)
        checked = check_plan(p, list(p.lines.all()))
        before = _snapshot(p)
        extra = apply(p, on, checked) or {}
        p.version += 1
        p.save()
        audit_event(actor=actor, action=audit, target=p, area_code=p.area.code, before=before,
                    after={**_snapshot(p), "on": on, "household_share": str(checked["share"]), **extra})
    return p


def plan_decide(*, actor, plan: DistributionPlan, on, version=None) -> DistributionPlan:
    """民主决策: the village assembly (村民代表大会) adopts the plan."""
    def apply(p, on, _checked):
        p.status, p.decided_on = PlanStatus.DECIDED, on

    return _step(actor=actor, plan=plan, action="funds.edit", allowed=[PlanStatus.DRAFT], doing=_("民主决策"),
                 audit="funds.plan.decide", on_label=_("民主决策日期"), on=on, version=version, apply=apply)


def plan_publicise(*, actor, plan: DistributionPlan, on, version=None) -> DistributionPlan:
    """公示: the adopted plan is posted for the rule's number of days."""
    def apply(p, on, checked):
        if on < p.decided_on:
            raise ValidationFailed(_("公示不能早于民主决策（%(d)s）") % {"d": p.decided_on}, code="date_order")
        p.status, p.publicity_from = PlanStatus.PUBLICISED, on
        p.publicity_to = on + dt.timedelta(days=checked["rules"].plan_publicity_days - 1)
        return {"publicity_to": p.publicity_to}

    return _step(actor=actor, plan=plan, action="funds.edit", allowed=[PlanStatus.DECIDED], doing=_("公示"),
                 audit="funds.plan.publicise", on_label=_("公示开始日期"), on=on, version=version, apply=apply)


def plan_review(*, actor, plan: DistributionPlan, on, version=None) -> DistributionPlan:
    """上级主管单位审核, once the publicity period is over."""
    def apply(p, on, _checked):
        if on <= p.publicity_to:
            raise ValidationFailed(_("公示期至 %(d)s，公示期满后方可审核") % {"d": p.publicity_to},
                                   code="publicity_not_over")
        p.status, p.reviewed_on = PlanStatus.REVIEWED, on

    return _step(actor=actor, plan=plan, action="funds.review", allowed=[PlanStatus.PUBLICISED], doing=_("审核"),
                 audit="funds.plan.review", on_label=_("审核日期"), on=on, version=version, apply=apply)


def plan_approve(*, actor, plan: DistributionPlan, on, version=None) -> DistributionPlan:
    """县级审批备案: the county approves; the rule pack and the minimum share it applied are stored."""
    def apply(p, on, checked):
        if on < p.reviewed_on:
            raise ValidationFailed(_("审批日期不能早于审核日期（%(d)s）") % {"d": p.reviewed_on}, code="date_order")
        p.status, p.approved_on = PlanStatus.APPROVED, on
        p.rules_pack, p.household_share_min = checked["rules"].pack_id, checked["rules"].household_share_min
        return {"rules": p.rules_pack}

    return _step(actor=actor, plan=plan, action="funds.approve", allowed=[PlanStatus.REVIEWED], doing=_("审批"),
                 audit="funds.plan.approve", on_label=_("审批日期"), on=on, version=version, apply=apply)


def plan_pay(*, actor, plan: DistributionPlan, on, version=None) -> DistributionPlan:
    """兑付: the approved shares have been paid out."""
    def apply(p, on, _checked):
        if on < p.approved_on:
            raise ValidationFailed(_("兑付日期不能早于审批日期（%(d)s）") % {"d": p.approved_on}, code="date_order")
        p.status, p.paid_on = PlanStatus.PAID, on

    return _step(actor=actor, plan=plan, action="funds.edit", allowed=[PlanStatus.APPROVED], doing=_("兑付"),
                 audit="funds.plan.pay", on_label=_("兑付日期"), on=on, version=version, apply=apply)


def plan_reject(*, actor, plan: DistributionPlan, on, reason: str, version=None) -> DistributionPlan:
    """退回: the reviewer or the county sends the plan back; the owner may change it and start again."""
    on = as_date(on, _("退回日期"))
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写退回原因"), code="required")
    with transaction.atomic():
        p = DistributionPlan.objects.select_for_update().select_related("area").get(pk=plan.pk)
        allow(actor, "funds.approve" if p.status == PlanStatus.REVIEWED else "funds.review", p.area.code)
        check_version(p, version)
        refuse_status(p, [PlanStatus.DECIDED, PlanStatus.PUBLICISED, PlanStatus.REVIEWED], _("退回"))
        before = _snapshot(p)
        p.status, p.rejected_on, p.rejection_reason = PlanStatus.REJECTED, on, reason[:300]
        p.version += 1
        p.save()
        audit_event(actor=actor, action="funds.plan.reject", target=p, area_code=p.area.code, before=before,
                    after={**_snapshot(p), "reason": reason})
    return p
