"""Ranking with the documents' tie rule, and grade bands with quotas, score caps and vetoes."""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .model import EFFECT_LABELS, GradeBand, Scheme
from .numbers import fmt
from .results import VetoLine


def fact_holds(facts: dict[str, bool], name: str) -> bool:
    """`name` is a fact that must be true, or "!fact" that must be false."""
    if name.startswith("!"):
        return not facts.get(name[1:], False)
    return bool(facts.get(name, False))


def fact_text(scheme: Scheme, name: str) -> str:
    fact = scheme.fact(name.lstrip("!"))
    title = fact.title if fact else name.lstrip("!")
    return f"未{title}" if name.startswith("!") else title


def _groups(subjects) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for subject in subjects:
        groups[subject.group].append(subject)
    return groups


def apply_ranking(scheme: Scheme, subjects) -> None:
    """Rank within each group, highest score first.

    ``listing_order`` (附件3: 相同分数的排在前面的名次靠前): equal scores keep the order in which the
    subjects were listed and get distinct ranks; ``shared``: equal scores share the better rank
    (1, 1, 3). Either way every tie is named in ``tied_with`` so that it can be reviewed."""
    for members in _groups(subjects).values():
        ordered = sorted(members, key=lambda s: (-s.score, s.position))
        for index, subject in enumerate(ordered):
            equal = [o for o in ordered if o is not subject and o.score == subject.score]
            subject.tied_with = [o.name for o in equal]
            if scheme.tie_rule == "shared":
                subject.rank = 1 + sum(1 for o in ordered if o.score > subject.score)
            else:
                subject.rank = index + 1


def quota_counts(scheme: Scheme, n: int) -> dict[str, int]:
    """How many of `n` subjects each band may take (by_rank grading).

    "max" quotas (不超过 30%) are rounded down (or half-up, by option); "about" quotas (约 5%) half-up;
    the band marked ``takes_rest`` gets what is left, never less than zero."""
    counts: dict[str, int] = {}
    for band in scheme.grades:
        if band.takes_rest:
            continue
        exact = band.quota * n  # a Fraction: 1/3 of 24 is exactly 8
        if band.quota_kind == "max" and scheme.quota_rounding == "floor":
            counts[band.name] = math.floor(exact)
        else:
            counts[band.name] = math.floor(exact + Fraction(1, 2))
    rest_band = next(b for b in scheme.grades if b.takes_rest)
    left = n
    for band in scheme.grades:  # in order: a later band gives way when the earlier ones used everything
        if band.takes_rest:
            continue
        counts[band.name] = min(counts[band.name], left)
        left -= counts[band.name]
    counts[rest_band.name] = left
    return counts


def _eligible(scheme: Scheme, band: GradeBand, subject, score: Decimal) -> bool:
    if band.min_score is not None and score < band.min_score:
        return False
    if not all(fact_holds(subject.facts, f) for f in band.requires):
        return False
    return not (band.award and scheme.veto_blocks_award and subject.no_award)


def _comparable(scheme: Scheme, score: Decimal) -> Decimal:
    if scheme.grade_rounding == "integer":
        return score.to_integral_value(rounding=ROUND_HALF_UP)
    return score


def _why_not(scheme: Scheme, band: GradeBand, subject, score: Decimal) -> str:
    if band.min_score is not None and score < band.min_score:
        return f"未达到“{band.name}”的 {fmt(band.min_score)} 分"
    missing = [f for f in band.requires if not fact_holds(subject.facts, f)]
    if missing:
        return "“" + "、".join(fact_text(scheme, f) for f in missing) + f"”不成立，不能评为“{band.name}”"
    return f"因一票否决或取消评优资格，不能评为“{band.name}”"


def apply_grades(scheme: Scheme, subjects) -> list[str]:
    """Grade every subject; returns run-level problems (quotas exceeded by proposed grades)."""
    problems: list[str] = []
    if scheme.grading == "none":
        return problems
    for subject in subjects:
        imposed = next((v.grade for v in subject.vetoes if v.grade), "")
        if imposed:
            subject.grade = imposed
            subject.grade_explanation = f"直接定为“{imposed}”：" + "、".join(v.title for v in subject.vetoes if v.grade)
    free = [s for s in subjects if s.grade is None]
    proposed = any(s.proposed_grade for s in free)
    if proposed:
        problems += _check_proposed(scheme, free)
    elif scheme.grading == "by_score":
        for subject in free:
            _grade_by_score(scheme, subject)
    else:
        for group, members in _groups(free).items():
            _grade_by_rank(scheme, group, members)
    for subject in subjects:
        _caps(scheme, subject, flag=proposed or scheme.grade_caps == "flag")
        for veto in scheme.vetoes:
            if veto.when_grade and subject.grade in veto.when_grade:
                consequences = "、".join(EFFECT_LABELS[e] for e in veto.effects)
                subject.vetoes.append(VetoLine(veto.id, veto.title, list(veto.effects), veto.grade,
                                               f"考核等次为“{subject.grade}” → {consequences}"))
    return problems


def _grade_by_score(scheme: Scheme, subject) -> None:
    score = _comparable(scheme, subject.score)
    reasons = []
    for band in scheme.grades:
        if _eligible(scheme, band, subject, score):
            subject.grade = band.name
            if band.min_score is not None:
                reasons.append(f"得分 {fmt(subject.score)}"
                               + (f"（取整为 {fmt(score)}）" if score != subject.score else "")
                               + f" 不低于 {fmt(band.min_score)} 分")
            if band.requires:
                reasons.append("“" + "、".join(fact_text(scheme, f) for f in band.requires) + "”成立")
            if not reasons:
                reasons.append("不符合以上各等次的条件")
            subject.grade_explanation = "；".join(reasons) + f" → “{band.name}”"
            return
        reasons.append(_why_not(scheme, band, subject, score))


def _grade_by_rank(scheme: Scheme, group: str, members: list) -> None:
    counts = quota_counts(scheme, len(members))
    left = dict(counts)
    ordered = sorted(members, key=lambda s: (s.rank or 0, s.position))
    n = len(members)
    quota_text = "、".join(f"“{b.name or '—'}” {counts[b.name]} 个" for b in scheme.grades)
    for subject in ordered:
        skipped = []
        for band in scheme.grades:
            if left[band.name] <= 0:
                continue
            if not _eligible(scheme, band, subject, subject.score):
                skipped.append(_why_not(scheme, band, subject, subject.score))
                continue
            left[band.name] -= 1
            subject.grade = band.name
            break
        else:
            subject.grade = scheme.grades[-1].name
        where = f"{group or '本组'}共 {n} 个，按比例可评 {quota_text}"
        subject.grade_explanation = f"第 {subject.rank} 名；{where}" + (f"；{'；'.join(skipped)}" if skipped else "") \
            + f" → “{subject.grade or '—'}”"


def _caps(scheme: Scheme, subject, *, flag: bool) -> None:
    """A grade's score cap (“好”分值不超过97分): the score is reported at the cap, or flagged."""
    band = next((b for b in scheme.grades if b.name == subject.grade), None)
    if band is None or band.max_score is None or subject.score <= band.max_score:
        return
    if not flag:
        subject.steps.append(f"“{band.name}”分值不超过 {fmt(band.max_score)} 分：{fmt(subject.score)} 按 "
                             f"{fmt(band.max_score)} 分上报")
        subject.score = band.max_score
    else:
        subject.problems.append(f"“{band.name}”分值不超过 {fmt(band.max_score)} 分，现为 {fmt(subject.score)} 分")


def _check_proposed(scheme: Scheme, subjects) -> list[str]:
    """Proposed grades (a county's report) checked against the bands, quotas and caps; kept as proposed."""
    problems = []
    for subject in subjects:
        subject.grade = subject.proposed_grade
        band = next(b for b in scheme.grades if b.name == subject.grade)
        subject.grade_explanation = f"拟定等次“{subject.grade}”"
        if scheme.grading == "by_score":
            probe = _ProbeSubject(subject)
            _grade_by_score(scheme, probe)
            if probe.grade != subject.grade:
                subject.problems.append(f"拟定等次“{subject.grade}”与规则不符：{probe.grade_explanation}")
        if band.min_score is not None and _comparable(scheme, subject.score) < band.min_score:
            subject.problems.append(f"“{band.name}”要求不低于 {fmt(band.min_score)} 分，现为 {fmt(subject.score)} 分")
    if scheme.grading == "by_rank":
        for group, members in _groups(subjects).items():
            counts = quota_counts(scheme, len(members))
            for band in scheme.grades:
                if band.quota_kind != "max":
                    continue
                used = sum(1 for s in members if s.grade == band.name)
                if used > counts[band.name]:
                    share = fmt(Decimal(band.quota.numerator) * 100 / band.quota.denominator)
                    problems.append(f"{group or '本组'}共 {len(members)} 个，“{band.name}”不超过 {share}%"
                                    f"（{counts[band.name]} 个），拟定了 {used} 个")
    return problems


class _ProbeSubject:
    """A stand-in used to compute the rule's grade without touching the real result."""

    def __init__(self, subject):
        self.score = subject.score
        self.facts = subject.facts
        self.no_award = subject.no_award
        self.grade = None
        self.grade_explanation = ""
