"""The funds API under /api/funds/: project library and ledger, assets, contracts, equity, receipts,
distribution plans, the risk report. Every read is scoped; writes go through the services."""

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from fupin.accounts.access import require
from fupin.api.pagination import Pages
from fupin.api.schemas import Error, Year
from fupin.core import clock
from fupin.funds import catalogue
from fupin.funds import selectors as sel
from fupin.funds import services as svc
from fupin.funds.ledger import project_ledger
from fupin.funds.models import FundPosting
from fupin.funds.schemas import (
    AssetDetailOut,
    AssetIn,
    AssetOut,
    CatalogueOut,
    ContractIn,
    ContractOut,
    DisposalIn,
    DisposalOut,
    EquityIn,
    EquityOut,
    FindingOut,
    HouseholdShareOut,
    InventoryIn,
    InventoryOut,
    PlanDetailOut,
    PlanIn,
    PlanOut,
    PledgeIn,
    PostingIn,
    PostingOut,
    ProgressIn,
    ProjectDetailOut,
    ProjectIn,
    ProjectOut,
    ReceiptIn,
    ReceiptOut,
    ReverseIn,
    StepIn,
    asset_out,
    contract_out,
    equity_out,
    ledger_out,
    plan_out,
    posting_out,
    project_out,
)
from fupin.registry.models import Household

router = Router(tags=["funds 资金项目与资产"])
READ = {401: Error, 404: Error}
WRITE = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def _rows(funds) -> list[tuple[str, object]]:
    return [(f.source, f.amount) for f in funds]


# --- projects -------------------------------------------------------------------------------------

class ProjectFilter(Schema):
    year: Year | None = None
    status: str | None = None
    area: str | None = None
    q: str | None = None


@router.get("/projects", response=list[ProjectOut])
@paginate(Pages, page_size=50)
def list_projects(request, filters: Query[ProjectFilter]):
    """Projects of the library in your areas; filter by year, status, area-code prefix or name."""
    qs = sel.projects_visible(request.auth)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.area:
        qs = qs.filter(area__code__startswith=filters.area)
    if filters.q:
        qs = qs.filter(name__contains=filters.q)
    return [project_out(p) for p in qs.order_by("-year", "code")]


def _project_detail(p) -> dict:
    postings = list(FundPosting.objects.filter(project=p).order_by("posted_on", "id"))
    reversed_ids = {x.reverses_id for x in postings if x.reverses_id}
    return {**project_out(p), "content": p.content, "expected_benefit": p.expected_benefit, "linkage": p.linkage,
            "rejection_reason": p.rejection_reason, "ledger": ledger_out(project_ledger(p)),
            "postings": [posting_out(x, reversed_ids) for x in postings]}


@router.get("/projects/{project_id}", response={200: ProjectDetailOut, 401: Error, 404: Error})
def get_project(request, project_id: int):
    return _project_detail(sel.project_get(request.auth, project_id))


@router.post("/projects", response={201: ProjectOut, **WRITE})
def create_project(request, payload: ProjectIn):
    """村申报: apply for a project with its funds by source."""
    data = payload.dict()
    funds = [(f["source"], f["amount"]) for f in data.pop("funds")]
    return Status(201, project_out(svc.project_create(actor=request.auth, funds=funds, **data)))


ProjectStep = Literal["review", "publicise", "approve", "reject", "complete", "accept"]


@router.post("/projects/{project_id}/steps/{step}", response={200: ProjectOut, **WRITE})
def project_step(request, project_id: int, step: ProjectStep, payload: StepIn):
    """Library and implementation steps: review (乡镇审核), publicise (乡镇公示, `on` = first day), approve
    (县审定入库), reject (退回, needs `reason`), complete (完工), accept (初验, then 县级验收)."""
    p = sel.project_get(request.auth, project_id)
    actor, on, version = request.auth, payload.on, payload.version
    if step == "review":
        p = svc.project_township_review(actor=actor, project=p, on=on, version=version)
    elif step == "publicise":
        p = svc.project_publicise(actor=actor, project=p, starts_on=on, version=version)
    elif step == "approve":
        p = svc.project_approve(actor=actor, project=p, on=on, version=version)
    elif step == "reject":
        p = svc.project_reject(actor=actor, project=p, on=on, reason=payload.reason, version=version)
    elif step == "complete":
        p = svc.project_complete(actor=actor, project=p, on=on, version=version)
    else:
        p = svc.project_accept(actor=actor, project=p, on=on, version=version)
    return project_out(p)


@router.post("/projects/{project_id}/progress", response={201: ProjectOut, **WRITE})
def report_progress(request, project_id: int, payload: ProgressIn):
    p = sel.project_get(request.auth, project_id)
    svc.project_report_progress(actor=request.auth, project=p, percent=payload.percent, on=payload.on,
                                note=payload.note)
    return Status(201, project_out(sel.project_get(request.auth, project_id)))


@router.post("/projects/{project_id}/allocations", response={201: PostingOut, **WRITE})
def post_allocation(request, project_id: int, payload: PostingIn):
    """资金下达: refused for a project outside the library or beyond the source's planned amount."""
    p = sel.project_get(request.auth, project_id)
    x = svc.allocation_post(actor=request.auth, project=p, **payload.dict())
    return Status(201, posting_out(x, set()))


@router.post("/projects/{project_id}/disbursements", response={201: PostingOut, **WRITE})
def post_disbursement(request, project_id: int, payload: PostingIn):
    """资金拨付: refused beyond the source's allocation or the progress rule (e.g. 50% at 80%)."""
    p = sel.project_get(request.auth, project_id)
    x = svc.disbursement_post(actor=request.auth, project=p, **payload.dict())
    return Status(201, posting_out(x, set()))


@router.post("/postings/{posting_id}/reverse", response={201: PostingOut, **WRITE})
def reverse_posting(request, posting_id: int, payload: ReverseIn):
    """冲正: a reversing entry; postings are never edited or deleted."""
    x = sel.posting_get(request.auth, posting_id)
    return Status(201, posting_out(svc.posting_reverse(actor=request.auth, posting=x, on=payload.on,
                                                       reason=payload.reason), set()))


# --- assets ---------------------------------------------------------------------------------------

class AssetFilter(Schema):
    asset_type: str | None = None
    status: str | None = None
    area: str | None = None
    q: str | None = None


@router.get("/assets", response=list[AssetOut])
@paginate(Pages, page_size=50)
def list_assets(request, filters: Query[AssetFilter]):
    qs = sel.assets_visible(request.auth)
    if filters.asset_type:
        qs = qs.filter(asset_type=filters.asset_type)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.area:
        qs = qs.filter(area__code__startswith=filters.area)
    if filters.q:
        qs = qs.filter(name__contains=filters.q)
    today = clock.today()
    return [asset_out(a, today) for a in qs.order_by("code")]


def _asset_detail(a) -> dict:
    summary = sel.asset_summary(a)
    return {**asset_out(a, clock.today()), "contracts": [contract_out(c) for c in a.contracts.order_by("starts_on")],
            "rent_on_time": summary["on_time"]}


@router.get("/assets/{asset_id}", response={200: AssetDetailOut, 401: Error, 404: Error})
def get_asset(request, asset_id: int):
    return _asset_detail(sel.asset_get(request.auth, asset_id))


@router.post("/assets", response={201: AssetOut, **WRITE})
def register_asset(request, payload: AssetIn):
    """登记造册: an asset with its owner (township or village) and the funds that formed it."""
    data = payload.dict()
    funds = _rows(payload.funds)
    data.pop("funds")
    project_id = data.pop("project_id")
    project = sel.project_get(request.auth, project_id) if project_id else None
    a = svc.asset_register(actor=request.auth, funds=funds, project=project, **data)
    return Status(201, asset_out(a, clock.today()))


@router.post("/assets/{asset_id}/confirm", response={200: AssetOut, **WRITE})
def confirm_asset(request, asset_id: int, payload: StepIn):
    a = svc.asset_confirm(actor=request.auth, asset=sel.asset_get(request.auth, asset_id), on=payload.on,
                          version=payload.version)
    return asset_out(a, clock.today())


@router.post("/assets/{asset_id}/pledge", response={400: Error, 401: Error, 404: Error, 422: Error})
def pledge_asset(request, asset_id: int, payload: PledgeIn):
    """抵押、担保: always refused — poverty-alleviation assets may not secure any debt."""
    svc.asset_pledge(actor=request.auth, asset=sel.asset_get(request.auth, asset_id), creditor=payload.creditor,
                     amount=payload.amount)


@router.post("/assets/{asset_id}/inventories", response={201: InventoryOut, **WRITE})
def record_inventory(request, asset_id: int, payload: InventoryIn):
    row = svc.asset_inventory_record(actor=request.auth, asset=sel.asset_get(request.auth, asset_id), **payload.dict())
    return Status(201, {"id": row.pk, "year": row.year, "net_value": row.net_value, "income": row.income,
                        "matches_books": row.matches_books})


@router.post("/assets/{asset_id}/contracts", response={201: ContractOut, **WRITE})
def propose_contract(request, asset_id: int, payload: ContractIn):
    """经营合同 (also a change of operator) after the owner's democratic decision; in force once filed."""
    c = svc.contract_propose(actor=request.auth, asset=sel.asset_get(request.auth, asset_id), **payload.dict())
    return Status(201, contract_out(c))


@router.post("/contracts/{contract_id}/file", response={200: ContractOut, **WRITE})
def file_contract(request, contract_id: int, payload: StepIn):
    """审核备案: the township's filing, then the county's for a township-owned asset."""
    c = svc.contract_file(actor=request.auth, contract=sel.contract_get(request.auth, contract_id), on=payload.on)
    return contract_out(c)


@router.post("/contracts/{contract_id}/end", response={200: ContractOut, **WRITE})
def end_contract(request, contract_id: int, payload: StepIn):
    c = svc.contract_end(actor=request.auth, contract=sel.contract_get(request.auth, contract_id), on=payload.on,
                         reason=payload.reason)
    return contract_out(c)


@router.post("/contracts/{contract_id}/receipts", response={201: ReceiptOut, **WRITE})
def receive_rent(request, contract_id: int, payload: ReceiptIn):
    r = svc.income_receive(actor=request.auth, contract=sel.contract_get(request.auth, contract_id), **payload.dict())
    return Status(201, {"id": r.pk, "kind": r.kind, "period_year": r.period_year, "amount": r.amount,
                        "received_on": r.received_on})


@router.post("/assets/{asset_id}/disposals", response={201: DisposalOut, **WRITE})
def request_disposal(request, asset_id: int, payload: DisposalIn):
    d = svc.disposal_request(actor=request.auth, asset=sel.asset_get(request.auth, asset_id), **payload.dict())
    return Status(201, {"id": d.pk, "status": d.status, "status_label": d.get_status_display()})


# --- equity ---------------------------------------------------------------------------------------

@router.get("/equity", response=list[EquityOut])
@paginate(Pages, page_size=50)
def list_equity(request, year: Year | None = None):
    qs = sel.equity_visible(request.auth)
    if year:
        qs = qs.filter(year=year)
    return [equity_out(e, sel.equity_instalments(e)) for e in qs.order_by("-year", "code")]


@router.get("/equity/{equity_id}", response={200: EquityOut, 401: Error, 404: Error})
def get_equity(request, equity_id: int):
    e = sel.equity_get(request.auth, equity_id)
    return equity_out(e, sel.equity_instalments(e))


@router.post("/equity", response={201: EquityOut, **WRITE})
def register_equity(request, payload: EquityIn):
    """资金入股: poverty funds invested in an enterprise or cooperative, with the agreed yearly dividend."""
    data = payload.dict()
    data.pop("funds")
    e = svc.equity_register(actor=request.auth, funds=_rows(payload.funds), **data)
    return Status(201, equity_out(e, []))


@router.post("/equity/{equity_id}/receipts", response={201: ReceiptOut, **WRITE})
def receive_dividend(request, equity_id: int, payload: ReceiptIn):
    r = svc.income_receive(actor=request.auth, equity=sel.equity_get(request.auth, equity_id), **payload.dict())
    return Status(201, {"id": r.pk, "kind": r.kind, "period_year": r.period_year, "amount": r.amount,
                        "received_on": r.received_on})


# --- distribution plans -----------------------------------------------------------------------------

@router.get("/plans", response=list[PlanOut])
@paginate(Pages, page_size=50)
def list_plans(request, year: Year | None = None, status: str | None = None):
    qs = sel.plans_visible(request.auth).prefetch_related("lines")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return [plan_out(p, p.lines.all()) for p in qs.order_by("-year", "code")]


@router.get("/plans/{plan_id}", response={200: PlanDetailOut, 401: Error, 404: Error})
def get_plan(request, plan_id: int):
    return plan_out(sel.plan_get(request.auth, plan_id))


@router.post("/plans", response={201: PlanDetailOut, **WRITE})
def create_plan(request, payload: PlanIn):
    """收益分配方案: refused under the minimum household share, with a household outside the plan's
    villages, or beyond the income received."""
    data = payload.dict()
    p = svc.plan_create(actor=request.auth, area_code=data["area_code"], year=data["year"], title=data["title"],
                        income_total=data["income_total"], lines=data["lines"], note=data["note"])
    return Status(201, plan_out(p))


PlanStep = Literal["decide", "publicise", "review", "approve", "pay", "reject"]


@router.post("/plans/{plan_id}/steps/{step}", response={200: PlanDetailOut, **WRITE})
def plan_step(request, plan_id: int, step: PlanStep, payload: StepIn):
    """民主决策 → 公示 (`on` = first day) → 上级审核 → 县级审批备案 → 兑付; or 退回 (needs `reason`)."""
    p = sel.plan_get(request.auth, plan_id)
    kw = {"actor": request.auth, "plan": p, "on": payload.on, "version": payload.version}
    if step == "reject":
        p = svc.plan_reject(reason=payload.reason, **kw)
    else:
        p = {"decide": svc.plan_decide, "publicise": svc.plan_publicise, "review": svc.plan_review,
             "approve": svc.plan_approve, "pay": svc.plan_pay}[step](**kw)
    return plan_out(p)


@router.get("/households/{household_id}/distributions", response={200: list[HouseholdShareOut], **READ})
def household_shares(request, household_id: int):
    """收益分配 received by one registered household (approved and paid plans), for its page and 明白卡."""
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        return []
    return [{"plan_id": ln.plan_id, "plan_code": ln.plan.code, "plan_title": ln.plan.title, "year": ln.plan.year,
             "owner": ln.plan.area.name, "amount": ln.amount, "status": ln.plan.status, "paid_on": ln.plan.paid_on}
            for ln in sel.household_distributions(request.auth, household)]


# --- reports ------------------------------------------------------------------------------------------

@router.get("/risks", response={200: list[FindingOut], 401: Error, 403: Error})
def risks(request, area: str = "", as_of: dt.date | None = None):
    """资金风险检查: negative list, special funds only, idle funds, overdue disbursement and completion,
    rent and dividends not received on time."""
    require(request.auth, "funds.view")
    return [f.as_dict() for f in sel.fund_risks(request.auth, as_of=as_of, area_prefix=area)]


@router.get("/alerts", response={200: list[FindingOut], 401: Error, 403: Error})
def alerts(request, area: str = "", as_of: dt.date | None = None):
    """收益到账预警: rent and dividends not received on time."""
    require(request.auth, "funds.view")
    return [f.as_dict() for f in sel.income_alerts(request.auth, as_of=as_of, area_prefix=area)]


@router.get("/catalogues", response=CatalogueOut)
def catalogues(request):
    """The shipped catalogues: fund sources, project names, asset subtypes, the negative list."""
    return {
        "fund_sources": [vars(s) for s in catalogue.fund_sources().values()],
        "project_names": [vars(s) for s in catalogue.project_names().values()],
        "asset_subtypes": [vars(s) for s in catalogue.asset_subtypes().values()],
        "negative_list": [{**vars(s), "keywords": list(s.keywords)} for s in catalogue.negative_list()],
    }


# --- PV stations, public-welfare jobs, microcredit, workshops (api_programs.py) ------------------------

def _mount_programs() -> None:
    from fupin.funds.api_programs import credit_router, jobs_router, pv_router, workshops_router

    router.add_router("/pv", pv_router)
    router.add_router("/jobs", jobs_router)
    router.add_router("/credit", credit_router)
    router.add_router("/workshops", workshops_router)


_mount_programs()
