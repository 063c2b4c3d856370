from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class FigureOut(Schema):
    indicator: str
    label: str
    unit: str
    value: Decimal
    records_url: str | None = None


class AreaFiguresOut(Schema):
    code: str
    name: str
    level: int
    figures: dict[str, Decimal]


class TargetOut(Schema):
    id: int
    plan_id: int | None
    area: str
    area_name: str
    group: str
    name: str
    indicator: str
    direction: str
    value: Decimal | None
    unit: str
    actual: Decimal | None
    percent: int | None
    state: str
    state_label: str
    colour: str
    deadline: dt.date
    lead_leader: str
    lead_unit: str
    responsible_units: str
    responsible_person: str
    version: int


class MapOut(Schema):
    code: str
    name: str
    level: int
    year: int
    figures: list[FigureOut]
    children: list[AreaFiguresOut]
    targets: list[TargetOut]


class HouseholdRow(Schema):
    id: int
    household_number: str
    village: str
    village_name: str
    status: str
    member_count: int
    per_capita_net_income: Decimal


class MilestoneOut(Schema):
    id: int
    due: dt.date
    title: str
    lead_unit: str
    responsible_units: str
    done_on: dt.date | None
    version: int


class PlanOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    area: str
    area_name: str
    start: dt.date
    end: dt.date
    issuer: str
    flags: list[str]


class PlanDetailOut(PlanOut):
    targets: list[TargetOut]
    milestones: list[MilestoneOut]


class TargetIn(Schema):
    plan_id: int | None = None
    area: str = Field(..., min_length=2, max_length=12)
    name: str = Field(..., max_length=200)
    value: Decimal = Field(..., ge=0, lt=Decimal("1e14"))
    deadline: dt.date
    period_start: dt.date
    indicator: str = ""
    direction: str = "at_least"
    unit: str = ""
    group: str = ""
    lead_leader: str = ""
    lead_unit: str = Field(..., max_length=200)
    responsible_units: str = ""
    responsible_person: str = ""
    note: str = ""


class ReportIn(Schema):
    value: Decimal = Field(..., ge=0, lt=Decimal("1e14"))
    version: int | None = None


class MilestoneIn(Schema):
    due: dt.date
    title: str = Field(..., max_length=500)
    lead_unit: str = ""
    responsible_units: str = ""


class FreezeIn(Schema):
    area: str = Field(..., min_length=2, max_length=12)
    month: str = Field(..., max_length=10, description="YYYY-MM")


class RefreshIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    full: bool = False


class RefreshOut(Schema):
    year: int
    villages_total: int
    villages_recomputed: int
    rows_written: int
    marks_added: int
    marks_removed: int
    full: bool


class SnapshotOut(Schema):
    id: int
    area: str
    area_name: str
    month: str
    frozen_at: dt.datetime
    late_targets: int
    targets: list[dict]
    milestones: list[dict]


class SnapshotValueOut(Schema):
    area: str
    area_name: str
    indicator: str
    value: Decimal
    previous: Decimal | None


class BoundaryUploadOut(Schema):
    stored: int
    replaced: int
    codes: list[str]
    sha256: str


class GeoMapOut(Schema):
    """The boundaries of the areas below one area, coloured like the schematic tiles (empty without)."""
    map: str | None = None
    schematic: bool = False
    geojson: dict | None = None
    regions: list[dict] = []
    missing: list[str] = []


class SummaryOut(Schema):
    area: str
    area_name: str
    year: int
    kind: str
    title: str
    period: str
    baseline: str
    months: list[str]
    missing_months: list[str]
    frozen_at: dt.datetime
    overall: list[dict]
    areas: list[dict]
    trend: list[dict]
    targets: list[dict]
    milestones: list[dict]
    unfinished_targets: list[dict]
    unfinished_milestones: list[dict]
    xlsx_url: str
    pdf_url: str
