"""Binding and type checking: parse tree → typed tree, done once when a pack loads.

Every name is resolved here (household or person field from the catalogue, `params.x`, `rules.x`,
`as_of`), every operation is type-checked, code literals are checked against the field's code list,
and sub-expressions made only of literals and parameters are folded into constants. A typo or a
wrong type is a load-time error that names the expression and the place in it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from . import syntax as s
from . import values as v
from .catalogue import BOOL, CODES, DATE, HOUSEHOLD, NUMBER, PERSON, TEXT, Catalogue, FieldDef
from .errors import ExpressionError

LIST_TEXT, LIST_NUMBER, TABLE = "list:text", "list:number", "table"
TYPE_NAMES = {NUMBER: "数值 number", TEXT: "文本 text", BOOL: "是否 bool", DATE: "日期 date",
              CODES: "代码列表 code list", LIST_TEXT: "文本列表 list of text", LIST_NUMBER: "数值列表 list of numbers",
              TABLE: "对照表 table"}

AGGREGATES = {"any_member": "any", "all_members": "all", "count_members": "count",
              "sum_members": "sum", "max_members": "max", "min_members": "min"}
FUNCTIONS = {"if", "min", "max", "abs", "round", "ceil", "floor", "coalesce", "known", "age", "year", "overlaps",
             "lookup", "date", *AGGREGATES}


# ---- the typed tree ----------------------------------------------------------------------------

@dataclass
class T:
    start: int
    end: int
    type: str


@dataclass
class Const(T):
    value: object
    label: str = ""  # "params.x" when the constant is a parameter


@dataclass
class Field(T):
    entity: str
    name: str
    spec: FieldDef


@dataclass
class RuleRef(T):
    rule: str


@dataclass
class AsOf(T):
    pass


@dataclass
class Neg(T):
    operand: T


@dataclass
class NotN(T):
    operand: T


@dataclass
class Arith(T):
    op: str
    left: T
    right: T
    message: str = ""


@dataclass
class Cmp(T):
    op: str
    left: T
    right: T


@dataclass
class Logic(T):
    op: str
    left: T
    right: T


@dataclass
class InN(T):
    item: T
    container: T
    negate: bool


@dataclass
class IfN(T):
    cond: T
    then: T
    other: T


@dataclass
class Func(T):
    name: str
    args: list[T]
    digits: int = 0


@dataclass
class Lookup(T):
    table_name: str
    table: dict
    key: T
    default: object  # a number, or values.NO_DEFAULT
    message: str = ""


@dataclass
class Agg(T):
    kind: str
    expr: T | None
    where: T | None


def children(node: T) -> list[T]:
    if isinstance(node, (Neg, NotN)):
        return [node.operand]
    if isinstance(node, (Arith, Cmp, Logic)):
        return [node.left, node.right]
    if isinstance(node, InN):
        return [node.item, node.container]
    if isinstance(node, IfN):
        return [node.cond, node.then, node.other]
    if isinstance(node, Func):
        return list(node.args)
    if isinstance(node, Lookup):
        return [node.key]
    if isinstance(node, Agg):
        return [n for n in (node.expr, node.where) if n is not None]
    return []


def walk(node: T):
    yield node
    for child in children(node):
        yield from walk(child)


def fields_used(node: T) -> set[tuple[str, str]]:
    return {(n.entity, n.name) for n in walk(node) if isinstance(n, Field)}


def rules_used(node: T) -> set[str]:
    return {n.rule for n in walk(node) if isinstance(n, RuleRef)}


# ---- binding -----------------------------------------------------------------------------------

@dataclass
class Param:
    name: str
    type: str
    value: object


@dataclass
class Env:
    catalogue: Catalogue
    params: dict[str, Param] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)  # rule id → output type
    source: str = ""


def _suggest(name: str, options) -> str:
    close = difflib.get_close_matches(name, list(options), n=3, cutoff=0.6)
    return f"；是否想写 did you mean: {', '.join(close)}" if close else ""


def _need(node: T, *types: str, what: str) -> None:
    if node.type not in types:
        wanted = " / ".join(TYPE_NAMES[t] for t in types)
        raise ExpressionError(f"{what} needs {wanted}, got {TYPE_NAMES[node.type]} / 类型不符", node.start)


class Binder:
    def __init__(self, env: Env):
        self.env = env

    def text(self, node) -> str:
        return self.env.source[node.start:node.end]

    def bind(self, node: s.Node, scope: str) -> T:
        bound = self._bind(node, scope)
        return self._fold(bound)

    # -- names
    def _name(self, node: s.Name, scope: str) -> T:
        parts = node.parts
        env = self.env
        if parts == ("as_of",):
            return AsOf(node.start, node.end, DATE)
        if parts[0] == "params":
            if len(parts) != 2:
                raise ExpressionError("write a parameter as params.name / 参数写作 params.名称", node.start)
            param = env.params.get(parts[1])
            if param is None:
                raise ExpressionError(f"unknown parameter params.{parts[1]} / 未定义的参数"
                                      + _suggest(parts[1], env.params), node.start)
            if param.type is None:
                raise ExpressionError(f"params.{parts[1]} has errors", node.start, secondary=True)
            return Const(node.start, node.end, param.type, param.value, label=f"params.{param.name}")
        if parts[0] == "rules":
            if len(parts) != 2:
                raise ExpressionError("write a rule as rules.id / 规则写作 rules.编号", node.start)
            if scope != HOUSEHOLD:
                raise ExpressionError("rules.x cannot be used inside a member aggregate / 成员汇总内不能引用规则",
                                      node.start)
            if parts[1] not in env.rules:
                raise ExpressionError(f"unknown rule rules.{parts[1]} / 未定义的规则"
                                      + _suggest(parts[1], env.rules), node.start)
            return RuleRef(node.start, node.end, env.rules[parts[1]], parts[1])
        if len(parts) != 1:
            raise ExpressionError(f"unknown name {node.dotted!r}: fields are plain names, parameters params.x, "
                                  f"rules rules.x / 无法识别的名称", node.start)
        name = parts[0]
        spec = env.catalogue.get(scope, name)
        if spec is not None:
            return Field(node.start, node.end, spec.type, scope, name, spec)
        other = PERSON if scope == HOUSEHOLD else HOUSEHOLD
        if env.catalogue.get(other, name) is not None:
            if other == PERSON:
                raise ExpressionError(f"{name} is a person field: use it inside a member aggregate such as "
                                      f"any_member(...) / {name} 是人员字段，须在成员汇总中使用", node.start)
            raise ExpressionError(f"{name} is a household field; inside a member aggregate only person fields "
                                  f"can be used / 成员汇总内只能使用人员字段", node.start)
        en, zh = ("household", "户") if scope == HOUSEHOLD else ("person", "人员")
        raise ExpressionError(f"unknown {en} field {name!r} / {zh}字段表中没有此字段"
                              + _suggest(name, env.catalogue.names(scope)), node.start)

    # -- the rest
    def _bind(self, node: s.Node, scope: str) -> T:  # noqa: C901 - one dispatch over the grammar
        a, b = node.start, node.end
        if isinstance(node, s.Number):
            return Const(a, b, NUMBER, v.number(node.value))
        if isinstance(node, s.String):
            return Const(a, b, TEXT, node.value)
        if isinstance(node, s.Boolean):
            return Const(a, b, BOOL, node.value)
        if isinstance(node, s.Name):
            return self._name(node, scope)
        if isinstance(node, s.ListLit):
            items = [self.bind(item, scope) for item in node.items]
            if not items:
                raise ExpressionError("an empty list / 空列表", a)
            if any(not isinstance(i, Const) for i in items):
                raise ExpressionError("list items must be literals or parameters / 列表项须为常量", a)
            kinds = {i.type for i in items}
            if kinds == {TEXT}:
                return Const(a, b, LIST_TEXT, tuple(i.value for i in items))
            if kinds == {NUMBER}:
                return Const(a, b, LIST_NUMBER, tuple(i.value for i in items))
            raise ExpressionError("list items must all be text or all numbers / 列表项类型须一致", a)
        if isinstance(node, s.Negate):
            operand = self.bind(node.operand, scope)
            _need(operand, NUMBER, what="'-'")
            return Neg(a, b, NUMBER, operand)
        if isinstance(node, s.Not):
            operand = self.bind(node.operand, scope)
            _need(operand, BOOL, what="'not'")
            return NotN(a, b, BOOL, operand)
        if isinstance(node, s.Arith):
            left, right = self.bind(node.left, scope), self.bind(node.right, scope)
            _need(left, NUMBER, what=f"'{node.op}'")
            _need(right, NUMBER, what=f"'{node.op}'")
            message = f"division by zero / 除数为零: {self.text(node)}" if node.op == "/" else ""
            if node.op == "/" and isinstance(right, Const) and not isinstance(left, Const):
                if right.value == 0:
                    raise ExpressionError("division by zero / 除数为零", right.start)
                # a constant divisor: multiply by its reciprocal, the same in every execution
                reciprocal = Const(right.start, right.end, NUMBER, 1.0 / right.value, label=right.label)
                return Arith(a, b, NUMBER, "*", left, reciprocal)
            return Arith(a, b, NUMBER, node.op, left, right, message)
        if isinstance(node, s.Logic):
            left, right = self.bind(node.left, scope), self.bind(node.right, scope)
            _need(left, BOOL, what=f"'{node.op}'")
            _need(right, BOOL, what=f"'{node.op}'")
            return Logic(a, b, BOOL, node.op, left, right)
        if isinstance(node, s.Compare):
            return self._compare(node, scope)
        if isinstance(node, s.In):
            return self._in(node, scope)
        if isinstance(node, s.Call):
            return self._call(node, scope)
        raise ExpressionError("unsupported expression / 不支持的表达式", a)  # pragma: no cover

    def _check_code(self, field_node: T, literal: Const) -> None:
        if not isinstance(field_node, Field) or not field_node.spec.codes:
            return
        values = literal.value if isinstance(literal.value, tuple) else (literal.value,)
        codes = field_node.spec.codes
        for value in values:
            if value not in codes:
                listing = ", ".join(f"{c} {lbl}" for c, lbl in list(codes.items())[:12])
                raise ExpressionError(f"{value!r} is not a code of {field_node.spec.display} (codes: {listing}) / "
                                      f"不是该字段的代码", literal.start)

    def _compare(self, node: s.Compare, scope: str) -> T:
        left, right = self.bind(node.left, scope), self.bind(node.right, scope)
        if left.type != right.type:
            raise ExpressionError(f"cannot compare {TYPE_NAMES[left.type]} with {TYPE_NAMES[right.type]} / "
                                  f"类型不同不能比较", node.start)
        if left.type in (TEXT, BOOL) and node.op not in ("==", "!="):
            raise ExpressionError(f"'{node.op}' needs numbers or dates / 文本和是否只能用 == 或 !=", node.start)
        if left.type not in (NUMBER, DATE, TEXT, BOOL):
            raise ExpressionError(f"cannot compare {TYPE_NAMES[left.type]} / 不能比较", node.start)
        if isinstance(right, Const):
            self._check_code(left, right)
        if isinstance(left, Const):
            self._check_code(right, left)
        return Cmp(node.start, node.end, BOOL, node.op, left, right)

    def _in(self, node: s.In, scope: str) -> T:
        item, container = self.bind(node.item, scope), self.bind(node.container, scope)
        if container.type == CODES:
            _need(item, TEXT, what="'in' a code list")
            if isinstance(item, Const):
                self._check_code(container, item)
        elif container.type in (LIST_TEXT, LIST_NUMBER):
            _need(item, TEXT if container.type == LIST_TEXT else NUMBER, what=f"'in' {TYPE_NAMES[container.type]}")
            self._check_code(item, container)
        else:
            raise ExpressionError(f"'in' needs a list on its right, got {TYPE_NAMES[container.type]} / in 右边须为列表",
                                  container.start)
        return InN(node.start, node.end, BOOL, item, container, node.negate)

    def _call(self, node: s.Call, scope: str) -> T:  # noqa: C901
        name, a, b = node.name, node.start, node.end
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name}() / 未知函数" + _suggest(name, FUNCTIONS), a)
        raw = node.args

        def count(lo: int, hi: int | None = None) -> None:
            hi = lo if hi is None else hi
            if not (lo <= len(raw) <= hi):
                want = str(lo) if lo == hi else (f"{lo}–{hi}" if hi < 99 else f"at least {lo}")
                raise ExpressionError(f"{name}() takes {want} argument(s), got {len(raw)} / 参数个数不对", a)

        if name in AGGREGATES:
            kind = AGGREGATES[name]
            if scope != HOUSEHOLD:
                raise ExpressionError("member aggregates cannot be nested / 成员汇总不能嵌套", a)
            if kind in ("any", "all"):
                count(1)
                cond = self.bind(raw[0], PERSON)
                _need(cond, BOOL, what=f"{name}()")
                return Agg(a, b, BOOL, kind, cond, None)
            if kind == "count":
                count(0, 1)
                where = self.bind(raw[0], PERSON) if raw else None
                if where is not None:
                    _need(where, BOOL, what=f"{name}()")
                return Agg(a, b, NUMBER, kind, None, where)
            count(1, 2)
            expr = self.bind(raw[0], PERSON)
            _need(expr, NUMBER, what=f"{name}()")
            where = self.bind(raw[1], PERSON) if len(raw) > 1 else None
            if where is not None:
                _need(where, BOOL, what=f"{name}() condition")
            return Agg(a, b, NUMBER, kind, expr, where)
        if name == "date":
            count(1)
            if not isinstance(raw[0], s.String):
                raise ExpressionError("date() takes a literal 'YYYY-MM-DD' / date() 需要日期文本", a)
            try:
                return Const(a, b, DATE, v.to_date(raw[0].value))
            except ValueError:
                raise ExpressionError(f"not a date: {raw[0].value!r} / 日期格式应为 YYYY-MM-DD", raw[0].start) from None
        if name == "lookup":
            count(2, 3)
            table = self.bind(raw[0], scope)
            if table.type != TABLE or not isinstance(table, Const):
                raise ExpressionError("lookup() takes a table parameter first / lookup 的第一个参数须为对照表参数",
                                      raw[0].start)
            key = self.bind(raw[1], scope)
            _need(key, TEXT, what="lookup() key")
            if isinstance(key, Const) and key.value not in table.value and len(raw) < 3:
                raise ExpressionError(f"{key.value!r} is not in {table.label} / 对照表中没有此项", key.start)
            default: object = v.NO_DEFAULT
            if len(raw) == 3:
                dflt = self.bind(raw[2], scope)
                if not isinstance(dflt, Const) or dflt.type != NUMBER:
                    raise ExpressionError("lookup() default must be a number / 缺省值须为数值常量", dflt.start)
                default = dflt.value
            message = f"no entry in {table.label} for this value / 对照表无此项: {self.text(raw[1])}"
            return Lookup(a, b, NUMBER, table.label, dict(table.value), key, default, message)
        args = [self.bind(arg, scope) for arg in raw]
        if name == "if":
            count(3)
            _need(args[0], BOOL, what="if() condition")
            if args[1].type != args[2].type:
                raise ExpressionError("both branches of if() must have the same type / if 两个分支类型须一致", a)
            return IfN(a, b, args[1].type, args[0], args[1], args[2])
        if name in ("min", "max"):
            count(2, 99)
            for arg in args:
                _need(arg, NUMBER, what=f"{name}()")
            return Func(a, b, NUMBER, name, args)
        if name in ("abs", "ceil", "floor"):
            count(1)
            _need(args[0], NUMBER, what=f"{name}()")
            return Func(a, b, NUMBER, name, args)
        if name == "round":
            count(1, 2)
            _need(args[0], NUMBER, what="round()")
            digits = 0
            if len(args) == 2:
                if not isinstance(args[1], Const) or args[1].type != NUMBER or args[1].value not in range(0, 7):
                    raise ExpressionError("round() digits must be a whole number 0–6 / 小数位数须为0到6", args[1].start)
                digits = int(args[1].value)
            return Func(a, b, NUMBER, name, args[:1], digits)
        if name == "coalesce":
            count(2, 99)
            if len({arg.type for arg in args}) != 1:
                raise ExpressionError("coalesce() arguments must have one type / 参数类型须一致", a)
            return Func(a, b, args[0].type, name, args)
        if name == "known":
            count(1)
            return Func(a, b, BOOL, name, args)
        if name == "age":
            count(1, 2)
            for arg in args:
                _need(arg, DATE, what="age()")
            if len(args) == 1:
                args.append(AsOf(b, b, DATE))
            return Func(a, b, NUMBER, name, args)
        if name == "overlaps":
            count(2)
            _need(args[0], CODES, what="overlaps() first argument")
            if not isinstance(args[1], Const) or args[1].type != LIST_TEXT:
                raise ExpressionError("overlaps() takes a list of codes second / 第二个参数须为代码列表", args[1].start)
            self._check_code(args[0], args[1])
            return Func(a, b, BOOL, name, args)
        if name == "year":
            count(1)
            _need(args[0], DATE, what="year()")
            return Func(a, b, NUMBER, name, args)
        raise ExpressionError(f"unknown function {name}()", a)  # pragma: no cover

    # -- constant folding
    def _fold(self, node: T) -> T:
        kids = children(node)
        if isinstance(node, (Const, Field, RuleRef, AsOf, Agg)) or not kids:
            return node
        if not all(isinstance(k, Const) for k in kids):
            # if() with a constant condition keeps only the branch it takes (an option switch)
            if isinstance(node, IfN) and isinstance(node.cond, Const):
                return node.then if node.cond.value else node.other
            return node
        from .evaluate import scalar  # local import: evaluate depends on this module

        value = scalar(node, {}, {}, {}, None)
        if isinstance(value, v.Err):
            raise ExpressionError(f"{value.message} (in a constant expression / 常量表达式)", node.start)
        return Const(node.start, node.end, node.type, value, label=self.text(node))


def check(source: str, env: Env, scope: str = HOUSEHOLD) -> T:
    """Parse and bind `source`; ExpressionError says what is wrong and where."""
    tree = s.parse(source)
    bound = Binder(Env(env.catalogue, env.params, env.rules, source)).bind(tree, scope)
    for node in walk(bound):
        if not getattr(node, "text", ""):
            node.text = source[node.start:node.end]
    return bound
