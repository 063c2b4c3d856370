"""The policy pack applied to a monitoring case: the household's record plus what the village's
screening visit found (the inputs of the seven exclusions), the override flags the review has earned
so far, and the pack parameters the procedure reads.

The seven exclusions and their override are the pack's rules `monitoring_exclusion` and
`monitoring_override` (liaoning-2020, 「有以下情况不得纳入监测范围：」 and 「对虽有上述情形，但因特殊原因，生活仍处在
贫困状态，」); the suggested risk level is its `risk_level` rule (「按潜在的返贫致贫风险、“三保障”状况及收入稳定程
度确定风险等级」). Nothing here decides on its own: it reads the pack.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from fupin.core.errors import ValidationFailed

RULES = ["monitoring_exclusion", "monitoring_override", "monitoring_eligible", "monitoring_type", "risk_level"]

# What the village's screening visit records (排查信息), named after the pack's input fields
# (src/fupin/data/policy/fields.yaml). Booleans unless listed in MONEY_FACTS.
BOOL_FACTS = {
    "member_public_payroll": "家庭成员在国家机关、事业单位、社会团体由财政统发工资且在编",
    "supporter_public_or_stable_job": "户外的法定赡养人或抚养人在编或在国企、大型民企稳定就业且年收入达线",
    "member_village_head": "家中有现任村党支部书记、村主任",
    "bought_commercial_housing": "在城镇购买商品房、商铺",
    "resettlement_housing": "所购房产是灾后重建等原因购入的安置性房产",
    "enterprise_with_dividend": "家庭成员拥有企业或股份，实际出资并分红",
    "livelihood_business_only": "仅为“三变”改革财产性收入或维持生计的小商店、小卖部、小商小贩",
    "large_grower": "当地种养业大户",
    "long_term_contracting": "家庭成员长期从事工程承包、发包等盈利性活动",
    "employs_others": "长期雇用他人从事生产经营活动",
    "concealed_assets": "不如实提供收入和资产，经核实故意隐瞒或放弃、转移财产",
    "rural_hukou_resident": "农村户籍常住人口",
}
MONEY_FACTS = {
    "member_enterprise_income": "家庭成员在国企、大型民企稳定就业的年收入（元，没有填0）",
    "car_value": "家庭拥有的消费型小轿车价值（元，没有填0）",
    "machinery_value": "家庭拥有的大型农用车、大型农机具或工程机械价值（元，没有填0）",
    "previous_year_net_income": "上年度家庭纯收入（元）",
    "rigid_expenditure": "当年刚性支出（因病因残因灾因疫、意外事故等，元）",
}
FACT_LABELS = {**BOOL_FACTS, **MONEY_FACTS}

# The procedure's parameters. zhangwu-2020@2 sets all three (options of
# docs/decisions/policy-monitoring-procedure-options.md); these defaults are the fallback for a pack that
# does not. 公示: the monitoring text gives no window; a pack's village notice window
# `pv_publicity_days` (「户在村内公示时间 7天」) is read before the default.
NOTICE_PARAMETERS = ("monitoring_notice_days", "pv_publicity_days")
DEFAULT_NOTICE_DAYS = 7
# 风险消除: income stable for half a year; a household with no labour capacity at all stays monitored.
DEFAULT_STABLE_MONTHS = 6
DEFAULT_KEEP_WITHOUT_LABOUR = True


def clean_facts(data: dict | None) -> dict:
    """The screening answers, checked: unknown names, non-yes/no answers and bad amounts are refused
    with the field named."""
    data = dict(data or {})
    errors: dict[str, str] = {}
    out: dict = {}
    for name, value in data.items():
        if name not in FACT_LABELS:
            errors[name] = _("未知的排查项：%(name)s") % {"name": name}
            continue
        if value is None or value == "":
            continue
        if name in BOOL_FACTS:
            if isinstance(value, bool):
                out[name] = value
            elif str(value).strip().lower() in ("1", "true", "yes", "是", "on"):
                out[name] = True
            elif str(value).strip().lower() in ("0", "false", "no", "否", "off"):
                out[name] = False
            else:
                errors[name] = _("“%(label)s”应为是或否") % {"label": BOOL_FACTS[name]}
        else:
            try:
                amount = Decimal(str(value).strip())
            except (InvalidOperation, ValueError):
                errors[name] = _("“%(label)s”应为金额：%(v)s") % {"label": MONEY_FACTS[name], "v": value}
                continue
            if not amount.is_finite() or amount < 0 or amount >= Decimal("1000000000"):
                errors[name] = _("“%(label)s”应为 0 到 10 亿之间的金额") % {"label": MONEY_FACTS[name]}
                continue
            out[name] = str(amount.quantize(Decimal("0.01")))
    if errors:
        raise ValidationFailed("；".join(errors.values()), code="bad_facts", details={"errors": errors})
    return out


@dataclass
class Flags:
    """The override steps the review has passed (村评议公示, 乡镇核实, 县领导小组同意)."""

    village: bool = False
    township: bool = False
    county: bool = False


@dataclass
class CaseEvaluation:
    pack_obj: object
    as_of: dt.date
    decisions: dict
    rows: list = field(default_factory=list)

    @property
    def pack(self) -> str:
        return self.pack_obj.key

    def value(self, rule: str):
        d = self.decisions.get(rule)
        return d.value if d is not None and d.status == "ok" else None

    @property
    def exclusion(self) -> bool | None:
        """True: an exclusion fires; False: none does; None: cannot be decided (facts missing)."""
        return self.value("monitoring_exclusion")

    def firing_exclusions(self) -> list[str]:
        return [row["title"] for row in self.clause_rows("monitoring_exclusion") if row["passed"] is True]

    def clause_rows(self, rule: str) -> list[dict]:
        return [row for row in self.rows if row["rule"] == rule]

    @property
    def suggested_risk_level(self) -> str:
        value = self.value("risk_level")
        return value if isinstance(value, str) else ""


def _record(case, flags: Flags) -> dict:
    from fupin.policy.households import household_record

    record = household_record(case.household)
    facts = case.facts or {}
    for name in BOOL_FACTS:
        if name in facts and not name.startswith("member_"):
            record[name] = facts[name]
    for name in ("car_value", "machinery_value", "previous_year_net_income", "rigid_expenditure"):
        if name in facts:
            record[name] = float(facts[name])
    if record.get("military_family") is None and facts:
        # The registry leaves 军烈属 unknown for most households; the screening answers assume "no".
        record["military_family"] = False
    record["risk_types"] = list(case.risk_types or [])
    record["override_village_appraisal"] = flags.village
    record["override_township_verified"] = flags.township
    record["override_county_approved"] = flags.county
    members = record.get("members") or []
    if "member_public_payroll" in facts or "member_enterprise_income" in facts or "member_village_head" in facts:
        for m in members:
            m.update(employer_type="none", public_payroll_staff=False, stable_employment=False, annual_income=0,
                     current_village_head=False)
        if members:
            first, last = members[0], members[-1]
            if facts.get("member_public_payroll"):
                first.update(employer_type="organ", public_payroll_staff=True)
            income = float(facts.get("member_enterprise_income") or 0)
            if income > 0:
                target = last if last is not first or not facts.get("member_public_payroll") else first
                target.update(employer_type="soe", stable_employment=True, annual_income=income)
            if facts.get("member_village_head"):
                last.update(current_village_head=True)
    return record


def evaluate_case(case, flags: Flags | None = None) -> CaseEvaluation:
    """The monitoring rules of the pack in force for the case's household, with each clause."""
    from fupin.policy.engine import evaluate_household
    from fupin.policy.households import pack_in_force

    pack = pack_in_force(case.household)
    decisions = evaluate_household(pack, _record(case, flags or Flags()), as_of=dt.date(case.year, 12, 31),
                                   rules=RULES)
    rows = []
    for rule_id in RULES:
        decision = decisions.get(rule_id)
        if decision is None:
            continue
        rule = pack.rule(rule_id)
        titles = {c.id: c.title for c in rule.clauses}
        for key, passed in decision.clauses.items():
            rows.append({"rule": rule_id, "rule_title": rule.title, "clause": key, "title": titles.get(key, key),
                         "passed": passed if isinstance(passed, bool) else None})
    return CaseEvaluation(pack_obj=pack, as_of=dt.date(case.year, 12, 31), decisions=decisions, rows=rows)


def explanation(evaluation: CaseEvaluation) -> list[dict]:
    """Rule by rule: title, outcome and reasons, for the case page and the API."""
    from fupin.policy.households import HouseholdEvaluation, policy_rows

    shown = policy_rows(HouseholdEvaluation(pack=evaluation.pack_obj, as_of=evaluation.as_of,
                                            decisions=evaluation.decisions))
    return shown["rows"]


@dataclass(frozen=True)
class PackParameter:
    value: object
    source: str  # "<pack>@<version> <parameter>" when the pack in force sets it, else the default's label


def pack_parameter(household, names: str | tuple[str, ...], default) -> PackParameter:
    """The first of `names` the pack in force for the household sets, saying where the value came from;
    `default` when the pack sets none of them."""
    from fupin.policy.households import pack_in_force

    pack = pack_in_force(household)
    for name in (names,) if isinstance(names, str) else names:
        param = pack.parameters.get(name)
        if param is not None:
            return PackParameter(param.value, f"{pack.key} {name}")
    return PackParameter(default, _("系统默认值（%(p)s 未设置）") % {"p": pack.key})


def parameter(household, name: str, default=None):
    return pack_parameter(household, name, default).value


def notice_days(household) -> int:
    return int(pack_parameter(household, NOTICE_PARAMETERS, DEFAULT_NOTICE_DAYS).value)


def income_line(household) -> Decimal:
    """The monitoring income line: 国家扶贫标准 × 1.5 (× (1 + 容差)), per person per year."""
    line = Decimal(str(parameter(household, "national_poverty_line", 4000)))
    factor = Decimal(str(parameter(household, "monitoring_income_factor", 1.5)))
    tolerance = Decimal(str(parameter(household, "monitoring_income_tolerance", 0)))
    return (line * factor * (1 + tolerance)).quantize(Decimal("0.01"))
