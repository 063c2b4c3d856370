"""/api/supervision: checklists, campaigns, the problem list with each finding's rectification steps and
evidence, verification, 回头看 visits, and the import of registry data-quality problems."""

from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from fupin.api.pagination import Pages
from fupin.api.schemas import Error
from fupin.core import clock
from fupin.supervision import lookback, services
from fupin.supervision.models import Campaign, ChecklistItem, Finding, LookbackCheck, RectificationStep
from fupin.supervision.schemas import (
    CampaignIn,
    CampaignOut,
    ChecklistOut,
    CheckOut,
    FindingDetailOut,
    FindingFilter,
    FindingIn,
    FindingOut,
    FindingPatch,
    QualityImportIn,
    QualityImportOut,
    ReturnIn,
    VerifyIn,
    VisitIn,
)
from fupin.supervision.selectors import (
    campaign_get,
    campaigns_visible,
    check_get,
    checklist_get,
    checklists_visible,
    checks_visible,
    finding_get,
    finding_steps,
    findings_visible,
)

router = Router(tags=["supervision 督查整改"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error}


def _campaign(c: Campaign) -> CampaignOut:
    return CampaignOut(id=c.pk, kind=c.kind, kind_label=c.get_kind_display(), name=c.name, year=c.year,
                       county=c.county.code, start_date=c.start_date, end_date=c.end_date,
                       covered=[a.code for a in c.covered.order_by("code")], inspectors=c.inspectors,
                       checklist_id=c.checklist_id, sample_percent=c.sample_percent, status=c.status)


def _finding(f: Finding) -> dict:
    return dict(id=f.pk, area=f.area.code, area_name=f.area.name, campaign_id=f.campaign_id,
                checklist_item=f.checklist_item.no if f.checklist_item else None, description=f.description,
                severity=f.severity, source=f.source, responsible_kind=f.responsible_kind,
                responsible_area=f.responsible_area.code, responsible_department=f.responsible_department,
                responsible_label=f.responsible_label, found_on=f.found_on, deadline=f.deadline, status=f.status,
                status_label=f.get_status_display(), overdue=f.is_overdue(clock.today()),
                escalated_on=f.escalated_on, escalated_to=f.escalated_to, closed_on=f.closed_on, version=f.version)


def _detail(f: Finding) -> FindingDetailOut:
    def step(s: RectificationStep) -> dict:
        return dict(kind=s.kind, kind_label=s.get_kind_display(), text=s.text, actor_name=s.actor_name, at=s.at,
                    evidence=[dict(id=e.pk, file_name=e.file_name, size=e.size, sha256=e.sha256,
                                   uploaded_at=e.uploaded_at) for e in s.evidence.all()])
    return FindingDetailOut(**_finding(f), steps=[step(s) for s in finding_steps(finding=f)])


def _check(c: LookbackCheck) -> CheckOut:
    return CheckOut(id=c.pk, campaign_id=c.campaign_id, village=c.village.code, village_name=c.village.name,
                    household_number=c.household_number, head_name=c.head_name, result=c.result,
                    visited_on=c.visited_on, note=c.note, risk_types=c.risk_types, finding_id=c.finding_id,
                    monitoring_ref=c.monitoring_ref, version=c.version)


@router.get("/checklists", response=list[ChecklistOut])
@paginate(Pages, page_size=50)
def list_checklists(request):
    """The supervision checklists (督查要点) loaded from the shipped data, without their points."""
    from fupin.accounts.access import require

    require(request.auth, "progress.view")
    return [ChecklistOut(id=c.pk, key=c.key, version=c.version, title=c.title, issuer=c.issuer, year=c.year)
            for c in checklists_visible(actor=request.auth)]


@router.get("/checklists/{checklist_id}", response={200: ChecklistOut, 403: Error, 404: Error})
def get_checklist(request, checklist_id: int):
    """One checklist with every point and the line of the document it comes from."""
    from fupin.accounts.access import require

    require(request.auth, "progress.view")
    c = checklist_get(actor=request.auth, checklist_id=checklist_id)
    return ChecklistOut(id=c.pk, key=c.key, version=c.version, title=c.title, issuer=c.issuer, year=c.year,
                        items=[dict(id=i.pk, no=i.no, area_no=i.area_no, area_title=i.area_title, text=i.text,
                                    cite_seed=i.cite_seed, cite_quote=i.cite_quote) for i in c.items.all()])


@router.get("/campaigns", response=list[CampaignOut])
@paginate(Pages, page_size=50)
def list_campaigns(request):
    """Campaigns (督查 / 专项检查 / 回头看) run in or covering your areas."""
    return [_campaign(c) for c in campaigns_visible(actor=request.auth).prefetch_related("covered")
            .order_by("-start_date", "-pk")]


@router.post("/campaigns", response={201: CampaignOut, **ERRORS})
def create_campaign(request, body: CampaignIn):
    """A 回头看 (kind lookback) needs sample_percent and samples the exited households at once."""
    checklist = checklist_get(actor=request.auth, checklist_id=body.checklist_id) if body.checklist_id else None
    campaign = services.campaign_create(
        actor=request.auth, county_code=body.county, kind=body.kind, name=body.name, year=body.year,
        start_date=body.start_date, end_date=body.end_date, covered_codes=body.covered,
        inspectors=body.inspectors, checklist=checklist, sample_percent=body.sample_percent)
    return Status(201, _campaign(campaign))


@router.get("/campaigns/{campaign_id}", response={200: CampaignOut, 404: Error})
def get_campaign(request, campaign_id: int):
    return _campaign(campaign_get(actor=request.auth, campaign_id=campaign_id))


@router.get("/campaigns/{campaign_id}/checks", response={200: list[CheckOut], 404: Error})
@paginate(Pages, page_size=100)
def list_checks(request, campaign_id: int):
    """The sampled exited households of a 回头看 and their visit results, in your areas."""
    campaign = campaign_get(actor=request.auth, campaign_id=campaign_id)
    return [_check(c) for c in checks_visible(actor=request.auth, campaign=campaign)]


@router.post("/checks/{check_id}/visit", response={200: CheckOut, **ERRORS})
def record_visit(request, check_id: int, body: VisitIn):
    """At risk: a finding for the village and, with propose_monitoring, a proposal for monitoring."""
    check = check_get(actor=request.auth, check_id=check_id)
    done = lookback.lookback_record(actor=request.auth, check=check, result=body.result, visited_on=body.visited_on,
                                    note=body.note, risk_types=body.risk_types,
                                    propose_monitoring=body.propose_monitoring, version=body.version)
    return _check(done)


@router.get("/findings", response=list[FindingOut])
@paginate(Pages, page_size=50)
def list_findings(request, filters: Query[FindingFilter]):
    """The problem list (问题清单) of your areas."""
    qs = findings_visible(actor=request.auth)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.area:
        qs = qs.filter(area__code__startswith=filters.area)
    if filters.campaign:
        qs = qs.filter(campaign_id=filters.campaign)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.overdue is not None:
        from fupin.supervision.models import OPEN_STATUSES

        overdue = {"status__in": OPEN_STATUSES, "deadline__lt": clock.today()}
        qs = qs.filter(**overdue) if filters.overdue else qs.exclude(**overdue)
    return [FindingOut(**_finding(f)) for f in qs.order_by("deadline", "pk")]


@router.post("/findings", response={201: FindingDetailOut, **ERRORS})
def create_finding(request, body: FindingIn):
    campaign = campaign_get(actor=request.auth, campaign_id=body.campaign_id,
                            action="supervision.manage") if body.campaign_id else None
    item = None
    if body.checklist_item_id:
        item = ChecklistItem.objects.filter(pk=body.checklist_item_id).first()
        if item is None:
            from fupin.core.errors import NotFound

            raise NotFound("督查要点不存在", code="no_such_item")
    finding = services.finding_record(
        actor=request.auth, area_code=body.area, description=body.description, severity=body.severity,
        responsible_kind=body.responsible_kind, responsible_department=body.responsible_department,
        found_on=body.found_on, deadline=body.deadline, campaign=campaign, checklist_item=item)
    return Status(201, _detail(finding))


@router.get("/findings/{finding_id}", response={200: FindingDetailOut, 404: Error})
def get_finding(request, finding_id: int):
    """A finding with its ledger: every step, who took it, and the evidence files."""
    return _detail(finding_get(actor=request.auth, finding_id=finding_id))


@router.patch("/findings/{finding_id}", response={200: FindingDetailOut, **ERRORS})
def patch_finding(request, finding_id: int, body: FindingPatch):
    """Correct description, severity or deadline; `version` as read (a stale one answers 409)."""
    finding = finding_get(actor=request.auth, finding_id=finding_id)
    data = body.dict(exclude_none=True)
    return _detail(services.finding_update(actor=request.auth, finding=finding, **data))


@router.post("/findings/{finding_id}/report", response={200: FindingDetailOut, **ERRORS})
def report(request, finding_id: int, measures: Form[str], version: Form[int | None] = None,
           files: File[list[UploadedFile]] = None):
    """The responsible unit reports its measures (multipart: measures, version, files...)."""
    finding = finding_get(actor=request.auth, finding_id=finding_id)
    done = services.rectification_report(actor=request.auth, finding=finding, measures=measures,
                                         uploads=files or [], version=version)
    return _detail(done)


@router.post("/findings/{finding_id}/evidence", response={201: FindingDetailOut, **ERRORS})
def add_evidence(request, finding_id: int, files: File[list[UploadedFile]], note: Form[str] = ""):
    finding = finding_get(actor=request.auth, finding_id=finding_id)
    services.evidence_add(actor=request.auth, finding=finding, uploads=files, note=note)
    return Status(201, _detail(finding_get(actor=request.auth, finding_id=finding_id)))


@router.post("/findings/{finding_id}/close", response={200: FindingDetailOut, **ERRORS})
def close(request, finding_id: int, body: VerifyIn):
    """The county verifies and strikes the problem off; refused without evidence (400 no_evidence)."""
    finding = finding_get(actor=request.auth, finding_id=finding_id)
    return _detail(services.finding_close(actor=request.auth, finding=finding, comment=body.comment,
                                          version=body.version))


@router.post("/findings/{finding_id}/return", response={200: FindingDetailOut, **ERRORS})
def send_back(request, finding_id: int, body: ReturnIn):
    finding = finding_get(actor=request.auth, finding_id=finding_id)
    return _detail(services.finding_return(actor=request.auth, finding=finding, comment=body.comment,
                                           version=body.version))


@router.post("/quality-import", response={200: QualityImportOut, **ERRORS, 503: Error})
def import_quality(request, body: QualityImportIn):
    """Turn the registry's data-quality issues into findings (idempotent)."""
    return QualityImportOut(added=services.findings_import_quality(actor=request.auth, year=body.year,
                                                                   area_code=body.area))
