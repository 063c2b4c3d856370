"""Pages of supervision and rectification: the problem list, a finding with its ledger and the forms of
the step due, overdue findings, campaigns with their 回头看 visits, checklists, and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from fupin.accounts.access import can, can_see_pii, require, scope
from fupin.areas.models import Area, AreaLevel
from fupin.core import clock
from fupin.core.errors import ApplicationError
from fupin.core.pdf import html_to_pdf
from fupin.core.uploads import file_response
from fupin.core.validators import mask_phone
from fupin.supervision import exports, lookback, services
from fupin.supervision.evidence import AREA as EVIDENCE_AREA
from fupin.supervision.forms import (
    CampaignForm,
    EditForm,
    EvidenceForm,
    FindingForm,
    QualityImportForm,
    ReportForm,
    VerifyForm,
    VisitForm,
)
from fupin.supervision.models import (
    CampaignKind,
    CampaignStatus,
    ChecklistItem,
    FindingSource,
    FindingStatus,
    Severity,
    VisitResult,
)
from fupin.supervision.selectors import (
    campaign_get,
    campaigns_visible,
    check_get,
    checklist_get,
    checklists_visible,
    checks_visible,
    evidence_get,
    finding_evidence,
    finding_get,
    finding_steps,
    findings_overdue,
    findings_visible,
    status_counts,
)
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _finding_link(f) -> str:
    return reverse("supervision:finding", args=[f.pk])


def _status(f) -> str:
    label = f.get_status_display()
    return f"{label}（逾期）" if f.is_overdue(clock.today()) else label


FINDING_COLUMNS = [
    Column("pk", _lazy("编号"), sort="pk", link=_finding_link),
    Column("area", _lazy("问题所在"), sort="area__code", render=lambda f: f.area.name),
    Column("description", _lazy("问题描述"), render=lambda f: f.description[:60], link=_finding_link),
    Column("severity", _lazy("严重程度"), sort="severity", render=lambda f: f.get_severity_display()),
    Column("source", _lazy("来源"), sort="source", render=lambda f: f.get_source_display()),
    Column("responsible", _lazy("责任单位"), sort="responsible_area__code", render=lambda f: f.responsible_label),
    Column("deadline", _lazy("整改时限"), sort="deadline"),
    Column("status", _lazy("状态"), sort="status", render=_status),
]
FINDING_FILTERS = [
    Filter("q", _lazy("问题描述"), "description__contains"),
    Filter("status", _lazy("状态"), "status", choices=list(FindingStatus.choices)),
    Filter("severity", _lazy("严重程度"), "severity", choices=list(Severity.choices)),
    Filter("source", _lazy("来源"), "source", choices=list(FindingSource.choices)),
    Filter("area", _lazy("区划代码"), "area__code__startswith"),
]


def _errors_to_form(form, exc: ApplicationError) -> None:
    errors = exc.details.get("errors") or {}
    for key, message in errors.items():
        form.add_error(key if key in form.fields else None, message)
    if not errors:
        form.add_error(None, exc.message)


def _areas(user, action: str, levels=(AreaLevel.TOWNSHIP, AreaLevel.VILLAGE)):
    return scope(Area.objects.current().filter(level__in=levels), user, action, code_path="code").order_by("code")


@requires("progress.view")
def finding_list(request):
    table = Table(request, findings_visible(actor=request.user), columns=FINDING_COLUMNS, filters=FINDING_FILTERS,
                  default_sort="deadline")
    return render(request, "supervision/finding_list.html", {
        "table": table, "counts": status_counts(findings_visible(actor=request.user)),
        "can_manage": can(request.user, "supervision.manage"), "query": request.GET.urlencode()})


@requires("supervision.manage")
def finding_new(request):
    campaigns = campaigns_visible(actor=request.user, action="supervision.manage").filter(status=CampaignStatus.OPEN)
    items = ChecklistItem.objects.filter(checklist__campaigns__in=campaigns).distinct().order_by("checklist", "position")
    form = FindingForm(request.POST or None, areas=_areas(request.user, "supervision.manage"), campaigns=campaigns,
                       items=items, initial={"found_on": clock.today(), "campaign": request.GET.get("campaign")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaigns.get(pk=data["campaign"]) if data["campaign"] else None
            item = items.get(pk=data["checklist_item"]) if data["checklist_item"] else None
            finding = services.finding_record(
                actor=request.user, area_code=data["area"], description=data["description"],
                severity=data["severity"], responsible_kind=data["responsible_kind"],
                responsible_department=data["responsible_department"], found_on=data["found_on"],
                deadline=data["deadline"], campaign=campaign, checklist_item=item)
        except ApplicationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已登记问题，编号 %(n)s") % {"n": finding.pk})
            return redirect("supervision:finding", finding.pk)
    return render(request, "supervision/form.html", {"form": form, "title": _("登记督查问题"),
                                                     "back": reverse("supervision:findings"),
                                                     "back_label": _("问题清单")})


def _detail_context(request, finding, **forms):
    user = request.user
    can_rectify = services.may_rectify(user, finding) and finding.status in (FindingStatus.OPEN,
                                                                             FindingStatus.RETURNED)
    can_add = services.may_rectify(user, finding) and finding.status != FindingStatus.CLOSED
    can_verify = can(user, "supervision.manage", finding.area.code) and finding.status == FindingStatus.REPORTED
    can_edit = can(user, "supervision.manage", finding.area.code) and finding.status != FindingStatus.CLOSED
    version = {"version": finding.version}
    return {
        "finding": finding, "steps": finding_steps(finding=finding), "evidence": finding_evidence(finding=finding),
        "overdue": finding.is_overdue(clock.today()),
        "report_form": forms.get("report_form") or (ReportForm(initial=version) if can_rectify else None),
        "evidence_form": forms.get("evidence_form") or (EvidenceForm() if can_add and not can_rectify else None),
        "verify_form": forms.get("verify_form") or (VerifyForm(initial=version) if can_verify else None),
        "edit_form": forms.get("edit_form") or (EditForm(initial={**version, "description": finding.description,
                                                                  "severity": finding.severity,
                                                                  "deadline": finding.deadline})
                                                if can_edit else None),
    }


@requires("progress.view")
def finding_detail(request, finding_id: int):
    finding = finding_get(actor=request.user, finding_id=finding_id)
    return render(request, "supervision/finding_detail.html", _detail_context(request, finding))


def _step_post(request, finding_id: int, form_class, key: str, action):
    finding = finding_get(actor=request.user, finding_id=finding_id)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = action(finding, form.cleaned_data)
        except ApplicationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, message)
            return redirect("supervision:finding", finding.pk)
    finding.refresh_from_db()
    return render(request, "supervision/finding_detail.html", _detail_context(request, finding, **{key: form}),
                  status=400)


@requires("rectification.act")
@require_POST
def finding_report(request, finding_id: int):
    def act(finding, data):
        services.rectification_report(actor=request.user, finding=finding, measures=data["measures"],
                                      uploads=data["files"], version=data["version"])
        return _("已上报整改情况，等待县里核验")
    return _step_post(request, finding_id, ReportForm, "report_form", act)


@requires("rectification.act")
@require_POST
def finding_evidence_add(request, finding_id: int):
    def act(finding, data):
        made = services.evidence_add(actor=request.user, finding=finding, uploads=data["files"], note=data["note"])
        return _("已补充 %(n)s 个佐证材料") % {"n": len(made)}
    return _step_post(request, finding_id, EvidenceForm, "evidence_form", act)


@requires("supervision.manage")
@require_POST
def finding_verify(request, finding_id: int):
    def act(finding, data):
        if data["decision"] == "close":
            services.finding_close(actor=request.user, finding=finding, comment=data["comment"],
                                   version=data["version"])
            return _("已核验销号")
        services.finding_return(actor=request.user, finding=finding, comment=data["comment"], version=data["version"])
        return _("已退回重新整改")
    return _step_post(request, finding_id, VerifyForm, "verify_form", act)


@requires("supervision.manage")
@require_POST
def finding_edit(request, finding_id: int):
    def act(finding, data):
        services.finding_update(actor=request.user, finding=finding, **data)
        return _("已修改问题")
    return _step_post(request, finding_id, EditForm, "edit_form", act)


@requires("progress.view")
def evidence_download(request, finding_id: int, evidence_id: int):
    finding = finding_get(actor=request.user, finding_id=finding_id)
    item = evidence_get(actor=request.user, finding=finding, evidence_id=evidence_id)
    response = file_response(EVIDENCE_AREA, item.stored_name, item.file_name)
    if response is None:
        messages.error(request, _("佐证材料文件已不在服务器上：%(n)s") % {"n": item.file_name})
        return redirect("supervision:finding", finding.pk)
    return response


@requires("progress.view")
def overdue_list(request):
    table = Table(request, findings_overdue(actor=request.user), columns=[
        *FINDING_COLUMNS[:-1],
        Column("escalated", _lazy("督办"), sort="escalated_on",
               render=lambda f: f"{f.escalated_on} 督办至上级" if f.escalated_on else "—")],
        filters=FINDING_FILTERS[:1], default_sort="deadline")
    return render(request, "supervision/overdue.html", {"table": table})


def _export_qs(request):
    qs = findings_visible(actor=request.user)
    for f in FINDING_FILTERS:
        value = request.GET.get(f.name, "").strip()
        if value:
            qs = qs.filter(**{f.lookup: value})
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        qs = qs.filter(campaign=campaign_get(actor=request.user, campaign_id=int(campaign)))
    return qs


@requires("progress.view")
def export_problems(request):
    data = exports.workbook_bytes(exports.problem_list_workbook(_export_qs(request)))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E9%97%AE%E9%A2%98%E6%B8%85%E5%8D%95.xlsx"
    return response


@requires("progress.view")
def export_ledger(request):
    data = exports.workbook_bytes(exports.ledger_workbook(_export_qs(request)))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6.xlsx"
    return response


# --- campaigns ---------------------------------------------------------------------------------

CAMPAIGN_COLUMNS = [
    Column("name", _lazy("名称"), sort="name", link=lambda c: reverse("supervision:campaign", args=[c.pk])),
    Column("kind", _lazy("类型"), sort="kind", render=lambda c: c.get_kind_display()),
    Column("year", _lazy("年度"), sort="year"),
    Column("period", _lazy("期间"), sort="start_date", render=lambda c: f"{c.start_date} 至 {c.end_date}"),
    Column("status", _lazy("状态"), sort="status", render=lambda c: c.get_status_display()),
]


@requires("progress.view")
def campaign_list(request):
    table = Table(request, campaigns_visible(actor=request.user), columns=CAMPAIGN_COLUMNS,
                  filters=[Filter("kind", _lazy("类型"), "kind", choices=list(CampaignKind.choices))],
                  default_sort="-period")
    return render(request, "supervision/campaign_list.html", {
        "table": table, "can_manage": can(request.user, "supervision.manage"),
        "checklists": checklists_visible(actor=request.user)})


@requires("supervision.manage")
def campaign_new(request):
    counties = _areas(request.user, "supervision.manage", levels=(AreaLevel.COUNTY,))
    form = CampaignForm(request.POST or None, checklists=checklists_visible(actor=request.user),
                        townships=_areas(request.user, "supervision.manage", levels=(AreaLevel.TOWNSHIP,)),
                        initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        county = counties.filter(code__startswith=(data["covered"] or [""])[0][:6]).first() or counties.first()
        try:
            checklist = (checklist_get(actor=request.user, checklist_id=data["checklist"])
                         if data["checklist"] else None)
            campaign = services.campaign_create(
                actor=request.user, county_code=county.code if county else "", kind=data["kind"], name=data["name"],
                year=data["year"], start_date=data["start_date"], end_date=data["end_date"],
                covered_codes=data["covered"], inspectors=data["inspectors"], checklist=checklist,
                sample_percent=data["sample_percent"])
        except ApplicationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已登记督查活动：%(n)s") % {"n": campaign.name})
            return redirect("supervision:campaign", campaign.pk)
    return render(request, "supervision/form.html", {"form": form, "title": _("登记督查活动"),
                                                     "back": reverse("supervision:campaigns"),
                                                     "back_label": _("督查活动")})


def _check_columns(pii: bool):
    return [
        Column("village", _lazy("村"), sort="village__code", render=lambda c: c.village.name),
        Column("household_number", _lazy("户编号"), sort="household_number",
               link=lambda c: reverse("supervision:visit", args=[c.pk])),
        Column("head_name", _lazy("户主")),
        Column("phone", _lazy("联系电话"),
               render=lambda c: c.household.phone if pii else mask_phone(c.household.phone)),
        Column("result", _lazy("走访结果"), sort="result", render=lambda c: c.get_result_display()),
        Column("visited_on", _lazy("走访日期"), sort="visited_on"),
        Column("finding", _lazy("形成问题"), render=lambda c: c.finding_id or "",
               link=lambda c: reverse("supervision:finding", args=[c.finding_id]) if c.finding_id else ""),
    ]


@requires("progress.view")
def campaign_detail(request, campaign_id: int):
    campaign = campaign_get(actor=request.user, campaign_id=campaign_id)
    findings = findings_visible(actor=request.user).filter(campaign=campaign)
    checks = None
    if campaign.kind == CampaignKind.LOOKBACK:
        pii = can_see_pii(request.user, campaign.county.code)
        checks = Table(request, checks_visible(actor=request.user, campaign=campaign).select_related("household"),
                       columns=_check_columns(pii), default_sort="village",
                       filters=[Filter("result", _lazy("走访结果"), "result", choices=list(VisitResult.choices))])
    table = Table(request, findings, columns=FINDING_COLUMNS, default_sort="deadline", per_page=50)
    return render(request, "supervision/campaign_detail.html", {
        "campaign": campaign, "table": table, "checks": checks, "counts": status_counts(findings),
        "covered": campaign.covered.order_by("code"),
        "can_manage": can(request.user, "supervision.manage", campaign.county.code)
        and campaign.status == CampaignStatus.OPEN})


@requires("progress.view")
def campaign_report(request, campaign_id: int):
    """The signed rectification report of the campaign (PDF), over the findings the reader may see."""
    campaign = campaign_get(actor=request.user, campaign_id=campaign_id)
    findings = findings_visible(actor=request.user).filter(campaign=campaign)
    unit = request.GET.get("area", "")
    if unit.isdigit():
        findings = findings.filter(area__code__startswith=unit)
    try:
        pdf = html_to_pdf(exports.report_html(title=f"{campaign.name}问题整改情况报告",
                                              unit=campaign.county.name, findings=findings,
                                              counts=status_counts(findings)))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:campaign", campaign.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=rectification-{campaign.pk}.pdf"
    return response


@requires("progress.view")
def visit(request, check_id: int):
    check = check_get(actor=request.user, check_id=check_id)
    may_record = can(request.user, "rectification.act", check.village.code) and check.result == VisitResult.PENDING
    form = VisitForm(request.POST or None, initial={"version": check.version, "visited_on": clock.today()},
                     risk_types=lookback.risk_type_choices(check.household.year).items())
    if request.method == "POST":
        require(request.user, "rectification.act", check.village.code)
        if form.is_valid():
            data = form.cleaned_data
            try:
                lookback.lookback_record(actor=request.user, check=check, result=data["result"],
                                         visited_on=data["visited_on"], note=data["note"],
                                         risk_types=data["risk_types"], propose_monitoring=data["propose_monitoring"],
                                         version=data["version"])
            except ApplicationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("已登记走访结果"))
                return redirect("supervision:campaign", check.campaign_id)
    pii = can_see_pii(request.user, check.village.code)
    return render(request, "supervision/visit.html", {
        "check": check, "form": form if may_record else None,
        "phone": check.household.phone if pii else mask_phone(check.household.phone)})


@requires("progress.view")
def checklist_detail(request, checklist_id: int):
    checklist = checklist_get(actor=request.user, checklist_id=checklist_id)
    return render(request, "supervision/checklist.html", {"checklist": checklist,
                                                          "items": checklist.items.order_by("position")})


@requires("supervision.manage")
def quality_import(request):
    form = QualityImportForm(request.POST or None, initial={"year": clock.today().year},
                             areas=_areas(request.user, "supervision.manage",
                                          levels=(AreaLevel.COUNTY, AreaLevel.TOWNSHIP, AreaLevel.VILLAGE)))
    if request.method == "POST" and form.is_valid():
        try:
            added = services.findings_import_quality(actor=request.user, year=form.cleaned_data["year"],
                                                     area_code=form.cleaned_data["area"])
        except ApplicationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已导入 %(n)s 个数据质量问题（已在清单中的不重复导入）") % {"n": added})
            return redirect("supervision:findings")
    return render(request, "supervision/form.html", {"form": form, "title": _("导入建档立卡数据质量问题"),
                                                     "back": reverse("supervision:findings"),
                                                     "back_label": _("问题清单")})
