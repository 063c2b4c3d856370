"""Pages: the inbox (待办审核), all reviews in one's areas, one review with its history and the
form of its current stage, and overdue reviews per area."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.web.tables import Column, Filter, Table
from fupin.workflow import selectors
from fupin.workflow.models import ReviewStatus
from fupin.workflow.processes import kind_label, processes
from fupin.workflow.schemas import stage_label_of
from fupin.workflow.services import ACT_LABELS, review_act


def _link(review) -> str:
    return reverse("workflow:detail", args=[review.pk])


def _due(review) -> str:
    if not review.due_on:
        return ""
    late = review.is_open and review.due_on < clock.today()
    return f"{review.due_on.isoformat()}{_('（已逾期）') if late else ''}"


COLUMNS = [
    Column("pk", _lazy("编号"), sort="pk", link=_link),
    Column("kind", _lazy("审核类型"), sort="kind", render=lambda r: kind_label(r.kind)),
    Column("subject_label", _lazy("审核对象"), sort="subject_label", link=_link),
    Column("area", _lazy("所属区划"), sort="area__code", render=lambda r: r.area.name),
    Column("stage", _lazy("当前环节"), sort="stage_index", render=stage_label_of),
    Column("status", _lazy("状态"), sort="status", render=lambda r: r.get_status_display()),
    Column("proposer", _lazy("提议人"), render=lambda r: r.proposer.display_name),
    Column("due_on", _lazy("办理期限"), sort="due_on", render=_due),
]


def _filters(*, with_status: bool) -> list[Filter]:
    stages = sorted({(s.key, s.label) for d in processes() for s in d.stages})
    filters = [
        Filter("kind", _lazy("审核类型"), "kind", choices=[(d.kind, d.label) for d in processes()]),
        Filter("stage", _lazy("当前环节"), "stage_key", choices=stages),
        Filter("q", _lazy("审核对象"), "subject_label__contains"),
    ]
    if with_status:
        filters.insert(0, Filter("status", _lazy("状态"), "status", choices=list(ReviewStatus.choices)))
    return filters


@login_required
def inbox(request):
    selectors.require_workflow_user(request.user)
    table = Table(request, selectors.inbox(actor=request.user), columns=COLUMNS, filters=_filters(with_status=False),
                  default_sort="due_on")
    return render(request, "workflow/inbox.html", {"table": table,
                                                   "counts": selectors.inbox_counts(actor=request.user)})


@login_required
def review_list(request):
    selectors.require_workflow_user(request.user)
    qs = selectors.reviews_visible(actor=request.user)
    table = Table(request, qs, columns=COLUMNS, filters=_filters(with_status=True), default_sort="-pk")
    return render(request, "workflow/list.html", {"table": table})


@login_required
def overdue(request):
    selectors.require_workflow_user(request.user)
    table = Table(request, selectors.reviews_overdue(actor=request.user), columns=COLUMNS,
                  filters=_filters(with_status=False), default_sort="due_on")
    return render(request, "workflow/overdue.html", {
        "table": table, "by_township": selectors.overdue_by_area(actor=request.user)})


def _detail(request, review_id: int, *, error=None, posted=None, status: int = 200):
    history = selectors.review_history(actor=request.user, review_id=review_id)
    show = selectors.contact_shown(request.user, history.review)
    for notice in history.notices:
        for objection in notice.objections.all():
            objection.contact_shown = show(objection.contact)
    return render(request, "workflow/detail.html", {
        "h": history, "review": history.review, "error": error, "posted": posted or {}, "act_labels": ACT_LABELS,
        "today": clock.today(),
    }, status=status)


@login_required
def review_detail(request, review_id: int):
    return _detail(request, review_id)


@login_required
@require_POST
def review_act_view(request, review_id: int):
    """Every form on the detail page posts here with `act` and `expected_version`. Bad input and stale
    versions come back to the page with the message; refusals become the error page (audited)."""
    posted = request.POST
    act = posted.get("act", "")
    fields = {k: v for k, v in posted.items() if k not in ("act", "expected_version", "csrfmiddlewaretoken")}
    fields["data"] = {k[6:]: v for k, v in posted.items() if k.startswith("field_")}
    try:
        review_act(actor=request.user, review=review_id, act=act, expected_version=posted.get("expected_version"),
                   **fields)
    except (ValidationFailed, Conflict) as exc:
        return _detail(request, review_id, error=exc, posted=posted, status=exc.status)
    messages.success(request, _("已办理：%(act)s") % {"act": ACT_LABELS.get(act, act)})
    return redirect("workflow:detail", review_id)
