"""Arithmetic over the books: a project's balances by fund source and what the disbursement rule
allows, an asset's net value, and the yearly schedule of rent and dividends with what was received.

Pure reads shared by the services (which check against them inside their transaction) and the
selectors (which show them). Money is Decimal yuan throughout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from fupin.funds import catalogue
from fupin.funds.models import (
    ZERO,
    Asset,
    FundPosting,
    PostingKind,
    ProgressReport,
    Project,
    ProjectStatus,
)
from fupin.funds.rules import DisbursementStage, FundsRules, rules_for

CENT = Decimal("0.01")


def yuan(value: Decimal | int | None) -> str:
    """1234.5 → "1,234.50元" (how amounts appear in messages)."""
    return f"{Decimal(value or 0).quantize(CENT):,}元"


def percent(value: Decimal) -> str:
    return f"{(Decimal(value) * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP).normalize():f}%"


@dataclass
class SourceBalance:
    source: str
    planned: Decimal = ZERO
    allocated: Decimal = ZERO
    disbursed: Decimal = ZERO

    @property
    def label(self) -> str:
        return catalogue.source_label(self.source)

    @property
    def undisbursed(self) -> Decimal:
        return self.allocated - self.disbursed


@dataclass
class Payable:
    share: Decimal  # cumulative share of the base now payable
    amount: Decimal  # base × share
    stage: DisbursementStage | None  # the stage reached (None: none yet)
    opened_on: dt.date | None  # when that stage was reached
    next_stage: DisbursementStage | None
    rule: str


@dataclass
class Ledger:
    project: Project
    rows: list[SourceBalance] = field(default_factory=list)
    payable: Payable | None = None

    @property
    def planned(self) -> Decimal:
        return sum((r.planned for r in self.rows), ZERO)

    @property
    def allocated(self) -> Decimal:
        return sum((r.allocated for r in self.rows), ZERO)

    @property
    def disbursed(self) -> Decimal:
        return sum((r.disbursed for r in self.rows), ZERO)

    @property
    def undisbursed(self) -> Decimal:
        return self.allocated - self.disbursed

    @property
    def disbursable(self) -> Decimal:
        """What may still be paid now: the rule's payable amount less what was paid, never negative."""
        return max(ZERO, (self.payable.amount if self.payable else ZERO) - self.disbursed)

    def row(self, source: str) -> SourceBalance:
        for r in self.rows:
            if r.source == source:
                return r
        return SourceBalance(source)


def project_rules(project: Project) -> FundsRules:
    return rules_for(project.area.code, project.year)


def stage_opened_on(project: Project, stage: DisbursementStage) -> dt.date | None:
    """The date a disbursement stage was reached, or None if it has not been."""
    if stage.completed:
        if project.status in (ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED):
            return project.completed_on
        return None
    report = (ProgressReport.objects.filter(project=project, percent__gte=stage.progress)
              .order_by("reported_on", "id").first())
    return report.reported_on if report else None


def payable(project: Project, base: Decimal, rules: FundsRules | None = None) -> Payable:
    rules = rules or project_rules(project)
    reached, opened, following = None, None, None
    for stage in rules.disbursement_stages:
        on = stage_opened_on(project, stage)
        if on is not None:
            reached, opened = stage, on
        elif following is None:
            following = stage
    share = reached.share if reached else ZERO
    return Payable(share=share, amount=(base * share).quantize(CENT, rounding=ROUND_HALF_UP), stage=reached,
                   opened_on=opened, next_stage=following, rule=rules.describe_stages())


def project_ledger(project: Project, rules: FundsRules | None = None) -> Ledger:
    rows = {f.source: SourceBalance(f.source, planned=f.amount) for f in project.funds.all()}
    sums = (FundPosting.objects.filter(project=project).values("kind", "source").annotate(total=Sum("amount")))
    for s in sums:
        row = rows.setdefault(s["source"], SourceBalance(s["source"]))
        total = (s["total"] or ZERO).quantize(CENT)  # SQLite sums lose the scale
        if s["kind"] == PostingKind.ALLOCATION:
            row.allocated = total
        else:
            row.disbursed = total
    order = list(catalogue.fund_sources())
    ledger = Ledger(project, sorted(rows.values(), key=lambda r: order.index(r.source) if r.source in order else 99))
    ledger.payable = payable(project, ledger.allocated, rules)
    return ledger


# --- assets --------------------------------------------------------------------------------------

def full_years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year - (1 if (end.month, end.day) < (start.month, start.day) else 0)
    return max(0, years)


def net_value(asset: Asset, as_of: dt.date) -> Decimal:
    """目前净值: annual straight-line depreciation over the useful life, no residual value; a year counts
    once it is complete (booked at the annual inventory). Equity and debt (股权、债权) do not depreciate."""
    subtype = catalogue.asset_subtypes().get(asset.subtype)
    if subtype is not None and not subtype.depreciates:
        return asset.original_value
    years = min(full_years_between(asset.acquired_on, as_of), asset.useful_life_years)
    depreciation = (asset.original_value * years / asset.useful_life_years).quantize(CENT, rounding=ROUND_HALF_UP)
    return asset.original_value - depreciation


# --- yearly rent and dividends -------------------------------------------------------------------

def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Instalment:
    period_year: int
    due_on: dt.date
    expected: Decimal
    received: Decimal = ZERO
    received_on_time: Decimal = ZERO  # received by the due date plus the grace days
    last_received_on: dt.date | None = None

    @property
    def shortfall(self) -> Decimal:
        return max(ZERO, self.expected - self.received)


def schedule(agreement, as_of: dt.date, grace_days: int, *, amount_field: str) -> list[Instalment]:
    """The yearly instalments of a contract (rent) or an equity investment (dividend) that fell due by
    `as_of` (due date + grace passed), with what was received for each period year."""
    expected = getattr(agreement, amount_field)
    last_day = agreement.ended_on or agreement.ends_on
    out: list[Instalment] = []
    for k in range(agreement.term_years):
        due = add_years(agreement.first_due_on, k)
        if due > last_day or due + dt.timedelta(days=grace_days) > as_of:
            break
        out.append(Instalment(period_year=due.year, due_on=due, expected=expected))
    if not out:
        return out
    by_year = {i.period_year: i for i in out}
    grace = dt.timedelta(days=grace_days)
    for receipt in agreement.receipts.select_related("reverses").order_by("received_on", "id"):
        inst = by_year.get(receipt.period_year)
        if inst is None:
            continue
        inst.received += receipt.amount
        # A reversal takes back what its original counted, on time or not.
        counted_on = receipt.reverses.received_on if receipt.reverses_id else receipt.received_on
        if counted_on <= inst.due_on + grace:
            inst.received_on_time += receipt.amount
        if receipt.amount > 0:
            inst.last_received_on = receipt.received_on
    return out


def on_time(instalments: list[Instalment]) -> bool | None:
    """是否按期收取/按约定分红: None when nothing has fallen due yet."""
    if not instalments:
        return None
    return all(i.received_on_time >= i.expected for i in instalments)
