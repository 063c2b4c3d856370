"""/api/assistance: the measure catalogue, household plans and measures, pairing cadres and their
assignments, visit records, and the coverage and monthly visit checks."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from fupin.accounts.access import access_area, access_object, require
from fupin.accounts.models import User
from fupin.api.pagination import Pages
from fupin.api.schemas import Error, Year
from fupin.assistance import selectors, services
from fupin.assistance.catalogue import catalogue
from fupin.assistance.models import CadreProfile, PairingAssignment, PlanMeasure, Visit
from fupin.assistance.schemas import (
    AssignIn,
    AssignmentOut,
    CadreIn,
    CadreOut,
    CatalogueOut,
    CoverageOut,
    MeasureIn,
    MeasureOut,
    MeasurePatch,
    MeasureTypeOut,
    PlanIn,
    PlanOut,
    PlanRow,
    UnassignIn,
    VisitCheckOut,
    VisitIn,
    VisitOut,
)
from fupin.core import clock
from fupin.core.errors import NotFound, ValidationFailed

router = Router(tags=["assistance 帮扶"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error}


def _measure(m: PlanMeasure) -> MeasureOut:
    return MeasureOut(id=m.pk, measure_code=m.measure_code, name=m.name, category=m.category, kind=m.kind,
                      start_date=m.start_date, end_date=m.end_date, amount=m.amount, status=m.status,
                      status_label=m.get_status_display(), responsible_unit=m.responsible_unit, note=m.note,
                      version=m.version)


def _plan(plan) -> PlanOut:
    plan.refresh_from_db()
    check = selectors.plan_check(plan)
    return PlanOut(id=plan.pk, household_id=plan.household_id, household_number=plan.household.household_number,
                   village=plan.household.village.code, year=plan.year, needs=plan.needs, version=plan.version,
                   has_labour=check["has_labour"], rule_ok=check["ok"], rule_message=check["message"],
                   measures=[_measure(m) for m in plan.measures.all()])


def _cadre(p: CadreProfile, actor) -> CadreOut:
    return CadreOut(user_id=p.user_id, username=p.user.username, name=p.name, area=p.area.code,
                    unit_kind=p.unit_kind, unit_name=p.unit_name, position=p.position,
                    phone=selectors.cadre_phone(p, actor, p.area.code), version=p.version)


def _visit(v: Visit) -> VisitOut:
    return VisitOut(id=v.pk, household_id=v.household_id, visited_on=v.visited_on, visitor=v.visitor.username,
                    visitor_role=v.visitor_role, content=v.content, problems=v.problems,
                    measures_taken=v.measures_taken)


def _assignment(a: PairingAssignment) -> AssignmentOut:
    profile = selectors.profile_of(a.cadre)
    return AssignmentOut(household_id=a.household_id, cadre_user_id=a.cadre_id,
                         cadre_name=profile.name if profile else a.cadre.username, started_on=a.started_on,
                         ended_on=a.ended_on, end_reason=a.end_reason)


def _plan_of(actor, household, action="assistance.view"):
    plan = selectors.plans_visible(actor, action).filter(household=household).first()
    if plan is None:
        raise NotFound(_("该户还没有帮扶计划"), code="no_plan")
    return plan


class AreaYear(Schema):
    area: str
    year: Year


@router.get("/catalogue", response=CatalogueOut)
def get_catalogue(request):
    """帮扶措施目录: each measure with its category, kind (work / protection) and source sentence."""
    require(request.auth, "assistance.view")
    cat = catalogue()
    return CatalogueOut(version=cat.version, title=cat.title, measures=[
        MeasureTypeOut(code=m.code, name=m.name, category=m.category, category_label=cat.category_label(m.category),
                       kind=m.kind, source=f"{m.seed}: {m.quote}") for m in cat.measures.values()])


@router.get("/plans", response=list[PlanRow])
@paginate(Pages, page_size=50)
def list_plans(request, year: Year | None = None, village: str | None = None):
    """Assistance plans (帮扶计划) in your areas."""
    qs = selectors.plan_rows(request.auth)
    if year:
        qs = qs.filter(year=year)
    if village:
        qs = qs.filter(household__village__code__startswith=village)
    return [PlanRow(id=p.pk, household_id=p.household_id, household_number=p.household.household_number,
                    village=p.household.village.code, year=p.year,
                    measures_in_place=p.in_place)
            for p in qs.order_by("-year", "household__household_number")]


@router.get("/households/{household_id}/plan", response={200: PlanOut, 404: Error})
def get_plan(request, household_id: int):
    household = selectors.household_for(request.auth, household_id)
    return _plan(_plan_of(request.auth, household))


@router.post("/households/{household_id}/plan", response={201: PlanOut, **ERRORS})
def create_plan(request, household_id: int, body: PlanIn):
    household = selectors.household_for(request.auth, household_id, "assistance.plan")
    return Status(201, _plan(services.plan_create(actor=request.auth, household=household, **body.dict())))


@router.post("/households/{household_id}/plan/measures", response={201: MeasureOut, **ERRORS})
def add_measure(request, household_id: int, body: MeasureIn):
    household = selectors.household_for(request.auth, household_id, "assistance.plan")
    plan = _plan_of(request.auth, household, "assistance.plan")
    data = body.dict()
    version = data.pop("plan_version")
    return Status(201, _measure(services.measure_add(actor=request.auth, plan=plan, data=data, plan_version=version)))


@router.patch("/measures/{measure_id}", response={200: MeasureOut, **ERRORS})
def update_measure(request, measure_id: int, body: MeasurePatch):
    """Change a measure; `version` must be the one you read (409 otherwise)."""
    measure = access_object(request.auth, PlanMeasure.objects.select_related("plan__household__village"),
                            measure_id, "assistance.plan", code_path=selectors.MEASURE_CODE)
    changes = {k: v for k, v in body.dict(exclude_unset=True).items() if k != "version"}
    return _measure(services.measure_update(actor=request.auth, measure=measure, version=body.version,
                                            changes=changes))


@router.get("/cadres", response=list[CadreOut])
@paginate(Pages, page_size=50)
def list_cadres(request):
    """Pairing cadres (帮扶责任人) of your areas; phones masked unless you may see personal data."""
    return [_cadre(p, request.auth) for p in selectors.cadre_profiles(request.auth)]


@router.put("/cadres", response={200: CadreOut, **ERRORS})
def save_cadre(request, body: CadreIn):
    """Create or update a cadre's profile (unit, position, phone)."""
    user = User.objects.filter(pk=body.user_id).first()
    if user is None:
        raise ValidationFailed(_("账号不存在"), code="bad_user")
    data = body.dict()
    profile = services.cadre_profile_save(actor=request.auth, user=user, area_code=data.pop("area"),
                                          version=data.pop("version"), data=data)
    return _cadre(profile, request.auth)


@router.get("/households/{household_id}/assignments", response={200: list[AssignmentOut], 404: Error})
def list_assignments(request, household_id: int):
    """The pairing history of a household, newest first."""
    household = selectors.household_for(request.auth, household_id)
    return [_assignment(a) for a in selectors.assignment_history(request.auth, household)]


@router.post("/households/{household_id}/assignments", response={201: AssignmentOut, **ERRORS})
def assign_cadre(request, household_id: int, body: AssignIn):
    """Pair a cadre with the household (ends the current pairing). 400 past the per-cadre limit."""
    household = selectors.household_for(request.auth, household_id, "cadre.assign")
    cadre = User.objects.filter(pk=body.cadre_user_id).first()
    if cadre is None:
        raise ValidationFailed(_("帮扶责任人账号不存在"), code="bad_cadre")
    return Status(201, _assignment(services.cadre_assign(actor=request.auth, household=household, cadre=cadre,
                                                         started_on=body.started_on, version=body.version,
                                                         reason=body.reason)))


@router.post("/households/{household_id}/assignments/end", response={200: AssignmentOut, **ERRORS})
def end_assignment(request, household_id: int, body: UnassignIn):
    household = selectors.household_for(request.auth, household_id, "cadre.assign")
    return _assignment(services.cadre_unassign(actor=request.auth, household=household, ended_on=body.ended_on,
                                               version=body.version, reason=body.reason))


@router.get("/households/{household_id}/visits", response={200: list[VisitOut], 404: Error})
def list_visits(request, household_id: int):
    household = selectors.household_for(request.auth, household_id)
    return [_visit(v) for v in selectors.visits_of(request.auth, household)]


@router.post("/households/{household_id}/visits", response={201: VisitOut, **ERRORS})
def record_visit(request, household_id: int, body: VisitIn):
    """帮扶记录卡: record a visit. A date after today is refused."""
    household = selectors.household_for(request.auth, household_id, "visit.record")
    return Status(201, _visit(services.visit_record(actor=request.auth, household=household, data=body.dict())))


@router.get("/coverage", response={200: CoverageOut, 404: Error})
def get_coverage(request, params: Query[AreaYear]):
    """Coverage of an area: households that must have a cadre and have none; cadres over the limit."""
    area = access_area(request.auth, params.area, "assistance.view")
    result = selectors.coverage(request.auth, area.code, params.year)
    return CoverageOut(area=area.code, year=params.year, max_households=result["limits"].max_households,
                       limit_source=result["limits"].source, needing=result["needing"],
                       uncovered=[h.household_number for h in result["uncovered"][:500]],
                       uncovered_count=result["uncovered_count"],
                       over_limit=[{"user_id": c["user"].pk,
                                    "name": c["profile"].name if c["profile"] else c["user"].username,
                                    "households": c["households"]} for c in result["over_limit"]])


@router.get("/visit-check", response={200: VisitCheckOut, 400: Error, 404: Error})
def get_visit_check(request, params: Query[AreaYear], month: str | None = None):
    """The monthly visit check (YYYY-MM, default this month): paired households under the minimum."""
    area = access_area(request.auth, params.area, "assistance.view")
    try:
        day = dt.date.fromisoformat(f"{month}-01") if month else clock.today()
    except ValueError:
        raise ValidationFailed(_("月份格式应为 YYYY-MM，如 2020-05"), code="bad_month") from None
    result = selectors.visit_check(request.auth, area.code, params.year, day)
    return VisitCheckOut(area=area.code, month=f"{result['month']:%Y-%m}", min_visits=result["limits"].min_visits,
                         limit_source=result["limits"].source, households=len(result["rows"]),
                         behind=[{k: r[k] for k in ("household_id", "household_number", "cadre_name", "visits", "due")}
                                 for r in result["behind"][:500]])
