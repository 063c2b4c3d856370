"""数据质量: the registry's data-quality checks, run vectorised (Polars) over one year of a county.

The documents ask for three kinds of check, and the catalogue `CHECKS` below holds one entry per
check with the clause it implements:

- 两该两不该 (Fushun, 002 L24 「该进未进，漏登；该出未出，漏退；不该进的进入，错登；不该出的退出，错退」):
  households whose registration status contradicts their income or their 两不愁三保障 — should be in
  but are out (漏登), should be out but are in (漏退), in but should not be (错登), out but should
  not be (错退). The income line is the national poverty line of the policy pack in force for the
  county and year (`national_poverty_line`); without a pack these checks are skipped and said so.
- 账实相符、账账相符 (Anshan, 001 L91 「白卡和系统数据的比对，做到“账实相符”“账账相符”」): the
  record agrees with itself — member count, exactly one head, the income arithmetic, age against
  schooling, the ID number against birth date and sex, 危房 against 住房安全有保障, a pairing cadre.
- 跨年度 (dynamic management, 002 L27 「做到“应进尽进、应退尽退”，及时备案，按时补录」): the year
  against the year before — a household gone without a 自然减少 or 销号 record, a status that jumped
  past the lifecycle, a member gone without a death or move recorded, a person listed in another
  household than last year. (Within one year the database refuses a person in two households.)

`quality_issues(actor=..., year=..., area_code=...)` is the public entry point (the supervision
capability imports it). Households are read in two set-based queries scoped by the choke point, each
check is a Polars expression over the whole year, and only the rows that fail become QualityIssue
objects. Issues never carry ID or phone numbers, so they need no masking.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fupin.accounts.access import access_area, require, scope_sql
from fupin.areas.models import Area
from fupin.areas.selectors import area_get
from fupin.registry import lifecycle, schema
from fupin.registry.models import Household, Person

ACTION = "registry.view"

# The thresholds of the income checks that the documents leave to judgement, named so they can be
# changed in one place. "far above the line" for 漏退/错登: twice the national line. Recorded in
# docs/registry.md (数据质量).
FAR_ABOVE_FACTOR = 2
# Age ranges (at the end of the record year) that fit each schooling stage (在校生状况); outside them
# the record is implausible. Compulsory education: ages 7-15 (小学 and 初中) in the national system.
SCHOOLING_AGES = {"10": (2, 7), "20": (5, 16), "30": (10, 19), "40": (13, 22), "45": (13, 25), "50": (15, 30),
                  "55": (15, 35), "60": (15, 40), "70": (18, 60), "80": (20, 70)}
COMPULSORY_AGES = (7, 15)
NOT_IN_SCHOOL = ("", "00")
NEEDS = ("food_secure", "clothing_secure", "compulsory_education_secured", "basic_medical_secured",
         "housing_secured", "safe_drinking_water")
NEED_LABELS = {"food_secure": "不愁吃", "clothing_secure": "不愁穿", "compulsory_education_secured": "义务教育有保障",
               "basic_medical_secured": "基本医疗有保障", "housing_secured": "住房安全有保障",
               "safe_drinking_water": "安全饮水"}
STATUS_LABELS = dict(schema.HOUSEHOLD_STATUSES)

GROUP_TWO = "两该两不该"
GROUP_ACCOUNTS = "账实相符、账账相符"
GROUP_YEARS = "跨年度"


@dataclass(frozen=True)
class QualityIssue:
    """One failed check on one household (for a cross-year check, the household of the year it names)."""

    household_id: int
    area_code: str
    check: str
    message: str
    values: dict = field(default_factory=dict)
    household_number: str = ""
    year: int = 0


@dataclass
class Frames:
    """One year's households and persons in scope, and the year before (for the cross-year checks)."""

    year: int
    households: pl.DataFrame
    persons: pl.DataFrame
    previous_households: pl.DataFrame
    previous_persons: pl.DataFrame


@dataclass(frozen=True)
class Check:
    id: str
    group: str
    title: object
    source: str
    message: str  # str.format template over the columns the function returns
    fn: Callable[[Frames], pl.DataFrame]
    needs_line: bool = False


@dataclass
class QualityRun:
    year: int
    area_code: str
    issues: list[QualityIssue]
    households: int
    skipped: list[str]
    seconds: float
    computed_at: object = None  # when read from the stored results: when the checks ran

    def counts(self) -> dict[str, int]:
        out = {c.id: 0 for c in CHECKS}
        for issue in self.issues:
            out[issue.check] += 1
        return out


# ------------------------------------------------------------------------------------------- helpers

def _yuan(column: str) -> pl.Expr:
    """Cents as yuan text with two decimals ("3500.00"), exact: money never goes through a float."""
    cents = pl.col(column)
    whole = cents.abs()
    return pl.concat_str([pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit("")), (whole // 100).cast(pl.String),
                          pl.lit("."), (whole % 100).cast(pl.String).str.zfill(2)])


def _poor() -> pl.Expr:
    return pl.col("status").is_in(sorted(lifecycle.POOR))


def _rows(df: pl.DataFrame, condition: pl.Expr, *values: pl.Expr | str) -> pl.DataFrame:
    return df.filter(condition).select("household_id", "household_number", "village_code", *values)


def _status_label(column: str) -> pl.Expr:
    return pl.col(column).replace_strict(STATUS_LABELS, default=pl.col(column))


def _needs_missing() -> pl.Expr:
    """The 两不愁三保障 items recorded as not met, as one text ("不愁吃、住房安全有保障")."""
    parts = [pl.when(pl.col(n) == 0).then(pl.lit(NEED_LABELS[n])) for n in NEEDS]
    return pl.concat_str(parts, separator="、", ignore_nulls=True)


def _any_need_unmet() -> pl.Expr:
    return pl.any_horizontal([pl.col(n) == 0 for n in NEEDS]).fill_null(False)


def _all_needs_met() -> pl.Expr:
    return pl.all_horizontal([pl.col(n) == 1 for n in NEEDS]).fill_null(False)


def _round_half_up_div(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator / denominator in whole cents, rounded half away from zero as income.compute_income does."""
    magnitude = (numerator.abs() * 2 + denominator) // (denominator * 2)
    return pl.when(denominator > 0).then(pl.when(numerator < 0).then(-magnitude).otherwise(magnitude)).otherwise(0)


# ------------------------------------------------------------------------------------------- 两该两不该

def _missed_registration_income(f: Frames) -> pl.DataFrame:
    h = f.households
    return _rows(h, pl.col("status").is_in([lifecycle.CANDIDATE, lifecycle.REMOVED])
                 & (pl.col("per_capita") <= pl.col("line")),
                 _status_label("status").alias("status"), _yuan("per_capita").alias("income"),
                 _yuan("line").alias("line"))


def _missed_registration_assistance(f: Frames) -> pl.DataFrame:
    h = f.households
    return _rows(h, pl.col("status").is_in([lifecycle.CANDIDATE, lifecycle.REMOVED])
                 & ((pl.col("assistance_income") > 0) | pl.col("poverty_attribute").is_in(["2", "3"])),
                 _status_label("status").alias("status"), _yuan("assistance_income").alias("assistance"))


def _missed_exit(f: Frames) -> pl.DataFrame:
    h = f.households
    return _rows(h, pl.col("status").is_in([lifecycle.REGISTERED, lifecycle.RETURNED])
                 & (pl.col("identified_year").is_null() | (pl.col("identified_year") < f.year))
                 & (pl.col("per_capita") > pl.col("line") * FAR_ABOVE_FACTOR) & _all_needs_met(),
                 _status_label("status").alias("status"), _yuan("per_capita").alias("income"),
                 _yuan("line").alias("line"), pl.lit(FAR_ABOVE_FACTOR).alias("factor"))


def _wrong_registration(f: Frames) -> pl.DataFrame:
    h = f.households
    return _rows(h, _poor() & (pl.col("identified_year") == f.year)
                 & (pl.col("per_capita") > pl.col("line") * FAR_ABOVE_FACTOR),
                 _yuan("per_capita").alias("income"), _yuan("line").alias("line"),
                 pl.lit(FAR_ABOVE_FACTOR).alias("factor"))


def _wrong_exit_income(f: Frames) -> pl.DataFrame:
    h = f.households
    return _rows(h, (pl.col("status") == lifecycle.EXITED) & (pl.col("per_capita") <= pl.col("line")),
                 _yuan("per_capita").alias("income"), _yuan("line").alias("line"))


def _wrong_exit_needs(f: Frames) -> pl.DataFrame:
    h = f.households
    return _rows(h, (pl.col("status") == lifecycle.EXITED) & _any_need_unmet(), _needs_missing().alias("needs"))


# ------------------------------------------------------------------------------------ 账实相符、账账相符

def _active_persons(f: Frames) -> pl.DataFrame:
    return f.persons.filter(pl.col("status") == "active")


def _member_count(f: Frames) -> pl.DataFrame:
    counts = _active_persons(f).group_by("household_id").agg(pl.len().alias("members"))
    h = f.households.join(counts, on="household_id", how="left").with_columns(pl.col("members").fill_null(0))
    return _rows(h, pl.col("member_count") != pl.col("members"), "member_count", "members")


def _head_count(f: Frames) -> pl.DataFrame:
    heads = _active_persons(f).filter(pl.col("relation") == schema.HEAD_RELATION).group_by("household_id").agg(
        pl.len().alias("heads"))
    h = f.households.join(heads, on="household_id", how="left").with_columns(pl.col("heads").fill_null(0))
    return _rows(h, (pl.col("heads") != 1) & (pl.col("member_count") > 0), "heads")


def _income_arithmetic(f: Frames) -> pl.DataFrame:
    h = f.households.with_columns(
        (pl.col("wage_income") + pl.col("business_income") + pl.col("property_income") + pl.col("transfer_income"))
        .alias("expected_total"))
    h = h.with_columns((pl.col("expected_total") - pl.col("production_costs")).alias("expected_net"))
    return _rows(h, (pl.col("total_income") != pl.col("expected_total")) | (pl.col("net_income") != pl.col("expected_net")),
                 _yuan("total_income").alias("total"), _yuan("expected_total").alias("expected_total"),
                 _yuan("net_income").alias("net"), _yuan("expected_net").alias("expected_net"))


def _per_capita(f: Frames) -> pl.DataFrame:
    h = f.households.with_columns(
        _round_half_up_div(pl.col("net_income"), pl.col("member_count")).alias("expected"),
        _round_half_up_div(pl.col("net_income") - pl.col("transfer_expenses"), pl.col("member_count"))
        .alias("expected_disposable"))
    return _rows(h, (pl.col("per_capita") != pl.col("expected"))
                 | (pl.col("per_capita_disposable") != pl.col("expected_disposable")),
                 _yuan("per_capita").alias("income"), _yuan("expected").alias("expected"),
                 _yuan("per_capita_disposable").alias("disposable"),
                 _yuan("expected_disposable").alias("expected_disposable"), "member_count")


def _person_rows(f: Frames, persons: pl.DataFrame, condition: pl.Expr, *values) -> pl.DataFrame:
    hit = persons.filter(condition).select("household_id", "name", "person_number", *values)
    return hit.join(f.households.select("household_id", "household_number", "village_code"), on="household_id")


def _school_age_not_in_school(f: Frames) -> pl.DataFrame:
    low, high = COMPULSORY_AGES
    secured = f.households.filter(pl.col("compulsory_education_secured").fill_null(1) == 1).select("household_id")
    persons = _active_persons(f).join(secured, on="household_id", how="semi")
    return _person_rows(f, persons, pl.col("age").is_between(low, high) & pl.col("schooling").is_in(NOT_IN_SCHOOL),
                        "age")


def _schooling_age(f: Frames) -> pl.DataFrame:
    ranges = pl.DataFrame({"schooling": list(SCHOOLING_AGES), "low": [v[0] for v in SCHOOLING_AGES.values()],
                           "high": [v[1] for v in SCHOOLING_AGES.values()]})
    persons = _active_persons(f).join(ranges, on="schooling", how="inner")
    return _person_rows(f, persons, ~pl.col("age").is_between(pl.col("low"), pl.col("high")),
                        "age", pl.col("schooling_label").alias("schooling"), "low", "high")


def _id_consistency(f: Frames) -> pl.DataFrame:
    """The first 18 digits of a resident ID or disability-card number carry the birth date (7th-14th)
    and the sex (17th: odd for men, code 1; even for women, code 2)."""
    p = f.persons.filter(pl.col("id_number").str.len_chars() >= 18).with_columns(
        pl.col("id_number").str.slice(6, 8).alias("id_birth"),
        pl.col("id_number").str.slice(16, 1).cast(pl.Int32, strict=False).alias("sex_digit"))
    p = p.with_columns(pl.when(pl.col("sex_digit") % 2 == 1).then(pl.lit("1")).otherwise(pl.lit("2"))
                       .alias("id_sex"), pl.col("birth_date").str.replace_all("-", "").alias("birth"))
    wrong = (pl.col("id_birth") != pl.col("birth")) | (pl.col("id_sex") != pl.col("sex"))
    return _person_rows(f, p, wrong & pl.col("sex_digit").is_not_null(),
                        pl.col("birth_date").alias("birth_date"),
                        pl.concat_str([pl.col("id_birth").str.slice(0, 4), pl.col("id_birth").str.slice(4, 2),
                                       pl.col("id_birth").str.slice(6, 2)], separator="-").alias("id_birth"),
                        pl.col("sex").replace_strict({"1": "男", "2": "女"}, default=pl.col("sex")).alias("sex"),
                        pl.col("id_sex").replace_strict({"1": "男", "2": "女"}).alias("id_sex"))


def _dangerous_house_secured(f: Frames) -> pl.DataFrame:
    h = f.households
    return _rows(h, pl.col("housing_grade").is_in(sorted(schema.DANGEROUS_HOUSING_GRADES))
                 & (pl.col("housing_secured") == 1), "housing_grade")


def _missing_cadre(f: Frames) -> pl.DataFrame:
    h = f.households
    return _rows(h, pl.col("status").is_in(sorted(lifecycle.IN_REGISTRY)) & pl.col("pairing_cadre_id").is_null(),
                 _status_label("status").alias("status"))


# ------------------------------------------------------------------------------------------ 跨年度

_GONE = (lifecycle.NATURAL_DECREASE, lifecycle.REMOVED)


def _household_vanished(f: Frames) -> pl.DataFrame:
    prev, cur = f.previous_households, f.households
    if cur.is_empty():
        return prev.head(0).select("household_id", "household_number", "village_code")
    # Only counties that kept this year's registry: a year not entered yet is not a vanishing.
    counties = cur.select(pl.col("village_code").str.slice(0, 6).unique().alias("county"))
    prev = prev.with_columns(pl.col("village_code").str.slice(0, 6).alias("county")).join(counties, on="county",
                                                                                          how="semi")
    gone = prev.filter(~pl.col("status").is_in(_GONE)).join(cur.select("household_number"), on="household_number",
                                                            how="anti")
    return gone.select("household_id", "household_number", "village_code",
                       _status_label("status").alias("previous_status"), pl.lit(f.year - 1).alias("record_year"))


def _allowed_steps() -> pl.DataFrame:
    pairs = {(s, s) for s, _label in schema.HOUSEHOLD_STATUSES}
    for t in lifecycle.TRANSITIONS.values():
        pairs |= {(source, t.target) for source in t.sources}
    # 预脱贫 is a plan within a year: a plan not carried out leaves next year's record 未脱贫 again.
    pairs |= {(lifecycle.EXPECTED_EXIT, lifecycle.REGISTERED)}
    return pl.DataFrame({"previous": [a for a, _b in sorted(pairs)], "status": [b for _a, b in sorted(pairs)]})


def _status_jump(f: Frames) -> pl.DataFrame:
    prev = f.previous_households.select("household_number", pl.col("status").alias("previous"))
    both = f.households.join(prev, on="household_number", how="inner")
    jumped = both.join(_allowed_steps(), on=["previous", "status"], how="anti")
    return jumped.select("household_id", "household_number", "village_code",
                         _status_label("previous").alias("previous_status"), _status_label("status").alias("status"))


def _member_vanished(f: Frames) -> pl.DataFrame:
    prev_active = f.previous_persons.filter(pl.col("status") == "active").join(
        f.previous_households.select("household_id", "household_number"), on="household_id")
    still = prev_active.join(f.households.select("household_number"), on="household_number", how="semi")
    gone = still.join(f.persons.select("id_number"), on="id_number", how="anti")
    hit = gone.select("household_number", "name", "person_number")
    return hit.join(f.households.select("household_id", "household_number", "village_code"), on="household_number")


def _person_changed_household(f: Frames) -> pl.DataFrame:
    prev_active = f.previous_persons.filter(pl.col("status") == "active").join(
        f.previous_households.select("household_id", pl.col("household_number").alias("previous_household")),
        on="household_id").select("id_number", "previous_household")
    cur = _active_persons(f).join(f.households.select("household_id", "household_number", "village_code"),
                                  on="household_id")
    moved = cur.join(prev_active, on="id_number").filter(pl.col("household_number") != pl.col("previous_household"))
    return moved.select("household_id", "household_number", "village_code", "name", "person_number",
                        "previous_household")


# ---------------------------------------------------------------------------------------- catalogue

_FUSHUN = "抚顺 002 L24 「该进未进，漏登；该出未出，漏退；不该进的进入，错登；不该出的退出，错退」"
_FUSHUN_LOW = "抚顺 002 L24 「消除个别村干部对享受低保而不能再享受贫困户政策的错误认识」"
_EXIT = "本溪 004 L24 「年人均纯收入稳定超过国家扶贫标准」"
_NEEDS = "本溪 004 L24 「“两不愁”即不愁吃、不愁穿；“三保障”即基本医疗、义务教育、住房安全有保障」"
_ANSHAN = "鞍山 001 L91 「白卡和系统数据的比对，做到“账实相符”“账账相符”」"
_DROPOUT = "本溪 004 L93 「确保建档立卡贫困家庭子女不因贫辍学」"
_CADRE = "鞍山 001 L94 「结对帮扶干部作为贫困户档案、明白卡规范管理的直接责任人」"
_DYNAMIC = "抚顺 002 L27 「做到“应进尽进、应退尽退”，及时备案，按时补录」"

CHECKS: tuple[Check, ...] = (
    Check("missed_registration_income", GROUP_TWO, _lazy("漏登：收入低于扶贫标准但未纳入"), _FUSHUN,
          "户状态为{status}，人均纯收入{income}元未超过国家扶贫标准{line}元，应核实是否该进未进（漏登）",
          _missed_registration_income, needs_line=True),
    Check("missed_registration_assistance", GROUP_TWO, _lazy("漏登：享受低保、特困供养但未纳入"), _FUSHUN_LOW,
          "户状态为{status}，享受低保或特困供养（低保金、特困供养金{assistance}元），应核实是否该进未进（漏登）",
          _missed_registration_assistance),
    Check("missed_exit", GROUP_TWO, _lazy("漏退：收入远超标准且两不愁三保障均已实现但未退出"), _FUSHUN,
          "户状态为{status}，人均纯收入{income}元超过国家扶贫标准{line}元的{factor}倍，两不愁三保障均已实现，"
          "应核实是否该出未出（漏退）", _missed_exit, needs_line=True),
    Check("wrong_registration", GROUP_TWO, _lazy("错登：当年新识别但收入远超标准"), _FUSHUN,
          "当年新识别纳入，但人均纯收入{income}元超过国家扶贫标准{line}元的{factor}倍，应核实是否不该进的进入（错登）",
          _wrong_registration, needs_line=True),
    Check("wrong_exit_income", GROUP_TWO, _lazy("错退：已脱贫但收入未超过标准"), _EXIT,
          "已脱贫，但人均纯收入{income}元未超过国家扶贫标准{line}元，应核实是否不该出的退出（错退）或返贫",
          _wrong_exit_income, needs_line=True),
    Check("wrong_exit_needs", GROUP_TWO, _lazy("错退：已脱贫但两不愁三保障未实现"), _NEEDS,
          "已脱贫，但{needs}记录为未实现，应核实是否不该出的退出（错退）", _wrong_exit_needs),
    Check("member_count", GROUP_ACCOUNTS, _lazy("人数与在户成员数不符"), _ANSHAN,
          "户人数记为{member_count}人，在户成员实有{members}人", _member_count),
    Check("head_count", GROUP_ACCOUNTS, _lazy("户主不是恰好一人"), _ANSHAN,
          "在户成员中有{heads}名户主，应恰好一名", _head_count),
    Check("income_arithmetic", GROUP_ACCOUNTS, _lazy("家庭总收入、纯收入与收入构成不符"), _ANSHAN,
          "家庭总收入{total}元（按构成应为{expected_total}元），家庭纯收入{net}元（应为{expected_net}元）",
          _income_arithmetic),
    Check("per_capita", GROUP_ACCOUNTS, _lazy("人均收入与家庭纯收入、人数不符"), _ANSHAN,
          "人均纯收入{income}元（按{member_count}人应为{expected}元），人均可支配收入{disposable}元"
          "（应为{expected_disposable}元）", _per_capita),
    Check("school_age_not_in_school", GROUP_ACCOUNTS, _lazy("义务教育阶段适龄未在校但记为义务教育有保障"), _DROPOUT,
          "{name}（{person_number}）{age}岁，在校生状况为非在校生，但户记为义务教育有保障", _school_age_not_in_school),
    Check("schooling_age", GROUP_ACCOUNTS, _lazy("年龄与在校生状况不符"), _ANSHAN,
          "{name}（{person_number}）{age}岁，在校生状况为{schooling}（通常{low}至{high}岁）", _schooling_age),
    Check("id_consistency", GROUP_ACCOUNTS, _lazy("证件号码与出生日期、性别不符"), _ANSHAN,
          "{name}（{person_number}）出生日期{birth_date}、性别{sex}，证件号码所含为{id_birth}、{id_sex}",
          _id_consistency),
    Check("dangerous_house_secured", GROUP_ACCOUNTS, _lazy("危房却记为住房安全有保障"), _NEEDS,
          "住房安全等级为{housing_grade}级（危房），但记为住房安全有保障", _dangerous_house_secured),
    Check("missing_cadre", GROUP_ACCOUNTS, _lazy("未落实帮扶责任人"), _CADRE,
          "户状态为{status}，未落实帮扶责任人", _missing_cadre),
    Check("household_vanished", GROUP_YEARS, _lazy("上年度在册户本年度无记录"), _DYNAMIC,
          "上年度户状态为{previous_status}，本年度无该户记录，也无自然减少或销号记录", _household_vanished),
    Check("status_jump", GROUP_YEARS, _lazy("户状态跨年度跳变"), _DYNAMIC,
          "户状态由上年度的{previous_status}直接变为{status}，不符合动态管理的状态变更", _status_jump),
    Check("member_vanished", GROUP_YEARS, _lazy("上年度在户成员本年度无记录"), _DYNAMIC,
          "{name}（{person_number}）上年度在户，本年度无记录，也未登记死亡或迁出", _member_vanished),
    Check("person_changed_household", GROUP_YEARS, _lazy("成员跨年度变换所属户"), _DYNAMIC,
          "{name}（{person_number}）上年度在户{previous_household}，本年度在本户", _person_changed_household),
)
CHECKS_BY_ID = {c.id: c for c in CHECKS}


# --------------------------------------------------------------------------------------------- loading

_MONEY = ("wage_income", "business_income", "property_income", "transfer_income", "assistance_income",
          "production_costs", "transfer_expenses", "total_income", "net_income")
_H_SCHEMA = {"household_id": pl.Int64, "household_number": pl.String, "village_code": pl.String,
             "status": pl.String, "member_count": pl.Int64, "poverty_attribute": pl.String,
             "housing_grade": pl.String, "pairing_cadre_id": pl.Int64, "identified_year": pl.Int64,
             **{n: pl.Int64 for n in _MONEY}, "per_capita": pl.Int64, "per_capita_disposable": pl.Int64,
             **{n: pl.Int8 for n in NEEDS}}
_P_SCHEMA = {"household_id": pl.Int64, "person_number": pl.String, "name": pl.String, "id_number": pl.String,
             "sex": pl.String, "birth_date": pl.String, "relation": pl.String, "schooling": pl.String,
             "status": pl.String}


def _cents(column: str) -> str:
    return f"CAST(ROUND(h.{column} * 100) AS BIGINT)"


def _flag(column: str) -> str:
    return f"CASE WHEN h.{column} IS NULL THEN NULL WHEN h.{column} THEN 1 ELSE 0 END"


def _where(actor, year: int, prefix: str) -> tuple[str, list]:
    where, params = ("1 = 1", []) if actor is None else scope_sql(actor, ACTION, "a.code")
    sql, args = f"h.year = %s AND {where}", [year, *params]
    if prefix:
        sql += " AND a.code LIKE %s"
        args.append(prefix + "%")
    return sql, args


def _fetch(sql: str, args: list, columns: dict) -> pl.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=columns, orient="row")


def load_frames(actor, year: int, prefix: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The households and persons of `year` the actor may see, narrowed to `prefix`, in two queries."""
    h_table, p_table, a_table = Household._meta.db_table, Person._meta.db_table, Area._meta.db_table
    where, args = _where(actor, year, prefix)
    select = ", ".join([
        "h.id", "h.household_number", "a.code", "h.status", "h.member_count", "h.poverty_attribute",
        "h.housing_grade", "h.pairing_cadre_id",
        "CAST(SUBSTR(CAST(h.first_identified_on AS VARCHAR(10)), 1, 4) AS INTEGER)",
        *(_cents(n) for n in _MONEY), _cents("per_capita_net_income"), _cents("per_capita_disposable_income"),
        *(_flag(n) for n in NEEDS)])
    households = _fetch(f"SELECT {select} FROM {h_table} h JOIN {a_table} a ON a.id = h.village_id WHERE {where}",
                        args, _H_SCHEMA)
    persons = _fetch(
        f"SELECT p.household_id, p.person_number, p.name, p.id_number, p.sex, CAST(p.birth_date AS VARCHAR(10)), "
        f"p.relation, p.schooling, p.status FROM {p_table} p JOIN {h_table} h ON h.id = p.household_id "
        f"JOIN {a_table} a ON a.id = h.village_id WHERE {where}", args, _P_SCHEMA)
    persons = persons.with_columns((pl.lit(year) - pl.col("birth_date").str.slice(0, 4).cast(pl.Int64)).alias("age"))
    return households, persons


def _poverty_lines(counties: list[str], year: int) -> dict[str, int]:
    """The national poverty line (in cents) of the policy pack in force for each county and year."""
    from fupin.policy.selectors import packs_for_area

    lines = {}
    for county in counties:
        for pack in packs_for_area(county + "000000", year):
            parameter = pack.parameters.get("national_poverty_line")
            if parameter is not None and parameter.value is not None:
                lines[county] = int(Decimal(str(parameter.value)) * 100)
                break
    return lines


def _schooling_labels(persons: pl.DataFrame, year: int) -> pl.DataFrame:
    from fupin.registry.dictionaries import code_lists_for_year

    labels = dict(code_lists_for_year(year).choices("schooling"))
    return persons.with_columns(pl.col("schooling").replace_strict(labels, default=pl.col("schooling"))
                                .alias("schooling_label"))


# ------------------------------------------------------------------------------------------- running

def _scope_prefix(actor, area_code: str) -> tuple[str, str]:
    """(prefix, 12-digit code) of the area asked for, refused as not found outside the actor's areas."""
    if not area_code:
        return "", ""
    area = access_area(actor, area_code.strip(), ACTION) if actor is not None else area_get(area_code.strip())
    return area.prefix, area.code


def quality_run(*, actor, year: int, area_code: str = "", checks: list[str] | None = None) -> QualityRun:
    """Every check (or the named ones) over one year in the actor's areas, narrowed to `area_code`
    (a county, township or village code). `actor` None is the system: every area."""
    started = time.perf_counter()
    if actor is not None:
        require(actor, ACTION)
    unknown = sorted(set(checks or []) - set(CHECKS_BY_ID))
    if unknown:
        from fupin.core.errors import ValidationFailed

        raise ValidationFailed(_("未知的数据质量检查：%(c)s") % {"c": "、".join(unknown)}, code="unknown_check")
    prefix, code = _scope_prefix(actor, area_code)
    households, persons = load_frames(actor, year, prefix)
    previous_households, previous_persons = load_frames(actor, year - 1, prefix)
    counties = sorted(set(households.get_column("village_code").str.slice(0, 6).to_list()))
    lines = _poverty_lines(counties, year)
    line_frame = pl.DataFrame({"county": list(lines), "line": list(lines.values())},
                              schema={"county": pl.String, "line": pl.Int64})
    households = households.with_columns(pl.col("village_code").str.slice(0, 6).alias("county")).join(
        line_frame, on="county", how="left")
    frames = Frames(year=year, households=households, persons=_schooling_labels(persons, year),
                    previous_households=previous_households, previous_persons=previous_persons)
    skipped = []
    without_line = [c for c in counties if c not in lines]
    issues: list[QualityIssue] = []
    for check in CHECKS:
        if checks and check.id not in checks:
            continue
        if check.needs_line and without_line:
            skipped.append(_("%(check)s：%(counties)s 没有适用的政策包（国家扶贫标准），未检查")
                           % {"check": check.title, "counties": "、".join(without_line)})
        issues.extend(_issues(check, check.fn(frames), year))
    issues.sort(key=lambda i: (i.area_code, i.household_number, i.check))
    return QualityRun(year=year, area_code=code, issues=issues, households=households.height, skipped=skipped,
                      seconds=round(time.perf_counter() - started, 3))


def _issues(check: Check, hits: pl.DataFrame, year: int) -> list[QualityIssue]:
    out = []
    for row in hits.to_dicts():  # one conversion for all the rows: iterating row by row costs more
        values = {k: v for k, v in row.items()
                  if k not in ("household_id", "household_number", "village_code", "record_year")}
        out.append(QualityIssue(household_id=row["household_id"], area_code=row["village_code"], check=check.id,
                                message=check.message.format(**values), values=values,
                                household_number=row["household_number"], year=row.get("record_year") or year))
    return out


def quality_issues(*, actor, year: int, area_code: str = "") -> list[QualityIssue]:
    """The data-quality issues of one year in the actor's areas (narrowed to `area_code`), every check,
    from the stored results (run again first when the county's data changed)."""
    from fupin.registry.quality_store import stored_run

    return stored_run(actor=actor, year=year, area_code=area_code).issues


def summary_by_check(run: QualityRun) -> list[dict]:
    counts = run.counts()
    return [{"id": c.id, "group": c.group, "title": str(c.title), "source": c.source, "count": counts[c.id]}
            for c in CHECKS]


def summary_by_area(run: QualityRun, *, level: int = 12) -> list[dict]:
    """Issue counts per area, the code cut to `level` digits (6 county, 9 township, 12 village)."""
    counts: dict[str, dict] = {}
    for issue in run.issues:
        key = issue.area_code[:level].ljust(12, "0")
        row = counts.setdefault(key, {"area_code": key, "issues": 0, "households": set()})
        row["issues"] += 1
        row["households"].add(issue.household_id)
    return [{"area_code": k, "issues": v["issues"], "households": len(v["households"])}
            for k, v in sorted(counts.items())]
