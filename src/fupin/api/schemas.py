from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

# A registry year as a query or body field: bounded, so an absurd year is a 422 and never reaches a
# date computation.
Year = Annotated[int, Field(ge=2000, le=2100)]


class ErrorBody(Schema):
    code: str
    message: str
    details: dict
    request_id: str = ""


class Error(Schema):
    error: ErrorBody


class RoleOut(Schema):
    role: str
    role_label: str
    area_code: str
    area_name: str
    department: str


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[RoleOut]


class AreaOut(Schema):
    code: str
    name: str
    level: int
    level_label: str
    parent_code: str
    valid_from: dt.date
    valid_to: dt.date | None


class AuditEventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor_name: str
    action: str
    outcome: str
    target_type: str
    target_id: str
    target_label: str
    area_code: str
    before: dict | None
    after: dict | None
    details: dict | None
    request_id: str
    client_ip: str


class TaskOut(Schema):
    id: int
    kind: str
    status: str
    percent: int
    message: str
    result: dict | list | None
    error: str


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    name: str
    token: str
    expires_at: dt.datetime | None
