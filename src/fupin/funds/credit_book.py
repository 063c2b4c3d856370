"""Figures of the microcredit book, computed from the loans and repayments: a loan's balance, a lender's
outstanding and bad-loan ratio (不良率), overdue warnings before and after the due date (逾期预警),
interest subsidies (贴息) and coverage (应贷尽贷)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from fupin.funds.models import CENT, ZERO, CreditDemand, Lender, Loan, LoanRepayment, LoanStatus
from fupin.funds.rules import rules_for

LIVE = (LoanStatus.DISBURSED,)


def outstanding(loan: Loan, as_of: dt.date | None = None) -> Decimal:
    if loan.status not in (LoanStatus.DISBURSED, LoanStatus.REPAID) or loan.approved_amount is None:
        return ZERO
    repaid = LoanRepayment.objects.filter(loan=loan)
    if as_of is not None:
        repaid = repaid.filter(paid_on__lte=as_of)
    return (loan.approved_amount - (repaid.aggregate(t=Sum("principal"))["t"] or ZERO)).quantize(CENT)


def interest_paid(loan: Loan) -> Decimal:
    """Interest paid within the term (the part the subsidy covers)."""
    rows = LoanRepayment.objects.filter(loan=loan)
    if loan.due_on:
        rows = rows.filter(paid_on__lte=loan.due_on)
    return (rows.aggregate(t=Sum("interest"))["t"] or ZERO).quantize(CENT)


def interest_subsidy(loan: Loan) -> Decimal:
    return (interest_paid(loan) * (loan.subsidy_rate or 0)).quantize(CENT)


def _balances(loans) -> dict[int, Decimal]:
    paid = dict(LoanRepayment.objects.filter(loan__in=loans).values("loan").annotate(t=Sum("principal"))
                .values_list("loan", "t"))
    return {x.pk: (x.approved_amount or ZERO) - (paid.get(x.pk) or ZERO) for x in loans}


def is_bad(loan: Loan, balance: Decimal, as_of: dt.date, npl_days: int) -> bool:
    return balance > 0 and loan.due_on is not None and (as_of - loan.due_on).days > npl_days


def lender_book(lender: Lender, as_of: dt.date) -> dict:
    """Outstanding and non-performing balances of a lender; NPL = overdue longer than the rules' days."""
    npl_days = int(rules_for(lender.area.code, as_of.year).credit["npl_overdue_days"])
    loans = list(Loan.objects.filter(lender=lender, status__in=LIVE))
    balances = _balances(loans)
    total = sum(balances.values(), ZERO)
    bad = sum((b for x in loans if is_bad(x, b := balances[x.pk], as_of, npl_days)), ZERO)
    ratio = (bad / total).quantize(Decimal("0.0001")) if total else Decimal("0")
    return {"outstanding": total, "non_performing": bad, "npl_ratio": ratio, "loans": len(loans)}


def warnings(loans, as_of: dt.date) -> list[dict]:
    """逾期预警: live loans due within the warning days, and loans past due with a balance."""
    loans = [x for x in loans if x.status in LIVE]
    balances = _balances(loans)
    out, by_code = [], {}
    for x in loans:
        code = x.village.code
        if code not in by_code:
            by_code[code] = rules_for(code, as_of.year).credit
        rules = by_code[code]
        balance = balances[x.pk]
        if balance <= 0 or x.due_on is None:
            continue
        days = (x.due_on - as_of).days
        if days < 0:
            level = "non_performing" if -days > int(rules["npl_overdue_days"]) else "overdue"
        elif days <= int(rules["warn_days_before_due"]):
            level = "due_soon"
        else:
            continue
        out.append({"loan": x, "level": level, "days": days, "balance": balance})
    return sorted(out, key=lambda w: w["days"])


WARNING_LABELS = {"due_soon": "即将到期", "overdue": "已逾期", "non_performing": "不良（逾期超过认定天数）"}


def coverage(demands, loans, year: int) -> dict:
    """应贷尽贷: willing households of the year, those with a loan, and those still without one."""
    willing = [d for d in demands if d.willing and d.year == year]
    borrowed = {x.household.household_number for x in loans if x.status in (LoanStatus.DISBURSED, LoanStatus.REPAID)
                and x.disbursed_on and x.disbursed_on.year <= year}
    missing = [d for d in willing if d.household.household_number not in borrowed]
    share = (Decimal(len(willing) - len(missing)) / len(willing)).quantize(Decimal("0.0001")) if willing else None
    return {"willing": len(willing), "with_loan": len(willing) - len(missing), "without": missing, "share": share}


def demands_of(qs_demands) -> list[CreditDemand]:
    return list(qs_demands.select_related("household", "village"))
