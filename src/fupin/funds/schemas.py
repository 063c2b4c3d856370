"""API shapes of the funds context. Money is a decimal string in yuan (exact); dates are ISO."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema

from fupin.areas.models import AreaLevel
from fupin.funds import catalogue
from fupin.funds.ledger import Ledger, net_value, on_time
from fupin.funds.models import Asset, DistributionPlan, EquityInvestment, FundPosting, Project


class FundRow(Schema):
    source: str
    amount: Decimal


class FundRowOut(FundRow):
    label: str


def fund_rows_out(rows) -> list[dict]:
    return [{"source": f.source, "label": catalogue.source_label(f.source), "amount": f.amount} for f in rows]


# --- projects ---------------------------------------------------------------------------------------

class ProjectIn(Schema):
    area_code: str
    name: str = ""
    catalogue_code: str = ""
    category: Literal["planting", "breeding", "forestry", "other"]
    mode: Literal["household", "township_village", "collective"]
    year: int
    village_meeting_on: dt.date
    funds: list[FundRow]
    scale: Decimal | None = None
    scale_unit: str = ""
    content: str = ""
    expected_benefit: str = ""
    linkage: str = ""
    households_driven: int = 0
    persons_driven: int = 0
    income_gain_per_capita: Decimal = Decimal(0)


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    category: str
    category_label: str
    mode: str
    mode_label: str
    area_code: str
    area_name: str
    year: int
    scale: Decimal | None
    scale_unit: str
    status: str
    status_label: str
    progress: int
    households_driven: int
    persons_driven: int
    income_gain_per_capita: Decimal
    village_meeting_on: dt.date
    township_reviewed_on: dt.date | None
    publicity_from: dt.date | None
    publicity_to: dt.date | None
    county_approved_on: dt.date | None
    completion_deadline: dt.date | None
    completed_on: dt.date | None
    township_accepted_on: dt.date | None
    accepted_on: dt.date | None
    in_library: bool
    version: int
    funds: list[FundRowOut]


class LedgerRowOut(Schema):
    source: str
    label: str
    planned: Decimal
    allocated: Decimal
    disbursed: Decimal


class PostingOut(Schema):
    id: int
    kind: str
    kind_label: str
    source: str
    source_label: str
    amount: Decimal
    posted_on: dt.date
    reference: str
    note: str
    rule: str
    reverses: int | None
    reversed: bool


class LedgerOut(Schema):
    rows: list[LedgerRowOut]
    planned: Decimal
    allocated: Decimal
    disbursed: Decimal
    payable_share: Decimal
    payable: Decimal
    disbursable: Decimal
    rule: str


class ProjectDetailOut(ProjectOut):
    content: str
    expected_benefit: str
    linkage: str
    rejection_reason: str
    ledger: LedgerOut
    postings: list[PostingOut]


def project_out(p: Project) -> dict:
    return {
        "id": p.pk, "code": p.code, "name": p.name, "category": p.category, "category_label": p.get_category_display(),
        "mode": p.mode, "mode_label": p.get_mode_display(), "area_code": p.area.code, "area_name": p.area.name,
        "year": p.year, "scale": p.scale, "scale_unit": p.scale_unit, "status": p.status,
        "status_label": p.get_status_display(), "progress": p.progress, "households_driven": p.households_driven,
        "persons_driven": p.persons_driven, "income_gain_per_capita": p.income_gain_per_capita,
        "village_meeting_on": p.village_meeting_on, "township_reviewed_on": p.township_reviewed_on,
        "publicity_from": p.publicity_from, "publicity_to": p.publicity_to, "county_approved_on": p.county_approved_on,
        "completion_deadline": p.completion_deadline, "completed_on": p.completed_on,
        "township_accepted_on": p.township_accepted_on, "accepted_on": p.accepted_on, "in_library": p.in_library,
        "version": p.version, "funds": fund_rows_out(p.funds.all()),
    }


def posting_out(x: FundPosting, reversed_ids: set[int]) -> dict:
    return {"id": x.pk, "kind": x.kind, "kind_label": x.get_kind_display(), "source": x.source,
            "source_label": catalogue.source_label(x.source), "amount": x.amount, "posted_on": x.posted_on,
            "reference": x.reference, "note": x.note, "rule": x.rule, "reverses": x.reverses_id,
            "reversed": x.pk in reversed_ids}


def ledger_out(ledger: Ledger) -> dict:
    return {"rows": [{"source": r.source, "label": r.label, "planned": r.planned, "allocated": r.allocated,
                      "disbursed": r.disbursed} for r in ledger.rows],
            "planned": ledger.planned, "allocated": ledger.allocated, "disbursed": ledger.disbursed,
            "payable_share": ledger.payable.share, "payable": ledger.payable.amount, "disbursable": ledger.disbursable,
            "rule": ledger.payable.rule}


class StepIn(Schema):
    on: dt.date
    version: int | None = None
    reason: str = ""


class ProgressIn(Schema):
    percent: int
    on: dt.date
    note: str = ""


class PostingIn(Schema):
    source: str
    amount: Decimal
    on: dt.date
    reference: str = ""
    note: str = ""


class ReverseIn(Schema):
    on: dt.date
    reason: str


# --- assets ---------------------------------------------------------------------------------------

class AssetIn(Schema):
    area_code: str
    name: str
    asset_type: Literal["operating", "public"]
    subtype: str
    acquisition: Literal["purchase", "self_built", "repair"]
    acquired_on: dt.date
    funded_year: int
    useful_life_years: int
    condition: Literal["good", "fairly_good", "sound", "poor"]
    funds: list[FundRow]
    custodian: str
    project_id: int | None = None
    scale: Decimal | None = None
    scale_unit: str = ""
    custodian_person: str = ""
    user_party: str = ""
    beneficiary_party: str = ""
    note: str = ""


class ContractOut(Schema):
    id: int
    kind: str
    kind_label: str
    counterparty: str
    term_years: int
    starts_on: dt.date
    ends_on: dt.date
    annual_amount: Decimal
    first_due_on: dt.date
    decided_on: dt.date
    township_filed_on: dt.date | None
    county_filed_on: dt.date | None
    status: str
    status_label: str
    ended_on: dt.date | None


class AssetOut(Schema):
    id: int
    code: str
    name: str
    asset_type: str
    asset_type_label: str
    subtype: str
    subtype_label: str
    area_code: str
    area_name: str
    owner_level: str
    acquisition: str
    acquired_on: dt.date
    funded_year: int
    useful_life_years: int
    condition: str
    condition_label: str
    original_value: Decimal
    net_value: Decimal
    custodian: str
    status: str
    status_label: str
    version: int
    funds: list[FundRowOut]


class AssetDetailOut(AssetOut):
    contracts: list[ContractOut]
    rent_on_time: bool | None


def contract_out(c) -> dict:
    return {"id": c.pk, "kind": c.kind, "kind_label": c.get_kind_display(), "counterparty": c.counterparty,
            "term_years": c.term_years, "starts_on": c.starts_on, "ends_on": c.ends_on, "annual_amount": c.annual_amount,
            "first_due_on": c.first_due_on, "decided_on": c.decided_on, "township_filed_on": c.township_filed_on,
            "county_filed_on": c.county_filed_on, "status": c.status, "status_label": c.get_status_display(),
            "ended_on": c.ended_on}


def asset_out(a: Asset, as_of: dt.date) -> dict:
    return {"id": a.pk, "code": a.code, "name": a.name, "asset_type": a.asset_type,
            "asset_type_label": a.get_asset_type_display(), "subtype": a.subtype,
            "subtype_label": catalogue.subtype_label(a.subtype), "area_code": a.area.code, "area_name": a.area.name,
            "owner_level": "village" if a.area.level == AreaLevel.VILLAGE else "township", "acquisition": a.acquisition,
            "acquired_on": a.acquired_on, "funded_year": a.funded_year, "useful_life_years": a.useful_life_years,
            "condition": a.condition, "condition_label": a.get_condition_display(), "original_value": a.original_value,
            "net_value": net_value(a, as_of), "custodian": a.custodian, "status": a.status,
            "status_label": a.get_status_display(), "version": a.version, "funds": fund_rows_out(a.funds.all())}


class ContractIn(Schema):
    kind: Literal["lease", "contract", "operation"]
    counterparty: str
    term_years: int
    starts_on: dt.date
    annual_amount: Decimal
    decided_on: dt.date
    first_due_on: dt.date | None = None


class ReceiptIn(Schema):
    period_year: int
    amount: Decimal
    received_on: dt.date
    reference: str = ""
    note: str = ""


class ReceiptOut(Schema):
    id: int
    kind: str
    period_year: int
    amount: Decimal
    received_on: dt.date


class InventoryIn(Schema):
    year: int
    checked_on: dt.date
    condition: Literal["good", "fairly_good", "sound", "poor"]
    matches_books: bool
    note: str = ""


class InventoryOut(Schema):
    id: int
    year: int
    net_value: Decimal
    income: Decimal
    matches_books: bool


class PledgeIn(Schema):
    creditor: str = ""
    amount: Decimal | None = None


class DisposalIn(Schema):
    reason: Literal["disaster", "planning", "unusable", "end_of_life"]
    on: dt.date
    note: str = ""


class DisposalOut(Schema):
    id: int
    status: str
    status_label: str


# --- equity -----------------------------------------------------------------------------------------

class EquityIn(Schema):
    area_code: str
    year: int
    investee: str
    direction: Literal["enterprise", "cooperative", "large_household", "leader", "other"]
    business: str
    funds: list[FundRow]
    term_years: int
    starts_on: dt.date
    annual_dividend: Decimal
    decided_on: dt.date
    first_due_on: dt.date | None = None
    township_filed_on: dt.date | None = None
    note: str = ""


class EquityOut(Schema):
    id: int
    code: str
    area_code: str
    area_name: str
    year: int
    investee: str
    direction: str
    direction_label: str
    business: str
    amount: Decimal
    term_years: int
    starts_on: dt.date
    ends_on: dt.date
    annual_dividend: Decimal
    status: str
    dividends_as_agreed: bool | None
    funds: list[FundRowOut]


def equity_out(e: EquityInvestment, instalments) -> dict:
    return {"id": e.pk, "code": e.code, "area_code": e.area.code, "area_name": e.area.name, "year": e.year,
            "investee": e.investee, "direction": e.direction, "direction_label": e.get_direction_display(),
            "business": e.business, "amount": e.amount, "term_years": e.term_years, "starts_on": e.starts_on,
            "ends_on": e.ends_on, "annual_dividend": e.annual_dividend, "status": e.status,
            "dividends_as_agreed": on_time(instalments), "funds": fund_rows_out(e.funds.all())}


# --- distribution -----------------------------------------------------------------------------------

class LineIn(Schema):
    kind: Literal["household", "collective", "public_welfare", "reserve", "other"]
    amount: Decimal
    household: int | None = None
    village: str = ""
    note: str = ""


class PlanIn(Schema):
    area_code: str
    year: int
    title: str
    income_total: Decimal
    lines: list[LineIn]
    note: str = ""


class LineOut(Schema):
    kind: str
    kind_label: str
    village_code: str
    village_name: str
    household_id: int | None
    household_number: str
    amount: Decimal
    note: str


class PlanOut(Schema):
    id: int
    code: str
    area_code: str
    area_name: str
    year: int
    title: str
    income_total: Decimal
    household_total: Decimal
    status: str
    status_label: str
    decided_on: dt.date | None
    publicity_from: dt.date | None
    publicity_to: dt.date | None
    reviewed_on: dt.date | None
    approved_on: dt.date | None
    paid_on: dt.date | None
    rules_pack: str
    version: int


class PlanDetailOut(PlanOut):
    lines: list[LineOut]


def plan_out(p: DistributionPlan, lines=None) -> dict:
    lines = list(lines if lines is not None else p.lines.select_related("village", "household"))
    out = {"id": p.pk, "code": p.code, "area_code": p.area.code, "area_name": p.area.name, "year": p.year,
           "title": p.title, "income_total": p.income_total,
           "household_total": sum((ln.amount for ln in lines if ln.kind == "household"), Decimal("0.00")),
           "status": p.status, "status_label": p.get_status_display(), "decided_on": p.decided_on,
           "publicity_from": p.publicity_from, "publicity_to": p.publicity_to, "reviewed_on": p.reviewed_on,
           "approved_on": p.approved_on, "paid_on": p.paid_on, "rules_pack": p.rules_pack, "version": p.version}
    out["lines"] = [{"kind": ln.kind, "kind_label": ln.get_kind_display(), "village_code": ln.village.code,
                     "village_name": ln.village.name, "household_id": ln.household_id,
                     "household_number": ln.household.household_number if ln.household else "", "amount": ln.amount,
                     "note": ln.note} for ln in lines]
    return out


class HouseholdShareOut(Schema):
    plan_id: int
    plan_code: str
    plan_title: str
    year: int
    owner: str
    amount: Decimal
    status: str
    paid_on: dt.date | None


class FindingOut(Schema):
    kind: str
    kind_label: str
    area_code: str
    area_name: str
    subject: str
    subject_id: int
    subject_label: str
    message: str
    rule: str
    numbers: dict


class CatalogueOut(Schema):
    fund_sources: list[dict]
    project_names: list[dict]
    asset_subtypes: list[dict]
    negative_list: list[dict]
