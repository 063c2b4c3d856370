"""扶贫小额信贷 (000 L8795「持有效证件」): apply → 乡镇审核备案 → 银行审批 → 发放 → 还款.

* The application is checked by the pack's rule `microcredit_eligible` (registered household, age ≥ 18,
  age + term ≤ 60, amount ≤ 50,000, term ≤ 3 years, no other outstanding loan, production use) and
  refused with the rule's explanation; a loan still outstanding in this ledger counts as "其他存量贷款".
* A lender stops lending when its bad-loan ratio exceeds `loan_npl_stop_rate` (3%) and resumes only
  after consultation with the county (000 L8871「过 3%时，应停止发放扶贫小额信贷」); the loans outstanding
  never exceed `loan_pool_multiple` (10) × the risk compensation fund (000 L8773「10 倍放大」).
* Interest within the term is subsidised at `loan_interest_subsidy_rate` (全额贴息).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.areas.models import AreaLevel
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds.codes import loan_code
from fupin.funds.credit_book import lender_book, outstanding
from fupin.funds.ledger import percent, yuan
from fupin.funds.models import CreditDemand, Lender, Loan, LoanRepayment, LoanStatus
from fupin.funds.params import pack_for, param
from fupin.registry.models import Household, Person

from ._common import actor_or_none, allow, as_date, as_int, as_money, check_version, refuse_status
from .pv import as_number


def lender_register(*, actor, county_code: str, name: str, risk_fund) -> Lender:
    from fupin.areas.models import Area

    area = Area.objects.current().filter(code=str(county_code).ljust(12, "0")).first()
    if area is None or area.level != AreaLevel.COUNTY:
        raise ValidationFailed(_("服务县“%(c)s”不是县级区划") % {"c": county_code}, code="owner_level")
    allow(actor, "funds.approve", area.code)
    name = str(name or "").strip()
    if not name:
        raise ValidationFailed(_("请填写机构名称"), code="required")
    with transaction.atomic():
        if Lender.objects.filter(area=area, name=name).exists():
            raise ValidationFailed(_("机构“%(n)s”已登记") % {"n": name}, code="duplicate")
        lender = Lender.objects.create(area=area, name=name[:100], risk_fund=as_money(risk_fund, _("风险补偿金")))
        audit_event(actor=actor, action="funds.credit.lender", target=lender, area_code=area.code,
                    after={"name": name, "risk_fund": str(lender.risk_fund)})
    return lender


def demand_record(*, actor, household_id, year, willing: bool, project: str = "") -> CreditDemand:
    """贷款意愿: whether a registered household wants a loan for production this year."""
    household = Household.objects.select_related("village").filter(pk=household_id).first()
    if household is None:
        raise ValidationFailed(_("找不到户（%(h)s）") % {"h": household_id}, code="unknown_household")
    allow(actor, "funds.edit", household.village.code)
    year = as_int(year, _("年度"), low=2000, high=2100)
    with transaction.atomic():
        demand, _created = CreditDemand.objects.update_or_create(
            household=household, year=year,
            defaults={"village": household.village, "willing": bool(willing), "project": str(project or "")[:100],
                      "recorded_on": clock.today()})
        audit_event(actor=actor, action="funds.credit.demand", target=demand, area_code=household.village.code,
                    after={"household": household.household_number, "year": year, "willing": bool(willing)})
    return demand


def eligibility(person: Person, *, amount: Decimal, term_years: Decimal, applied_on: dt.date,
                for_production: bool, other_outstanding: bool) -> dict:
    """The pack's `microcredit_eligible` for the borrower's household and the application."""
    from fupin.policy.engine import evaluate_household
    from fupin.policy.households import household_record

    household = person.household
    pack = pack_for(household.village.code, applied_on.year)
    record = household_record(household)
    record.update(loan_applicant_birth_date=person.birth_date, loan_application_date=applied_on,
                  loan_amount=float(amount), loan_term_years=float(term_years),
                  loan_has_other_outstanding=bool(other_outstanding), loan_for_production=bool(for_production))
    decision = evaluate_household(pack, record, as_of=applied_on, rules=["microcredit_eligible"])["microcredit_eligible"]
    shown = decision.as_dict(explain=True)
    rule = next(r for r in pack.rules if r.id == "microcredit_eligible")
    titles = {c.id: c.title for c in getattr(rule, "clauses", [])}
    failing = [titles.get(k, k) for k, v in decision.clauses.items() if v is False]
    return {"pack": pack.key, "eligible": decision.status == "ok" and decision.value is True, "failing": failing,
            "error": shown.get("error"), "clauses": shown.get("clauses", {}), "reasons": shown.get("reasons", [])}


def loan_apply(*, actor, borrower_id, lender_id, amount, term_years, purpose: str, for_production: bool = True,
               other_outstanding: bool = False, applied_on=None) -> Loan:
    person = Person.objects.select_related("household__village").filter(pk=borrower_id).first()
    if person is None:
        raise ValidationFailed(_("找不到借款人（%(p)s）") % {"p": borrower_id}, code="unknown_person")
    village = person.household.village
    allow(actor, "funds.edit", village.code)
    lender = Lender.objects.filter(pk=lender_id).first()
    if lender is None or not village.code.startswith(lender.area.prefix):
        raise ValidationFailed(_("贷款机构（%(l)s）不服务%(v)s") % {"l": lender_id, "v": village.name}, code="unknown_lender")
    amount = as_money(amount, _("申请金额"))
    term = as_number(term_years, _("授信期限（年）"))
    purpose = str(purpose or "").strip()
    if not purpose:
        raise ValidationFailed(_("请填写贷款用途（生产经营项目）"), code="required")
    applied_on = as_date(applied_on or clock.today(), _("申请日期"))
    # 借款人无其他存量贷款: what the borrower says, and any loan of the household still outstanding here
    existing = Loan.objects.filter(household__household_number=person.household.household_number,
                                   status__in=[LoanStatus.APPROVED, LoanStatus.REVIEWED, LoanStatus.APPLIED,
                                               LoanStatus.DISBURSED])
    check = eligibility(person, amount=amount, term_years=term, applied_on=applied_on, for_production=for_production,
                        other_outstanding=bool(other_outstanding) or existing.exists())
    if not check["eligible"]:
        raise ValidationFailed(
            _("不符合扶贫小额信贷准入条件（%(p)s 规则 microcredit_eligible）：%(f)s")
            % {"p": check["pack"], "f": "、".join(check["failing"]) or check.get("error") or "—"},
            code="loan_not_eligible", details=check)
    with transaction.atomic():
        loan = Loan.objects.create(
            code=f"tmp-{uuid.uuid4().hex[:20]}", household=person.household, borrower=person, village=village,
            lender=lender, amount=amount, term_years=term, purpose=purpose[:200], applied_on=applied_on,
            eligibility=check, rules_pack=check["pack"], created_by=actor_or_none(actor))
        loan.code = loan_code(applied_on.year, loan.pk)
        loan.save(update_fields=["code"])
        audit_event(actor=actor, action="funds.credit.apply", target=loan, area_code=village.code,
                    after={"amount": str(amount), "term_years": str(term), "lender": lender.name})
    return loan


def _locked(loan: Loan, actor, action: str, version, allowed, doing: str) -> Loan:
    x = Loan.objects.select_for_update().select_related("village", "lender__area", "household").get(pk=loan.pk)
    allow(actor, action, x.village.code)
    check_version(x, version)
    refuse_status(x, allowed, doing)
    return x


def _save(x: Loan, actor, action: str, **after) -> Loan:
    x.version += 1
    x.save()
    audit_event(actor=actor, action=action, target=x, area_code=x.village.code,
                after={"status": x.status, **{k: str(v) for k, v in after.items()}})
    return x


def loan_review(*, actor, loan: Loan, on, version=None) -> Loan:
    """乡镇审核备案 (with the lender), filed with the county 扶贫办."""
    on = as_date(on, _("审核日期"))
    with transaction.atomic():
        x = _locked(loan, actor, "funds.review", version, [LoanStatus.APPLIED], _("审核"))
        if on < x.applied_on:
            raise ValidationFailed(_("审核日期不能早于申请日期"), code="date_order")
        x.status, x.reviewed_on = LoanStatus.REVIEWED, on
        return _save(x, actor, "funds.credit.review", on=on)


def loan_approve(*, actor, loan: Loan, on, amount, annual_rate, credit_score=None, version=None) -> Loan:
    """银行审批: the lender's amount (by its credit score) at the benchmark rate."""
    on = as_date(on, _("审批日期"))
    amount = as_money(amount, _("审定金额"))
    rate = as_number(annual_rate, _("年利率"), places=5)
    if rate >= 1:
        raise ValidationFailed(_("年利率应写成小数，如 0.0435"), code="bad_rate")
    with transaction.atomic():
        x = _locked(loan, actor, "funds.approve", version, [LoanStatus.REVIEWED], _("审批"))
        if amount > x.amount:
            raise ValidationFailed(_("审定金额 %(a)s 超过申请金额 %(b)s") % {"a": yuan(amount), "b": yuan(x.amount)},
                                   code="amount_over_application")
        if on < x.reviewed_on:
            raise ValidationFailed(_("审批日期不能早于乡镇审核日期"), code="date_order")
        subsidy = param(x.village.code, x.applied_on.year, "loan_interest_subsidy_rate")
        x.status, x.approved_on, x.approved_amount, x.annual_rate = LoanStatus.APPROVED, on, amount, rate
        x.subsidy_rate = subsidy.decimal
        x.credit_score = as_int(credit_score, _("信用评分"), high=1000) if credit_score not in (None, "") else None
        return _save(x, actor, "funds.credit.approve", amount=amount, rate=rate)


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def loan_disburse(*, actor, loan: Loan, on, version=None) -> Loan:
    """发放: refused while the lender's bad-loan ratio is over the stop rate (or it has not resumed after
    consultation) and when the pool (risk fund × multiple) would be exceeded."""
    on = as_date(on, _("发放日期"))
    lender = loan.lender
    code = loan.village.code
    stop = param(code, on.year, "loan_npl_stop_rate")
    multiple = param(code, on.year, "loan_pool_multiple")
    book = lender_book(lender, on)
    if book["npl_ratio"] > stop.decimal:
        Lender.objects.filter(pk=lender.pk, suspended_on__isnull=True).update(suspended_on=on)
        audit_event(actor=actor, action="funds.credit.suspend", target=lender, area_code=lender.area.code,
                    after={"npl_ratio": str(book["npl_ratio"])})
    lender.refresh_from_db()
    if book["npl_ratio"] > stop.decimal or lender.suspended:
        raise ValidationFailed(
            _("%(l)s 不良贷款率 %(r)s，超过 %(s)s 时停止发放；回落后须与县扶贫办协商恢复（%(src)s）")
            % {"l": lender.name, "r": percent(book["npl_ratio"]), "s": percent(stop.decimal), "src": stop.cite},
            code="lending_suspended", details={k: str(v) for k, v in book.items()})
    with transaction.atomic():
        x = _locked(loan, actor, "funds.approve", version, [LoanStatus.APPROVED], _("发放"))
        if on < x.approved_on:
            raise ValidationFailed(_("发放日期不能早于银行审批日期"), code="date_order")
        pool = (lender.risk_fund * multiple.decimal).quantize(Decimal("0.01"))
        if book["outstanding"] + x.approved_amount > pool:
            raise ValidationFailed(
                _("贷款余额 %(o)s 加本笔 %(a)s 将超过风险补偿金 %(f)s 的 %(m)s 倍（%(p)s）")
                % {"o": yuan(book["outstanding"]), "a": yuan(x.approved_amount), "f": yuan(lender.risk_fund),
                   "m": multiple.value, "p": yuan(pool)}, code="loan_pool_exceeded")
        x.status, x.disbursed_on = LoanStatus.DISBURSED, on
        x.due_on = _add_months(on, int(round(x.term_years * 12)))
        return _save(x, actor, "funds.credit.disburse", on=on, due_on=x.due_on)


def loan_refuse(*, actor, loan: Loan, on, reason: str, version=None) -> Loan:
    on = as_date(on, _("日期"))
    if not str(reason or "").strip():
        raise ValidationFailed(_("请填写不予贷款原因"), code="required")
    with transaction.atomic():
        x = Loan.objects.select_for_update().select_related("village").get(pk=loan.pk)
        allow(actor, "funds.review" if x.status == LoanStatus.APPLIED else "funds.approve", x.village.code)
        check_version(x, version)
        refuse_status(x, [LoanStatus.APPLIED, LoanStatus.REVIEWED, LoanStatus.APPROVED], _("不予贷款"))
        x.status, x.refusal_reason, x.closed_on = LoanStatus.REFUSED, str(reason).strip()[:300], on
        return _save(x, actor, "funds.credit.refuse", reason=reason)


def repayment_record(*, actor, loan: Loan, paid_on, principal, interest=0) -> LoanRepayment:
    paid_on = as_date(paid_on, _("还款日期"))
    principal = as_money(principal, _("归还本金"), allow_zero=True)
    interest = as_money(interest, _("支付利息"), allow_zero=True)
    if principal == 0 and interest == 0:
        raise ValidationFailed(_("本金和利息不能都为0"), code="amount_not_positive")
    with transaction.atomic():
        x = Loan.objects.select_for_update().select_related("village").get(pk=loan.pk)
        allow(actor, "funds.edit", x.village.code)
        if x.status != LoanStatus.DISBURSED:
            raise Conflict(_("当前状态“%(s)s”不能登记还款") % {"s": x.get_status_display()}, code="bad_status")
        if paid_on < x.disbursed_on:
            raise ValidationFailed(_("还款日期不能早于发放日期（%(d)s）") % {"d": x.disbursed_on}, code="date_order")
        left = outstanding(x)
        if principal > left:
            raise ValidationFailed(_("归还本金 %(p)s 超过贷款余额 %(l)s") % {"p": yuan(principal), "l": yuan(left)},
                                   code="repayment_over_balance")
        row = LoanRepayment.objects.create(loan=x, paid_on=paid_on, principal=principal, interest=interest,
                                           created_by=actor_or_none(actor))
        if principal == left:
            x.status, x.closed_on = LoanStatus.REPAID, paid_on
            x.version += 1
            x.save()
        audit_event(actor=actor, action="funds.credit.repay", target=x, area_code=x.village.code,
                    after={"principal": str(principal), "interest": str(interest), "status": x.status})
    return row


def repayment_reverse(*, actor, repayment: LoanRepayment, reason: str) -> LoanRepayment:
    if not str(reason or "").strip():
        raise ValidationFailed(_("请填写冲正原因"), code="required")
    with transaction.atomic():
        r = LoanRepayment.objects.select_for_update().select_related("loan__village").get(pk=repayment.pk)
        allow(actor, "funds.edit", r.loan.village.code)
        if r.reverses_id or LoanRepayment.objects.filter(reverses=r).exists():
            raise Conflict(_("该记录已冲正或本身是冲正记录"), code="already_reversed")
        row = LoanRepayment.objects.create(loan=r.loan, paid_on=clock.today(), principal=-r.principal,
                                           interest=-r.interest, reverses=r, created_by=actor_or_none(actor))
        loan = r.loan
        if loan.status == LoanStatus.REPAID:
            loan.status, loan.closed_on = LoanStatus.DISBURSED, None
            loan.version += 1
            loan.save()
        audit_event(actor=actor, action="funds.credit.repay_reverse", target=loan, area_code=loan.village.code,
                    after={"repayment": r.pk, "reason": str(reason)[:200]})
    return row


def lender_resume(*, actor, lender: Lender, on, version=None) -> Lender:
    """协商恢复: once the ratio is back within the stop rate, the county records the consultation."""
    on = as_date(on, _("协商日期"))
    with transaction.atomic():
        x = Lender.objects.select_for_update().select_related("area").get(pk=lender.pk)
        allow(actor, "funds.approve", x.area.code)
        check_version(x, version)
        if not x.suspended:
            raise Conflict(_("%(l)s 未停止发放") % {"l": x.name}, code="bad_status")
        stop = param(x.area.code, on.year, "loan_npl_stop_rate")
        book = lender_book(x, on)
        if book["npl_ratio"] > stop.decimal:
            raise ValidationFailed(_("不良贷款率 %(r)s 仍超过 %(s)s，不能恢复发放") % {
                "r": percent(book["npl_ratio"]), "s": percent(stop.decimal)}, code="npl_still_high")
        x.resumed_on = on
        x.version += 1
        x.save()
        audit_event(actor=actor, action="funds.credit.resume", target=x, area_code=x.area.code,
                    after={"resumed_on": on, "npl_ratio": str(book["npl_ratio"])})
    return x
