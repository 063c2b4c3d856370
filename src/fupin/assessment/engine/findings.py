"""Raw findings (考核发现) for one run, checked against a scheme: all problems reported at once.

The shape (documented in docs/assessment.md), keyed by the documents' indicator numbers:

    {"subjects": [
       {"id": "t1", "name": "县卫健局驻富有村工作队", "group": "彰武县",
        "findings": {"1": 3, "15": {"no_staged_results": true}, "24": {"village": 92, "households": 88}},
        "facts": {...}, "adjustments": {"criticism": {"city": 1}}, "problems": ["...", "..."]}]}

A scheme with components (省级抽考 80% + 县级考核 20%) takes ``"components": {"county": {"score": 95},
"province": {"findings": {...}}}`` instead of ``findings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .checker import suggest as _suggest
from .errors import InputError, Problem
from .model import LEVEL_LABELS, Indicator, Scheme
from .numbers import HUNDRED, D, fmt

SUBJECT_KEYS = {"id", "name", "group", "findings", "components", "facts", "adjustments", "proposed_grade",
                "problems"}
NOT_ASSESSED = "not_assessed"
LIMIT = Decimal(10) ** 12  # no count, amount or score of these tables comes near it


@dataclass
class Finding:
    values: dict[str, Decimal | bool] = field(default_factory=dict)
    best: dict[str, Decimal] = field(default_factory=dict)
    rank: dict[str, tuple[int, int]] = field(default_factory=dict)  # measure -> (rank, of n) given from outside
    exempt: bool = False
    not_assessed: bool = False
    note: str = ""


@dataclass
class ComponentInput:
    score: Decimal | None = None  # a total given directly
    findings: dict[str, Finding] = field(default_factory=dict)


@dataclass
class AdjustmentInput:
    counts: dict[str, int] = field(default_factory=dict)  # level -> occurrences
    points: Decimal | None = None  # entered adjustments
    note: str = ""


@dataclass
class SubjectInput:
    position: int
    id: str
    name: str
    group: str
    components: dict[str, ComponentInput]
    facts: dict[str, bool]
    adjustments: dict[str, AdjustmentInput]
    proposed_grade: str | None
    problems: list[str]


class _Collector:
    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))


def _number(value, where: str, out: _Collector, *, what: str = "数值") -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        out.add(where, f"应为{what}，实为 {value!r}")
        return None
    try:
        number = D(value)
    except (InvalidOperation, ValueError):
        out.add(where, f"应为{what}，实为 {value!r}")
        return None
    if not number.is_finite():
        out.add(where, f"应为{what}，实为 {value!r}")
        return None
    if abs(number) >= LIMIT:
        out.add(where, f"数值过大：{value!r}")
        return None
    return number


def _count(value, where: str, out: _Collector, *, what: str = "次数") -> Decimal | None:
    number = _number(value, where, out, what=f"{what}（非负整数）")
    if number is None:
        return None
    if number < 0:
        out.add(where, f"{what}不能为负数：{fmt(number)}")
        return None
    if number != number.to_integral_value():
        out.add(where, f"{what}应为整数：{fmt(number)}")
        return None
    return number


def parse_run(scheme: Scheme, data) -> list[SubjectInput]:
    """The subjects of a run, or InputError naming every problem."""
    out = _Collector()
    if isinstance(data, dict):
        subjects = data.get("subjects")
    else:
        subjects = data
    if not isinstance(subjects, list) or not subjects:
        raise InputError([Problem("subjects", "应为非空的考核对象列表：{\"subjects\": [{...}, ...]}")])
    parsed: list[SubjectInput] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(subjects):
        where = f"subjects[{position}]"
        if not isinstance(raw, dict):
            out.add(where, "每个考核对象应为一个对象 {\"id\": ..., \"findings\": {...}}")
            continue
        for key in raw:
            if key not in SUBJECT_KEYS:
                out.add(f"{where}.{key}", f"未知的键{_suggest(key, SUBJECT_KEYS)}")
        subject_id = str(raw.get("id", position + 1))
        if subject_id in seen:
            out.add(f"{where}.id", f"编号“{subject_id}”与 subjects[{seen[subject_id]}] 重复")
        seen[subject_id] = position
        where = f"subjects[{position}]（{raw.get('name') or subject_id}）"
        parsed.append(SubjectInput(
            position=position, id=subject_id, name=str(raw.get("name") or subject_id),
            group=str(raw.get("group") or ""), components=_components(scheme, raw, where, out),
            facts=_facts(scheme, raw.get("facts"), where, out),
            adjustments=_adjustments(scheme, raw.get("adjustments"), where, out),
            proposed_grade=_proposed_grade(scheme, raw.get("proposed_grade"), where, out),
            problems=_problem_items(raw.get("problems"), where, out),
        ))
    proposed = [s.proposed_grade is not None for s in parsed]
    if any(proposed) and not all(proposed):
        out.add("subjects", "拟定等次（proposed_grade）要么都填，要么都不填")
    _cross_check_best(scheme, parsed, out)
    if out.problems:
        raise InputError(out.problems)
    return parsed


def _components(scheme: Scheme, raw: dict, where: str, out: _Collector) -> dict[str, ComponentInput]:
    if not scheme.components:
        if "components" in raw:
            out.add(f"{where}.components", "本方案没有组成部分，请直接写 findings")
        return {"": ComponentInput(findings=_findings(scheme, None, raw.get("findings"), f"{where}.findings", out))}
    if "findings" in raw:
        names = "、".join(f"{c.id}（{c.title}）" for c in scheme.components)
        out.add(f"{where}.findings", f"本方案由 {names} 组成，请写在 components 下")
    comps = raw.get("components")
    if not isinstance(comps, dict):
        out.add(f"{where}.components", "应为 {\"组成部分\": {\"findings\": {...}} 或 {\"score\": 分数}}")
        return {}
    result = {}
    for key in comps:
        if scheme.component(key) is None:
            out.add(f"{where}.components.{key}",
                    f"未知的组成部分{_suggest(key, [c.id for c in scheme.components])}；"
                    f"应为 {'、'.join(c.id for c in scheme.components)}")
    for comp in scheme.components:
        spot = f"{where}.components.{comp.id}"
        body = comps.get(comp.id)
        if body is None:
            out.add(spot, f"缺少“{comp.title}”的结果（findings 或 score）")
            continue
        if not isinstance(body, dict) or set(body) - {"findings", "score"} or len(body) != 1:
            out.add(spot, "应为 {\"findings\": {...}} 或 {\"score\": 分数} 之一")
            continue
        if "score" in body:
            score = _number(body["score"], f"{spot}.score", out, what="分数")
            if score is not None and not 0 <= score <= scheme.max:
                out.add(f"{spot}.score", f"分数应在 0–{fmt(scheme.max)} 之间，实为 {fmt(score)}")
            result[comp.id] = ComponentInput(score=score)
        else:
            result[comp.id] = ComponentInput(findings=_findings(scheme, comp, body["findings"], f"{spot}.findings",
                                                                out))
    return result


def _findings(scheme: Scheme, comp, raw, where: str, out: _Collector) -> dict[str, Finding]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        out.add(where, "应为以指标编号为键的对象，如 {\"1\": 3, \"24\": {\"village\": 90, \"households\": 95}}")
        return {}
    allowed = [i.id for i in scheme.indicators if comp is None or comp.indicators is None or i.id in comp.indicators]
    result = {}
    for key, value in raw.items():
        indicator = scheme.indicator(str(key))
        if indicator is None:
            out.add(f"{where}.{key}", f"未知的指标“{key}”{_suggest(key, allowed)}；"
                                      f"本方案的指标为 {_id_range(allowed)}")
            continue
        if indicator.id not in allowed:
            out.add(f"{where}.{key}", f"指标“{key}”不在{comp.title}的范围内（{_id_range(allowed)}）")
            continue
        finding = _finding(scheme, indicator, value, f"{where}.{key}", out)
        if finding is not None:
            result[indicator.id] = finding
    for indicator_id in allowed:
        indicator = scheme.indicator(indicator_id)
        if indicator.kind != "deduction" and indicator_id not in raw:
            out.add(f"{where}.{indicator_id}", f"缺少指标“{indicator_id} {indicator.title}”的{_wanted(indicator)}")
    return result


def _id_range(ids: list[str]) -> str:
    if len(ids) > 6:
        return f"{ids[0]}–{ids[-1]}（共{len(ids)}项）"
    return "、".join(ids)


def _wanted(indicator: Indicator) -> str:
    return {"comparative": "数值（用于比较）", "formula": "百分比", "entered": "得分"}.get(indicator.kind, "数据")


def _finding(scheme: Scheme, indicator: Indicator, value, where: str, out: _Collector) -> Finding | None:
    if value == NOT_ASSESSED or (isinstance(value, dict) and value.get(NOT_ASSESSED) is True):
        if not scheme.allow_not_assessed:
            out.add(where, "本方案不允许“不涉及、不考评”的指标")
            return None
        return Finding(not_assessed=True, note=str(value.get("note", "")) if isinstance(value, dict) else "")
    note = ""
    if isinstance(value, dict):
        note = value.get("note", "")
        if not isinstance(note, str):
            out.add(f"{where}.note", "说明应为文本")
            note = ""
        value = {k: v for k, v in value.items() if k != "note"}
    parse = {"deduction": _deduction, "comparative": _comparative, "formula": _formula, "entered": _entered}
    finding = parse[indicator.kind](indicator, value, where, out)
    if finding is not None:
        finding.note = note
    return finding


def _deduction(indicator: Indicator, value, where: str, out: _Collector) -> Finding | None:
    finding = Finding()
    if not isinstance(value, dict):
        if len(indicator.clauses) != 1:
            ids = "、".join(f"“{c.id}”（{c.title}）" for c in indicator.clauses)
            out.add(where, f"指标{indicator.id}有多条扣分规则 {ids}，请写成 {{\"规则\": 值}}")
            return None
        value = {indicator.clauses[0].id: value}
    allowed = [c.id for c in indicator.clauses] + ([indicator.exemption.id] if indicator.exemption else [])
    for key, raw in value.items():
        spot = f"{where}.{key}"
        if indicator.exemption and key == indicator.exemption.id:
            if not isinstance(raw, bool):
                out.add(spot, f"“{indicator.exemption.title}”应为 true 或 false")
            else:
                finding.exempt = raw
            continue
        clause = indicator.clause(key)
        if clause is None:
            out.add(spot, f"指标{indicator.id}没有扣分规则“{key}”{_suggest(key, allowed)}；可用：{'、'.join(allowed)}")
            continue
        if clause.input == "flag":
            if not isinstance(raw, bool):
                out.add(spot, f"“{clause.title}”应为 true（存在此情形）或 false，实为 {raw!r}")
                continue
            finding.values[key] = raw
            continue
        what = "实际次数" if clause.input == "actual" else "发现次数"
        number = _count(raw, spot, out, what=what)
        if number is None:
            continue
        if clause.max_count is not None and number > clause.max_count:
            out.add(spot, f"“{clause.title}”最多 {fmt(clause.max_count)} 项，实为 {fmt(number)}")
            continue
        finding.values[key] = number
    return finding


def _comparative(indicator: Indicator, value, where: str, out: _Collector) -> Finding | None:
    finding = Finding()
    start = len(out.problems)
    single = len(indicator.measures) == 1
    if not isinstance(value, dict) or (single and set(value) & {"value", "best", "rank", "of"}):
        if not single:
            ids = "、".join(f"“{m.id}”（{m.title}）" for m in indicator.measures)
            out.add(where, f"指标{indicator.id}按多项分别计分 {ids}，请写成 {{\"项目\": 数值}}")
            return None
        value = {indicator.measures[0].id: value}
    for key, raw in value.items():
        spot = f"{where}.{key}"
        measure = indicator.measure(key)
        if measure is None:
            ids = [m.id for m in indicator.measures]
            out.add(spot, f"指标{indicator.id}没有计分项“{key}”{_suggest(key, ids)}；可用：{'、'.join(ids)}")
            continue
        if isinstance(raw, dict):
            extra = set(raw) - {"value", "best", "rank", "of"}
            if extra:
                out.add(spot, f"未知的键 {'、'.join(sorted(extra))}；可用 value、best（最高值）或 rank、of（名次、总数）")
                continue
            if "rank" in raw or "of" in raw:
                if indicator.method != "rank":
                    out.add(spot, "本指标按最高值比例计分，不能给出名次（rank、of）")
                    continue
                rank, of = _count(raw.get("rank"), f"{spot}.rank", out, what="名次"), \
                    _count(raw.get("of"), f"{spot}.of", out, what="参评总数")
                if rank is not None and of is not None:
                    if not 1 <= rank <= of:
                        out.add(spot, f"名次应在 1–{fmt(of)} 之间，实为 {fmt(rank)}")
                    else:
                        finding.rank[key] = (int(rank), int(of))
                continue
            number = _non_negative(raw.get("value"), f"{spot}.value", out, measure.unit)
            if "best" in raw:
                if indicator.method != "value_over_best":
                    out.add(f"{spot}.best", "本指标按名次计分，不能指定最高值（best）；请给出 rank、of")
                    continue
                best = _non_negative(raw["best"], f"{spot}.best", out, measure.unit)
                if best is not None and number is not None and number > best:
                    out.add(f"{spot}.best", f"所给最高值 {fmt(best)} 小于本单位数值 {fmt(number)}")
                    continue
                if best is not None:
                    finding.best[key] = best
        else:
            number = _non_negative(raw, spot, out, measure.unit)
        if number is not None:
            finding.values[key] = number
    missing = [m.id for m in indicator.measures if m.id not in finding.values and m.id not in finding.rank]
    if missing and len(out.problems) == start:
        out.add(where, f"缺少计分项：{'、'.join(missing)}")
    return finding


def _non_negative(raw, where: str, out: _Collector, unit: str) -> Decimal | None:
    number = _number(raw, where, out, what=f"数值{f'（{unit}）' if unit else ''}")
    if number is not None and number < 0:
        out.add(where, f"数值不能为负数：{fmt(number)}")
        return None
    return number


def _formula(indicator: Indicator, value, where: str, out: _Collector) -> Finding | None:
    finding = Finding()
    if not isinstance(value, dict):
        if len(indicator.terms) != 1:
            ids = "、".join(f"“{t.id}”（{t.title}）" for t in indicator.terms)
            out.add(where, f"指标{indicator.id}由 {ids} 计算，请写成 {{\"项目\": 百分比}}")
            return None
        value = {indicator.terms[0].id: value}
    for key, raw in value.items():
        spot = f"{where}.{key}"
        term = indicator.term(key)
        if term is None:
            ids = [t.id for t in indicator.terms]
            out.add(spot, f"指标{indicator.id}没有计算项“{key}”{_suggest(key, ids)}；可用：{'、'.join(ids)}")
            continue
        number = _number(raw, spot, out, what="百分比（0–100）")
        if number is None:
            continue
        if number < 0:
            out.add(spot, f"{term.title}不能为负数：{fmt(number)}%")
            continue
        if number > HUNDRED:
            out.add(spot, f"{term.title}不能超过100%：{fmt(number)}%")
            continue
        finding.values[key] = number
    missing = [t.id for t in indicator.terms if t.id not in value]
    if missing:
        out.add(where, f"缺少计算项：{'、'.join(missing)}")
    return finding


def _entered(indicator: Indicator, value, where: str, out: _Collector) -> Finding | None:
    if isinstance(value, dict):
        if set(value) != {"score"}:
            out.add(where, "应为得分数值，或 {\"score\": 得分, \"note\": \"说明\"}")
            return None
        value = value["score"]
        where = f"{where}.score"
    number = _number(value, where, out, what="得分")
    if number is None:
        return None
    if not 0 <= number <= indicator.max:
        out.add(where, f"指标{indicator.id}得分应在 0–{fmt(indicator.max)} 之间，实为 {fmt(number)}")
        return None
    return Finding(values={"score": number})


def _facts(scheme: Scheme, raw, where: str, out: _Collector) -> dict[str, bool]:
    raw = raw or {}
    if not isinstance(raw, dict):
        out.add(f"{where}.facts", "应为 {\"事实\": true/false}")
        return {}
    facts = {}
    for key, value in raw.items():
        fact = scheme.fact(key)
        if fact is None:
            ids = [f.id for f in scheme.facts]
            out.add(f"{where}.facts.{key}", f"未知的事实{_suggest(key, ids)}；本方案的事实：{'、'.join(ids) or '（无）'}")
        elif not isinstance(value, bool):
            out.add(f"{where}.facts.{key}", f"“{fact.title}”应为 true 或 false")
        else:
            facts[key] = value
    for fact in scheme.facts:
        if fact.id not in facts:
            if fact.default is None:
                out.add(f"{where}.facts.{fact.id}", f"缺少“{fact.title}”（true 或 false）")
            else:
                facts[fact.id] = fact.default
    return facts


def _adjustments(scheme: Scheme, raw, where: str, out: _Collector) -> dict[str, AdjustmentInput]:
    raw = raw or {}
    if not isinstance(raw, dict):
        out.add(f"{where}.adjustments", "应为 {\"加减分项\": {\"national\": 次数}} 或 {\"加减分项\": 分值}")
        return {}
    result = {}
    for key, value in raw.items():
        spot = f"{where}.adjustments.{key}"
        adj = scheme.adjustment(key)
        if adj is None:
            ids = [a.id for a in scheme.adjustments]
            out.add(spot, f"未知的加减分项{_suggest(key, ids)}；本方案的加减分项：{'、'.join(ids) or '（无）'}")
            continue
        item = AdjustmentInput()
        if isinstance(value, dict) and "note" in value:
            item.note = str(value["note"])
            value = {k: v for k, v in value.items() if k != "note"}
        if adj.entered:
            if isinstance(value, dict):
                value = value.get("points")
            points = _number(value, spot, out, what="分值")
            if points is not None and points < 0:
                out.add(spot, f"分值应为非负数（{'加' if adj.sign > 0 else '扣'}分的方向由方案决定）：{fmt(points)}")
                points = None
            item.points = points
        else:
            if not isinstance(value, dict):
                levels = "、".join(f"{k}（{LEVEL_LABELS[k]}）" for k in adj.levels)
                out.add(spot, f"应按级别给出次数，如 {{\"{next(iter(adj.levels))}\": 1}}；级别：{levels}")
                continue
            for level, count in value.items():
                if level not in adj.levels:
                    out.add(f"{spot}.{level}", f"未知的级别；应为 {'、'.join(adj.levels)}")
                    continue
                number = _count(count, f"{spot}.{level}", out)
                if number is not None:
                    item.counts[level] = int(number)
        result[key] = item
    return result


def _proposed_grade(scheme: Scheme, raw, where: str, out: _Collector) -> str | None:
    if raw is None:
        return None
    names = [g.name for g in scheme.grades]
    if scheme.grading == "none":
        out.add(f"{where}.proposed_grade", "本方案不评定等次")
        return None
    if raw not in names:
        out.add(f"{where}.proposed_grade", f"未知的等次“{raw}”；应为 {'、'.join(n for n in names if n)} 之一")
        return None
    return raw


def _problem_items(raw, where: str, out: _Collector) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(p, str) and p.strip() for p in raw):
        out.add(f"{where}.problems", "问题详情应为非空文本的列表")
        return []
    return [p.strip() for p in raw]


def _cross_check_best(scheme: Scheme, subjects: list[SubjectInput], out: _Collector) -> None:
    """A `best` given from outside must not be below a value of the same run."""
    for indicator in scheme.indicators:
        if indicator.kind != "comparative" or indicator.method != "value_over_best":
            continue
        for comp_id in {c for s in subjects for c in s.components}:
            for measure in indicator.measures:
                values = [(s, s.components[comp_id].findings.get(indicator.id)) for s in subjects
                          if comp_id in s.components]
                given = [f.values[measure.id] for _s, f in values if f and measure.id in f.values]
                top = max(given, default=None)
                for s, f in values:
                    best = f.best.get(measure.id) if f else None
                    if best is not None and top is not None and best < top:
                        out.add(f"subjects[{s.position}].{indicator.id}.{measure.id}.best",
                                f"所给最高值 {fmt(best)} 小于本次参评单位中的最高值 {fmt(top)}")
