"""Reads of the funds context, every one through the scoping choke point (fupin.accounts.access):
lists, one record by id, the fund-risk report (资金风险检查) and the income alerts (收益到账预警)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.db.models import Max, Prefetch, QuerySet

from fupin.accounts.access import access_object, scope
from fupin.core import clock
from fupin.funds import catalogue
from fupin.funds.ledger import net_value, on_time, project_ledger, project_rules, schedule, yuan
from fupin.funds.models import (
    LIBRARY_STATUSES,
    ZERO,
    Asset,
    AssetContract,
    AssetStatus,
    ContractStatus,
    DistributionLine,
    DistributionPlan,
    EquityInvestment,
    EquityStatus,
    FundPosting,
    LineKind,
    PlanStatus,
    Project,
    ProjectMode,
    ProjectStatus,
)
from fupin.funds.rules import rules_for

VIEW = "funds.view"


# --- lists and records ---------------------------------------------------------------------------

def projects_visible(actor) -> QuerySet[Project]:
    return scope(Project.objects.select_related("area").prefetch_related("funds"), actor, VIEW)


def project_get(actor, pk, action: str = VIEW) -> Project:
    return access_object(actor, Project.objects.select_related("area"), pk, action)


def assets_visible(actor) -> QuerySet[Asset]:
    return scope(Asset.objects.select_related("area").prefetch_related("funds"), actor, VIEW)


def asset_get(actor, pk, action: str = VIEW) -> Asset:
    return access_object(actor, Asset.objects.select_related("area", "project"), pk, action)


def contract_get(actor, pk, action: str = VIEW) -> AssetContract:
    return access_object(actor, AssetContract.objects.select_related("asset__area"), pk, action,
                         code_path="asset__area__code")


def equity_visible(actor) -> QuerySet[EquityInvestment]:
    return scope(EquityInvestment.objects.select_related("area").prefetch_related("funds"), actor, VIEW)


def equity_get(actor, pk, action: str = VIEW) -> EquityInvestment:
    return access_object(actor, EquityInvestment.objects.select_related("area"), pk, action)


def plans_visible(actor) -> QuerySet[DistributionPlan]:
    return scope(DistributionPlan.objects.select_related("area"), actor, VIEW)


def plan_get(actor, pk, action: str = VIEW) -> DistributionPlan:
    return access_object(actor, DistributionPlan.objects.select_related("area"), pk, action)


def posting_get(actor, pk, action: str = VIEW) -> FundPosting:
    return access_object(actor, FundPosting.objects.select_related("project__area"), pk, action,
                         code_path="project__area__code")


def plan_lines(plan: DistributionPlan) -> QuerySet[DistributionLine]:
    return plan.lines.select_related("village", "household").order_by("kind", "village__code", "id")


def household_distributions(actor, household) -> QuerySet[DistributionLine]:
    """收益分配 received by one household (approved or paid plans): for the household page and 明白卡."""
    lines = DistributionLine.objects.filter(household=household, kind=LineKind.HOUSEHOLD,
                                            plan__status__in=[PlanStatus.APPROVED, PlanStatus.PAID])
    return scope(lines.select_related("plan", "plan__area"), actor, VIEW, code_path="plan__area__code").order_by(
        "-plan__year", "plan__code")


# --- agreements: rent and dividends ----------------------------------------------------------------

def contract_instalments(contract: AssetContract, as_of: dt.date | None = None):
    rules = rules_for(contract.asset.area.code, contract.starts_on.year)
    return schedule(contract, as_of or clock.today(), rules.receipt_grace_days, amount_field="annual_amount")


def equity_instalments(equity: EquityInvestment, as_of: dt.date | None = None):
    rules = rules_for(equity.area.code, equity.year)
    return schedule(equity, as_of or clock.today(), rules.receipt_grace_days, amount_field="annual_dividend")


@dataclass
class Finding:
    """One line of the risk report or the income alerts."""

    kind: str
    kind_label: str
    area_code: str
    area_name: str
    subject: str  # "project" | "asset" | "equity"
    subject_id: int
    subject_label: str
    message: str
    rule: str = ""
    numbers: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


KIND_LABELS = {
    "negative_list": "疑似负面清单",
    "special_funds_only": "仅依靠扶贫专项资金",
    "idle_funds": "资金闲置",
    "overdue_disbursement": "拨付滞后",
    "completion_overdue": "逾期未完工",
    "rent_overdue": "租金未按期收取",
    "dividend_overdue": "未按约定分红",
}


def _finding(kind: str, obj, subject: str, message: str, rule: str = "", **numbers) -> Finding:
    return Finding(kind=kind, kind_label=KIND_LABELS[kind], area_code=obj.area.code, area_name=obj.area.name,
                   subject=subject, subject_id=obj.pk, subject_label=str(obj), message=message, rule=rule,
                   numbers={k: str(v) for k, v in numbers.items()})


def income_alerts(actor, *, as_of: dt.date | None = None, area_prefix: str = "") -> list[Finding]:
    """收益到账预警: rent or dividends that fell due (plus the grace days) and were not (fully) received."""
    as_of = as_of or clock.today()
    out: list[Finding] = []
    contracts = scope(AssetContract.objects.filter(status__in=[ContractStatus.ACTIVE, ContractStatus.ENDED])
                      .select_related("asset__area"), actor, VIEW, code_path="asset__area__code")
    if area_prefix:
        contracts = contracts.filter(asset__area__code__startswith=area_prefix)
    for c in contracts.filter(annual_amount__gt=0):
        for inst in contract_instalments(c, as_of):
            if inst.received_on_time < inst.expected:
                asset = c.asset
                out.append(Finding(
                    kind="rent_overdue", kind_label=KIND_LABELS["rent_overdue"], area_code=asset.area.code,
                    area_name=asset.area.name, subject="asset", subject_id=asset.pk, subject_label=str(asset),
                    message=f"{c.counterparty} 应于 {inst.due_on} 缴纳{inst.period_year}年度{c.get_kind_display()}费"
                            f" {yuan(inst.expected)}，按期到账 {yuan(inst.received_on_time)}，累计到账 {yuan(inst.received)}",
                    rule="附件4「是否按期收取租金」",
                    numbers={"due_on": str(inst.due_on), "expected": str(inst.expected),
                             "received": str(inst.received), "received_on_time": str(inst.received_on_time)}))
    equities = scope(EquityInvestment.objects.select_related("area"), actor, VIEW)
    if area_prefix:
        equities = equities.filter(area__code__startswith=area_prefix)
    for e in equities.filter(annual_dividend__gt=0):
        for inst in equity_instalments(e, as_of):
            if inst.received_on_time < inst.expected:
                out.append(_finding(
                    "dividend_overdue", e, "equity",
                    f"{e.investee} 应于 {inst.due_on} 支付{inst.period_year}年度分红 {yuan(inst.expected)}，"
                    f"按期到账 {yuan(inst.received_on_time)}，累计到账 {yuan(inst.received)}",
                    "附件3「是否按约定分红」", due_on=inst.due_on, expected=inst.expected, received=inst.received,
                    received_on_time=inst.received_on_time))
    return out


# --- the fund-risk report --------------------------------------------------------------------------

def fund_risks(actor, *, as_of: dt.date | None = None, area_prefix: str = "") -> list[Finding]:
    """资金风险检查 (附件17): negative-list hits, projects relying only on special poverty funds, idle
    funds, overdue disbursement, overdue completion — plus the income alerts."""
    as_of = as_of or clock.today()
    out: list[Finding] = []
    projects = projects_visible(actor).exclude(status=ProjectStatus.REJECTED)
    if area_prefix:
        projects = projects.filter(area__code__startswith=area_prefix)
    last_posting = dict(FundPosting.objects.filter(project__in=projects).values("project")
                        .annotate(last=Max("posted_on")).values_list("project", "last"))
    for p in projects.order_by("area__code", "code"):
        for item, word in catalogue.negative_hits(p.name, p.content, p.expected_benefit):
            out.append(_finding("negative_list", p, "project",
                                f"项目名称或内容含“{word}”，疑似属于负面清单“{item.label}”，请核实资金用途",
                                item.source, keyword=word))
        if p.status not in LIBRARY_STATUSES:
            continue
        rules = project_rules(p)
        if p.mode != ProjectMode.HOUSEHOLD and p.funds.exists() and all(
                catalogue.fund_sources().get(f.source) and catalogue.fund_sources()[f.source].special_poverty
                for f in p.funds.all()):
            out.append(_finding("special_funds_only", p, "project",
                                f"镇村统筹/村集体项目资金全部为扶贫专项资金（{catalogue.sources_text(f.source for f in p.funds.all())}），"
                                "无整合资金", "000 L3769「无整合资金，仅依靠扶贫」"))
        ledger = project_ledger(p, rules)
        last = last_posting.get(p.pk)
        if ledger.undisbursed > 0 and last and (as_of - last).days > rules.idle_days:
            out.append(_finding("idle_funds", p, "project",
                                f"已下达未拨付 {yuan(ledger.undisbursed)}，自 {last} 起 {(as_of - last).days} 天无资金拨付"
                                f"（超过 {rules.idle_days} 天）", rules.sources.get("idle_days", ""),
                                undisbursed=ledger.undisbursed, last_posting=last, days=(as_of - last).days))
        pay = ledger.payable
        owed = min(ledger.disbursable, ledger.undisbursed)
        if owed > 0 and pay.opened_on and (as_of - pay.opened_on).days > rules.disbursement_due_days:
            out.append(_finding("overdue_disbursement", p, "project",
                                f"{pay.stage.describe()}（{pay.opened_on} 达到），应拨未拨 {yuan(owed)}，"
                                f"已超过 {rules.disbursement_due_days} 天", rules.sources.get("disbursement_stage", ""),
                                owed=owed, stage_reached_on=pay.opened_on))
        if (p.status in (ProjectStatus.IN_LIBRARY, ProjectStatus.IMPLEMENTING) and p.completion_deadline
                and p.completion_deadline < as_of):
            out.append(_finding("completion_overdue", p, "project",
                                f"完工期限 {p.completion_deadline}，当前进度 {p.progress}%，尚未完工",
                                rules.sources.get("completion_deadline", ""), deadline=p.completion_deadline,
                                progress=p.progress))
    out.extend(income_alerts(actor, as_of=as_of, area_prefix=area_prefix))
    return out


# --- summaries for the pages ---------------------------------------------------------------------

def asset_summary(asset: Asset, as_of: dt.date | None = None) -> dict:
    as_of = as_of or clock.today()
    contract = asset.contracts.filter(status=ContractStatus.ACTIVE).first()
    instalments = contract_instalments(contract, as_of) if contract else []
    return {"net_value": net_value(asset, as_of), "contract": contract, "instalments": instalments,
            "on_time": on_time(instalments)}


def assets_with_active_contract(actor) -> QuerySet[Asset]:
    return assets_visible(actor).prefetch_related(
        Prefetch("contracts", queryset=AssetContract.objects.filter(status=ContractStatus.ACTIVE), to_attr="active"))


def stock(actor, *, as_of: dt.date | None = None) -> dict:
    """存量、类型、状态: counts and values of the assets in scope, for the top of the asset list."""
    as_of = as_of or clock.today()
    assets = list(assets_visible(actor).exclude(status=AssetStatus.DISPOSED))
    equities = equity_visible(actor).filter(status=EquityStatus.ACTIVE)
    return {
        "assets": len(assets),
        "original_value": sum((a.original_value for a in assets), ZERO),
        "net_value": sum((net_value(a, as_of) for a in assets), ZERO),
        "equity": equities.count(),
        "equity_amount": sum((e.amount for e in equities), ZERO),
    }


def household_lines_from_text(text: str, *, area_code: str, year: int) -> list[dict]:
    """Lines "户编号 金额" (from a page form or a pasted spreadsheet) → household lines for a plan; the
    household is the latest record (not after the plan year) with that number under the plan's area."""
    from fupin.core.errors import ValidationFailed
    from fupin.registry.models import Household

    lines = []
    for n, raw in enumerate((text or "").splitlines(), start=1):
        parts = raw.replace(",", " ").replace("，", " ").replace("\t", " ").split()
        if not parts:
            continue
        if len(parts) != 2:
            raise ValidationFailed(f"到户分配第{n}行应为“户编号 金额”：{raw.strip()}", code="bad_line")
        number, amount = parts
        household = (Household.objects.filter(household_number=number, year__lte=year)
                     .order_by("-year").select_related("village").first())
        if household is None:
            raise ValidationFailed(f"到户分配第{n}行：找不到户编号 {number}", code="unknown_household")
        lines.append({"kind": LineKind.HOUSEHOLD, "household": household.pk, "amount": amount})
    return lines
