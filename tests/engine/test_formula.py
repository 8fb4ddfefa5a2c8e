"""dudao.engine.formula：解析、报错位置、Python 与 polars 两种求值的一致性。"""

from __future__ import annotations

import math
import pickle
from collections.abc import Mapping
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dudao.engine.formula import Formula, FormulaError, parse

Env = Mapping[str, float | int | bool | None]


def run_polars(formula: Formula, env: Env) -> Any:
    """用 polars 求值：同一行重复两遍（可暴露广播长度问题），缺失字段补为全空列。"""
    columns = {name: [env.get(name)] * 2 for name in formula.names} | {"__row": [0.0, 1.0]}
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.Float64))
    first, second = frame.with_columns(formula.to_polars().alias("__r"))["__r"].to_list()
    assert same(first, second)
    return first


def both(text: str, env: Env | None = None) -> Any:
    """两种后端求值并断言一致，返回结果。"""
    formula = parse(text)
    env = env or {}
    py, pol = formula.evaluate(env), run_polars(formula, env)
    assert same(py, pol), (text, env, py, pol)
    return py


def same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# ---------------------------------------------------------------- 优先级与基本运算


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 - 4 - 3", 3.0),
        ("24 / 4 / 2", 3.0),
        ("-2 * 3", -6.0),
        ("2 * -3", -6.0),
        ("- -4", 4.0),
        ("-(1 + 2) * 2", -6.0),
        ("1 + 2 < 4", True),
        ("not 1 > 2", True),
        ("not 1 < 2 and true", False),
        ("true or false and false", True),
        ("(true or false) and false", False),
        ("not true or true", True),
        ("not (true or true)", False),
        ("1 == 1 and 2 != 3", True),
        ("3 >= 3 and 2 <= 1", False),
        (".5 + 4.2", 4.7),
        ("1e3 / 1E1", 100.0),
        ("12", 12.0),
        ("false", False),
    ],
)
def test_precedence(text: str, expected: float | bool) -> None:
    result = both(text)
    assert result == expected and type(result) is type(expected)


def test_names_collected() -> None:
    formula = parse("if(teachers_above_degree / students >= 0.8, max(a, b, c), abs(-d))")
    assert formula.names == frozenset({"teachers_above_degree", "students", "a", "b", "c", "d"})
    assert parse("1 + 2").names == frozenset()
    assert parse("a + a * a").names == frozenset({"a"})


def test_is_boolean() -> None:
    for text in ("a < b", "a and b", "not a", "true", "false", "a or b", "(a == 1)"):
        assert parse(text).is_boolean(), text
    for text in ("a", "a + 1", "min(a, b)", "if(a, 1, 2)", "1"):
        assert not parse(text).is_boolean(), text
    assert parse("if(a, b > 1, false)").is_boolean()


def test_formula_is_frozen_value() -> None:
    formula = parse("a + b")
    assert formula.text == "a + b"
    assert formula == parse("a + b")
    with pytest.raises(AttributeError):
        formula.text = "c"  # type: ignore[misc]


# ---------------------------------------------------------------- 错误与位置


@pytest.mark.parametrize(
    ("text", "reason", "position"),
    [
        ("", "公式为空", 0),
        ("   ", "公式为空", 0),
        ("a $ b", "无法识别的字符 '$'", 2),
        ("a + )", "意外的符号 ')'", 4),
        ("a b", "意外的符号 'b'", 2),
        ("(a + b", "括号不匹配", 0),
        ("x * ((a + b)", "括号不匹配", 4),
        ("min(a, b", "括号不匹配", 3),
        ("a + b)", "括号不匹配", 5),
        ("a +", "公式不完整", 3),
        ("not", "公式不完整", 3),
        ("* 3", "缺少运算数", 0),
        ("a + * b", "缺少运算数", 4),
        ("a and or b", "缺少运算数", 6),
        ("foo(1)", "未知函数 foo", 0),
        ("1 + sqrt(4)", "未知函数 sqrt", 4),
        ("if(1, 2)", "函数 if 需要 3 个参数", 0),
        ("x + ceil(1, 2)", "函数 ceil 需要 1 个参数", 4),
        ("min(1)", "函数 min 至少需要 2 个参数", 0),
        ("max()", "函数 max 至少需要 2 个参数", 0),
        ("round(a)", "函数 round 需要 2 个参数", 0),
        ("round(a, b)", "round 的第二个参数必须是 0 到 15 的整数", 9),
        ("round(a, 2.5)", "round 的第二个参数必须是 0 到 15 的整数", 9),
        ("round(a, -1)", "round 的第二个参数必须是 0 到 15 的整数", 9),
        ("a < b < c", "不支持连续比较，请用 and 连接", 6),
        ("a == b != c", "不支持连续比较，请用 and 连接", 7),
        ("min + 1", "min 是函数名，不能用作字段名", 0),
        ("a, b", "意外的符号 ','", 1),
        ("min(a,, b)", "意外的符号 ','", 6),
        ("1e999", "数字超出范围 1e999", 0),
        ("a = 1", "无法识别的字符 '='", 2),
        ("a && b", "无法识别的字符 '&'", 2),
        ("学生数 / 2", "无法识别的字符 '学'", 0),
    ],
)
def test_errors(text: str, reason: str, position: int) -> None:
    with pytest.raises(FormulaError) as info:
        parse(text)
    error = info.value
    assert (error.reason, error.position, error.text) == (reason, position, text)
    assert str(error) == f"{reason}（第 {position + 1} 个字符）"
    assert isinstance(error, ValueError)


def test_error_pickles() -> None:
    with pytest.raises(FormulaError) as info:
        parse("a +")
    clone = pickle.loads(pickle.dumps(info.value))
    assert (clone.reason, clone.position, clone.text) == ("公式不完整", 3, "a +")


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "__import__(os)",
        "a.b",
        "a.__class__",
        "open('x')",
        "eval(1)",
        "exec(a)",
        "lambda: 1",
        "a[0]",
        "a ** 2",
        "a if b else c",
        "'abc'",
    ],
)
def test_python_constructs_rejected(text: str) -> None:
    with pytest.raises(FormulaError):
        parse(text)


def test_keywords_are_not_fields() -> None:
    for text in ("and + 1", "1 + or", "if + 1", "round"):
        with pytest.raises(FormulaError):
            parse(text)


def test_nesting_and_length_limits() -> None:
    assert both("(" * 20 + "1" + ")" * 20) == 1.0
    with pytest.raises(FormulaError, match="嵌套过深"):
        parse("(" * 40 + "1" + ")" * 40)
    with pytest.raises(FormulaError, match="嵌套过深"):
        parse("-" * 100 + "1")
    with pytest.raises(FormulaError, match="过长"):
        parse(" + ".join(["a"] * 1000))


# ---------------------------------------------------------------- 缺失值与逻辑


def test_division_by_zero_is_missing() -> None:
    assert both("a / b", {"a": 1, "b": 0}) is None
    assert both("a / 0") is None
    assert both("0 / 0") is None
    assert both("a / (b - b)", {"a": 3, "b": 2}) is None
    assert both("a / b", {"a": 1, "b": 4}) == 0.25


def test_missing_propagates() -> None:
    for text in ("a + 1", "a * 0", "-a", "a < 1", "a == a", "a / 1", "1 / a", "ceil(a)"):
        assert both(text, {"a": None}) is None, text
        assert both(text, {}) is None, text  # 未提供的字段同样视为缺失
    assert both("abs(a)", {"a": float("nan")}) is None


@pytest.mark.parametrize(
    ("a", "b", "conj", "disj"),
    [
        (True, True, True, True),
        (True, False, False, True),
        (True, None, None, True),
        (False, False, False, False),
        (False, None, False, None),
        (None, None, None, None),
        (None, True, None, True),
        (None, False, False, None),
    ],
)
def test_kleene_logic(a: bool | None, b: bool | None, conj: bool | None, disj: bool | None) -> None:
    env = {"x": None if a is None else float(a), "y": None if b is None else float(b)}
    assert both("x != 0 and y != 0", env) is conj
    assert both("x != 0 or y != 0", env) is disj
    assert both("x and y", env) is conj  # 数值作条件：非零为真
    assert both("not (x or y)", env) is (None if disj is None else not disj)


def test_numbers_as_conditions() -> None:
    assert both("not a", {"a": 0}) is True
    assert both("not a", {"a": -0.5}) is False
    assert both("if(a, 1, 2)", {"a": 3}) == 1.0
    assert both("if(a, 1, 2)", {"a": 0}) == 2.0
    assert both("if(a, 1, 2)", {"a": None}) is None


def test_if() -> None:
    assert both("if(a > 1, b, c)", {"a": 2, "c": 5}) is None  # 选中的分支缺失
    assert both("if(a > 1, b, c)", {"a": 0, "c": 7}) == 7.0  # 未选中的分支缺失无妨
    assert both("if(a > 1, true, a < 0)", {"a": 2}) is True
    assert both("if(a > 1, true, 5)", {"a": 2}) == 1.0  # 分支类型不同时按数值
    assert both("if(a / 0 > 1, 1, 2)", {"a": 1}) is None


def test_min_max() -> None:
    env = {"a": 3, "b": -1.5, "c": 10}
    assert both("min(a, b)", env) == -1.5
    assert both("max(a, b, c)", env) == 10.0
    assert both("min(a, b, d)", env) is None  # 任一参数缺失即缺失
    assert both("max(a, d)", env) is None
    assert both("max(a < 5, 0)", env) == 1.0


def test_rounding_functions() -> None:
    assert both("ceil(a)", {"a": 2.1}) == 3.0
    assert both("ceil(a)", {"a": -2.9}) == -2.0
    assert both("floor(a)", {"a": -2.1}) == -3.0
    assert both("abs(a)", {"a": -2.5}) == 2.5
    assert both("round(a, 0)", {"a": 2.5}) == 3.0  # 四舍五入，不是银行家舍入
    assert both("round(a, 0)", {"a": -2.5}) == -3.0
    assert both("round(a, 2)", {"a": 0.125}) == 0.13
    assert both("round(a / b, 1)", {"a": 2, "b": 3}) == 0.7
    assert both("round(a, 3)", {"a": None}) is None


def test_integer_columns_use_float_division() -> None:
    frame = pl.DataFrame({"a": [1, 7, 4], "b": [2, 0, 8]}, schema={"a": pl.Int64, "b": pl.Int64})
    result = frame.select(parse("a / b").to_polars().alias("r"))["r"]
    assert result.dtype == pl.Float64
    assert result.to_list() == [0.5, None, 0.5]
    assert parse("a / b").evaluate({"a": 1, "b": 2}) == 0.5


def test_boolean_result_dtype_and_types() -> None:
    frame = pl.DataFrame({"a": [1.0, None]})
    assert frame.select(parse("a > 0").to_polars())["a"].dtype == pl.Boolean
    assert parse("a > 0").evaluate({"a": 1}) is True
    value = parse("a").evaluate({"a": 3})
    assert isinstance(value, float) and value == 3.0
    assert parse("a + 1").evaluate({"a": True}) == 2.0


def test_custom_resolver() -> None:
    frame = pl.DataFrame({"x_students": [10, 20], "x_teachers": [1, 4]})
    formula = parse("teachers / students")
    expr = formula.to_polars(lambda name: pl.col(f"x_{name}"))
    assert frame.select(expr.alias("r"))["r"].to_list() == [0.1, 0.2]


@pytest.mark.parametrize(
    "text",
    ["0 < min(a, a)", "round(0, 0) < min(a, b)", "1 < if(a > 5, a, 0)", "0 == a / 0", "0 < a"],
)
def test_literal_compared_with_all_missing_column(text: str) -> None:
    """polars 2.1.0 中 lit < when(...).then(None).otherwise(x) 全走 null 分支时长度为 1。"""
    for value in (None, 1.0, float("nan")):
        frame = pl.DataFrame({"a": [value] * 3, "b": [2.0] * 3})
        result = frame.with_columns(parse(text).to_polars().alias("r"))["r"].to_list()
        expected = parse(text).evaluate({"a": value, "b": 2.0})
        assert len(result) == 3 and all(same(expected, got) for got in result), (text, value)


def test_constant_formula_fills_frame() -> None:
    frame = pl.DataFrame({"a": [1.0, 2.0, 3.0]})
    assert frame.select(parse("1 + 2").to_polars().alias("r"))["r"].to_list() == [3.0] * 3


# ---------------------------------------------------------------- 随机一致性


NAMES = ("a", "b", "c")
VALUES = st.one_of(
    st.none(),
    st.sampled_from([0.0, 0.0, 1.0, -1.0, 2.5]),
    st.integers(-4000, 4000).map(lambda k: k / 4),
)
LEAVES = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(["0", "1", "2", "0.5", ".25", "3", "1e1", "true", "false"]),
)


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    two = st.tuples(children, children)
    three = st.tuples(children, children, children)
    ops = st.sampled_from(["+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "and", "or"])
    unary = st.sampled_from(["-", "not ", "ceil", "floor", "abs"])
    return st.one_of(
        st.tuples(children, ops, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(unary, children).map(lambda t: f"({t[0]}({t[1]}))"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=2, max_size=4)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        three.map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(children, st.integers(0, 4)).map(lambda t: f"round({t[0]}, {t[1]})"),
        two.map(lambda t: f"{t[0]} / {t[1]}"),  # 不加括号，考验优先级
    )


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=14)
ROWS = st.lists(st.fixed_dictionaries(dict.fromkeys(NAMES, VALUES)), min_size=1, max_size=6)


@settings(max_examples=400, deadline=None)
@given(text=EXPRESSIONS, rows=ROWS)
def test_python_and_polars_agree(text: str, rows: list[dict[str, float | None]]) -> None:
    formula = parse(text)
    frame = pl.DataFrame(rows, schema=dict.fromkeys(NAMES, pl.Float64))
    result = frame.with_columns(formula.to_polars().alias("__r"))["__r"]
    assert (result.dtype == pl.Boolean) == formula.is_boolean()
    for row, got in zip(rows, result.to_list(), strict=True):
        expected = formula.evaluate(row)
        assert same(expected, got), (text, row, expected, got)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab(),.-+*/<>=! 01e_notandifminround$", max_size=40))
def test_parse_only_raises_formula_error(text: str) -> None:
    try:
        formula = parse(text)
    except FormulaError as error:
        assert 0 <= error.position <= len(text)
        return
    value = formula.evaluate({"a": 1.0, "b": 0.0})
    assert value is None or isinstance(value, bool | float)
