"""What a loaded pack is: parameters and compiled rules, ready for any of the three executions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .catalogue import Catalogue
from .check import IfN, Logic, T


@dataclass(frozen=True)
class Cite:
    """Where a rule or parameter comes from: a seed document and a quote `grep -F` finds in one line."""

    seed: str
    quote: str
    note: str = ""

    def as_dict(self) -> dict:
        out = {"seed": self.seed, "quote": self.quote}
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Parameter:
    name: str
    type: str  # money, number, integer, rate, bool, text, choice, date, list, table
    value: object
    title: str = ""
    unit: str = ""
    cite: list[Cite] = field(default_factory=list)
    choices: tuple = ()
    decision: str = ""  # docs/decisions/... note for an option chosen where the documents are ambiguous
    note: str = ""
    origin: str = ""  # the pack id that set this value
    line: int = 0
    file: str = ""

    def content(self) -> dict:
        out = {"type": self.type, "value": self.value, "title": self.title, "unit": self.unit,
               "cite": [c.as_dict() for c in self.cite]}
        for key in ("choices", "decision", "note"):
            if getattr(self, key):
                out[key] = list(self.choices) if key == "choices" else getattr(self, key)
        return out


@dataclass
class Clause:
    """One named condition of a rule (or one case of a classification)."""

    id: str
    title: str
    source: str
    expr: T
    cite: list[Cite] = field(default_factory=list)
    value: str | None = None  # for a classification case: the class it assigns


@dataclass
class Rule:
    id: str
    title: str
    kind: str  # flag | amount | classify
    mode: str  # all | any (how clauses combine; a single `when` is one clause)
    clauses: list[Clause]
    amount: Clause | None = None
    otherwise: str | None = None
    requires: list[str] = field(default_factory=list)
    unit: str = ""
    cite: list[Cite] = field(default_factory=list)
    decision: str = ""
    origin: str = ""
    line: int = 0
    file: str = ""
    depends: set[str] = field(default_factory=set)
    fields: set[tuple[str, str]] = field(default_factory=set)  # every field it reads, through other rules too
    raw: dict = field(default_factory=dict)  # the rule as written, for diff and show

    @property
    def output_type(self) -> str:
        return {"flag": "bool", "amount": "number", "classify": "text"}[self.kind]

    def condition(self) -> T | None:
        """The clauses joined by and/or (left to right), or None when the rule has no condition."""
        if not self.clauses or self.kind == "classify":
            return None
        node = self.clauses[0].expr
        for clause in self.clauses[1:]:
            node = Logic(node.start, clause.expr.end, "bool", "and" if self.mode == "all" else "or", node,
                         clause.expr)
        return node

    def value_tree(self) -> T:
        """One expression giving the rule's value, the same for every execution."""
        from .check import Const

        if self.kind == "flag":
            return self.condition()
        if self.kind == "amount":
            cond = self.condition()
            if cond is None:
                return self.amount.expr
            return IfN(0, 0, "number", cond, self.amount.expr, Const(0, 0, "number", 0.0))
        node: T = Const(0, 0, "text", self.otherwise)
        for case in reversed(self.clauses):
            node = IfN(0, 0, "text", case.expr, Const(0, 0, "text", case.value), node)
        return node


@dataclass
class Pack:
    id: str
    version: int
    title: str
    jurisdiction: str  # 12-digit area code
    jurisdiction_name: str
    years: tuple[int, int]
    status: str  # draft | published
    extends: str | None
    parameters: dict[str, Parameter]
    rules: list[Rule]  # in evaluation order (a rule after the rules it reads)
    catalogue: Catalogue
    inputs: dict[tuple[str, str], object] = field(default_factory=dict)  # fields the pack adds
    file: str = ""
    content_hash: str = ""  # hash of this file's content
    fingerprint: str = ""  # hash of the resolved pack (with its ancestors): what a decision records
    chain: list[str] = field(default_factory=list)  # this pack and its ancestors, nearest first

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def default_as_of(self) -> dt.date:
        value = self.parameters.get("reference_date")
        if value is not None and isinstance(value.value, dt.date):
            return value.value
        return dt.date(self.years[1], 12, 31)

    def covers(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]
