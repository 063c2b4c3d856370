from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.tasks.selectors import task_get, tasks_visible
from fupin.web.decorators import requires
from fupin.web.tables import Column, Table

COLUMNS = [
    Column("pk", "#", sort="pk", link=lambda t: reverse("web:task", args=[t.pk])),
    Column("kind", _("任务类型"), sort="kind"),
    Column("status", _("状态"), sort="status", render=lambda t: t.get_status_display()),
    Column("percent", _("进度%")),
    Column("created_at", _("创建时间"), sort="created_at"),
]


@requires("tasks.view")
def task_list(request):
    table = Table(request, tasks_visible(actor=request.user), columns=COLUMNS, default_sort="-pk")
    return render(request, "tasks/list.html", {"table": table})


@login_required
def task_detail(request, task_id: int):
    """The page polls itself with HTMX until the task is finished."""
    task = task_get(actor=request.user, task_id=task_id)
    template = "tasks/_progress.html" if request.headers.get("HX-Request") else "tasks/detail.html"
    return render(request, template, {"task": task})
