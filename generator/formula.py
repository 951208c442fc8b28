"""The formula grammar of derived metrics: `+ - * /`, parentheses, numbers, ids.

    expr   := term (('+' | '-') term)*
    term   := unary (('*' | '/') unary)*
    unary  := '-' unary | atom
    atom   := NUMBER | ID | '(' expr ')'

Parsed into a small expression tree, evaluated by walking it: never `eval`.
Parsing is iterative over tokens and recursion is bounded by nesting depth.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .errors import MxtError, say

MAX_LENGTH = 2000
MAX_DEPTH = 50

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|(.))")


class FormulaError(MxtError):
    """A formula outside the grammar; `position` is the 0-based character offset."""

    def __init__(self, message: str, position: int):
        self.position = position
        super().__init__(message)


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Ref:
    metric: str


@dataclass(frozen=True)
class Neg:
    operand: Expr


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Expr
    right: Expr


Expr = Num | Ref | Neg | BinOp


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # only trailing white space is left
            break
        if m.group(1) is not None:
            out.append(("num", m.group(1), m.start(1)))
        elif m.group(2) is not None:
            out.append(("id", m.group(2), m.start(2)))
        elif m.group(3) is not None:
            ch = m.group(3)
            if ch not in "+-*/()":
                raise FormulaError(say("formula_unexpected_character", char=ch), m.start(3))
            out.append(("op", ch, m.start(3)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None:
            raise FormulaError(say("formula_unexpected_end"), len(self.text))
        self.i += 1
        return tok

    def expr(self) -> Expr:
        node = self.term()
        while (tok := self.peek()) and tok[0] == "op" and tok[1] in "+-":
            self.i += 1
            node = BinOp(tok[1], node, self.term())
        return node

    def term(self) -> Expr:
        node = self.unary()
        while (tok := self.peek()) and tok[0] == "op" and tok[1] in "*/":
            self.i += 1
            node = BinOp(tok[1], node, self.unary())
        return node

    def unary(self) -> Expr:
        negations = 0
        while (tok := self.peek()) and tok == ("op", "-", tok[2]):
            self.i += 1
            negations += 1
        node = self.atom()
        for _ in range(negations):
            node = Neg(node)
        return node

    def atom(self) -> Expr:
        kind, value, pos = self.take()
        if kind == "num":
            number = float(value)
            if not math.isfinite(number):
                raise FormulaError(say("formula_number_too_large", number=value[:12]), pos)
            return Num(number)
        if kind == "id":
            return Ref(value)
        if value == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise FormulaError(say("formula_too_deep", depth=MAX_DEPTH), pos)
            node = self.expr()
            closing = self.take()
            if closing[1] != ")":
                raise FormulaError(say("formula_expected_close", got=closing[1]), closing[2])
            self.depth -= 1
            return node
        raise FormulaError(say("formula_expected_operand", got=value), pos)


def parse(text: str) -> Expr:
    """Parse a formula into its tree, or raise FormulaError with a position."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(say("formula_too_long", limit=MAX_LENGTH), MAX_LENGTH)
    parser = _Parser(text)
    if not parser.toks:
        raise FormulaError(say("formula_empty"), 0)
    node = parser.expr()
    extra = parser.peek()
    if extra is not None:
        raise FormulaError(say("formula_unexpected", got=extra[1]), extra[2])
    return node


def references(node: Expr) -> set[str]:
    """Every metric id the formula reads."""
    stack: list[Expr] = [node]
    out: set[str] = set()
    while stack:
        n = stack.pop()
        if isinstance(n, Ref):
            out.add(n.metric)
        elif isinstance(n, Neg):
            stack.append(n.operand)
        elif isinstance(n, BinOp):
            stack.extend((n.left, n.right))
    return out


def evaluate(node: Expr, value_of: Callable[[str], float | None] | Mapping[str, float | None]
             ) -> float | None:
    """The formula's value; None when an input is None, a divisor is zero or the result
    overflows (no value, never infinity).

    Walked with an explicit stack: a formula of two thousand terms is as deep a tree,
    and must not exhaust Python's recursion limit.
    """
    get = value_of.get if isinstance(value_of, Mapping) else value_of
    values: list[float | None] = []
    todo: list[tuple[Expr, bool]] = [(node, False)]
    while todo:
        current, operands_done = todo.pop()
        if isinstance(current, Num):
            values.append(current.value)
        elif isinstance(current, Ref):
            values.append(get(current.metric))
        elif not operands_done:
            todo.append((current, True))
            if isinstance(current, Neg):
                todo.append((current.operand, False))
            else:
                todo += [(current.right, False), (current.left, False)]
        elif isinstance(current, Neg):
            v = values.pop()
            values.append(None if v is None else -v)
        else:
            right, left = values.pop(), values.pop()
            values.append(_apply(current.op, left, right))
    result = values.pop()
    return result if result is None or math.isfinite(result) else None


def _apply(op: str, left: float | None, right: float | None) -> float | None:
    if left is None or right is None:
        return None
    if op == "+":
        value = left + right
    elif op == "-":
        value = left - right
    elif op == "*":
        value = left * right
    elif right == 0:
        return None
    else:
        value = left / right
    return value if math.isfinite(value) else None
