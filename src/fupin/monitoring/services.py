"""Writes of anti-return monitoring: proposing a case (the public entry point other apps call),
the screening answers, the hooks of the two reviews, elimination and its reversal.

Keyword-only, actor first, transactional and audited; bad input raises ValidationFailed with a
Chinese message and writes nothing; an edit made on a stale version is refused (Conflict).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.accounts.access import require
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.monitoring import rules
from fupin.monitoring.models import (
    ACTIVE_STATUSES,
    RISK_LEVEL_BY_LABEL,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    FoundBy,
    MonitoringCase,
)
from fupin.monitoring.reviews import ELIMINATE, IDENTIFY
from fupin.registry.models import Household, HouseholdStatus
from fupin.registry.services import ensure_writable

MAX_REASON = 2000
# 监测对象为「建档立卡已脱贫但不稳定户和收入略高于建档立卡贫困户的非贫困户」: households still registered as
# poor are helped as poor households, not monitored; a household that left the registry is gone.
NOT_MONITORABLE = {
    HouseholdStatus.CANDIDATE: gettext_lazy("拟纳入的贫困户按建档立卡程序办理，不纳入防返贫监测"),
    HouseholdStatus.REGISTERED: gettext_lazy("未脱贫户按建档立卡帮扶，不纳入防返贫监测"),
    HouseholdStatus.EXPECTED_EXIT: gettext_lazy("预脱贫户尚未脱贫，不纳入防返贫监测"),
    HouseholdStatus.RETURNED: gettext_lazy("返贫户按建档立卡帮扶，不纳入防返贫监测"),
    HouseholdStatus.NATURAL_DECREASE: gettext_lazy("自然减少的户不纳入防返贫监测"),
}


def _text(value, label: str, *, required: bool = True, max_length: int = MAX_REASON) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationFailed(_("请填写%(label)s") % {"label": label}, code="field_required")
    if len(text) > max_length:
        raise ValidationFailed(_("%(label)s不能超过%(n)s个字") % {"label": label, "n": max_length},
                               code="too_long")
    return text


def _event(case: MonitoringCase, kind: str, actor, note: str = "", data: dict | None = None) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, at=clock.now(), actor=actor,
                                    actor_name=getattr(actor, "display_name", "") if actor else "", note=note,
                                    data=data or {})


def _lists(year: int):
    from fupin.registry.dictionaries import code_lists_for_year

    return code_lists_for_year(year)


def clean_risk_types(year: int, risk_types) -> list[str]:
    allowed = _lists(year).lists.get("risk_type", {})
    codes = [str(c).strip() for c in (risk_types or []) if str(c).strip()]
    unknown = [c for c in codes if c not in allowed]
    if unknown:
        names = "、".join(f"{c} {label}" for c, label in allowed.items())
        raise ValidationFailed(_("风险类型代码无效：%(codes)s（%(year)s年可选：%(names)s）") % {
            "codes": "、".join(unknown), "year": year, "names": names}, code="bad_risk_type")
    return list(dict.fromkeys(codes))


def _case_type(household: Household, case_type: str | None) -> str:
    types = _lists(household.year).lists.get("monitoring_type", {})
    if case_type:
        if case_type not in types:
            names = "、".join(f"{c} {label}" for c, label in types.items())
            raise ValidationFailed(_("监测对象类型无效：%(t)s（%(year)s年可选：%(names)s）") % {
                "t": case_type, "year": household.year, "names": names}, code="bad_case_type")
        return case_type
    # 已脱贫户 → 脱贫监测户/脱贫不稳定户 (code 1); others → 边缘户/边缘易致贫户 (code 2).
    return "1" if household.status == HouseholdStatus.EXITED or household.household_type == "2" else "2"


def case_for_review(review) -> MonitoringCase:
    return MonitoringCase.objects.select_related("household__village", "village").get(pk=int(review.subject_id))


def case_label(case: MonitoringCase) -> str:
    return _("%(number)s户 防返贫监测（%(year)s）") % {"number": case.household.household_number, "year": case.year}


# ------------------------------------------------------------------------------ proposing a case

def case_propose(*, actor, household, found_by: str, reason: str, risk_types: list[str] | None = None,
                 source: str = "") -> MonitoringCase:
    """Open a monitoring case for `household` and its identification review (村组摸排). found_by is
    one of "application", "cadre_visit", "workteam_visit", "department_alert", "screening"; source
    names where it came from (e.g. an alert id)."""
    return case_open(actor=actor, household=household, found_by=found_by, reason=reason, risk_types=risk_types,
                     source=source)


def case_open(*, actor, household, found_by: str, reason: str, risk_types: list[str] | None = None,
              source: str = "", case_type: str | None = None, facts: dict | None = None,
              override_reason: str = "") -> MonitoringCase:
    """case_propose with what the village's own form also gives: the type, the screening answers and
    the reason for the special procedure when an exclusion applies."""
    from fupin.workflow.services import review_open

    household = Household.objects.select_related("village").get(pk=household.pk)
    require(actor, "monitoring.propose", household.village.code)
    if found_by not in FoundBy.values:
        options = "、".join(f"{v}（{label}）" for v, label in FoundBy.choices)
        raise ValidationFailed(_("发现途径应为：%(options)s") % {"options": options}, code="bad_found_by")
    reason = _text(reason, _("纳入理由"))
    source = _text(source, _("来源编号"), required=False, max_length=100)
    override_reason = _text(override_reason, _("特殊程序理由"), required=False)
    problem = NOT_MONITORABLE.get(household.status)
    if problem:
        raise ValidationFailed(str(problem), code="not_monitorable")
    ensure_writable(year=household.year, village_code=household.village.code)
    risk_types = clean_risk_types(household.year, risk_types)
    case_type = _case_type(household, case_type)
    facts = rules.clean_facts(facts)
    now = clock.now()
    with transaction.atomic():
        existing = MonitoringCase.objects.filter(household=household, status__in=ACTIVE_STATUSES).first()
        if existing is not None:
            raise Conflict(_("该户已是监测对象或正在识别中（%(status)s），不能重复提出") % {
                "status": existing.get_status_display()}, code="case_exists", details={"case_id": existing.pk})
        case = MonitoringCase(household=household, year=household.year, village=household.village,
                              case_type=case_type, risk_types=risk_types, found_by=found_by, source=source,
                              reason=reason, facts=facts, override_reason=override_reason, proposed_by=actor,
                              created_at=now, updated_at=now)
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError:
            raise Conflict(_("该户已是监测对象或正在识别中，不能重复提出"), code="case_exists") from None
        case.suggested_risk_level = rules.evaluate_case(case).suggested_risk_level
        case.save(update_fields=["suggested_risk_level"])
        _event(case, CaseEventKind.PROPOSED, actor, reason, {"found_by": found_by, "source": source,
                                                             "risk_types": risk_types, "case_type": case_type})
        review_open(actor=actor, kind=IDENTIFY, subject=case, area=household.village, reason=reason,
                    payload={"household_number": household.household_number, "year": household.year,
                             "found_by": found_by, "source": source, "risk_types": risk_types},
                    subject_label=case_label(case))
        audit_event(actor=actor, action="monitoring.propose", target=case, area_code=household.village.code,
                    after={"household": household.household_number, "found_by": found_by, "source": source,
                           "risk_types": risk_types, "case_type": case_type, "facts": facts,
                           "override_reason": override_reason})
    return case


def _locked(case_id: int, expected_version) -> MonitoringCase:
    case = MonitoringCase.objects.select_for_update().select_related("household__village", "village").get(pk=case_id)
    if expected_version is None or int(expected_version) != case.version:
        raise Conflict(_("该监测对象已被他人修改（当前版本 %(v)s），请刷新后重试") % {"v": case.version},
                       code="stale_version")
    return case


def _bump(case: MonitoringCase, fields: list[str]) -> None:
    case.version += 1
    case.updated_at = clock.now()
    case.save(update_fields=[*fields, "version", "updated_at"])


def case_set_facts(*, actor, case: MonitoringCase, expected_version: int, facts: dict,
                   override_reason: str = "", risk_types: list[str] | None = None) -> MonitoringCase:
    """Record what the screening visit found (the inputs of the seven exclusions), the reason for the
    special procedure when one applies, and the risk types; while the case is being identified."""
    require(actor, "monitoring.propose", case.village.code)
    facts = rules.clean_facts(facts)
    override_reason = _text(override_reason, _("特殊程序理由"), required=False)
    with transaction.atomic():
        case = _locked(case.pk, expected_version)
        if case.status != CaseStatus.SCREENING:
            raise Conflict(_("只有识别中的监测对象可以修改排查信息"), code="wrong_status")
        before = {"facts": case.facts, "override_reason": case.override_reason, "risk_types": case.risk_types}
        case.facts = {**case.facts, **facts}
        case.override_reason = override_reason
        if risk_types is not None:
            case.risk_types = clean_risk_types(case.year, risk_types)
        case.suggested_risk_level = rules.evaluate_case(case).suggested_risk_level
        _bump(case, ["facts", "override_reason", "risk_types", "suggested_risk_level"])
        after = {"facts": case.facts, "override_reason": override_reason, "risk_types": case.risk_types}
        _event(case, CaseEventKind.FACTS, actor, override_reason, after)
        audit_event(actor=actor, action="monitoring.facts", target=case, area_code=case.village.code,
                    before=before, after=after)
    return case


# ------------------------------------------------------------------------------ review hooks

def _flags_for(review, stage) -> rules.Flags:
    """Override steps earned once `stage` passes: the village's appraisal and notice, the township's
    verification, the county leading group's consent."""
    from fupin.workflow.processes import get_process

    keys = [s.key for s in get_process(review.kind).stages]
    done = keys[: keys.index(stage.key) + 1]
    return rules.Flags(village="village_notice" in done, township="township" in done, county="county" in done)


def policy_gate(case: MonitoringCase, review, stage) -> None:
    """The pack's exclusions at every step of identification: refuse while one fires without the
    special procedure's reason, or (after the proposal) while they cannot be decided."""
    evaluation = rules.evaluate_case(case, _flags_for(review, stage))
    excluded = evaluation.exclusion
    if excluded is None and stage.key != "proposal":
        error = evaluation.decisions["monitoring_exclusion"].error or ""
        raise ValidationFailed(
            _("无法判定是否存在不得纳入监测的情形，请先在监测对象页登记排查信息（%(error)s）") % {"error": error},
            code="exclusion_not_evaluable")
    if excluded:
        fired = "；".join(evaluation.firing_exclusions())
        if not case.override_reason:
            raise ValidationFailed(
                _("存在不得纳入监测范围的情形：%(fired)s。如因特殊原因生活仍处在贫困状态，须登记特殊程序理由，"
                  "经村委会评议公示、乡镇核实、县领导小组同意后方可纳入") % {"fired": fired},
                code="excluded", details={"exclusions": evaluation.firing_exclusions()})
        if stage.key == "county" and evaluation.value("monitoring_override") is not True:
            raise ValidationFailed(_("特殊程序未完成：须经村委会评议公示、乡镇核实后由县领导小组同意"),
                                   code="override_incomplete")


def _visit(review, stage) -> None:
    data = (review.stage_data or {}).get(stage.key, {})
    text = data.get("visit_date", "")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(_("走访核查日期应为 YYYY-MM-DD：%(v)s") % {"v": text}, code="bad_visit_date",
                               details={"field": "visit_date"}) from None
    if day > clock.today():
        raise ValidationFailed(_("走访核查日期不能晚于今天"), code="bad_visit_date", details={"field": "visit_date"})
    if day < review.opened_at.date():
        raise ValidationFailed(_("走访核查日期不能早于提出日期 %(d)s") % {"d": review.opened_at.date()},
                               code="bad_visit_date", details={"field": "visit_date"})


def before_stage(*, review, stage, actor) -> None:
    case = case_for_review(review)
    if stage.key == "township":
        _visit(review, stage)
    if review.kind == IDENTIFY:
        policy_gate(case, review, stage)
    elif review.kind == ELIMINATE:
        if stage.key == "proposal" and case.status != CaseStatus.MONITORED:
            raise ValidationFailed(_("只有监测中的对象可以提出风险消除"), code="wrong_status")
        if stage.key in ("township", "county"):
            from fupin.monitoring.elimination import elimination_check

            check = elimination_check(case)
            if not check["passed"]:
                raise ValidationFailed(_("不符合风险消除条件：%(failing)s") % {"failing": "；".join(check["failing"])},
                                       code="elimination_criteria_not_met", details=check)


def after_stage(*, review, stage, actor) -> None:
    """The township's decision sets the case's risk level (「由镇党委会研究确定监测对象建议名单及其返贫致贫风险等级」)."""
    if review.kind != IDENTIFY or stage.key != "township":
        return
    level = (review.stage_data or {}).get("township", {}).get("risk_level", "")
    case = case_for_review(review)
    if level and level != case.risk_level:
        case.risk_level = level
        _bump(case, ["risk_level"])


def _sync_household(case: MonitoringCase, actor, **changes) -> None:
    """Mirror the case into the registry household (监测对象类型, 风险类型, 风险是否消除, dates); a frozen
    registry year refuses it like any other write, and the step that called it is rolled back."""
    ensure_writable(year=case.year, village_code=case.village.code)
    household = Household.objects.select_for_update().get(pk=case.household_id)
    before = {k: getattr(household, k) for k in changes}
    Household.objects.filter(pk=household.pk).update(version=F("version") + 1, updated_at=clock.now(), **changes)
    audit_event(actor=actor, action="monitoring.household_sync", target=household, area_code=case.village.code,
                before=before, after=changes, details={"case": case.pk})


def _review_date(review) -> dt.date:
    on = (review.stage_data or {}).get("entry", {}).get("announced_on")
    return dt.date.fromisoformat(on) if on else clock.today()


def review_approved(*, review, actor) -> None:
    case = case_for_review(review)
    on = _review_date(review)
    if review.kind == IDENTIFY:
        evaluation = rules.evaluate_case(case, rules.Flags(True, True, True))
        case.status, case.identified_on = CaseStatus.MONITORED, on
        if not case.risk_level:
            case.risk_level = RISK_LEVEL_BY_LABEL.get(evaluation.suggested_risk_level, "")
        _bump(case, ["status", "identified_on", "risk_level"])
        _event(case, CaseEventKind.IDENTIFIED, actor, review.reason, {
            "review": review.pk, "identified_on": on.isoformat(), "risk_level": case.risk_level,
            "pack": evaluation.pack, "exclusions": evaluation.firing_exclusions(),
            "override": bool(case.override_reason)})
        _sync_household(case, actor, monitoring_type=case.case_type, risk_types=case.risk_types,
                        risk_eliminated=False, risk_identified_on=on, risk_eliminated_on=None)
        audit_event(actor=actor, action="monitoring.identified", target=case, area_code=case.village.code,
                    after={"identified_on": on, "risk_level": case.risk_level, "review": review.pk})
    else:
        from fupin.monitoring.elimination import elimination_check

        check = elimination_check(case)
        case.status, case.eliminated_on = CaseStatus.ELIMINATED, on
        _bump(case, ["status", "eliminated_on"])
        _event(case, CaseEventKind.ELIMINATED, actor, review.reason, {"review": review.pk,
                                                                      "eliminated_on": on.isoformat(), **check})
        _sync_household(case, actor, risk_eliminated=True, risk_eliminated_on=on)
        audit_event(actor=actor, action="monitoring.eliminated", target=case, area_code=case.village.code,
                    after={"eliminated_on": on, "review": review.pk}, details=check)


def review_ended(*, review, actor) -> None:
    """Rejected or withdrawn: an identification leaves the case 未纳入; an elimination leaves it monitored."""
    case = case_for_review(review)
    if review.kind == IDENTIFY:
        case.status = CaseStatus.NOT_INCLUDED
        _bump(case, ["status"])
        _event(case, CaseEventKind.NOT_INCLUDED, actor, review.get_status_display(), {"review": review.pk})
        audit_event(actor=actor, action="monitoring.not_included", target=case, area_code=case.village.code,
                    details={"review": review.pk, "status": review.status})
    else:
        _event(case, CaseEventKind.ELIMINATION_REFUSED, actor, review.get_status_display(), {"review": review.pk})


# ------------------------------------------------------------------------------ elimination and reversal

def elimination_propose(*, actor, case: MonitoringCase, reason: str, expected_version: int):
    """Open the elimination review (村级提出风险消除) of a monitored case."""
    from fupin.workflow.services import review_open

    require(actor, "monitoring.propose", case.village.code)
    reason = _text(reason, _("风险消除理由"))
    with transaction.atomic():
        case = _locked(case.pk, expected_version)
        if case.status != CaseStatus.MONITORED:
            raise Conflict(_("只有监测中的对象可以提出风险消除（当前：%(s)s）") % {"s": case.get_status_display()},
                           code="wrong_status")
        review = review_open(actor=actor, kind=ELIMINATE, subject=case, area=case.village, reason=reason,
                             payload={"household_number": case.household.household_number, "year": case.year},
                             subject_label=_("%(number)s户 风险消除") % {"number": case.household.household_number})
        _bump(case, [])
        _event(case, CaseEventKind.ELIMINATION_PROPOSED, actor, reason, {"review": review.pk})
        audit_event(actor=actor, action="monitoring.eliminate_propose", target=case, area_code=case.village.code,
                    details={"review": review.pk, "reason": reason})
    return review


def case_reflag(*, actor, case: MonitoringCase, reason: str, expected_version: int,
                risk_types: list[str] | None = None) -> MonitoringCase:
    """Reverse an elimination (回退/再标注): the risk is flagged again; the earlier elimination stays in
    the history."""
    require(actor, "monitoring.review", case.village.code)
    reason = _text(reason, _("再标注理由"))
    with transaction.atomic():
        case = _locked(case.pk, expected_version)
        if case.status != CaseStatus.ELIMINATED:
            raise Conflict(_("只有风险已消除的对象可以回退（当前：%(s)s）") % {"s": case.get_status_display()},
                           code="wrong_status")
        before = {"status": case.status, "eliminated_on": case.eliminated_on, "risk_types": case.risk_types}
        if risk_types is not None:
            case.risk_types = clean_risk_types(case.year, risk_types)
        case.status, case.eliminated_on = CaseStatus.MONITORED, None
        _bump(case, ["status", "eliminated_on", "risk_types"])
        _event(case, CaseEventKind.REFLAGGED, actor, reason, {"previous_eliminated_on": str(before["eliminated_on"]),
                                                              "risk_types": case.risk_types})
        _sync_household(case, actor, risk_eliminated=False, risk_eliminated_on=None, risk_types=case.risk_types)
        audit_event(actor=actor, action="monitoring.reflag", target=case, area_code=case.village.code,
                    before=before, after={"status": case.status, "risk_types": case.risk_types},
                    details={"reason": reason})
    return case
