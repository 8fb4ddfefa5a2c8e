"""Indicator formulas: a small, safe expression language.

A hand-written tokenizer and a recursive-descent (precedence-climbing) parser accept only the
whitelisted syntax; eval/exec/ast are never used. One syntax tree is evaluated in plain Python
(:meth:`Formula.evaluate`) or compiled to a polars expression (:meth:`Formula.to_polars`) with the
same semantics: missing values propagate, division by zero is missing, ``and``/``or`` use
Kleene three-valued logic, a number used as a condition is true when non-zero, and arithmetic
results are Float64.

A polars 2.1.0 defect: ``pl.lit(0) < pl.when(c).then(None).otherwise(x)`` gives a length-1
result when every row takes the literal branch ("length 1 doesn't match the DataFrame height").
So constants compile to a whole column, ``pl.repeat(v, pl.len())``, and "missing" is written as
``pl.when(valid).then(x)`` without ``otherwise``.
"""

from __future__ import annotations

import math
import operator
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import polars as pl

Value: TypeAlias = float | bool | None
Env: TypeAlias = Mapping[str, float | int | bool | None]
Resolver: TypeAlias = Callable[[str], pl.Expr]

KEYWORDS = frozenset({"and", "or", "not", "true", "false"})
#: Whitelisted functions: name -> (minimum arguments, maximum arguments or None for no limit)
FUNCTIONS: dict[str, tuple[int, int | None]] = {"min": (2, None), "max": (2, None), "if": (3, 3)}
FUNCTIONS |= {"ceil": (1, 1), "floor": (1, 1), "abs": (1, 1), "round": (2, 2)}
_COMPARE = ("<", "<=", ">", ">=", "==", "!=")
_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}
_INFIX = frozenset({"+", "*", "/", "and", "or", *_COMPARE})
_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<sym><=|>=|==|!=|[-+*/<>(),]))"
)
_MAX_NESTING = 32  # deepest nesting of brackets / calls / not / unary minus
_MAX_TOKENS = 256  # most tokens (bounds the tree height, so evaluation never recurses too deep)
_MAX_DIGITS = 15  # most decimals round() accepts


class FormulaError(ValueError):
    """A syntax error; ``position`` is the 0-based character offset of the problem in ``text``."""

    def __init__(self, reason: str, position: int, text: str) -> None:
        super().__init__(f"{reason}（第 {position + 1} 个字符）")
        self.reason = reason
        self.position = position
        self.text = text

    def __reduce__(self) -> tuple[type[FormulaError], tuple[str, int, str]]:
        return (FormulaError, (self.reason, self.position, self.text))


# ---------------------------------------------------------------- syntax tree


class Node(ABC):
    """A syntax-tree node: ``py_eval`` evaluates in Python, ``to_expr`` compiles to polars."""

    def is_bool(self) -> bool:
        return False

    @abstractmethod
    def py_eval(self, env: Env) -> Value: ...

    @abstractmethod
    def to_expr(self, res: Resolver) -> pl.Expr: ...

    def py_num(self, env: Env) -> float | None:
        value = self.py_eval(env)
        return None if value is None else float(value)

    def py_truth(self, env: Env) -> bool | None:
        value = self.py_eval(env)
        return value if value is None or isinstance(value, bool) else value != 0

    def pl_num(self, res: Resolver) -> pl.Expr:
        return self.to_expr(res).cast(pl.Float64)

    def pl_truth(self, res: Resolver) -> pl.Expr:
        expr = self.to_expr(res)
        return expr if self.is_bool() else expr.cast(pl.Float64) != 0


@dataclass(frozen=True)
class Const(Node):
    value: float | bool

    def is_bool(self) -> bool:
        return isinstance(self.value, bool)

    def py_eval(self, env: Env) -> Value:
        return self.value

    def to_expr(self, res: Resolver) -> pl.Expr:
        # a whole-column constant, not a scalar pl.lit: avoids the polars 2.1.0 defect above
        return pl.repeat(self.value, pl.len(), dtype=pl.Boolean if self.is_bool() else pl.Float64)


@dataclass(frozen=True)
class Name(Node):
    """A field reference; values become floats, NaN counts as missing."""

    name: str

    def py_eval(self, env: Env) -> Value:
        raw = env.get(self.name)
        value = None if raw is None else float(raw)
        return None if value is None or math.isnan(value) else value

    def to_expr(self, res: Resolver) -> pl.Expr:
        return res(self.name).cast(pl.Float64).fill_nan(None)


@dataclass(frozen=True)
class Unary(Node):
    """Unary minus ``-`` or logical ``not``."""

    op: str
    operand: Node

    def is_bool(self) -> bool:
        return self.op == "not"

    def py_eval(self, env: Env) -> Value:
        if self.op == "not":
            truth = self.operand.py_truth(env)
            return None if truth is None else not truth
        value = self.operand.py_num(env)
        return None if value is None else -value

    def to_expr(self, res: Resolver) -> pl.Expr:
        return ~self.operand.pl_truth(res) if self.is_bool() else -self.operand.pl_num(res)


@dataclass(frozen=True)
class Binary(Node):
    """Binary operation: arithmetic (division by zero is missing), comparison, and/or (Kleene)."""

    op: str
    left: Node
    right: Node

    def is_bool(self) -> bool:
        return self.op not in ("+", "-", "*", "/")

    def py_eval(self, env: Env) -> Value:
        if self.op in ("and", "or"):
            return _kleene(self.op, self.left.py_truth(env), self.right.py_truth(env))
        a, b = self.left.py_num(env), self.right.py_num(env)
        if a is None or b is None or (self.op == "/" and b == 0):
            return None
        result: float | bool = a / b if self.op == "/" else _OPS[self.op](a, b)
        return result

    def to_expr(self, res: Resolver) -> pl.Expr:
        if self.op in ("and", "or"):
            p, q = self.left.pl_truth(res), self.right.pl_truth(res)
            return p | q if self.op == "or" else p & q
        a, b = self.left.pl_num(res), self.right.pl_num(res)
        if self.op == "/":  # divisor 0 or missing: the when fails, giving null
            return pl.when(b != 0).then(a / b)
        result: pl.Expr = _OPS[self.op](a, b)
        return result


def _kleene(op: str, a: bool | None, b: bool | None) -> bool | None:
    decisive = op == "or"  # or: any true decides; and: any false decides
    if a is decisive or b is decisive:
        return decisive
    return None if a is None or b is None else not decisive


@dataclass(frozen=True)
class Call(Node):
    """A whitelisted call; any missing argument makes it missing (if looks at the chosen branch)."""

    func: str
    args: tuple[Node, ...]

    def is_bool(self) -> bool:
        return self.func == "if" and self.args[1].is_bool() and self.args[2].is_bool()

    @property
    def digits(self) -> int:
        last = self.args[-1]
        return int(last.value) if isinstance(last, Const) else 0

    def py_eval(self, env: Env) -> Value:
        if self.func == "if":
            cond = self.args[0].py_truth(env)
            if cond is None:
                return None
            branch = self.args[1] if cond else self.args[2]
            return branch.py_eval(env) if self.is_bool() else branch.py_num(env)
        values = [arg.py_num(env) for arg in self.args]
        nums = [v for v in values if v is not None]
        return None if len(nums) < len(values) else self._py_apply(nums)

    def _py_apply(self, nums: list[float]) -> float:
        x = nums[0]
        if self.func in ("min", "max"):
            return min(nums) if self.func == "min" else max(nums)
        if self.func == "abs":
            return abs(x)
        if self.func == "round":
            return _round_half_away(x, self.digits)
        if not math.isfinite(x):
            return x
        return float(math.ceil(x) if self.func == "ceil" else math.floor(x))

    def to_expr(self, res: Resolver) -> pl.Expr:
        if self.func == "if":
            cond = self.args[0].pl_truth(res)
            a, b = (n.to_expr(res) if self.is_bool() else n.pl_num(res) for n in self.args[1:])
            return pl.when(cond).then(a).when(~cond).then(b)
        exprs = [arg.pl_num(res) for arg in self.args]
        if self.func in ("min", "max"):
            value = pl.min_horizontal(exprs) if self.func == "min" else pl.max_horizontal(exprs)
            return pl.when(pl.all_horizontal([e.is_not_null() for e in exprs])).then(value)
        x = exprs[0]
        if self.func == "round":
            return x.round(self.digits, mode="half_away_from_zero")
        return x.abs() if self.func == "abs" else x.ceil() if self.func == "ceil" else x.floor()


def _round_half_away(x: float, digits: int) -> float:
    """Round half away from zero, exactly as polars ``round(mode="half_away_from_zero")``."""
    scale = 10.0**digits
    y = x * scale
    if not math.isfinite(y):
        return x
    t = float(math.trunc(y))
    if abs(y - t) >= 0.5:
        t += math.copysign(1.0, y)
    return math.copysign(t, y) / scale


# ---------------------------------------------------------------- tokenizer and parser


@dataclass(frozen=True)
class _Token:
    kind: str  # "num" | "name" | "kw" | "sym" | "end"
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while (match := _TOKEN.match(text, pos)) and match.lastgroup:
        kind, word = match.lastgroup, match[match.lastgroup]
        tokens.append(_Token("kw" if word in KEYWORDS else kind, word, match.start(kind)))
        pos = match.end()
    pos = len(text) - len(text[pos:].lstrip())
    if pos < len(text):
        raise FormulaError(f"无法识别的字符 '{text[pos]}'", pos, text)
    if len(tokens) > _MAX_TOKENS:
        raise FormulaError("公式过长", tokens[_MAX_TOKENS].pos, text)
    return [*tokens, _Token("end", "", len(text))]


class _Parser:
    """Precedence, low to high: or, and, not, comparison (not chained), + -, * /, unary -, atom."""

    def __init__(self, text: str) -> None:
        self.text, self.tokens = text, _tokenize(text)
        self.index, self.depth = 0, 0
        self.names: set[str] = set()

    def error(self, reason: str, position: int) -> FormulaError:
        return FormulaError(reason, position, self.text)

    def at(self, *texts: str) -> bool:
        token = self.tokens[self.index]
        return token.kind in ("sym", "kw") and token.text in texts

    def advance(self) -> _Token:
        self.index += 1
        return self.tokens[self.index - 1]

    def parse(self) -> Node:
        if len(self.tokens) == 1:
            raise self.error("公式为空", 0)
        node = self.parse_or()
        token = self.tokens[self.index]
        if token.kind != "end":
            reason = "括号不匹配" if token.text == ")" else f"意外的符号 '{token.text}'"
            raise self.error(reason, token.pos)
        return node

    def nested(self, token: _Token, parse: Callable[[], Node]) -> Node:
        self.depth += 1
        if self.depth > _MAX_NESTING:
            raise self.error("公式嵌套过深", token.pos)
        node = parse()
        self.depth -= 1
        return node

    def chain(self, ops: tuple[str, ...], operand: Callable[[], Node]) -> Node:
        node = operand()
        while self.at(*ops):
            op = self.advance().text
            right = operand()
            node = Binary(op, node, right)
        return node

    def parse_or(self) -> Node:
        return self.chain(("or",), lambda: self.chain(("and",), self.parse_not))

    def parse_not(self) -> Node:
        if not self.at("not"):
            return self.parse_compare()
        token = self.advance()
        return Unary("not", self.nested(token, self.parse_not))

    def parse_compare(self) -> Node:
        left = self.parse_arith()
        if not self.at(*_COMPARE):
            return left
        node = Binary(self.advance().text, left, self.parse_arith())
        if self.at(*_COMPARE):
            raise self.error("不支持连续比较，请用 and 连接", self.tokens[self.index].pos)
        return node

    def parse_arith(self) -> Node:
        return self.chain(("+", "-"), lambda: self.chain(("*", "/"), self.parse_unary))

    def parse_unary(self) -> Node:
        if not self.at("-"):
            return self.parse_primary()
        token = self.advance()
        return Unary("-", self.nested(token, self.parse_unary))

    def parse_primary(self) -> Node:
        token = self.advance()
        if token.kind == "num":
            return self.number(token)
        if token.kind == "name":
            return (
                self.nested(token, lambda: self.call(token)) if self.at("(") else self.name(token)
            )
        if token.text in ("true", "false"):
            return Const(token.text == "true")
        if token.text == "(":
            node = self.nested(token, self.parse_or)
            self.expect_close(token)
            return node
        if token.kind == "end":
            raise self.error("公式不完整", token.pos)
        reason = "缺少运算数" if token.text in _INFIX else f"意外的符号 '{token.text}'"
        raise self.error(reason, token.pos)

    def number(self, token: _Token) -> Node:
        value = float(token.text)
        if not math.isfinite(value):
            raise self.error(f"数字超出范围 {token.text}", token.pos)
        return Const(value)

    def name(self, token: _Token) -> Node:
        if token.text in FUNCTIONS:
            raise self.error(f"{token.text} 是函数名，不能用作字段名", token.pos)
        self.names.add(token.text)
        return Name(token.text)

    def expect_close(self, opening: _Token) -> None:
        token = self.advance()
        if token.kind == "end":
            raise self.error("括号不匹配", opening.pos)
        if token.text != ")":
            raise self.error(f"意外的符号 '{token.text}'", token.pos)

    def argument(self) -> tuple[int, Node]:
        return self.tokens[self.index].pos, self.parse_or()

    def call(self, name: _Token) -> Node:
        if name.text not in FUNCTIONS:
            raise self.error(f"未知函数 {name.text}", name.pos)
        opening = self.advance()
        args = [] if self.at(")") else [self.argument()]
        while self.at(","):
            self.advance()
            args.append(self.argument())
        self.expect_close(opening)
        self.check_call(name, args)
        return Call(name.text, tuple(node for _, node in args))

    def check_call(self, name: _Token, args: list[tuple[int, Node]]) -> None:
        low, high = FUNCTIONS[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            need = f"至少需要 {low}" if high is None else f"需要 {low}"
            raise self.error(f"函数 {name.text} {need} 个参数", name.pos)
        if name.text == "round":
            start, digits = args[1]
            value = digits.value if isinstance(digits, Const) else None
            if isinstance(value, bool) or value not in range(_MAX_DIGITS + 1):
                raise self.error(f"round 的第二个参数必须是 0 到 {_MAX_DIGITS} 的整数", start)


# ---------------------------------------------------------------- public interface


@dataclass(frozen=True)
class Formula:
    """A parsed formula; ``names`` holds every field name it refers to."""

    text: str
    names: frozenset[str]
    root: Node = field(repr=False, compare=False)

    def to_polars(self, resolve: Resolver | None = None) -> pl.Expr:
        """Compile to a polars expression; names go through ``resolve`` (default ``pl.col``)."""
        return self.root.to_expr(resolve or pl.col)

    def evaluate(self, env: Mapping[str, float | int | bool | None]) -> float | bool | None:
        """Evaluate in plain Python; a name absent from ``env`` is missing (None)."""
        return self.root.py_eval(env)

    def is_boolean(self) -> bool:
        """True when the top node is a comparison, and/or/not, true/false, or a boolean if."""
        return self.root.is_bool()


def parse(text: str) -> Formula:
    """Parse formula text; a syntax error raises :class:`FormulaError`."""
    parser = _Parser(text)
    root = parser.parse()
    return Formula(text, frozenset(parser.names), root)
