"""County items (县级指标), school-scope items, and vetoes (一票否决)."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from dudao.engine.results import ItemResult, VetoResult
from dudao.engine.schooltypes import TYPE_LEVELS
from dudao.engine.spec import Framework, Item

CountyValues = Mapping[str, float | bool | None]
OP_LABELS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}
MAX_LISTED = 10


def compare(value: float | bool | None, op: str, threshold: float | None) -> bool | None:
    """Apply an item's test; a missing value gives None (incomplete)."""
    if value is None:
        return None
    if op in ("true", "false"):
        return bool(value) is (op == "true")
    assert threshold is not None
    v = float(value)
    return {
        ">=": v >= threshold,
        "<=": v <= threshold,
        ">": v > threshold,
        "<": v < threshold,
        "==": v == threshold,
    }[op]


def show(value: float | bool | None) -> str:
    if value is None:
        return "未填报"
    if isinstance(value, bool):
        return "是" if value else "否"
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _county_item(fw: Framework, item: Item, values: CountyValues) -> ItemResult:
    value = item.formula.evaluate(values)
    passed = compare(value, item.op, item.threshold)
    if passed is None:
        missing = [_label(fw, n) for n in sorted(item.formula.names) if values.get(n) is None]
        detail = "缺少数据：" + "、".join(missing) if missing else "无法计算（分母为 0）"
    elif item.op in ("true", "false"):
        detail = show(value)
    else:
        detail = f"{show(value)}（标准 {OP_LABELS[item.op]} {show(item.threshold)}）"
    return ItemResult(
        item.key, item.label, item.group, "county", value, passed, detail, item.status
    )


def _school_checks(item: Item, schools: pl.DataFrame) -> pl.DataFrame:
    """Per county: the failing and the undecidable schools of one school-scope item."""
    expr = item.formula.to_polars()
    if item.op in ("true", "false"):
        ok = expr.cast(pl.Boolean) if item.op == "true" else ~expr.cast(pl.Boolean)
    else:
        assert item.threshold is not None
        ok = _op_expr(expr, item.op, item.threshold)
    name = pl.col("school_name")
    return (
        schools.select("county", "school_name", ok.alias("ok"))
        .group_by("county", maintain_order=True)
        .agg(
            pl.len().alias("total"),
            name.filter(pl.col("ok") == False).alias("failing"),  # noqa: E712
            name.filter(pl.col("ok").is_null()).alias("unknown"),
        )
    )


def _school_result(item: Item, total: int, failing: list[str], unknown: list[str]) -> ItemResult:
    if failing:
        passed: bool | None = False
        detail = f"{len(failing)} 所学校不符合：{_names(failing)}"
    elif unknown:
        passed = None
        detail = f"{len(unknown)} 所学校缺少数据：{_names(unknown)}"
    else:
        passed = True
        detail = f"全部 {total} 所学校符合"
    value = float(len(failing)) if passed is False else None
    return ItemResult(
        item.key, item.label, item.group, "school", value, passed, detail, item.status
    )


def evaluate_school_items(fw: Framework, schools: pl.DataFrame) -> dict[str, dict[str, ItemResult]]:
    """Every school-scope item for every county in one pass per item."""
    out: dict[str, dict[str, ItemResult]] = {}
    scoped = compulsory_schools(schools) if schools.height else schools
    for item in (i for i in fw.items if i.scope == "school"):
        if not scoped.height:
            break
        for row in _school_checks(item, scoped).iter_rows(named=True):
            result = _school_result(item, row["total"], row["failing"], row["unknown"])
            out.setdefault(row["county"], {})[item.key] = result
    return out


def _no_schools(item: Item) -> ItemResult:
    detail = "没有该区县的学校数据"
    return ItemResult(item.key, item.label, item.group, "school", None, None, detail, item.status)


def _label(fw: Framework, key: str) -> str:
    field = fw.county_field(key)
    return field.label if field else key


def _op_expr(expr: pl.Expr, op: str, threshold: float) -> pl.Expr:
    return {
        ">=": expr >= threshold,
        "<=": expr <= threshold,
        ">": expr > threshold,
        "<": expr < threshold,
        "==": expr == threshold,
    }[op]


def _names(names: list[str]) -> str:
    shown = "、".join(names[:MAX_LISTED])
    return shown + (f" 等 {len(names)} 所" if len(names) > MAX_LISTED else "")


def compulsory_schools(schools: pl.DataFrame) -> pl.DataFrame:
    """Schools that serve a compulsory level (the scope of school-level government items)."""
    types = [t for t, lvs in TYPE_LEVELS.items() if {"primary", "junior"} & set(lvs)]
    return schools.filter(pl.col("school_type").is_in(types))


def evaluate_county_items(
    fw: Framework, values: CountyValues, school_items: Mapping[str, ItemResult]
) -> list[ItemResult]:
    """All items in the framework's order: county items from `values`, school items from
    the results of evaluate_school_items() for this county."""
    return [
        school_items.get(i.key, _no_schools(i))
        if i.scope == "school"
        else _county_item(fw, i, values)
        for i in fw.items
    ]


def evaluate_vetoes(fw: Framework, values: CountyValues) -> list[VetoResult]:
    out = []
    for v in fw.vetoes:
        raw = values.get(v.field)
        out.append(VetoResult(v.key, v.label, None if raw is None else bool(raw), v.status))
    return out
