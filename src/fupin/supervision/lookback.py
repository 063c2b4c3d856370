"""回头看 of exited households: a campaign samples the households of its areas that have exited poverty
(registry status 已脱贫) and someone visits each one.

The documents ask for it in these words: "对应纳未纳和2016年以来脱贫但不稳固的人口再开展大普查、大排查"
(seed 004, Benxi 2019) and "部署脱贫质量“回头看”工作 … 将脱贫成效不稳固的脱贫人口、返贫人口做返贫处理"
(seed 003). A visit found at risk becomes a finding for the village, and may propose the household
for anti-return monitoring (防返贫监测).
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.accounts.access import can, require
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.supervision.models import (
    Campaign,
    CampaignStatus,
    FindingSource,
    LookbackCheck,
    ResponsibleKind,
    Severity,
    VisitResult,
)

# Days the village has to act on an at-risk visit, counted from the visit.
AT_RISK_DEADLINE_DAYS = 15
MAX_RISK_TYPES = 10


def lookback_sample(*, campaign: Campaign) -> int:
    """Sample `sample_percent` of each covered village's exited households of the campaign's year (at least
    one where a village has any). Deterministic for a campaign (seeded by its id), so it can be explained."""
    from fupin.registry.models import Household, HouseholdStatus, Person
    from fupin.registry.schema import HEAD_RELATION

    qs = Household.objects.filter(year=campaign.year, status=HouseholdStatus.EXITED)
    prefixes = [a.prefix for a in campaign.covered.all()]
    by_village: dict[int, list] = {}
    for hid, village_id, number in (qs.filter(_any_prefix(prefixes)).order_by("village_id", "household_number")
                                    .values_list("pk", "village_id", "household_number")):
        by_village.setdefault(village_id, []).append((hid, number))
    rng = random.Random(campaign.pk)
    chosen: list[tuple[int, int, str]] = []
    for village_id, rows in sorted(by_village.items()):
        n = max(1, math.ceil(len(rows) * campaign.sample_percent / 100))
        chosen.extend((hid, village_id, number) for hid, number in rng.sample(rows, min(n, len(rows))))
    heads = dict(Person.objects.filter(household_id__in=[c[0] for c in chosen], relation=HEAD_RELATION)
                 .values_list("household_id", "name"))
    LookbackCheck.objects.bulk_create([
        LookbackCheck(campaign=campaign, household_id=hid, village_id=village_id, household_number=number,
                      head_name=heads.get(hid, ""))
        for hid, village_id, number in chosen])
    return len(chosen)


def risk_type_choices(year: int) -> dict[str, str]:
    """The 风险类型 code list of the registry year (the codes monitoring accepts)."""
    from fupin.registry.dictionaries import code_lists_for_year

    return dict(code_lists_for_year(year).lists.get("risk_type", {}))


def _any_prefix(prefixes: list[str]):
    from django.db.models import Q

    q = Q(pk__in=[])
    for p in prefixes:
        q |= Q(village__code__startswith=p)
    return q


def _propose_monitoring(*, actor, check: LookbackCheck, risk_types: list[str], note: str) -> str:
    """Propose the household for monitoring through the monitoring capability, when it is installed."""
    try:
        from fupin.monitoring.services import case_propose
    except ImportError:
        return ""
    case = case_propose(actor=actor, household=check.household, found_by="screening",
                        reason=_("回头看走访发现返贫风险：%(n)s") % {"n": note}, risk_types=risk_types,
                        source=f"supervision.lookback:{check.pk}")
    return str(getattr(case, "pk", case) or "")


@transaction.atomic
def lookback_record(*, actor, check: LookbackCheck, result: str, visited_on: dt.date, note: str = "",
                    risk_types: list[str] | None = None, propose_monitoring: bool = False,
                    version: int | None = None) -> LookbackCheck:
    """Record a visit. At risk: a finding for the village (限期整改) and, if asked, a monitoring proposal."""
    require(actor, "rectification.act", check.village.code)
    check = LookbackCheck.objects.select_for_update().select_related("campaign", "village", "household").get(
        pk=check.pk)
    if version is not None and int(version) != check.version:
        raise Conflict(_("该户的走访记录已被他人修改，请刷新后再操作"), code="stale")
    if check.campaign.status == CampaignStatus.CLOSED:
        raise Conflict(_("回头看活动已结束"), code="campaign_closed")
    if check.result != VisitResult.PENDING:
        raise Conflict(_("该户已于 %(d)s 走访，结果为“%(r)s”") % {"d": check.visited_on,
                                                                "r": check.get_result_display()},
                       code="already_visited")
    errors: dict[str, str] = {}
    if result not in (VisitResult.STABLE, VisitResult.AT_RISK):
        errors["result"] = _("走访结果应为：稳定脱贫或存在返贫风险")
    if visited_on > clock.today():
        errors["visited_on"] = _("走访日期 %(d)s 不能晚于今天") % {"d": visited_on}
    elif visited_on < check.campaign.start_date:
        errors["visited_on"] = _("走访日期 %(d)s 早于回头看开始日期 %(s)s") % {"d": visited_on,
                                                                       "s": check.campaign.start_date}
    note = str(note or "").strip()
    if len(note) > 2000:
        errors["note"] = _("走访情况不能超过2000个字")
    risk_types = list(dict.fromkeys(str(r).strip() for r in (risk_types or []) if str(r).strip()))
    allowed = risk_type_choices(check.household.year)
    unknown = [r for r in risk_types if r not in allowed]
    if unknown or len(risk_types) > MAX_RISK_TYPES:
        errors["risk_types"] = _("风险类型代码无效：%(c)s（可选：%(o)s）") % {
            "c": "、".join(unknown) or "—", "o": "、".join(f"{k} {v}" for k, v in allowed.items())}
    if result == VisitResult.AT_RISK and not note:
        errors["note"] = _("存在返贫风险时请写明走访情况")
    if propose_monitoring and result != VisitResult.AT_RISK:
        errors["propose_monitoring"] = _("只有存在返贫风险的户才能提出纳入监测")
    elif propose_monitoring and not can(actor, "monitoring.propose", check.village.code):
        errors["propose_monitoring"] = _("纳入监测须由村（驻村工作队、帮扶责任人）提出，您可只登记走访结果")
    if errors:
        raise ValidationFailed("；".join(errors.values()), code="invalid", details={"errors": errors})
    check.result, check.visited_on, check.note, check.risk_types = result, visited_on, note, risk_types
    check.visitor = actor
    check.version += 1
    if result == VisitResult.AT_RISK:
        check.finding = _at_risk_finding(actor=actor, check=check, note=note)
        if propose_monitoring:
            check.monitoring_ref = _propose_monitoring(actor=actor, check=check, risk_types=risk_types, note=note)
    check.save()
    audit_event(actor=actor, action="supervision.lookback_visit", target=check, area_code=check.village.code,
                after={"household": check.household_number, "result": result, "visited_on": visited_on,
                       "risk_types": risk_types, "finding": check.finding_id, "monitoring": check.monitoring_ref})
    return check


def _at_risk_finding(*, actor, check: LookbackCheck, note: str):
    """The finding an at-risk visit raises. Recorded by the system on the campaign's behalf: the visitor
    is the village, who may not record findings, yet the problem must reach the list."""
    from fupin.supervision.models import Finding, RectificationStep, StepKind

    today = clock.today()
    finding = Finding.objects.create(
        area=check.village, campaign=check.campaign, household=check.household,
        description=_("回头看：户编号 %(n)s 存在返贫风险。%(note)s") % {"n": check.household_number, "note": note},
        severity=Severity.SERIOUS, source=FindingSource.LOOKBACK, source_key=f"lookback:{check.pk}",
        responsible_kind=ResponsibleKind.VILLAGE, responsible_area=check.village, found_on=check.visited_on,
        deadline=max(check.visited_on, today) + dt.timedelta(days=AT_RISK_DEADLINE_DAYS), recorded_by=actor)
    RectificationStep.objects.create(finding=finding, kind=StepKind.RECORD, text=finding.description, actor=actor,
                                     actor_name=getattr(actor, "display_name", "") or actor.get_username(),
                                     at=clock.now(), day=today)
    audit_event(actor=actor, action="supervision.finding_record", target=finding, area_code=check.village.code,
                after={"source": "lookback", "household": check.household_number, "deadline": finding.deadline})
    return finding
