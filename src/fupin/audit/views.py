import datetime as dt

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fupin.audit.labels import action_label, compact
from fupin.audit.models import Outcome
from fupin.audit.selectors import audit_events
from fupin.tasks.services import task_enqueue
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table


def _date(value: str):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


COLUMNS = [
    Column("seq", "#", sort="seq"),
    Column("occurred_at", _("时间"), sort="occurred_at",
           render=lambda e: timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M:%S")),
    Column("actor_name", _("操作人"), sort="actor_name", render=lambda e: e.actor_name or _("系统")),
    Column("action", _("操作"), sort="action", render=lambda e: action_label(e.action)),
    Column("outcome", _("结果"), render=lambda e: e.get_outcome_display()),
    Column("target_label", _("对象")),
    Column("area_code", _("区划代码")),
    Column("client_ip", _("客户端地址")),
    Column("details", _("详情"), render=lambda e: compact(e.details or e.after)),
]
FILTERS = [
    Filter("action", _("操作"), "action__startswith"),
    Filter("actor", _("操作人"), "actor_name__icontains"),
    Filter("area", _("区划代码前缀"), "area_code__startswith"),
    Filter("outcome", _("结果"), "outcome", choices=list(Outcome.choices)),
    Filter("since", _("起始日期"), "occurred_at__date__gte", clean=_date),
]


@requires("audit.view")
def audit_list(request):
    table = Table(request, audit_events(actor=request.user), columns=COLUMNS, filters=FILTERS, default_sort="-seq",
                  per_page=50)
    return render(request, "audit/list.html", {"table": table})


@requires("audit.verify")
@require_POST
def audit_verify_start(request):
    task = task_enqueue(actor=request.user, kind="audit.verify")
    return redirect(reverse("web:task", args=[task.pk]))
