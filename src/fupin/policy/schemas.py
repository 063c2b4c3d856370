"""API shapes of the policy endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema


class PackOut(Schema):
    key: str
    id: str
    version: int
    title: str
    jurisdiction: str
    jurisdiction_name: str
    years: list[int]
    status: str
    extends: str | None
    fingerprint: str
    rules: int
    parameters: int


class RunIn(Schema):
    pack: str = Field(..., max_length=80, description="政策包 id@version 或 id")
    year: int = Field(..., ge=2013, le=2100)
    area: str = Field(..., pattern=r"^\d{6}(\d{3}(\d{3})?)?$", description="区划代码（县、乡镇或村）")
    engine: Literal["local", "polars", "spark"] = "polars"


class RunStarted(Schema):
    task: int
    status: str
    task_url: str


class RunOut(Schema):
    id: int = Field(..., alias="pk")
    pack: str
    fingerprint: str
    year: int
    area: str = Field(..., alias="area_code")
    area_name: str
    engine: str
    as_of: dt.date
    created_by: str
    started_at: dt.datetime
    finished_at: dt.datetime
    seconds: float
    households: int
    decisions: int
    errors: int
    counts: dict[str, dict[str, int]]

    @staticmethod
    def resolve_created_by(obj) -> str:
        return obj.created_by.username if obj.created_by else ""


class DecisionOut(Schema):
    household: int = Field(..., alias="household_id")
    household_number: str
    village: str = Field(..., alias="area_code")
    rule: str
    status: str
    value: str
    clauses: dict[str, Any]
    error: str
    pack: str

    @staticmethod
    def resolve_household_number(obj) -> str:
        return obj.household.household_number


class DecisionFilter(Schema):
    rule: str | None = Field(None, max_length=80)
    status: Literal["ok", "error", "not_applicable"] | None = None
    household: int | None = None


class WhatIfIn(Schema):
    pack: str = Field(..., max_length=80)
    year: int = Field(..., ge=2013, le=2100)
    area: str = Field(..., pattern=r"^\d{6}(\d{3}(\d{3})?)?$")
    changes: dict[str, Any] = Field(..., description="参数名 → 新值，如 {\"low_income_line\": 4500}")
    limit: int = Field(200, ge=0, le=500, description="每条规则最多列出的户数")
