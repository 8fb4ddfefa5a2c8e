"""Reading the county items (县级指标): long format, one value per county and field key."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
from openpyxl.utils.exceptions import InvalidFileException

from dudao.engine.spec import CountyField, Framework
from dudao.engine.tables.conventions import COUNTY_SHEET, CountyValues
from dudao.engine.tables.errors import _Errors, _fail
from dudao.engine.tables.sheets import (
    _UNIT,
    BLANKS,
    _blank,
    _clean,
    _head,
    _norm,
    _number,
    _numbered,
    _pick_sheet,
    _read_sheet,
    _Sheet,
)

TRUE_WORDS = frozenset({"是", "有", "true", "1", "√", "✓", "✔", "y", "yes"})
FALSE_WORDS = frozenset({"否", "无", "false", "0", "×", "✗", "✘", "n", "no"})
COUNTY_HEADERS: dict[str, tuple[str, ...]] = {
    "county": ("区县", "county", "县区", "县(市、区)"),
    "key": ("字段键", "key"),
    "label": ("指标", "label", "指标名称"),
    "value": ("填写值", "value", "值"),
}


def _read_county_sheet(path: Path, sheet: str | None) -> _Sheet:
    """Like `_read_sheet`, but .xlsx goes through openpyxl so that a cell typed as 85% (stored as
    0.85 with a percent format) is read as the 85 the clerk sees. The sheet is small."""
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return _read_sheet(path, sheet, COUNTY_SHEET)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as exc:
        raise _fail(path.name, f"无法读取 Excel 文件：{exc}") from exc
    try:
        name = _pick_sheet(path.name, book.sheetnames, sheet, COUNTY_SHEET)
        rows = [[_cell_text(c) for c in row] for row in book[name].iter_rows()]
    finally:
        book.close()
    width = max(map(len, rows), default=0)
    data = {f"c{i}": [r[i] if i < len(r) else None for r in rows] for i in range(width)}
    frame = pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))
    return _Sheet(name, _numbered(frame, [*range(1, len(rows) + 1)]))


def _cell_text(cell: Any) -> str | None:
    value = cell.value
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if "%" in str(cell.number_format):
            value = round(value * 100, 9)
        return repr(value)
    return str(value)


def _county_columns(sheet: _Sheet) -> tuple[int, dict[str, int]]:
    """(index of the header row, role → column position) of a county items sheet."""
    names = {_norm(n): role for role, ns in COUNTY_HEADERS.items() for n in ns}
    for i, row in enumerate(_head(sheet)):
        roles: dict[str, int] = {}
        for pos, cell in enumerate(row):
            role = names.get(_norm(cell))
            if role is not None:
                roles.setdefault(role, pos)
        if "value" in roles and ("key" in roles or "label" in roles):
            return i, roles
    reason = "找不到表头：应有“区县”“字段键”（或“指标”）“填写值”列"
    raise _fail(sheet.name, reason)


@dataclass(frozen=True)
class _CountyRow:
    row: int
    county: str
    key: str
    label: str
    value: str
    number: float | None
    number_error: str | None


def _county_rows(sheet: _Sheet) -> tuple[list[_CountyRow], dict[str, str]]:
    """The data rows of a county items sheet, and role → header text as written."""
    at, roles = _county_columns(sheet)
    if "county" not in roles:
        raise _fail(sheet.name, "缺少列“区县”")

    def col(role: str) -> pl.Expr:
        if role not in roles:
            return pl.lit("", pl.String)
        return pl.col(f"c{roles[role]}").fill_null("").str.strip_chars()

    value, reason = _number(
        _clean(f"c{roles['value']}", percent=True), integer=False, negative=True, wan=False
    )
    frame = sheet.cells.slice(at + 1).select(
        pl.col("_row").alias("row"),
        col("county").replace("", None).forward_fill().fill_null("").alias("county"),
        col("key").alias("key"),
        col("label").alias("label"),
        col("value").alias("value"),
        value.alias("number"),
        reason.alias("number_error"),
    )
    header = _head(sheet)[at]
    headers = {role: str(header[pos]).strip() for role, pos in roles.items()}
    return [_CountyRow(**r) for r in frame.iter_rows(named=True)], headers


def _county_field(
    r: _CountyRow, fw: Framework, headers: dict[str, str], errors: _Errors
) -> CountyField | None:
    if r.key:
        found = fw.county_field(_norm(r.key))
        if found is None:
            errors.add(f"未知的字段键“{r.key}”", r.row, headers["key"], r.key)
        return found
    lookup = {_norm(c.label): c for c in fw.county_fields}
    by_label = lookup.get(_norm(r.label))
    if by_label is None:
        m = _UNIT.match(_norm(r.label))
        by_label = lookup.get(m.group(1)) if m else None
    if by_label is None:
        errors.add(f"未知的指标“{r.label}”", r.row, headers.get("label"), r.label)
    return by_label


def _county_value(
    r: _CountyRow, cf: CountyField, headers: dict[str, str], errors: _Errors
) -> tuple[bool, float | bool | None]:
    if _norm(r.value) in ("", *BLANKS):
        return True, None
    if cf.kind == "bool":
        word = _norm(r.value)
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return True, word in TRUE_WORDS
        errors.add("应填“是”或“否”", r.row, headers["value"], r.value)
        return False, None
    if r.number_error is not None:
        errors.add(r.number_error, r.row, headers["value"], r.value)
        return False, None
    return True, r.number


def read_county_items(path: Path, fw: Framework, sheet: str | None = None) -> CountyValues:
    """Read county-level inputs in long format (区县 · 字段键/指标 · 填写值), per county.

    A blank county cell continues the county above it. Blank values read as None; keys a county
    does not list are absent from its dict. Raises :class:`InputErrors` listing every problem.
    """
    source = _read_county_sheet(path, sheet)
    errors = _Errors(source.name)
    rows, headers = _county_rows(source)
    out: CountyValues = {}
    seen: dict[tuple[str, str], int] = {}
    for r in rows:
        cf = _county_entry(r, fw, headers, errors)
        if cf is None:
            continue
        ok, value = _county_value(r, cf, headers, errors)
        if not _first_entry(r, cf, seen, headers, errors) or not ok:
            continue
        out.setdefault(r.county, {})[cf.key] = value
    errors.raise_if_any()
    return out


def _county_entry(
    r: _CountyRow, fw: Framework, headers: dict[str, str], errors: _Errors
) -> CountyField | None:
    """The field a row fills, or None for rows to skip (blank, or in error)."""
    if not (r.key or r.label or r.value):
        return None
    cf = _county_field(r, fw, headers, errors)
    if cf is None or (not r.county and _blank(r.value)):  # a blank template row
        return None
    if not r.county:
        errors.add("请填写区县", r.row, headers["county"], None)
        return None
    return cf


def _first_entry(
    r: _CountyRow,
    cf: CountyField,
    seen: dict[tuple[str, str], int],
    headers: dict[str, str],
    errors: _Errors,
) -> bool:
    """Record a (county, key) pair; False (and an error) when it was already given."""
    first = seen.setdefault((r.county, cf.key), r.row)
    if first != r.row:
        reason = f"区县“{r.county}”的“{cf.label}”重复：与第 {first} 行相同"
        errors.add(reason, r.row, headers.get("key") or headers.get("label"), r.key or None)
    return first == r.row
