"""Execution (a): one household at a time, with an explanation of every clause.

`evaluate_household(pack, record)` returns one `Decision` per rule: the value, a status (ok, error,
not_applicable), the error message if any, the outcome of each clause, and an explanation tree that
shows each sub-expression with the values compared. A division by zero or a missing value is an
error of that rule for that household, never an exception.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import values as v
from .catalogue import BOOL, CODES, DATE, HOUSEHOLD, NUMBER, PERSON, TEXT, Catalogue
from .check import Agg, Arith, AsOf, Cmp, Const, Field, Func, IfN, InN, Logic, Lookup, Neg, NotN, RuleRef, T
from .errors import InputError
from .model import Pack, Rule

OK, ERROR, NOT_APPLICABLE = "ok", "error", "not_applicable"


@dataclass
class Context:
    household: dict
    members: list[dict]
    rules: dict
    as_of: dt.date | None


# ---- reading input records -----------------------------------------------------------------------

def coerce(value, ftype: str, name: str):
    """One input value in the engine's terms; InputError names the field when it cannot be read."""
    if value is None or value == "":
        return None
    try:
        if ftype == NUMBER:
            if isinstance(value, bool):
                raise ValueError
            number = v.number(value)
            if abs(number) >= v.LIMIT:
                raise InputError(f"{name}: {value!r} is too large (limit 10^9) / 数值过大")
            return number
        if ftype == BOOL:
            if isinstance(value, bool):
                return value
            if value in (0, 1):
                return bool(value)
            raise ValueError
        if ftype == DATE:
            return v.to_date(value)
        if ftype == CODES:
            if isinstance(value, str):
                return tuple(x for x in value.replace("，", ",").split(",") if x)
            if isinstance(value, (list, tuple)):
                return tuple(str(x) for x in value)
            raise ValueError
        if ftype == TEXT:
            if isinstance(value, (dict, list, bool)):
                raise ValueError
            return str(value)
    except (ValueError, TypeError, ArithmeticError):
        raise InputError(f"{name}: cannot read {value!r} as {ftype} / 无法按{ftype}读取") from None
    return value


def prepare(record: dict, catalogue: Catalogue, fields: set[tuple[str, str]]) -> tuple[dict, list[dict]]:
    """The household and its members with exactly the fields `fields`, typed."""
    if not isinstance(record, dict):
        raise InputError("a household must be a JSON object / 每行应为一个JSON对象")
    household = {}
    for entity, name in fields:
        if entity == HOUSEHOLD:
            household[name] = coerce(record.get(name), catalogue.get(HOUSEHOLD, name).type, name)
    raw_members = record.get("members") or []
    if not isinstance(raw_members, list):
        raise InputError("members must be a list / members 应为列表")
    members = []
    for i, raw in enumerate(raw_members):
        if not isinstance(raw, dict):
            raise InputError(f"members[{i}] must be an object / 成员应为对象")
        member = {}
        for entity, name in fields:
            if entity == PERSON:
                member[name] = coerce(raw.get(name), catalogue.get(PERSON, name).type, f"members[{i}].{name}")
        members.append(member)
    return household, members


# ---- one expression ------------------------------------------------------------------------------

def scalar(node: T, household: dict, members, rules: dict, as_of, person: dict | None = None):
    """The value of `node` (no explanation); used for constant folding and the fast path."""
    return _eval(node, Context(household, members or [], rules, as_of), person, False)[0]


def jsonable(value):
    if isinstance(value, v.Err):
        return {"error": value.message}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _eval(node: T, ctx: Context, person, explain: bool):  # noqa: C901 - one dispatch over the tree
    def ev(child, who=person):
        return _eval(child, ctx, who, explain)

    kids: list = []
    extra: dict = {}
    if isinstance(node, Const):
        value = node.value
        if explain and node.label:
            return value, {"expr": node.label, "value": jsonable(value)}
        return value, None
    if isinstance(node, Field):
        source = person if node.entity == PERSON else ctx.household
        value = source.get(node.name)
        if explain and node.entity == HOUSEHOLD:
            return value, {"expr": node.name, "label": node.spec.label, "value": jsonable(value)}
        return value, None
    if isinstance(node, AsOf):
        return ctx.as_of, None
    if isinstance(node, RuleRef):
        value = ctx.rules.get(node.rule)
        if isinstance(value, v.Err):
            value = v.Err(f"depends on rules.{node.rule} / 依赖的规则出错: {value.message}")
        return value, ({"expr": f"rules.{node.rule}", "value": jsonable(value)} if explain else None)
    if isinstance(node, Neg):
        x, e = ev(node.operand)
        value, kids = v.negate(x), [e]
    elif isinstance(node, NotN):
        x, e = ev(node.operand)
        value, kids = v.logic_not(x), [e]
    elif isinstance(node, Arith):
        (x, ex), (y, ey) = ev(node.left), ev(node.right)
        value, kids = v.arith(node.op, x, y, node.message), [ex, ey]
    elif isinstance(node, Cmp):
        (x, ex), (y, ey) = ev(node.left), ev(node.right)
        value, kids = v.compare(node.op, x, y), [ex, ey]
        extra = {"left": jsonable(x), "op": node.op, "right": jsonable(y)}
    elif isinstance(node, Logic):
        # every side is evaluated for the explanation; the value follows the left-to-right rules
        (x, ex), (y, ey) = ev(node.left), ev(node.right)
        combine = v.logic_and if node.op == "and" else v.logic_or
        value, kids = combine(x, lambda: y), [ex, ey]
    elif isinstance(node, InN):
        (x, ex), (y, ey) = ev(node.item), ev(node.container)
        value, kids = v.contains(x, y, node.negate), [ex, ey]
        extra = {"item": jsonable(x), "op": "not in" if node.negate else "in", "list": jsonable(y)}
    elif isinstance(node, IfN):
        c, ec = ev(node.cond)
        if isinstance(c, v.Err) or c is None:
            value, kids = c, [ec]
        else:
            branch, eb = ev(node.then if c else node.other)
            value, kids = branch, [ec, eb]
    elif isinstance(node, Func):
        pairs = [ev(arg) for arg in node.args]
        args = [p[0] for p in pairs]
        kids = [p[1] for p in pairs]
        name = node.name
        if name in ("min", "max"):
            value = v.extreme(name, args)
        elif name in ("abs", "ceil", "floor", "round"):
            value = v.unary_math(name, args[0], node.digits)
        elif name == "coalesce":
            value = v.coalesce(args)
        elif name == "known":
            value = v.known(args[0])
        elif name == "age":
            value = v.age(args[0], args[1])
        elif name == "year":
            value = v.year_of(args[0])
        elif name == "overlaps":
            value = v.overlaps(args[0], args[1])
        else:  # pragma: no cover
            raise AssertionError(name)
    elif isinstance(node, Lookup):
        key, ek = ev(node.key)
        value, kids = v.lookup(node.table, key, node.default, node.message), [ek]
    elif isinstance(node, Agg):
        pairs = []
        member_values = []
        for member in ctx.members:
            cond = _eval(node.where, ctx, member, False)[0] if node.where is not None else True
            val = _eval(node.expr, ctx, member, False)[0] if node.expr is not None else True
            pairs.append((cond, val))
            member_values.append(jsonable(val) if cond is True else None)
        value = v.aggregate(node.kind, pairs)
        extra = {"members": member_values}
    else:  # pragma: no cover
        raise AssertionError(type(node))
    if not explain:
        return value, None
    out = {"expr": _text(node, ctx), "value": jsonable(value)}
    out.update(extra)
    kids = [k for k in kids if k]
    if kids:
        out["children"] = kids
    return value, out


def _text(node: T, ctx: Context) -> str:
    return getattr(node, "text", "") or ""


# ---- one rule, one household -----------------------------------------------------------------------

@dataclass
class Decision:
    rule: str
    kind: str
    status: str
    value: object = None
    error: str | None = None
    clauses: dict = field(default_factory=dict)
    explanation: list = field(default_factory=list)
    reasons: list = field(default_factory=list)

    def as_dict(self, *, explain: bool = True) -> dict:
        out = {"status": self.status, "value": jsonable(self.value) if self.status == OK else None}
        if self.kind == "amount" and self.status == OK:
            out["value"] = v.money(self.value)
        if self.error:
            out["error"] = self.error
        out["clauses"] = {k: jsonable(c) for k, c in self.clauses.items()}
        if explain:
            out["reasons"] = self.reasons
            out["explanation"] = self.explanation
        return out


def missing_message(rule: Rule, household: dict, members: list[dict]) -> str:
    names = []
    for entity, name in sorted(rule.fields):
        if entity == HOUSEHOLD and household.get(name) is None:
            names.append(name)
        elif entity == PERSON and any(m.get(name) is None for m in members):
            names.append(f"members.{name}")
    listed = ", ".join(names) if names else "?"
    return f"missing value / 缺少数据: {listed}"


def _status(rule: Rule, value, household, members) -> tuple[str, object, str | None]:
    if isinstance(value, v.Err):
        return ERROR, None, value.message
    if value is None:
        return ERROR, None, missing_message(rule, household, members)
    return OK, value, None


def _mark(value) -> str:
    if isinstance(value, v.Err):
        return "出错 error"
    if value is None:
        return "缺数据 unknown"
    return "成立 yes" if value else "不成立 no"


def decide(rule: Rule, ctx: Context, explain: bool = True) -> Decision:
    household, members = ctx.household, ctx.members
    missing = [name for name in rule.requires if household.get(name) is None]
    if missing:
        return Decision(rule.id, rule.kind, NOT_APPLICABLE,
                        reasons=[f"不适用 not applicable: 未提供 {', '.join(missing)}"])
    clause_values = {}
    explanation = []
    reasons = []
    for clause in rule.clauses:
        value, tree = _eval(clause.expr, ctx, None, explain)
        clause_values[clause.id] = value
        if explain:
            explanation.append({"clause": clause.id, "title": clause.title, "value": jsonable(value), "tree": tree})
            label = clause.title or clause.id
            if clause.value is not None and clause.value not in label:
                label = f"{clause.value}（{label}）"
            reasons.append(f"{label}：{_mark(value)}（{clause.source}）")
    if rule.kind == "classify":
        value = rule.otherwise
        for clause in reversed(rule.clauses):
            c = clause_values[clause.id]
            value = v.if_(c, lambda clause=clause: clause.value, lambda value=value: value)
    else:
        cond = None
        for i, clause in enumerate(rule.clauses):
            c = clause_values[clause.id]
            if i == 0:
                cond = c
            elif rule.mode == "all":
                cond = v.logic_and(cond, lambda c=c: c)
            else:
                cond = v.logic_or(cond, lambda c=c: c)
        if rule.kind == "flag":
            value = cond
        else:
            amount, tree = _eval(rule.amount.expr, ctx, None, explain)
            if explain:
                explanation.append({"amount": rule.amount.source, "value": jsonable(amount), "tree": tree})
            value = amount if not rule.clauses else v.if_(cond, lambda: amount, lambda: 0.0)
    status, value, error = _status(rule, value, household, members)
    if explain:
        if status == OK:
            shown = f"{v.money(value)} {rule.unit}".strip() if rule.kind == "amount" else jsonable(value)
            reasons.append(f"结论 result: {rule.title or rule.id} = {shown}")
        else:
            reasons.append(f"无法判定 cannot decide: {error}")
    return Decision(rule.id, rule.kind, status, value, error, clause_values, explanation, reasons)


def evaluate_household(pack: Pack, record: dict, *, as_of: dt.date | None = None, explain: bool = True,
                       rules: list[str] | None = None) -> dict[str, Decision]:
    """Every rule of `pack` (or the named ones and what they depend on) for one household record."""
    fields = set()
    for rule in pack.rules:
        fields |= rule.fields
        fields |= {(HOUSEHOLD, name) for name in rule.requires}
    household, members = prepare(record, pack.catalogue, fields)
    ctx = Context(household, members, {}, as_of or pack.default_as_of())
    wanted = _closure(pack, rules)
    out = {}
    for rule in pack.rules:
        if wanted is not None and rule.id not in wanted:
            continue
        decision = decide(rule, ctx, explain)
        out[rule.id] = decision
        if decision.status == OK:
            ctx.rules[rule.id] = decision.value
        elif decision.status == ERROR:
            ctx.rules[rule.id] = v.Err(decision.error)
        else:
            ctx.rules[rule.id] = None
    return out


def _closure(pack: Pack, rules: list[str] | None) -> set[str] | None:
    if not rules:
        return None
    wanted: set[str] = set()
    todo = list(rules)
    while todo:
        rid = todo.pop()
        if rid in wanted:
            continue
        wanted.add(rid)
        todo.extend(pack.rule(rid).depends)
    return wanted
