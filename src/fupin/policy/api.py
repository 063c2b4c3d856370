"""/api/policy: the packs (list, detail, diff), one household's decisions with their explanation,
screening runs (started in the background) and their stored decisions, and the what-if simulation."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from fupin.accounts.access import require
from fupin.api.pagination import Pages
from fupin.api.schemas import Error, Year
from fupin.core.errors import NotFound
from fupin.policy import selectors
from fupin.policy.engine.diff import describe, diff
from fupin.policy.households import household_evaluate
from fupin.policy.schemas import DecisionFilter, DecisionOut, PackOut, RunIn, RunOut, RunStarted, WhatIfIn
from fupin.policy.services import screening_enqueue, whatif_run
from fupin.registry.selectors import household_get

router = Router(tags=["policy 政策规则"])
READ = {401: Error, 403: Error, 404: Error}
WRITE = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 423: Error}


def _pack(ref: str):
    try:
        return selectors.pack_get(ref)
    except KeyError:
        raise NotFound(_("没有此政策包：%(ref)s") % {"ref": ref}, code="unknown_pack") from None


def _pack_out(p) -> PackOut:
    return PackOut(key=p.key, id=p.id, version=p.version, title=p.title, jurisdiction=p.jurisdiction,
                   jurisdiction_name=p.jurisdiction_name, years=list(p.years), status=p.status, extends=p.extends,
                   fingerprint=p.fingerprint, rules=len(p.rules), parameters=len(p.parameters))


@router.get("/packs", response={200: list[PackOut], **READ})
@paginate(Pages, page_size=50)
def list_packs(request):
    """Every valid pack: key, jurisdiction, years, status, parent, fingerprint."""
    require(request.auth, "policy.view")
    return [_pack_out(p) for p in sorted(selectors.pack_set().packs.values(), key=lambda p: p.key)]


@router.get("/packs/{ref}", response={200: dict, **READ})
def get_pack(request, ref: str):
    """One pack (`id@version` or `id`): parameters with their origin, rules, citations, fingerprint."""
    require(request.auth, "policy.view")
    return describe(_pack(ref))


@router.get("/packs/{a}/diff/{b}", response={200: dict, **READ})
def diff_packs(request, a: str, b: str):
    """Parameters and rules added, removed and changed from pack `a` to pack `b`."""
    require(request.auth, "policy.view")
    return diff(_pack(a), _pack(b))


@router.get("/households/{household_id}/evaluation", response={200: dict, **READ})
def evaluate_one(request, household_id: int, explain: bool = True):
    """The pack in force for the household's village and year, and every decision with its clauses, the
    values compared and the reasons (the live explanation the household page shows)."""
    require(request.auth, "policy.view")
    household = household_get(request.auth, household_id)
    return household_evaluate(household).as_dict(explain=explain)


@router.post("/runs", response={202: RunStarted, **WRITE})
def start_run(request, payload: RunIn):
    """Queue a screening run (a background task); its result is a stored run (GET /runs)."""
    task = screening_enqueue(actor=request.auth, pack_ref=payload.pack, year=payload.year, area_code=payload.area,
                             engine=payload.engine)
    return Status(202, RunStarted(task=task.pk, status=task.status, task_url=f"/api/tasks/{task.pk}"))


@router.get("/runs", response={200: list[RunOut], **READ})
@paginate(Pages, page_size=50)
def list_runs(request, year: Year | None = None):
    """Screening runs over your areas, newest first."""
    require(request.auth, "policy.view")
    qs = selectors.runs_visible(request.auth).order_by("-pk")
    if year:
        qs = qs.filter(year=year)
    return qs


@router.get("/runs/{run_id}", response={200: RunOut, **READ})
def get_run(request, run_id: int):
    return selectors.run_get(request.auth, run_id)


@router.get("/runs/{run_id}/decisions", response={200: list[DecisionOut], **READ})
@paginate(Pages, page_size=100)
def run_decisions(request, run_id: int, filters: Query[DecisionFilter]):
    """The stored decisions of a run in your villages; filter by rule, status or household id."""
    qs = selectors.run_decisions(request.auth, selectors.run_get(request.auth, run_id))
    for name in ("rule", "status"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    if filters.household:
        qs = qs.filter(household_id=filters.household)
    return qs


@router.post("/whatif", response={200: dict, **WRITE})
def what_if(request, payload: WhatIfIn):
    """模拟测算: the pack with changed parameters over an area; per rule how many households change outcome,
    by village, with a list of them. Nothing is stored."""
    return whatif_run(actor=request.auth, pack_ref=payload.pack, year=payload.year, area_code=payload.area,
                      changes=payload.changes, limit=payload.limit)
