"""Reading scheme files (TOML, in ``fupin/data/assessment/``) into checked `Scheme` objects.

The format is described in docs/assessment.md. Any value in a file may depend on a named option
(an ambiguity of the documents):

    tie_rule = {option = "tie_rule"}                                   # the chosen value itself
    active = {option = "attendance_unit", values = {person_month = true, day = false}}
    points = {option = "funds_split", scale = 20}                      # a number option × 20
    points = {option = "funds_split", scale = 20, complement = true}   # (1 − option) × 20

`build(file, chosen)` resolves the options and checks the result; `check_file` builds the default
and every alternative choice, so a shipped file cannot hide a broken variant.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .checker import Checker, fraction, suggest, table_list
from .errors import Problem, SchemeError
from .model import (
    EFFECT_LABELS,
    KINDS,
    LEVEL_LABELS,
    Adjustment,
    Clause,
    Component,
    Exemption,
    Fact,
    GradeBand,
    Indicator,
    Measure,
    Option,
    Part,
    Scheme,
    Term,
    Veto,
)
from .numbers import HUNDRED, ONE, D, fmt
from .options import read_options, resolve

SCHEME_KEYS = {
    "id", "version", "title", "short_title", "issuer", "year", "jurisdiction", "subject", "max", "parts",
    "options", "components", "adjustments", "facts", "vetoes", "grades", "grading", "grade_caps",
    "grade_rounding", "quota_rounding", "veto_blocks_award", "weighted", "total_floor", "total_cap",
    "allow_not_assessed", "not_assessed", "comparison_set", "rank_formula", "tie_rule", "min_problem_items",
    "cite", "notes",
}
PART_KEYS = {"id", "title", "max", "weight", "scale_items", "indicators"}
INDICATOR_KEYS = {"id", "title", "max", "kind", "criterion", "clauses", "cap", "exemption", "measures", "method",
                  "terms", "cite", "note", "source"}
CLAUSE_KEYS = {"id", "title", "per", "points", "at_least", "cap", "max_count", "active", "note"}
MEASURE_KEYS = {"id", "title", "points", "unit"}
TERM_KEYS = {"id", "title", "factor"}
EXEMPTION_KEYS = {"id", "title"}
COMPONENT_KEYS = {"id", "title", "weight", "indicators", "rescale"}
ADJUSTMENT_KEYS = {"id", "title", "sign", "levels", "per_occurrence", "active", "cite", "note"}
FACT_KEYS = {"id", "title", "default", "cite"}
VETO_KEYS = {"id", "title", "when_fact", "when_adjustments", "at_least", "when_grade", "effects", "grade", "cite"}
GRADE_KEYS = {"name", "min_score", "max_score", "quota", "quota_kind", "takes_rest", "requires", "award", "cite"}
SUBJECTS = {"team": "驻村工作队", "township": "乡镇", "department": "行业部门（责任单位）"}

@dataclass
class SchemeFile:
    """One file, parsed, with its option definitions; not yet resolved."""

    path: str
    raw: dict
    options: dict[str, Option]
    digest: str

    @property
    def id(self) -> str:
        return str(self.raw.get("id", ""))

    @property
    def version(self) -> int:
        return int(self.raw.get("version", 0) or 0)


# --- reading the file ----------------------------------------------------------------------------

def read_file(path: str | Path) -> SchemeFile:
    path = Path(path)
    data = path.read_bytes()
    check = Checker(str(path))
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SchemeError([Problem("", f"TOML格式错误：{exc}")], source=path.name) from exc
    options = read_options(raw, check)
    if check.problems:
        raise SchemeError(check.problems, source=path.name)
    return SchemeFile(str(path), raw, options, hashlib.sha256(data).hexdigest())


def build(sf: SchemeFile, chosen: dict | None = None) -> Scheme:
    """The scheme with `chosen` option values (defaults for the rest), checked as a whole."""
    chosen = {**{n: o.default for n, o in sf.options.items()}, **(chosen or {})}
    check = Checker(sf.path)
    raw = resolve({k: v for k, v in sf.raw.items() if k != "options"}, sf.options, chosen, check, "")
    if check.problems:
        raise SchemeError(check.problems, source=Path(sf.path).name)
    scheme = _build(raw, sf, chosen, check)
    if check.problems:
        raise SchemeError(check.problems, source=Path(sf.path).name)
    return scheme


def check_file(path: str | Path) -> list[Problem]:
    """Every problem of a file, in its default form and with each alternative option value."""
    try:
        sf = read_file(path)
    except SchemeError as exc:
        return exc.problems
    problems: list[Problem] = []
    variants: list[dict] = [{}]
    for name, opt in sf.options.items():
        if opt.type == "choice":
            variants += [{name: value} for value in opt.choices if value != opt.default]
        else:
            variants += [{name: opt.minimum}, {name: opt.maximum}]
    for variant in variants:
        try:
            build(sf, variant)
        except SchemeError as exc:
            label = "、".join(f"{k}={v}" for k, v in variant.items()) or "默认选项"
            problems += [Problem(f"[{label}] {p.where}", p.message) for p in exc.problems]
    return problems


def _build(raw: dict, sf: SchemeFile, chosen: dict, check: Checker) -> Scheme:
    check.keys(raw, SCHEME_KEYS, "")
    scheme_id = check.text(raw, "id", "")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        check.add("version", "版本号应为正整数")
        version = 0
    subject = raw.get("subject")
    if subject not in SUBJECTS:
        check.add("subject", f"考核对象应为 {'、'.join(SUBJECTS)} 之一")
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        check.add("year", "年度应为整数")
        year = 0
    total = check.number(raw, "max", "", positive=True) or HUNDRED
    warnings: list[str] = []

    parts = _build_parts(raw, check, warnings)
    if parts and sum((p.max for p in parts), D(0)) != total:
        check.add("parts", f"各部分分值之和 {fmt(sum(p.max for p in parts))} 不等于总分 {fmt(total)}")
    indicators = [i for p in parts for i in p.indicators]
    check.ids([{"id": i.id} for i in indicators], "id", "parts[*].indicators")
    indicator_ids = {i.id for i in indicators}

    weighted = check.flag(raw, "weighted", "", False)
    if weighted:
        if any(p.weight is None for p in parts):
            check.add("weighted", "按权重计分时每个部分都要有 weight")
        elif sum(p.weight for p in parts) != HUNDRED:
            check.add("weighted", f"各部分权重之和应为100，实为 {fmt(sum(p.weight for p in parts))}")

    components = _build_components(raw, check, indicator_ids)
    adjustments = _build_adjustments(raw, check)
    facts = _build_facts(raw, check)
    grading = check.enum(raw, "grading", "", "none")
    grades = _build_grades(raw, check, grading, {f.id for f in facts})
    imposed = {v.get("grade") for v in table_list(raw, "vetoes", "", check) if isinstance(v.get("grade"), str)}
    vetoes = _build_vetoes(raw, check, {f.id for f in facts}, {a.id for a in adjustments},
                           {g.name for g in grades} | imposed)

    notes = raw.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        check.add("notes", "应为文本列表")
        notes = []
    min_problems = raw.get("min_problem_items", 0)
    if not isinstance(min_problems, int) or isinstance(min_problems, bool) or min_problems < 0:
        check.add("min_problem_items", "应为非负整数")
        min_problems = 0
    return Scheme(
        id=scheme_id, version=version, title=check.text(raw, "title", ""),
        short_title=check.text(raw, "short_title", "", required=False) or check.text(raw, "title", ""),
        issuer=check.text(raw, "issuer", ""), year=year, jurisdiction=check.text(raw, "jurisdiction", ""),
        subject=subject or "team", max=total, parts=tuple(parts), options=dict(sf.options), chosen=dict(chosen),
        components=components, adjustments=adjustments, facts=facts, vetoes=vetoes, grades=grades,
        grading=grading, grade_caps=check.enum(raw, "grade_caps", "", "clamp"),
        grade_rounding=check.enum(raw, "grade_rounding", "", "none"),
        quota_rounding=check.enum(raw, "quota_rounding", "", "floor"),
        veto_blocks_award=check.flag(raw, "veto_blocks_award", "", True), weighted=weighted,
        total_floor=check.number(raw, "total_floor", "", required=False),
        total_cap=check.number(raw, "total_cap", "", required=False),
        allow_not_assessed=check.flag(raw, "allow_not_assessed", "", False),
        not_assessed=check.enum(raw, "not_assessed", "", "rescale"),
        comparison_set=check.enum(raw, "comparison_set", "", "run"),
        rank_formula=check.enum(raw, "rank_formula", "", "top_full_last_share"),
        tie_rule=check.enum(raw, "tie_rule", "", "listing_order"),
        min_problem_items=min_problems, cites=check.cites(raw, "", required=True), notes=tuple(notes),
        warnings=tuple(warnings), path=sf.path, digest=sf.digest,
    )


def _build_parts(raw: dict, check: Checker, warnings: list[str]) -> list[Part]:
    parts_raw = table_list(raw, "parts", "", check)
    if not parts_raw:
        check.add("parts", "方案至少要有一个部分（[[parts]]）")
    check.ids(parts_raw, "id", "parts")
    parts = []
    for p_i, p in enumerate(parts_raw):
        where = f"parts[{p_i}]"
        check.keys(p, PART_KEYS, where)
        part_id = check.text(p, "id", where)
        part_max = check.number(p, "max", where, positive=True) or D(0)
        indicators = []
        for i_i, item in enumerate(table_list(p, "indicators", f"{where}.", check)):
            indicator = _build_indicator(item, part_id, check, f"{where}.indicators[{i_i}]")
            if indicator is not None:
                indicators.append(indicator)
        if not indicators:
            check.add(where, "每个部分至少要有一个指标")
        scale_items = check.flag(p, "scale_items", where, False)
        part = Part(part_id, check.text(p, "title", where), part_max, tuple(indicators),
                    weight=check.number(p, "weight", where, required=False, positive=True), scale_items=scale_items)
        if indicators and part.items_max != part_max:
            if "scale_items" not in p:
                check.add(where, f"指标分值之和 {fmt(part.items_max)} 不等于本部分分值 {fmt(part_max)}"
                                 "（若原表如此，请用 scale_items 说明如何处理）")
            else:
                how = f"按比例折算到 {fmt(part_max)} 分" if scale_items else f"按原表计分，本部分最多得 {fmt(part.items_max)} 分"
                warnings.append(f"“{part.title}”原表分值 {fmt(part_max)} 分，所列指标合计 {fmt(part.items_max)} 分：{how}")
        parts.append(part)
    return parts


def _build_indicator(item: dict, part_id: str, check: Checker, where: str) -> Indicator | None:
    if not check.keys(item, INDICATOR_KEYS, where):
        return None
    ind_id = item.get("id")
    if not isinstance(ind_id, str) or not ind_id.strip():
        check.add(f"{where}.id", "指标编号应为文本（如 \"1\"、\"1.1\"）")
        return None
    kind = item.get("kind")
    if kind not in KINDS:
        check.add(f"{where}.kind", f"指标类型应为 {'、'.join(KINDS)} 之一，实为 {kind!r}")
        return None
    maximum = check.number(item, "max", where, positive=True)
    if maximum is None:
        return None
    clauses: list[Clause] = []
    measures: list[Measure] = []
    terms: list[Term] = []
    exemption = None
    method = "value_over_best"
    cap = None
    if kind == "deduction":
        raw_clauses = table_list(item, "clauses", f"{where}.", check)
        if not raw_clauses:
            check.add(where, "扣分类指标至少要有一条扣分规则（[[...clauses]]）")
        check.ids(raw_clauses, "id", f"{where}.clauses")
        for c_i, c in enumerate(raw_clauses):
            clause = _build_clause(c, check, f"{where}.clauses[{c_i}]")
            if clause is not None:
                clauses.append(clause)
        cap = check.number(item, "cap", where, required=False, positive=True)
        if "exemption" in item:
            ex = item["exemption"]
            if check.keys(ex, EXEMPTION_KEYS, f"{where}.exemption"):
                exemption = Exemption(check.text(ex, "id", f"{where}.exemption"),
                                      check.text(ex, "title", f"{where}.exemption"))
    elif kind == "comparative":
        method = check.enum(item, "method", where, "value_over_best")
        raw_measures = table_list(item, "measures", f"{where}.", check)
        if not raw_measures:
            raw_measures = [{"id": "value", "title": item.get("title", ""), "points": item.get("max")}]
        check.ids(raw_measures, "id", f"{where}.measures")
        for m_i, m in enumerate(raw_measures):
            spot = f"{where}.measures[{m_i}]"
            if check.keys(m, MEASURE_KEYS, spot):
                points = check.number(m, "points", spot, minimum=D(0))
                if points is not None:
                    measures.append(Measure(check.text(m, "id", spot), check.text(m, "title", spot), points,
                                            check.text(m, "unit", spot, required=False)))
        if measures and sum(m.points for m in measures) != maximum:
            check.add(where, f"各项排名分值之和 {fmt(sum(m.points for m in measures))} 不等于指标分值 {fmt(maximum)}")
    elif kind == "formula":
        raw_terms = table_list(item, "terms", f"{where}.", check)
        if not raw_terms:
            check.add(where, "公式类指标至少要有一项（[[...terms]]）")
        for t_i, t in enumerate(raw_terms):
            spot = f"{where}.terms[{t_i}]"
            if check.keys(t, TERM_KEYS, spot):
                factor = check.number(t, "factor", spot, positive=True)
                if factor is not None:
                    terms.append(Term(check.text(t, "id", spot), check.text(t, "title", spot), factor))
        if terms and sum(t.factor for t in terms) != maximum:
            check.add(where, f"公式系数之和 {fmt(sum(t.factor for t in terms))} 不等于指标分值 {fmt(maximum)}")
    for key in ("clauses", "cap", "exemption") if kind != "deduction" else ():
        if key in item:
            check.add(f"{where}.{key}", f"只有扣分类指标才有 {key}")
    return Indicator(
        id=ind_id.strip(), title=check.text(item, "title", where), max=maximum, kind=kind, part_id=part_id,
        criterion=check.text(item, "criterion", where, required=False), clauses=tuple(clauses), cap=cap,
        exemption=exemption, measures=tuple(measures), method=method, terms=tuple(terms),
        cites=check.cites(item, where, required=True), note=check.text(item, "note", where, required=False),
        source=check.text(item, "source", where, required=False),
    )


def _build_clause(c: dict, check: Checker, where: str) -> Clause | None:
    if not check.keys(c, CLAUSE_KEYS, where):
        return None
    per = check.number(c, "per", where, required=False, positive=True)
    points = check.number(c, "points", where, required=False, positive=True)
    at_least = check.number(c, "at_least", where, required=False, positive=True)
    if (per is None) == (points is None):
        check.add(where, "每条扣分规则须有且只有 per（每次扣分）或 points（一次性扣分）之一")
        return None
    if at_least is not None and per is None:
        check.add(where, "at_least（至少应达到的次数）只能与 per 一起使用")
        return None
    return Clause(
        id=check.text(c, "id", where), title=check.text(c, "title", where), per=per, points=points,
        at_least=at_least, cap=check.number(c, "cap", where, required=False, positive=True),
        max_count=check.number(c, "max_count", where, required=False, positive=True),
        active=check.flag(c, "active", where, True), note=check.text(c, "note", where, required=False),
    )


def _build_components(raw: dict, check: Checker, indicator_ids: set[str]) -> tuple[Component, ...]:
    items = table_list(raw, "components", "", check)
    check.ids(items, "id", "components")
    out = []
    for i, c in enumerate(items):
        where = f"components[{i}]"
        if not check.keys(c, COMPONENT_KEYS, where):
            continue
        subset = c.get("indicators")
        if subset is not None:
            if not isinstance(subset, list) or not all(isinstance(s, str) for s in subset) or not subset:
                check.add(f"{where}.indicators", "应为指标编号（文本）的非空列表")
                subset = None
            else:
                for s in subset:
                    if s not in indicator_ids:
                        check.add(f"{where}.indicators", f"未知的指标“{s}”")
                subset = tuple(subset)
        weight = check.number(c, "weight", where, positive=True) or D(0)
        out.append(Component(check.text(c, "id", where), check.text(c, "title", where), weight, subset,
                             check.flag(c, "rescale", where, True)))
    if out and sum(c.weight for c in out) != ONE:
        check.add("components", f"各组成部分权重之和应为1，实为 {fmt(sum(c.weight for c in out))}")
    return tuple(out)


def _build_adjustments(raw: dict, check: Checker) -> tuple[Adjustment, ...]:
    items = table_list(raw, "adjustments", "", check)
    check.ids(items, "id", "adjustments")
    out = []
    for i, a in enumerate(items):
        where = f"adjustments[{i}]"
        if not check.keys(a, ADJUSTMENT_KEYS, where):
            continue
        sign = a.get("sign")
        if sign not in (1, -1):
            check.add(f"{where}.sign", "加分为 1，扣分为 -1")
            sign = 1
        levels = {}
        raw_levels = a.get("levels", {})
        if not isinstance(raw_levels, dict):
            check.add(f"{where}.levels", "应为 {national = 5, provincial = 4, city = 3} 形式")
            raw_levels = {}
        for level in raw_levels:
            if level not in LEVEL_LABELS:
                check.add(f"{where}.levels.{level}", f"级别应为 {'、'.join(LEVEL_LABELS)} 之一")
                continue
            value = check.number(raw_levels, level, f"{where}.levels", minimum=D(0))
            if value is not None:
                levels[level] = value
        out.append(Adjustment(check.text(a, "id", where), check.text(a, "title", where), sign, levels,
                              check.flag(a, "per_occurrence", where, True), check.flag(a, "active", where, True),
                              check.cites(a, where, required=True), check.text(a, "note", where, required=False)))
    return tuple(out)


def _build_facts(raw: dict, check: Checker) -> tuple[Fact, ...]:
    items = table_list(raw, "facts", "", check)
    check.ids(items, "id", "facts")
    out = []
    for i, f in enumerate(items):
        where = f"facts[{i}]"
        if not check.keys(f, FACT_KEYS, where):
            continue
        default = f.get("default")
        if default is not None and not isinstance(default, bool):
            check.add(f"{where}.default", "默认值应为 true 或 false（不写则必须填报）")
            default = None
        out.append(Fact(check.text(f, "id", where), check.text(f, "title", where), default,
                        check.cites(f, where, required=False)))
    return tuple(out)


def _build_grades(raw: dict, check: Checker, grading: str, fact_ids: set[str]) -> tuple[GradeBand, ...]:
    items = table_list(raw, "grades", "", check)
    if grading != "none" and not items:
        check.add("grades", "评定等次的方案要列出等次（[[grades]]）")
    check.ids(items, "name", "grades")
    out = []
    for i, g in enumerate(items):
        where = f"grades[{i}]"
        if not check.keys(g, GRADE_KEYS, where):
            continue
        requires = g.get("requires", [])
        if not isinstance(requires, list) or any(str(r).lstrip("!") not in fact_ids for r in requires):
            check.add(f"{where}.requires", f"应为已定义事实的列表：{'、'.join(sorted(fact_ids)) or '（无）'}")
            requires = []
        quota = fraction(g.get("quota"), check, f"{where}.quota")
        name = g.get("name")
        if not isinstance(name, str):
            check.add(f"{where}.name", "应为文本（可为空字符串，表示不评等次）")
            name = ""
        out.append(GradeBand(
            name=name, min_score=check.number(g, "min_score", where, required=False),
            max_score=check.number(g, "max_score", where, required=False), quota=quota,
            quota_kind=check.enum(g, "quota_kind", where, "max"), takes_rest=check.flag(g, "takes_rest", where, False),
            requires=tuple(requires), award=check.flag(g, "award", where, False),
            cites=check.cites(g, where, required=False),
        ))
    if grading == "by_rank" and out:
        if sum(1 for g in out if g.takes_rest) != 1:
            check.add("grades", "按名次评定时，须有且只有一个等次 takes_rest = true（吸收取整后的余数）")
        if any(g.quota is None and not g.takes_rest for g in out):
            check.add("grades", "按名次评定时，除 takes_rest 的等次外，每个等次都要有 quota（比例）")
    if grading == "by_score" and out and (out[-1].min_score is not None or out[-1].requires):
        check.add("grades", "按分数评定时，最后一个等次应为兜底等次（无 min_score、无 requires）")
    return tuple(out)


def _build_vetoes(raw: dict, check: Checker, fact_ids: set[str], adjustment_ids: set[str],
                  grade_names: set[str]) -> tuple[Veto, ...]:
    items = table_list(raw, "vetoes", "", check)
    check.ids(items, "id", "vetoes")
    out = []
    for i, v in enumerate(items):
        where = f"vetoes[{i}]"
        if not check.keys(v, VETO_KEYS, where):
            continue
        when_fact = v.get("when_fact", "")
        when_adj = v.get("when_adjustments", [])
        when_grade = v.get("when_grade", [])
        if sum(bool(x) for x in (when_fact, when_adj, when_grade)) != 1:
            check.add(where, "须有且只有一种触发条件：when_fact、when_adjustments 或 when_grade")
        if when_fact and when_fact.lstrip("!") not in fact_ids:
            check.add(f"{where}.when_fact", f"未定义的事实“{when_fact}”{suggest(when_fact, fact_ids)}")
        if not isinstance(when_adj, list) or any(a not in adjustment_ids for a in when_adj):
            check.add(f"{where}.when_adjustments", "应为已定义加减分项的列表")
            when_adj = []
        if not isinstance(when_grade, list) or any(g not in grade_names for g in when_grade):
            check.add(f"{where}.when_grade", "应为已定义等次的列表")
            when_grade = []
        effects = v.get("effects", [])
        if not isinstance(effects, list) or any(e not in EFFECT_LABELS for e in effects):
            check.add(f"{where}.effects", f"后果应为 {'、'.join(EFFECT_LABELS)} 中的若干项")
            effects = []
        grade = v.get("grade", "")
        if not effects and not grade:
            check.add(where, "须说明后果：effects 或 grade")
        at_least = v.get("at_least", 1)
        if not isinstance(at_least, int) or isinstance(at_least, bool) or at_least < 1:
            check.add(f"{where}.at_least", "应为正整数")
            at_least = 1
        out.append(Veto(check.text(v, "id", where), check.text(v, "title", where), when_fact, tuple(when_adj),
                        at_least, tuple(when_grade), tuple(effects), grade if isinstance(grade, str) else "",
                        check.cites(v, where, required=True)))
    return tuple(out)
