"""API shapes of supervision and rectification. Input is validated here first (types, lengths, choices);
the services check the rules that need the database."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from fupin.supervision.models import CampaignKind, ResponsibleKind, Severity, VisitResult

Text = Field(..., min_length=1, max_length=2000)


class ChecklistItemOut(Schema):
    id: int
    no: str
    area_no: int
    area_title: str
    text: str
    cite_seed: str
    cite_quote: str


class ChecklistOut(Schema):
    id: int
    key: str
    version: int
    title: str
    issuer: str
    year: int
    items: list[ChecklistItemOut] = []


class CampaignIn(Schema):
    county: str = Field(..., pattern=r"^\d{6}(\d{6})?$")
    kind: CampaignKind
    name: str = Field(..., min_length=1, max_length=200)
    year: int = Field(..., ge=2013, le=2100)
    start_date: dt.date
    end_date: dt.date
    covered: list[str] = Field(..., min_length=1, max_length=500)
    inspectors: str = Field("", max_length=2000)
    checklist_id: int | None = None
    sample_percent: int | None = Field(None, ge=1, le=100)


class CampaignOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    year: int
    county: str
    start_date: dt.date
    end_date: dt.date
    covered: list[str]
    inspectors: str
    checklist_id: int | None
    sample_percent: int | None
    status: str


class FindingIn(Schema):
    area: str = Field(..., pattern=r"^\d{9}(\d{3})?$")
    description: str = Text
    severity: Severity = Severity.GENERAL
    responsible_kind: ResponsibleKind
    responsible_department: str = Field("", max_length=30)
    found_on: dt.date
    deadline: dt.date
    campaign_id: int | None = None
    checklist_item_id: int | None = None


class FindingPatch(Schema):
    version: int = Field(..., ge=1)
    description: str | None = Field(None, min_length=1, max_length=2000)
    severity: Severity | None = None
    deadline: dt.date | None = None


class EvidenceOut(Schema):
    id: int
    file_name: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class StepOut(Schema):
    kind: str
    kind_label: str
    text: str
    actor_name: str
    at: dt.datetime
    evidence: list[EvidenceOut]


class FindingOut(Schema):
    id: int
    area: str
    area_name: str
    campaign_id: int | None
    checklist_item: str | None
    description: str
    severity: str
    source: str
    responsible_kind: str
    responsible_area: str
    responsible_department: str
    responsible_label: str
    found_on: dt.date
    deadline: dt.date
    status: str
    status_label: str
    overdue: bool
    escalated_on: dt.date | None
    escalated_to: str
    closed_on: dt.date | None
    version: int


class FindingDetailOut(FindingOut):
    steps: list[StepOut]


class VerifyIn(Schema):
    version: int | None = Field(None, ge=1)
    comment: str = Field("", max_length=2000)


class ReturnIn(Schema):
    version: int | None = Field(None, ge=1)
    comment: str = Text


class FindingFilter(Schema):
    status: str | None = None
    area: str | None = Field(None, pattern=r"^\d{2,12}$")
    campaign: int | None = None
    source: str | None = None
    overdue: bool | None = None


class CheckOut(Schema):
    id: int
    campaign_id: int
    village: str
    village_name: str
    household_number: str
    head_name: str
    result: str
    visited_on: dt.date | None
    note: str
    risk_types: list[str]
    finding_id: int | None
    monitoring_ref: str
    version: int


class VisitIn(Schema):
    version: int | None = Field(None, ge=1)
    result: VisitResult
    visited_on: dt.date
    note: str = Field("", max_length=2000)
    risk_types: list[str] = Field([], max_length=10)
    propose_monitoring: bool = False


class QualityImportIn(Schema):
    year: int = Field(..., ge=2013, le=2100)
    area: str = Field(..., pattern=r"^\d{6}(\d{3}|\d{6})?$")


class QualityImportOut(Schema):
    added: int
