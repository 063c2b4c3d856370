"""Policy pages: the packs, screening runs (started as background tasks) and their stored decisions, and
the what-if simulation. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fupin.accounts.access import can
from fupin.core.errors import ApplicationError
from fupin.policy import forms, selectors
from fupin.policy.models import DecisionStatus
from fupin.policy.services import screening_enqueue, whatif_run
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table

RUN_COLUMNS = [
    Column("pk", "#", sort="pk", link=lambda r: reverse("policy:run", args=[r.pk])),
    Column("pack", _("政策包"), sort="pack"),
    Column("year", _("年度"), sort="year"),
    Column("area_name", _("区划"), sort="area_code"),
    Column("engine", _("计算方式"), render=lambda r: r.get_engine_display()),
    Column("households", _("户数"), sort="households"),
    Column("errors", _("无法判定"), sort="errors"),
    Column("finished_at", _("完成时间"), sort="finished_at"),
]
DECISION_COLUMNS = [
    Column("household", _("户编号"), sort="household__household_number",
           render=lambda d: d.household.household_number,
           link=lambda d: reverse("registry:household", args=[d.household_id])),
    Column("rule", _("规则"), sort="rule"),
    Column("status", _("判定状态"), sort="status", render=lambda d: d.get_status_display()),
    Column("value", _("结果"), sort="value"),
    Column("error", _("原因")),
]


def _home_area(user) -> str:
    assignments = sorted(user.assignments.select_related("area"), key=lambda a: a.area.level)
    return assignments[0].area.code if assignments else ""


@requires("policy.view")
def home(request):
    packs = sorted(selectors.pack_set().packs.values(), key=lambda p: (p.jurisdiction, p.id, p.version))
    table = Table(request, selectors.runs_visible(request.user), columns=RUN_COLUMNS, default_sort="-pk")
    form = None
    if can(request.user, "policy.run"):
        form = forms.ScreeningForm(initial={"area": _home_area(request.user), "year": 2020, "engine": "polars"})
    return render(request, "policy/home.html", {"packs": packs, "table": table, "form": form})


@require_POST
@requires("policy.run")
def run_start(request):
    form = forms.ScreeningForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            task = screening_enqueue(actor=request.user, pack_ref=data["pack"], year=data["year"],
                                     area_code=data["area"], engine=data["engine"])
        except ApplicationError as exc:
            if exc.status in (401, 403, 404):
                raise
            form.add_error(None, exc.message)
        else:
            return redirect("web:task", task.pk)
    packs = sorted(selectors.pack_set().packs.values(), key=lambda p: (p.jurisdiction, p.id, p.version))
    table = Table(request, selectors.runs_visible(request.user), columns=RUN_COLUMNS, default_sort="-pk")
    return render(request, "policy/home.html", {"packs": packs, "table": table, "form": form}, status=400)


@requires("policy.view")
def run_detail(request, pk: int):
    run = selectors.run_get(request.user, pk)
    filters = [Filter("rule", _("规则"), "rule", choices=[(r, r) for r in sorted(run.counts)]),
               Filter("status", _("判定状态"), "status", choices=list(DecisionStatus.choices)),
               Filter("household", _("户编号"), "household__household_number__contains")]
    table = Table(request, selectors.run_decisions(request.user, run), columns=DECISION_COLUMNS, filters=filters,
                  default_sort="household")
    counts = [{"rule": rule, **c} for rule, c in sorted(run.counts.items())]
    return render(request, "policy/run.html", {"run": run, "table": table, "counts": counts})


SHOWN = {"true": _("是"), "false": _("否"), "error": _("无法判定"), "not_applicable": _("不适用")}


def _for_page(result: dict) -> dict:
    """Outcomes as the household page words them (是/否, 无法判定); the API keeps the raw values."""
    for rule in result["rules"]:
        for h in rule["households"]:
            h["before"], h["after"] = SHOWN.get(h["before"], h["before"]), SHOWN.get(h["after"], h["after"])
    return result


@requires("policy.run")
def whatif(request):
    form = forms.WhatIfForm(request.POST or None, initial={"area": _home_area(request.user), "year": 2020})
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = whatif_run(actor=request.user, pack_ref=data["pack"], year=data["year"], area_code=data["area"],
                                changes=data["changes"], limit=200)
            result = _for_page(result)
        except ApplicationError as exc:
            if exc.status in (401, 403, 404):
                raise
            form.add_error(None, exc.message)
    status = 400 if request.method == "POST" and result is None else 200
    return render(request, "policy/whatif.html", {"form": form, "result": result}, status=status)
