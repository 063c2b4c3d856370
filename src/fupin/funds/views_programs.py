"""Pages of the PV stations, public-welfare jobs, microcredit and workshops: thin views over
selectors_programs and the services, rendered by two shared templates (a list and a record)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from fupin.accounts.access import can, require
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds import excel_programs
from fupin.funds import forms_programs as fp
from fupin.funds import selectors_programs as sel
from fupin.funds.forms import StepForm
from fupin.funds.models import JobAttendance, JobPayment, PVSettlement
from fupin.funds.services import jobs, pv, pv_plans
from fupin.funds.views import _act, _home_area, _yuan
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table

REFUSED = (ValidationFailed, Conflict)


def _new(request, form, create, title: str, back: str, done):
    """A creation page: the form, the service, the rule's message on refusal."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = create(form.cleaned_data)
        except REFUSED as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记：%(c)s") % {"c": getattr(obj, "code", obj.pk)})
            return redirect(done(obj))
    return render(request, "funds/form.html", {"form": form, "title": title, "back": back})


def _xlsx(workbook, name: str) -> HttpResponse:
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    workbook.save(response)
    return response


def _report_args(request) -> tuple[str, int]:
    area = request.GET.get("area", "").strip().ljust(12, "0")
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("年度应为 2000–2100 之间的整数"), code="bad_year")
    require(request.user, "funds.view", area)
    return area, year


# --- PV ---------------------------------------------------------------------------------------------

def _station_link(s):
    return reverse("funds:pv_station", args=[s.pk])


STATION_COLUMNS = [
    Column("code", _lazy("电站编号"), sort="code", link=_station_link),
    Column("name", _lazy("电站名称"), sort="name", link=_station_link),
    Column("village", _lazy("产权村"), sort="village__code", render=lambda s: s.village.name),
    Column("capacity", _lazy("装机容量（千瓦）"), sort="capacity_kw", render=lambda s: s.capacity_kw),
    Column("grid_on", _lazy("并网日期"), sort="grid_on"),
    Column("land", _lazy("场地"), render=lambda s: f"{s.get_land_type_display()} {s.land_area_mu}亩 × {s.land_rent_per_mu}元"),
]


@requires("funds.view")
def pv_home(request):
    table = Table(request, sel.stations_visible(request.user), columns=STATION_COLUMNS,
                  filters=[Filter("area", _lazy("区划代码前缀"), "village__code__startswith")], default_sort="code")
    plans = [[p.code, p.village.name, p.year, _yuan(p.revenue), _yuan(p.county_fund), _yuan(p.village_revenue),
              p.get_status_display(), reverse("funds:pv_plan", args=[p.pk])] for p in sel.pv_plans_visible(request.user)[:200]]
    recipients = [[r.household.household_number, r.village.name, r.year, r.get_status_display(), r.review_id]
                  for r in sel.recipients_visible(request.user)[:200]]
    return render(request, "funds/pv_home.html", {
        "table": table, "plans": plans, "recipients": recipients, "can_edit": can(request.user, "funds.edit"),
        "can_settle": can(request.user, "funds.approve"),
        "shortfall": sel.pv_villages_short_of_posts(request.user), "year": clock.today().year})


@requires("funds.edit")
def pv_station_new(request):
    form = fp.StationForm(request.POST or None, initial={"village_code": _home_area(request.user).get("area_code", "")})
    return _new(request, form, lambda d: pv.station_register(actor=request.user, **d), _("光伏电站登记"),
                reverse("funds:pv"), lambda s: reverse("funds:pv_station", args=[s.pk]))


@requires("funds.view")
def pv_station(request, pk: int):
    s = sel.station_get(request.user, pk)
    code = s.village.code
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "settle":
            _act(request, fp.SettlementForm(request.POST),
                 lambda d: pv.settlement_record(actor=request.user, station=s, **d), _("已结算"))
        elif step == "reverse":
            def rev(d):
                row = PVSettlement.objects.filter(station=s, pk=d["entry"]).first()
                if row is None:
                    raise ValidationFailed(_("找不到该结算记录"), code="not_found")
                pv.settlement_reverse(actor=request.user, settlement=row, reason=d["reason"])
            _act(request, fp.ReverseForm(request.POST), rev, _("已冲正"))
        return redirect("funds:pv_station", s.pk)
    totals = sel.station_year(s, clock.today().year)
    rows = [[r.pk, f"{r.year}-{r.month:02d}", r.kwh, r.unit_price, _yuan(r.gross), _yuan(r.taxes), _yuan(r.om_cost),
             _yuan(r.land_rent), _yuan(r.net), r.settled_on, r.reverses_id or ""] for r in s.settlements.all()]
    can_settle = can(request.user, "funds.approve", code)
    return render(request, "funds/program_detail.html", {
        "crumb": (reverse("funds:pv"), _("光伏扶贫电站")), "heading": f"{s.name}", "sub": f"{s.code} · {s.village.name}",
        "fields": [(_("装机容量（千瓦）"), s.capacity_kw), (_("总投资"), _yuan(s.investment)), (_("资金性质"), s.get_funding_display()),
                   (_("并网日期"), s.grid_on), (_("场地"), f"{s.get_land_type_display()} {s.land_area_mu} 亩"),
                   (_("场地租金（元/亩/年）"), s.land_rent_per_mu), (_("本年结算收益"), _yuan(totals["net"]))],
        "tables": [{"title": _("月度结算"), "headers": [_("记录"), _("月份"), _("发电量"), _("单价"), _("发电收益"), _("税费"),
                                                    _("运维"), _("场地租金"), _("结算收益"), _("结算日期"), _("冲正记录")],
                    "rows": rows}],
        "forms": [(_("月度结算"), fp.SettlementForm(), "settle"), (_("冲正"), fp.ReverseForm(), "reverse")] if can_settle else []})


@requires("funds.edit")
def pv_recipient_new(request):
    form = fp.RecipientForm(request.POST or None, initial={"year": clock.today().year})

    def create(d):
        h = fp.household_by_number(d["household_number"], d["year"])
        return pv_plans.recipient_apply(actor=request.user, household_id=h.pk, year=d["year"], reason=d["reason"],
                                        major_disaster_loss=d["major_disaster_loss"],
                                        assembly_recognised=d["assembly_recognised"], members=form.members())
    return _new(request, form, create, _("光伏收益资助对象申请"), reverse("funds:pv"),
                lambda r: reverse("workflow:detail", args=[r.review_id]) if r.review_id else reverse("funds:pv"))


@requires("funds.edit")
def pv_plan_new(request):
    form = fp.PVPlanForm(request.POST or None, initial={"village_code": _home_area(request.user).get("area_code", ""),
                                                        "year": clock.today().year})
    return _new(request, form, lambda d: pv_plans.pv_plan_create(actor=request.user, village_code=d["village_code"],
                                                                 year=d["year"], lines=form.lines()),
                _("光伏收益分配方案"), reverse("funds:pv"), lambda p: reverse("funds:pv_plan", args=[p.pk]))


PV_STEPS = [("decide", "draft", "funds.edit", _lazy("村民代表大会通过")), ("publicise", "decided", "funds.edit", _lazy("公示")),
            ("approve", "publicised", "funds.review", _lazy("乡镇审核同意")), ("file", "approved", "funds.approve",
                                                                          _lazy("县扶贫办备案"))]


@requires("funds.view")
def pv_plan(request, pk: int):
    p = sel.pv_plan_get(request.user, pk)
    if request.method == "POST":
        step = request.POST.get("step", "")
        _act(request, StepForm(request.POST), lambda d: pv_plans.pv_plan_step(
            actor=request.user, plan=p, step=step, on=d["on"], version=d["version"], reason=d["reason"]), _("已办理"))
        return redirect("funds:pv_plan", p.pk)
    code = p.village.code
    steps = [(label, StepForm(initial={"version": p.version}), step) for step, status, action, label in PV_STEPS
             if p.status == status and can(request.user, action, code)]
    if p.status in ("decided", "publicised") and can(request.user, "funds.review", code):
        steps.append((_("退回"), StepForm(initial={"version": p.version}), "reject"))
    lines = [[ln.get_kind_display(), ln.household.household_number if ln.household else "", _yuan(ln.amount), ln.note]
             for ln in p.lines.select_related("household")]
    c = p.checks
    return render(request, "funds/program_detail.html", {
        "crumb": (reverse("funds:pv"), _("光伏扶贫电站")), "heading": _("%(y)s年光伏收益分配方案") % {"y": p.year},
        "sub": f"{p.code} · {p.village.name} · {p.get_status_display()}",
        "fields": [(_("年度结算收益"), _yuan(p.revenue)), (_("提取县级扶贫基金"), _yuan(p.county_fund)),
                   (_("分配到村收益"), _yuan(p.village_revenue)),
                   (_("直接到户 / 应不低于"), f"{_yuan(Decimal(c.get('household_total', 0)))} / {_yuan(Decimal(c.get('household_minimum', 0)))}"),
                   (_("公益岗位应不低于"), _yuan(Decimal(c["jobs_minimum"])) if "jobs_minimum" in c else "—"),
                   (_("公示"), f"{p.publicity_from or '—'} — {p.publicity_to or ''}"), (_("乡镇审核"), p.approved_on or "—"),
                   (_("县扶贫办备案"), p.filed_on or "—"), (_("适用规则"), p.rules_pack),
                   (_("退回原因"), p.rejection_reason or "—")],
        "tables": [{"title": _("分配明细"), "headers": [_("用途"), _("户编号"), _("金额（元）"), _("说明")], "rows": lines}],
        "forms": steps})


@requires("funds.view")
@require_POST
def pv_import(request):
    """导入结算单 (.xlsx): all rows or none; the errors by row number."""
    from fupin.funds.services.pv_import import settlements_import

    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择 Excel 文件"))
    else:
        try:
            done = settlements_import(actor=request.user, fileobj=upload)
        except REFUSED as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已导入 %(n)s 条结算记录") % {"n": done["rows"]})
    return redirect("funds:pv")


@requires("funds.view")
def pv_report(request):
    area, year = _report_args(request)
    return _xlsx(excel_programs.pv_workbook(area, year), f"pv-distribution-{year}-{area}.xlsx")


# --- public-welfare jobs ----------------------------------------------------------------------------

JOB_COLUMNS = [
    Column("code", _lazy("岗位编号"), sort="code", link=lambda j: reverse("funds:job", args=[j.pk])),
    Column("village", _lazy("所在村"), sort="village__code", render=lambda j: j.village.name),
    Column("type", _lazy("岗位类型"), sort="job_type", render=lambda j: j.get_job_type_display()),
    Column("holder", _lazy("上岗人员"), render=lambda j: j.holder.name),
    Column("pay", _lazy("月工资（元）"), sort="monthly_pay", render=lambda j: _yuan(j.monthly_pay)),
    Column("funding", _lazy("资金来源"), render=lambda j: j.get_funding_display()),
    Column("status", _lazy("状态"), sort="status", render=lambda j: j.get_status_display()),
]


@requires("funds.view")
def job_list(request):
    table = Table(request, sel.jobs_visible(request.user), columns=JOB_COLUMNS,
                  filters=[Filter("area", _lazy("区划代码前缀"), "village__code__startswith")], default_sort="code")
    return render(request, "funds/program_list.html", {
        "tab": "jobs", "heading": _("公益岗位"), "table": table, "table_id": "jobs-table",
        "actions": [(reverse("funds:job_new"), _("设置公益岗位")), (reverse("funds:ledger_import", args=["posts"]),
                                                                  _("从Excel导入"))]
        if can(request.user, "funds.edit") else [],
        "notes": [_("%(v)s：在岗 %(n)s 个，低于光伏村最低 %(m)s 个（%(r)s）") % {
            "v": x["village"].name, "n": x["posts"], "m": x["minimum"], "r": x["rule"]}
            for x in sel.pv_villages_short_of_posts(request.user)]})


@requires("funds.edit")
def job_new(request):
    form = fp.JobForm(request.POST or None, initial={"village_code": _home_area(request.user).get("area_code", "")})

    def create(d):
        person = fp.person_by_id_number(d.pop("holder_id_number"))
        return jobs.job_create(actor=request.user, holder_id=person.pk, **d)
    return _new(request, form, create, _("设置公益岗位"), reverse("funds:jobs"), lambda j: reverse("funds:job", args=[j.pk]))


@requires("funds.view")
def job_detail(request, pk: int):
    j = sel.job_get(request.user, pk)
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "attendance":
            _act(request, fp.AttendanceForm(request.POST),
                 lambda d: jobs.attendance_record(actor=request.user, job=j, **d), _("已登记考勤"))
        elif step == "pay":
            _act(request, fp.PaymentForm(request.POST), lambda d: jobs.payment_record(actor=request.user, job=j, **d),
                 _("已登记发放"))
        elif step in ("reverse_attendance", "reverse_pay"):
            model = JobAttendance if step == "reverse_attendance" else JobPayment

            def rev(d):
                entry = model.objects.filter(job=j, pk=d["entry"]).first()
                if entry is None:
                    raise ValidationFailed(_("找不到该记录"), code="not_found")
                jobs.job_entry_reverse(actor=request.user, entry=entry, reason=d["reason"])
            _act(request, fp.ReverseForm(request.POST), rev, _("已冲正"))
        elif step == "end":
            _act(request, StepForm(request.POST), lambda d: jobs.job_end(actor=request.user, job=j, on=d["on"],
                                                                          version=d["version"]), _("已解聘"))
        return redirect("funds:job", j.pk)
    editable = can(request.user, "funds.edit", j.village.code) and j.status == "active"
    return render(request, "funds/program_detail.html", {
        "crumb": (reverse("funds:jobs"), _("公益岗位")), "heading": f"{j.get_job_type_display()} · {j.holder.name}",
        "sub": f"{j.code} · {j.village.name} · {j.get_status_display()}",
        "fields": [(_("证件号码"), sel.person_id_shown(request.user, j.holder)), (_("户编号"), j.holder.household.household_number),
                   (_("月工资"), _yuan(j.monthly_pay)), (_("资金来源"), j.get_funding_display()),
                   (_("聘用期"), f"{j.starts_on} — {j.ends_on or ''}"), (_("劳务聘用协议"), j.contract_no or "—"),
                   (_("超龄特殊情况"), j.age_exception or "—")],
        "tables": [{"title": _("考勤"), "headers": [_("记录"), _("月份"), _("出勤天数"), _("冲正记录")],
                    "rows": [[a.pk, f"{a.year}-{a.month:02d}", a.days, a.reverses_id or ""] for a in j.attendance.all()]},
                   {"title": _("工资发放"), "headers": [_("记录"), _("月份"), _("金额（元）"), _("发放日期"), _("冲正记录")],
                    "rows": [[p.pk, f"{p.year}-{p.month:02d}", _yuan(p.amount), p.paid_on, p.reverses_id or ""]
                             for p in j.payments.all()]}],
        "forms": [(_("登记考勤"), fp.AttendanceForm(), "attendance"), (_("发放工资"), fp.PaymentForm(), "pay"),
                  (_("冲正考勤"), fp.ReverseForm(), "reverse_attendance"), (_("冲正发放"), fp.ReverseForm(), "reverse_pay"),
                  (_("解聘"), StepForm(initial={"version": j.version}), "end")] if editable else []})


# --- ledger imports ---------------------------------------------------------------------------------

class LedgerUploadForm(forms.Form):
    file = forms.FileField(label=_lazy("台账文件（.xlsx）"))


@requires("funds.edit")
def ledger_import_page(request, kind: str):
    """Upload one ledger: the result, or the table of every problem by row and column (nothing written)."""
    from fupin.funds.ledger_import import LEDGERS, MAX_ROWS, MAX_UPLOAD_BYTES, ledger_get, ledger_import

    ledger = ledger_get(kind)
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    done, error, details = None, "", {}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = ledger_import(kind=kind, actor=request.user, fileobj=upload, name=upload.name)
        except REFUSED as exc:
            error, details = exc.message, exc.details
    return render(request, "funds/ledger_import.html", {
        "ledger": ledger, "ledgers": LEDGERS.values(), "form": form, "done": done, "error": error,
        "problems": details.get("problems", []), "layout": details if "missing" in details else None,
        "totals": error and details.get("totals") and all(p["code"] == "total_mismatch" for p in details["problems"]),
        "sheets": any(p.get("sheet") for p in details.get("problems", [])),
        "max_mb": MAX_UPLOAD_BYTES // 1048576, "max_rows": MAX_ROWS})


@requires("funds.edit")
def ledger_template_download(request, kind: str):
    from fupin.funds.ledger_import import ledger_get, ledger_template

    return _xlsx(ledger_template(ledger_get(kind).kind, actor=request.user), f"ledger-{kind}-template.xlsx")
