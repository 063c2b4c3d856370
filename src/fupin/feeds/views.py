"""Pages of the feeds context: the alert list (with counts in the menu) and an alert with its handling;
the uploads with the upload form and each upload's row-by-row report."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fupin.accounts.access import actor_prefixes, can
from fupin.core.errors import ApplicationError
from fupin.feeds import services
from fupin.feeds.forms import HandleForm, UploadForm
from fupin.feeds.kinds import feed_kinds
from fupin.feeds.models import AlertStatus, UploadStatus
from fupin.feeds.selectors import (
    ALERT_READ,
    alert_get,
    alerts_visible,
    person_id_number,
    upload_get,
    upload_problems,
    uploads_visible,
)
from fupin.feeds.tasks import upload_start
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table


def _alert_link(alert) -> str:
    return reverse("feeds:alert", args=[alert.pk])


def _upload_link(upload) -> str:
    return reverse("feeds:upload", args=[upload.pk])


def _kind_title(key: str) -> str:
    kind = feed_kinds().get(key)
    return kind.title if kind else key


ALERT_COLUMNS = [
    Column("created_at", _lazy("预警时间"), sort="created_at", link=_alert_link,
           render=lambda a: f"{a.created_at:%Y-%m-%d %H:%M}"),
    Column("rule_title", _lazy("预警规则"), sort="rule", link=_alert_link),
    Column("household", _lazy("户编号"), sort="household__household_number",
           render=lambda a: a.household.household_number),
    Column("person", _lazy("人员"), render=lambda a: a.person.name if a.person else ""),
    Column("village", _lazy("行政村"), sort="village__code", render=lambda a: a.village.name),
    Column("kind", _lazy("数据来源"), sort="kind", render=lambda a: _kind_title(a.kind)),
    Column("status", _lazy("处理状态"), sort="status", render=lambda a: a.get_status_display()),
]
ALERT_FILTERS = [
    Filter("status", _lazy("处理状态"), "status", choices=list(AlertStatus.choices)),
    Filter("kind", _lazy("数据来源"), "kind", choices=[(k.key, k.title) for k in feed_kinds().values()]),
    Filter("household", _lazy("户编号"), "household__household_number__contains"),
]
UPLOAD_COLUMNS = [
    Column("created_at", _lazy("上传时间"), sort="created_at", link=_upload_link,
           render=lambda u: f"{u.created_at:%Y-%m-%d %H:%M}"),
    Column("kind", _lazy("数据类型"), sort="kind", render=lambda u: u.kind_title),
    Column("file_name", _lazy("文件名"), link=_upload_link),
    Column("year", _lazy("年度"), sort="year"),
    Column("status", _lazy("状态"), sort="status", render=lambda u: u.get_status_display()),
    Column("rows_total", _lazy("行数")),
    Column("rows_accepted", _lazy("接收")),
    Column("rows_invalid", _lazy("错误")),
    Column("rows_duplicate", _lazy("重复")),
    Column("rows_unknown", _lazy("未匹配")),
    Column("alerts_raised", _lazy("预警")),
]


@requires(ALERT_READ)
def alert_list(request):
    table = Table(request, alerts_visible(actor=request.user), columns=ALERT_COLUMNS, filters=ALERT_FILTERS,
                  default_sort="-created_at")
    return render(request, "feeds/alert_list.html", {"table": table})


@requires(ALERT_READ)
def alert_detail(request, alert_id: int):
    alert = alert_get(actor=request.user, alert_id=alert_id)
    may_handle = services.may_handle(request.user, alert)
    form = HandleForm(request.POST or None, initial={"version": alert.version},
                      monitoring_available=services.case_propose_available())
    if request.method == "POST":
        alert = alert_get(actor=request.user, alert_id=alert_id, action="alert.handle")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.alert_handle(actor=request.user, alert=alert, outcome=data["outcome"], note=data["note"],
                                      version=data["version"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已处理预警"))
                return redirect("feeds:alert", alert.pk)
    return render(request, "feeds/alert_detail.html", {
        "alert": alert, "form": form, "may_handle": may_handle, "kind_title": _kind_title(alert.kind),
        "id_number": person_id_number(actor=request.user, alert=alert),
        "record_data": alert.record.data if alert.record else {},
    })


def _uploadable_kinds(user) -> list:
    if not can(user, "feeds.upload"):
        return []
    departments = services.actor_departments(user)
    county_staff = can(user, "monitoring.approve")
    return [k for k in feed_kinds().values() if county_staff or k.department in departments]


@requires("feeds.view")
def upload_list(request):
    kinds = _uploadable_kinds(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and kinds and form.is_valid():
        counties = [p for p in actor_prefixes(request.user, "feeds.upload") if len(p) <= 6]
        try:
            upload = upload_start(actor=request.user, kind_key=form.cleaned_data["kind"],
                                  county_code=counties[0] if counties else "", upload=form.cleaned_data["file"],
                                  year=form.cleaned_data["year"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if upload.status == UploadStatus.QUEUED:
                messages.info(request, _("文件较大，已转入后台处理"))
            else:
                messages.success(request, upload.message)
            return redirect("feeds:upload", upload.pk)
    table = Table(request, uploads_visible(actor=request.user), columns=UPLOAD_COLUMNS,
                  filters=[Filter("kind", _lazy("数据类型"), "kind",
                                  choices=[(k.key, k.title) for k in feed_kinds().values()])],
                  default_sort="-created_at")
    return render(request, "feeds/upload_list.html", {"table": table, "form": form, "can_upload": bool(kinds),
                                                      "kinds": feed_kinds().values()})


@requires("feeds.view")
def upload_detail(request, upload_id: int):
    upload = upload_get(actor=request.user, upload_id=upload_id)
    return render(request, "feeds/upload_detail.html", {
        "upload": upload, "problems": upload_problems(actor=request.user, upload=upload)[:500],
        "kind_title": upload.kind_title})
