from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class CaseOut(Schema):
    id: int
    household_id: int
    household_number: str
    year: int
    village: str
    village_name: str
    case_type: str
    case_type_label: str
    risk_types: list[str]
    risk_level: str
    suggested_risk_level: str
    found_by: str
    source: str
    status: str
    status_label: str
    step: str
    identified_on: dt.date | None
    eliminated_on: dt.date | None
    version: int


class CriterionOut(Schema):
    key: str
    title: str
    state: str
    state_label: str
    detail: str


class EventOut(Schema):
    kind: str
    kind_label: str
    at: dt.datetime
    actor_name: str
    note: str


class PolicyRowOut(Schema):
    id: str
    title: str
    status: str
    value: str | float | bool | None = None
    reasons: list = []


class CaseDetailOut(CaseOut):
    reason: str
    facts: dict
    override_reason: str
    household_phone: str
    open_review_id: int | None
    reviews: list[int]
    policy_pack: str
    policy: list[PolicyRowOut]
    exclusions: list[str]
    elimination: list[CriterionOut]
    history: list[EventOut]


class ProposeIn(Schema):
    household_id: int
    found_by: str
    reason: str
    risk_types: list[str] = []
    source: str = ""
    case_type: str | None = None
    facts: dict = {}
    override_reason: str = ""


class MonthlyIn(Schema):
    month: str = Field(..., description="YYYY-MM")
    income: Decimal | str
    expenses: Decimal | str
    rigid_expenses: Decimal | str = "0"
    education_secured: bool
    medical_secured: bool
    housing_secured: bool
    water_secured: bool
    anomaly: str = ""
    expected_version: int | None = None


class MonthlyOut(Schema):
    id: int
    month: str
    income: Decimal
    expenses: Decimal
    rigid_expenses: Decimal
    education_secured: bool
    medical_secured: bool
    housing_secured: bool
    water_secured: bool
    anomaly: str
    version: int


class EliminateIn(Schema):
    reason: str
    expected_version: int


class ReflagIn(Schema):
    reason: str
    expected_version: int
    risk_types: list[str] | None = None


class FactsIn(Schema):
    facts: dict = {}
    override_reason: str = ""
    risk_types: list[str] | None = None
    expected_version: int


class OverdueOut(Schema):
    kind: str
    kind_label: str
    area_code: str
    area_name: str
    subject: str
    due_on: dt.date
    case_id: int | None
    review_id: int | None


class ReviewRef(Schema):
    review_id: int
    case: CaseOut
