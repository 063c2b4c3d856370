"""Pages of the assistance context: the overview with the coverage and visit checks, the plan
list, one household's assistance page (plan, measures, cadre, visits), the cadre register, and a
pairing cadre's own phone-sized page with the quick visit form."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from fupin.accounts.access import access_area, access_object, actor_prefixes, can, scope
from fupin.accounts.models import User
from fupin.areas.models import Area, AreaLevel
from fupin.assistance import selectors, services
from fupin.assistance.forms import (
    AssignForm,
    CadreProfileForm,
    MeasureForm,
    MeasureStatusForm,
    PlanForm,
    QuickVisitForm,
    VisitForm,
)
from fupin.assistance.models import PlanMeasure
from fupin.core import clock
from fupin.core.errors import ApplicationError
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table


def _household_link(plan) -> str:
    return reverse("assistance:household", args=[plan.household_id])


PLAN_COLUMNS = [
    Column("household", _lazy("户编号"), sort="household__household_number", link=_household_link,
           render=lambda p: p.household.household_number),
    Column("head", _lazy("户主"), render=lambda p: p.head_name or ""),
    Column("village", _lazy("行政村"), sort="household__village__code", render=lambda p: p.household.village.name),
    Column("year", _lazy("年度"), sort="year"),
    Column("in_place", _lazy("已落实措施"), sort="in_place"),
    Column("planned", _lazy("计划措施"), sort="planned"),
]
CADRE_COLUMNS = [
    Column("name", _lazy("姓名"), sort="name"),
    Column("unit_kind", _lazy("单位类别"), sort="unit_kind", render=lambda p: p.get_unit_kind_display()),
    Column("unit_name", _lazy("工作单位"), sort="unit_name"),
    Column("position", _lazy("职务")),
    Column("area", _lazy("帮扶地区"), sort="area__code", render=lambda p: p.area.name),
    Column("phone", _lazy("联系电话"), render=lambda p: p.shown_phone),
    Column("households", _lazy("结对户数"), sort="households"),
]


def _area_and_year(request):
    """The area asked for (else the actor's widest area), the registry year and the month."""
    code = request.GET.get("area", "").strip()
    if not code:
        prefixes = actor_prefixes(request.user, "assistance.view")
        code = min(prefixes, key=len) if prefixes else ""
    area = access_area(request.user, code.ljust(12, "0")[:12] if code.isdigit() else code, "assistance.view")
    today = clock.today()
    year_text = request.GET.get("year", "")
    year = (int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100
            else selectors.latest_year(request.user, area.code) or today.year)
    try:
        month = dt.date.fromisoformat(request.GET.get("month", "") + "-01") if request.GET.get("month") else today
    except ValueError:
        month = today
    return area, year, month


@requires("assistance.view")
def index(request):
    area, year, month = _area_and_year(request)
    return render(request, "assistance/index.html", {
        "area": area, "year": year, "month": month.replace(day=1),
        "coverage": selectors.coverage(request.user, area.code, year),
        "visits": selectors.visit_check(request.user, area.code, year, month),
        "failing": selectors.plans_failing_rule(request.user, area.code, year)[:100],
        "can_assign": can(request.user, "cadre.assign", area.code),
    })


@requires("assistance.view")
def plan_list(request):
    table = Table(request, selectors.plan_rows(request.user), columns=PLAN_COLUMNS,
                  filters=[Filter("q", _lazy("户编号"), "household__household_number__startswith"),
                           Filter("year", _lazy("年度"), "year", clean=lambda v: int(v) if v.isdigit() else 0)],
                  default_sort="household")
    return render(request, "assistance/plan_list.html", {"table": table})


@requires("assistance.view")
def find(request):
    """Open a household's assistance page by its 户编号 (the latest year the actor may see)."""
    number = request.GET.get("number", "").strip()
    household = selectors.household_by_number(request.user, number) if number else None
    if household is None:
        messages.error(request, _("没有找到户编号为“%(n)s”的农户（或不在您的管辖范围内）") % {"n": number[:30]})
        return redirect("assistance:plans")
    return redirect("assistance:household", household.pk)


@requires("assistance.view")
def household_page(request, household_id: int):
    household = selectors.household_for(request.user, household_id)
    code = household.village.code
    plan = selectors.plan_of(request.user, household)
    today = clock.today()
    cadres = selectors.cadre_profiles(request.user).filter(area__code__in=_ancestor_codes(code))
    current = selectors.profile_of(household.pairing_cadre) if household.pairing_cadre_id else None
    return render(request, "assistance/household.html", {
        "household": household, "plan": plan, "current_cadre": current,
        "cadre_phone": selectors.cadre_phone(current, request.user, code),
        "measures": [(m, MeasureStatusForm(initial={"status": m.status, "end_date": m.end_date,
                                                    "version": m.version}, prefix=f"m{m.pk}"))
                     for m in (plan.measures.all() if plan else [])],
        "check": selectors.plan_check(plan) if plan else None,
        "history": selectors.assignment_history(request.user, household),
        "visits": selectors.visits_of(request.user, household),
        "can_plan": can(request.user, "assistance.plan", code),
        "can_assign": can(request.user, "cadre.assign", code),
        "can_visit": can(request.user, "visit.record", code),
        "plan_form": PlanForm(), "measure_form": MeasureForm(initial={"start_date": today, "status": "planned",
                                                                      "plan_version": plan.version if plan else None}),
        "assign_form": AssignForm(cadres=cadres, initial={"started_on": today, "version": household.version}),
        "visit_form": VisitForm(initial={"visited_on": today}),
    })


def _ancestor_codes(code: str) -> list[str]:
    """The 12-digit codes of a village and the township, county, city and province above it."""
    return [code[:n].ljust(12, "0") for n in (2, 4, 6, 9, 12)]


def _done(request, household_id: int, message: str):
    messages.success(request, message)
    return redirect("assistance:household", household_id)


def _failed(request, household_id: int, exc: ApplicationError | None = None, form=None):
    if exc is not None:
        messages.error(request, exc.message)
    elif form is not None:
        messages.error(request, "；".join(f"{form.fields[k].label if k in form.fields else ''}{'：' if k in form.fields else ''}{e}"
                                         for k, errs in form.errors.items() for e in errs))
    return redirect("assistance:household", household_id)


@requires("assistance.plan")
@require_POST
def plan_new(request, household_id: int):
    household = selectors.household_for(request.user, household_id, "assistance.plan")
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _failed(request, household_id, form=form)
    try:
        services.plan_create(actor=request.user, household=household, **form.cleaned_data)
    except ApplicationError as exc:
        return _failed(request, household_id, exc)
    return _done(request, household_id, _("已制定帮扶计划"))


@requires("assistance.plan")
@require_POST
def measure_new(request, household_id: int):
    household = selectors.household_for(request.user, household_id, "assistance.plan")
    plan = selectors.plans_visible(request.user, "assistance.plan").filter(household=household).first()
    form = MeasureForm(request.POST)
    if plan is None or not form.is_valid():
        return _failed(request, household_id, form=form) if plan else _failed(request, household_id)
    data = form.cleaned_data
    version = data.pop("plan_version")
    try:
        measure = services.measure_add(actor=request.user, plan=plan, data=data, plan_version=version)
    except ApplicationError as exc:
        return _failed(request, household_id, exc)
    return _done(request, household_id, _("已添加帮扶措施：%(n)s") % {"n": measure.name})


@requires("assistance.plan")
@require_POST
def measure_status(request, measure_id: int):
    measure = access_object(request.user, PlanMeasure.objects.select_related("plan__household__village"),
                            measure_id, "assistance.plan", code_path=selectors.MEASURE_CODE)
    household_id = measure.plan.household_id
    form = MeasureStatusForm(request.POST, prefix=f"m{measure.pk}")
    if not form.is_valid():
        return _failed(request, household_id, form=form)
    data = form.cleaned_data
    try:
        services.measure_update(actor=request.user, measure=measure, version=data["version"],
                                changes={"status": data["status"], "end_date": data["end_date"]})
    except ApplicationError as exc:
        return _failed(request, household_id, exc)
    return _done(request, household_id, _("已更新措施状态：%(n)s") % {"n": measure.name})


@requires("cadre.assign")
@require_POST
def assign(request, household_id: int):
    household = selectors.household_for(request.user, household_id, "cadre.assign")
    cadres = selectors.cadre_profiles(request.user)
    form = AssignForm(request.POST, cadres=cadres)
    if not form.is_valid():
        return _failed(request, household_id, form=form)
    data = form.cleaned_data
    try:
        cadre = User.objects.get(pk=data["cadre"])
        services.cadre_assign(actor=request.user, household=household, cadre=cadre, started_on=data["started_on"],
                              version=data["version"], reason=data["reason"])
    except ApplicationError as exc:
        return _failed(request, household_id, exc)
    return _done(request, household_id, _("已安排帮扶责任人"))


@requires("visit.record")
@require_POST
def visit_new(request, household_id: int):
    household = selectors.household_for(request.user, household_id, "visit.record")
    form = VisitForm(request.POST)
    if not form.is_valid():
        return _failed(request, household_id, form=form)
    try:
        services.visit_record(actor=request.user, household=household, data=form.cleaned_data)
    except ApplicationError as exc:
        return _failed(request, household_id, exc)
    return _done(request, household_id, _("已登记帮扶记录"))


@requires("assistance.view")
def cadre_list(request):
    qs = selectors.cadre_rows(request.user)
    table = Table(request, qs, columns=CADRE_COLUMNS, filters=[Filter("q", _lazy("姓名"), "name__contains")],
                  default_sort="name")
    for profile in table.page.object_list:
        profile.shown_phone = selectors.cadre_phone(profile, request.user, profile.area.code)
    return render(request, "assistance/cadre_list.html", {
        "table": table, "can_assign": can(request.user, "cadre.assign")})


@requires("cadre.assign")
def cadre_new(request):
    areas = scope(Area.objects.current().filter(level__in=[AreaLevel.COUNTY, AreaLevel.TOWNSHIP, AreaLevel.VILLAGE]),
                  request.user, "cadre.assign", code_path="code").order_by("code")[:2000]
    users = selectors.cadre_candidates(request.user)
    form = CadreProfileForm(request.POST or None, users=users, areas=areas)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = users.get(pk=data.pop("user"))
            services.cadre_profile_save(actor=request.user, user=user, area_code=data.pop("area"), data=data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        except User.DoesNotExist:
            form.add_error("user", _("账号不存在"))
        else:
            messages.success(request, _("已登记帮扶责任人：%(n)s") % {"n": data["name"]})
            return redirect("assistance:cadres")
    return render(request, "assistance/form.html", {"form": form, "title": _("登记帮扶责任人"),
                                                    "back": reverse("assistance:cadres"), "back_label": _("帮扶责任人")})


@requires("visit.record")
def mine(request):
    """The pairing cadre's own page: my households, visits due this month, a quick visit form."""
    rows = selectors.cadre_households(request.user)
    households = [r["household"] for r in rows]
    form = QuickVisitForm(request.POST or None, households=households,
                          initial={"visited_on": clock.today(), "visitor_role": "pairing_cadre"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = next(h for h in households if h.pk == data.pop("household"))
        try:
            services.visit_record(actor=request.user, household=household, data=data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记 %(h)s 的帮扶记录") % {"h": household.household_number})
            return redirect("assistance:mine")
    return render(request, "assistance/mine.html", {
        "rows": rows, "form": form, "month": clock.today().replace(day=1),
        "due_total": sum(r["due"] for r in rows), "profile": selectors.profile_of(request.user)})
