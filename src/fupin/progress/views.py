"""Pages of the battle map (挂图作战): county → township → village → household, the records behind every
figure, plans with targets and milestones, and the monthly dispatch with its reports."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from fupin.accounts.access import can, can_see_pii
from fupin.areas.models import AreaLevel
from fupin.core import clock
from fupin.core.errors import ApplicationError, NotFound
from fupin.core.uploads import PDF, XLSX, attachment
from fupin.core.validators import mask_phone
from fupin.progress import boundaries, dispatch, reports, selectors, services, summaries
from fupin.progress.forms import (
    BoundaryClearForm,
    BoundaryUploadForm,
    FreezeForm,
    MilestoneForm,
    ReportForm,
    TargetForm,
)
from fupin.progress.indicators import INDICATORS, household_filter
from fupin.progress.map import area_tiles, chart_children, chart_trend, geo_map
from fupin.registry.models import HouseholdStatus
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table

VIEW, MANAGE = "progress.view", "progress.manage"
SHOWN = ["households", "persons", "exited_persons", "not_exited_persons", "exited_in_year_persons",
         "low_income_persons", "reached_households", "housing_shortfall", "water_shortfall", "education_shortfall",
         "medical_shortfall", "monitored_households", "projects", "project_funds"]


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@requires(VIEW)
def index(request):
    home = selectors.home_area(request.user)
    return redirect("progress:map", code=home)


@requires(VIEW)
def battle_map(request, code: str):
    area = selectors.map_area(actor=request.user, code=code)
    year = selectors.data_year(area.code, _year(request))
    if area.level == AreaLevel.VILLAGE:
        return _village_map(request, area, year)
    kids = selectors.children(actor=request.user, area=area)
    values = selectors.figures([area.code] + [k.code for k in kids], year)
    rows = selectors.targets_with_progress(list(selectors.area_targets(actor=request.user, area=area, year=year)),
                                           clock.today())
    tiles = area_tiles(kids, values)
    geo = geo_map(area, tiles, year)
    return render(request, "progress/map.html", {
        "area": area, "year": year, "years": selectors.years_available(area.code), "shown": _shown(values[area.code]),
        "tiles": tiles, "targets": rows, "can_manage": can(request.user, MANAGE, area.code),
        "geo": geo, "geo_json": json.dumps(geo, ensure_ascii=False, separators=(",", ":")) if geo else "",
        "chart_children": json.dumps(chart_children(kids, values), ensure_ascii=False),
        "chart_trend": json.dumps(chart_trend(area), ensure_ascii=False),
        "crumbs": _crumbs(request.user, area)})


def _shown(values: dict) -> list[dict]:
    return [{"code": c, "label": INDICATORS[c].label, "unit": INDICATORS[c].unit, "value": values.get(c),
             "linked": household_filter(c, 2000) is not None} for c in SHOWN]


def _crumbs(actor, area) -> list:
    from fupin.areas.selectors import area_ancestors

    return [a for a in area_ancestors(area) if can(actor, VIEW, a.code)]


def _village_map(request, village, year):
    qs, marks = selectors.village_households(actor=request.user, village=village, year=year)
    pii = can_see_pii(request.user, village.code)
    columns = [
        Column("household_number", _lazy("户编号"), sort="household_number",
               link=lambda h: reverse("registry:household", args=[h.pk])),
        Column("head", _lazy("户主"), render=lambda h: h.head_name or ""),
        Column("member_count", _lazy("人数"), sort="member_count"),
        Column("status", _lazy("户状态"), sort="status", render=lambda h: h.get_status_display()),
        Column("per_capita_net_income", _lazy("人均纯收入（元）"), sort="per_capita_net_income"),
        Column("guarantees", _lazy("两不愁三保障及饮水"), render=_guarantees),
        Column("mark", _lazy("达标标注"), render=lambda h: (_("✔ 已达标 %(d)s") % {"d": marks[h.pk]})
               if h.pk in marks else _("未达标")),
        Column("phone", _lazy("联系电话"), render=lambda h: h.phone if pii else mask_phone(h.phone)),
    ]
    filters = [Filter("status", _lazy("户状态"), "status", choices=list(HouseholdStatus.choices)),
               Filter("marked", _lazy("达标"), "pk__in", choices=[("1", _("已达标"))],
                      clean=lambda v: list(marks))]
    table = Table(request, selectors.with_head_name(qs), columns=columns, filters=filters,
                  default_sort="household_number")
    values = selectors.figures([village.code], year)
    return render(request, "progress/village.html", {
        "area": village, "year": year, "table": table, "shown": _shown(values[village.code]),
        "marked": len(marks), "crumbs": _crumbs(request.user, village)})


def _guarantees(h) -> str:
    checks = [(h.food_secure, _("吃")), (h.clothing_secure, _("穿")), (h.compulsory_education_secured, _("学")),
              (h.basic_medical_secured, _("医")), (h.housing_secured, _("住")), (h.safe_drinking_water, _("水"))]
    missing = [label for value, label in checks if value is False]
    return _("缺：%(m)s") % {"m": "、".join(missing)} if missing else _("均有保障")


@requires(VIEW)
def records_view(request, code: str, indicator: str):
    area = selectors.map_area(actor=request.user, code=code)
    if indicator not in INDICATORS:
        raise NotFound(_("未知指标：%(i)s") % {"i": indicator}, code="unknown_indicator")
    year = selectors.data_year(area.code, _year(request))
    qs = selectors.records(actor=request.user, area=area, indicator=indicator, year=year)
    columns = [
        Column("household_number", _lazy("户编号"), sort="household_number",
               link=lambda h: reverse("registry:household", args=[h.pk])),
        Column("village", _lazy("行政村"), sort="village__code", render=lambda h: h.village.name),
        Column("member_count", _lazy("人数"), sort="member_count"),
        Column("status", _lazy("户状态"), sort="status", render=lambda h: h.get_status_display()),
        Column("per_capita_net_income", _lazy("人均纯收入（元）"), sort="per_capita_net_income"),
        Column("guarantees", _lazy("两不愁三保障及饮水"), render=_guarantees),
    ]
    table = Table(request, qs, columns=columns, filters=[Filter("q", _lazy("户编号"), "household_number__contains")],
                  default_sort="household_number")
    return render(request, "progress/records.html", {"area": area, "year": year, "table": table,
                                                     "indicator": INDICATORS[indicator],
                                                     "crumbs": _crumbs(request.user, area) + [area]})


# --- plans, targets, milestones ------------------------------------------------------------------

@requires(VIEW)
def plan_list(request):
    columns = [
        Column("title", _lazy("方案名称"), sort="title", link=lambda p: reverse("progress:plan", args=[p.pk])),
        Column("kind", _lazy("类型"), sort="kind", render=lambda p: p.get_kind_display()),
        Column("area", _lazy("实施区域"), sort="area__code", render=lambda p: p.area.name),
        Column("period", _lazy("期间"), sort="start", render=lambda p: f"{p.start} 至 {p.end}"),
        Column("issuer", _lazy("印发单位/文号")),
        Column("flags", _lazy("导入核对提示"), render=lambda p: len(p.flags) or ""),
    ]
    table = Table(request, selectors.plans_visible(actor=request.user), columns=columns,
                  filters=[Filter("q", _lazy("方案名称"), "title__contains")], default_sort="-start")
    return render(request, "progress/plans.html", {"table": table, "can_manage": can(request.user, MANAGE)})


@requires(VIEW)
def plan_detail(request, plan_id: int):
    plan = selectors.plan_get(actor=request.user, plan_id=plan_id)
    rows = selectors.targets_with_progress(list(plan.targets.select_related("area").order_by(
        "deadline", "sort_order", "pk")), clock.today())
    can_manage = can(request.user, MANAGE, plan.area.code)
    return render(request, "progress/plan.html", {
        "plan": plan, "targets": rows, "milestones": plan.milestones.all(), "can_manage": can_manage,
        "milestone_form": MilestoneForm() if can_manage else None, "today": clock.today()})


@requires(MANAGE)
def target_new(request):
    form = TargetForm(request.POST or None, actor=request.user, initial={"plan": request.GET.get("plan")})
    if request.method == "POST" and form.is_valid():
        try:
            target = services.target_create(actor=request.user, **form.service_kwargs())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记目标任务“%(n)s”") % {"n": target.name})
            if target.plan_id:
                return redirect("progress:plan", plan_id=target.plan_id)
            return redirect("progress:map", code=target.area.code)
    return render(request, "progress/form.html", {"form": form, "title": _("登记目标任务")})


@require_POST
@requires(MANAGE)
def target_report_view(request, target_id: int):
    target = selectors.target_get(actor=request.user, target_id=target_id, action=MANAGE)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.target_report(actor=request.user, target=target, reported_value=form.cleaned_data["value"],
                                   expected_version=form.cleaned_data["version"])
            messages.success(request, _("已填报完成值"))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect(request.POST.get("next") or reverse("progress:map", args=[target.area.code]))


@require_POST
@requires(MANAGE)
def milestone_new(request, plan_id: int):
    plan = selectors.plan_get(actor=request.user, plan_id=plan_id, action=MANAGE)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_create(actor=request.user, plan=plan, **form.cleaned_data)
            messages.success(request, _("已添加月度节点"))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("progress:plan", plan_id=plan.pk)


@require_POST
@requires(MANAGE)
def milestone_done_view(request, milestone_id: int):
    milestone = selectors.milestone_get(actor=request.user, milestone_id=milestone_id, action=MANAGE)
    try:
        services.milestone_done(actor=request.user, milestone=milestone, done_on=clock.today(),
                                expected_version=int(request.POST.get("version") or milestone.version))
        messages.success(request, _("已标记完成"))
    except (ApplicationError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("progress:plan", plan_id=milestone.plan_id)


# --- monthly dispatch ----------------------------------------------------------------------------

@requires(VIEW)
def dispatch_list(request):
    columns = [
        Column("month", _lazy("月份"), sort="month", render=lambda s: f"{s.month:%Y-%m}",
               link=lambda s: reverse("progress:snapshot", args=[s.pk])),
        Column("area", _lazy("区域"), sort="area__code", render=lambda s: s.area.name),
        Column("late", _lazy("滞后/逾期目标"), render=lambda s: sum(1 for t in s.targets
                                                                  if t["state"] in reports.LATE_STATES)),
        Column("frozen_at", _lazy("封存时间"), sort="frozen_at", render=lambda s: f"{timezone.localtime(s.frozen_at):%Y-%m-%d %H:%M}"),
    ]
    table = Table(request, selectors.snapshots_visible(actor=request.user), columns=columns, default_sort="-month")
    form = FreezeForm(actor=request.user) if can(request.user, MANAGE) else None
    periods = selectors.snapshots_visible(actor=request.user).filter(month__month__in=(9, 12)).order_by(
        "-month", "area__code")[:24]
    available = [{"area": s.area, "year": s.month.year, "kind": k, "title": summaries.KINDS[k].title}
                 for s in periods for k in [{9: "national_day", 12: "year_end"}[s.month.month]]]
    return render(request, "progress/dispatch.html", {"table": table, "form": form, "summaries": available})


@require_POST
@requires(MANAGE)
def dispatch_freeze(request):
    form = FreezeForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            snapshot = dispatch.snapshot_freeze(actor=request.user, area_code=form.cleaned_data["area"],
                                                month=form.cleaned_data["month"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已封存 %(m)s 月调度") % {"m": f"{snapshot.month:%Y-%m}"})
            return redirect("progress:snapshot", snapshot_id=snapshot.pk)
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("progress:dispatch")


@requires(VIEW)
def snapshot_detail(request, snapshot_id: int):
    snapshot = selectors.snapshot_get(actor=request.user, snapshot_id=snapshot_id)
    data = reports.report_rows(snapshot)
    quarter = (snapshot.month.month - 1) // 3 + 1
    summary = {9: "national_day", 12: "year_end"}.get(snapshot.month.month)
    return render(request, "progress/snapshot.html", {**data, "quarter": quarter,
                                                      "quarter_ready": snapshot.month.month % 3 == 0,
                                                      "summary_kind": summary,
                                                      "summary_title": summaries.KINDS[summary].title if summary else ""})




@requires(VIEW)
def snapshot_xlsx(request, snapshot_id: int):
    snapshot = selectors.snapshot_get(actor=request.user, snapshot_id=snapshot_id)
    return attachment(reports.dispatch_xlsx(snapshot), f"dispatch-{snapshot.area.code}-{snapshot.month:%Y-%m}.xlsx", XLSX)


@requires(VIEW)
def snapshot_pdf(request, snapshot_id: int):
    snapshot = selectors.snapshot_get(actor=request.user, snapshot_id=snapshot_id)
    return attachment(reports.dispatch_pdf(snapshot), f"dispatch-{snapshot.area.code}-{snapshot.month:%Y-%m}.pdf",
                     PDF)


@requires(VIEW)
def quarterly_xlsx(request, snapshot_id: int):
    snapshot = selectors.snapshot_get(actor=request.user, snapshot_id=snapshot_id)
    quarter = (snapshot.month.month - 1) // 3 + 1
    try:
        months = dispatch.quarter_snapshots(area=snapshot.area, year=snapshot.month.year, quarter=quarter)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("progress:snapshot", snapshot_id=snapshot.pk)
    return attachment(reports.quarterly_xlsx(months),
                     f"quarterly-{snapshot.area.code}-{snapshot.month.year}Q{quarter}.xlsx", XLSX)



# --- geographic boundaries ------------------------------------------------------------------------

@requires(MANAGE)
def boundaries_page(request):
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = upload.read(boundaries.MAX_BYTES + 1)
            result = boundaries.boundaries_upload(actor=request.user, data=data, filename=upload.name,
                                                  code_property=form.cleaned_data["code_property"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            problems = (exc.details or {}).get("errors", [])
        else:
            messages.success(request, _("已导入 %(n)s 个区域的边界（其中替换原有 %(r)s 个）")
                             % {"n": result.stored, "r": result.replaced})
            return redirect("progress:boundaries")
    return render(request, "progress/boundaries.html", {
        "form": form, "problems": problems, "stored": selectors.boundaries_visible(actor=request.user),
        "clear_form": BoundaryClearForm(actor=request.user)})


@require_POST
@requires(MANAGE)
def boundaries_clear_view(request):
    form = BoundaryClearForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            removed = boundaries.boundaries_clear(actor=request.user, area_code=form.cleaned_data["area"])
            messages.success(request, _("已清除 %(n)s 个区域的边界") % {"n": removed})
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("progress:boundaries")


# --- national-day and year-end summaries ----------------------------------------------------------

@requires(VIEW)
def summary_view(request, code: str, year: int, kind: str):
    area = selectors.map_area(actor=request.user, code=code)
    # A period not yet frozen raises ValidationFailed: the error page names the missing month.
    return render(request, "progress/summary.html", summaries.summary_data(area=area, year=year, kind=kind))


@requires(VIEW)
def summary_file(request, code: str, year: int, kind: str, fmt: str):
    area = selectors.map_area(actor=request.user, code=code)
    if fmt not in ("xlsx", "pdf"):
        raise NotFound(_("不支持的文件格式：%(f)s") % {"f": fmt}, code="unknown_format")
    data = summaries.summary_data(area=area, year=year, kind=kind)
    name = f"{kind.replace('_', '-')}-summary-{area.code}-{year}.{fmt}"
    if fmt == "pdf":
        return attachment(summaries.summary_pdf(data), name, PDF)
    return attachment(summaries.summary_xlsx(data), name, XLSX)
