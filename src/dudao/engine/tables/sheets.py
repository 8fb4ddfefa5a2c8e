"""Raw sheets as text, the comparison form of headers, and the column conversion expressions.

Numeric Excel cells arrive as text rounded to 9 decimal places (fastexcel's string conversion); that
is exact for anything a person types and far below the precision of areas, money or head counts.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastexcel
import polars as pl

from dudao.engine.tables.errors import _EXCEL_SUFFIXES, InputError, InputErrors, _fail

#: Cell texts that mean "no value" (after NFKC normalisation and stripping).
BLANKS = ("", "-", "--", "—", "——", "–", "/")

_HEADER_SCAN = 10  # rows searched for the header (a title row above it is allowed)
_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$"
_UNIT = re.compile(r"^(.+)\(([^()]*)\)$")
_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")"})


# ---------------------------------------------------------------- raw sheets


@dataclass(frozen=True)
class _Sheet:
    """One sheet as text: String columns c0, c1, … and `_row`, the row number the user sees."""

    name: str  # worksheet name, or the file name for CSV
    cells: pl.DataFrame


def _read_sheet(path: Path, sheet: str | None, default: str) -> _Sheet:
    if not path.is_file():
        raise _fail(path.name, "找不到这个文件")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in _EXCEL_SUFFIXES:
        return _read_excel(path, sheet, default)
    raise _fail(path.name, f"不支持的文件类型“{path.suffix}”，请使用 .xlsx 或 .csv 文件")


def _pick_sheet(file: str, names: Sequence[str], wanted: str | None, default: str) -> str:
    if wanted is not None and wanted not in names:
        known = "、".join(names)
        raise _fail(file, f"没有名为“{wanted}”的工作表；文件中的工作表有：{known}")
    if not names:
        raise _fail(file, "文件中没有工作表")
    return wanted or (default if default in names else names[0])


def _read_excel(path: Path, sheet: str | None, default: str) -> _Sheet:
    """Every cell as text (calamine via fastexcel, what polars.read_excel uses underneath)."""
    try:
        reader = fastexcel.read_excel(path)
        name = _pick_sheet(path.name, reader.sheet_names, sheet, default)
        # header_row=None with skip_rows=0 keeps leading blank rows, so row numbers stay true.
        loaded = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
        frame = loaded.to_polars()
    except (fastexcel.FastExcelError, pl.exceptions.PolarsError, OSError) as exc:
        raise _fail(path.name, f"无法读取 Excel 文件：{str(exc).splitlines()[0]}") from exc
    return _Sheet(name, _numbered(frame, [*range(1, frame.height + 1)]))


def _numbered(frame: pl.DataFrame, rows: list[int]) -> pl.DataFrame:
    named = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    return named.cast(pl.String).with_columns(pl.Series("_row", rows, dtype=pl.Int64))


def _read_csv(path: Path) -> _Sheet:
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            records.append(record)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputErrors(
            [InputError(path.name, start, None, None, f"CSV 格式错误：{exc}")]
        ) from exc
    width = max(map(len, records), default=0)
    padded = [r + [""] * (width - len(r)) for r in records]
    columns = list(zip(*padded, strict=True)) if padded else [() for _ in range(width)]
    frame = pl.DataFrame(
        {f"c{i}": list(col) for i, col in enumerate(columns)},
        schema={f"c{i}": pl.String for i in range(width)},
    )
    return _Sheet(path.name, _numbered(frame, lines))


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _fail(path.name, "无法识别文件编码，请另存为“CSV UTF-8”格式")


def _head(sheet: _Sheet) -> list[tuple[Any, ...]]:
    return sheet.cells.head(_HEADER_SCAN).drop("_row").rows()


def _norm(text: str | None) -> str:
    """Header/choice comparison form: NFKC (full-width → half-width), no spaces, lower case."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    return re.sub(r"\s+", "", folded).lower()


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


# ---------------------------------------------------------------- conversion expressions


def _clean(src: str, *, percent: bool = False) -> pl.Expr:
    """Cell text normalised for number parsing; null when blank or a dash."""
    text = pl.col(src).str.normalize("NFKC").str.strip_chars()
    if percent:
        text = text.str.strip_suffix("%").str.strip_chars()
    return pl.when(text.is_in(BLANKS)).then(None).otherwise(text)


def _first(cases: Sequence[tuple[pl.Expr, str]]) -> pl.Expr:
    """The message of the first case whose condition holds, else null."""
    if not cases:
        return pl.lit(None, pl.String)
    return pl.coalesce([pl.when(cond).then(pl.lit(message)) for cond, message in cases])


def _plain(src: str) -> pl.Expr:
    """Whether every cell of a column is blank or a plain finite number (the fast path: most
    columns of most files need no Unicode normalisation and no separator handling)."""
    finite = pl.col(src).cast(pl.Float64, strict=False).is_finite().fill_null(value=False)
    return (pl.col(src).is_null() | finite).all()


def _number(
    text: pl.Expr, *, integer: bool, negative: bool, wan: bool, plain: bool = False
) -> tuple[pl.Expr, pl.Expr]:
    """(value, reason) from cleaned text: value is Float64 (null if blank or bad), reason the
    Chinese problem or null. `plain` text is known to be blank or a finite number (`_plain`)."""
    digits = text if plain else text.str.replace_all(",", "", literal=True)
    value = digits.cast(pl.Float64, strict=False)
    cases: list[tuple[pl.Expr, str]] = []
    if not plain:
        invalid = text.is_not_null() & (value.is_null() | ~value.is_finite())
        cases.append((invalid, "不是有效的数字（不知道时请留空）"))
        misplaced = text.str.contains(",", literal=True) & ~text.str.contains(_THOUSANDS)
        cases.append((misplaced, "不是有效的数字：千位分隔符“,”的位置不对"))
    if not negative:
        cases.append((value < 0, "不能为负数"))
    if integer:
        cases.append((value != value.floor(), "应为整数"))
    reason = _first(cases)
    scaled = _wan(digits, value) if wan else value
    return pl.when(reason.is_null()).then(scaled), reason


def _wan(digits: pl.Expr, value: pl.Expr) -> pl.Expr:
    """万元 → 元 by moving the written decimal point four places (exact, no binary rounding)."""
    parts = digits.str.extract_groups(r"^([+-]?\d*)(?:\.(\d*))?$")
    fraction = parts.struct.field("2").fill_null("").str.pad_end(4, "0")
    shifted = pl.concat_str(
        [parts.struct.field("1"), fraction.str.slice(0, 4), pl.lit("."), fraction.str.slice(4)]
    ).cast(pl.Float64, strict=False)
    return pl.coalesce(shifted, value * 10_000)


def _shown(expr: pl.Expr) -> pl.Expr:
    """A number as a short text for messages: 12.0 → "12"."""
    return expr.round(9).cast(pl.String).str.replace(r"\.0$", "")
