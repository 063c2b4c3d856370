"""Scoring one run: every subject indicator by indicator, then composite, adjustments, vetoes, ranking
and grades. Pure: a scheme and plain data in, a `RunResult` that explains itself out."""

from __future__ import annotations

from decimal import Decimal

from .findings import ComponentInput, Finding, SubjectInput, parse_run
from .grading import apply_grades, apply_ranking, fact_holds, fact_text
from .model import EFFECT_LABELS, LEVEL_LABELS, Component, Indicator, Scheme
from .numbers import HUNDRED, ZERO, fmt, q2
from .results import (
    AdjustmentLine,
    ComponentResult,
    IndicatorResult,
    Line,
    PartResult,
    RunResult,
    SubjectResult,
    VetoLine,
)

# --- computing ---------------------------------------------------------------------------------

def score_run(scheme: Scheme, data) -> RunResult:
    """Score every subject of `data` (see findings.parse_run) under `scheme`; InputError on bad input."""
    subjects = parse_run(scheme, data)
    components = scheme.components or (Component("", "", Decimal(1), None, False),)
    results: dict[str, list[ComponentResult]] = {s.id: [] for s in subjects}
    for comp in components:
        stats = _comparison_sets(scheme, comp, subjects)
        for subject in subjects:
            results[subject.id].append(_component(scheme, comp, subject, stats))
    run = RunResult(scheme, [])
    for subject in subjects:
        run.subjects.append(_finish(scheme, subject, results[subject.id]))
    apply_ranking(scheme, run.subjects)
    run.problems += apply_grades(scheme, run.subjects)
    for result in run.subjects:
        if scheme.min_problem_items and len(result.problem_items) < scheme.min_problem_items:
            result.problems.append(f"问题详情不少于{scheme.min_problem_items}条，现有{len(result.problem_items)}条，"
                                   "考核情况报告不能上报")
    return run


def _indicators_of(scheme: Scheme, comp: Component) -> list[Indicator]:
    return [i for i in scheme.indicators if comp.indicators is None or i.id in comp.indicators]


def _comparison_sets(scheme: Scheme, comp: Component, subjects: list[SubjectInput]) -> dict:
    """(indicator, measure, set key) -> values of the subjects that were assessed on it."""
    stats: dict[tuple[str, str, str], list[Decimal]] = {}
    for indicator in _indicators_of(scheme, comp):
        if indicator.kind != "comparative":
            continue
        for subject in subjects:
            inp = subject.components.get(comp.id)
            finding = inp.findings.get(indicator.id) if inp else None
            if finding is None or finding.not_assessed:
                continue
            key = subject.group if scheme.comparison_set == "group" else ""
            for measure in indicator.measures:
                if measure.id in finding.values:
                    stats.setdefault((indicator.id, measure.id, key), []).append(finding.values[measure.id])
    return stats


def _component(scheme: Scheme, comp: Component, subject: SubjectInput, stats: dict) -> ComponentResult:
    inp: ComponentInput = subject.components[comp.id]
    if inp.score is not None:
        return ComponentResult(comp.id, comp.title, comp.weight, True, q2(inp.score),
                               f"{comp.title}结果 {fmt(inp.score)} 分（直接填报）")
    set_key = subject.group if scheme.comparison_set == "group" else ""
    indicators = [_indicator(scheme, ind, inp.findings.get(ind.id), stats, set_key)
                  for ind in _indicators_of(scheme, comp)]
    parts, raw, assessed_max, full_max = _parts(scheme, indicators)
    score, why = raw, []
    if comp.indicators is not None and comp.rescale and assessed_max:
        score = raw * scheme.max / assessed_max
        why.append(f"抽考 {len(indicators)} 项指标满分 {fmt(assessed_max)}，得 {fmt(raw)}，"
                   f"折算为百分制：{fmt(raw)} ÷ {fmt(assessed_max)} × {fmt(scheme.max)} = {fmt(score)}")
    elif assessed_max and assessed_max != full_max and scheme.not_assessed == "rescale":
        score = raw * full_max / assessed_max
        why.append(f"不涉及的指标不考评：参评指标满分 {fmt(assessed_max)}，得 {fmt(raw)}，"
                   f"折算：{fmt(raw)} ÷ {fmt(assessed_max)} × {fmt(full_max)} = {fmt(score)}")
    else:
        why.append(f"各项得分合计 {fmt(raw)} 分（满分 {fmt(full_max)}）")
    title = comp.title or scheme.short_title
    return ComponentResult(comp.id, title, comp.weight, False, q2(score), "；".join(why), parts, indicators)


def _parts(scheme: Scheme, indicators: list[IndicatorResult]):
    """Part scores; the raw total (summed or weighted), its maximum as assessed and in full."""
    parts = []
    raw = assessed_max = full_max = ZERO
    for part in scheme.parts:
        mine = [r for r in indicators if r.part_id == part.id]
        if not mine:
            continue
        factor = part.max / part.items_max if part.scale_items else Decimal(1)
        got = sum((r.score for r in mine if r.assessed), ZERO) * factor
        p_assessed = sum((r.max for r in mine if r.assessed), ZERO) * factor
        p_full = sum((r.max for r in mine), ZERO) * factor
        parts.append(PartResult(part.id, part.title, p_full, q2(got)))
        if scheme.weighted:
            if p_assessed:
                raw += got / p_assessed * part.weight
                assessed_max += part.weight
            full_max += part.weight
        else:
            raw += got
            assessed_max += p_assessed
            full_max += p_full
    if scheme.weighted:
        # Weighted points are on the scheme's scale (weights are percent of the maximum).
        raw, assessed_max, full_max = (x * scheme.max / HUNDRED for x in (raw, assessed_max, full_max))
    return parts, raw, assessed_max, full_max


def _indicator(scheme: Scheme, ind: Indicator, finding: Finding | None, stats: dict, set_key: str) -> IndicatorResult:
    if finding is not None and finding.not_assessed:
        if scheme.not_assessed == "full_marks":
            return IndicatorResult(ind.id, ind.title, ind.part_id, ind.kind, ind.max, ind.max, True, [],
                                   f"不涉及本单位，按满分 {fmt(ind.max)} 计", finding.note)
        return IndicatorResult(ind.id, ind.title, ind.part_id, ind.kind, ind.max, None, False, [],
                               "不涉及本单位，不考评", finding.note)
    compute = {"deduction": _deduction, "comparative": _comparative, "formula": _formula, "entered": _entered}
    score, lines, explanation = compute[ind.kind](ind, finding or Finding(), stats, set_key, scheme.rank_formula)
    return IndicatorResult(ind.id, ind.title, ind.part_id, ind.kind, ind.max, q2(score), True, lines, explanation,
                           finding.note if finding else "")


def _deduction(ind: Indicator, finding: Finding, _stats, _key, _formula_name):
    lines = []
    total = ZERO
    for clause in ind.clauses:
        value = finding.values.get(clause.id)
        if value is None or value is False or (value == 0 and clause.input == "count"):
            continue
        if clause.input == "flag":
            points, text = clause.points, f"{clause.title}：扣 {fmt(clause.points)} 分"
        elif clause.input == "actual":
            missing = max(ZERO, clause.at_least - value)
            if not missing:
                continue
            points = missing * clause.per
            text = (f"{clause.title}：应不少于 {fmt(clause.at_least)}，实际 {fmt(value)}，"
                    f"少 {fmt(missing)} × {fmt(clause.per)} 分 = 扣 {fmt(points)} 分")
        else:
            points = value * clause.per
            text = f"{clause.title}：{fmt(value)} × {fmt(clause.per)} 分 = 扣 {fmt(points)} 分"
        if clause.cap is not None and points > clause.cap:
            text += f"，本条最多扣 {fmt(clause.cap)} 分"
            points = clause.cap
        if not clause.active:
            lines.append(Line(clause.id, clause.title, ZERO, text + "（按所选口径不计）", counted=False))
            continue
        lines.append(Line(clause.id, clause.title, -points, text))
        total += points
    if finding.exempt and ind.exemption is not None:
        for line in lines:
            line.counted, line.points = False, ZERO
        exempt = f"经核实“{ind.exemption.title}”，不予扣减，得 {fmt(ind.max)} 分"
        return ind.max, lines, exempt
    if not lines or not total:
        return ind.max, lines, f"未发现扣分情形，得满分 {fmt(ind.max)} 分"
    parts = [line.text for line in lines]
    if len([line for line in lines if line.counted]) > 1:
        parts.append(f"扣分合计 {fmt(total)} 分")
    if ind.cap is not None and total > ind.cap:
        parts.append(f"最多扣 {fmt(ind.cap)} 分")
        total = ind.cap
    score = ind.max - total
    if score < 0:
        parts.append(f"扣至0分为止（{fmt(ind.max)} − {fmt(total)} < 0）")
        score = ZERO
    parts.append(f"{fmt(ind.max)} − {fmt(total)} = {fmt(score)} 分" if score > 0 else "得 0 分")
    return score, lines, "；".join(parts)


def _comparative(ind: Indicator, finding: Finding, stats: dict, key: str, rank_formula: str):
    lines = []
    total = ZERO
    for measure in ind.measures:
        unit = measure.unit
        if measure.id in finding.rank:
            rank, n = finding.rank[measure.id]
            points, how = _rank_points(rank_formula, measure.points, rank, n, outside=True)
            lines.append(Line(measure.id, measure.title, points, f"{measure.title}：{how}"))
            total += points
            continue
        value = finding.values[measure.id]
        pool = stats.get((ind.id, measure.id, key), [value])
        if ind.method == "rank":
            rank = 1 + sum(1 for v in pool if v > value)
            points, how = _rank_points(rank_formula, measure.points, rank, len(pool))
            text = f"{measure.title} {fmt(value)}{unit}，{how}"
        else:
            given = finding.best.get(measure.id)
            best = given if given is not None else max(pool)
            where = "所给比较范围内最高" if given is not None else f"本次参评{len(pool)}个单位中最高"
            if best == 0:
                points, text = ZERO, f"{measure.title} {fmt(value)}{unit}；{where}值为0，本项不得分"
            else:
                points = q2(measure.points * value / best)
                text = (f"{measure.title} {fmt(value)}{unit}，{where} {fmt(best)}{unit}："
                        f"{fmt(measure.points)} × {fmt(value)} ÷ {fmt(best)} = {fmt(points)} 分")
        lines.append(Line(measure.id, measure.title, points, text))
        total += points
    explanation = "；".join(line.text for line in lines)
    if len(lines) > 1:
        explanation += f"；合计 {fmt(total)} 分"
    return total, lines, explanation


def _rank_points(formula: str, points: Decimal, rank: int, n: int, *, outside: bool = False):
    """Rank-proportional points: the first gets all; the last gets 1/n of them (or nothing)."""
    where = f"在{n}个单位中排第{rank}名" + ("（外部排名）" if outside else "")
    if formula == "top_full_last_zero":
        got = points if n == 1 else q2(points * (n - rank) / (n - 1))
        return got, f"{where}：{fmt(points)} × ({n}−{rank}) ÷ ({n}−1) = {fmt(got)} 分"
    got = q2(points * (n - rank + 1) / n)
    return got, f"{where}：{fmt(points)} × ({n}−{rank}+1) ÷ {n} = {fmt(got)} 分"


def _formula(ind: Indicator, finding: Finding, _stats, _key, _formula_name):
    lines = []
    total = ZERO
    for term in ind.terms:
        pct = finding.values[term.id]
        points = pct / HUNDRED * term.factor
        lines.append(Line(term.id, term.title, points, f"{term.title} {fmt(pct)}% × {fmt(term.factor)} 分"))
        total += points
    total = min(q2(total), ind.max)
    explanation = " + ".join(line.text for line in lines)
    explanation += " = " + " + ".join(fmt(line.points) for line in lines) + f" = {fmt(total)} 分"
    return total, lines, explanation


def _entered(ind: Indicator, finding: Finding, _stats, _key, _formula_name):
    score = finding.values["score"]
    return score, [], f"考核组评定 {fmt(score)} 分（满分 {fmt(ind.max)}）"


def _finish(scheme: Scheme, subject: SubjectInput, components: list[ComponentResult]) -> SubjectResult:
    steps = []
    if scheme.components:
        base = q2(sum((c.score * c.weight for c in components), ZERO))
        terms = " + ".join(f"{c.title} {fmt(c.score)} × {fmt(c.weight * HUNDRED)}%" for c in components)
        values = " + ".join(fmt(c.score * c.weight) for c in components)
        steps.append(f"综合得分 = {terms} = {values} = {fmt(base)} 分")
    else:
        base = components[0].score
        steps.append(f"考核得分 {fmt(base)} 分")
    adjustments = []
    for adj in scheme.adjustments:
        given = subject.adjustments.get(adj.id)
        if given is None:
            continue
        word = "加" if adj.sign > 0 else "扣"
        if adj.entered:
            if not given.points:
                continue
            points = given.points * adj.sign if adj.active else ZERO
            text = f"{adj.title}：{word} {fmt(given.points)} 分" + (f"（{given.note}）" if given.note else "")
            adjustments.append(AdjustmentLine(adj.id, adj.title, points, 1, text))
            continue
        for level, count in given.counts.items():
            if not count:
                continue
            each = adj.levels[level]
            times = count if adj.per_occurrence else 1
            points = each * times * adj.sign if adj.active else ZERO
            if adj.per_occurrence:
                text = f"{adj.title}（{LEVEL_LABELS[level]}）{count} 次 × {fmt(each)} 分 = {word} {fmt(each * count)} 分"
            else:
                text = f"{adj.title}（{LEVEL_LABELS[level]}）{count} 次，按级别计一次：{word} {fmt(each)} 分"
            if not adj.active:
                text += "（按所选口径不计分，仍计入次数）"
            adjustments.append(AdjustmentLine(adj.id, adj.title, points, count, text))
    score = base + sum((a.points for a in adjustments), ZERO)
    if adjustments:
        steps.append(f"加减分：{fmt(base)} " + " ".join(
            ("+ " if a.points >= 0 else "− ") + fmt(abs(a.points)) for a in adjustments) + f" = {fmt(score)} 分")
    if scheme.total_floor is not None and score < scheme.total_floor:
        steps.append(f"总分不低于 {fmt(scheme.total_floor)} 分")
        score = scheme.total_floor
    if scheme.total_cap is not None and score > scheme.total_cap:
        steps.append(f"总分不超过 {fmt(scheme.total_cap)} 分")
        score = scheme.total_cap
    result = SubjectResult(subject.position, subject.id, subject.name, subject.group, subject.facts, components,
                           base, adjustments, q2(score), steps, subject.problems, subject.proposed_grade)
    _vetoes_before_grading(scheme, subject, result)
    return result


def _vetoes_before_grading(scheme: Scheme, subject: SubjectInput, result: SubjectResult) -> None:
    for veto in scheme.vetoes:
        if veto.when_fact:
            if fact_holds(subject.facts, veto.when_fact):
                result.vetoes.append(_veto_line(veto, fact_text(scheme, veto.when_fact)))
        elif veto.when_adjustments:
            count = sum(sum(subject.adjustments[a].counts.values()) for a in veto.when_adjustments
                        if a in subject.adjustments)
            if count >= veto.at_least:
                result.vetoes.append(_veto_line(veto, f"{veto.title}：共 {count} 次"))


def _veto_line(veto, why: str) -> VetoLine:
    consequences = [EFFECT_LABELS[e] for e in veto.effects] + ([f"直接定为“{veto.grade}”"] if veto.grade else [])
    return VetoLine(veto.id, veto.title, list(veto.effects), veto.grade, f"{why} → {'、'.join(consequences)}")
