"""API of the PV stations (/api/funds/pv/), public-welfare jobs (/jobs/), microcredit (/credit/) and
workshops (/workshops/). Reads are scoped; writes go through the services, which check the permission
in the record's area."""

from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from fupin.api.pagination import Pages
from fupin.api.schemas import Error, Year
from fupin.core import clock
from fupin.core.errors import NotFound
from fupin.funds import credit_book
from fupin.funds import selectors_programs as sel
from fupin.funds.models import JobAttendance, JobPayment
from fupin.funds.schemas import StepIn
from fupin.funds.schemas_programs import (
    AttendanceIn,
    CoverageOut,
    DemandIn,
    EntryOut,
    JobIn,
    JobOut,
    LenderIn,
    LenderOut,
    LoanIn,
    LoanOut,
    LoanStepIn,
    PaymentIn,
    PVPlanIn,
    PVPlanOut,
    PVPlanPatch,
    ReasonIn,
    RecipientIn,
    RecipientOut,
    RepaymentIn,
    SettlementIn,
    SettlementOut,
    StationIn,
    StationOut,
    StationPatch,
    SubsidyIn,
    SubsidyOut,
    WarningOut,
    WorkshopIn,
    WorkshopOut,
    WorkshopPatch,
    pv_plan_out,
    recipient_out,
    station_out,
)
from fupin.funds.services import credit, jobs, pv, pv_plans, workshops

WRITE = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
ONE = {401: Error, 404: Error}

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pv_router = Router(tags=["funds 光伏扶贫电站"])
jobs_router = Router(tags=["funds 公益岗位"])
credit_router = Router(tags=["funds 扶贫小额信贷"])
workshops_router = Router(tags=["funds 扶贫车间"])


# --- ledger imports (光伏电站台账, 公益岗位台账, 扶贫小额信贷台账) -------------------------------------------

class LedgerImportOut(Schema):
    ledger: str
    title: str
    rows: int
    codes: list[str]


def _ledger_import(request, kind: str, file: UploadedFile):
    from fupin.funds.ledger_import import ledger_import

    return Status(201, ledger_import(kind=kind, actor=request.auth, fileobj=file, name=file.name))


def _ledger_template(request, kind: str) -> HttpResponse:
    from fupin.accounts.access import require
    from fupin.funds.ledger_import import ledger_template

    require(request.auth, "funds.edit")
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    ledger_template(kind, actor=request.auth).save(response)
    return response


IMPORT_DOC = ("Multipart upload of one .xlsx file (field `file`), at most 5 MB and 5000 rows, in the layout of the "
              "template. All rows are written or none: 400 `import_rows_invalid` lists every problem in "
              "`details.problems` (row, column, message, code); 400 `import_bad_layout` names the missing and "
              "unknown headers; 403 without funds.edit.")


# --- PV ---------------------------------------------------------------------------------------------

@pv_router.get("/stations", response=list[StationOut])
@paginate(Pages, page_size=50)
def list_stations(request, village: str = ""):
    qs = sel.stations_visible(request.auth)
    if village:
        qs = qs.filter(village__code__startswith=village)
    return [station_out(s) for s in qs.order_by("code")]


@pv_router.post("/stations/import", response={201: LedgerImportOut, **WRITE}, description=IMPORT_DOC)
def import_stations(request, file: File[UploadedFile]):
    """导入光伏电站台账 (.xlsx)."""
    return _ledger_import(request, "stations", file)


@pv_router.get("/stations/import/template", response={200: None, 401: Error, 403: Error})
def stations_template(request):
    """光伏电站台账导入模板 (.xlsx)."""
    return _ledger_template(request, "stations")


@pv_router.get("/stations/{station_id}", response={200: dict, **ONE})
def get_station(request, station_id: int, year: Year | None = None):
    s = sel.station_get(request.auth, station_id)
    rows = s.settlements.order_by("year", "month", "id")
    return {**station_out(s), "year_totals": {k: str(v) for k, v in sel.station_year(s, year or clock.today().year).items()},
            "settlements": [SettlementOut.from_orm(r).dict() for r in rows]}


@pv_router.post("/stations", response={201: StationOut, **WRITE})
def register_station(request, payload: StationIn):
    return Status(201, station_out(pv.station_register(actor=request.auth, **payload.dict())))


@pv_router.patch("/stations/{station_id}", response={200: StationOut, **WRITE})
def update_station(request, station_id: int, payload: StationPatch):
    s = sel.station_get(request.auth, station_id)
    return station_out(pv.station_update(actor=request.auth, station=s, **payload.dict()))


@pv_router.post("/stations/{station_id}/settlements", response={201: SettlementOut, **WRITE})
def record_settlement(request, station_id: int, payload: SettlementIn):
    s = sel.station_get(request.auth, station_id)
    return Status(201, pv.settlement_record(actor=request.auth, station=s, **payload.dict()))


@pv_router.post("/settlements/{settlement_id}/reverse", response={201: SettlementOut, **WRITE})
def reverse_settlement(request, settlement_id: int, payload: ReasonIn):
    row = sel.settlement_get(request.auth, settlement_id)
    return Status(201, pv.settlement_reverse(actor=request.auth, settlement=row, reason=payload.reason, on=payload.on))


@pv_router.post("/settlements/import", response={201: dict, **WRITE})
def import_settlements(request, file: File[UploadedFile]):
    """导入结算单 (.xlsx): every row written or none; 400 `import_rows_invalid` / `import_totals_mismatch`
    lists the errors by row number."""
    from fupin.funds.services.pv_import import settlements_import

    return Status(201, settlements_import(actor=request.auth, fileobj=file))


@pv_router.get("/recipients", response=list[RecipientOut])
@paginate(Pages, page_size=50)
def list_recipients(request, year: Year | None = None):
    qs = sel.recipients_visible(request.auth)
    if year:
        qs = qs.filter(year=year)
    return [recipient_out(r) for r in qs]


@pv_router.post("/recipients", response={201: RecipientOut, **WRITE})
def apply_recipient(request, payload: RecipientIn):
    """农户申请: checked by the pack's rule pv_deep_poverty; the review then runs in /api/workflow/."""
    d = payload.dict()
    members = {k: d.pop(k) for k in ("lonely_elderly", "orphan", "recognised_major_disease")}
    return Status(201, recipient_out(pv_plans.recipient_apply(actor=request.auth, members=members, **d)))


@pv_router.get("/plans", response=list[PVPlanOut])
@paginate(Pages, page_size=50)
def list_pv_plans(request, year: Year | None = None):
    qs = sel.pv_plans_visible(request.auth).prefetch_related("lines")
    if year:
        qs = qs.filter(year=year)
    return [pv_plan_out(p) for p in qs]


@pv_router.get("/plans/{plan_id}", response={200: PVPlanOut, **ONE})
def get_pv_plan(request, plan_id: int):
    return pv_plan_out(sel.pv_plan_get(request.auth, plan_id))


@pv_router.post("/plans", response={201: PVPlanOut, **WRITE})
def create_pv_plan(request, payload: PVPlanIn):
    d = payload.dict()
    return Status(201, pv_plan_out(pv_plans.pv_plan_create(actor=request.auth, **d)))


@pv_router.put("/plans/{plan_id}", response={200: PVPlanOut, **WRITE})
def update_pv_plan(request, plan_id: int, payload: PVPlanPatch):
    p = sel.pv_plan_get(request.auth, plan_id)
    return pv_plan_out(pv_plans.pv_plan_update(actor=request.auth, plan=p, **payload.dict()))


@pv_router.post("/plans/{plan_id}/steps/{step}", response={200: PVPlanOut, **WRITE})
def pv_plan_step(request, plan_id: int, step: Literal["decide", "publicise", "approve", "file", "reject"],
                 payload: StepIn):
    """decide (村民代表大会), publicise (公示, `on` = first day), approve (乡镇审核), file (县扶贫办备案), reject."""
    p = sel.pv_plan_get(request.auth, plan_id)
    return pv_plan_out(pv_plans.pv_plan_step(actor=request.auth, plan=p, step=step, on=payload.on,
                                             version=payload.version, reason=payload.reason))


# --- public-welfare jobs ----------------------------------------------------------------------------

def job_out(request, j) -> dict:
    return {"id": j.pk, "code": j.code, "village_code": j.village.code, "job_type": j.job_type,
            "job_type_label": j.get_job_type_display(), "funding": j.funding, "holder_name": j.holder.name,
            "holder_id_number": sel.person_id_shown(request.auth, j.holder), "monthly_pay": j.monthly_pay,
            "starts_on": j.starts_on, "ends_on": j.ends_on, "status": j.status, "version": j.version}


@jobs_router.get("", response=list[JobOut])
@paginate(Pages, page_size=50)
def list_jobs(request, status: str = ""):
    qs = sel.jobs_visible(request.auth).select_related("holder__household__village")
    if status:
        qs = qs.filter(status=status)
    return [job_out(request, j) for j in qs]


@jobs_router.post("/import", response={201: LedgerImportOut, **WRITE}, description=IMPORT_DOC)
def import_posts(request, file: File[UploadedFile]):
    """导入公益岗位台账 (.xlsx): posts with their holders, found by 证件号码."""
    return _ledger_import(request, "posts", file)


@jobs_router.get("/import/template", response={200: None, 401: Error, 403: Error})
def posts_template(request):
    """公益岗位台账导入模板 (.xlsx)."""
    return _ledger_template(request, "posts")


@jobs_router.get("/shortfall", response=list[dict])
@paginate(Pages, page_size=100)
def posts_shortfall(request, year: Year | None = None):
    """PV villages with fewer active posts than the minimum."""
    return [{"village_code": x["village"].code, "village_name": x["village"].name, "posts": x["posts"],
             "minimum": x["minimum"], "new_station": x["new_station"], "rule": x["rule"]}
            for x in sel.pv_villages_short_of_posts(request.auth, year)]


@jobs_router.get("/{job_id}", response={200: dict, **ONE})
def get_job(request, job_id: int):
    j = sel.job_get(request.auth, job_id)
    return {**JobOut(**job_out(request, j)).dict(),
            "attendance": [{"id": a.pk, "year": a.year, "month": a.month, "days": a.days, "reverses_id": a.reverses_id}
                           for a in j.attendance.all()],
            "payments": [{"id": p.pk, "year": p.year, "month": p.month, "amount": str(p.amount),
                          "paid_on": p.paid_on, "reverses_id": p.reverses_id} for p in j.payments.all()]}


@jobs_router.post("", response={201: JobOut, **WRITE})
def create_job(request, payload: JobIn):
    return Status(201, job_out(request, jobs.job_create(actor=request.auth, **payload.dict())))


@jobs_router.post("/{job_id}/end", response={200: JobOut, **WRITE})
def end_job(request, job_id: int, payload: StepIn):
    j = sel.job_get(request.auth, job_id)
    return job_out(request, jobs.job_end(actor=request.auth, job=j, on=payload.on, version=payload.version))


@jobs_router.post("/{job_id}/attendance", response={201: EntryOut, **WRITE})
def record_attendance(request, job_id: int, payload: AttendanceIn):
    j = sel.job_get(request.auth, job_id)
    a = jobs.attendance_record(actor=request.auth, job=j, **payload.dict())
    return Status(201, {"id": a.pk, "year": a.year, "month": a.month, "value": a.days, "reverses_id": None})


@jobs_router.post("/{job_id}/payments", response={201: EntryOut, **WRITE})
def record_payment(request, job_id: int, payload: PaymentIn):
    j = sel.job_get(request.auth, job_id)
    p = jobs.payment_record(actor=request.auth, job=j, **payload.dict())
    return Status(201, {"id": p.pk, "year": p.year, "month": p.month, "value": p.amount, "reverses_id": None})


@jobs_router.post("/{job_id}/{kind}/{entry_id}/reverse", response={201: EntryOut, **WRITE})
def reverse_job_entry(request, job_id: int, kind: Literal["attendance", "payments"], entry_id: int, payload: ReasonIn):
    j = sel.job_get(request.auth, job_id)
    model = JobAttendance if kind == "attendance" else JobPayment
    entry = model.objects.filter(job=j, pk=entry_id).first()
    if entry is None:
        raise NotFound(_("记录不存在"), code="not_found")
    row = jobs.job_entry_reverse(actor=request.auth, entry=entry, reason=payload.reason)
    value = row.days if kind == "attendance" else row.amount
    return Status(201, {"id": row.pk, "year": row.year, "month": row.month, "value": value, "reverses_id": entry.pk})


# --- microcredit ------------------------------------------------------------------------------------

def lender_out(x) -> dict:
    book = credit_book.lender_book(x, clock.today())
    return {"id": x.pk, "name": x.name, "county_code": x.area.code, "risk_fund": x.risk_fund,
            "outstanding": book["outstanding"], "non_performing": book["non_performing"],
            "npl_ratio": book["npl_ratio"], "suspended": x.suspended, "version": x.version}


def loan_out(request, x) -> dict:
    return {"id": x.pk, "code": x.code, "village_code": x.village.code, "household_number": x.household.household_number,
            "borrower_name": x.borrower.name, "borrower_id_number": sel.person_id_shown(request.auth, x.borrower),
            "lender": x.lender.name, "amount": x.amount, "approved_amount": x.approved_amount,
            "term_years": x.term_years, "annual_rate": x.annual_rate, "status": x.status,
            "status_label": x.get_status_display(), "applied_on": x.applied_on, "disbursed_on": x.disbursed_on,
            "due_on": x.due_on, "balance": credit_book.outstanding(x), "interest_subsidy": credit_book.interest_subsidy(x),
            "version": x.version}


@credit_router.get("/lenders", response=list[LenderOut])
@paginate(Pages, page_size=50)
def list_lenders(request):
    return [lender_out(x) for x in sel.lenders_visible(request.auth)]


@credit_router.post("/lenders", response={201: LenderOut, **WRITE})
def register_lender(request, payload: LenderIn):
    return Status(201, lender_out(credit.lender_register(actor=request.auth, **payload.dict())))


@credit_router.post("/lenders/{lender_id}/resume", response={200: LenderOut, **WRITE})
def resume_lender(request, lender_id: int, payload: StepIn):
    x = sel.lenders_visible(request.auth).filter(pk=lender_id).first()
    if x is None:
        raise NotFound(_("机构不存在"), code="not_found")
    return lender_out(credit.lender_resume(actor=request.auth, lender=x, on=payload.on, version=payload.version))


@credit_router.post("/demands", response={201: dict, **WRITE})
def record_demand(request, payload: DemandIn):
    d = credit.demand_record(actor=request.auth, **payload.dict())
    return Status(201, {"id": d.pk, "household_id": d.household_id, "year": d.year, "willing": d.willing})


@credit_router.get("/loans", response=list[LoanOut])
@paginate(Pages, page_size=50)
def list_loans(request, status: str = ""):
    qs = sel.loans_visible(request.auth)
    if status:
        qs = qs.filter(status=status)
    return [loan_out(request, x) for x in qs]


@credit_router.post("/loans/import", response={201: LedgerImportOut, **WRITE}, description=IMPORT_DOC)
def import_loans(request, file: File[UploadedFile]):
    """导入扶贫小额信贷台账 (.xlsx): applications, checked by the rule microcredit_eligible."""
    return _ledger_import(request, "loans", file)


@credit_router.get("/loans/import/template", response={200: None, 401: Error, 403: Error})
def loans_template(request):
    """扶贫小额信贷台账导入模板 (.xlsx)."""
    return _ledger_template(request, "loans")


@credit_router.get("/warnings", response=list[WarningOut])
@paginate(Pages, page_size=100)
def loan_warnings(request):
    """逾期预警: loans due soon, overdue, and non-performing."""
    return [{"loan_id": w["loan"].pk, "loan_code": w["loan"].code, "village_code": w["loan"].village.code,
             "level": w["level"], "level_label": credit_book.WARNING_LABELS[w["level"]], "days": w["days"],
             "due_on": w["loan"].due_on, "balance": w["balance"]}
            for w in credit_book.warnings(list(sel.loans_visible(request.auth)), clock.today())]


@credit_router.get("/coverage", response={200: CoverageOut, 401: Error})
def loan_coverage(request, year: Year | None = None):
    """应贷尽贷: willing households of the year still without a loan."""
    year = year or clock.today().year
    cov = credit_book.coverage(list(sel.demands_visible(request.auth)), list(sel.loans_visible(request.auth)), year)
    return {"year": year, "willing": cov["willing"], "with_loan": cov["with_loan"], "share": cov["share"],
            "without": [{"household_id": d.household_id, "household_number": d.household.household_number,
                         "village_code": d.village.code, "project": d.project} for d in cov["without"]]}


@credit_router.get("/loans/{loan_id}", response={200: LoanOut, **ONE})
def get_loan(request, loan_id: int):
    return loan_out(request, sel.loan_get(request.auth, loan_id))


@credit_router.post("/loans", response={201: LoanOut, **WRITE})
def apply_loan(request, payload: LoanIn):
    """申请: refused with the failing clauses of the pack's rule microcredit_eligible."""
    return Status(201, loan_out(request, credit.loan_apply(actor=request.auth, **payload.dict())))


@credit_router.post("/loans/{loan_id}/steps/{step}", response={200: LoanOut, **WRITE})
def loan_step(request, loan_id: int, step: Literal["review", "approve", "disburse", "refuse"], payload: LoanStepIn):
    """review (乡镇审核备案), approve (银行审批: amount, annual_rate, credit_score), disburse (发放), refuse."""
    x = sel.loan_get(request.auth, loan_id)
    d = payload.dict()
    if step == "review":
        x = credit.loan_review(actor=request.auth, loan=x, on=d["on"], version=d["version"])
    elif step == "approve":
        x = credit.loan_approve(actor=request.auth, loan=x, on=d["on"], version=d["version"], amount=d["amount"],
                                annual_rate=d["annual_rate"], credit_score=d["credit_score"])
    elif step == "disburse":
        x = credit.loan_disburse(actor=request.auth, loan=x, on=d["on"], version=d["version"])
    else:
        x = credit.loan_refuse(actor=request.auth, loan=x, on=d["on"], version=d["version"], reason=d["reason"])
    return loan_out(request, x)


@credit_router.post("/loans/{loan_id}/repayments", response={201: LoanOut, **WRITE})
def repay_loan(request, loan_id: int, payload: RepaymentIn):
    x = sel.loan_get(request.auth, loan_id)
    credit.repayment_record(actor=request.auth, loan=x, **payload.dict())
    return Status(201, loan_out(request, sel.loan_get(request.auth, loan_id)))


# --- workshops --------------------------------------------------------------------------------------

def workshop_out(w) -> dict:
    return {"id": w.pk, "code": w.code, "name": w.name, "village_code": w.village.code, "kind": w.kind,
            "usable_area": w.usable_area, "building_area": w.building_area, "investment": w.investment,
            "employees_total": w.employees_total, "employees_poor": w.employees_poor, "status": w.status,
            "version": w.version, "qualification": workshops.qualification(w)}


@workshops_router.get("", response=list[WorkshopOut])
@paginate(Pages, page_size=50)
def list_workshops(request):
    return [workshop_out(w) for w in sel.workshops_visible(request.auth)]


@workshops_router.get("/{workshop_id}", response={200: WorkshopOut, **ONE})
def get_workshop(request, workshop_id: int):
    return workshop_out(sel.workshop_get(request.auth, workshop_id))


@workshops_router.post("", response={201: WorkshopOut, **WRITE})
def create_workshop(request, payload: WorkshopIn):
    return Status(201, workshop_out(workshops.workshop_create(actor=request.auth, **payload.dict())))


@workshops_router.patch("/{workshop_id}", response={200: WorkshopOut, **WRITE})
def update_workshop(request, workshop_id: int, payload: WorkshopPatch):
    w = sel.workshop_get(request.auth, workshop_id)
    changes = {k: v for k, v in payload.dict().items() if v is not None and k != "version"}
    return workshop_out(workshops.workshop_update(actor=request.auth, workshop=w, version=payload.version, **changes))


@workshops_router.post("/{workshop_id}/steps/{step}", response={200: WorkshopOut, **WRITE})
def workshop_step(request, workshop_id: int, step: Literal["certify", "file"], payload: StepIn):
    w = sel.workshop_get(request.auth, workshop_id)
    fn = workshops.workshop_certify if step == "certify" else workshops.workshop_file
    return workshop_out(fn(actor=request.auth, workshop=w, on=payload.on, version=payload.version))


@workshops_router.post("/{workshop_id}/subsidies", response={201: SubsidyOut, **WRITE})
def pay_subsidy(request, workshop_id: int, payload: SubsidyIn):
    w = sel.workshop_get(request.auth, workshop_id)
    return Status(201, workshops.subsidy_pay(actor=request.auth, workshop=w, **payload.dict()))


# --- the filled inventory forms 附件3 / 附件4, imported back -------------------------------------------
# On the funds router as /funds/import/{equity,assets}: "/assets/import" would be taken by /assets/{asset_id}.

FORM_DOC = ("Multipart upload of one filled inventory form (.xlsx, field `file`) in the layout the system exports "
            "(`fupin report asset-inventory`; the template endpoint returns the empty form), one sheet per township. "
            "All rows of all sheets are written or none: 400 `total_mismatch` when a 合计 cell differs from the sum "
            "of its rows (`details.totals`: sheet, column, printed, computed, in 万元); 400 `import_rows_invalid` "
            "lists every problem in `details.problems` (row, column, message, code, and sheet when several); "
            "400 `import_bad_layout` names the missing and unknown headers; 403 without funds.edit.")


def _mount_forms() -> None:
    from fupin.funds.api import router

    @router.post("/import/equity", response={201: LedgerImportOut, **WRITE}, description=FORM_DOC)
    def import_equity(request, file: File[UploadedFile]):
        """导入附件3 扶贫资金入股情况清查表 (.xlsx)."""
        return _ledger_import(request, "equity", file)

    @router.get("/import/equity/template", response={200: None, 401: Error, 403: Error})
    def equity_template(request):
        """附件3 空白表 (.xlsx), as exported."""
        return _ledger_template(request, "equity")

    @router.post("/import/assets", response={201: LedgerImportOut, **WRITE}, description=FORM_DOC)
    def import_assets(request, file: File[UploadedFile]):
        """导入附件4 扶贫资金形成资产情况调查表 (.xlsx)."""
        return _ledger_import(request, "assets", file)

    @router.get("/import/assets/template", response={200: None, 401: Error, 403: Error})
    def assets_template(request):
        """附件4 空白表 (.xlsx), as exported."""
        return _ledger_template(request, "assets")


_mount_forms()  # last: fupin.funds.api imports the routers above while it loads
