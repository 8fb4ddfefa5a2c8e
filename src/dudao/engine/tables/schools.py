"""Reading the school table (学校基础数据): typed values and the checks across cells and rows."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dudao.engine.spec import LEVEL_LABELS, Framework
from dudao.engine.tables.conventions import (
    NON_BLANK_INFO,
    PART_WHOLE,
    SCHOOLS_SHEET,
    _not_serving,
)
from dudao.engine.tables.errors import _Errors
from dudao.engine.tables.header import _Column, _Layout, _layout
from dudao.engine.tables.sheets import (
    _clean,
    _first,
    _number,
    _plain,
    _read_sheet,
    _Sheet,
    _shown,
)


def _data(sheet: _Sheet, layout: _Layout) -> pl.DataFrame:
    """Data rows with raw text `<key>@raw` per mapped column; all-blank rows dropped."""
    rows = sheet.cells.slice(layout.data_start)
    raw = [
        pl.col(c.source).str.strip_chars().replace("", None).alias(f"{k}@raw")
        for k, c in layout.columns.items()
    ]
    frame = rows.select(pl.col("_row"), *raw)
    if not layout.columns:
        return frame.clear()
    return frame.filter(~pl.all_horizontal(pl.col(f"{k}@raw").is_null() for k in layout.columns))


def _parse(frame: pl.DataFrame, layout: _Layout) -> pl.DataFrame:
    """Add `<key>` (typed value) and `<key>@err` (reason or null) for every mapped column."""
    numbers = [c.key for c in layout.columns.values() if c.spec.scope != "info"]
    plain = frame.select(_plain(f"{k}@raw").alias(k) for k in numbers).row(0) if numbers else ()
    messy = {k for k, ok in zip(numbers, plain, strict=True) if not ok}
    frame = frame.with_columns(_clean(f"{k}@raw").alias(f"{k}@txt") for k in messy)
    exprs: list[pl.Expr] = []
    for c in layout.columns.values():
        if c.spec.scope == "info":
            value, reason = _text(c)
        else:
            value, reason = _number(
                pl.col(f"{c.key}@txt" if c.key in messy else f"{c.key}@raw"),
                integer=c.spec.integer,
                negative=False,
                wan=c.wan,
                plain=c.key not in messy,
            )
        exprs += [value.alias(c.key), reason.alias(f"{c.key}@err")]
    return frame.with_columns(exprs)


def _text(c: _Column) -> tuple[pl.Expr, pl.Expr]:
    value = pl.col(f"{c.key}@raw")
    listed = "、".join(c.spec.choices)
    cases: list[tuple[pl.Expr, str]] = []
    if c.key in NON_BLANK_INFO:
        blank = f"不能为空，应为以下之一：{listed}" if listed else "不能为空"
        cases.append((value.is_null(), blank))
    if c.spec.choices:
        cases.append((~value.is_in(c.spec.choices), f"应为以下之一：{listed}"))
    return value, _first(cases)


def _cell_errors(frame: pl.DataFrame, mask: pl.Expr, c: _Column, reason: pl.Expr) -> pl.DataFrame:
    return frame.filter(mask).select(
        pl.col("_row"),
        pl.lit(c.pos, pl.Int64).alias("_pos"),
        pl.lit(c.header).alias("column"),
        pl.col(f"{c.key}@raw").alias("value"),
        reason.alias("reason"),
    )


def _value_errors(frame: pl.DataFrame, layout: _Layout, errors: _Errors) -> None:
    for c in layout.columns.values():
        err = pl.col(f"{c.key}@err")
        errors.add_frame(_cell_errors(frame, err.is_not_null(), c, err))


def _check_levels(frame: pl.DataFrame, layout: _Layout, errors: _Errors) -> None:
    if "school_type" not in layout.columns:
        return
    school_type = pl.col("school_type")
    for c in layout.columns.values():
        if c.level is None:
            continue
        value = pl.col(c.key)
        mask = school_type.is_in(_not_serving(c.level)) & value.is_not_null() & (value != 0)
        tail = f"，不应填写{LEVEL_LABELS[c.level]}学段数据（请留空）"
        reason = pl.concat_str([pl.lit("该校类型为"), school_type, pl.lit(tail)])
        errors.add_frame(_cell_errors(frame, mask, c, reason))


def _part_whole_pairs(layout: _Layout) -> list[tuple[_Column, _Column]]:
    pairs: list[tuple[_Column, _Column]] = []
    cols = layout.columns
    for part, whole in PART_WHOLE:
        for c in cols.values():
            whole_key = f"{whole}_{c.level}" if c.level else whole
            if c.spec.key == part and whole_key in cols and cols[whole_key].spec.key == whole:
                pairs.append((c, cols[whole_key]))
    return pairs


def _check_parts(frame: pl.DataFrame, layout: _Layout, errors: _Errors) -> None:
    for part, whole in _part_whole_pairs(layout):
        p, w = pl.col(part.key), pl.col(whole.key)
        mask = p.is_not_null() & w.is_not_null() & (p > w)
        reason = pl.concat_str(
            [
                pl.lit(f"{part.header}（"),
                _shown(p),
                pl.lit(f"）不能大于{whole.header}（"),
                _shown(w),
                pl.lit("）"),
            ]
        )
        errors.add_frame(_cell_errors(frame, mask, part, reason))


def _check_duplicates(frame: pl.DataFrame, layout: _Layout, errors: _Errors) -> None:
    if not {"county", "school_code"} <= layout.columns.keys():
        return
    code = layout.columns["school_code"]
    keyed = frame.filter(pl.col("county").is_not_null() & pl.col("school_code").is_not_null())
    first = pl.col("_row").min().over("county", "school_code")
    keyed = keyed.with_columns(first.alias("_first"))
    reason = pl.concat_str(
        [
            pl.lit("区县“"),
            pl.col("county"),
            pl.lit("”内学校标识码重复：与第 "),
            pl.col("_first").cast(pl.String),
            pl.lit(" 行相同"),
        ]
    )
    errors.add_frame(_cell_errors(keyed, pl.col("_row") != pl.col("_first"), code, reason))


def _output(frame: pl.DataFrame, layout: _Layout, fw: Framework, sheet: str) -> pl.DataFrame:
    exprs: list[pl.Expr] = [pl.lit(sheet, pl.String).alias("_sheet"), pl.col("_row")]
    types = pl.col("school_type") if "school_type" in layout.columns else pl.lit(None, pl.String)
    for f, key, _label, level in fw.field_columns():
        dtype = pl.String if f.scope == "info" else pl.Float64
        value = pl.col(key).cast(dtype) if key in layout.columns else pl.lit(None, dtype)
        if level is not None:
            value = pl.when(types.is_in(_not_serving(level))).then(0.0).otherwise(value)
        exprs.append(value.alias(key))
    return frame.select(exprs)


def read_schools(path: Path, fw: Framework, sheet: str | None = None) -> pl.DataFrame:
    """Read the school table (.xlsx or .csv) of a framework: one row per school.

    Returns `_sheet`, `_row` (row number as the user sees it) and every field column in
    `fw.field_columns()` order (info fields as text, the rest Float64). Level columns of levels a
    school's type does not serve are 0.0. Raises :class:`InputErrors` listing every problem.
    """
    source = _read_sheet(path, sheet, SCHOOLS_SHEET)
    errors = _Errors(source.name)
    layout = _layout(source, fw, errors)
    frame = _parse(_data(source, layout), layout)
    _value_errors(frame, layout, errors)
    _check_levels(frame, layout, errors)
    _check_parts(frame, layout, errors)
    _check_duplicates(frame, layout, errors)
    errors.raise_if_any()
    return _output(frame, layout, fw, source.name)
