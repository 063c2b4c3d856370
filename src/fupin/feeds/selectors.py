"""Reads of the feeds context, every one scoped through fupin.accounts.access: uploads by their county
(`feeds.view`; a department user sees only their department's), alerts by the household's village
(`alert.handle` to work on them, `monitoring.view` to read them). ID numbers are masked for roles
without pii.view."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from fupin.accounts.access import access_object, can_see_pii, scope
from fupin.accounts.roles import Role
from fupin.audit.services import audit_denial
from fupin.core.errors import NotFound
from fupin.core.validators import mask_id_number
from fupin.feeds.models import AlertStatus, DepartmentAlert, FeedUpload

ALERT_READ = "monitoring.view"


def uploads_visible(*, actor) -> QuerySet[FeedUpload]:
    qs = scope(FeedUpload.objects.select_related("county", "uploaded_by"), actor, "feeds.view",
               code_path="county__code")
    roles = set(actor.assignments.values_list("role", flat=True)) if actor.is_authenticated else set()
    if roles and roles <= {Role.DEPARTMENT_USER}:
        # Department staff see what their department sent, not other departments' files.
        departments = actor.assignments.values_list("department", flat=True)
        qs = qs.filter(department__in=list(departments))
    return qs


def upload_get(*, actor, upload_id: int) -> FeedUpload:
    upload = access_object(actor, FeedUpload.objects.select_related("county", "uploaded_by"), upload_id, "feeds.view",
                           code_path="county__code")
    if not uploads_visible(actor=actor).filter(pk=upload.pk).exists():
        audit_denial(actor=actor, action="access.denied", reason=f"feeds.feedupload:{upload.pk} feeds.view",
                     area_code=upload.county.code)
        raise NotFound(_("记录不存在或不在您的管辖范围内"))
    return upload


def upload_problems(*, actor, upload: FeedUpload) -> list[dict]:
    """The row-by-row report, ID numbers masked unless the actor may see personal data in the county."""
    show = can_see_pii(actor, upload.county.code)
    return [{**p, "id_number": p["id_number"] if show else mask_id_number(p["id_number"])} for p in upload.problems]


def alerts_visible(*, actor, action: str = ALERT_READ) -> QuerySet[DepartmentAlert]:
    qs = DepartmentAlert.objects.select_related("household", "person", "village", "upload", "handled_by")
    return scope(qs, actor, action, code_path="village__code")


def alert_get(*, actor, alert_id: int, action: str = ALERT_READ) -> DepartmentAlert:
    qs = DepartmentAlert.objects.select_related("household", "person", "village", "upload", "record", "handled_by")
    return access_object(actor, qs, alert_id, action, code_path="village__code")


def open_alert_count(*, actor) -> int:
    return alerts_visible(actor=actor, action="alert.handle").filter(status=AlertStatus.OPEN).count()


def person_id_number(*, actor, alert: DepartmentAlert) -> str:
    if alert.person is None:
        return ""
    number = alert.person.id_number
    return number if can_see_pii(actor, alert.village.code) else mask_id_number(number)
