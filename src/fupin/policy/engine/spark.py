"""Execution (c): the same rules compiled to Spark column expressions, for national scale.

A line-by-line mirror of `batch.py` (Polars): each expression compiles to (value, error) columns,
member aggregates run as one groupBy over the persons frame joined back to households once. Divisions and
map look-ups are guarded, so the answers do not depend on `spark.sql.ansi.enabled`. PySpark is an
optional dependency: this module is imported only when Spark is asked for.

Frames cross between Polars and Spark as Arrow or Parquet, never as Python rows: at 100,000 households
rows took minutes each way, Arrow and Parquet take seconds (docs/benchmarks.md, "Spark").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as ST

from . import values as v
from .batch import DTYPES, ID, KEY, needed_fields
from .catalogue import BOOL, CODES, DATE, HOUSEHOLD, NUMBER, PERSON, TEXT
from .check import Agg, Arith, AsOf, Cmp, Const, Field, Func, IfN, InN, Logic, Lookup, Neg, NotN, RuleRef, T
from .evaluate import _closure
from .model import Pack, Rule

SPARK_TYPES = {NUMBER: ST.DoubleType(), BOOL: ST.BooleanType(), DATE: ST.DateType(), TEXT: ST.StringType(),
               CODES: ST.ArrayType(ST.StringType())}


def _null_text() -> Column:
    return F.lit(None).cast("string")


def snap(col: Column) -> Column:
    # rint is round half to even, exact, as Python's round() and Polars' round_ties_even
    return F.when(F.abs(col) < v.BIG, F.rint(col * v.SCALE) / v.SCALE).otherwise(col)


def _coalesce_err(*errs):
    errs = [e for e in errs if e is not None]
    if not errs:
        return None
    return errs[0] if len(errs) == 1 else F.coalesce(*errs)


def _lit(value, type_: str) -> Column:
    if type_ == NUMBER:
        return F.lit(float(value)).cast("double")
    if type_ == DATE:
        return F.lit(value).cast("date")
    return F.lit(value)


class SparkCompiler:
    def __init__(self, as_of: dt.date):
        self.as_of = as_of
        self.member_cols: list[Column] = []
        self.group_cols: list[Column] = []
        self.finals: dict = {}

    def compile(self, node: T, scope: str = HOUSEHOLD):  # noqa: C901
        c = lambda n: self.compile(n, scope)  # noqa: E731
        if isinstance(node, Const):
            return _lit(node.value, node.type), None
        if isinstance(node, Field):
            return F.col(node.name), None
        if isinstance(node, AsOf):
            return F.lit(self.as_of).cast("date"), None
        if isinstance(node, RuleRef):
            err = F.col(f"__r_{node.rule}__err")
            prefixed = F.when(err.isNotNull(),
                              F.concat(F.lit(f"depends on rules.{node.rule} / 依赖的规则出错: "), err))
            return F.col(f"__r_{node.rule}"), prefixed
        if isinstance(node, Neg):
            x, ex = c(node.operand)
            return snap(-x), ex
        if isinstance(node, NotN):
            x, ex = c(node.operand)
            return ~x, ex
        if isinstance(node, Arith):
            (x, ex), (y, ey) = c(node.left), c(node.right)
            if node.op == "/":
                zero = y == 0
                value = F.when(zero, F.lit(None).cast("double")).otherwise(snap(x / y))
                div = F.when(x.isNotNull() & zero, F.lit(node.message))
                return value, _coalesce_err(ex, ey, div)
            raw = x + y if node.op == "+" else (x - y if node.op == "-" else x * y)
            return snap(raw), _coalesce_err(ex, ey)
        if isinstance(node, Cmp):
            (x, ex), (y, ey) = c(node.left), c(node.right)
            ops = {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y, "==": x == y, "!=": x != y}
            return ops[node.op], _coalesce_err(ex, ey)
        if isinstance(node, Logic):
            (x, ex), (y, ey) = c(node.left), c(node.right)
            if node.op == "and":
                value, decided = x & y, ~F.coalesce(x, F.lit(True))
            else:
                value, decided = x | y, F.coalesce(x, F.lit(False))
            if ex is None and ey is None:
                return value, None
            err = F.when(decided, _null_text()).otherwise(ey) if ey is not None else None
            if ex is not None:
                err = F.when(ex.isNotNull(), ex).otherwise(err) if err is not None else ex
            return value, err
        if isinstance(node, InN):
            (x, ex), (y, ey) = c(node.item), c(node.container)
            if node.container.type == CODES:
                value = F.when(x.isNull() | y.isNull(), F.lit(None).cast("boolean")).otherwise(F.array_contains(y, x))
            else:
                value = F.when(x.isNull(), F.lit(None).cast("boolean")).otherwise(x.isin(list(node.container.value)))
            return (~value if node.negate else value), _coalesce_err(ex, ey)
        if isinstance(node, IfN):
            (cond, ec), (a, ea), (b, eb) = c(node.cond), c(node.then), c(node.other)
            value = F.when(cond, a).when(~cond, b)
            branch = None
            if ea is not None or eb is not None:
                branch = F.when(cond, ea if ea is not None else _null_text()).when(~cond, eb if eb is not None else _null_text())
            return value, _coalesce_err(ec, branch)
        if isinstance(node, Func):
            return self._func(node, scope)
        if isinstance(node, Lookup):
            key, ek = c(node.key)
            value = None
            for k, number in node.table.items():
                value = F.when(key == k, F.lit(number).cast("double")) if value is None else value.when(
                    key == k, F.lit(number).cast("double"))
            default = None if node.default is v.NO_DEFAULT else node.default
            value = F.when(key.isNull(), F.lit(None).cast("double")).otherwise(
                value.otherwise(F.lit(default).cast("double")))
            err = ek
            if node.default is v.NO_DEFAULT:
                miss = F.when(key.isNotNull() & ~key.isin(list(node.table)), F.lit(node.message))
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
            anynull = xs[0].isNull()
            for x in xs[1:]:
                anynull = anynull | x.isNull()
            both = F.least(*xs) if name == "min" else F.greatest(*xs)
            return F.when(anynull, F.lit(None).cast("double")).otherwise(both), err
        x = xs[0]
        if name == "abs":
            return F.abs(x), err
        if name == "ceil":
            return F.ceil(x).cast("double"), err
        if name == "floor":
            return F.floor(x).cast("double"), err
        if name == "round":
            factor = 10.0 ** node.digits
            y = x * factor
            whole = F.floor(F.abs(y)).cast("double")
            away = F.when(F.abs(y) - whole >= 0.5, whole + 1.0).otherwise(whole)
            rounded = snap(F.when(y < 0, -away).otherwise(away) / factor)
            return F.when(F.abs(x) < v.BIG, rounded).otherwise(x), err
        if name == "coalesce":
            errs = [p[1] for p in pairs]
            if all(e is None for e in errs):
                return F.coalesce(*xs), None
            chain = None
            for x_i, e_i in reversed(list(zip(xs, errs, strict=True))):
                step = F.when(x_i.isNotNull(), _null_text())
                if chain is not None:
                    step = step.otherwise(chain)
                if e_i is not None:
                    step = F.when(e_i.isNotNull(), e_i).otherwise(step)
                chain = step
            return F.coalesce(*xs), chain
        if name == "known":
            return x.isNotNull(), err
        if name == "age":
            birth, at = xs
            before = (F.month(at) < F.month(birth)) | ((F.month(at) == F.month(birth)) & (F.dayofmonth(at) < F.dayofmonth(birth)))
            years = F.year(at).cast("double") - F.year(birth).cast("double")
            return years - F.when(before, 1.0).otherwise(0.0), err
        if name == "year":
            return F.year(x).cast("double"), err
        if name == "overlaps":
            wanted = F.array(*[F.lit(code) for code in node.args[1].value])
            return F.when(x.isNull(), F.lit(None).cast("boolean")).otherwise(F.arrays_overlap(x, wanted)), err
        raise AssertionError(name)  # pragma: no cover

    def _agg(self, node: Agg):
        key = id(node)
        if key in self.finals:
            return self.finals[key]
        p = f"__a{len(self.finals)}"
        true = F.lit(True)
        w, ew = self.compile(node.where, PERSON) if node.where is not None else (true, None)
        x, ex = self.compile(node.expr, PERSON) if node.expr is not None else (true, None)
        w_true = F.coalesce(w, F.lit(False))
        member_err = _coalesce_err(ew, F.when(w_true, ex) if ex is not None else None)
        has_err = member_err.isNotNull() if member_err is not None else F.lit(False)
        unknown = (~has_err) & (w.isNull() | (w_true & x.isNull()))
        included = (~has_err) & w_true & x.isNotNull()
        self.member_cols += [unknown.alias(f"{p}_u"), included.alias(f"{p}_i"), x.alias(f"{p}_x")]
        if member_err is not None:
            self.member_cols.append(member_err.alias(f"{p}_e"))
        inc, xcol = F.col(f"{p}_i"), F.col(f"{p}_x")
        count_of = lambda cond: F.sum(F.when(cond, 1).otherwise(0))  # noqa: E731
        group = [count_of(F.col(f"{p}_u")).alias(f"{p}_nu")]
        if node.kind == "any":
            group.append(count_of(inc & xcol).alias(f"{p}_nv"))
        elif node.kind == "all":
            group.append(count_of(inc & ~xcol).alias(f"{p}_nv"))
        elif node.kind == "count":
            group.append(count_of(inc).cast("double").alias(f"{p}_nv"))
        elif node.kind == "sum":
            group.append(F.sum(F.when(inc, xcol).otherwise(0.0)).alias(f"{p}_nv"))
        else:
            kept = F.when(inc, xcol)
            group.append((F.min(kept) if node.kind == "min" else F.max(kept)).alias(f"{p}_nv"))
        if member_err is not None:
            group.append(F.min(F.col(f"{p}_e")).alias(f"{p}_ne"))
        self.group_cols += group
        nu, nv, present = F.col(f"{p}_nu"), F.col(f"{p}_nv"), F.col("__members").isNotNull()
        if node.kind == "any":
            value = F.when(~present, False).when(nv > 0, True).when(nu > 0, F.lit(None).cast("boolean")).otherwise(False)
        elif node.kind == "all":
            value = F.when(~present, True).when(nv > 0, False).when(nu > 0, F.lit(None).cast("boolean")).otherwise(True)
        elif node.kind in ("count", "sum"):
            nv_ = snap(nv) if node.kind == "sum" else nv
            value = F.when(~present, 0.0).when(nu > 0, F.lit(None).cast("double")).otherwise(nv_)
        else:
            value = F.when(~present | (nu > 0), F.lit(None).cast("double")).otherwise(nv)
        err = F.col(f"{p}_ne") if member_err is not None else None
        self.finals[key] = (value, err)
        return value, err


def _missing_message(rule: Rule) -> Column:
    parts = []
    for entity, name in sorted(rule.fields):
        if entity == HOUSEHOLD:
            parts.append(F.when(F.col(name).isNull(), F.lit(name)))
        else:
            parts.append(F.when(F.coalesce(F.col(f"__null_{name}"), F.lit(False)), F.lit(f"members.{name}")))
    listed = F.concat_ws(", ", *parts) if parts else F.lit("")
    return F.concat(F.lit("missing value / 缺少数据: "), F.when(listed == "", F.lit("?")).otherwise(listed))


def _combine(mode: str, cols):
    value, err = cols[0]
    for x, ex in cols[1:]:
        if mode == "all":
            decided, value = ~F.coalesce(value, F.lit(True)), value & x
        else:
            decided, value = F.coalesce(value, F.lit(False)), value | x
        step = F.when(decided, _null_text()).otherwise(ex) if ex is not None else None
        if err is not None:
            step = F.when(err.isNotNull(), err).otherwise(step) if step is not None else err
        err = step
    return value, err


def _rule_value(rule: Rule, clause_cols, compiler: SparkCompiler):
    if rule.kind == "classify":
        value = F.lit(rule.otherwise)
        err = None
        for col, cerr, clause in reversed(clause_cols):
            value = F.when(col, F.lit(clause.value)).when(~col, value)
            err = _coalesce_err(cerr, F.when(~col, err) if err is not None else None)
        return value, err
    cond = _combine(rule.mode, [(col, cerr) for col, cerr, _ in clause_cols]) if clause_cols else None
    if rule.kind == "flag":
        return cond
    amount, aerr = compiler.compile(rule.amount.expr)
    if cond is None:
        return amount, aerr
    c, ec = cond
    value = F.when(c, amount).when(~c, F.lit(0.0))
    return value, _coalesce_err(ec, F.when(c, aerr) if aerr is not None else None)


def _normalise(frame: DataFrame, pack: Pack, fields, entity: str) -> DataFrame:
    # one select rather than a withColumn per field: each withColumn is one more plan node to analyse
    present = set(frame.columns)
    changed: dict[str, Column] = {}
    for ent, name in sorted(fields):
        if ent != entity:
            continue
        ftype = pack.catalogue.get(entity, name).type
        if name not in present:
            changed[name] = F.lit(None).cast(SPARK_TYPES[ftype])
        elif ftype == NUMBER:
            changed[name] = snap(F.col(name).cast("double"))
    if not changed:
        return frame
    kept = [F.col(c) for c in frame.columns if c not in changed]
    return frame.select(*kept, *[col.alias(name) for name, col in changed.items()])


def _levels(rules: list[Rule]) -> list[list[Rule]]:
    """The rules grouped by how deep they depend on each other: a rule's level is one more than the
    deepest rule it reads. One select per level instead of one per rule keeps the plan shallow."""
    by_id = {r.id: r for r in rules}
    level: dict[str, int] = {}

    def depth(rule: Rule) -> int:
        if rule.id not in level:  # the pack loader refuses cycles
            level[rule.id] = 1 + max((depth(by_id[d]) for d in rule.depends if d in by_id), default=-1)
        return level[rule.id]

    for rule in rules:
        depth(rule)
    grouped: list[list[Rule]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for rule in rules:
        grouped[level[rule.id]].append(rule)
    return grouped


def _rule_columns(rule: Rule, compiler: SparkCompiler):
    """(clause columns, rule value/error columns, output columns) of one rule."""
    exprs, clause_cols = [], []
    for clause in rule.clauses:
        val, err = compiler.compile(clause.expr)
        name = f"__c_{rule.id}__{clause.id}"
        exprs.append(val.alias(name))
        if err is not None:
            exprs.append(err.alias(name + "__err"))
        clause_cols.append((F.col(name), F.col(name + "__err") if err is not None else None, clause))
    value, err = _rule_value(rule, clause_cols, compiler)
    na = F.lit(False)
    for name in rule.requires:
        na = na | F.col(name).isNull()
    rv, re_ = f"__r_{rule.id}", f"__r_{rule.id}__err"
    error = F.when(na, _null_text()).otherwise(err if err is not None else _null_text())
    final_err = F.when(error.isNotNull(), error).when(~na & value.isNull(), _missing_message(rule))
    values = [F.when(na, F.lit(None)).otherwise(value).alias(rv), final_err.alias(re_)]
    status = F.when(na, F.lit("not_applicable")).when(F.col(re_).isNotNull(), F.lit("error")).otherwise(F.lit("ok"))
    outputs = [F.when(F.col(re_).isNull(), F.col(rv)).alias(rule.id), status.alias(f"{rule.id}__status"),
               F.col(re_).alias(f"{rule.id}__error")]
    for col, cerr, clause in clause_cols:
        shown = col if cerr is None else F.when(cerr.isNull(), col)
        outputs.append(F.when(na, F.lit(None)).otherwise(shown).alias(f"{rule.id}.{clause.id}"))
    return exprs, values, outputs


def run_spark(pack: Pack, households: DataFrame, persons: DataFrame | None = None, *, as_of: dt.date | None = None,
              rules: list[str] | None = None) -> DataFrame:
    """The Spark twin of `batch.run_batch`: same columns, same values."""
    as_of = as_of or pack.default_as_of()
    wanted = _closure(pack, rules)
    chosen = [r for r in pack.rules if wanted is None or r.id in wanted]
    compiler = SparkCompiler(as_of)
    fields = needed_fields(pack, chosen)
    stages: list[list[Column]] = []
    outputs: dict[str, list[Column]] = {}
    for group in _levels(chosen):
        clause_stage, rule_stage = [], []
        for rule in group:
            clause_stage_, rule_stage_, outputs[rule.id] = _rule_columns(rule, compiler)
            clause_stage += clause_stage_
            rule_stage += rule_stage_
        stages += [clause_stage, rule_stage]
    frame = _normalise(households, pack, fields, HOUSEHOLD)
    person_fields = sorted({n for r in chosen for e, n in r.fields if e == PERSON})
    if persons is not None:
        persons = _normalise(persons, pack, fields, PERSON)
        flags = [F.max(F.col(n).isNull()).alias(f"__null_{n}") for n in person_fields]
        grouped = persons.select("*", *compiler.member_cols).groupBy(KEY).agg(
            F.count(F.lit(1)).alias("__members"), *compiler.group_cols, *flags)
        frame = frame.join(grouped, frame[ID] == grouped[KEY], "left").drop(KEY)
    else:
        frame = frame.select("*", F.lit(None).cast("long").alias("__members"),
                             *[F.lit(None).cast("boolean").alias(f"__null_{n}") for n in person_fields])
    for exprs in stages:
        if exprs:
            frame = frame.select("*", *exprs)
    return frame.select(F.col(ID), *[col for rule in chosen for col in outputs[rule.id]])


def _typed(frame: pl.DataFrame, pack: Pack, entity: str, key: str) -> pl.DataFrame:
    """The catalogue's types (a column of nothing but nulls comes from Polars as type Null)."""
    return frame.with_columns(pl.col(name).cast(DTYPES[pack.catalogue.get(entity, name).type])
                              for name in frame.columns if name != key)


def spark_frames(spark: SparkSession, pack: Pack, households: pl.DataFrame, persons: pl.DataFrame, *,
                 folder: str | Path | None = None) -> tuple[DataFrame, DataFrame]:
    """Spark frames from the Polars frames `batch.frames_from_records` (or the benchmark) builds.

    Handed over as Arrow record batches, or, given a folder, as Parquet files written there and read by
    Spark (faster for large frames; the folder must outlive the Spark query, the caller removes it)."""
    typed = [(_typed(households, pack, HOUSEHOLD, ID), "households"), (_typed(persons, pack, PERSON, KEY), "persons")]
    if folder is None:
        # oldest: plain large strings and lists, the Arrow types Spark reads (not Polars' string views)
        return tuple(spark.createDataFrame(frame.to_arrow(compat_level=pl.CompatLevel.oldest()))
                     for frame, _ in typed)
    frames = []
    for frame, name in typed:
        path = Path(folder) / f"{name}.parquet"
        frame.write_parquet(path)
        frames.append(spark.read.parquet(str(path)))
    return tuple(frames)


def to_polars(frame: DataFrame, *, folder: str | Path | None = None) -> pl.DataFrame:
    """A Spark result as a Polars frame: through Arrow, or, given a folder, as Parquet files written there."""
    if folder is None:
        return pl.from_arrow(frame.toArrow())
    path = Path(folder) / "result"
    frame.write.mode("overwrite").parquet(str(path))
    return pl.read_parquet(path / "*.parquet").select(frame.columns)


def local_session(app: str = "fupin-policy") -> SparkSession:
    """A small local Spark (2 cores) with ANSI mode off, UTC dates, and quiet logs.

    ConvertToLocalRelation is switched off: small Arrow frames become local relations, and that rule would
    then evaluate the whole rule plan row by row on the driver, uncompiled (7× slower at 100,000 households)."""
    spark = (SparkSession.builder.master("local[2]").appName(app)
             .config("spark.sql.ansi.enabled", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", "4")
             .config("spark.sql.optimizer.excludedRules",
                     "org.apache.spark.sql.catalyst.optimizer.ConvertToLocalRelation")
             # no Python call sites recorded per column function: extra JVM round trips each, 3.4 s of 4.7 s
             # to build the 18 rules of a pack
             .config("spark.python.sql.dataFrameDebugging.enabled", "false")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark
