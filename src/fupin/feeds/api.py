"""/api/feeds: the feed kinds, uploads with their row-by-row report, and alerts with their handling."""

import datetime as dt

from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from fupin.accounts.access import actor_prefixes
from fupin.api.pagination import Pages
from fupin.api.schemas import Error, Year
from fupin.feeds import services
from fupin.feeds.kinds import feed_kinds
from fupin.feeds.models import DepartmentAlert, FeedUpload
from fupin.feeds.selectors import (
    alert_get,
    alerts_visible,
    person_id_number,
    upload_get,
    upload_problems,
    uploads_visible,
)
from fupin.feeds.tasks import upload_start

router = Router(tags=["feeds 行业部门数据"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error}


class ColumnOut(Schema):
    key: str
    header: str
    type: str
    required: bool


class KindOut(Schema):
    key: str
    title: str
    department: str
    department_label: str
    columns: list[ColumnOut]
    rule: str
    rule_title: str
    param: str


class ProblemOut(Schema):
    row: int
    status: str
    problem: str
    id_number: str


class UploadOut(Schema):
    id: int
    kind: str
    year: Year
    file_name: str
    status: str
    task_id: int | None
    rows_total: int
    rows_accepted: int
    rows_invalid: int
    rows_duplicate: int
    rows_unknown: int
    alerts_raised: int
    message: str
    created_at: dt.datetime


class UploadDetailOut(UploadOut):
    problems: list[ProblemOut]


class AlertOut(Schema):
    id: int
    kind: str
    rule: str
    rule_title: str
    year: Year
    household_number: str
    village: str
    village_name: str
    person_name: str
    id_number: str
    values: dict
    threshold: dict
    risk_types: list[str]
    status: str
    note: str
    version: int
    created_at: dt.datetime
    handled_at: dt.datetime | None


class HandleIn(Schema):
    outcome: str = Field(description="verified | not_applicable | monitoring (转入监测)")
    note: str = Field(max_length=2000)
    version: int


class AlertFilter(Schema):
    status: str | None = None
    kind: str | None = None


def _upload(u: FeedUpload) -> dict:
    return {f: getattr(u, f) for f in UploadOut.model_fields}


def _alert(actor, a: DepartmentAlert) -> AlertOut:
    return AlertOut(id=a.pk, kind=a.kind, rule=a.rule, rule_title=a.rule_title, year=a.year,
                    household_number=a.household.household_number, village=a.village.code, village_name=a.village.name,
                    person_name=a.person.name if a.person else "", id_number=person_id_number(actor=actor, alert=a),
                    values=a.values, threshold=a.threshold, risk_types=a.risk_types, status=a.status, note=a.note,
                    version=a.version, created_at=a.created_at, handled_at=a.handled_at)


@router.get("/kinds", response=list[KindOut])
def list_kinds(request):
    """The kinds of department file, their columns (headers as the files have them) and alert rules."""
    return [KindOut(key=k.key, title=k.title, department=k.department, department_label=k.department_label,
                    columns=[ColumnOut(key=c.key, header=c.header, type=c.type, required=c.required) for c in k.columns],
                    rule=k.rule.id, rule_title=k.rule.title, param=k.rule.param) for k in feed_kinds().values()]


@router.post("/uploads", response={201: UploadDetailOut, 202: UploadOut, **ERRORS})
def create_upload(request, kind: Form[str], file: File[UploadedFile], year: Form[int | None] = None):
    """Upload a department file (.csv in UTF-8 or GBK, or .xlsx). Small files are processed at once (201 with
    the row report); large ones in the background (202; poll /api/feeds/uploads/{id} or /api/tasks/{task_id})."""
    counties = [p for p in actor_prefixes(request.auth, "feeds.upload") if len(p) <= 6]
    upload = upload_start(actor=request.auth, kind_key=kind, county_code=counties[0] if counties else "",
                          upload=file, year=year)
    if upload.status == "queued":
        return Status(202, UploadOut(**_upload(upload)))
    return Status(201, UploadDetailOut(**_upload(upload), problems=upload_problems(actor=request.auth, upload=upload)))


@router.get("/uploads", response=list[UploadOut])
@paginate(Pages, page_size=50)
def list_uploads(request):
    return [UploadOut(**_upload(u)) for u in uploads_visible(actor=request.auth).order_by("-created_at", "-pk")]


@router.get("/uploads/{upload_id}", response={200: UploadDetailOut, 404: Error})
def get_upload(request, upload_id: int):
    """One upload with its row-by-row report (ID numbers masked unless you may see personal data)."""
    upload = upload_get(actor=request.auth, upload_id=upload_id)
    return UploadDetailOut(**_upload(upload), problems=upload_problems(actor=request.auth, upload=upload))


@router.get("/alerts", response=list[AlertOut])
@paginate(Pages, page_size=50)
def list_alerts(request, filters: Query[AlertFilter]):
    """Alerts of households in your areas; filter by status (open, verified, not_applicable, monitoring) or kind."""
    qs = alerts_visible(actor=request.auth)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return [_alert(request.auth, a) for a in qs.order_by("-created_at", "-pk")]


@router.get("/alerts/{alert_id}", response={200: AlertOut, 404: Error})
def get_alert(request, alert_id: int):
    return _alert(request.auth, alert_get(actor=request.auth, alert_id=alert_id))


@router.post("/alerts/{alert_id}/handle", response={200: AlertOut, **ERRORS})
def handle_alert(request, alert_id: int, body: HandleIn):
    """Record the handling: verified, not_applicable or monitoring (proposes a monitoring case), with a note and
    the version you read (a stale version answers 409)."""
    alert = alert_get(actor=request.auth, alert_id=alert_id, action="alert.handle")
    alert = services.alert_handle(actor=request.auth, alert=alert, outcome=body.outcome, note=body.note,
                                  version=body.version)
    return _alert(request.auth, alert)
