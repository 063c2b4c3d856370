"""API shapes of the PV, public-welfare job, microcredit and workshop records (money: decimal yuan)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema


class StationIn(Schema):
    village_code: str
    name: str
    capacity_kw: Decimal
    investment: Decimal
    grid_on: dt.date
    land_type: Literal["wasteland", "construction"]
    land_area_mu: Decimal
    land_rent_per_mu: Decimal
    funding: Literal["fiscal", "donated"] = "fiscal"
    builder: str = ""


class StationPatch(Schema):
    version: int
    land_rent_per_mu: Decimal | None = None
    land_area_mu: Decimal | None = None
    capacity_kw: Decimal | None = None
    builder: str | None = None


class StationOut(Schema):
    id: int
    code: str
    name: str
    village_code: str
    village_name: str
    capacity_kw: Decimal
    investment: Decimal
    funding: str
    grid_on: dt.date
    land_type: str
    land_area_mu: Decimal
    land_rent_per_mu: Decimal
    version: int


def station_out(s) -> dict:
    return {"id": s.pk, "code": s.code, "name": s.name, "village_code": s.village.code, "village_name": s.village.name,
            "capacity_kw": s.capacity_kw, "investment": s.investment, "funding": s.funding, "grid_on": s.grid_on,
            "land_type": s.land_type, "land_area_mu": s.land_area_mu, "land_rent_per_mu": s.land_rent_per_mu,
            "version": s.version}


class SettlementIn(Schema):
    year: int
    month: int
    kwh: Decimal
    unit_price: Decimal
    taxes: Decimal = Decimal(0)
    om_cost: Decimal = Decimal(0)
    land_rent: Decimal = Decimal(0)
    settled_on: dt.date
    reference: str = ""


class SettlementOut(Schema):
    id: int
    station_id: int
    year: int
    month: int
    kwh: Decimal
    unit_price: Decimal
    gross: Decimal
    taxes: Decimal
    om_cost: Decimal
    land_rent: Decimal
    net: Decimal
    settled_on: dt.date
    reverses_id: int | None


class ReasonIn(Schema):
    reason: str
    on: dt.date | None = None


class RecipientIn(Schema):
    household_id: int
    year: int
    reason: str
    major_disaster_loss: bool = False
    assembly_recognised: bool = False
    lonely_elderly: list[int] = []
    orphan: list[int] = []
    recognised_major_disease: list[int] = []


class RecipientOut(Schema):
    id: int
    household_id: int
    household_number: str
    village_code: str
    year: int
    status: str
    review_id: int | None
    conditions: list[str]


def recipient_out(r) -> dict:
    return {"id": r.pk, "household_id": r.household_id, "household_number": r.household.household_number,
            "village_code": r.village.code, "year": r.year, "status": r.status, "review_id": r.review_id,
            "conditions": r.conditions}


class PVLineIn(Schema):
    kind: Literal["subsidy", "jobs", "public_works", "reward", "reserve"]
    amount: Decimal
    household: int | None = None
    note: str = ""


class PVPlanIn(Schema):
    village_code: str
    year: int
    lines: list[PVLineIn]


class PVPlanPatch(Schema):
    version: int
    lines: list[PVLineIn]


class PVPlanOut(Schema):
    id: int
    code: str
    village_code: str
    village_name: str
    year: int
    revenue: Decimal
    county_fund: Decimal
    village_revenue: Decimal
    status: str
    status_label: str
    version: int
    checks: dict
    lines: list[dict]


def pv_plan_out(p) -> dict:
    return {"id": p.pk, "code": p.code, "village_code": p.village.code, "village_name": p.village.name, "year": p.year,
            "revenue": p.revenue, "county_fund": p.county_fund, "village_revenue": p.village_revenue,
            "status": p.status, "status_label": p.get_status_display(), "version": p.version, "checks": p.checks,
            "lines": [{"kind": ln.kind, "amount": str(ln.amount), "household": ln.household_id, "note": ln.note}
                      for ln in p.lines.all()]}


class JobIn(Schema):
    village_code: str
    job_type: str
    holder_id: int
    monthly_pay: Decimal
    starts_on: dt.date
    funding: Literal["pv", "other"] = "pv"
    contract_no: str = ""
    age_exception: str = ""


class JobOut(Schema):
    id: int
    code: str
    village_code: str
    job_type: str
    job_type_label: str
    funding: str
    holder_name: str
    holder_id_number: str
    monthly_pay: Decimal
    starts_on: dt.date
    ends_on: dt.date | None
    status: str
    version: int


class AttendanceIn(Schema):
    year: int
    month: int
    days: int


class PaymentIn(Schema):
    year: int
    month: int
    amount: Decimal
    paid_on: dt.date
    payee_id: int | None = None


class EntryOut(Schema):
    id: int
    year: int
    month: int
    value: Decimal
    reverses_id: int | None


class LenderIn(Schema):
    county_code: str
    name: str
    risk_fund: Decimal


class LenderOut(Schema):
    id: int
    name: str
    county_code: str
    risk_fund: Decimal
    outstanding: Decimal
    non_performing: Decimal
    npl_ratio: Decimal
    suspended: bool
    version: int


class DemandIn(Schema):
    household_id: int
    year: int
    willing: bool
    project: str = ""


class LoanIn(Schema):
    borrower_id: int
    lender_id: int
    amount: Decimal
    term_years: Decimal
    purpose: str
    for_production: bool = True
    other_outstanding: bool = False
    applied_on: dt.date | None = None


class LoanStepIn(Schema):
    on: dt.date
    version: int | None = None
    amount: Decimal | None = None
    annual_rate: Decimal | None = None
    credit_score: int | None = None
    reason: str = ""


class RepaymentIn(Schema):
    paid_on: dt.date
    principal: Decimal
    interest: Decimal = Decimal(0)


class LoanOut(Schema):
    id: int
    code: str
    village_code: str
    household_number: str
    borrower_name: str
    borrower_id_number: str
    lender: str
    amount: Decimal
    approved_amount: Decimal | None
    term_years: Decimal
    annual_rate: Decimal | None
    status: str
    status_label: str
    applied_on: dt.date
    disbursed_on: dt.date | None
    due_on: dt.date | None
    balance: Decimal
    interest_subsidy: Decimal
    version: int


class WarningOut(Schema):
    loan_id: int
    loan_code: str
    village_code: str
    level: str
    level_label: str
    days: int
    due_on: dt.date
    balance: Decimal


class CoverageOut(Schema):
    year: int
    willing: int
    with_loan: int
    share: Decimal | None
    without: list[dict]


class WorkshopIn(Schema):
    village_code: str
    name: str
    kind: Literal["new", "renovated", "joint"]
    usable_area: Decimal
    building_area: Decimal
    investment: Decimal
    employees_total: int
    employees_poor: int
    operator: str = ""
    business: str = ""


class WorkshopPatch(Schema):
    version: int
    usable_area: Decimal | None = None
    building_area: Decimal | None = None
    investment: Decimal | None = None
    employees_total: int | None = None
    employees_poor: int | None = None


class WorkshopOut(Schema):
    id: int
    code: str
    name: str
    village_code: str
    kind: str
    usable_area: Decimal
    building_area: Decimal
    investment: Decimal
    employees_total: int
    employees_poor: int
    status: str
    version: int
    qualification: dict


class SubsidyIn(Schema):
    kind: Literal["renovation", "stable_job", "training"]
    paid_on: dt.date
    amount: Decimal | None = None
    persons: int = 0
    months: int = 0


class SubsidyOut(Schema):
    id: int
    kind: str
    amount: Decimal
    persons: int
    months: int
    paid_on: dt.date
    reverses_id: int | None
