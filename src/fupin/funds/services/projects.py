"""Writes to the project library (项目库): village application, township review and publicity, county
determination (入库), progress, completion and acceptance.

The library steps follow 附件6 四(一): 村申报（村两委会或村民代表大会）→ 乡镇审核 → 乡镇公示 → 县审定.
Each step records its date; a project enters the library (and may receive funds) only at the last.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.audit.services import audit_event
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds import catalogue
from fupin.funds.models import (
    LIBRARY_STATUSES,
    ProgressReport,
    Project,
    ProjectCategory,
    ProjectFund,
    ProjectMode,
    ProjectStatus,
)
from fupin.funds.rules import rules_for

from ._common import (
    allow,
    as_choice,
    as_date,
    as_int,
    as_money,
    check_version,
    fund_rows,
    owner_area,
    refuse_status,
)

BEFORE_LIBRARY = (ProjectStatus.PROPOSED, ProjectStatus.TOWNSHIP_REVIEWED, ProjectStatus.PUBLICISED)
DESCRIPTIVE = ("name", "content", "expected_benefit", "linkage", "scale", "scale_unit")
RESULTS = ("households_driven", "persons_driven", "income_gain_per_capita")


def _snapshot(p: Project) -> dict:
    return {"status": p.status, "progress": p.progress, "name": p.name, "version": p.version}


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("area").get(pk=project.pk)


def _clean_results(data: dict) -> dict:
    out = {}
    if "households_driven" in data:
        out["households_driven"] = as_int(data["households_driven"], _("带动建档立卡户数"))
    if "persons_driven" in data:
        out["persons_driven"] = as_int(data["persons_driven"], _("带动建档立卡人数"))
    if "income_gain_per_capita" in data:
        out["income_gain_per_capita"] = as_money(data["income_gain_per_capita"], _("人均增收"), allow_zero=True)
    return out


def _clean_descriptive(data: dict) -> dict:
    out = {}
    if "name" in data:
        out["name"] = str(data["name"] or "").strip()[:100]
    for key in ("content", "expected_benefit", "linkage"):
        if key in data:
            out[key] = str(data[key] or "").strip()
    if "scale" in data:
        out["scale"] = None if data["scale"] in (None, "") else as_money(data["scale"], _("项目规模"))
    if "scale_unit" in data:
        out["scale_unit"] = str(data["scale_unit"] or "").strip()[:10]
    return out


def _check_driven(households: int, persons: int) -> None:
    if persons < households:
        raise ValidationFailed(_("带动建档立卡人数（%(p)s）不能少于户数（%(h)s）") % {"p": persons, "h": households},
                               code="persons_below_households")


def project_create(*, actor, area_code: str, category: str, mode: str, year: int, village_meeting_on,
                   funds, name: str = "", catalogue_code: str = "", **data) -> Project:
    """村申报: a village (or township) applies for a project after its two-committee meeting or
    villager-representative assembly, with the amount planned from each fund source."""
    area = owner_area(area_code, what=_("实施地点"))
    allow(actor, "funds.edit", area.code)
    unknown = set(data) - set(DESCRIPTIVE) - set(RESULTS)
    if unknown:
        raise ValidationFailed(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))}, code="unknown_fields")
    as_choice(category, ProjectCategory, _("实施项目种类"))
    as_choice(mode, ProjectMode, _("实施方式"))
    year = as_int(year, _("实施年度"), low=2000, high=2100)
    meeting = as_date(village_meeting_on, _("村两委会/村民代表大会日期"))
    listed = catalogue.check_project_name(catalogue_code)
    fields = _clean_descriptive({"name": name or (listed.label if listed else ""), **data})
    if not fields["name"]:
        raise ValidationFailed(_("请填写项目名称"), code="required")
    results = _clean_results(data)
    _check_driven(results.get("households_driven", 0), results.get("persons_driven", 0))
    rows = fund_rows(funds, what=_("项目"))
    with transaction.atomic():
        project = Project.objects.create(
            code=f"tmp-{uuid.uuid4().hex[:20]}", area=area, category=category, mode=mode, year=year,
            catalogue_code=catalogue_code or "", village_meeting_on=meeting,
            created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields, **results)
        project.code = f"XM{year}-{project.pk:06d}"
        project.save(update_fields=["code"])
        ProjectFund.objects.bulk_create([ProjectFund(project=project, source=s, amount=a) for s, a in rows])
        audit_event(actor=actor, action="funds.project.create", target=project, area_code=area.code,
                    after={"code": project.code, "name": project.name, "year": year, "mode": mode,
                           "funds": {s: str(a) for s, a in rows}})
    return project


def project_update(*, actor, project: Project, version=None, funds=None, **data) -> Project:
    """Descriptive fields and the fund plan may change before the county determination; afterwards only
    the results (带动户数、人数、人均增收) — a change of site, content or funds needs an approved
    change application (附件6 四(四)), which is not done by editing."""
    unknown = set(data) - set(DESCRIPTIVE) - set(RESULTS)
    if unknown:
        raise ValidationFailed(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))}, code="unknown_fields")
    with transaction.atomic():
        p = _locked(project)
        allow(actor, "funds.edit", p.area.code)
        check_version(p, version)
        if p.status == ProjectStatus.REJECTED:
            raise Conflict(_("项目已退回，不能修改"), code="bad_status")
        if p.status not in BEFORE_LIBRARY and (funds is not None or set(data) & set(DESCRIPTIVE)):
            raise ValidationFailed(_("项目已入库：建设内容和资金构成不得随意变更，须按程序申请调整"),
                                   code="library_project_locked")
        before = {**_snapshot(p), "funds": {f.source: str(f.amount) for f in p.funds.all()}}
        changes = {**_clean_descriptive(data), **_clean_results(data)}
        if "name" in changes and not changes["name"]:
            raise ValidationFailed(_("请填写项目名称"), code="required")
        for key, value in changes.items():
            setattr(p, key, value)
        _check_driven(p.households_driven, p.persons_driven)
        if funds is not None:
            rows = fund_rows(funds, what=_("项目"))
            p.funds.all().delete()
            ProjectFund.objects.bulk_create([ProjectFund(project=p, source=s, amount=a) for s, a in rows])
        p.version += 1
        p.save()
        audit_event(actor=actor, action="funds.project.update", target=p, area_code=p.area.code, before=before,
                    after={**_snapshot(p), "changes": {k: str(v) for k, v in changes.items()},
                           "funds": {f.source: str(f.amount) for f in p.funds.all()}})
    return p


def project_township_review(*, actor, project: Project, on, version=None) -> Project:
    """乡镇审核: authenticity, necessity, content, budget, expected benefit and the linkage mechanism."""
    on = as_date(on, _("乡镇审核日期"))
    with transaction.atomic():
        p = _locked(project)
        allow(actor, "funds.review", p.area.code)
        check_version(p, version)
        refuse_status(p, [ProjectStatus.PROPOSED], _("乡镇审核"))
        if on < p.village_meeting_on:
            raise ValidationFailed(_("乡镇审核日期不能早于村级会议日期（%(d)s）") % {"d": p.village_meeting_on},
                                   code="date_order")
        before = _snapshot(p)
        p.status, p.township_reviewed_on, p.version = ProjectStatus.TOWNSHIP_REVIEWED, on, p.version + 1
        p.save()
        audit_event(actor=actor, action="funds.project.township_review", target=p, area_code=p.area.code,
                    before=before, after={**_snapshot(p), "on": on})
    return p


def project_publicise(*, actor, project: Project, starts_on, version=None) -> Project:
    """乡镇公示: the reviewed project is publicised at the township for the rule's number of days."""
    starts_on = as_date(starts_on, _("公示开始日期"))
    with transaction.atomic():
        p = _locked(project)
        allow(actor, "funds.review", p.area.code)
        check_version(p, version)
        refuse_status(p, [ProjectStatus.TOWNSHIP_REVIEWED], _("公示"))
        if starts_on < p.township_reviewed_on:
            raise ValidationFailed(_("公示不能早于乡镇审核（%(d)s）") % {"d": p.township_reviewed_on}, code="date_order")
        rules = rules_for(p.area.code, p.year)
        before = _snapshot(p)
        p.status, p.publicity_from = ProjectStatus.PUBLICISED, starts_on
        p.publicity_to = starts_on + dt.timedelta(days=rules.project_publicity_days - 1)
        p.version += 1
        p.save()
        audit_event(actor=actor, action="funds.project.publicise", target=p, area_code=p.area.code, before=before,
                    after={**_snapshot(p), "from": starts_on, "to": p.publicity_to, "rules": rules.pack_id})
    return p


def project_approve(*, actor, project: Project, on, version=None) -> Project:
    """县审定: after the township publicity has run its course, the county enters the project into the
    library. The completion deadline is the rule's date in the project year (or the year's end when the
    project is approved after it)."""
    on = as_date(on, _("县级审定日期"))
    with transaction.atomic():
        p = _locked(project)
        allow(actor, "funds.approve", p.area.code)
        check_version(p, version)
        refuse_status(p, [ProjectStatus.PUBLICISED], _("审定入库"))
        if on <= p.publicity_to:
            raise ValidationFailed(
                _("乡镇公示期至 %(to)s（%(f)s 起 %(n)s 天），公示期满后方可审定入库")
                % {"to": p.publicity_to, "f": p.publicity_from, "n": (p.publicity_to - p.publicity_from).days + 1},
                code="publicity_not_over", details={"publicity_from": str(p.publicity_from),
                                                    "publicity_to": str(p.publicity_to)})
        rules = rules_for(p.area.code, p.year)
        deadline = rules.deadline_in(p.year)
        if on > deadline:
            deadline = dt.date(max(p.year, on.year), 12, 31)
        before = _snapshot(p)
        p.status, p.county_approved_on, p.completion_deadline = ProjectStatus.IN_LIBRARY, on, deadline
        p.rules_pack, p.version = rules.pack_id, p.version + 1
        p.save()
        audit_event(actor=actor, action="funds.project.approve", target=p, area_code=p.area.code, before=before,
                    after={**_snapshot(p), "on": on, "completion_deadline": deadline, "rules": rules.pack_id})
    return p


def project_reject(*, actor, project: Project, on, reason: str, version=None) -> Project:
    """退回: a township or the county turns the application down, with the reason."""
    on = as_date(on, _("退回日期"))
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写退回原因"), code="required")
    with transaction.atomic():
        p = _locked(project)
        allow(actor, "funds.approve" if p.status == ProjectStatus.PUBLICISED else "funds.review", p.area.code)
        check_version(p, version)
        refuse_status(p, BEFORE_LIBRARY, _("退回"))
        before = _snapshot(p)
        p.status, p.rejected_on, p.rejection_reason = ProjectStatus.REJECTED, on, reason[:300]
        p.version += 1
        p.save()
        audit_event(actor=actor, action="funds.project.reject", target=p, area_code=p.area.code, before=before,
                    after={**_snapshot(p), "reason": reason})
    return p


def project_report_progress(*, actor, project: Project, percent, on, note: str = "") -> ProgressReport:
    """进度报告: progress never goes back; 100% is reported by completing the project."""
    percent = as_int(percent, _("实施进度"), low=0, high=99)
    on = as_date(on, _("报告日期"))
    with transaction.atomic():
        p = _locked(project)
        allow(actor, "funds.edit", p.area.code)
        refuse_status(p, [ProjectStatus.IN_LIBRARY, ProjectStatus.IMPLEMENTING], _("报告进度"))
        if percent < p.progress:
            raise ValidationFailed(_("进度不能低于上次报告的 %(p)s%%") % {"p": p.progress}, code="progress_backwards")
        last = p.progress_reports.order_by("-reported_on", "-id").first()
        if last and on < last.reported_on:
            raise ValidationFailed(_("报告日期不能早于上次报告（%(d)s）") % {"d": last.reported_on}, code="date_order")
        if on < p.county_approved_on:
            raise ValidationFailed(_("报告日期不能早于入库日期（%(d)s）") % {"d": p.county_approved_on},
                                   code="date_order")
        report = ProgressReport.objects.create(project=p, percent=percent, reported_on=on, note=str(note)[:300],
                                               created_by=actor if getattr(actor, "is_authenticated", False) else None)
        before = _snapshot(p)
        p.progress, p.status, p.version = percent, ProjectStatus.IMPLEMENTING, p.version + 1
        p.save()
        audit_event(actor=actor, action="funds.project.progress", target=p, area_code=p.area.code, before=before,
                    after={**_snapshot(p), "on": on})
    return report


def project_complete(*, actor, project: Project, on, version=None) -> Project:
    """完工: the project is finished (progress 100%); the remainder of the funds becomes payable."""
    on = as_date(on, _("完工日期"))
    with transaction.atomic():
        p = _locked(project)
        allow(actor, "funds.edit", p.area.code)
        check_version(p, version)
        refuse_status(p, [ProjectStatus.IN_LIBRARY, ProjectStatus.IMPLEMENTING], _("完工"))
        last = p.progress_reports.order_by("-reported_on", "-id").first()
        if on < p.county_approved_on or (last and on < last.reported_on):
            raise ValidationFailed(_("完工日期不能早于入库日期或最近一次进度报告"), code="date_order")
        ProgressReport.objects.create(project=p, percent=100, reported_on=on, note=_("完工"),
                                      created_by=actor if getattr(actor, "is_authenticated", False) else None)
        before = _snapshot(p)
        p.status, p.progress, p.completed_on, p.version = ProjectStatus.COMPLETED, 100, on, p.version + 1
        p.save()
        audit_event(actor=actor, action="funds.project.complete", target=p, area_code=p.area.code, before=before,
                    after={**_snapshot(p), "on": on})
    return p


def project_accept(*, actor, project: Project, on, version=None) -> Project:
    """验收: the township's initial acceptance (乡镇初验) first, then the county's (县级验收)."""
    on = as_date(on, _("验收日期"))
    with transaction.atomic():
        p = _locked(project)
        check_version(p, version)
        refuse_status(p, [ProjectStatus.COMPLETED], _("验收"))
        before = _snapshot(p)
        if p.township_accepted_on is None:
            allow(actor, "funds.review", p.area.code)
            if on < p.completed_on:
                raise ValidationFailed(_("初验日期不能早于完工日期（%(d)s）") % {"d": p.completed_on}, code="date_order")
            p.township_accepted_on, action = on, "funds.project.township_accept"
        else:
            allow(actor, "funds.approve", p.area.code)
            if on < p.township_accepted_on:
                raise ValidationFailed(_("县级验收不能早于乡镇初验（%(d)s）") % {"d": p.township_accepted_on},
                                       code="date_order")
            p.accepted_on, p.status, action = on, ProjectStatus.ACCEPTED, "funds.project.accept"
        p.version += 1
        p.save()
        audit_event(actor=actor, action=action, target=p, area_code=p.area.code, before=before,
                    after={**_snapshot(p), "on": on})
    return p


__all__ = [
    "LIBRARY_STATUSES", "project_accept", "project_approve", "project_complete", "project_create",
    "project_publicise", "project_reject", "project_report_progress", "project_township_review", "project_update",
]
