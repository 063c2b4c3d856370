from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class MeasureTypeOut(Schema):
    code: str
    name: str
    category: str
    category_label: str
    kind: str
    source: str


class CatalogueOut(Schema):
    version: int
    title: str
    measures: list[MeasureTypeOut]


class PlanIn(Schema):
    needs: str = Field("", max_length=300)
    note: str = Field("", max_length=300)


class MeasureIn(Schema):
    measure_code: str = Field(..., max_length=20)
    start_date: dt.date
    end_date: dt.date | None = None
    amount: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    status: str = "planned"
    responsible_unit: str = Field(..., max_length=100)
    note: str = Field("", max_length=300)
    plan_version: int | None = None


class MeasurePatch(Schema):
    version: int
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    status: str | None = None
    responsible_unit: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=300)


class MeasureOut(Schema):
    id: int
    measure_code: str
    name: str
    category: str
    kind: str
    start_date: dt.date
    end_date: dt.date | None
    amount: Decimal
    status: str
    status_label: str
    responsible_unit: str
    note: str
    version: int


class PlanOut(Schema):
    id: int
    household_id: int
    household_number: str
    village: str
    year: int
    needs: str
    version: int
    has_labour: bool
    rule_ok: bool
    rule_message: str
    measures: list[MeasureOut]


class PlanRow(Schema):
    id: int
    household_id: int
    household_number: str
    village: str
    year: int
    measures_in_place: int


class CadreIn(Schema):
    user_id: int
    area: str = Field(..., max_length=12)
    name: str = Field(..., max_length=50)
    unit_kind: str
    unit_name: str = Field(..., max_length=100)
    position: str = Field("", max_length=50)
    phone: str = Field(..., max_length=20)
    version: int | None = None


class CadreOut(Schema):
    user_id: int
    username: str
    name: str
    area: str
    unit_kind: str
    unit_name: str
    position: str
    phone: str
    version: int


class AssignIn(Schema):
    cadre_user_id: int
    started_on: dt.date | None = None
    version: int
    reason: str = Field("", max_length=200)


class UnassignIn(Schema):
    ended_on: dt.date | None = None
    version: int
    reason: str = Field(..., max_length=200)


class AssignmentOut(Schema):
    household_id: int
    cadre_user_id: int
    cadre_name: str
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: str


class VisitIn(Schema):
    visited_on: dt.date
    content: str = Field(..., max_length=2000)
    problems: str = Field("", max_length=2000)
    measures_taken: str = Field("", max_length=2000)
    visitor_role: str = "pairing_cadre"


class VisitOut(Schema):
    id: int
    household_id: int
    visited_on: dt.date
    visitor: str
    visitor_role: str
    content: str
    problems: str
    measures_taken: str


class CoverageOut(Schema):
    area: str
    year: int
    max_households: int
    limit_source: str
    needing: int
    uncovered: list[str]
    uncovered_count: int
    over_limit: list[dict]


class VisitCheckOut(Schema):
    area: str
    month: str
    min_visits: int
    limit_source: str
    behind: list[dict]
    households: int
