import datetime as dt

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from fupin.api.pagination import Pages
from fupin.api.schemas import AuditEventOut, Error, TaskOut
from fupin.audit.selectors import audit_events
from fupin.tasks.api import task_out
from fupin.tasks.services import task_enqueue

router = Router(tags=["audit 审计"])


class AuditFilter(Schema):
    action: str = ""
    actor: str = ""
    area: str = ""
    outcome: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


@router.get("/events", response=list[AuditEventOut])
@paginate(Pages, page_size=50)
def list_events(request, filters: Query[AuditFilter]):
    """Audit events in your areas, newest first (auditors and the audit administrator)."""
    return audit_events(actor=request.auth, action=filters.action, actor_name=filters.actor,
                        area_code=filters.area, outcome=filters.outcome, since=filters.since, until=filters.until)


@router.post("/verify", response={202: TaskOut, 403: Error})
def verify(request):
    """Start a background check of the whole hash chain; poll /api/tasks/{id} for the outcome."""
    return Status(202, task_out(task_enqueue(actor=request.auth, kind="audit.verify")))
