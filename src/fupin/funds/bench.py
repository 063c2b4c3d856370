"""`fupin bench credit`: a lender's bad-loan ratio (不良率) and the overdue warnings (逾期预警) over N
microloans, against a per-loan loop over the same data in the same run.

N households of Zhangwu are generated into a free registry year (not timed); one member of each gets a
disbursed loan with a due date spread over two years around the as-of date, and most get a repayment.
The figure is `credit_book.lender_book` + `credit_book.warnings` (one grouped query for the balances);
the `per_loan_loop` baseline asks each loan's balance with one query per loan (`credit_book.outstanding`),
as a naive page would. Both must agree. Everything the run wrote is deleted afterwards.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from fupin.core.bench import BenchResult, Stopwatch, Timing, benchmark

COUNTY = "210922"
AS_OF = dt.date(2020, 12, 31)


def _prepare():
    from fupin.areas.models import Area
    from fupin.areas.services import areas_load
    from fupin.registry.dictionaries import dictionaries_load
    from fupin.registry.models import Dictionary

    if not Area.objects.current().filter(code=COUNTY.ljust(12, "0")).exists():
        areas_load(actor=None, province=COUNTY[:2], within=[COUNTY])
    if not Dictionary.objects.exists():
        dictionaries_load(actor=None)


def _free_year() -> int:
    from fupin.registry.models import Household

    used = set(Household.objects.values_list("year", flat=True).distinct())
    return next(y for y in range(2089, 2000, -1) if y not in used)


def _populate(year: int, size: int):
    from fupin.areas.models import Area
    from fupin.funds.models import Lender, Loan, LoanRepayment, LoanStatus
    from fupin.registry.bulk import registry_generate_db
    from fupin.registry.models import Person

    registry_generate_db(actor=None, county_code=COUNTY, households=size, seed=11, year=year)
    lender = Lender.objects.create(area=Area.objects.current().get(code=COUNTY.ljust(12, "0")),
                                   name=f"bench-{year}", risk_fund=Decimal("100000000"))
    rng = random.Random(size)
    loans, seen = [], set()
    for p in Person.objects.filter(year=year).select_related("household").order_by("household_id", "pk"):
        if p.household_id in seen:
            continue
        seen.add(p.household_id)
        amount = Decimal(rng.choice([10000, 20000, 30000, 50000]))
        due = AS_OF + dt.timedelta(days=rng.randrange(-400, 400))
        loans.append(Loan(code=f"B{year}-{len(loans):07d}", household=p.household, borrower=p,
                          village_id=p.household.village_id, lender=lender, amount=amount, approved_amount=amount,
                          term_years=Decimal(1), purpose="bench", applied_on=due - dt.timedelta(days=380),
                          status=LoanStatus.DISBURSED, disbursed_on=due - dt.timedelta(days=365), due_on=due,
                          annual_rate=Decimal("0.0435"), subsidy_rate=Decimal(1)))
    loans = Loan.objects.bulk_create(loans, batch_size=2000)
    repayments = [LoanRepayment(loan=x, paid_on=x.disbursed_on + dt.timedelta(days=30),
                                principal=(x.approved_amount * Decimal(rng.choice([0, 0.5, 1]))).quantize(Decimal("0.01")),
                                interest=Decimal("100.00")) for x in loans if rng.random() < 0.8]
    LoanRepayment.objects.bulk_create(repayments, batch_size=2000)
    return lender


@benchmark("credit", default_size=20_000, help="microcredit bad-loan ratio and overdue warnings vs a per-loan loop")
def run(size: int, **_options) -> BenchResult:
    from fupin.funds import credit_book
    from fupin.funds.models import Lender, Loan, LoanRepayment
    from fupin.funds.rules import rules_for
    from fupin.registry.models import Household, RegistryYear

    _prepare()
    year = _free_year()
    lender = _populate(year, size)
    try:
        npl_days = int(rules_for(lender.area.code, AS_OF.year).credit["npl_overdue_days"])
        with Stopwatch() as ours:
            book = credit_book.lender_book(lender, AS_OF)
            warned = credit_book.warnings(list(Loan.objects.filter(lender=lender).select_related("village")), AS_OF)
        with Stopwatch() as loop:
            total = bad = Decimal(0)
            for x in Loan.objects.filter(lender=lender):
                balance = credit_book.outstanding(x)
                total += balance
                bad += balance if credit_book.is_bad(x, balance, AS_OF, npl_days) else 0
        assert (total, bad) == (book["outstanding"], book["non_performing"]), (total, bad, book)
        loans = book["loans"]
        return BenchResult(result=Timing(ours.seconds, loans), baselines={"per_loan_loop": Timing(loop.seconds, loans)},
                           extra={"loans": loans, "npl_ratio": str(book["npl_ratio"]), "warnings": len(warned)})
    finally:
        LoanRepayment.objects.filter(loan__lender=lender).delete()
        Loan.objects.filter(lender=lender).delete()
        Lender.objects.filter(pk=lender.pk).delete()
        Household.objects.filter(year=year).delete()
        RegistryYear.objects.filter(year=year).delete()
