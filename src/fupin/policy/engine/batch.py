"""Execution (b): the same rules over a whole frame of households, compiled to Polars expressions.

Every typed expression compiles to a pair (value, error): `error` is a text column that is set where
the one-household evaluator would give an `Err` (division by zero, a missing table entry), and is
`None` at compile time when the expression can never fail. Member aggregates are computed once per
household with a group-by over the persons frame and joined back. The output has, per rule, the value,
the status (ok / error / not_applicable), the error message, and each clause's outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from . import values as v
from .catalogue import BOOL, CODES, DATE, HOUSEHOLD, NUMBER, PERSON, TEXT, Catalogue
from .check import (
    Agg,
    Arith,
    AsOf,
    Cmp,
    Const,
    Field,
    Func,
    IfN,
    InN,
    Logic,
    Lookup,
    Neg,
    NotN,
    RuleRef,
    T,
)
from .errors import InputError
from .evaluate import prepare
from .model import Pack, Rule

ID, KEY = "id", "household_id"
DTYPES = {NUMBER: pl.Float64, BOOL: pl.Boolean, DATE: pl.Date, TEXT: pl.String, CODES: pl.List(pl.String)}


def snap(expr: pl.Expr) -> pl.Expr:
    # Polars' round(6) is (x·10⁶).round_ties_even() / 10⁶ element by element — the same as values.snap
    # (a division by a literal would be turned into a multiplication by its reciprocal).
    return pl.when(expr.abs() < v.BIG).then(expr.round(6)).otherwise(expr)


def _coalesce_err(*errs):
    errs = [e for e in errs if e is not None]
    if not errs:
        return None
    return errs[0] if len(errs) == 1 else pl.coalesce(errs)


MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _column_free(expr: pl.Expr) -> bool:
    """True for an expression that reads no column (a literal, or arithmetic over literals)."""
    return not expr.meta.root_names()


def _lit(value, type_: str) -> pl.Expr:
    if isinstance(value, tuple):
        return pl.lit(list(value))
    return pl.lit(value, dtype=DTYPES.get(type_))


@dataclass
class _Aggs:
    """Member aggregates collected while compiling: computed in one group-by."""

    member_cols: list = field(default_factory=list)  # per-person columns
    group_cols: list = field(default_factory=list)  # per-household aggregates
    finals: dict = field(default_factory=dict)  # id(node) → (value expr, err expr) at household level
    null_flags: set = field(default_factory=set)  # person fields whose "any member missing" flag is needed


class Compiler:
    def __init__(self, as_of: dt.date):
        self.as_of = as_of
        self.aggs = _Aggs()

    def compile(self, node: T, scope: str = HOUSEHOLD):  # noqa: C901 - one dispatch over the tree
        c = lambda n: self.compile(n, scope)  # noqa: E731
        if isinstance(node, Const):
            return _lit(node.value, node.type), None
        if isinstance(node, Field):
            return pl.col(node.name), None
        if isinstance(node, AsOf):
            return pl.lit(self.as_of, dtype=pl.Date), None
        if isinstance(node, RuleRef):
            err = pl.col(f"__r_{node.rule}__err")
            prefixed = pl.when(err.is_not_null()).then(
                pl.concat_str([pl.lit(f"depends on rules.{node.rule} / 依赖的规则出错: "), err]))
            return pl.col(f"__r_{node.rule}"), prefixed
        if isinstance(node, Neg):
            x, ex = c(node.operand)
            return snap(-x), ex
        if isinstance(node, NotN):
            x, ex = c(node.operand)
            return x.not_(), ex
        if isinstance(node, Arith):
            (x, ex), (y, ey) = c(node.left), c(node.right)
            if node.op == "/":
                zero = y == 0
                value = pl.when(zero).then(None).otherwise(snap(x / y))
                div = pl.when(x.is_not_null() & zero).then(pl.lit(node.message))
                return value, _coalesce_err(ex, ey, div)
            raw = x + y if node.op == "+" else (x - y if node.op == "-" else x * y)
            return snap(raw), _coalesce_err(ex, ey)
        if isinstance(node, Cmp):
            (x, ex), (y, ey) = c(node.left), c(node.right)
            op = node.op
            if _column_free(x) and not _column_free(y):
                # Polars' in-memory engine returns one row instead of the frame's height for `literal <op>
                # when(...)` when the when() picks a literal branch on every row (e.g. `1 < count_members()`
                # with no persons at all); the mirrored comparison is the same test and broadcasts correctly.
                x, y, op = y, x, MIRRORED[op]
            ops = {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y, "==": x == y, "!=": x != y}
            return ops[op], _coalesce_err(ex, ey)
        if isinstance(node, Logic):
            (x, ex), (y, ey) = c(node.left), c(node.right)
            if node.op == "and":
                value, decided = x & y, x.fill_null(True).not_()
            else:
                value, decided = x | y, x.fill_null(False)
            if ex is None and ey is None:
                return value, None
            err = pl.when(decided).then(None).otherwise(ey) if ey is not None else None
            if ex is not None:
                err = pl.when(ex.is_not_null()).then(ex).otherwise(err) if err is not None else ex
            return value, err
        if isinstance(node, InN):
            (x, ex), (y, ey) = c(node.item), c(node.container)
            if node.container.type == CODES:
                found = y.list.contains(x)
                value = pl.when(x.is_null() | y.is_null()).then(None).otherwise(found)
            else:
                value = pl.when(x.is_null()).then(None).otherwise(x.is_in(list(node.container.value)))
            return (value.not_() if node.negate else value), _coalesce_err(ex, ey)
        if isinstance(node, IfN):
            (cond, ec), (a, ea), (b, eb) = c(node.cond), c(node.then), c(node.other)
            value = pl.when(cond).then(a).when(cond.not_()).then(b).otherwise(None)
            branch = None
            if ea is not None or eb is not None:
                branch = pl.when(cond).then(ea if ea is not None else pl.lit(None, pl.String)).when(cond.not_()).then(
                    eb if eb is not None else pl.lit(None, pl.String))
            return value, _coalesce_err(ec, branch)
        if isinstance(node, Func):
            return self._func(node, scope)
        if isinstance(node, Lookup):
            key, ek = c(node.key)
            default = pl.lit(None, pl.Float64) if node.default is v.NO_DEFAULT else pl.lit(node.default, pl.Float64)
            value = pl.when(key.is_null()).then(None).otherwise(
                key.replace_strict(node.table, default=default, return_dtype=pl.Float64))
            err = ek
            if node.default is v.NO_DEFAULT:
                miss = pl.when(key.is_not_null() & key.is_in(list(node.table)).not_()).then(pl.lit(node.message))
                err = _coalesce_err(ek, miss)
            return value, err
        if isinstance(node, Agg):
            return self._agg(node)
        raise AssertionError(type(node))  # pragma: no cover

    def _func(self, node: Func, scope: str):
        pairs = [self.compile(arg, scope) for arg in node.args]
        xs = [p[0] for p in pairs]
        err = _coalesce_err(*[p[1] for p in pairs])
        name = node.name
        if name in ("min", "max"):
            anynull = pl.any_horizontal([x.is_null() for x in xs])
            both = pl.min_horizontal(xs) if name == "min" else pl.max_horizontal(xs)
            return pl.when(anynull).then(None).otherwise(both), err
        x = xs[0]
        if name == "abs":
            return x.abs(), err
        if name == "ceil":
            return x.ceil(), err
        if name == "floor":
            return x.floor(), err
        if name == "round":
            rounded = snap(x.round(node.digits, mode="half_away_from_zero"))
            return pl.when(x.abs() < v.BIG).then(rounded).otherwise(x), err
        if name == "coalesce":
            errs = [p[1] for p in pairs]
            if all(e is None for e in errs):
                return pl.coalesce(xs), None
            chain = None
            for x_i, e_i in reversed(list(zip(xs, errs, strict=True))):
                step = pl.when(x_i.is_not_null()).then(pl.lit(None, pl.String))
                if chain is not None:
                    step = step.otherwise(chain)
                if e_i is not None:
                    step = pl.when(e_i.is_not_null()).then(e_i).otherwise(step)
                chain = step
            return pl.coalesce(xs), chain
        if name == "known":
            return x.is_not_null(), err
        if name == "age":
            birth, at = xs
            before = (at.dt.month() < birth.dt.month()) | (
                (at.dt.month() == birth.dt.month()) & (at.dt.day() < birth.dt.day()))
            years = at.dt.year().cast(pl.Float64) - birth.dt.year().cast(pl.Float64)
            return years - pl.when(before).then(1.0).otherwise(0.0), err
        if name == "year":
            return x.dt.year().cast(pl.Float64), err
        if name == "overlaps":
            wanted = list(node.args[1].value)
            hit = x.list.eval(pl.element().is_in(wanted)).list.any()
            return pl.when(x.is_null()).then(None).otherwise(hit), err
        raise AssertionError(name)  # pragma: no cover

    def _agg(self, node: Agg):
        key = id(node)
        if key in self.aggs.finals:
            return self.aggs.finals[key]
        i = len(self.aggs.finals)
        p = f"__a{i}"
        true = pl.lit(True)
        if node.where is not None:
            w, ew = self.compile(node.where, PERSON)
        else:
            w, ew = true, None
        if node.expr is not None:
            x, ex = self.compile(node.expr, PERSON)
        else:
            x, ex = true, None
        w_true = w.fill_null(False)
        member_err = _coalesce_err(ew, pl.when(w_true).then(ex) if ex is not None else None)
        has_err = member_err.is_not_null() if member_err is not None else pl.lit(False)
        unknown = (~has_err) & (w.is_null() | (w_true & x.is_null()))
        included = (~has_err) & w_true & x.is_not_null()
        # element-wise work goes into per-person columns; the group-by then only sums, mins and maxes
        # (Polars' fast path: an expression inside an aggregation is evaluated group by group)
        if node.kind == "any":
            per_person = included & x
        elif node.kind == "all":
            per_person = included & x.not_()
        elif node.kind == "count":
            per_person = included
        elif node.kind == "sum":
            per_person = pl.when(included).then(x).otherwise(0.0)
        else:
            per_person = pl.when(included).then(x).otherwise(None)
        cols = [unknown.alias(f"{p}_u"), per_person.alias(f"{p}_x")]
        if member_err is not None:
            cols.append(member_err.alias(f"{p}_e"))
        self.aggs.member_cols.extend(cols)
        xcol = pl.col(f"{p}_x")
        group = [pl.col(f"{p}_u").sum().alias(f"{p}_nu")]
        if node.kind in ("any", "all"):
            group.append(xcol.sum().alias(f"{p}_nv"))
        elif node.kind == "count":
            group.append(xcol.sum().cast(pl.Float64).alias(f"{p}_nv"))
        elif node.kind == "sum":
            group.append(xcol.sum().alias(f"{p}_nv"))
        else:
            group.append((xcol.min() if node.kind == "min" else xcol.max()).alias(f"{p}_nv"))
        if member_err is not None:
            group.append(pl.col(f"{p}_e").min().alias(f"{p}_ne"))
        self.aggs.group_cols.extend(group)
        nu, nv, present = pl.col(f"{p}_nu"), pl.col(f"{p}_nv"), pl.col("__members").is_not_null()
        if node.kind == "any":
            value = pl.when(~present).then(False).when(nv > 0).then(True).when(nu > 0).then(None).otherwise(False)
        elif node.kind == "all":
            value = pl.when(~present).then(True).when(nv > 0).then(False).when(nu > 0).then(None).otherwise(True)
        elif node.kind in ("count", "sum"):
            nv_ = snap(nv) if node.kind == "sum" else nv
            value = pl.when(~present).then(0.0).when(nu > 0).then(None).otherwise(nv_)
        else:
            value = pl.when(~present).then(None).when(nu > 0).then(None).otherwise(nv)
        err = pl.col(f"{p}_ne") if member_err is not None else None
        self.aggs.finals[key] = (value, err)
        return value, err


# ---- frames ------------------------------------------------------------------------------------------

def needed_fields(pack: Pack, rules: list[Rule]) -> set[tuple[str, str]]:
    fields = set()
    for rule in rules:
        fields |= rule.fields
        fields |= {(HOUSEHOLD, name) for name in rule.requires}
    return fields


def frames_from_records(records: list[dict], catalogue: Catalogue, fields: set[tuple[str, str]]):
    """(households, persons, input errors by household id) from JSON-like records, read like `prepare`."""
    hh_rows, person_rows, errors = [], [], {}
    hh_fields = sorted(n for e, n in fields if e == HOUSEHOLD)
    p_fields = sorted(n for e, n in fields if e == PERSON)
    for index, record in enumerate(records):
        hid = str(record.get(ID, index)) if isinstance(record, dict) else str(index)
        try:
            household, members = prepare(record, catalogue, fields)
        except InputError as exc:
            errors[hid] = str(exc)
            continue
        hh_rows.append({ID: hid, **{n: household[n] for n in hh_fields}})
        for member in members:
            person_rows.append({KEY: hid, **{n: member[n] for n in p_fields}})
    hh_schema = {ID: pl.String, **{n: DTYPES[catalogue.get(HOUSEHOLD, n).type] for n in hh_fields}}
    p_schema = {KEY: pl.String, **{n: DTYPES[catalogue.get(PERSON, n).type] for n in p_fields}}
    households = pl.DataFrame(hh_rows, schema=hh_schema, orient="row") if hh_rows else pl.DataFrame(schema=hh_schema)
    persons = pl.DataFrame(person_rows, schema=p_schema) if person_rows else pl.DataFrame(schema=p_schema)
    return households, persons, errors


def missing_message_expr(rule: Rule) -> pl.Expr:
    parts = []
    for entity, name in sorted(rule.fields):
        if entity == HOUSEHOLD:
            parts.append(pl.when(pl.col(name).is_null()).then(pl.lit(name)))
        else:
            parts.append(pl.when(pl.col(f"__null_{name}").fill_null(False)).then(pl.lit(f"members.{name}")))
    listed = pl.concat_str(parts, separator=", ", ignore_nulls=True) if parts else pl.lit("")
    listed = pl.when(listed.is_null() | (listed == "")).then(pl.lit("?")).otherwise(listed)
    return pl.concat_str([pl.lit("missing value / 缺少数据: "), listed])


def _combine(mode: str, cols: list[tuple[pl.Expr, pl.Expr | None]]):
    value, err = cols[0]
    for x, ex in cols[1:]:
        if mode == "all":
            decided = value.fill_null(True).not_()
            value = value & x
        else:
            decided = value.fill_null(False)
            value = value | x
        step = pl.when(decided).then(None).otherwise(ex) if ex is not None else None
        if err is not None:
            step = pl.when(err.is_not_null()).then(err).otherwise(step) if step is not None else err
        err = step
    return value, err


def run_batch(pack: Pack, households: pl.DataFrame | pl.LazyFrame, persons: pl.DataFrame | pl.LazyFrame | None = None,
              *, as_of: dt.date | None = None, rules: list[str] | None = None, lazy: bool = False):
    """Every rule (or the named ones and what they read) for every household; one row per household."""
    from .evaluate import _closure

    as_of = as_of or pack.default_as_of()
    wanted = _closure(pack, rules)
    chosen = [r for r in pack.rules if wanted is None or r.id in wanted]
    compiler = Compiler(as_of)
    stages = []
    outputs = [pl.col(ID)]
    for rule in chosen:
        exprs = []
        clause_cols = []
        for clause in rule.clauses:
            val, err = compiler.compile(clause.expr)
            name = f"__c_{rule.id}.{clause.id}"
            exprs.append(val.alias(name))
            if err is not None:
                exprs.append(err.alias(name + "__err"))
            clause_cols.append((pl.col(name), pl.col(name + "__err") if err is not None else None, clause))
        stages.append(exprs)
        value, err = _rule_value(rule, clause_cols, compiler)
        na = pl.any_horizontal([pl.col(n).is_null() for n in rule.requires]) if rule.requires else pl.lit(False)
        rv, re_ = f"__r_{rule.id}", f"__r_{rule.id}__err"
        error = pl.when(na).then(None).otherwise(err if err is not None else pl.lit(None, pl.String))
        # a missing value gets a placeholder here; the message naming the missing fields is written in a
        # second pass over the (usually few) rows that need it
        final_err = pl.when(error.is_not_null()).then(error).when(~na & value.is_null()).then(
            pl.lit(placeholder(rule.id))).otherwise(None)
        stages.append([pl.when(na).then(None).otherwise(value).alias(rv), final_err.alias(re_)])
        status = pl.when(na).then(pl.lit("not_applicable")).when(pl.col(re_).is_not_null()).then(
            pl.lit("error")).otherwise(pl.lit("ok"))
        # a rule that failed has no value; clauses keep their own outcome (None where they failed)
        outputs.append(pl.when(pl.col(re_).is_null()).then(pl.col(rv)).alias(rule.id))
        outputs.append(status.alias(f"{rule.id}__status"))
        outputs.append(pl.col(re_).alias(f"{rule.id}__error"))
        for col, cerr, clause in clause_cols:
            shown = col if cerr is None else pl.when(cerr.is_null()).then(col)
            outputs.append(pl.when(na).then(None).otherwise(shown).alias(f"{rule.id}.{clause.id}"))
    fields = needed_fields(pack, chosen)
    frame = _normalise(households.lazy() if isinstance(households, pl.DataFrame) else households, pack, fields,
                       HOUSEHOLD)
    inputs = frame
    plazy = None
    if persons is not None:
        plazy = _normalise(persons.lazy() if isinstance(persons, pl.DataFrame) else persons, pack, fields, PERSON)
        grouped = plazy.with_columns(compiler.aggs.member_cols).group_by(KEY).agg(
            [pl.len().alias("__members"), *compiler.aggs.group_cols])
        frame = frame.join(grouped, left_on=ID, right_on=KEY, how="left")
    else:
        frame = frame.with_columns(pl.lit(None, pl.UInt32).alias("__members"))
    for exprs in stages:
        frame = frame.with_columns(exprs)
    result = frame.select(outputs)
    if lazy:
        return result
    return fill_missing_messages(chosen, result.collect(engine="in-memory"), inputs, plazy)


def placeholder(rule_id: str) -> str:
    return f"\x00{rule_id}\x01"


def fill_missing_messages(rules: list[Rule], result: pl.DataFrame, households, persons) -> pl.DataFrame:
    """Replace the missing-value placeholders by messages naming the fields missing in each row."""
    error_cols = [f"{r.id}__error" for r in rules]
    flagged = result.filter(pl.any_horizontal([pl.col(c).str.contains("\x00", literal=True) for c in error_cols]))
    if flagged.is_empty():
        return result
    ids = flagged.select(ID)
    person_fields = sorted({n for r in rules for e, n in r.fields if e == PERSON})
    hh_fields = sorted({n for r in rules for e, n in r.fields if e == HOUSEHOLD})
    hlazy = households.lazy() if isinstance(households, pl.DataFrame) else households
    hlazy = hlazy.select(ID, *hh_fields)
    base = hlazy.join(ids.lazy(), on=ID, how="semi").select(ID, *hh_fields)
    if persons is not None and person_fields:
        plazy = persons.lazy() if isinstance(persons, pl.DataFrame) else persons
        flags = plazy.join(ids.lazy(), left_on=KEY, right_on=ID, how="semi").group_by(KEY).agg(
            [pl.col(n).is_null().any().alias(f"__null_{n}") for n in person_fields])
        base = base.join(flags, left_on=ID, right_on=KEY, how="left")
    else:
        base = base.with_columns([pl.lit(None, pl.Boolean).alias(f"__null_{n}") for n in person_fields])
    messages = base.select(ID, *[missing_message_expr(r).alias(f"__m_{r.id}") for r in rules]).collect(
        engine="in-memory")
    fixed = flagged.join(messages, on=ID, how="left")
    by_id = {r.id: r for r in rules}
    replaced = []
    for rule in rules:
        expr = pl.col(f"{rule.id}__error")
        seen, todo = set(), [rule.id]
        while todo:  # the placeholders that can occur: this rule's and those of the rules it reads
            rid = todo.pop()
            if rid in seen or rid not in by_id:
                continue
            seen.add(rid)
            todo.extend(by_id[rid].depends)
            expr = expr.str.replace(placeholder(rid), pl.col(f"__m_{rid}"), literal=True)
        replaced.append(expr.alias(f"{rule.id}__error"))
    fixed = fixed.with_columns(replaced).select(result.columns)
    return result.update(fixed, on=ID)


def _normalise(frame: pl.LazyFrame, pack: Pack, fields, entity: str) -> pl.LazyFrame:
    """Add absent columns as missing, and hold numbers as the engine does (float, 6 places)."""
    schema = frame.collect_schema()
    exprs = []
    for ent, name in sorted(fields):
        if ent != entity:
            continue
        ftype = pack.catalogue.get(entity, name).type
        if name not in schema:
            exprs.append(pl.lit(None, DTYPES[ftype]).alias(name))
        elif ftype == NUMBER:
            exprs.append(snap(pl.col(name).cast(pl.Float64)).alias(name))
    return frame.with_columns(exprs) if exprs else frame


def _rule_value(rule: Rule, clause_cols, compiler: Compiler):
    if rule.kind == "classify":
        value = pl.lit(rule.otherwise, dtype=pl.String)
        err = None
        for col, cerr, clause in reversed(clause_cols):
            value = pl.when(col).then(pl.lit(clause.value)).when(col.not_()).then(value).otherwise(None)
            branch = pl.when(col.not_()).then(err) if err is not None else None
            err = _coalesce_err(cerr, branch)
        return value, err
    cond = _combine(rule.mode, [(col, cerr) for col, cerr, _ in clause_cols]) if clause_cols else None
    if rule.kind == "flag":
        return cond
    amount, aerr = compiler.compile(rule.amount.expr)
    if cond is None:
        return amount, aerr
    c, ec = cond
    value = pl.when(c).then(amount).when(c.not_()).then(0.0).otherwise(None)
    branch = pl.when(c).then(aerr) if aerr is not None else None
    return value, _coalesce_err(ec, branch)
