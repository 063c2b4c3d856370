"""Pages of anti-return monitoring: the case list, the case page (review, policy explanation,
elimination criteria, monthly records, history), the forms, and what is overdue."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fupin.accounts.access import can, require, scope
from fupin.areas.models import Area, AreaLevel
from fupin.core import clock
from fupin.core.errors import ApplicationError, NotFound
from fupin.monitoring import rhythm, services
from fupin.monitoring.forms import AnalysisForm, FactsForm, MonthlyForm, ProposeForm, ReasonForm, RefreshForm
from fupin.monitoring.models import CaseStatus, MonitoringCase
from fupin.monitoring.presenters import case_detail, case_rows
from fupin.monitoring.reviews import ELIMINATE, IDENTIFY
from fupin.monitoring.selectors import analyses_visible, case_get, case_list, monthly_records, overdue
from fupin.registry.dictionaries import code_lists_for_year, label_everywhere
from fupin.registry.models import Household
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table
from fupin.workflow.processes import get_process


def _step_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for kind in (IDENTIFY, ELIMINATE):
        for stage in get_process(kind).stages[1:]:
            seen.setdefault(stage.key, stage.label)
    return list(seen.items())


def _case_link(row: dict) -> str:
    return reverse("monitoring:case", args=[row["id"]])


COLUMNS = [
    Column("household_number", _lazy("户编号"), link=_case_link, render=lambda r: r["household_number"]),
    Column("village_name", _lazy("村"), render=lambda r: r["village_name"]),
    Column("case_type_label", _lazy("监测对象类型"), render=lambda r: r["case_type_label"]),
    Column("risk_types", _lazy("风险类型"), render=lambda r: "、".join(r["risk_type_labels"])),
    Column("risk_level", _lazy("风险等级"), render=lambda r: r["risk_level_label"] or "—"),
    Column("status", _lazy("状态"), render=lambda r: r["status_label"]),
    Column("step", _lazy("当前环节"), render=lambda r: r["step"] or "—"),
    Column("identified_on", _lazy("识别日期"), render=lambda r: r["identified_on"] or "—"),
    Column("eliminated_on", _lazy("消除日期"), render=lambda r: r["eliminated_on"] or "—"),
]


@requires("monitoring.view")
def case_list_view(request):
    params = request.GET
    qs = case_list(actor=request.user, area=params.get("area", ""), case_type=params.get("case_type", ""),
                   status=params.get("status", ""), step=params.get("step", ""), q=params.get("q", ""))
    # case_list applies the filters (the step needs the open reviews); these Filters only draw the form.
    filters = [Filter("q", _lazy("户编号或来源编号"), "pk__isnull", clean=lambda v: False),
               Filter("area", _lazy("区划代码"), "pk__isnull", clean=lambda v: False),
               Filter("case_type", _lazy("类型"), "pk__isnull", clean=lambda v: False,
                      choices=list(label_everywhere("monitoring_type").items())),
               Filter("status", _lazy("状态"), "pk__isnull", clean=lambda v: False, choices=list(CaseStatus.choices)),
               Filter("step", _lazy("环节"), "pk__isnull", clean=lambda v: False, choices=_step_choices())]
    table = Table(request, qs, columns=COLUMNS, filters=filters)
    table.page.object_list = case_rows(table.page.object_list)
    return render(request, "monitoring/case_list.html", {"table": table,
                                                         "can_propose": can(request.user, "monitoring.propose")})


@requires("monitoring.view")
def case_view(request, case_id: int):
    case = case_get(actor=request.user, case_id=case_id)
    detail = case_detail(request.user, case)
    code = case.village.code
    return render(request, "monitoring/case_detail.html", {
        "case": case, "d": detail, "records": monthly_records(case)[:24],
        "refreshes": case.refreshes.order_by("-year", "-quarter")[:8],
        "can_propose": can(request.user, "monitoring.propose", code),
        "can_review": can(request.user, "monitoring.review", code),
        "today": clock.today()})


def _fail(form, exc: ApplicationError) -> None:
    errors = exc.details.get("errors") or {}
    for key, message in errors.items():
        field = key if key in form.fields else f"fact_{key}" if f"fact_{key}" in form.fields else None
        form.add_error(field, message)
    if not errors:
        form.add_error(None, exc.message)


def _form_page(request, form, *, title, back, back_label, intro=""):
    return render(request, "monitoring/form.html", {"form": form, "title": title, "back": back,
                                                    "back_label": back_label, "intro": intro})


def _household(actor, number: str) -> Household:
    qs = scope(Household.objects.select_related("village"), actor, "monitoring.propose", code_path="village__code")
    household = qs.filter(household_number=number.strip()).order_by("-year").first()
    if household is None:
        raise NotFound(_("没有找到户编号为“%(n)s”的户，或不在您的管辖范围内") % {"n": number}, code="household_not_found")
    return household


@requires("monitoring.propose")
def propose_view(request):
    year = clock.today().year
    lists = code_lists_for_year(min(year, 2100))
    initial = {}
    if request.GET.get("household", "").isdigit():
        h = Household.objects.filter(pk=int(request.GET["household"])).first()
        if h is not None and can(request.user, "monitoring.propose", h.village.code):
            initial["household_number"] = h.household_number
            lists = code_lists_for_year(h.year)
    form = ProposeForm(request.POST or None, initial=initial, types=lists.choices("monitoring_type"),
                       risks=lists.choices("risk_type"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = _household(request.user, data["household_number"])
            case = services.case_open(actor=request.user, household=household, found_by=data["found_by"],
                                      reason=data["reason"], risk_types=data["risk_types"], source=data["source"],
                                      case_type=data["case_type"] or None, facts=form.facts(),
                                      override_reason=data["override_reason"])
        except ApplicationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("已提出监测对象，进入村委会研究评议"))
            return redirect("monitoring:case", case.pk)
    return _form_page(request, form, title=_("提出防返贫监测对象（村组摸排）"), back=reverse("monitoring:cases"),
                      back_label=_("防返贫监测"),
                      intro=_("排查信息用于核查七种不得纳入监测的情形；未核查的项目须在村委会评议前补齐。"))


def _case_action(request, case_id: int, action: str) -> MonitoringCase:
    case = case_get(actor=request.user, case_id=case_id)
    require(request.user, action, case.village.code)
    return case


@requires("monitoring.propose")
def facts_view(request, case_id: int):
    case = _case_action(request, case_id, "monitoring.propose")
    form = FactsForm(request.POST or None, facts=case.facts,
                     initial={"version": case.version, "override_reason": case.override_reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_set_facts(actor=request.user, case=case, expected_version=form.cleaned_data["version"],
                                    facts=form.facts(), override_reason=form.cleaned_data["override_reason"])
        except ApplicationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("已登记排查信息"))
            return redirect("monitoring:case", case.pk)
    return _form_page(request, form, title=_("登记排查信息"), back=reverse("monitoring:case", args=[case.pk]),
                      back_label=str(case))


@requires("monitoring.propose")
def monthly_view(request, case_id: int):
    case = _case_action(request, case_id, "monitoring.propose")
    form = MonthlyForm(request.POST or None, initial={"month": f"{clock.today():%Y-%m}"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        month, version = data.pop("month"), data.pop("version")
        try:
            rhythm.monthly_record_save(actor=request.user, case=case, month=month, data=data,
                                       expected_version=version)
        except ApplicationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("已登记 %(m)s 月度监测记录") % {"m": month})
            return redirect("monitoring:case", case.pk)
    return _form_page(request, form, title=_("登记月度监测记录"), back=reverse("monitoring:case", args=[case.pk]),
                      back_label=str(case), intro=_("修改已登记的月份时请在案例页点击该月的“修改”。"))


@requires("monitoring.propose")
def eliminate_view(request, case_id: int):
    case = _case_action(request, case_id, "monitoring.propose")
    form = ReasonForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            review = services.elimination_propose(actor=request.user, case=case, reason=form.cleaned_data["reason"],
                                                  expected_version=form.cleaned_data["version"])
        except ApplicationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("已提出风险消除，进入村委会评议"))
            return redirect("workflow:detail", review.pk)
    return _form_page(request, form, title=_("提出风险消除"), back=reverse("monitoring:case", args=[case.pk]),
                      back_label=str(case))


@requires("monitoring.review")
def reflag_view(request, case_id: int):
    case = _case_action(request, case_id, "monitoring.review")
    form = ReasonForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reflag(actor=request.user, case=case, reason=form.cleaned_data["reason"],
                                 expected_version=form.cleaned_data["version"])
        except ApplicationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("已回退风险消除，恢复监测"))
            return redirect("monitoring:case", case.pk)
    return _form_page(request, form, title=_("风险消除回退（再标注）"), back=reverse("monitoring:case", args=[case.pk]),
                      back_label=str(case))


@requires("monitoring.propose")
def refresh_view(request, case_id: int):
    case = _case_action(request, case_id, "monitoring.propose")
    today = clock.today()
    form = RefreshForm(request.POST or None, initial={"year": today.year, "quarter": rhythm.quarter_of(today)[1],
                                                      "risk_level": case.risk_level})
    if request.method == "POST" and form.is_valid():
        try:
            rhythm.refresh_save(actor=request.user, case=case, **form.cleaned_data)
        except ApplicationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("已登记季度信息采集"))
            return redirect("monitoring:case", case.pk)
    return _form_page(request, form, title=_("季度信息采集"), back=reverse("monitoring:case", args=[case.pk]),
                      back_label=str(case))


@requires("monitoring.view")
def overdue_view(request):
    items = overdue(actor=request.user, area_code=request.GET.get("area", ""))
    return render(request, "monitoring/overdue.html", {
        "items": items[:500], "total": len(items), "analyses": analyses_visible(actor=request.user)[:20],
        "can_analyse": can(request.user, "monitoring.review")})


@requires("monitoring.review")
def analysis_view(request):
    townships = scope(Area.objects.current().filter(level=AreaLevel.TOWNSHIP), request.user, "monitoring.review",
                      code_path="code").order_by("code")
    today = clock.today()
    form = AnalysisForm(request.POST or None, townships=townships,
                        initial={"year": today.year, "quarter": rhythm.quarter_of(today)[1], "held_on": today})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            rhythm.township_analysis_save(actor=request.user, township_code=data.pop("township"), **data)
        except ApplicationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("已登记乡镇季度研判"))
            return redirect("monitoring:overdue")
    return _form_page(request, form, title=_("登记乡镇季度研判"), back=reverse("monitoring:overdue"),
                      back_label=_("逾期事项"))
