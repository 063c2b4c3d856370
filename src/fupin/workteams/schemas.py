from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class UnitIn(Schema):
    county: str
    name: str
    level: str
    leading_body: str = ""
    leading_body_since: dt.date | None = None
    leader_in_charge: str = ""
    responsible_division: str = ""
    party_secretary: str = ""


class UnitOut(Schema):
    id: int
    county: str
    name: str
    level: str
    level_label: str
    leading_body: str
    leading_body_since: dt.date | None
    leader_in_charge: str
    responsible_division: str
    party_secretary: str


class TeamIn(Schema):
    unit_id: int
    village: str
    name: str
    start_date: dt.date
    end_date: dt.date


class TeamOut(Schema):
    id: int
    name: str
    unit_id: int
    unit_name: str
    level: str
    village: str
    village_name: str
    start_date: dt.date
    end_date: dt.date


class MemberIn(Schema):
    name: str
    role: str
    sex: str
    age: int
    education: str
    political_status: str
    phone: str
    party_relation_transferred: bool = False
    released_from_unit_duties: bool = True


class MemberOut(Schema):
    id: int
    name: str
    role: str
    role_label: str
    sex: str
    age: int
    education: str
    political_status: str
    phone: str
    joined_on: dt.date
    left_on: dt.date | None
    days_stationed: int
    party_relation_transferred: bool


class ChangeIn(Schema):
    kind: str
    reason: str
    effective_on: dt.date
    approval_ref: str
    reason_detail: str = ""
    member_out_id: int | None = None
    new_member: MemberIn | None = None


class ChangeOut(Schema):
    id: int
    kind: str
    reason: str
    reason_detail: str
    effective_on: dt.date
    approval_ref: str
    member_out_id: int | None
    member_in_id: int | None


class AttendanceIn(Schema):
    member_id: int
    days: list[int]


class AttendanceRow(Schema):
    member_id: int
    name: str
    days: list[int]
    present: int


class AttendanceOut(Schema):
    month: str
    signed: bool
    signer_name: str = ""
    signed_at: dt.datetime | None = None
    rows: list[AttendanceRow]
    total: int


class SignoffOut(Schema):
    month: str
    signer_name: str
    signed_at: dt.datetime
    days_total: int


class LogIn(Schema):
    day: dt.date
    content: str
    kind: str = "work"


class LogOut(Schema):
    id: int
    day: dt.date
    kind: str
    content: str
    author_name: str


class EvidenceOut(Schema):
    indicator: str
    clause: str
    count: int
    items: list[str]


class SourceOut(Schema):
    indicator: str
    text: str


class FindingsOut(Schema):
    year: int
    date_from: dt.date
    date_to: dt.date
    scheme: str
    findings: dict
    evidence: list[EvidenceOut]
    missing: list[str] = []
    sources: list[SourceOut] = []


class AnnualReportIn(Schema):
    """Amounts in 万元. Not counted: investment-type funds and loans coordinated for households
    (「投入资金情况不包括投资性资金」)."""

    unit_investment: Decimal
    coordinated_funds: Decimal
    goods_value: Decimal
    village_collective_income: Decimal
    achievements: dict[str, str] = {}
    summary: str = ""
    expected_version: int | None = None


class AnnualReportOut(Schema):
    year: int
    unit_investment: Decimal
    coordinated_funds: Decimal
    goods_value: Decimal
    total_funds: Decimal
    village_collective_income: Decimal
    achievements: dict[str, str]
    summary: str
    version: int
    updated_at: dt.datetime


class SurveyIn(Schema):
    year: int
    surveyed_on: dt.date
    village_respondents: int
    village_satisfied: int
    household_respondents: int
    household_satisfied: int
    note: str = ""


class SurveyOut(Schema):
    id: int
    year: int
    surveyed_on: dt.date
    village_respondents: int
    village_satisfied: int
    village_percent: Decimal
    household_respondents: int
    household_satisfied: int
    household_percent: Decimal
    note: str
