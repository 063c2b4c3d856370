"""The plain-text rendering of a run: what `fupin assess score` prints without --json."""

from __future__ import annotations

from .model import Scheme
from .numbers import fmt
from .results import RunResult


def scheme_summary(scheme: Scheme) -> str:
    lines = [f"{scheme.id}（第{scheme.version}版）{scheme.title}",
             f"  发文：{scheme.issuer}；年度 {scheme.year}；满分 {fmt(scheme.max)}；指标 {len(scheme.indicators)} 项"]
    for part in scheme.parts:
        ids = "、".join(i.id for i in part.indicators)
        lines.append(f"  {part.title}（{fmt(part.max)}分）：{ids}")
    for warning in scheme.warnings:
        lines.append(f"  注意：{warning}")
    for name, opt in scheme.options.items():
        lines.append(f"  选项 {name} = {scheme.chosen[name]}：{opt.title}（默认 {opt.default}）")
    return "\n".join(lines)


def run_text(run: RunResult, *, every_indicator: bool = False) -> str:
    """The ranking with each subject's score explained; full-mark indicators summed up unless asked."""
    scheme = run.scheme
    out = [f"{scheme.title}（{scheme.id} 第{scheme.version}版）"]
    changed = {k: v for k, v in scheme.chosen.items() if v != scheme.options[k].default}
    if changed:
        out.append("选项：" + "；".join(f"{k} = {v}" for k, v in changed.items()))
    group = None
    for subject in run.ranking():
        if subject.group != group:
            group = subject.group
            if group:
                out.append(f"\n【{group}】")
        tie = f"（与 {'、'.join(subject.tied_with)} 同分）" if subject.tied_with else ""
        grade = f"  等次：{subject.grade or '—'}" if scheme.grading != "none" else ""
        out.append(f"\n第{subject.rank}名  {subject.name}  {fmt(subject.score)} 分{grade}{tie}")
        for component in subject.components:
            if component.id:
                out.append(f"  ■ {component.title}（权重 {fmt(component.weight * 100)}%）：{fmt(component.score)} 分")
            full = [i for i in component.indicators if i.assessed and i.score == i.max and not i.note]
            for indicator in component.indicators:
                if indicator in full and not every_indicator:
                    continue
                got = fmt(indicator.score) if indicator.assessed else "不考评"
                out.append(f"    {indicator.id:>4} {indicator.title} {got}/{fmt(indicator.max)}：{indicator.explanation}")
                if indicator.note:
                    out.append(f"         说明：{indicator.note}")
            if full and not every_indicator:
                out.append(f"    其余 {len(full)} 项得满分：{'、'.join(i.id for i in full)}")
            if component.indicators or component.id:
                out.append(f"    {component.explanation}")
        for adjustment in subject.adjustments:
            out.append(f"  ± {adjustment.text}")
        for step in subject.steps:
            out.append(f"  = {step}")
        if subject.grade_explanation:
            out.append(f"  等次：{subject.grade_explanation}")
        for veto in subject.vetoes:
            out.append(f"  ! {veto.text}")
        for problem in subject.problems:
            out.append(f"  ✗ {problem}")
    for problem in run.problems:
        out.append(f"✗ {problem}")
    return "\n".join(out)
