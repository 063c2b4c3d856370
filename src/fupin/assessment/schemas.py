from __future__ import annotations

from ninja import Schema


class OptionOut(Schema):
    id: str
    title: str
    type: str
    default: str
    chosen: str
    choices: dict[str, str]
    decision: str


class IndicatorOut(Schema):
    id: str
    title: str
    part: str
    kind: str
    max: float
    criterion: str
    note: str
    clauses: list[dict]
    measures: list[dict]
    terms: list[dict]
    cites: list[dict]


class SchemeOut(Schema):
    id: str
    version: int
    title: str
    short_title: str
    issuer: str
    year: int
    jurisdiction: str
    subject: str
    max: float
    grading: str
    digest: str


class SchemeDetailOut(SchemeOut):
    parts: list[dict]
    indicators: list[IndicatorOut]
    options: list[OptionOut]
    grades: list[dict]
    adjustments: list[dict]
    vetoes: list[dict]
    facts: list[dict]
    notes: list[str]
    warnings: list[str]


class ScoreIn(Schema):
    options: dict = {}
    subjects: list[dict]


class ScoreOut(Schema):
    scheme: dict
    options: dict
    subjects: list[dict]
    problems: list[str]
