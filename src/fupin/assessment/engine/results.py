"""What a run produces: every subject's score with its explanation, indicator by indicator."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .model import EFFECT_LABELS, Scheme
from .numbers import as_float


@dataclass
class Line:
    """One clause, measure or term of an indicator and what it contributed."""

    id: str
    title: str
    points: Decimal
    text: str
    counted: bool = True

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "points": as_float(self.points), "text": self.text,
                "counted": self.counted}


@dataclass
class IndicatorResult:
    id: str
    title: str
    part_id: str
    kind: str
    max: Decimal
    score: Decimal | None
    assessed: bool
    lines: list[Line]
    explanation: str
    note: str = ""

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "part": self.part_id, "kind": self.kind,
                "max": as_float(self.max), "score": as_float(self.score), "assessed": self.assessed,
                "explanation": self.explanation, "lines": [line.as_dict() for line in self.lines],
                "note": self.note}


@dataclass
class PartResult:
    id: str
    title: str
    max: Decimal
    score: Decimal

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "max": as_float(self.max), "score": as_float(self.score)}


@dataclass
class ComponentResult:
    id: str
    title: str
    weight: Decimal
    given: bool
    score: Decimal
    explanation: str
    parts: list[PartResult] = field(default_factory=list)
    indicators: list[IndicatorResult] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "weight": as_float(self.weight), "given": self.given,
                "score": as_float(self.score), "explanation": self.explanation,
                "parts": [p.as_dict() for p in self.parts], "indicators": [i.as_dict() for i in self.indicators]}


@dataclass
class AdjustmentLine:
    id: str
    title: str
    points: Decimal
    occurrences: int
    text: str

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "points": as_float(self.points),
                "occurrences": self.occurrences, "text": self.text}


@dataclass
class VetoLine:
    id: str
    title: str
    effects: list[str]
    grade: str
    text: str

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "effects": self.effects,
                "effect_labels": [EFFECT_LABELS[e] for e in self.effects], "grade": self.grade, "text": self.text}


@dataclass
class SubjectResult:
    position: int
    id: str
    name: str
    group: str
    facts: dict[str, bool]
    components: list[ComponentResult]
    base: Decimal
    adjustments: list[AdjustmentLine]
    score: Decimal
    steps: list[str]
    problem_items: list[str]
    proposed_grade: str | None = None
    rank: int | None = None
    tied_with: list[str] = field(default_factory=list)
    grade: str | None = None
    grade_explanation: str = ""
    vetoes: list[VetoLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def effects(self) -> list[str]:
        seen: list[str] = []
        for veto in self.vetoes:
            seen += [e for e in veto.effects if e not in seen]
        return seen

    @property
    def no_award(self) -> bool:
        return "no_award" in self.effects

    @property
    def indicators(self) -> list[IndicatorResult]:
        return [i for c in self.components for i in c.indicators]

    def indicator(self, indicator_id: str, component: str | None = None) -> IndicatorResult | None:
        for comp in self.components:
            if component is not None and comp.id != component:
                continue
            for result in comp.indicators:
                if result.id == indicator_id:
                    return result
        return None

    def as_dict(self) -> dict:
        return {
            "id": self.id, "name": self.name, "group": self.group, "position": self.position,
            "score": as_float(self.score), "base": as_float(self.base), "rank": self.rank, "tied_with": self.tied_with,
            "grade": self.grade, "grade_explanation": self.grade_explanation, "proposed_grade": self.proposed_grade,
            "steps": self.steps, "components": [c.as_dict() for c in self.components],
            "adjustments": [a.as_dict() for a in self.adjustments], "vetoes": [v.as_dict() for v in self.vetoes],
            "effects": [EFFECT_LABELS[e] for e in self.effects], "facts": self.facts,
            "problem_items": self.problem_items, "problems": self.problems,
        }


@dataclass
class RunResult:
    scheme: Scheme
    subjects: list[SubjectResult]
    problems: list[str] = field(default_factory=list)

    def subject(self, subject_id: str) -> SubjectResult:
        return next(s for s in self.subjects if s.id == subject_id)

    def ranking(self) -> list[SubjectResult]:
        return sorted(self.subjects, key=lambda s: (s.group, s.rank or 0, s.position))

    def as_dict(self) -> dict:
        s = self.scheme
        return {
            "scheme": {"id": s.id, "version": s.version, "title": s.title, "digest": s.digest},
            "options": {name: str(value) for name, value in s.chosen.items()},
            "subjects": [x.as_dict() for x in self.ranking()],
            "problems": self.problems,
        }
