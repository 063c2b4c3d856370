"""Writes of the assessment process: rounds, self-assessment, the county's evaluation, ranking,
approval, the city spot check, publication and the materials checklist. Each write is one
transaction with its audit event; stale edits (an old `expected_version`) are refused."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fupin.accounts.access import require
from fupin.areas.models import Area, AreaLevel
from fupin.assessment.engine import AssessmentError, score_run
from fupin.assessment.materials import BY_KEY
from fupin.assessment.models import (
    AssessmentEntry,
    AssessmentEvidence,
    AssessmentRound,
    EvidenceKind,
    MaterialSubmission,
    RoundStatus,
    SpotCheck,
)
from fupin.assessment.process import TEAM_REVIEW
from fupin.assessment.selectors import applies_to, scheme_get
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.core.uploads import check_uploads
from fupin.core.uploads import discard as discard_uploads
from fupin.core.uploads import store as store_upload
from fupin.workflow.models import OPEN_STATUSES, ReviewStatus
from fupin.workflow.services import review_decide, review_open, review_resubmit
from fupin.workflow.services._base import to_text
from fupin.workteams.models import TeamRole, WorkTeam

LEADER_ROLES = (TeamRole.FIRST_SECRETARY, TeamRole.LEADER)
FOUR_CHECKS = {
    "party_building": "看党建工作（主题教育、支部条例学习、支部标准化建设、发展党员、组织生活、村级后备干部培养）",
    "unit": "看派出单位（研究部署工作、主要领导走贫访困、党员干部结对帮扶）",
    "team": "看工作队（队员派遣、掌握村情户情、工作日志记录）",
    "projects": "看帮扶项目（计划与实施、带动贫困户增收、脱贫措施、捐赠物资）",
}
HOUSEHOLD_VISITS = 3


def _expect_version(obj, expected_version, label: str) -> None:
    if expected_version is None or int(expected_version) != obj.version:
        raise Conflict(_("%(label)s已被他人修改（当前版本 %(now)s），请刷新后重试") % {
            "label": label, "now": obj.version}, code="stale_version", details={"version": obj.version})


def _date(value, label: str) -> dt.date:
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise ValidationFailed(_("%(label)s格式不正确，应为YYYY-MM-DD") % {"label": label}, code="bad_date") from None
    if day > clock.today():
        raise ValidationFailed(_("%(label)s不能晚于今天") % {"label": label}, code="future_date")
    return day


def score_findings(round_: AssessmentRound, entry: AssessmentEntry, findings: dict):
    """Score one team's findings alone (validates them; a comparative indicator is its own best)."""
    if not isinstance(findings, dict):
        raise ValidationFailed(_("考核发现应为按指标编号的对象"), code="bad_findings")
    scheme = scheme_get(round_.scheme_id, options=round_.options)
    try:
        run = score_run(scheme, {"subjects": [{"id": str(entry.pk), "name": entry.team.name, "findings": findings}]})
    except AssessmentError as exc:
        messages = exc.messages
        raise ValidationFailed(messages[0] if len(messages) == 1 else f"共 {len(messages)} 处问题：{messages[0]} ……",
                               code="bad_findings", details={"problems": messages}) from exc
    return run.subject(str(entry.pk))


# --- rounds -------------------------------------------------------------------------------------

def round_create(*, actor, scheme_id: str, year: int, county_code: str, title: str = "",
                 self_due: dt.date | None = None, county_due: dt.date | None = None,
                 options: dict | None = None) -> AssessmentRound:
    """Open a county's assessment of a year: every team stationed in the county during the year is
    entered, in the order of their dispatching units (the listing order that breaks ties)."""
    require(actor, "assessment.score", county_code)
    county = Area.objects.filter(code=county_code).first()
    if county is None or county.level != AreaLevel.COUNTY:
        raise ValidationFailed(_("考核批次应建在县级区划：%(code)s") % {"code": county_code}, code="bad_county")
    scheme = scheme_get(scheme_id, options=options or {})
    if scheme.subject != "team":
        raise ValidationFailed(_("“%(s)s”不是驻村工作队考核方案") % {"s": scheme.title}, code="not_team_scheme")
    if not applies_to(scheme, [county.code]):
        raise ValidationFailed(_("“%(s)s”不适用于%(county)s") % {"s": scheme.title, "county": county.name},
                               code="scheme_jurisdiction")
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("年度应在2000–2100之间：%(y)s") % {"y": year}, code="bad_year")
    teams = list(WorkTeam.objects.filter(village__code__startswith=county.code[:6],
                                         start_date__lte=dt.date(year, 12, 31), end_date__gte=dt.date(year, 1, 1))
                 .select_related("unit", "village").order_by("unit__name", "name", "pk"))
    if not teams:
        raise ValidationFailed(_("%(county)s%(year)s年没有驻村工作队，无法建立考核") % {
            "county": county.name, "year": year}, code="no_teams")
    title = to_text(title or f"{county.name}{year}年度驻村工作队考核", _("名称"), max_length=120)
    with transaction.atomic():
        try:
            with transaction.atomic():
                round_ = AssessmentRound.objects.create(
                    scheme_id=scheme.id, year=year, county=county, title=title, options={name: str(value) for name, value in scheme.chosen.items()},
                    self_due=self_due, county_due=county_due, created_by=actor, created_at=clock.now())
        except IntegrityError:
            raise Conflict(_("%(county)s%(year)s年已有该方案的考核批次") % {"county": county.name, "year": year},
                           code="round_exists") from None
        AssessmentEntry.objects.bulk_create([
            AssessmentEntry(round=round_, team=team, area=team.village, listing_order=i)
            for i, team in enumerate(teams, start=1)])
        audit_event(actor=actor, action="assessment.round_created", target=round_, area_code=county.code,
                    after={"scheme": scheme.id, "year": year, "teams": len(teams)})
    return round_


def _round_locked(round_id: int, expected_version, *statuses: str) -> AssessmentRound:
    round_ = AssessmentRound.objects.select_for_update(of=("self",)).select_related("county").get(pk=round_id)
    _expect_version(round_, expected_version, _("考核批次"))
    if statuses and round_.status not in statuses:
        raise Conflict(_("考核批次当前状态为“%(s)s”，不能进行此操作") % {"s": round_.get_status_display()},
                       code="wrong_round_status")
    return round_


def _bump(obj) -> None:
    obj.version += 1


def round_rank(*, actor, round_: AssessmentRound, expected_version) -> AssessmentRound:
    """Score every team on the county's evaluation and rank them (附件3). Every team must have passed
    the county's evaluation; ranking again before approval replaces the previous ranking."""
    require(actor, "assessment.score", round_.county.code)
    with transaction.atomic():
        round_ = _round_locked(round_.pk, expected_version, RoundStatus.OPEN, RoundStatus.RANKED)
        entries = list(round_.entries.select_related("team", "review").order_by("listing_order"))
        pending = [e.team.name for e in entries if not (e.review and e.review.status == ReviewStatus.APPROVED)]
        if pending:
            raise ValidationFailed(_("还有%(n)s个工作队未完成县级考核评价：%(names)s") % {
                "n": len(pending), "names": "、".join(pending[:5]) + ("……" if len(pending) > 5 else "")},
                code="entries_pending", details={"teams": pending})
        run = round_run(round_, entries)
        for entry in entries:
            result = run.subject(str(entry.pk))
            entry.score, entry.rank = result.score, result.rank
            entry.result = result.as_dict()
            _bump(entry)
        scores = [e.score for e in entries]
        for entry in entries:
            entry.tied = scores.count(entry.score) > 1
        AssessmentEntry.objects.bulk_update(entries, ["score", "rank", "tied", "result", "version"])
        round_.status, round_.ranked_by, round_.ranked_at = RoundStatus.RANKED, actor, clock.now()
        _bump(round_)
        round_.save()
        audit_event(actor=actor, action="assessment.ranked", target=round_, area_code=round_.county.code,
                    after={"ranking": [[e.rank, e.team.name, str(e.score)] for e in sorted(entries, key=lambda e: e.rank)]})
    return round_


def round_run(round_: AssessmentRound, entries: list[AssessmentEntry] | None = None):
    """All teams scored together on the county's findings (comparative indicators against each
    other), in listing order so that ties follow it."""
    if entries is None:
        entries = list(round_.entries.select_related("team").order_by("listing_order"))
    scheme = scheme_get(round_.scheme_id, options=round_.options)
    subjects = [{"id": str(e.pk), "name": e.team.name, "group": round_.county.name, "findings": county_findings(e)}
                for e in entries]
    try:
        return score_run(scheme, {"subjects": subjects})
    except AssessmentError as exc:
        raise ValidationFailed(exc.messages[0], code="bad_findings", details={"problems": exc.messages}) from exc


def round_approve(*, actor, round_: AssessmentRound, expected_version, approval_ref: str) -> AssessmentRound:
    """县脱贫攻坚领导小组审定 the ranking. Whoever ranked may not approve it."""
    require(actor, "assessment.approve", round_.county.code)
    approval_ref = to_text(approval_ref, _("领导小组审定会议或文号"), max_length=200)
    with transaction.atomic():
        round_ = _round_locked(round_.pk, expected_version, RoundStatus.RANKED)
        if round_.ranked_by_id == actor.pk:
            raise PermissionDenied(_("评分排序人不能审定自己的排序结果"), code="independence")
        round_.status, round_.approved_by, round_.approved_at = RoundStatus.APPROVED, actor, clock.now()
        round_.approval_ref = approval_ref
        _bump(round_)
        round_.save()
        audit_event(actor=actor, action="assessment.approved", target=round_, area_code=round_.county.code,
                    after={"approval_ref": approval_ref})
    return round_


def round_publish(*, actor, round_: AssessmentRound, expected_version) -> AssessmentRound:
    require(actor, "assessment.approve", round_.county.code)
    with transaction.atomic():
        round_ = _round_locked(round_.pk, expected_version, RoundStatus.APPROVED)
        round_.status, round_.published_by, round_.published_at = RoundStatus.PUBLISHED, actor, clock.now()
        _bump(round_)
        round_.save()
        audit_event(actor=actor, action="assessment.published", target=round_, area_code=round_.county.code)
    return round_


# --- one team ------------------------------------------------------------------------------------

def _entry_locked(entry_id: int, expected_version) -> AssessmentEntry:
    entry = (AssessmentEntry.objects.select_for_update(of=("self",))
             .select_related("round", "round__county", "team", "area", "review").get(pk=entry_id))
    _expect_version(entry, expected_version, _("考核对象"))
    return entry


def is_team_leader(actor, team: WorkTeam) -> bool:
    return team.members.filter(user=actor, role__in=LEADER_ROLES, left_on__isnull=True).exists()


def entry_self_assess(*, actor, entry: AssessmentEntry, findings: dict, summary: str = "",
                      expected_version) -> AssessmentEntry:
    """The team's self-assessment on 附件1, signed by its leader, sent to the township (or sent again
    after the township returned it)."""
    require(actor, "assessment.self", entry.area.code)
    if not is_team_leader(actor, entry.team):
        raise PermissionDenied(_("自评表由驻村工作队队长签字提交"), code="not_team_leader")
    summary = to_text(summary, _("年度工作总结"), required=False, max_length=20000)
    with transaction.atomic():
        entry = _entry_locked(entry.pk, expected_version)
        if entry.round.status != RoundStatus.OPEN:
            raise Conflict(_("考核已评分排序，不能再提交自评"), code="wrong_round_status")
        review = entry.review
        returned = review is not None and review.status in OPEN_STATUSES and review.stage_key == "self"
        if review is not None and review.status in OPEN_STATUSES and not returned:
            raise Conflict(_("自评已提交，正在“%(stage)s”") % {"stage": review.stage_key}, code="already_submitted")
        if review is not None and review.status == ReviewStatus.APPROVED:
            raise Conflict(_("县级考核评价已完成，不能再修改自评"), code="already_assessed")
        result = score_findings(entry.round, entry, findings)
        entry.self_findings, entry.self_score, entry.summary = findings, result.score, summary
        entry.self_signed_by, entry.self_signer_name, entry.self_signed_at = actor, actor.display_name, clock.now()
        payload = {"self_score": str(result.score)}
        if returned:
            review = review_resubmit(actor=actor, review=review, expected_version=review.version,
                                     reason=_("修改后重新提交自评"), payload=payload)
        else:
            review = review_open(actor=actor, kind=TEAM_REVIEW, subject=entry, area=entry.area,
                                 reason=_("驻村工作队自评"), payload=payload, subject_label=entry.team.name)
        entry.review = review
        _bump(entry)
        entry.save()
        audit_event(actor=actor, action="assessment.self_assessed", target=entry, area_code=entry.area.code,
                    after={"findings": findings, "score": str(result.score)})
    return entry


def county_findings(entry: AssessmentEntry) -> dict:
    """What the county scores: the findings computed from the records, with what the assessors added
    or corrected (their value wins for an indicator they gave)."""
    return {**(entry.records.get("findings") or {}), **(entry.county_findings or {})}


def records_snapshot(entry: AssessmentEntry) -> dict:
    """What the system's records say about the team's year (indicators 11-12, 14, 16-18, 21-24), with
    the evidence of each count, as kept with the county's evaluation."""
    from fupin.assessment.records import records_findings

    computed = records_findings(team=entry.team, year=entry.round.year, today=clock.today())
    return {"findings": computed["findings"], "missing": computed.get("missing", []),
            "evidence": [{"indicator": e.indicator, "clause": e.clause, "title": e.title, "count": e.count,
                          "items": e.items[:50]}
                         for e in computed["evidence"]],
            "computed_on": clock.today().isoformat()}


def entry_county_assess(*, actor, entry: AssessmentEntry, findings: dict, notes: dict | None = None,
                        expected_version, submit: bool = False) -> AssessmentEntry:
    """The county's evaluation (附件1 county version): the records are read again, the assessors'
    findings added with their notes; with `submit` the county stage of the review is passed."""
    require(actor, "assessment.score", entry.area.code)
    notes = notes or {}
    if not isinstance(notes, dict) or not isinstance(findings, dict):
        raise ValidationFailed(_("考核发现和说明应为按指标编号的对象"), code="bad_findings")
    notes = {str(k): to_text(v, _("指标%(k)s的说明") % {"k": k}, max_length=500) for k, v in notes.items() if v}
    with transaction.atomic():
        entry = _entry_locked(entry.pk, expected_version)
        review = entry.review
        if review is None or review.status != ReviewStatus.PENDING or review.stage_key != "county":
            raise Conflict(_("该工作队尚未到县级考核环节"), code="not_at_county")
        records = records_snapshot(entry)
        unknown_notes = set(notes) - {str(i.id) for i in scheme_get(entry.round.scheme_id).indicators}
        if unknown_notes:
            raise ValidationFailed(_("说明中有未知的指标：%(ids)s") % {"ids": "、".join(sorted(unknown_notes))},
                                   code="bad_findings")
        findings = _added_by_assessors(findings, records["findings"])
        merged = {**records["findings"], **findings}
        result = score_findings(entry.round, entry, merged)
        entry.records, entry.county_findings, entry.county_notes = records, findings, notes
        entry.county_saved_by, entry.county_saved_at = actor, clock.now()
        entry.score = result.score
        _bump(entry)
        entry.save()
        audit_event(actor=actor, action="assessment.county_assessed", target=entry, area_code=entry.area.code,
                    after={"findings": findings, "notes": notes, "score": str(result.score)})
        if submit:
            entry.review = review_decide(actor=actor, review=review, expected_version=review.version,
                                         decision="approve", reason=_("县级考核评价得分 %(s)s") % {"s": result.score})
    return entry


def _added_by_assessors(findings: dict, computed: dict) -> dict:
    """What the assessors changed: an indicator whose every given value equals the records' is the
    records' own (so a later recomputation still applies to it)."""
    added = {}
    for key, value in findings.items():
        known = computed.get(key)
        if isinstance(value, dict) and isinstance(known, dict):
            if all(known.get(k) == v for k, v in value.items()):
                continue
        elif value == known:
            continue
        added[key] = value
    return added


def check_stage_ready(*, review, stage) -> None:
    """Called by the workflow before a stage passes: the county stage needs the county's evaluation."""
    if stage.key != "county":
        return
    entry = AssessmentEntry.objects.filter(pk=review.subject_id).first()
    if entry is None or entry.county_saved_at is None:
        raise ValidationFailed(_("请先保存县级考核评价（附件1县级版）再通过"), code="county_evaluation_missing")


# --- the city's spot check and the materials -------------------------------------------------------

def _household_visits(entry: AssessmentEntry, visits) -> list[dict]:
    from fupin.registry.models import Household
    from fupin.registry.schema import HEAD_RELATION

    if not isinstance(visits, list) or len(visits) != HOUSEHOLD_VISITS:
        raise ValidationFailed(_("应抽查走访所驻村%(n)s户贫困户") % {"n": HOUSEHOLD_VISITS}, code="household_visits")
    cleaned = []
    for i, visit in enumerate(visits, start=1):
        if not isinstance(visit, dict):
            raise ValidationFailed(_("第%(i)s户走访记录格式不正确") % {"i": i}, code="household_visits")
        number = to_text(visit.get("household"), _("第%(i)s户的户编号") % {"i": i}, max_length=40)
        household = (Household.objects.filter(household_number=number, village=entry.area)
                     .order_by("-year").first())
        if household is None:
            raise ValidationFailed(_("户编号%(n)s不是%(v)s的建档立卡户") % {"n": number, "v": entry.area.name},
                                   code="household_not_in_village")
        head = household.persons.filter(relation=HEAD_RELATION).values_list("name", flat=True).first() or ""
        cleaned.append({"household": number, "head": head,
                        "card_checked": bool(visit.get("card_checked")),
                        "evaluation": to_text(visit.get("evaluation"), _("第%(i)s户的评价") % {"i": i}, max_length=500)})
    if len({v["household"] for v in cleaned}) != HOUSEHOLD_VISITS:
        raise ValidationFailed(_("抽查走访的%(n)s户不能重复") % {"n": HOUSEHOLD_VISITS}, code="household_visits")
    return cleaned


def spot_check_record(*, actor, entry: AssessmentEntry, checks: dict, committee_visit: str, household_visits,
                      composite: str, checked_on, checkers: str) -> SpotCheck:
    """市级抽查验收「四看、两访、一汇总」 of one team, recorded by the county office after approval."""
    require(actor, "assessment.score", entry.area.code)
    if entry.round.status != RoundStatus.APPROVED:
        raise Conflict(_("市级抽查验收在县领导小组审定之后、公布之前登记"), code="wrong_round_status")
    if not isinstance(checks, dict) or set(checks) != set(FOUR_CHECKS):
        raise ValidationFailed(_("“四看”应逐项填写：%(items)s") % {"items": "、".join(FOUR_CHECKS)}, code="four_checks")
    checks = {k: to_text(checks[k], FOUR_CHECKS[k][:4], max_length=1000) for k in FOUR_CHECKS}
    visits = _household_visits(entry, household_visits)
    with transaction.atomic():
        try:
            with transaction.atomic():
                spot = SpotCheck.objects.create(
                    entry=entry, checks=checks,
                    committee_visit=to_text(committee_visit, _("走访村两委情况"), max_length=1000),
                    household_visits=visits, composite=to_text(composite, _("一汇总（综合评价）"), max_length=2000),
                    checked_on=_date(checked_on, _("抽查日期")), checkers=to_text(checkers, _("验收组成员"), max_length=200),
                    recorded_by=actor, recorded_at=clock.now())
        except IntegrityError:
            raise Conflict(_("该工作队的市级抽查验收已登记"), code="spot_check_exists") from None
        audit_event(actor=actor, action="assessment.spot_checked", target=entry, area_code=entry.area.code,
                    after={"checks": checks, "households": [v["household"] for v in visits]})
    return spot


def material_mark(*, actor, round_: AssessmentRound, key: str, entry: AssessmentEntry | None = None,
                  submitted_on, note: str = "") -> MaterialSubmission:
    """Tick one item of 附件4 as handed in: a team's own items by its leader or the county office, the
    county's items by the county office."""
    material = BY_KEY.get(key)
    if material is None:
        raise ValidationFailed(_("未知的报送材料：%(k)s") % {"k": key}, code="unknown_material")
    if material.per_team and entry is None:
        raise ValidationFailed(_("“%(t)s”按工作队报送，请选择工作队") % {"t": material.title}, code="entry_required")
    if not material.per_team and entry is not None:
        raise ValidationFailed(_("“%(t)s”由县级一次报送，不按工作队") % {"t": material.title}, code="entry_not_allowed")
    if entry is not None and entry.round_id != round_.pk:
        raise ValidationFailed(_("工作队不属于该考核批次"), code="entry_not_in_round")
    area_code = entry.area.code if entry is not None else round_.county.code
    if material.party == "team" and entry is not None and is_team_leader(actor, entry.team):
        require(actor, "assessment.self", area_code)
    else:
        require(actor, "assessment.score", area_code)
    day = _date(submitted_on, _("报送日期"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                item = MaterialSubmission.objects.create(
                    round=round_, entry=entry, key=key, submitted_on=day, note=to_text(note, _("说明"), required=False,
                                                                                     max_length=200),
                    recorded_by=actor, recorded_at=clock.now())
        except IntegrityError:
            raise Conflict(_("“%(t)s”已登记报送") % {"t": material.title}, code="material_exists") from None
        audit_event(actor=actor, action="assessment.material", target=round_, area_code=area_code,
                    after={"key": key, "entry": entry.pk if entry else None, "on": day.isoformat()})
    return item


# --- supporting files ------------------------------------------------------------------------------

EVIDENCE_AREA = "assessment/evidence"


def evidence_add(*, actor, entry: AssessmentEntry, uploads, kind: str, indicator: str = "",
                 note: str = "") -> list[AssessmentEvidence]:
    """Attach files to a team's assessment: its leader adds proof of achievements while the round is
    open; the county office adds the evidence of a deduction, naming the indicator. All or nothing."""
    if kind == EvidenceKind.PROOF:
        require(actor, "assessment.self", entry.area.code)
        if not is_team_leader(actor, entry.team):
            raise PermissionDenied(_("工作实绩证明材料由驻村工作队队长上传"), code="not_team_leader")
        if entry.round.status != RoundStatus.OPEN:
            raise Conflict(_("考核已评分排序，不能再补充证明材料"), code="wrong_round_status")
        indicator = ""
    elif kind == EvidenceKind.DEDUCTION:
        require(actor, "assessment.score", entry.area.code)
        indicator = to_text(indicator, _("扣分指标"), max_length=10)
        if scheme_get(entry.round.scheme_id).indicator(indicator) is None:
            raise ValidationFailed(_("方案中没有指标%(i)s") % {"i": indicator}, code="unknown_indicator")
    else:
        raise ValidationFailed(_("佐证材料类型应为工作实绩证明或扣分证明"), code="bad_kind")
    note = to_text(note, _("说明"), required=False, max_length=200)
    checked = check_uploads(uploads)
    if not checked:
        raise ValidationFailed(_("请选择要上传的文件"), code="no_files")
    written: list[str] = []
    try:
        with transaction.atomic():
            made = []
            for upload, name, suffix in checked:
                stored, size, sha = store_upload(EVIDENCE_AREA, upload, suffix)
                written.append(stored)
                made.append(AssessmentEvidence(entry=entry, kind=kind, indicator=indicator, note=note, file_name=name,
                                               stored_name=stored, size=size, sha256=sha, uploaded_by=actor,
                                               uploaded_at=clock.now()))
            made = AssessmentEvidence.objects.bulk_create(made)
            audit_event(actor=actor, action="assessment.evidence", target=entry, area_code=entry.area.code,
                        after={"kind": kind, "indicator": indicator, "files": [[e.file_name, e.sha256] for e in made]})
    except BaseException:
        discard_uploads(EVIDENCE_AREA, written)
        raise
    return made
