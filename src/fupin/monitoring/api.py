"""/api/monitoring: monitoring cases (监测对象), proposing one, the screening answers, monthly records,
elimination and its reversal, and what is overdue. Reviews are acted on under /api/workflow/."""

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from fupin.api.pagination import Pages
from fupin.api.schemas import Error
from fupin.monitoring import rhythm, services
from fupin.monitoring.presenters import case_detail, case_row, case_rows
from fupin.monitoring.schemas import (
    CaseDetailOut,
    CaseOut,
    EliminateIn,
    FactsIn,
    MonthlyIn,
    MonthlyOut,
    OverdueOut,
    ProposeIn,
    ReflagIn,
    ReviewRef,
)
from fupin.monitoring.selectors import case_get, case_list, monthly_records, overdue
from fupin.registry.selectors import household_get

router = Router(tags=["monitoring 防返贫监测"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error}


class CaseFilter(Schema):
    area: str = ""
    case_type: str = ""
    status: str = ""
    step: str = ""
    q: str = ""


def _monthly(r) -> MonthlyOut:
    return MonthlyOut(id=r.pk, month=f"{r.month:%Y-%m}", income=r.income, expenses=r.expenses,
                      rigid_expenses=r.rigid_expenses, education_secured=r.education_secured,
                      medical_secured=r.medical_secured, housing_secured=r.housing_secured,
                      water_secured=r.water_secured, anomaly=r.anomaly, version=r.version)


@router.get("/cases", response=list[CaseOut])
@paginate(Pages, page_size=50)
def list_cases(request, filters: Query[CaseFilter]):
    """Monitoring cases in your areas; filter by area code, type, status or the step of the open review."""
    qs = case_list(actor=request.auth, **filters.dict())
    return _LazyRows(qs)


class _LazyRows:
    """A queryset whose page slice is turned into rows only for the page (the step needs a lookup)."""

    def __init__(self, qs):
        self.qs = qs

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.qs.count()

    def __getitem__(self, item):
        return case_rows(self.qs[item])


@router.get("/cases/{case_id}", response={200: CaseDetailOut, 404: Error})
def get_case(request, case_id: int):
    """One case with its policy explanation, the elimination criteria and its history."""
    case = case_get(actor=request.auth, case_id=case_id)
    detail = case_detail(request.auth, case)
    detail.pop("review_objects")
    return detail


@router.post("/cases", response={201: CaseOut, **ERRORS})
def propose_case(request, body: ProposeIn):
    """Propose a household (村组摸排): opens the case and its identification review."""
    household = household_get(request.auth, body.household_id, action="monitoring.view")
    case = services.case_open(actor=request.auth, household=household, found_by=body.found_by, reason=body.reason,
                              risk_types=body.risk_types, source=body.source, case_type=body.case_type,
                              facts=body.facts, override_reason=body.override_reason)
    return Status(201, case_rows([case])[0])


@router.post("/cases/{case_id}/facts", response={200: CaseOut, **ERRORS})
def set_facts(request, case_id: int, body: FactsIn):
    case = case_get(actor=request.auth, case_id=case_id)
    case = services.case_set_facts(actor=request.auth, case=case, expected_version=body.expected_version,
                                   facts=body.facts, override_reason=body.override_reason, risk_types=body.risk_types)
    return case_rows([case])[0]


@router.get("/cases/{case_id}/monthly", response={200: list[MonthlyOut], 404: Error})
@paginate(Pages, page_size=24)
def list_monthly(request, case_id: int):
    return [_monthly(r) for r in monthly_records(case_get(actor=request.auth, case_id=case_id))]


@router.post("/cases/{case_id}/monthly", response={200: MonthlyOut, **ERRORS})
def save_monthly(request, case_id: int, body: MonthlyIn):
    """Record a month (income, expenses, 三保障); correcting a month needs the version you saw."""
    case = case_get(actor=request.auth, case_id=case_id)
    data = body.dict()
    month, version = data.pop("month"), data.pop("expected_version")
    record = rhythm.monthly_record_save(actor=request.auth, case=case, month=month, data=data,
                                        expected_version=version)
    return _monthly(record)


@router.post("/cases/{case_id}/eliminate", response={201: ReviewRef, **ERRORS})
def eliminate(request, case_id: int, body: EliminateIn):
    """Propose risk elimination (opens the "monitoring.eliminate" review)."""
    case = case_get(actor=request.auth, case_id=case_id)
    review = services.elimination_propose(actor=request.auth, case=case, reason=body.reason,
                                          expected_version=body.expected_version)
    case.refresh_from_db()
    return Status(201, {"review_id": review.pk, "case": case_row(case, review)})


@router.post("/cases/{case_id}/reflag", response={200: CaseOut, **ERRORS})
def reflag(request, case_id: int, body: ReflagIn):
    """Reverse an elimination: the risk is flagged again (回退)."""
    case = case_get(actor=request.auth, case_id=case_id)
    case = services.case_reflag(actor=request.auth, case=case, reason=body.reason,
                                expected_version=body.expected_version, risk_types=body.risk_types)
    return case_rows([case])[0]


@router.get("/overdue", response=list[OverdueOut])
@paginate(Pages, page_size=100)
def list_overdue(request, area: str = ""):
    """Steps, monthly records, quarterly analyses and refreshes past due in your areas."""
    return [item.__dict__ for item in overdue(actor=request.auth, area_code=area)]
