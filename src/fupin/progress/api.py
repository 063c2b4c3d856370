"""/api/progress: the battle map of an area (figures from the pre-aggregated table, children, targets
with red/amber/green), the households behind a figure, plans, targets, milestones, the aggregate refresh
and the monthly dispatch snapshots."""


from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from fupin.accounts.access import require
from fupin.api.pagination import Pages
from fupin.api.schemas import Error, Year
from fupin.core import clock
from fupin.core.errors import NotFound
from fupin.progress import boundaries, dispatch, selectors, services, summaries
from fupin.progress.indicators import INDICATORS, household_filter, indicators_refresh
from fupin.progress.map import area_tiles, geo_map
from fupin.progress.models import Milestone, Plan, Snapshot
from fupin.progress.reports import LATE_STATES
from fupin.progress.schemas import (
    BoundaryUploadOut,
    FreezeIn,
    GeoMapOut,
    HouseholdRow,
    MapOut,
    MilestoneIn,
    MilestoneOut,
    PlanDetailOut,
    PlanOut,
    RefreshIn,
    RefreshOut,
    ReportIn,
    SnapshotOut,
    SnapshotValueOut,
    SummaryOut,
    TargetIn,
    TargetOut,
)

router = Router(tags=["progress 挂图作战与月调度"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error}


class YearFilter(Schema):
    year: Year | None = None


def _target_row(row) -> dict:
    """A target with its progress as TargetOut's fields (built directly: see area_map)."""
    t, v = row.target, row.verdict
    return {"id": t.pk, "plan_id": t.plan_id, "area": t.area.code, "area_name": t.area.name, "group": t.group,
            "name": t.name, "indicator": t.indicator, "direction": t.direction, "value": t.value, "unit": t.unit,
            "actual": row.actual, "percent": v.percent, "state": v.state, "state_label": str(v.label),
            "colour": v.colour, "deadline": t.deadline, "lead_leader": t.lead_leader, "lead_unit": t.lead_unit,
            "responsible_units": t.responsible_units, "responsible_person": t.responsible_person,
            "version": t.version}


def _target(row) -> TargetOut:
    return TargetOut(**_target_row(row))


def _plan(p: Plan) -> PlanOut:
    return PlanOut(id=p.pk, code=p.code, title=p.title, kind=p.kind, area=p.area.code, area_name=p.area.name,
                   start=p.start, end=p.end, issuer=p.issuer, flags=p.flags)


def _milestone(m: Milestone) -> MilestoneOut:
    return MilestoneOut(id=m.pk, due=m.due, title=m.title, lead_unit=m.lead_unit,
                        responsible_units=m.responsible_units, done_on=m.done_on, version=m.version)


def _snapshot(s: Snapshot) -> SnapshotOut:
    return SnapshotOut(id=s.pk, area=s.area.code, area_name=s.area.name, month=f"{s.month:%Y-%m}",
                       frozen_at=s.frozen_at, late_targets=sum(1 for t in s.targets if t["state"] in LATE_STATES),
                       targets=s.targets, milestones=s.milestones)


@router.get("/areas/{code}", response={200: MapOut, 404: Error})
def area_map(request, code: str, filters: Query[YearFilter]):
    """The battle map of an area: its figures (each with the link to the households behind it), its
    children's figures and its targets with progress — all read from the pre-aggregated table."""
    area = selectors.map_area(actor=request.auth, code=code)
    year = selectors.data_year(area.code, filters.year)
    kids = selectors.children(actor=request.auth, area=area)
    values = selectors.figures([area.code] + [k.code for k in kids], year)
    rows = selectors.targets_with_progress(list(selectors.area_targets(actor=request.auth, area=area, year=year)),
                                           clock.today())
    figures = [{"indicator": c, "label": str(i.label), "unit": str(i.unit), "value": values[area.code][c],
                "records_url": f"/api/progress/areas/{area.code}/records/{c}?year={year}"
                if household_filter(c, year) is not None else None}
               for c, i in INDICATORS.items()]
    body = {"code": area.code, "name": area.name, "level": area.level, "year": year, "figures": figures,
            "children": [{"code": k.code, "name": k.name, "level": k.level, "figures": values[k.code]} for k in kids],
            "targets": [_target_row(r) for r in rows]}
    # The dashboard's hot path: the body is built in MapOut's shape (a test holds it to the schema) and
    # rendered directly, skipping the second validation of a hundred nested objects on every request.
    from fupin.api.main import api

    return api.create_response(request, body, status=200)


@router.get("/areas/{code}/records/{indicator}", response={200: list[HouseholdRow], 404: Error})
@paginate(Pages, page_size=50)
def area_records(request, code: str, indicator: str, filters: Query[YearFilter]):
    """The households behind one figure, within your registry scope."""
    area = selectors.map_area(actor=request.auth, code=code)
    if indicator not in INDICATORS:
        raise NotFound(f"未知指标：{indicator}", code="unknown_indicator")
    year = selectors.data_year(area.code, filters.year)
    qs = selectors.records(actor=request.auth, area=area, indicator=indicator, year=year).order_by("household_number")
    return [HouseholdRow(id=h.pk, household_number=h.household_number, village=h.village.code,
                         village_name=h.village.name, status=h.status, member_count=h.member_count,
                         per_capita_net_income=h.per_capita_net_income) for h in qs]


@router.post("/refresh", response={200: RefreshOut, **ERRORS})
def refresh(request, body: RefreshIn):
    """Bring the pre-aggregated indicators of a year up to date (only the villages that changed)."""
    require(request.auth, "progress.manage")
    return RefreshOut(**indicators_refresh(year=body.year, full=body.full, actor=request.auth).as_dict())


@router.get("/plans", response=list[PlanOut])
@paginate(Pages, page_size=50)
def list_plans(request):
    return [_plan(p) for p in selectors.plans_visible(actor=request.auth)]


@router.get("/plans/{plan_id}", response={200: PlanDetailOut, 404: Error})
def get_plan(request, plan_id: int):
    plan = selectors.plan_get(actor=request.auth, plan_id=plan_id)
    rows = selectors.targets_with_progress(list(plan.targets.select_related("area")), clock.today())
    return PlanDetailOut(**_plan(plan).dict(), targets=[_target(r) for r in rows],
                         milestones=[_milestone(m) for m in plan.milestones.all()])


@router.post("/targets", response={201: TargetOut, **ERRORS})
def create_target(request, body: TargetIn):
    data = body.dict()
    plan_id = data.pop("plan_id")
    plan = selectors.plan_get(actor=request.auth, plan_id=plan_id, action="progress.manage") if plan_id else None
    target = services.target_create(actor=request.auth, plan=plan, area_code=data.pop("area"), **data)
    return Status(201, _target(selectors.targets_with_progress([target], clock.today())[0]))


@router.post("/targets/{target_id}/report", response={200: TargetOut, **ERRORS})
def report_target(request, target_id: int, body: ReportIn):
    target = selectors.target_get(actor=request.auth, target_id=target_id, action="progress.manage")
    target = services.target_report(actor=request.auth, target=target, reported_value=body.value,
                                    expected_version=body.version)
    return _target(selectors.targets_with_progress([target], clock.today())[0])


@router.post("/plans/{plan_id}/milestones", response={201: MilestoneOut, **ERRORS})
def add_milestone(request, plan_id: int, body: MilestoneIn):
    plan = selectors.plan_get(actor=request.auth, plan_id=plan_id, action="progress.manage")
    return Status(201, _milestone(services.milestone_create(actor=request.auth, plan=plan, **body.dict())))


@router.get("/snapshots", response=list[SnapshotOut])
@paginate(Pages, page_size=24)
def list_snapshots(request):
    """Frozen monthly dispatch snapshots (月调度) of your areas, newest first."""
    return [_snapshot(s) for s in selectors.snapshots_visible(actor=request.auth).order_by("-month", "area__code")]


@router.post("/snapshots", response={201: SnapshotOut, **ERRORS})
def freeze(request, body: FreezeIn):
    """Freeze a month: refused for a month that has not come yet, or one already frozen."""
    return Status(201, _snapshot(dispatch.snapshot_freeze(actor=request.auth, area_code=body.area, month=body.month)))


@router.get("/snapshots/{snapshot_id}/values", response={200: list[SnapshotValueOut], 404: Error})
@paginate(Pages, page_size=200)
def snapshot_values(request, snapshot_id: int):
    """Every frozen figure of the snapshot with last month's value beside it."""
    snapshot = selectors.snapshot_get(actor=request.auth, snapshot_id=snapshot_id)
    previous = dispatch.snapshot_previous(snapshot)
    before = dispatch.snapshot_figures(previous) if previous else {}
    return [SnapshotValueOut(area=v.area_code, area_name=v.area_name, indicator=v.indicator, value=v.value,
                             previous=before.get(v.area_code, {}).get(v.indicator))
            for v in snapshot.values.order_by("area_code", "indicator")]


@router.post("/boundaries", response={201: BoundaryUploadOut, **ERRORS})
def upload_boundaries(request, file: File[UploadedFile], code_property: Form[str] = "code"):
    """Upload a GeoJSON FeatureCollection of township/village (or county) boundaries, each feature naming
    its area code in `code_property`. All or nothing: 400 `geojson_invalid` / `geojson_areas_invalid`
    lists every problem, `file_too_large` above 20 MB, `bad_json`, `not_feature_collection`."""
    result = boundaries.boundaries_upload(actor=request.auth, data=file.read(boundaries.MAX_BYTES + 1),
                                          filename=file.name or "", code_property=code_property)
    return Status(201, BoundaryUploadOut(**result.as_dict()))


@router.get("/areas/{code}/boundaries", response={200: GeoMapOut, 400: Error, 404: Error})
def area_boundaries(request, code: str, filters: Query[YearFilter]):
    """The uploaded boundaries of the areas one level below, with their red/amber/green colour."""
    area = selectors.map_area(actor=request.auth, code=code)
    year = selectors.data_year(area.code, filters.year)
    kids = selectors.children(actor=request.auth, area=area)
    geo = geo_map(area, area_tiles(kids, selectors.figures([k.code for k in kids], year)), year)
    return GeoMapOut(**geo) if geo else GeoMapOut()


@router.get("/summaries/{code}/{year}/{kind}", response={200: SummaryOut, **ERRORS})
def summary(request, code: str, year: int, kind: str):
    """国庆 (`national_day`, from the September snapshot) or 年终 (`year_end`, from December) summary;
    400 `period_not_frozen` while that month is not frozen."""
    area = selectors.map_area(actor=request.auth, code=code)
    data = summaries.summary_data(area=area, year=year, kind=kind)
    base = reverse("progress:summary_file", args=[area.code, year, kind, "xlsx"])[:-len("xlsx")]
    return SummaryOut(area=area.code, area_name=area.name, year=year, kind=kind, title=data["title"],
                      period=data["period"], baseline=data["baseline"], months=data["months"],
                      missing_months=data["missing_months"], frozen_at=data["snapshot"].frozen_at,
                      overall=data["overall"], areas=data["areas"], trend=data["trend"], targets=data["targets"],
                      milestones=data["milestones"], unfinished_targets=data["unfinished_targets"],
                      unfinished_milestones=data["unfinished_milestones"], xlsx_url=base + "xlsx", pdf_url=base + "pdf")
