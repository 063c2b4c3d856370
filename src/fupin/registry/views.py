"""Pages of the registry: household list, the household file (一户一档), edit forms, registry years."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from fupin.accounts.access import can, scope
from fupin.areas.models import Area, AreaLevel
from fupin.core.errors import Conflict, NotFound, ValidationFailed
from fupin.policy.households import household_evaluate, policy_rows
from fupin.registry import schema
from fupin.registry.card import card_sections, household_links
from fupin.registry.dictionaries import code_lists_for_year
from fupin.registry.forms import HouseholdForm, PersonForm, initial_of
from fupin.registry.models import Household, HouseholdStatus, PersonStatus
from fupin.registry.reviews import household_change_start
from fupin.registry.selectors import (
    cadres_for,
    can_edit,
    household_file,
    household_get,
    household_list,
    household_members,
    household_search,
    person_get,
    registry_years,
    year_frozen,
    years_available,
)
from fupin.registry.services import household_update, registry_year_freeze, registry_year_unfreeze
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table
from fupin.workflow.models import Review
from fupin.workflow.selectors import open_review_for


def _household_link(h: Household) -> str:
    return reverse("registry:household", args=[h.pk])


def _columns(codes):
    return [
        Column("household_number", _lazy("户编号"), sort="household_number", link=_household_link),
        Column("head_name", _lazy("户主"), link=_household_link),
        Column("village", _lazy("行政村"), sort="village__code", render=lambda h: h.village.name),
        Column("member_count", _lazy("人数"), sort="member_count"),
        Column("status", _lazy("户状态"), sort="status", render=lambda h: h.get_status_display()),
        Column("poverty_attribute", _lazy("贫困户属性"),
               render=lambda h: codes.label("poverty_attribute", h.poverty_attribute)),
        Column("main_cause", _lazy("主要致贫原因"), render=lambda h: codes.label("poverty_cause", h.main_cause)),
        Column("per_capita_net_income", _lazy("人均纯收入（元）"), sort="per_capita_net_income"),
    ]


def _filters(request, codes, years):
    villages = scope(Area.objects.current().filter(level=AreaLevel.VILLAGE), request.user, "registry.view",
                     code_path="code").filter(name__contains="村").exclude(name__contains="社区").order_by("code")
    return [
        Filter("year", _lazy("年度"), "year", choices=[(str(y), str(y)) for y in years]),
        Filter("q", _lazy("姓名/证件号码/户编号"), "pk__in",
               clean=lambda v: household_search(Household.objects.all(), v).values("pk")),
        Filter("village", _lazy("行政村"), "village__code", choices=[(v.code, v.name) for v in villages]),
        Filter("status", _lazy("户状态"), "status", choices=list(HouseholdStatus.choices)),
        Filter("attribute", _lazy("贫困户属性"), "poverty_attribute", choices=codes.choices("poverty_attribute")),
        Filter("cause", _lazy("主要致贫原因"), "main_cause", choices=codes.choices("poverty_cause")),
    ]


@requires("registry.view")
def household_list_view(request):
    years = years_available(request.user)
    if years and not request.GET.get("year"):
        return redirect(f"{request.path}?{urlencode({**request.GET.dict(), 'year': years[0]})}")
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else (years[0] if years else 2020)
    codes = code_lists_for_year(year)
    table = Table(request, household_list(request.user), columns=_columns(codes),
                  filters=_filters(request, codes, years), default_sort="household_number")
    return render(request, "registry/list.html", {"table": table, "year": year,
                                                  "can_create": can(request.user, "registry.edit")})


@requires("registry.view")
def household_detail_view(request, pk: int):
    household = household_get(request.user, pk)
    context = household_file(request.user, household)
    context["frozen"] = year_frozen(year=household.year, village_code=household.village.code)
    context["can_edit"] = can_edit(request.user, household) and not context["frozen"]
    context["open_review"] = open_review_for(household)
    context["card_sections"] = card_sections(household, request.user)
    context["household_links"] = household_links(household, request.user)
    try:
        context["policy"] = policy_rows(household_evaluate(household))
    except NotFound as exc:
        context["policy_error"] = exc.message
    return render(request, "registry/detail.html", context)


@require_POST
@requires("registry.view")
def household_change_view(request, pk: int):
    """Start a lifecycle change: a reviewed one opens its review and goes to the review page."""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise ValidationFailed(_("缺少版本号，请刷新页面后重试"), code="version_required") from None
    outcome = household_change_start(actor=request.user, household_id=pk, transition=request.POST.get("transition", ""),
                                     reason=request.POST.get("reason", ""), expected_version=version)
    if isinstance(outcome, Review):
        messages.success(request, _("已提出申请，进入审核：%(r)s") % {"r": outcome})
        return redirect("workflow:detail", outcome.pk)
    messages.success(request, _("状态已变更为：%(s)s") % {"s": outcome.get_status_display()})
    return redirect("registry:household", pk)


def _norm(value) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(value, list | tuple):
        return ",".join(sorted(str(v) for v in value))
    return str(value)


def _compare(form, current: dict, names) -> list[dict]:
    """What the user submitted next to what the record holds now, for the fields where they differ."""
    rows = []
    for name in names:
        if name not in form.fields:
            continue
        mine, theirs = form.cleaned_data.get(name), current.get(name)
        if _norm(mine) != _norm(theirs):
            field = form.fields[name]
            rows.append({"label": field.label, "mine": _shown(field, mine), "current": _shown(field, theirs)})
    return rows


def _shown(field, value) -> str:
    choices = dict((str(k), v) for k, v in getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return "、".join(str(choices.get(str(v), v)) for v in value)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(choices.get(str(value), value))


@requires("registry.edit")
def household_edit_view(request, pk: int):
    household = household_get(request.user, pk, "registry.edit")
    codes = code_lists_for_year(household.year)
    cadres = cadres_for(household.village.code)
    form_kwargs = {"codes": codes, "cadres": cadres}
    stale = []
    if request.method == "POST":
        form = HouseholdForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                household_update(actor=request.user, household_id=household.pk,
                                 expected_version=form.cleaned_data["version"], data=form.changes(household))
            except Conflict as exc:
                household.refresh_from_db()
                current = initial_of(household, HouseholdForm.names)
                stale = _compare(form, current, [*HouseholdForm.names, "pairing_cadre"])
                data = request.POST.copy()
                data["version"] = household.version
                form = HouseholdForm(data, **form_kwargs)
                form.is_valid()
                form.add_error(None, exc.message)
            except ValidationFailed as exc:
                for message in form.apply_problems(exc.details.get("problems", [])) or (
                        [] if exc.details.get("problems") else [exc.message]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("已保存"))
                return redirect("registry:household", pk=household.pk)
    else:
        form = HouseholdForm(initial=initial_of(household, HouseholdForm.names), **form_kwargs)
    return render(request, "registry/edit.html", {"household": household, "form": form, "stale": stale,
                                                  "groups": _household_groups(form)})


def _household_groups(form) -> list[tuple[str, list]]:
    groups = [
        (_("基本信息"), ["natural_village", "address", "phone", "pairing_cadre"]),
        (_("识别信息"), ["identification_standard", "poverty_attribute", "main_cause", "other_causes",
                     "first_identified_on", "military_family"]),
        (_("两不愁三保障与住房"), ["food_secure", "clothing_secure", "compulsory_education_secured",
                            "basic_medical_secured", "housing_secured", "safe_drinking_water", "housing_grade",
                            "housing_area"]),
        (_("收入核算（元/年）"), ["wage_income", "business_income", "property_income", "transfer_income",
                           "assistance_income", "production_costs", "transfer_expenses"]),
    ]
    return [(title, [form[n] for n in names]) for title, names in groups]


@requires("registry.edit")
def person_edit_view(request, pk: int):
    person = person_get(request.user, pk, "registry.edit")
    household = person.household
    codes = code_lists_for_year(household.year)
    successors = []
    if person.relation == schema.HEAD_RELATION and person.status == PersonStatus.ACTIVE:
        successors = [p for p in household_members(household) if p.pk != person.pk and p.status == PersonStatus.ACTIVE]
    form_kwargs = {"codes": codes, "successors": successors}
    stale = []
    if request.method == "POST":
        form = PersonForm(request.POST, **form_kwargs)
        if form.is_valid():
            persons = {person.pk: form.changes(person)}
            new_head = form.cleaned_data.get("new_head")
            if new_head:
                persons[new_head] = {"relation": schema.HEAD_RELATION}
            try:
                household_update(actor=request.user, household_id=household.pk,
                                 expected_version=form.cleaned_data["version"], persons=persons)
            except Conflict as exc:
                person.refresh_from_db()
                household.refresh_from_db()
                stale = _compare(form, initial_of(person, PersonForm.names), PersonForm.names)
                data = request.POST.copy()
                data["version"] = household.version
                form = PersonForm(data, **form_kwargs)
                form.is_valid()
                form.add_error(None, exc.message)
            except ValidationFailed as exc:
                for message in form.apply_problems(exc.details.get("problems", [])) or (
                        [] if exc.details.get("problems") else [exc.message]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("已保存"))
                return redirect("registry:household", pk=household.pk)
    else:
        form = PersonForm(initial=initial_of(person, PersonForm.names), **form_kwargs)
    return render(request, "registry/person_edit.html", {"person": person, "household": household, "form": form,
                                                         "stale": stale})


@requires("registry.view")
def year_list_view(request):
    years = list(registry_years(request.user))
    for row in years:
        row.can_freeze = can(request.user, "registry.freeze", row.county.code)
        row.households = Household.objects.filter(year=row.year, village__code__startswith=row.county.prefix).count()
    return render(request, "registry/years.html", {"years": years})


@require_POST
@requires("registry.freeze")
def year_freeze_view(request, county: str, year: int, action: str):
    if action not in ("freeze", "unfreeze"):
        raise NotFound(_("页面不存在"))
    note = request.POST.get("note", "")
    try:
        if action == "freeze":
            registry_year_freeze(actor=request.user, county_code=county, year=year, note=note)
            messages.success(request, _("%(y)s年度已封存") % {"y": year})
        else:
            registry_year_unfreeze(actor=request.user, county_code=county, year=year, note=note)
            messages.success(request, _("%(y)s年度已解除封存") % {"y": year})
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, exc.message)
    return redirect("registry:years")
