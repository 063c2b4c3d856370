"""光伏收益: the deep-poverty recipients and the village's yearly distribution plan.

Recipients (光伏扶贫资助对象) go through the workflow's review: 农户申请 → 民主评议 → 村级公示 (the pack's
`pv_publicity_days`, 7) → 乡镇审核 (000 L8551「申请、民主评议、村级公示、乡镇审核」). The application is checked
by the pack's rule `pv_deep_poverty` (the six conditions) and refused with its explanation.

The plan (000 L8583「合理设置公益岗位、开展公益事业、设立奖励补助。分配方」): village drafts → 村民代表大会 →
公示 → 乡镇审核同意 → 报县扶贫办备案. At every step it is checked, with the numbers, against:

* the county fund share (`[pack.pv] county_fund_share`, Zhangwu 2020: 30% of the revenue, 000 L3601);
* at least `pv_household_share_min` (50%) of the revenue allocated to the village directly to registered
  households (000 L8483「不得低于分配到村的年发电收益（含」); whether job wages count is a rules option;
* in 2020, at least `pv_public_job_share_2020` (80%) to public-welfare jobs (000 L8487「发电收益的 80%，用于设置公益岗」);
* subsidy lines only for this year's approved recipients of the village; lines within the revenue.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.areas.models import Area
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import ValidationFailed
from fupin.funds.ledger import percent, yuan
from fupin.funds.models import (
    CENT,
    ZERO,
    PVLineKind,
    PVPlan,
    PVPlanLine,
    PVPlanStatus,
    PVRecipient,
    RecipientStatus,
)
from fupin.funds.params import pack_for, param
from fupin.funds.rules import rules_for
from fupin.registry.models import Household

from ._common import actor_or_none, allow, as_choice, as_date, as_int, as_money, check_version, refuse_status
from .distribution import ELIGIBLE_HOUSEHOLDS
from .pv import village_area, village_revenue

RECIPIENT_PROCESS = "funds.pv_recipient"


# --- recipients -----------------------------------------------------------------------------------

MEMBER_FLAGS = ("lonely_elderly", "orphan", "recognised_major_disease")


def deep_poverty_check(household: Household, year: int, *, major_disaster_loss: bool = False,
                       assembly_recognised: bool = False, members: Mapping | None = None) -> dict:
    """The pack's `pv_deep_poverty` for one household, with the reasons (which condition held).
    `members` names the persons (by id) the village found to be 孤寡老人 / 孤儿 / 重特大疾病患者: the
    registry does not hold these facts, so the application states them."""
    from fupin.policy.engine import evaluate_household
    from fupin.policy.households import household_record

    pack = pack_for(household.village.code, year)
    record = household_record(household)
    flagged = {flag: {int(x) for x in (members or {}).get(flag, []) or []} for flag in MEMBER_FLAGS}
    known = {p.pk for p in household.persons.all()}
    for flag, ids in flagged.items():
        if ids - known:
            raise ValidationFailed(_("“%(f)s”所列人员不是户 %(h)s 的成员：%(ids)s")
                                   % {"f": flag, "h": household.household_number, "ids": sorted(ids - known)},
                                   code="person_not_in_household")
    for person, member in zip(household.persons.all(), record["members"], strict=True):
        for flag, ids in flagged.items():
            member[flag] = person.pk in ids
        for name in ("schooling", "disability_grade"):
            if member.get(name) == "":
                member[name] = None if name == "disability_grade" else "00"
    record["major_disaster_loss"] = bool(major_disaster_loss)
    record["village_assembly_recognised"] = bool(assembly_recognised)
    decision = evaluate_household(pack, record, as_of=dt.date(year, 12, 31), rules=["pv_deep_poverty"])[
        "pv_deep_poverty"]
    shown = decision.as_dict(explain=True)
    return {"pack": pack.key, "eligible": decision.status == "ok" and decision.value is True,
            "status": decision.status, "error": shown.get("error"), "clauses": shown.get("clauses", {}),
            "reasons": shown.get("reasons", [])}


def _recipient_household(household_id) -> Household:
    household = Household.objects.select_related("village").filter(pk=household_id).first()
    if household is None:
        raise ValidationFailed(_("找不到建档立卡户（%(h)s）") % {"h": household_id}, code="unknown_household")
    return household


def recipient_apply(*, actor, household_id, year, reason: str, major_disaster_loss: bool = False,
                    assembly_recognised: bool = False, members: Mapping | None = None) -> PVRecipient:
    """农户申请: refused with the rule's explanation when none of the six conditions holds."""
    from fupin.workflow.services import review_open

    household = _recipient_household(household_id)
    allow(actor, "funds.edit", household.village.code)
    year = as_int(year, _("资助年度"), low=2000, high=2100)
    if household.status not in ELIGIBLE_HOUSEHOLDS:
        raise ValidationFailed(_("户 %(h)s 状态为“%(s)s”，不是建档立卡户") % {
            "h": household.household_number, "s": household.get_status_display()}, code="household_not_registered")
    check = deep_poverty_check(household, year, major_disaster_loss=major_disaster_loss,
                               assembly_recognised=assembly_recognised, members=members)
    if not check["eligible"]:
        why = check.get("error") or _("六项甄别条件均不满足")
        raise ValidationFailed(_("户 %(h)s 不符合光伏收益资助对象条件（%(p)s 规则 pv_deep_poverty）：%(why)s")
                               % {"h": household.household_number, "p": check["pack"], "why": why},
                               code="not_deep_poverty", details=check)
    if PVRecipient.objects.filter(household__household_number=household.household_number, year=year).exclude(
            status=RecipientStatus.REJECTED).exists():
        raise ValidationFailed(_("户 %(h)s 已申请 %(y)s 年光伏收益资助") % {"h": household.household_number, "y": year},
                               code="recipient_exists")
    held = [k for k, v in check["clauses"].items() if v]
    with transaction.atomic():
        recipient = PVRecipient.objects.create(household=household, village=household.village, year=year,
                                               conditions=held, evidence=check, applied_on=clock.today())
        review = review_open(actor=actor, kind=RECIPIENT_PROCESS, subject=recipient, area=household.village,
                             reason=reason, payload={"household_number": household.household_number, "year": year},
                             subject_label=_("%(h)s户 %(y)s年光伏收益资助") % {"h": household.household_number, "y": year})
        recipient.review_id = review.pk
        recipient.save(update_fields=["review_id"])
        audit_event(actor=actor, action="funds.pv.recipient_apply", target=recipient, area_code=household.village.code,
                    after={"household": household.household_number, "year": year, "review": review.pk})
    return recipient


def _decided(status: str):
    def apply(*, review, actor) -> None:
        recipient = PVRecipient.objects.select_for_update().get(pk=int(review.subject_id))
        recipient.status, recipient.decided_on = status, clock.today()
        recipient.save(update_fields=["status", "decided_on"])
        audit_event(actor=actor, action="funds.pv.recipient_decided", target=recipient,
                    area_code=recipient.village.code, after={"status": status, "review": review.pk})
    return apply


def _notice_days(review) -> int:
    year = int(review.payload.get("year") or clock.today().year)
    return int(param(review.area.code, year, "pv_publicity_days").value)


def register_recipient_process() -> None:
    from fupin.areas.models import AreaLevel
    from fupin.workflow.processes import PassRule, ProcessDefinition, Stage, StageKind, register_process

    register_process(ProcessDefinition(
        kind=RECIPIENT_PROCESS, label="光伏收益资助对象", view_action="funds.view",
        stages=[
            Stage("proposal", "农户申请", StageKind.PROPOSAL, "funds.edit", AreaLevel.VILLAGE),
            Stage("appraisal", "民主评议", StageKind.APPRAISAL, "funds.edit", AreaLevel.VILLAGE, due_days=15,
                  pass_rule=PassRule(numerator=1, denominator=2)),
            Stage("village_notice", "村级公示", StageKind.NOTICE, "funds.edit", AreaLevel.VILLAGE,
                  notice_days=_notice_days, due_days=3),
            Stage("township", "乡镇审核", StageKind.DECISION, "funds.review", AreaLevel.TOWNSHIP, due_days=10),
        ],
        on_approved=_decided(RecipientStatus.APPROVED), on_rejected=_decided(RecipientStatus.REJECTED),
    ), replace=True)


# --- the plan ---------------------------------------------------------------------------------------

def _clean_lines(village: Area, year: int, lines: Iterable[Mapping]) -> list[PVPlanLine]:
    out, seen = [], set()
    approved = {r.household_id: r for r in PVRecipient.objects.select_related("household").filter(
        village=village, year=year, status=RecipientStatus.APPROVED)}
    approved_numbers = {r.household.household_number for r in approved.values()} if approved else set()
    for n, raw in enumerate(lines, start=1):
        where = _("第%(n)s行") % {"n": n}
        kind = as_choice(raw.get("kind"), PVLineKind, where + _("用途"))
        amount = as_money(raw.get("amount"), where + _("金额"))
        household = None
        if kind == PVLineKind.SUBSIDY:
            hid = raw.get("household") or raw.get("household_id")
            household = Household.objects.select_related("village").filter(pk=hid).first() if hid else None
            if household is None:
                raise ValidationFailed(where + _("：找不到资助户（%(h)s）") % {"h": hid}, code="unknown_household")
            if household.village_id != village.pk:
                raise ValidationFailed(where + _("：户 %(h)s 属于%(v)s，不是本村（%(p)s）的户")
                                       % {"h": household.household_number, "v": household.village.name,
                                          "p": village.name}, code="household_outside_village")
            if household.household_number not in approved_numbers:
                raise ValidationFailed(where + _("：户 %(h)s 不是%(y)s年经乡镇审核的光伏收益资助对象")
                                       % {"h": household.household_number, "y": year}, code="not_a_recipient")
            if household.pk in seen:
                raise ValidationFailed(where + _("：户 %(h)s 重复") % {"h": household.household_number},
                                       code="duplicate_household")
            seen.add(household.pk)
        out.append(PVPlanLine(kind=kind, household=household, amount=amount, note=str(raw.get("note") or "")[:200]))
    if not out:
        raise ValidationFailed(_("分配方案至少要有一行分配明细"), code="no_lines")
    return out


def check_pv_plan(plan: PVPlan, lines: list[PVPlanLine]) -> dict:
    """Every share the plan must respect; raises ValidationFailed with the rule and the numbers."""
    code, year = plan.village.code, plan.year
    rules = rules_for(code, year)
    base = plan.village_revenue
    total = sum((ln.amount for ln in lines), ZERO)
    by_kind = {k: sum((ln.amount for ln in lines if ln.kind == k), ZERO) for k in PVLineKind.values}
    if total > base:
        raise ValidationFailed(_("分配明细合计 %(l)s 超过分配到村收益 %(b)s（年度结算 %(r)s，提取县级扶贫基金 %(c)s）")
                               % {"l": yuan(total), "b": yuan(base), "r": yuan(plan.revenue), "c": yuan(plan.county_fund)},
                               code="lines_exceed_income")
    jobs_count = bool(rules.pv.get("jobs_count_as_household", True))
    direct = by_kind[PVLineKind.SUBSIDY] + (by_kind[PVLineKind.JOBS] if jobs_count else ZERO)
    share_min = param(code, year, "pv_household_share_min")
    need = (base * share_min.decimal).quantize(CENT)
    if direct < need:
        raise ValidationFailed(
            _("直接用于建档立卡贫困户的资金不足：不得低于分配到村收益的 %(m)s（%(src)s）。分配到村 %(b)s，应至少 %(n)s，"
              "方案为 %(d)s（深度贫困户补助 %(s)s%(jobs)s），差 %(g)s")
            % {"m": percent(share_min.decimal), "src": share_min.cite, "b": yuan(base), "n": yuan(need), "d": yuan(direct),
               "s": yuan(by_kind[PVLineKind.SUBSIDY]),
               "jobs": (_("，公益岗位工资 %(j)s") % {"j": yuan(by_kind[PVLineKind.JOBS])}) if jobs_count else "",
               "g": yuan(need - direct)},
            code="household_share_below_minimum",
            details={"village_revenue": str(base), "household_total": str(direct), "minimum": str(need),
                     "minimum_share": str(share_min.decimal), "pack": share_min.pack})
    checks = {"rules": rules.pack_id, "household_total": str(direct), "household_minimum": str(need),
              "household_share_min": str(share_min.decimal), "jobs_count_as_household": jobs_count,
              "county_fund_share": str(rules.pv.get("county_fund_share", "0")), "pack": share_min.pack}
    if year == 2020:
        jobs_min = param(code, year, "pv_public_job_share_2020")
        need_jobs = (base * jobs_min.decimal).quantize(CENT)
        if by_kind[PVLineKind.JOBS] < need_jobs:
            raise ValidationFailed(
                _("2020 年光伏收益用于公益岗位不足：应不低于 %(m)s（%(src)s）。分配到村 %(b)s，应至少 %(n)s，方案为 %(j)s，差 %(g)s")
                % {"m": percent(jobs_min.decimal), "src": jobs_min.cite, "b": yuan(base), "n": yuan(need_jobs),
                   "j": yuan(by_kind[PVLineKind.JOBS]), "g": yuan(need_jobs - by_kind[PVLineKind.JOBS])},
                code="public_job_share_below_minimum",
                details={"village_revenue": str(base), "jobs_total": str(by_kind[PVLineKind.JOBS]),
                         "minimum": str(need_jobs)})
        checks["jobs_minimum"] = str(need_jobs)
    checks["by_kind"] = {k: str(v) for k, v in by_kind.items()}
    return checks


def plan_amounts(village: Area, year: int) -> tuple[Decimal, Decimal, Decimal]:
    revenue = village_revenue(village, year)
    if revenue <= 0:
        raise ValidationFailed(_("%(v)s %(y)s 年没有已结算的光伏收益，不能制定分配方案") % {"v": village.name, "y": year},
                               code="no_revenue")
    share = Decimal(str(rules_for(village.code, year).pv.get("county_fund_share", "0")))
    county = (revenue * share).quantize(CENT)
    return revenue, county, revenue - county


def _snapshot(p: PVPlan) -> dict:
    return {"status": p.status, "revenue": str(p.revenue), "village_revenue": str(p.village_revenue),
            "version": p.version}


def pv_plan_create(*, actor, village_code: str, year, lines) -> PVPlan:
    village = village_area(village_code, _("项目村"))
    allow(actor, "funds.edit", village.code)
    year = as_int(year, _("收益年度"), low=2000, high=2100)
    if PVPlan.objects.filter(village=village, year=year).exclude(status=PVPlanStatus.REJECTED).exists():
        raise ValidationFailed(_("%(v)s %(y)s 年已有光伏收益分配方案（每年一次，可修改）") % {"v": village.name, "y": year},
                               code="plan_exists")
    revenue, county, base = plan_amounts(village, year)
    rows = _clean_lines(village, year, lines)
    with transaction.atomic():
        plan = PVPlan(code=f"tmp-{uuid.uuid4().hex[:20]}", village=village, year=year, revenue=revenue,
                      county_fund=county, village_revenue=base, created_by=actor_or_none(actor))
        plan.checks = check_pv_plan(plan, rows)
        plan.rules_pack = plan.checks["rules"] + "；" + plan.checks["pack"]
        plan.save()
        plan.code = f"GFFP{year}-{plan.pk:05d}"
        plan.save(update_fields=["code"])
        for row in rows:
            row.plan = plan
        PVPlanLine.objects.bulk_create(rows)
        audit_event(actor=actor, action="funds.pv.plan_create", target=plan, area_code=village.code,
                    after={**_snapshot(plan), "lines": len(rows), "household_total": plan.checks["household_total"]})
    return plan


def pv_plan_update(*, actor, plan: PVPlan, version, lines) -> PVPlan:
    """Change a draft or returned plan (the revenue is re-read from the settlements); back to draft."""
    with transaction.atomic():
        p = PVPlan.objects.select_for_update().select_related("village").get(pk=plan.pk)
        allow(actor, "funds.edit", p.village.code)
        check_version(p, version)
        refuse_status(p, [PVPlanStatus.DRAFT, PVPlanStatus.REJECTED], _("修改"))
        before = _snapshot(p)
        p.revenue, p.county_fund, p.village_revenue = plan_amounts(p.village, p.year)
        rows = _clean_lines(p.village, p.year, lines)
        p.checks = check_pv_plan(p, rows)
        p.lines.all().delete()
        for row in rows:
            row.plan = p
        PVPlanLine.objects.bulk_create(rows)
        p.status, p.rejection_reason = PVPlanStatus.DRAFT, ""
        p.version += 1
        p.save()
        audit_event(actor=actor, action="funds.pv.plan_update", target=p, area_code=p.village.code, before=before,
                    after={**_snapshot(p), "lines": len(rows)})
    return p


STEPS = {
    # step: (action, allowed statuses, new status, date field, label)
    "decide": ("funds.edit", [PVPlanStatus.DRAFT], PVPlanStatus.DECIDED, "decided_on", "村民代表大会讨论通过"),
    "publicise": ("funds.edit", [PVPlanStatus.DECIDED], PVPlanStatus.PUBLICISED, "publicity_from", "公示"),
    "approve": ("funds.review", [PVPlanStatus.PUBLICISED], PVPlanStatus.APPROVED, "approved_on", "乡镇审核同意"),
    "file": ("funds.approve", [PVPlanStatus.APPROVED], PVPlanStatus.FILED, "filed_on", "县扶贫办备案"),
}


def pv_plan_step(*, actor, plan: PVPlan, step: str, on, version=None, reason: str = "") -> PVPlan:
    """One step of the plan; `reject` (退回) by the township needs a reason."""
    on = as_date(on, _("办理日期"))
    with transaction.atomic():
        p = PVPlan.objects.select_for_update().select_related("village").get(pk=plan.pk)
        if step == "reject":
            allow(actor, "funds.review", p.village.code)
            check_version(p, version)
            refuse_status(p, [PVPlanStatus.DECIDED, PVPlanStatus.PUBLICISED], _("退回"))
            if not str(reason or "").strip():
                raise ValidationFailed(_("请填写退回原因"), code="required")
            before = _snapshot(p)
            p.status, p.rejection_reason = PVPlanStatus.REJECTED, str(reason).strip()[:300]
        else:
            if step not in STEPS:
                raise ValidationFailed(_("未知操作：%(s)s") % {"s": step}, code="unknown_step")
            action, allowed, status, field, label = STEPS[step]
            allow(actor, action, p.village.code)
            check_version(p, version)
            refuse_status(p, allowed, _(label))
            p.checks = check_pv_plan(p, list(p.lines.all()))
            before = _snapshot(p)
            if step == "publicise":
                if on < p.decided_on:
                    raise ValidationFailed(_("公示不能早于村民代表大会（%(d)s）") % {"d": p.decided_on}, code="date_order")
                p.publicity_to = on + dt.timedelta(days=rules_for(p.village.code, p.year).plan_publicity_days - 1)
            if step == "approve" and on <= p.publicity_to:
                raise ValidationFailed(_("公示期至 %(d)s，公示期满后方可审核") % {"d": p.publicity_to},
                                       code="publicity_not_over")
            if step == "file" and on < p.approved_on:
                raise ValidationFailed(_("备案日期不能早于乡镇审核（%(d)s）") % {"d": p.approved_on}, code="date_order")
            p.status = status
            setattr(p, field, on)
        p.version += 1
        p.save()
        audit_event(actor=actor, action=f"funds.pv.plan_{step}", target=p, area_code=p.village.code, before=before,
                    after={**_snapshot(p), "on": on, "reason": reason or ""})
    return p
