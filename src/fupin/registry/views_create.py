"""建档 and 新增成员 pages: a new household with its head, and a new member of a household.

The forms only parse; `household_create` and `household_update` check every rule (codes, ID number,
one head, a person in one household per year, the village in the clerk's areas, a frozen year) and
their problems come back onto the named fields."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fupin.accounts.access import scope
from fupin.areas.models import Area, AreaLevel
from fupin.core import clock
from fupin.core.errors import Conflict, Locked, ValidationFailed
from fupin.registry import schema
from fupin.registry.dictionaries import code_lists_for_year
from fupin.registry.forms import HouseholdCreateForm, NewPersonForm
from fupin.registry.selectors import household_get, years_available
from fupin.registry.services import household_create, household_update
from fupin.web.decorators import requires


def _villages(user):
    return list(scope(Area.objects.current().filter(level=AreaLevel.VILLAGE), user, "registry.edit",
                      code_path="code").order_by("code"))


def _years(user) -> list[int]:
    years = years_available(user)
    return years or [clock.today().year]


def _apply(problems: list[dict], forms_by_entity: dict) -> list[str]:
    """Put each problem on its form's field; return the messages no field takes."""
    rest = []
    for p in problems:
        form = forms_by_entity.get(p.get("entity"))
        if form is not None and p.get("field") in form.fields:
            form.add_error(p["field"], p["message"])
        else:
            rest.append(p["message"])
    return rest


@requires("registry.edit")
def household_create_view(request):
    years = _years(request.user)
    raw_year = request.POST.get("year") or request.GET.get("year") or ""
    year = int(raw_year) if raw_year.isdigit() else years[0]
    codes = code_lists_for_year(year)
    kwargs = {"codes": codes, "villages": _villages(request.user), "years": years}
    if request.method == "POST":
        form = HouseholdCreateForm(request.POST, **kwargs)
        head = NewPersonForm(request.POST, prefix="head", head=True, with_version=False, codes=codes)
        if form.is_valid() & head.is_valid():
            try:
                household = household_create(actor=request.user, year=form.cleaned_data["year"], data=form.values(),
                                             persons=[head.values()])
            except (ValidationFailed, Locked) as exc:
                problems = exc.details.get("problems", []) if isinstance(exc, ValidationFailed) else []
                for message in _apply(problems, {schema.HOUSEHOLD: form, schema.PERSON: head}) or (
                        [] if problems else [exc.message]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("已建档：%(n)s。请继续添加家庭成员。") % {"n": household.household_number})
                return redirect("registry:household", pk=household.pk)
    else:
        form = HouseholdCreateForm(initial={"year": year}, **kwargs)
        head = NewPersonForm(prefix="head", head=True, with_version=False, codes=codes,
                             initial={"id_type": schema.ID_TYPE_RESIDENT})
    groups = [(_("户基本信息"), [form[n] for n in ("year", "village", "household_number", "natural_village", "address",
                                                 "phone")]),
              (_("识别信息"), [form[n] for n in ("identification_standard", "poverty_attribute", "main_cause",
                                             "other_causes", "first_identified_on", "military_family")]),
              (_("两不愁三保障与住房"), [form[n] for n in ("food_secure", "clothing_secure", "compulsory_education_secured",
                                                   "basic_medical_secured", "housing_secured",
                                                   "safe_drinking_water", "housing_grade", "housing_area")]),
              (_("收入核算（元/年）"), [form[n] for n in ("wage_income", "business_income", "property_income",
                                                  "transfer_income", "assistance_income", "production_costs",
                                                  "transfer_expenses")]),
              (_("户主"), list(head))]
    return render(request, "registry/create.html", {"form": form, "head": head, "groups": groups})


@requires("registry.edit")
def person_add_view(request, pk: int):
    household = household_get(request.user, pk, "registry.edit")
    codes = code_lists_for_year(household.year)
    if request.method == "POST":
        form = NewPersonForm(request.POST, codes=codes)
        if form.is_valid():
            try:
                household_update(actor=request.user, household_id=household.pk,
                                 expected_version=form.cleaned_data["version"], new_persons=[form.values()])
            except Conflict as exc:
                household.refresh_from_db()
                data = request.POST.copy()
                data["version"] = household.version
                form = NewPersonForm(data, codes=codes)
                form.is_valid()
                form.add_error(None, exc.message)
            except (ValidationFailed, Locked) as exc:
                problems = exc.details.get("problems", []) if isinstance(exc, ValidationFailed) else []
                for message in _apply(problems, {schema.PERSON: form}) or ([] if problems else [exc.message]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("已添加成员"))
                return redirect("registry:household", pk=household.pk)
    else:
        form = NewPersonForm(codes=codes, initial={"version": household.version, "id_type": schema.ID_TYPE_RESIDENT})
    return render(request, "registry/person_add.html", {"household": household, "form": form})
