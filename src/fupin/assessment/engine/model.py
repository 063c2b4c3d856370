"""A scoring scheme (考核方案) as the engine sees it, after its options have been chosen.

A scheme has parts (考核项目 / 考核内容, e.g. 党建工作 20分) holding indicators (考核指标). An
indicator is one of four kinds:

* ``deduction`` — starts at its maximum and loses points per clause (每发现一处扣1分, 未完成一项扣0.5分,
  每少1次扣1分 ...), each clause with its own cap, the indicator's deductions capped as a whole and the
  score floored at 0 (扣至0分为止);
* ``comparative`` — proportional to the best of a comparison set (最多的单位得3分，其他按比例递减) or to
  the rank in it (由高到低排名，按比例得分), over one or several measures;
* ``formula`` — a weighted sum of percentages (满意度 = 所驻村满意度 × 4 + 贫困户满意度 × 4);
* ``entered`` — points the assessor gives between 0 and the maximum (criteria without a rule).

Around the indicators: components weighted into a composite (省级抽考 80% + 县级考核 20%), bonus and
penalty adjustments (加分、扣分), facts about the subject (全面完成当年脱贫任务), vetoes and
disqualifiers (一票否决、取消评优资格、直接定为不合格), grade bands with quotas and score caps, and the
ranking rule for ties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

LEVEL_LABELS = {"national": "国家级", "provincial": "省级", "city": "市级", "county": "县级"}
EFFECT_LABELS = {
    "no_award": "取消评优资格",
    "accountability": "启动问责",
    "interview": "约谈党政主要领导并限期整改",
    "circulate": "全县通报批评",
}
KINDS = ("deduction", "comparative", "formula", "entered")


@dataclass(frozen=True)
class Cite:
    seed: str
    quote: str

    def as_dict(self) -> dict:
        return {"seed": self.seed, "quote": self.quote}


@dataclass(frozen=True)
class Clause:
    """One way to lose points inside a deduction indicator.

    Exactly one of: ``per`` (points per occurrence; the finding is a count), ``points`` (a fixed
    deduction; the finding is true/false), ``per`` with ``at_least`` (per missing unit below a
    required number; the finding is the actual number)."""

    id: str
    title: str
    per: Decimal | None = None
    points: Decimal | None = None
    at_least: Decimal | None = None
    cap: Decimal | None = None
    max_count: Decimal | None = None
    active: bool = True
    note: str = ""

    @property
    def input(self) -> str:
        if self.points is not None:
            return "flag"
        if self.at_least is not None:
            return "actual"
        return "count"


@dataclass(frozen=True)
class Measure:
    """One ranking or comparison inside a comparative indicator."""

    id: str
    title: str
    points: Decimal
    unit: str = ""


@dataclass(frozen=True)
class Term:
    """One percentage in a formula indicator: ``percent / 100 × factor``."""

    id: str
    title: str
    factor: Decimal


@dataclass(frozen=True)
class Exemption:
    id: str
    title: str


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    max: Decimal
    kind: str
    part_id: str
    criterion: str = ""
    clauses: tuple[Clause, ...] = ()
    cap: Decimal | None = None  # at most this much deducted in all (default: the maximum)
    exemption: Exemption | None = None
    measures: tuple[Measure, ...] = ()
    method: str = "value_over_best"  # comparative: value_over_best | rank
    terms: tuple[Term, ...] = ()
    cites: tuple[Cite, ...] = ()
    note: str = ""
    source: str = ""  # where the scoring rule comes from (data source column, 数据来源)

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def measure(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    def term(self, term_id: str) -> Term | None:
        return next((t for t in self.terms if t.id == term_id), None)


@dataclass(frozen=True)
class Part:
    id: str
    title: str
    max: Decimal
    indicators: tuple[Indicator, ...]
    weight: Decimal | None = None  # percent of the total when the scheme is weighted
    scale_items: bool = False  # items do not add up to the part's maximum: scale them to it

    @property
    def items_max(self) -> Decimal:
        return sum((i.max for i in self.indicators), Decimal(0))


@dataclass(frozen=True)
class Component:
    """One assessment whose result enters the composite with a weight (e.g. 省级抽考 80%)."""

    id: str
    title: str
    weight: Decimal  # a fraction: 0.8
    indicators: tuple[str, ...] | None = None  # None: all of them
    rescale: bool = True  # scale a subset's points to the scheme's maximum before weighting


@dataclass(frozen=True)
class Adjustment:
    """Bonus (sign +1) or penalty (sign -1) points outside the table: 加分项、扣分项."""

    id: str
    title: str
    sign: int
    levels: dict[str, Decimal] = field(default_factory=dict)  # empty: the assessor enters the points
    per_occurrence: bool = True
    active: bool = True
    cites: tuple[Cite, ...] = ()
    note: str = ""

    @property
    def entered(self) -> bool:
        return not self.levels


@dataclass(frozen=True)
class Fact:
    id: str
    title: str
    default: bool | None = None  # None: must be given
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class Veto:
    """A condition with consequences: 一票否决, 取消评优资格, 直接定为不合格."""

    id: str
    title: str
    when_fact: str = ""  # "fact" holds, or "!fact" does not
    when_adjustments: tuple[str, ...] = ()
    at_least: int = 1
    when_grade: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    grade: str = ""  # a grade the condition imposes (直接定为不合格)
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class GradeBand:
    name: str
    min_score: Decimal | None = None  # inclusive
    max_score: Decimal | None = None  # the score cap for this grade (分值不超过)
    quota: Fraction | None = None  # share of the group, e.g. 3/10 or 1/3
    quota_kind: str = "max"  # max (不超过) | about (约为)
    takes_rest: bool = False  # an "about" band that absorbs the remainder after rounding
    requires: tuple[str, ...] = ()  # facts that must be true ("!fact": must be false)
    award: bool = False  # an award grade: vetoes with no_award skip it
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class Option:
    id: str
    title: str
    type: str  # choice | number
    default: object
    choices: dict[str, str] = field(default_factory=dict)  # value -> description
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    decision: str = ""  # docs/decisions/<file>
    note: str = ""

    def describe(self, value) -> str:
        if self.type == "choice":
            return self.choices.get(str(value), str(value))
        return str(value)


@dataclass(frozen=True)
class Scheme:
    id: str
    version: int
    title: str
    short_title: str
    issuer: str
    year: int
    jurisdiction: str
    subject: str  # team | township | department
    max: Decimal
    parts: tuple[Part, ...]
    options: dict[str, Option]
    chosen: dict[str, object]
    components: tuple[Component, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    facts: tuple[Fact, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    grades: tuple[GradeBand, ...] = ()
    grading: str = "none"  # none | by_score | by_rank
    grade_caps: str = "clamp"  # clamp | flag
    grade_rounding: str = "none"  # none | integer: round the score before comparing with bands
    quota_rounding: str = "floor"  # for "max" quotas: floor | round
    veto_blocks_award: bool = True
    weighted: bool = False  # total = Σ part score / part max × part weight
    total_floor: Decimal | None = None
    total_cap: Decimal | None = None
    allow_not_assessed: bool = False
    not_assessed: str = "rescale"  # rescale | full_marks
    comparison_set: str = "run"  # run | group
    rank_formula: str = "top_full_last_share"
    tie_rule: str = "listing_order"  # listing_order | shared
    min_problem_items: int = 0
    cites: tuple[Cite, ...] = ()
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    path: str = ""
    digest: str = ""

    @property
    def indicators(self) -> list[Indicator]:
        return [i for p in self.parts for i in p.indicators]

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)

    def adjustment(self, adjustment_id: str) -> Adjustment | None:
        return next((a for a in self.adjustments if a.id == adjustment_id), None)

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)

    def component(self, component_id: str) -> Component | None:
        return next((c for c in self.components if c.id == component_id), None)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"
