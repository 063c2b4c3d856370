"""/api/assessment/rounds and /entries: the assessment process of work teams. The township's review
is taken through /api/workflow/reviews/{review_id}/act like every other review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from fupin.api.schemas import Error, Year
from fupin.assessment import services
from fupin.assessment.materials import MATERIALS
from fupin.assessment.models import AssessmentEntry, AssessmentRound
from fupin.assessment.selectors_rounds import (
    entries_visible,
    entry_get,
    entry_state,
    round_get,
    rounds_visible,
    scores_visible,
)

router = Router(tags=["assessment 考核评估"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error}


class RoundIn(Schema):
    scheme_id: str = Field(max_length=60)
    year: Year
    county: str = Field(pattern=r"^\d{6}(\d{6})?$")
    title: str = Field("", max_length=120)
    self_due: dt.date | None = None
    county_due: dt.date | None = None
    options: dict[str, str] = {}


class EntryOut(Schema):
    id: int
    version: int
    team_id: int
    team: str
    unit: str
    village: str
    village_name: str
    listing_order: int
    state: str
    review_id: int | None
    self_score: float | None
    score: float | None
    rank: int | None
    tied: bool


class RoundOut(Schema):
    id: int
    version: int
    scheme_id: str
    year: int
    county: str
    county_name: str
    title: str
    status: str
    status_label: str
    approval_ref: str
    entries: list[EntryOut] = []


class VersionIn(Schema):
    expected_version: int


class ApproveIn(VersionIn):
    approval_ref: str = Field(max_length=200)


class MaterialIn(Schema):
    key: str = Field(max_length=40)
    entry_id: int | None = None
    submitted_on: dt.date
    note: str = Field("", max_length=200)


class SelfIn(VersionIn):
    findings: dict[str, Any]
    summary: str = Field("", max_length=20000)


class CountyIn(VersionIn):
    findings: dict[str, Any] = {}
    notes: dict[str, str] = {}
    submit: bool = False


class VisitIn(Schema):
    household: str = Field(max_length=40)
    card_checked: bool = False
    evaluation: str = Field(max_length=500)


class SpotCheckIn(Schema):
    checks: dict[str, str]
    committee_visit: str = Field(max_length=1000)
    household_visits: list[VisitIn]
    composite: str = Field(max_length=2000)
    checked_on: dt.date
    checkers: str = Field(max_length=200)


class EntryDetailOut(EntryOut):
    round_id: int
    self_findings: dict
    records: dict
    county_findings: dict
    county_notes: dict
    result: dict


def _num(value) -> float | None:
    return None if value is None else float(value)


def _entry(e: AssessmentEntry, show_scores: bool) -> dict:
    return {"id": e.pk, "version": e.version, "team_id": e.team_id, "team": e.team.name, "unit": e.team.unit.name,
            "village": e.area.code, "village_name": e.area.name, "listing_order": e.listing_order,
            "state": entry_state(e), "review_id": e.review_id, "self_score": _num(e.self_score),
            "score": _num(e.score) if show_scores else None, "rank": e.rank if show_scores else None,
            "tied": e.tied if show_scores else False}


def _round(actor, r: AssessmentRound, *, with_entries: bool = False) -> dict:
    body = {"id": r.pk, "version": r.version, "scheme_id": r.scheme_id, "year": r.year, "county": r.county.code,
            "county_name": r.county.name, "title": r.title, "status": r.status, "status_label": r.get_status_display(),
            "approval_ref": r.approval_ref}
    if with_entries:
        show = scores_visible(actor=actor, round_=r)
        body["entries"] = [_entry(e, show) for e in entries_visible(actor=actor, round_=r)]
    return body


@router.get("/rounds", response=list[RoundOut])
def list_rounds(request):
    """Assessment rounds (考核批次) of your counties, or in which a team of your areas is assessed."""
    return [_round(request.auth, r) for r in rounds_visible(actor=request.auth)[:200]]


@router.post("/rounds", response={201: RoundOut, **ERRORS})
def create_round(request, body: RoundIn):
    county = body.county if len(body.county) == 12 else body.county + "000000"
    r = services.round_create(actor=request.auth, scheme_id=body.scheme_id, year=body.year, county_code=county,
                              title=body.title, self_due=body.self_due, county_due=body.county_due,
                              options=body.options)
    return Status(201, _round(request.auth, r, with_entries=True))


@router.get("/rounds/{round_id}", response={200: RoundOut, 404: Error})
def get_round(request, round_id: int):
    """The round with its teams; scores and ranks are shown to the county, and to all once published."""
    return _round(request.auth, round_get(actor=request.auth, round_id=round_id), with_entries=True)


@router.post("/rounds/{round_id}/rank", response={200: RoundOut, **ERRORS})
def rank_round(request, round_id: int, body: VersionIn):
    r = round_get(actor=request.auth, round_id=round_id)
    return _round(request.auth, services.round_rank(actor=request.auth, round_=r,
                                                    expected_version=body.expected_version), with_entries=True)


@router.post("/rounds/{round_id}/approve", response={200: RoundOut, **ERRORS})
def approve_round(request, round_id: int, body: ApproveIn):
    r = round_get(actor=request.auth, round_id=round_id)
    r = services.round_approve(actor=request.auth, round_=r, expected_version=body.expected_version,
                               approval_ref=body.approval_ref)
    return _round(request.auth, r, with_entries=True)


@router.post("/rounds/{round_id}/publish", response={200: RoundOut, **ERRORS})
def publish_round(request, round_id: int, body: VersionIn):
    r = round_get(actor=request.auth, round_id=round_id)
    r = services.round_publish(actor=request.auth, round_=r, expected_version=body.expected_version)
    return _round(request.auth, r, with_entries=True)


@router.get("/materials", response=list[dict])
def list_materials(request):
    """The items of 附件4 报送材料清单."""
    return [{"key": m.key, "party": m.party, "title": m.title, "per_team": m.per_team} for m in MATERIALS]


@router.post("/rounds/{round_id}/materials", response={201: dict, **ERRORS})
def mark_material(request, round_id: int, body: MaterialIn):
    r = round_get(actor=request.auth, round_id=round_id)
    entry = entry_get(actor=request.auth, entry_id=body.entry_id) if body.entry_id is not None else None
    item = services.material_mark(actor=request.auth, round_=r, key=body.key, entry=entry,
                                  submitted_on=body.submitted_on, note=body.note)
    return Status(201, {"id": item.pk, "key": item.key, "entry_id": item.entry_id,
                        "submitted_on": item.submitted_on.isoformat()})


def _detail(actor, e: AssessmentEntry) -> dict:
    show = scores_visible(actor=actor, round_=e.round)
    return {**_entry(e, show), "round_id": e.round_id, "self_findings": e.self_findings, "records": e.records,
            "county_findings": e.county_findings, "county_notes": e.county_notes, "result": e.result if show else {}}


@router.get("/entries/{entry_id}", response={200: EntryDetailOut, 404: Error})
def get_entry(request, entry_id: int):
    """One team's assessment: its self-assessment, the findings computed from the records with their
    evidence, the county's findings and notes, and the explained score."""
    return _detail(request.auth, entry_get(actor=request.auth, entry_id=entry_id))


@router.post("/entries/{entry_id}/self", response={200: EntryDetailOut, **ERRORS})
def self_assess(request, entry_id: int, body: SelfIn):
    """The team leader signs and sends the self-assessment (findings as in docs/assessment.md)."""
    e = entry_get(actor=request.auth, entry_id=entry_id)
    e = services.entry_self_assess(actor=request.auth, entry=e, findings=body.findings, summary=body.summary,
                                   expected_version=body.expected_version)
    return _detail(request.auth, e)


@router.post("/entries/{entry_id}/county", response={200: EntryDetailOut, **ERRORS})
def county_assess(request, entry_id: int, body: CountyIn):
    """The county's evaluation: findings the assessors add or correct, with notes; `submit` passes the
    county stage."""
    e = entry_get(actor=request.auth, entry_id=entry_id)
    e = services.entry_county_assess(actor=request.auth, entry=e, findings=body.findings, notes=body.notes,
                                     expected_version=body.expected_version, submit=body.submit)
    return _detail(request.auth, e)


@router.post("/entries/{entry_id}/spot-check", response={201: dict, **ERRORS})
def spot_check(request, entry_id: int, body: SpotCheckIn):
    """The city's spot check 「四看、两访、一汇总」: the four checks, the village committee visit and three
    poor households visited."""
    e = entry_get(actor=request.auth, entry_id=entry_id)
    spot = services.spot_check_record(actor=request.auth, entry=e, checks=body.checks,
                                      committee_visit=body.committee_visit,
                                      household_visits=[v.dict() for v in body.household_visits],
                                      composite=body.composite, checked_on=body.checked_on, checkers=body.checkers)
    return Status(201, {"id": spot.pk, "entry_id": e.pk, "checked_on": spot.checked_on.isoformat()})


@router.get("/rounds/{round_id}/forms/{name}.{fmt}", response={200: None, **ERRORS})
def round_form_file(request, round_id: int, name: str, fmt: str):
    """附件3 县级排序表 (`name` ranking) as xlsx or pdf, once ranked; before publication to the county only."""
    from fupin.assessment.downloads import download, round_form
    from fupin.core.errors import NotFound

    r = round_get(actor=request.auth, round_id=round_id)
    if not scores_visible(actor=request.auth, round_=r):
        raise NotFound("考核结果公布前，排序表由县级查看", code="not_published")
    return download(*round_form(round_=r, name=name, fmt=fmt), fmt)


@router.get("/entries/{entry_id}/forms/{name}.{fmt}", response={200: None, **ERRORS})
def entry_form_file(request, entry_id: int, name: str, fmt: str):
    """One team's form as xlsx or pdf: `self` and `county` (附件1), `situation` (附件2), `materials` (附件4)."""
    from fupin.assessment.downloads import download, entry_form

    e = entry_get(actor=request.auth, entry_id=entry_id)
    return download(*entry_form(actor=request.auth, entry=e, name=name, fmt=fmt,
                                 show_scores=scores_visible(actor=request.auth, round_=e.round)), fmt)


@router.post("/entries/{entry_id}/evidence", response={201: list[dict], **ERRORS})
def add_evidence(request, entry_id: int, files: File[list[UploadedFile]], kind: Form[str],
                 indicator: Form[str] = "", note: Form[str] = ""):
    """Supporting files (multipart): `kind` proof (the team leader's proof of achievements) or deduction
    (the county's 扣分证明, with the `indicator`)."""
    from fupin.assessment.services import evidence_add

    e = entry_get(actor=request.auth, entry_id=entry_id)
    made = evidence_add(actor=request.auth, entry=e, uploads=files, kind=kind, indicator=indicator, note=note)
    return Status(201, [{"id": m.pk, "file_name": m.file_name, "size": m.size, "sha256": m.sha256, "kind": m.kind,
                         "indicator": m.indicator} for m in made])


@router.get("/entries/{entry_id}/evidence/{evidence_id}", response={200: None, **ERRORS})
def get_evidence(request, entry_id: int, evidence_id: int):
    from fupin.assessment.services import EVIDENCE_AREA
    from fupin.core.errors import NotFound
    from fupin.core.uploads import file_response

    e = entry_get(actor=request.auth, entry_id=entry_id)
    item = e.evidence.filter(pk=evidence_id).first()
    response = file_response(EVIDENCE_AREA, item.stored_name, item.file_name) if item else None
    if response is None:
        raise NotFound("佐证材料不存在或文件已不在服务器上", code="evidence_not_found")
    return response
