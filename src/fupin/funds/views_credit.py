"""Pages of microcredit (扶贫小额信贷) and workshops (扶贫车间)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fupin.accounts.access import can
from fupin.core import clock
from fupin.core.errors import ValidationFailed
from fupin.funds import credit_book, excel_programs
from fupin.funds import forms_programs as fp
from fupin.funds import selectors_programs as sel
from fupin.funds.forms import StepForm
from fupin.funds.models import LoanRepayment, LoanStatus, WorkshopStatus
from fupin.funds.services import credit, workshops
from fupin.funds.views import _act, _home_area, _yuan
from fupin.funds.views_programs import _new, _report_args, _xlsx
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table

LOAN_COLUMNS = [
    Column("code", _lazy("贷款编号"), sort="code", link=lambda x: reverse("funds:loan", args=[x.pk])),
    Column("village", _lazy("所在村"), sort="village__code", render=lambda x: x.village.name),
    Column("borrower", _lazy("借款人"), render=lambda x: x.borrower.name),
    Column("lender", _lazy("贷款机构"), render=lambda x: x.lender.name),
    Column("amount", _lazy("申请金额（元）"), sort="amount", render=lambda x: _yuan(x.amount)),
    Column("due_on", _lazy("到期日"), sort="due_on"),
    Column("status", _lazy("状态"), sort="status", render=lambda x: x.get_status_display()),
]


@requires("funds.view")
def credit_home(request):
    table = Table(request, sel.loans_visible(request.user), columns=LOAN_COLUMNS,
                  filters=[Filter("status", _lazy("状态"), "status", choices=LoanStatus.choices)], default_sort="-applied_on")
    summary = sel.credit_summary(request.user)
    cov = summary["coverage"]
    notes = [_("%(l)s：风险补偿金 %(f)s，贷款余额 %(o)s，不良率 %(r)s%%%(s)s") % {
        "l": x.name, "f": _yuan(x.risk_fund), "o": _yuan(b["outstanding"]), "r": (b["npl_ratio"] * 100).quantize(1),
        "s": _("，已停止发放") if x.suspended else ""} for x, b in summary["lenders"]]
    notes.append(_("%(y)s年应贷尽贷：有贷款意愿 %(w)s 户，已贷款 %(b)s 户，未贷款 %(n)s 户") % {
        "y": summary["year"], "w": cov["willing"], "b": cov["with_loan"], "n": len(cov["without"])})
    warnings = [[w["loan"].code, w["loan"].village.name, credit_book.WARNING_LABELS[w["level"]], w["loan"].due_on,
                 w["days"], _yuan(w["balance"])] for w in summary["warnings"]]
    return render(request, "funds/program_list.html", {
        "tab": "credit", "heading": _("扶贫小额信贷"), "table": table, "table_id": "loans-table", "notes": notes,
        "actions": [(reverse("funds:loan_new"), _("贷款申请")),
                    (reverse("funds:ledger_import", args=["loans"]), _("从Excel导入贷款台账"))]
        if can(request.user, "funds.edit") else [],
        "report": reverse("funds:credit_report"),
        "tables": [{"title": _("逾期预警"), "headers": [_("贷款编号"), _("村"), _("预警"), _("到期日"), _("距到期（天）"),
                                                      _("贷款余额")], "rows": warnings}]})


@requires("funds.edit")
def loan_new(request):
    form = fp.LoanForm(request.POST or None, lenders=sel.lenders_visible(request.user))

    def create(d):
        person = fp.person_by_id_number(d.pop("borrower_id_number"))
        return credit.loan_apply(actor=request.user, borrower_id=person.pk, lender_id=d.pop("lender").pk, **d)
    return _new(request, form, create, _("扶贫小额信贷申请"), reverse("funds:credit"),
                lambda x: reverse("funds:loan", args=[x.pk]))


@requires("funds.view")
def loan_detail(request, pk: int):
    x = sel.loan_get(request.user, pk)
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "approve":
            _act(request, fp.LoanApproveForm(request.POST), lambda d: credit.loan_approve(actor=request.user, loan=x, **d),
                 _("已审批"))
        elif step == "repay":
            _act(request, fp.RepaymentForm(request.POST),
                 lambda d: credit.repayment_record(actor=request.user, loan=x, **d), _("已登记还款"))
        elif step == "reverse":
            def rev(d):
                row = LoanRepayment.objects.filter(loan=x, pk=d["entry"]).first()
                if row is None:
                    raise ValidationFailed(_("找不到该还款记录"), code="not_found")
                credit.repayment_reverse(actor=request.user, repayment=row, reason=d["reason"])
            _act(request, fp.ReverseForm(request.POST), rev, _("已冲正"))
        elif step in ("review", "disburse", "refuse"):
            fn = {"review": credit.loan_review, "disburse": credit.loan_disburse}.get(step)
            _act(request, StepForm(request.POST),
                 (lambda d: fn(actor=request.user, loan=x, on=d["on"], version=d["version"])) if fn else
                 (lambda d: credit.loan_refuse(actor=request.user, loan=x, on=d["on"], version=d["version"],
                                               reason=d["reason"])), _("已办理"))
        return redirect("funds:loan", x.pk)
    code, v = x.village.code, {"version": x.version}
    forms = []
    if x.status == LoanStatus.APPLIED and can(request.user, "funds.review", code):
        forms.append((_("乡镇审核备案"), StepForm(initial=v), "review"))
    if x.status == LoanStatus.REVIEWED and can(request.user, "funds.approve", code):
        forms.append((_("银行审批"), fp.LoanApproveForm(initial={**v, "amount": x.amount}), "approve"))
    if x.status == LoanStatus.APPROVED and can(request.user, "funds.approve", code):
        forms.append((_("发放"), StepForm(initial=v), "disburse"))
    if x.status in (LoanStatus.APPLIED, LoanStatus.REVIEWED, LoanStatus.APPROVED) and can(request.user, "funds.review", code):
        forms.append((_("不予贷款（填写原因）"), StepForm(initial=v), "refuse"))
    if x.status == LoanStatus.DISBURSED and can(request.user, "funds.edit", code):
        forms += [(_("登记还款"), fp.RepaymentForm(), "repay"), (_("冲正还款"), fp.ReverseForm(), "reverse")]
    failing = "、".join(x.eligibility.get("failing", [])) or _("全部满足")
    return render(request, "funds/program_detail.html", {
        "crumb": (reverse("funds:credit"), _("扶贫小额信贷")), "heading": f"{x.code} · {x.borrower.name}",
        "sub": f"{x.village.name} · {x.lender.name} · {x.get_status_display()}",
        "fields": [(_("证件号码"), sel.person_id_shown(request.user, x.borrower)), (_("户编号"), x.household.household_number),
                   (_("申请金额"), _yuan(x.amount)), (_("授信期限（年）"), x.term_years), (_("用途"), x.purpose),
                   (_("准入判定"), f"{x.rules_pack}：{failing}"), (_("审定金额"), _yuan(x.approved_amount) if x.approved_amount else "—"),
                   (_("年利率"), x.annual_rate or "—"), (_("发放 / 到期"), f"{x.disbursed_on or '—'} / {x.due_on or '—'}"),
                   (_("贷款余额"), _yuan(credit_book.outstanding(x))), (_("贴息金额"), _yuan(credit_book.interest_subsidy(x))),
                   (_("不予贷款原因"), x.refusal_reason or "—")],
        "tables": [{"title": _("还款"), "headers": [_("记录"), _("日期"), _("本金"), _("利息"), _("冲正记录")],
                    "rows": [[r.pk, r.paid_on, _yuan(r.principal), _yuan(r.interest), r.reverses_id or ""]
                             for r in x.repayments.all()]}],
        "forms": forms})


@requires("funds.view")
def credit_report(request):
    area, year = _report_args(request)
    return _xlsx(excel_programs.credit_workbook(area, year, clock.today()), f"microcredit-{year}-{area}.xlsx")


# --- workshops --------------------------------------------------------------------------------------

WORKSHOP_COLUMNS = [
    Column("code", _lazy("车间编号"), sort="code", link=lambda w: reverse("funds:workshop", args=[w.pk])),
    Column("name", _lazy("车间名称"), sort="name", link=lambda w: reverse("funds:workshop", args=[w.pk])),
    Column("village", _lazy("所在村"), sort="village__code", render=lambda w: w.village.name),
    Column("kind", _lazy("建设方式"), render=lambda w: w.get_kind_display()),
    Column("employees", _lazy("就业 / 贫困人口"), render=lambda w: f"{w.employees_total} / {w.employees_poor}"),
    Column("status", _lazy("状态"), sort="status", render=lambda w: w.get_status_display()),
]


@requires("funds.view")
def workshop_list(request):
    table = Table(request, sel.workshops_visible(request.user), columns=WORKSHOP_COLUMNS,
                  filters=[Filter("area", _lazy("区划代码前缀"), "village__code__startswith")], default_sort="code")
    return render(request, "funds/program_list.html", {
        "tab": "workshops", "heading": _("扶贫车间"), "table": table, "table_id": "workshops-table",
        "actions": [(reverse("funds:workshop_new"), _("扶贫车间申报"))] if can(request.user, "funds.edit") else []})


@requires("funds.edit")
def workshop_new(request):
    form = fp.WorkshopForm(request.POST or None, initial={"village_code": _home_area(request.user).get("area_code", "")})
    return _new(request, form, lambda d: workshops.workshop_create(actor=request.user, **d), _("扶贫车间申报"),
                reverse("funds:workshops"), lambda w: reverse("funds:workshop", args=[w.pk]))


@requires("funds.view")
def workshop_detail(request, pk: int):
    w = sel.workshop_get(request.user, pk)
    if request.method == "POST":
        step = request.POST.get("step")
        if step in ("certify", "file"):
            fn = workshops.workshop_certify if step == "certify" else workshops.workshop_file
            _act(request, StepForm(request.POST), lambda d: fn(actor=request.user, workshop=w, on=d["on"],
                                                                version=d["version"]), _("已办理"))
        elif step == "subsidy":
            _act(request, fp.SubsidyForm(request.POST), lambda d: workshops.subsidy_pay(actor=request.user, workshop=w, **d),
                 _("已拨付"))
        return redirect("funds:workshop", w.pk)
    q = workshops.qualification(w)
    approve = can(request.user, "funds.approve", w.village.code)
    forms = []
    if approve and w.status == WorkshopStatus.PROPOSED:
        forms.append((_("县级认定"), StepForm(initial={"version": w.version}), "certify"))
    if approve and w.status == WorkshopStatus.CERTIFIED:
        forms.append((_("市级备案"), StepForm(initial={"version": w.version}), "file"))
    if approve and w.status != WorkshopStatus.PROPOSED:
        forms.append((_("拨付补贴"), fp.SubsidyForm(), "subsidy"))
    return render(request, "funds/program_detail.html", {
        "crumb": (reverse("funds:workshops"), _("扶贫车间")), "heading": w.name,
        "sub": f"{w.code} · {w.village.name} · {w.get_status_display()}",
        "fields": [(_("建设方式"), w.get_kind_display()), (_("经营主体"), w.operator or "—"),
                   (_("使用面积 / 建筑面积（平方米）"), f"{w.usable_area} / {w.building_area}"),
                   (_("主体投入"), _yuan(w.investment)), (_("就业人数 / 贫困人口"), f"{w.employees_total} / {w.employees_poor}"),
                   (_("认定 / 备案"), f"{w.certified_on or '—'} / {w.filed_on or '—'}")],
        "tables": [{"title": _("认定条件核验"), "headers": [_("条件"), _("结果"), _("依据")],
                    "rows": [[c["message"], _("符合") if c["ok"] else _("不符合"), c["cite"]] for c in q["checks"]]},
                   {"title": _("补贴"), "headers": [_("类别"), _("人数"), _("月数"), _("金额（元）"), _("拨付日期")],
                    "rows": [[s.get_kind_display(), s.persons, s.months, _yuan(s.amount), s.paid_on]
                             for s in w.subsidies.all()]}],
        "forms": forms})
