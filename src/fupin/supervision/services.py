"""Writes of supervision and rectification. Keyword-only, actor first, transactional, audited; bad input
raises a Chinese message and writes nothing.

The rectification of a finding is a small state machine, each step a row of the ledger (整改台账):

    待整改 --上报整改--> 待核验 --核验销号--> 已销号
       ^                  |
       +---退回重新整改---+

"实行督查督办、限期整改，整改不到位的要严肃追责" (seed 000, ZW-IND): a deadline on every finding, the
county verifies before a problem is struck off (销号, "建立整顿台账和销号制度", seed 001), and nothing
is struck off without evidence of the rectification.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from fupin.accounts.access import access_area, can, require
from fupin.accounts.roles import Department, Role, role_allows
from fupin.areas.models import Area, AreaLevel, pad_code
from fupin.areas.selectors import area_get
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, PermissionDenied, ServiceUnavailable, ValidationFailed
from fupin.core.uploads import check_uploads
from fupin.supervision import evidence as files
from fupin.supervision.models import (
    OPEN_STATUSES,
    Campaign,
    CampaignKind,
    CampaignStatus,
    ChecklistItem,
    Evidence,
    Finding,
    FindingSource,
    FindingStatus,
    RectificationStep,
    ResponsibleKind,
    Severity,
    StepKind,
)

MAX_TEXT = 2000
# Days a data-quality finding gives the village to correct the record, counted from the import.
QUALITY_DEADLINE_DAYS = 30


def _text(value, label: str, errors: dict, key: str, *, max_length: int = MAX_TEXT, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[key] = _("请填写%(label)s") % {"label": label}
    elif len(text) > max_length:
        errors[key] = _("%(label)s不能超过%(n)s个字") % {"label": label, "n": max_length}
    return text


def _refuse(errors: dict, code: str = "invalid") -> None:
    if errors:
        raise ValidationFailed("；".join(errors.values()), code=code, details={"errors": errors})


def _name(actor) -> str:
    return getattr(actor, "display_name", "") or getattr(actor, "username", "") or _("系统")


def _step(finding: Finding, kind: str, actor, text: str = "") -> RectificationStep:
    now = clock.now()
    return RectificationStep.objects.create(finding=finding, kind=kind, text=text, actor=actor if getattr(
        actor, "pk", None) else None, actor_name=_name(actor), at=now, day=clock.today())


def _locked(finding: Finding, version: int | None) -> Finding:
    """The finding re-read under a row lock; a stale `version` (someone changed it meanwhile) is refused."""
    current = Finding.objects.select_for_update().select_related("area", "responsible_area").get(pk=finding.pk)
    if version is not None and int(version) != current.version:
        raise Conflict(_("该问题已被他人修改（当前第%(v)s版），请刷新后再操作") % {"v": current.version},
                       code="stale", details={"current_version": current.version})
    return current


def _snapshot(f: Finding) -> dict:
    return {"area": f.area.code, "description": f.description, "severity": f.severity,
            "responsible": f.responsible_label, "found_on": f.found_on, "deadline": f.deadline, "status": f.status,
            "version": f.version}


# --- campaigns ---------------------------------------------------------------------------------

def campaign_create(*, actor, county_code: str, kind: str, name: str, year: int, start_date: dt.date,
                    end_date: dt.date, covered_codes: list[str], inspectors: str = "", checklist=None,
                    sample_percent: int | None = None) -> Campaign:
    """A supervision campaign (督查 / 专项检查 / 回头看). A 回头看 samples its exited households at once."""
    # Scope checks first, outside the transaction, so that a refusal's audit event is kept.
    require(actor, "supervision.manage")
    county = access_area(actor, county_code, "supervision.manage")
    covered = [access_area(actor, code, "supervision.manage") for code in covered_codes or []]
    with transaction.atomic():
        return _campaign_create(actor=actor, county=county, kind=kind, name=name, year=year, start_date=start_date,
                                end_date=end_date, covered=covered, inspectors=inspectors, checklist=checklist,
                                sample_percent=sample_percent)


def _campaign_create(*, actor, county, kind, name, year, start_date, end_date, covered, inspectors, checklist,
                     sample_percent) -> Campaign:
    errors: dict[str, str] = {}
    if county.level != AreaLevel.COUNTY:
        errors["county"] = _("督查由县组织：%(name)s 不是县级区划") % {"name": county.name}
    if kind not in CampaignKind.values:
        errors["kind"] = _("类型应为：督查、专项检查或回头看")
    name = _text(name, _("名称"), errors, "name", max_length=200)
    inspectors = _text(inspectors, _("督查人员"), errors, "inspectors", required=False)
    if not isinstance(year, int) or not 2013 <= year <= 2100:
        errors["year"] = _("年度应在2013到2100之间")
    if end_date < start_date:
        errors["end_date"] = _("结束日期 %(e)s 早于开始日期 %(s)s") % {"e": end_date, "s": start_date}
    if kind == CampaignKind.LOOKBACK:
        if sample_percent is None or isinstance(sample_percent, bool) or not 1 <= int(sample_percent) <= 100:
            errors["sample_percent"] = _("回头看须填写抽查比例（1–100%）")
    elif sample_percent is not None:
        errors["sample_percent"] = _("只有回头看需要抽查比例")
    if checklist is not None and not county.code.startswith(checklist.jurisdiction[:6]):
        errors["checklist"] = _("督查清单“%(t)s”不适用于 %(c)s") % {"t": checklist.title, "c": county.name}
    for area in covered:
        if not area.code.startswith(county.prefix):
            errors["covered"] = _("%(a)s 不在 %(c)s") % {"a": area.name, "c": county.name}
    if not covered:
        errors["covered"] = _("请选择督查范围（乡镇或村）")
    _refuse(errors)
    campaign = Campaign.objects.create(county=county, kind=kind, name=name, year=year, checklist=checklist,
                                       start_date=start_date, end_date=end_date, inspectors=inspectors,
                                       sample_percent=sample_percent, created_by=actor)
    campaign.covered.set(covered)
    sampled = 0
    if kind == CampaignKind.LOOKBACK:
        from fupin.supervision.lookback import lookback_sample

        sampled = lookback_sample(campaign=campaign)
    audit_event(actor=actor, action="supervision.campaign_create", target=campaign, area_code=county.code,
                after={"kind": kind, "name": name, "year": year, "start_date": start_date, "end_date": end_date,
                       "covered": [a.code for a in covered], "checklist": checklist.pk if checklist else None,
                       "sample_percent": sample_percent, "sampled": sampled})
    return campaign


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign) -> Campaign:
    require(actor, "supervision.manage", campaign.county.code)
    if campaign.status == CampaignStatus.CLOSED:
        raise Conflict(_("该督查活动已结束"), code="campaign_closed")
    campaign.status = CampaignStatus.CLOSED
    campaign.version += 1
    campaign.save(update_fields=["status", "version"])
    audit_event(actor=actor, action="supervision.campaign_close", target=campaign, area_code=campaign.county.code,
                after={"status": campaign.status})
    return campaign


# --- findings ----------------------------------------------------------------------------------

def _responsible(area: Area, kind: str, code: str | None, department: str, errors: dict) -> Area | None:
    """The responsible unit's area: the problem's village or township, or the county for a department."""
    if kind not in ResponsibleKind.values:
        errors["responsible_kind"] = _("责任单位类型应为：乡镇、村或行业部门")
        return None
    if kind == ResponsibleKind.DEPARTMENT:
        if department not in Department.values:
            errors["responsible_department"] = _("请选择责任部门")
        return area_get(area.code[:6])
    if area.level < AreaLevel.TOWNSHIP:
        errors["responsible_kind"] = _("县级问题的责任单位应为行业部门")
        return None
    target = area_get(code) if code else None
    if kind == ResponsibleKind.VILLAGE:
        if area.level != AreaLevel.VILLAGE:
            errors["responsible_kind"] = _("乡镇一级的问题由乡镇整改，不能指定给村")
            return None
        return area
    township = area_get(area.code[:9])
    if target is not None and target.code != township.code:
        errors["responsible_area"] = _("责任乡镇应为问题所在的 %(t)s") % {"t": township.name}
    return township


def finding_record(*, actor, area_code: str, description: str, responsible_kind: str, found_on: dt.date,
                   deadline: dt.date, severity: str = Severity.GENERAL, responsible_code: str | None = None,
                   responsible_department: str = "", campaign: Campaign | None = None,
                   checklist_item: ChecklistItem | None = None, household=None, source: str | None = None,
                   source_key: str | None = None) -> Finding:
    """Record a problem (问题清单) with its responsible unit and deadline (限期整改)."""
    require(actor, "supervision.manage")
    area = access_area(actor, area_code, "supervision.manage")  # outside the transaction: a refusal is audited
    with transaction.atomic():
        return _finding_record(actor=actor, area=area, description=description, responsible_kind=responsible_kind,
                               found_on=found_on, deadline=deadline, severity=severity,
                               responsible_code=responsible_code, responsible_department=responsible_department,
                               campaign=campaign, checklist_item=checklist_item, household=household, source=source,
                               source_key=source_key)


def _finding_record(*, actor, area, description, responsible_kind, found_on, deadline, severity, responsible_code,
                    responsible_department, campaign, checklist_item, household, source, source_key) -> Finding:
    errors: dict[str, str] = {}
    description = _text(description, _("问题描述"), errors, "description")
    if severity not in Severity.values:
        errors["severity"] = _("严重程度应为：一般、较重或严重")
    responsible = _responsible(area, responsible_kind, responsible_code, responsible_department, errors)
    today = clock.today()
    if found_on > today:
        errors["found_on"] = _("发现日期 %(d)s 不能晚于今天") % {"d": found_on}
    if deadline < found_on:
        errors["deadline"] = _("整改时限 %(d)s 早于发现日期 %(f)s") % {"d": deadline, "f": found_on}
    if campaign is not None:
        if campaign.status == CampaignStatus.CLOSED:
            errors["campaign"] = _("督查活动“%(n)s”已结束，不能再登记问题") % {"n": campaign.name}
        elif not any(area.code.startswith(c.prefix) for c in campaign.covered.all()):
            errors["area"] = _("%(a)s 不在督查活动“%(n)s”的范围内") % {"a": area.name, "n": campaign.name}
    if checklist_item is not None and (campaign is None or campaign.checklist_id != checklist_item.checklist_id):
        errors["checklist_item"] = _("督查要点不属于本次督查活动的清单")
    if household is not None and not household.village.code.startswith(area.prefix):
        errors["household"] = _("涉及农户不在 %(a)s") % {"a": area.name}
    source = source or (FindingSource.CAMPAIGN if campaign else FindingSource.MANUAL)
    if source not in FindingSource.values:
        errors["source"] = _("未知的问题来源")
    _refuse(errors)
    if source_key and Finding.objects.filter(source_key=source_key).exists():
        raise Conflict(_("该问题已登记过（%(k)s）") % {"k": source_key}, code="duplicate_finding")
    finding = Finding.objects.create(
        area=area, campaign=campaign, checklist_item=checklist_item, household=household, description=description,
        severity=severity, source=source, source_key=source_key or None, responsible_kind=responsible_kind,
        responsible_area=responsible, found_on=found_on, deadline=deadline, recorded_by=actor,
        responsible_department=responsible_department if responsible_kind == ResponsibleKind.DEPARTMENT else "")
    _step(finding, StepKind.RECORD, actor, description)
    audit_event(actor=actor, action="supervision.finding_record", target=finding, area_code=area.code,
                after=_snapshot(finding))
    return finding


@transaction.atomic
def finding_update(*, actor, finding: Finding, version: int, description: str | None = None,
                   severity: str | None = None, deadline: dt.date | None = None) -> Finding:
    """Correct a finding's description, severity or deadline (optimistic: `version` as read)."""
    require(actor, "supervision.manage", finding.area.code)
    finding = _locked(finding, version)
    if finding.status == FindingStatus.CLOSED:
        raise Conflict(_("问题已销号，不能修改"), code="finding_closed")
    before = _snapshot(finding)
    errors: dict[str, str] = {}
    if description is not None:
        finding.description = _text(description, _("问题描述"), errors, "description")
    if severity is not None:
        if severity not in Severity.values:
            errors["severity"] = _("严重程度应为：一般、较重或严重")
        finding.severity = severity
    if deadline is not None:
        if deadline < finding.found_on:
            errors["deadline"] = _("整改时限 %(d)s 早于发现日期 %(f)s") % {"d": deadline, "f": finding.found_on}
        finding.deadline = deadline
        if deadline >= clock.today():
            finding.escalated_on, finding.escalated_to = None, ""
    _refuse(errors)
    finding.version += 1
    finding.save()
    _step(finding, StepKind.EDIT, actor, _("修改问题：整改时限 %(d)s") % {"d": finding.deadline})
    audit_event(actor=actor, action="supervision.finding_edit", target=finding, area_code=finding.area.code,
                before=before, after=_snapshot(finding))
    return finding


# --- rectification -----------------------------------------------------------------------------

def may_rectify(actor, finding: Finding) -> bool:
    """The responsible unit acts: staff of its township or village (or the county, for any finding), and
    a department's own staff only for that department's findings."""
    code = finding.responsible_area.code
    if not can(actor, "rectification.act", code):
        return False
    for a in actor.assignments.select_related("area"):
        if not role_allows(a.role, "rectification.act") or not code.startswith(a.area.prefix):
            continue
        if a.role != Role.DEPARTMENT_USER:
            return True
        if finding.responsible_kind == ResponsibleKind.DEPARTMENT and a.department == finding.responsible_department:
            return True
    return False


def _require_rectifier(actor, finding: Finding) -> None:
    require(actor, "rectification.act")
    if not may_rectify(actor, finding):
        raise PermissionDenied(_("该问题的责任单位是 %(u)s，您不能代为整改") % {"u": finding.responsible_label},
                               code="not_responsible")


def _checked_uploads(uploads: list | None) -> list[tuple]:
    return check_uploads(uploads)


@contextmanager
def _files_kept_only_on_success():
    """Evidence files are written before the rows that name them; if the change then fails, remove them."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        files.discard(written)
        raise


def _attach(finding: Finding, step: RectificationStep, actor, checked: list[tuple], written: list[str]) -> list:
    made = []
    for upload, name, suffix in checked:
        stored, size, sha = files.store(upload, suffix)
        written.append(stored)
        made.append(Evidence(finding=finding, step=step, file_name=name, stored_name=stored, size=size, sha256=sha,
                             uploaded_by=actor, uploaded_at=clock.now()))
    return Evidence.objects.bulk_create(made)


@transaction.atomic
def rectification_report(*, actor, finding: Finding, measures: str, uploads: list | None = None,
                         version: int | None = None) -> Finding:
    """The responsible unit reports what it did (整改措施), with evidence files; the county then verifies."""
    _require_rectifier(actor, finding)
    finding = _locked(finding, version)
    if finding.status == FindingStatus.CLOSED:
        raise Conflict(_("问题已销号，无需再上报"), code="finding_closed")
    if finding.status == FindingStatus.REPORTED:
        raise Conflict(_("整改情况已上报，正等待县里核验"), code="already_reported")
    errors: dict[str, str] = {}
    measures = _text(measures, _("整改措施"), errors, "measures")
    _refuse(errors)
    checked = _checked_uploads(uploads)
    before = finding.status
    with _files_kept_only_on_success() as written:
        step = _step(finding, StepKind.REPORT, actor, measures)
        made = _attach(finding, step, actor, checked, written)
        finding.status = FindingStatus.REPORTED
        finding.version += 1
        finding.save(update_fields=["status", "version", "updated_at"])
        audit_event(actor=actor, action="supervision.report", target=finding, area_code=finding.area.code,
                    before={"status": before}, after={"status": finding.status, "measures": measures,
                                                      "evidence": [e.file_name for e in made]})
    return finding


@transaction.atomic
def evidence_add(*, actor, finding: Finding, uploads: list, note: str = "") -> list[Evidence]:
    """Add evidence to a finding not yet closed (补充佐证材料)."""
    _require_rectifier(actor, finding)
    finding = _locked(finding, None)
    if finding.status == FindingStatus.CLOSED:
        raise Conflict(_("问题已销号，不能再补充材料"), code="finding_closed")
    if not uploads:
        raise ValidationFailed(_("请选择要上传的佐证材料"), code="no_file")
    errors: dict[str, str] = {}
    note = _text(note, _("说明"), errors, "note", required=False)
    _refuse(errors)
    checked = _checked_uploads(uploads)
    with _files_kept_only_on_success() as written:
        step = _step(finding, StepKind.EVIDENCE, actor, note)
        made = _attach(finding, step, actor, checked, written)
        audit_event(actor=actor, action="supervision.evidence", target=finding, area_code=finding.area.code,
                    after={"evidence": [e.file_name for e in made], "note": note})
    return made


@transaction.atomic
def finding_close(*, actor, finding: Finding, comment: str = "", version: int | None = None) -> Finding:
    """The county verifies the rectification and strikes the problem off (核验销号)."""
    require(actor, "supervision.manage", finding.area.code)
    finding = _locked(finding, version)
    if finding.status == FindingStatus.CLOSED:
        raise Conflict(_("问题已于 %(d)s 销号") % {"d": finding.closed_on}, code="finding_closed")
    if finding.status != FindingStatus.REPORTED:
        raise Conflict(_("责任单位尚未上报整改情况，不能核验销号"), code="not_reported")
    if not finding.evidence.exists():
        raise ValidationFailed(_("没有整改佐证材料，不能销号：请责任单位上传整改照片、文件等佐证材料后再核验"),
                               code="no_evidence")
    errors: dict[str, str] = {}
    comment = _text(comment, _("核验意见"), errors, "comment", required=False)
    _refuse(errors)
    finding.status = FindingStatus.CLOSED
    finding.closed_on = clock.today()
    finding.closed_by = actor
    finding.version += 1
    finding.save(update_fields=["status", "closed_on", "closed_by", "version", "updated_at"])
    _step(finding, StepKind.CLOSE, actor, comment or _("核验通过，予以销号"))
    audit_event(actor=actor, action="supervision.close", target=finding, area_code=finding.area.code,
                before={"status": FindingStatus.REPORTED}, after={"status": finding.status, "comment": comment})
    return finding


@transaction.atomic
def finding_return(*, actor, finding: Finding, comment: str, version: int | None = None) -> Finding:
    """The county finds the rectification not done and sends it back (退回重新整改), saying why."""
    require(actor, "supervision.manage", finding.area.code)
    finding = _locked(finding, version)
    if finding.status != FindingStatus.REPORTED:
        raise Conflict(_("只有待核验的问题可以退回"), code="not_reported")
    errors: dict[str, str] = {}
    comment = _text(comment, _("退回理由"), errors, "comment")
    _refuse(errors)
    finding.status = FindingStatus.RETURNED
    finding.version += 1
    finding.save(update_fields=["status", "version", "updated_at"])
    _step(finding, StepKind.RETURN, actor, comment)
    audit_event(actor=actor, action="supervision.return", target=finding, area_code=finding.area.code,
                before={"status": FindingStatus.REPORTED}, after={"status": finding.status, "comment": comment})
    return finding


# --- overdue escalation ------------------------------------------------------------------------

def escalation_target(finding: Finding) -> str:
    """The level above the responsible unit: a village's township, a township's county; a department's
    finding goes to the county leading group (the county itself)."""
    area = finding.responsible_area
    if finding.responsible_kind == ResponsibleKind.VILLAGE:
        return pad_code(area.code[:9])
    return pad_code(area.code[:6])


@transaction.atomic
def findings_escalate_overdue(*, actor=None, today: dt.date | None = None) -> list[Finding]:
    """Mark every finding past its deadline and not yet escalated as 逾期督办 to the level above; one audit
    event per run with the counts. Run daily (`fupin supervision overdue`); running twice changes nothing."""
    today = today or clock.today()
    due = list(Finding.objects.select_for_update().select_related("responsible_area", "area").filter(
        status__in=OPEN_STATUSES, deadline__lt=today, escalated_on__isnull=True).order_by("pk"))
    now = clock.now()
    by_target: dict[str, list[int]] = {}
    for f in due:
        f.escalated_on, f.escalated_to, f.version = today, escalation_target(f), f.version + 1
        by_target.setdefault(f.escalated_to, []).append(f.pk)
    # One UPDATE per target area (a few dozen townships), not one per finding.
    for target, ids in by_target.items():
        for start in range(0, len(ids), 900):
            Finding.objects.filter(pk__in=ids[start:start + 900]).update(
                escalated_on=today, escalated_to=target, version=F("version") + 1)
    RectificationStep.objects.bulk_create([
        RectificationStep(finding=f, kind=StepKind.ESCALATE, actor=None, actor_name=_("系统"), at=now, day=today,
                          text=_("超过整改时限 %(d)s，督办至上级") % {"d": f.deadline}) for f in due], batch_size=500)
    if due:
        audit_event(actor=actor, action="supervision.escalate", actor_name="system",
                    details={"day": today, "count": len(due),
                             "by_target": {t: len(ids) for t, ids in sorted(by_target.items())},
                             "findings": [f.pk for f in due][:500]})
    return due


# --- data-quality findings ---------------------------------------------------------------------

def _quality_issues(*, actor, year: int, area_code: str) -> list:
    try:
        from fupin.registry.quality import quality_issues
    except ImportError as exc:
        raise ServiceUnavailable(_("建档立卡数据质量检查尚未提供"), code="quality_unavailable") from exc
    return quality_issues(actor=actor, year=year, area_code=area_code)


def _check_titles() -> dict[str, str]:
    """The registry checks' Chinese titles by id, so a finding names the check the way people do."""
    try:
        from fupin.registry.quality import CHECKS
    except ImportError:
        return {}
    return {c.id: str(c.title) for c in CHECKS}


def _issue_field(issue, key: str):
    return issue.get(key) if isinstance(issue, dict) else getattr(issue, key, None)


def findings_import_quality(*, actor, year: int, area_code: str, issues: list | None = None) -> int:
    """Turn the registry's data-quality issues of `area_code` in `year` into findings, each the
    responsibility of the household's village with a 30-day deadline. Idempotent: an issue already
    listed (same year, household, check and message) is never listed again. Returns how many were added.

    `issues` (each {household_id, area_code, check, message}) defaults to
    `fupin.registry.quality.quality_issues(actor=, year=, area_code=)`."""
    require(actor, "supervision.manage")
    area = access_area(actor, area_code, "supervision.manage")  # outside the transaction: a refusal is audited
    if issues is None:
        issues = _quality_issues(actor=actor, year=year, area_code=area.code)
    with transaction.atomic():
        return _import_issues(actor=actor, year=year, area=area, issues=issues)


def _import_issues(*, actor, year: int, area: Area, issues: list) -> int:
    from fupin.registry.models import Household

    keyed = {}
    for issue in issues:
        hid, code, check = (_issue_field(issue, "household_id"), _issue_field(issue, "area_code"),
                            _issue_field(issue, "check"))
        message = str(_issue_field(issue, "message") or "").strip()
        if not check or not message or not code:
            raise ValidationFailed(_("数据质量问题缺少区划、检查项或说明：%(i)s") % {"i": issue}, code="bad_issue")
        # A check may fail more than once in a household (one issue per member): the message tells them apart.
        digest = hashlib.sha1(message.encode("utf-8")).hexdigest()[:12]
        keyed[f"quality:{year}:{hid or code}:{check}:{digest}"] = (hid, pad_code(str(code)), str(check), message)
    existing = set(Finding.objects.filter(source_key__in=list(keyed)).values_list("source_key", flat=True))
    fresh = {k: v for k, v in keyed.items() if k not in existing}
    households = Household.objects.select_related("village").in_bulk([v[0] for v in fresh.values() if v[0]])
    villages = {a.code: a for a in Area.objects.current().filter(code__in={v[1] for v in fresh.values()})}
    today = clock.today()
    deadline = today + dt.timedelta(days=QUALITY_DEADLINE_DAYS)
    titles = _check_titles()
    made = []
    for key, (hid, code, check, message) in fresh.items():
        household = households.get(hid) if hid else None
        place = household.village if household else villages.get(code)
        if place is None or not place.code.startswith(area.prefix):
            raise ValidationFailed(_("数据质量问题的区划 %(c)s 不在 %(a)s") % {"c": code, "a": area.name},
                                   code="issue_outside_area")
        kind = ResponsibleKind.VILLAGE if place.level == AreaLevel.VILLAGE else ResponsibleKind.TOWNSHIP
        responsible = place if kind == ResponsibleKind.VILLAGE else area_get(place.code[:9])
        number = f"（户编号 {household.household_number}）" if household else ""
        made.append(Finding(area=place, household=household,
                            description=f"【{titles.get(check, check)}】{message}{number}",
                            severity=Severity.GENERAL, source=FindingSource.QUALITY, source_key=key,
                            responsible_kind=kind, responsible_area=responsible, found_on=today, deadline=deadline,
                            recorded_by=actor))
    created = Finding.objects.bulk_create(made, batch_size=500)
    if created and created[0].pk is None:  # a backend that returns no keys from a bulk insert
        created = list(Finding.objects.filter(source_key__in=[f.source_key for f in made]))
    now = clock.now()
    RectificationStep.objects.bulk_create([
        RectificationStep(finding=f, kind=StepKind.RECORD, actor=actor, actor_name=_name(actor), at=now, day=today,
                          text=f.description) for f in created], batch_size=500)
    audit_event(actor=actor, action="supervision.quality_import", area_code=area.code,
                details={"year": year, "issues": len(keyed), "added": len(created),
                         "already_listed": len(keyed) - len(fresh)})
    return len(created)
