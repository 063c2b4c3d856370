"""The rule language's grammar: text → parse tree. No `eval`, no Python objects reachable.

    expr    := or
    or      := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | compare
    compare := sum [ ('<' | '<=' | '>' | '>=' | '==' | '!=') sum | ['not'] 'in' sum ]
    sum     := product (('+' | '-') product)*
    product := unary (('*' | '/') unary)*
    unary   := '-' unary | primary
    primary := NUMBER | STRING | 'true' | 'false' | '(' expr ')' | '[' [expr (',' expr)*] ']'
             | NAME ('.' NAME)* | NAME '(' [expr (',' expr)*] ')'

Names are bound later (see `check.py`): a bare name is a field of the household (or of the person
inside a member aggregate), `params.x` a parameter of the pack, `rules.x` the outcome of another
rule, `as_of` the reference date. Comparisons do not chain (`a < b < c` is an error).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import ExpressionError

KEYWORDS = {"and", "or", "not", "in", "true", "false"}

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
   |(?P<num>\d+(?:\.\d+)?(?![A-Za-z_\d]))
   |(?P<str>'[^'\n]*'|"[^"\n]*")
   |(?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\(|\)|\[|\]|,|\.)
   |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.X,
)


@dataclass(frozen=True)
class Token:
    kind: str  # num, str, op, name, kw, end
    text: str
    start: int


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if not match:
            ch = source[pos]
            hint = "；字符串请用引号 quote strings" if "\u4e00" <= ch <= "\u9fff" else ""
            if ch == "=":
                hint = "；比较请用 use == for equality"
            raise ExpressionError(f"unexpected character {ch!r} / 无法识别的字符{hint}", pos)
        kind = match.lastgroup
        text = match.group()
        if kind != "ws":
            if kind == "name" and text in KEYWORDS:
                kind = "kw"
            tokens.append(Token(kind, text, pos))
        pos = match.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


# ---- parse tree --------------------------------------------------------------------------------

@dataclass
class Node:
    start: int
    end: int


@dataclass
class Number(Node):
    value: float


@dataclass
class String(Node):
    value: str


@dataclass
class Boolean(Node):
    value: bool


@dataclass
class Name(Node):
    parts: tuple[str, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@dataclass
class Call(Node):
    name: str
    args: list[Node] = field(default_factory=list)


@dataclass
class ListLit(Node):
    items: list[Node] = field(default_factory=list)


@dataclass
class Negate(Node):
    operand: Node


@dataclass
class Not(Node):
    operand: Node


@dataclass
class Arith(Node):
    op: str  # + - * /
    left: Node
    right: Node


@dataclass
class Compare(Node):
    op: str  # < <= > >= == !=
    left: Node
    right: Node


@dataclass
class Logic(Node):
    op: str  # and / or
    left: Node
    right: Node


@dataclass
class In(Node):
    item: Node
    container: Node
    negate: bool = False


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.tokens = tokenize(source)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        return self.tok.kind == kind and (text is None or self.tok.text == text)

    def expect(self, kind: str, text: str) -> Token:
        if not self.at(kind, text):
            found = self.tok.text or "end of expression / 表达式结尾"
            raise ExpressionError(f"expected {text!r}, found {found!r} / 缺少 {text!r}", self.tok.start)
        return self.take()

    def parse(self) -> Node:
        if self.at("end"):
            raise ExpressionError("empty expression / 表达式为空", 0)
        node = self.or_()
        if not self.at("end"):
            raise ExpressionError(f"unexpected {self.tok.text!r} / 多余的内容", self.tok.start)
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.at("kw", "or"):
            self.take()
            right = self.and_()
            node = Logic(node.start, right.end, "or", node, right)
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.at("kw", "and"):
            self.take()
            right = self.not_()
            node = Logic(node.start, right.end, "and", node, right)
        return node

    def not_(self) -> Node:
        if self.at("kw", "not"):
            start = self.take().start
            operand = self.not_()
            return Not(start, operand.end, operand)
        return self.compare()

    def compare(self) -> Node:
        left = self.sum_()
        if self.tok.kind == "op" and self.tok.text in ("<", "<=", ">", ">=", "==", "!="):
            op = self.take().text
            right = self.sum_()
            node: Node = Compare(left.start, right.end, op, left, right)
        elif self.at("kw", "in") or (self.at("kw", "not") and self.tokens[self.i + 1].text == "in"):
            negate = self.take().text == "not"
            if negate:
                self.take()
            container = self.sum_()
            node = In(left.start, container.end, left, container, negate)
        else:
            return left
        if self.tok.kind == "op" and self.tok.text in ("<", "<=", ">", ">=", "==", "!=") or self.at("kw", "in"):
            raise ExpressionError("comparisons do not chain; join them with 'and' / 比较不能连写，请用 and 连接",
                                  self.tok.start)
        return node

    def sum_(self) -> Node:
        node = self.product()
        while self.tok.kind == "op" and self.tok.text in ("+", "-"):
            op = self.take().text
            right = self.product()
            node = Arith(node.start, right.end, op, node, right)
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in ("*", "/"):
            op = self.take().text
            right = self.unary()
            node = Arith(node.start, right.end, op, node, right)
        return node

    def unary(self) -> Node:
        if self.at("op", "-"):
            start = self.take().start
            operand = self.unary()
            return Negate(start, operand.end, operand)
        return self.primary()

    def primary(self) -> Node:
        tok = self.tok
        if tok.kind == "num":
            self.take()
            return Number(tok.start, tok.start + len(tok.text), float(tok.text))
        if tok.kind == "str":
            self.take()
            return String(tok.start, tok.start + len(tok.text), tok.text[1:-1])
        if tok.kind == "kw" and tok.text in ("true", "false"):
            self.take()
            return Boolean(tok.start, tok.start + len(tok.text), tok.text == "true")
        if self.at("op", "("):
            self.take()
            node = self.or_()
            end = self.expect("op", ")").start + 1
            node.start, node.end = tok.start, end
            return node
        if self.at("op", "["):
            self.take()
            items = self.arguments("]")
            end = self.expect("op", "]").start + 1
            return ListLit(tok.start, end, items)
        if tok.kind == "name":
            self.take()
            parts = [tok.text]
            end = tok.start + len(tok.text)
            if self.at("op", "("):
                self.take()
                args = self.arguments(")")
                end = self.expect("op", ")").start + 1
                return Call(tok.start, end, tok.text, args)
            while self.at("op", "."):
                self.take()
                if self.tok.kind != "name":
                    raise ExpressionError("expected a name after '.' / '.' 后应为名称", self.tok.start)
                part = self.take()
                parts.append(part.text)
                end = part.start + len(part.text)
            return Name(tok.start, end, tuple(parts))
        found = tok.text or "end of expression / 表达式结尾"
        raise ExpressionError(f"expected a value, found {found!r} / 此处应为一个值", tok.start)

    def arguments(self, closing: str) -> list[Node]:
        items: list[Node] = []
        if self.at("op", closing):
            return items
        items.append(self.or_())
        while self.at("op", ","):
            self.take()
            items.append(self.or_())
        return items


def parse(source: str) -> Node:
    """Parse one expression; raises ExpressionError with the offset of the problem."""
    if not isinstance(source, str):
        raise ExpressionError("an expression must be text / 表达式必须是文本")
    return _Parser(source).parse()
