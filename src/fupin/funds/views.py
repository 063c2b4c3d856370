"""Pages of the funds context: thin views over the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from fupin.accounts.access import can, require
from fupin.areas.models import AreaLevel
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds import catalogue, forms
from fupin.funds import selectors as sel
from fupin.funds import services as svc
from fupin.funds.inventory import FORMS, inventory_workbook
from fupin.funds.ledger import net_value, project_ledger
from fupin.funds.models import (
    AssetType,
    DistributionPlan,
    FundPosting,
    LineKind,
    PlanStatus,
    ProjectCategory,
    ProjectStatus,
)
from fupin.funds.schemas import fund_rows_out
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table

REFUSED = (ValidationFailed, Conflict)


def _home_area(user) -> dict:
    """Prefill the owner with the user's own township or village, the usual case."""
    for assignment in user.assignments.select_related("area").order_by("-area__level"):
        if assignment.area.level in (AreaLevel.TOWNSHIP, AreaLevel.VILLAGE):
            return {"area_code": assignment.area.code}
    return {}


def _yuan(value) -> str:
    return f"{value:,.2f}"


# --- projects -------------------------------------------------------------------------------------

PROJECT_COLUMNS = [
    Column("code", _lazy("项目编号"), sort="code", link=lambda p: reverse("funds:project", args=[p.pk])),
    Column("name", _lazy("项目名称"), sort="name", link=lambda p: reverse("funds:project", args=[p.pk])),
    Column("area", _lazy("实施地点"), sort="area__code", render=lambda p: p.area.name),
    Column("year", _lazy("年度"), sort="year"),
    Column("category", _lazy("种类"), render=lambda p: p.get_category_display()),
    Column("total", _lazy("资金（元）"), render=lambda p: _yuan(sum(f.amount for f in p.funds.all()))),
    Column("progress", _lazy("进度"), sort="progress", render=lambda p: f"{p.progress}%"),
    Column("status", _lazy("状态"), sort="status", render=lambda p: p.get_status_display()),
]
PROJECT_FILTERS = [
    Filter("q", _lazy("项目名称"), "name__contains"),
    Filter("year", _lazy("年度"), "year", clean=lambda v: int(v) if v.isdigit() else 0),
    Filter("status", _lazy("状态"), "status", choices=ProjectStatus.choices),
    Filter("category", _lazy("种类"), "category", choices=ProjectCategory.choices),
    Filter("area", _lazy("区划代码前缀"), "area__code__startswith"),
]


@requires("funds.view")
def project_list(request):
    table = Table(request, sel.projects_visible(request.user), columns=PROJECT_COLUMNS, filters=PROJECT_FILTERS,
                  default_sort="-year")
    return render(request, "funds/project_list.html", {"table": table, "can_create": can(request.user, "funds.edit")})


@requires("funds.edit")
def project_new(request):
    form = forms.ProjectForm(request.POST or None, initial=_home_area(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith(("source_", "amount_"))}
        try:
            project = svc.project_create(actor=request.user, funds=form.fund_rows(), **data)
        except REFUSED as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记项目申报：%(c)s") % {"c": project.code})
            return redirect("funds:project", project.pk)
    return render(request, "funds/form.html", {"form": form, "title": _("项目申报（村申报）"),
                                               "back": reverse("funds:projects")})


@requires("funds.view")
def project_detail(request, pk: int):
    project = sel.project_get(request.user, pk)
    postings = list(FundPosting.objects.filter(project=project).order_by("posted_on", "id"))
    reversed_ids = {x.reverses_id for x in postings if x.reverses_id}
    for x in postings:
        x.source_label = catalogue.source_label(x.source)
    code = project.area.code
    return render(request, "funds/project_detail.html", {
        "project": project, "ledger": project_ledger(project), "postings": postings, "reversed_ids": reversed_ids,
        "reports": project.progress_reports.order_by("reported_on", "id"),
        "assets": project.assets.all(), "negative": catalogue.negative_hits(project.name, project.content),
        "can_edit": can(request.user, "funds.edit", code), "can_review": can(request.user, "funds.review", code),
        "can_approve": can(request.user, "funds.approve", code),
        "progress_form": forms.ProgressForm(),
        "allocation_form": forms.PostingForm(prefix="allocate"), "disbursement_form": forms.PostingForm(prefix="disburse"),
        "today": clock.today().isoformat(),
    })


PROJECT_STEPS = {
    "review": lambda u, p, d: svc.project_township_review(actor=u, project=p, on=d["on"], version=d["version"]),
    "publicise": lambda u, p, d: svc.project_publicise(actor=u, project=p, starts_on=d["on"], version=d["version"]),
    "approve": lambda u, p, d: svc.project_approve(actor=u, project=p, on=d["on"], version=d["version"]),
    "reject": lambda u, p, d: svc.project_reject(actor=u, project=p, on=d["on"], reason=d["reason"],
                                                 version=d["version"]),
    "complete": lambda u, p, d: svc.project_complete(actor=u, project=p, on=d["on"], version=d["version"]),
    "accept": lambda u, p, d: svc.project_accept(actor=u, project=p, on=d["on"], version=d["version"]),
}


def _act(request, form, apply, done: str):
    """Run one write from a detail page: its message on success, the rule's message when refused."""
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label if k in form.fields else ''}{' '.join(v)}"
                                         for k, v in form.errors.items()))
        return
    try:
        apply(form.cleaned_data)
    except REFUSED as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


@requires("funds.view")
@require_POST
def project_act(request, pk: int, step: str):
    project = sel.project_get(request.user, pk)
    if step in PROJECT_STEPS:
        _act(request, forms.StepForm(request.POST), lambda d: PROJECT_STEPS[step](request.user, project, d),
             _("已办理"))
    elif step == "progress":
        _act(request, forms.ProgressForm(request.POST),
             lambda d: svc.project_report_progress(actor=request.user, project=project, **d), _("已报告进度"))
    elif step in ("allocate", "disburse"):
        post = svc.allocation_post if step == "allocate" else svc.disbursement_post
        _act(request, forms.PostingForm(request.POST, prefix=step),
             lambda d: post(actor=request.user, project=project, **d),
             _("已记账"))
    else:
        messages.error(request, _("未知操作"))
    return redirect("funds:project", project.pk)


@requires("funds.view")
@require_POST
def posting_reverse(request, pk: int):
    posting = sel.posting_get(request.user, pk)
    _act(request, forms.ReverseForm(request.POST),
         lambda d: svc.posting_reverse(actor=request.user, posting=posting, **d), _("已冲正"))
    return redirect("funds:project", posting.project_id)


# --- assets ---------------------------------------------------------------------------------------

def _asset_columns(today):
    link = lambda a: reverse("funds:asset", args=[a.pk])  # noqa: E731
    return [
        Column("code", _lazy("资产编号"), sort="code", link=link),
        Column("name", _lazy("资产名称"), sort="name", link=link),
        Column("owner", _lazy("产权归属"), sort="area__code", render=lambda a: a.area.name),
        Column("type", _lazy("类型"), render=lambda a: f"{a.get_asset_type_display()}·{catalogue.subtype_label(a.subtype)}"),
        Column("original_value", _lazy("原始价值（元）"), sort="original_value", render=lambda a: _yuan(a.original_value)),
        Column("net", _lazy("目前净值（元）"), render=lambda a: _yuan(net_value(a, today))),
        Column("status", _lazy("状态"), sort="status", render=lambda a: a.get_status_display()),
    ]


ASSET_FILTERS = [
    Filter("q", _lazy("资产名称"), "name__contains"),
    Filter("asset_type", _lazy("资产类型"), "asset_type", choices=AssetType.choices),
    Filter("area", _lazy("区划代码前缀"), "area__code__startswith"),
]


@requires("funds.view")
def asset_list(request):
    today = clock.today()
    table = Table(request, sel.assets_visible(request.user), columns=_asset_columns(today), filters=ASSET_FILTERS,
                  default_sort="code")
    return render(request, "funds/asset_list.html", {
        "table": table, "stock": sel.stock(request.user, as_of=today), "can_create": can(request.user, "funds.edit"),
        "forms": [(n, f"附件{n} {f.title}") for n, f in FORMS.items()]})


@requires("funds.edit")
def asset_new(request):
    form = forms.AssetForm(request.POST or None, initial=_home_area(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith(("source_", "amount_"))}
        try:
            asset = svc.asset_register(actor=request.user, funds=form.fund_rows(), **data)
        except REFUSED as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记资产：%(c)s") % {"c": asset.code})
            return redirect("funds:asset", asset.pk)
    return render(request, "funds/form.html", {"form": form, "title": _("资产登记"), "back": reverse("funds:assets")})


@requires("funds.view")
def asset_detail(request, pk: int):
    asset = sel.asset_get(request.user, pk)
    code = asset.area.code
    contracts = list(asset.contracts.order_by("starts_on", "id"))
    return render(request, "funds/asset_detail.html", {
        "asset": asset, "summary": sel.asset_summary(asset), "contracts": contracts,
        "fund_rows": fund_rows_out(asset.funds.all()),
        "receipts": [r for c in contracts for r in c.receipts.order_by("received_on", "id")],
        "inventories": asset.inventories.order_by("year"), "disposals": asset.disposals.order_by("requested_on"),
        "can_edit": can(request.user, "funds.edit", code), "can_review": can(request.user, "funds.review", code),
        "contract_form": forms.ContractForm(), "receipt_form": forms.ReceiptForm(), "today": clock.today().isoformat(),
    })


@requires("funds.view")
@require_POST
def asset_act(request, pk: int, step: str):
    asset = sel.asset_get(request.user, pk)
    if step == "confirm":
        _act(request, forms.StepForm(request.POST),
             lambda d: svc.asset_confirm(actor=request.user, asset=asset, on=d["on"], version=d["version"]), _("已确权"))
    elif step == "contract":
        _act(request, forms.ContractForm(request.POST),
             lambda d: svc.contract_propose(actor=request.user, asset=asset, **d), _("已登记经营合同，待备案"))
    else:
        messages.error(request, _("未知操作"))
    return redirect("funds:asset", asset.pk)


@requires("funds.view")
@require_POST
def contract_act(request, pk: int, step: str):
    contract = sel.contract_get(request.user, pk)
    if step == "file":
        _act(request, forms.StepForm(request.POST),
             lambda d: svc.contract_file(actor=request.user, contract=contract, on=d["on"]), _("已备案"))
    elif step == "receipt":
        _act(request, forms.ReceiptForm(request.POST),
             lambda d: svc.income_receive(actor=request.user, contract=contract, **d), _("已登记收益到账"))
    else:
        messages.error(request, _("未知操作"))
    return redirect("funds:asset", contract.asset_id)


# --- equity ---------------------------------------------------------------------------------------

EQUITY_COLUMNS = [
    Column("code", _lazy("入股编号"), sort="code", link=lambda e: reverse("funds:equity", args=[e.pk])),
    Column("investee", _lazy("入股企业或合作社"), sort="investee", link=lambda e: reverse("funds:equity", args=[e.pk])),
    Column("owner", _lazy("资金所有权"), sort="area__code", render=lambda e: e.area.name),
    Column("year", _lazy("入股年度"), sort="year"),
    Column("amount", _lazy("入股额度（元）"), sort="amount", render=lambda e: _yuan(e.amount)),
    Column("dividend", _lazy("年分红（元）"), render=lambda e: _yuan(e.annual_dividend)),
    Column("period", _lazy("合同期"), render=lambda e: f"{e.starts_on} — {e.ends_on}"),
    Column("status", _lazy("状态"), render=lambda e: e.get_status_display()),
]


@requires("funds.view")
def equity_list(request):
    table = Table(request, sel.equity_visible(request.user), columns=EQUITY_COLUMNS,
                  filters=[Filter("q", _lazy("企业或合作社"), "investee__contains")], default_sort="-year")
    return render(request, "funds/equity_list.html", {"table": table, "can_create": can(request.user, "funds.edit")})


@requires("funds.edit")
def equity_new(request):
    form = forms.EquityForm(request.POST or None, initial=_home_area(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith(("source_", "amount_"))}
        try:
            equity = svc.equity_register(actor=request.user, funds=form.fund_rows(), **data)
        except REFUSED as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记资金入股：%(c)s") % {"c": equity.code})
            return redirect("funds:equity", equity.pk)
    return render(request, "funds/form.html", {"form": form, "title": _("资金入股登记"), "back": reverse("funds:equities")})


@requires("funds.view")
def equity_detail(request, pk: int):
    equity = sel.equity_get(request.user, pk)
    if request.method == "POST":
        _act(request, forms.ReceiptForm(request.POST),
             lambda d: svc.income_receive(actor=request.user, equity=equity, **d), _("已登记分红到账"))
        return redirect("funds:equity", equity.pk)
    return render(request, "funds/equity_detail.html", {
        "equity": equity, "instalments": sel.equity_instalments(equity), "fund_rows": fund_rows_out(equity.funds.all()),
        "receipts": equity.receipts.order_by("received_on", "id"), "receipt_form": forms.ReceiptForm(),
        "can_edit": can(request.user, "funds.edit", equity.area.code)})


# --- distribution plans ---------------------------------------------------------------------------

PLAN_COLUMNS = [
    Column("code", _lazy("方案编号"), sort="code", link=lambda p: reverse("funds:plan", args=[p.pk])),
    Column("title", _lazy("方案名称"), link=lambda p: reverse("funds:plan", args=[p.pk])),
    Column("owner", _lazy("产权人"), sort="area__code", render=lambda p: p.area.name),
    Column("year", _lazy("收益年度"), sort="year"),
    Column("income_total", _lazy("可分配收益（元）"), sort="income_total", render=lambda p: _yuan(p.income_total)),
    Column("status", _lazy("状态"), sort="status", render=lambda p: p.get_status_display()),
]


@requires("funds.view")
def plan_list(request):
    table = Table(request, sel.plans_visible(request.user), columns=PLAN_COLUMNS,
                  filters=[Filter("status", _lazy("状态"), "status", choices=PlanStatus.choices)], default_sort="-year")
    return render(request, "funds/plan_list.html", {"table": table, "can_create": can(request.user, "funds.edit")})


@requires("funds.edit")
def plan_new(request):
    form = forms.PlanForm(request.POST or None, initial=_home_area(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            lines = sel.household_lines_from_text(d["households"], area_code=d["area_code"], year=d["year"])
            for kind in (LineKind.COLLECTIVE, LineKind.PUBLIC_WELFARE, LineKind.RESERVE):
                if d.get(kind):
                    lines.append({"kind": kind, "village": d["area_code"], "amount": d[kind]})
            plan = svc.plan_create(actor=request.user, area_code=d["area_code"], year=d["year"], title=d["title"],
                                   income_total=d["income_total"], lines=lines)
        except REFUSED as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记分配方案：%(c)s") % {"c": plan.code})
            return redirect("funds:plan", plan.pk)
    return render(request, "funds/form.html", {"form": form, "title": _("收益分配方案"), "back": reverse("funds:plans")})


@requires("funds.view")
def plan_detail(request, pk: int):
    plan = sel.plan_get(request.user, pk)
    lines = list(sel.plan_lines(plan))
    household_total = sum(ln.amount for ln in lines if ln.kind == LineKind.HOUSEHOLD)
    code = plan.area.code
    return render(request, "funds/plan_detail.html", {
        "plan": plan, "lines": lines, "household_total": household_total,
        "household_share": household_total / plan.income_total * 100, "lines_total": sum(ln.amount for ln in lines),
        "can_edit": can(request.user, "funds.edit", code), "can_review": can(request.user, "funds.review", code),
        "can_approve": can(request.user, "funds.approve", code), "today": clock.today().isoformat()})


PLAN_STEPS = {"decide": svc.plan_decide, "publicise": svc.plan_publicise, "review": svc.plan_review,
              "approve": svc.plan_approve, "pay": svc.plan_pay}


@requires("funds.view")
@require_POST
def plan_act(request, pk: int, step: str):
    plan: DistributionPlan = sel.plan_get(request.user, pk)
    if step in PLAN_STEPS:
        _act(request, forms.StepForm(request.POST),
             lambda d: PLAN_STEPS[step](actor=request.user, plan=plan, on=d["on"], version=d["version"]), _("已办理"))
    elif step == "reject":
        _act(request, forms.StepForm(request.POST),
             lambda d: svc.plan_reject(actor=request.user, plan=plan, on=d["on"], reason=d["reason"],
                                       version=d["version"]), _("已退回"))
    else:
        messages.error(request, _("未知操作"))
    return redirect("funds:plan", plan.pk)


# --- reports --------------------------------------------------------------------------------------

@requires("funds.view")
def risk_report(request):
    findings = sel.fund_risks(request.user, area_prefix=request.GET.get("area", "").strip())
    return render(request, "funds/risks.html", {"findings": findings, "today": clock.today()})


@requires("funds.view")
def inventory_download(request):
    """附件1–4 as .xlsx for a county or township the reader may see."""
    try:
        form = int(request.GET.get("form", "0"))
    except ValueError:
        form = 0
    area = request.GET.get("area", "").strip().ljust(12, "0")
    if form not in FORMS:
        raise ValidationFailed(_("表号应为 1、2、3 或 4"), code="bad_form")
    require(request.user, "funds.view", area)
    workbook = inventory_workbook(form, area)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="asset-inventory-{form}-{area}.xlsx"'
    workbook.save(response)
    return response
