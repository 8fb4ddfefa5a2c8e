"""The input tables: school base data (学校基础数据), county items (县级指标) and the template.

Reading is all-or-nothing. Every problem in a file is collected as an :class:`InputError` (sheet,
row as Excel shows it, column header as written, cell value, Chinese reason) and raised together as
:class:`InputErrors`; nothing partial is returned. Cells are read as text and converted column-wise
with polars expressions, so only bad cells cost Python work.

Numeric Excel cells arrive as text rounded to 9 decimal places (fastexcel's string conversion); that
is exact for anything a person types and far below the precision of areas, money or head counts.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fastexcel
import openpyxl
import polars as pl
import xlsxwriter
from openpyxl.utils.exceptions import InvalidFileException

from dudao.engine.schooltypes import TYPE_LEVELS
from dudao.engine.spec import LEVEL_LABELS, CountyField, FieldSpec, Framework

SCHOOLS_SHEET = "学校基础数据"
COUNTY_SHEET = "县级指标"
GUIDE_SHEET = "填表说明"
TEMPLATE_ROWS = 10_000  # data rows of the template that carry Excel data validation
MAX_ERRORS = 1000  # errors listed one by one; the rest are counted
MANDATORY_INFO = ("school_code", "school_name", "county", "school_type", "ownership")
NON_BLANK_INFO = ("school_code", "county", "school_type", "ownership")
#: (part, whole) field pairs: the part may not exceed the whole (per level for level fields).
#: A framework that lacks either field skips the pair.
PART_WHOLE: tuple[tuple[str, str], ...] = (
    ("teachers_above_degree", "teachers"),
    ("backbone_teachers", "teachers"),
    ("pe_art_teachers", "teachers"),
    ("senior_title_teachers", "teachers"),
)
#: Cell texts that mean "no value" (after NFKC normalisation and stripping).
BLANKS = ("", "-", "--", "—", "——", "–", "/")
WAN = "万元"
TRUE_WORDS = frozenset({"是", "有", "true", "1", "√", "✓", "✔", "y", "yes"})
FALSE_WORDS = frozenset({"否", "无", "false", "0", "×", "✗", "✘", "n", "no"})
COUNTY_HEADERS: dict[str, tuple[str, ...]] = {
    "county": ("区县", "county", "县区", "县(市、区)"),
    "key": ("字段键", "key"),
    "label": ("指标", "label", "指标名称"),
    "value": ("填写值", "value", "值"),
}

_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_HEADER_SCAN = 10  # rows searched for the header (a title row above it is allowed)
_SHOWN_ERRORS = 5
_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$"
_UNIT = re.compile(r"^(.+)\(([^()]*)\)$")
_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")"})
_ERROR_SCHEMA: dict[str, pl.DataType] = {
    "_row": pl.Int64(),
    "_pos": pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    "reason": pl.String(),
}

CountyValues = dict[str, dict[str, float | bool | None]]


# ---------------------------------------------------------------- errors


@dataclass(frozen=True)
class InputError:
    """One problem in an input file, located the way the user sees the file."""

    sheet: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{_sheet_word(self.sheet)}“{self.sheet}”" if self.sheet else ""
        if self.row is not None:
            where += f"第 {self.row} 行"
        parts = [where] if where else []
        if self.column is not None:
            parts.append(f"列“{self.column}”")
        if self.value is not None:
            parts.append(f"值“{self.value}”")
        return "，".join(parts) + "：" + self.reason if parts else self.reason


def _sheet_word(sheet: str) -> str:
    """CSV files, and problems with a whole file, are located by the file name."""
    return "文件" if Path(sheet).suffix.lower() in (".csv", *_EXCEL_SUFFIXES) else "工作表"


class InputErrors(Exception):
    """Every problem found in an input file; raised instead of returning partial data."""

    def __init__(self, errors: list[InputError], total: int | None = None) -> None:
        self.errors = errors
        self.total = len(errors) if total is None else total
        super().__init__(self._summary())

    def _summary(self) -> str:
        lines = [f"共 {self.total} 处错误："]
        lines += [str(e) for e in self.errors[:_SHOWN_ERRORS]]
        if len(self.errors) > _SHOWN_ERRORS:
            lines.append("……")
        return "\n".join(lines)


def _fail(sheet: str, reason: str) -> InputErrors:
    return InputErrors([InputError(sheet, None, None, None, reason)])


class _Errors:
    """Collects errors as small frames (row, column position, header, value, reason)."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.frames: list[pl.DataFrame] = []

    def add(
        self,
        reason: str,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        pos: int = -1,
    ) -> None:
        record = {"_row": row, "_pos": pos, "column": column, "value": value, "reason": reason}
        self.frames.append(pl.DataFrame([record], schema=_ERROR_SCHEMA))

    def add_frame(self, frame: pl.DataFrame) -> None:
        if frame.height:
            self.frames.append(frame.select(pl.col(k).cast(t) for k, t in _ERROR_SCHEMA.items()))

    def raise_if_any(self) -> None:
        if not self.frames:
            return
        found = pl.concat(self.frames).sort(["_row", "_pos"], nulls_last=False)
        errors = [
            InputError(self.sheet, r["_row"], r["column"], r["value"], r["reason"])
            for r in found.head(MAX_ERRORS).iter_rows(named=True)
        ]
        if found.height > MAX_ERRORS:
            rest = f"还有 {found.height - MAX_ERRORS} 处错误未列出"
            errors.append(InputError(self.sheet, None, None, None, rest))
        raise InputErrors(errors, found.height)


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


# ---------------------------------------------------------------- school table: header


@dataclass(frozen=True)
class _Column:
    """A source column mapped to a field column."""

    source: str  # c0, c1, … in the raw sheet
    pos: int
    header: str  # as written by the user
    key: str  # field column key
    spec: FieldSpec
    label: str  # our label for the field column
    level: str | None
    wan: bool = False


@dataclass
class _Layout:
    lookup: dict[str, str]  # normalised header text → field column key
    catalogue: dict[str, tuple[FieldSpec, str, str | None]]  # column key → (field, label, level)
    columns: dict[str, _Column] = field(default_factory=dict)
    data_start: int = 0  # index into the sheet's rows of the first data row
    header_row: int = 1  # row number of the label header, as the user sees it


def _catalogue(fw: Framework) -> dict[str, tuple[FieldSpec, str, str | None]]:
    return {key: (f, label, lv) for f, key, label, lv in fw.field_columns()}


def _lookup(fw: Framework) -> dict[str, str]:
    """Normalised header text (column key or Chinese label) → field column key."""
    out: dict[str, str] = {}
    for _f, key, label, _lv in fw.field_columns():
        out[_norm(label)] = key
        out[_norm(key)] = key
    return out


def _match(text: str | None, lookup: dict[str, str]) -> tuple[str, str] | None:
    """(column key, unit written in a trailing bracket) for a header, or None."""
    norm = _norm(text)
    if norm in lookup:
        return lookup[norm], ""
    m = _UNIT.match(norm)
    if m and m.group(1) in lookup:
        return lookup[m.group(1)], m.group(2).removeprefix("单位:")
    return None


def _header_index(head: list[tuple[Any, ...]], lookup: dict[str, str]) -> int | None:
    need = min(2, len(set(lookup.values())))
    for i, row in enumerate(head):
        if sum(_match(c, lookup) is not None for c in row) >= need:
            return i
    return None


def _is_key_row(row: tuple[Any, ...], keys: set[str]) -> bool:
    filled = [c for c in row if not _blank(c)]
    hits = sum(_norm(c) in keys for c in filled)
    return hits > 0 and 2 * hits >= len(filled)


def _layout(sheet: _Sheet, fw: Framework, errors: _Errors) -> _Layout:
    layout = _Layout(_lookup(fw), _catalogue(fw))
    head = _head(sheet)
    at = _header_index(head, layout.lookup)
    if at is None:
        raise _fail(
            sheet.name, "找不到表头：前 10 行中没有可识别的列名（如“学校标识码”或 school_code）"
        )
    labels = head[at]
    below = head[at + 1] if at + 1 < len(head) else ()
    keys = below if _is_key_row(below, set(layout.catalogue)) else None
    layout.data_start = at + (2 if keys else 1)
    layout.header_row = int(sheet.cells["_row"][at])
    for pos, label in enumerate(labels):
        _map_column(layout, pos, label, keys[pos] if keys else None, errors)
    _missing_columns(layout, fw, errors)
    return layout


def _map_column(
    layout: _Layout,
    pos: int,
    label: str | None,
    key_cell: str | None,
    errors: _Errors,
) -> None:
    catalogue = layout.catalogue
    by_label = _match(label, layout.lookup)
    key = _norm(key_cell) if _norm(key_cell) in catalogue else (by_label or ("", ""))[0]
    if not key:
        return
    unit = by_label[1] if by_label and by_label[0] == key else ""
    spec, our_label, level = catalogue[key]
    header = (label or "").strip() or (key_cell or "").strip()
    row = layout.header_row
    if key in layout.columns:
        first = layout.columns[key].header
        errors.add(
            f"与列“{first}”重复，都对应“{our_label}”，请删除其中一列", row, header, None, pos
        )
        return
    wan = _norm(unit) == WAN
    if wan and not spec.wan_convertible:
        reason = f"该列不能按万元填写，请按“{spec.unit or '原单位'}”填写"
        errors.add(reason, row, header, None, pos)
    column = _Column(f"c{pos}", pos, header, key, spec, our_label, level, wan)
    layout.columns[key] = column


def _missing_columns(layout: _Layout, fw: Framework, errors: _Errors) -> None:
    for i, (f, key, label, _lv) in enumerate(fw.field_columns()):
        if key not in layout.columns and (f.key in MANDATORY_INFO or f.required):
            reason = f"缺少必填列（列名可写“{label}”或字段键“{key}”）"
            errors.add(reason, None, _title(label, f.unit), None, i)


def _title(label: str, unit: str) -> str:
    return f"{label}（{unit}）" if unit else label


# ---------------------------------------------------------------- school table: values


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


def _not_serving(level: str) -> list[str]:
    """Known school types that do not serve a level."""
    return [t for t, levels in TYPE_LEVELS.items() if level not in levels]


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


# ---------------------------------------------------------------- county items


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


# ---------------------------------------------------------------- template


def _formats(book: Any) -> dict[str, Any]:
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    head = {**base, "bold": True, "text_wrap": True, "border": 1, "align": "center"}
    return {
        "head": book.add_format({**head, "bg_color": "#DDEBF7"}),
        "must": book.add_format({**head, "bg_color": "#FCE4D6"}),
        "key": book.add_format({**base, "font_size": 8, "font_color": "#808080", "border": 1}),
        "text": book.add_format({**base, "text_wrap": True}),
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "bold": book.add_format({**base, "bold": True}),
    }


def _must(f: FieldSpec) -> bool:
    return f.key in MANDATORY_INFO or f.required


def _comment(f: FieldSpec, level: str | None) -> str:
    notes = [f.help] if f.help else []
    if level is not None:
        notes.append(f"只由开设{LEVEL_LABELS[level]}学段的学校填写，其他学校留空。")
    if f.choices:
        notes.append("可选：" + "、".join(f.choices))
    if f.integer:
        notes.append("填写整数。")
    if f.wan_convertible and WAN not in f.help:
        notes.append("也可把表头单位改为“万元”后按万元填写。")
    notes.append(_fill_note(f))
    return "\n".join(n for n in notes if n)


def _fill_note(f: FieldSpec) -> str:
    if f.key in MANDATORY_INFO:
        return "必须填写。"
    keep = "此列必须保留。" if f.required else ""
    return keep if f.scope == "info" else keep + "不知道请留空，不要填 0。"


def _validation(f: FieldSpec, label: str) -> dict[str, Any] | None:
    title = label[:32]
    if f.choices:
        listed = "、".join(f.choices)
        return {
            "validate": "list",
            "source": list(f.choices),
            "input_title": title,
            "input_message": "请从下拉列表中选择。"[:255],
            "error_title": "输入有误",
            "error_message": f"请从下拉列表中选择：{listed}"[:255],
        }
    if f.scope == "info":
        return None
    kind, what = ("integer", "整数") if f.integer else ("decimal", "数字")
    unit = f"，单位：{f.unit}" if f.unit else ""
    return {
        "validate": kind,
        "criteria": ">=",
        "value": 0,
        "input_title": title,
        "input_message": f"填写不小于 0 的{what}{unit}；不知道请留空。",
        "error_title": "输入有误",
        "error_message": f"请填写不小于 0 的{what}{unit}。不知道的数据请留空，不要填 0。",
    }


def _write_schools(
    ws: Any, fw: Framework, fmt: dict[str, Any], schools: pl.DataFrame | None
) -> None:
    columns = fw.field_columns()
    last = 1 + max(TEMPLATE_ROWS, schools.height if schools is not None else 0)
    for j, (f, key, label, level) in enumerate(columns):
        title = _title(label, f.unit)
        ws.write_string(0, j, title, fmt["must" if _must(f) else "head"])
        ws.write_string(1, j, key, fmt["key"])
        note = _comment(f, level)
        if note:
            ws.write_comment(0, j, note, {"x_scale": 2, "y_scale": 1.5})
        ws.set_column(j, j, min(max(10, len(title) * 2 + 2), 30))
        rule = _validation(f, label)
        if rule is not None:
            ws.data_validation(2, j, last, j, rule)
    ws.set_row(0, 48)
    keys = [key for _f, key, _l, _lv in columns]
    ws.freeze_panes(2, keys.index("school_name") + 1 if "school_name" in keys else 0)
    if schools is not None:
        _write_school_rows(ws, columns, schools)


def _write_school_rows(
    ws: Any, columns: list[tuple[FieldSpec, str, str, str | None]], schools: pl.DataFrame
) -> None:
    types = schools["school_type"] if "school_type" in schools.columns else None
    for j, (f, key, _label, level) in enumerate(columns):
        if key not in schools.columns:
            continue
        series = schools[key]
        if series.dtype.is_float():
            series = series.fill_nan(None)
        if level is not None and types is not None:  # unserved levels stay blank, not 0
            served = ~types.is_in(_not_serving(level))
            series = pl.select(pl.when(served).then(series)).to_series()
        write = ws.write_string if f.scope == "info" else ws.write_number
        for i, value in enumerate(series.to_list(), start=2):
            if value is not None:
                write(i, j, str(value) if f.scope == "info" else value)


_COUNTY_TITLES = ("区县", "字段键", "指标", "单位", "填写值", "说明")


def _county_hint(cf: CountyField) -> str:
    if cf.help:
        return cf.help
    if cf.kind == "bool":
        return "填“是”或“否”。"
    return "填百分数，如 95 或 95%。" if cf.unit == "%" else "填数字。"


def _write_county(ws: Any, fw: Framework, fmt: dict[str, Any], values: CountyValues | None) -> None:
    for j, (title, width) in enumerate(zip(_COUNTY_TITLES, (14, 28, 50, 8, 12, 40), strict=True)):
        ws.write_string(0, j, title, fmt["must" if title == "填写值" else "head"])
        ws.set_column(j, j, width)
    ws.freeze_panes(1, 0)
    blocks: Iterable[tuple[str, dict[str, float | bool | None]]] = (
        values.items() if values else [("", {})]
    )
    r = 1
    for county, given in blocks:
        for cf in fw.county_fields:
            _write_county_row(ws, r, cf, county=county, value=given.get(cf.key), fmt=fmt)
            r += 1


def _write_county_row(
    ws: Any,
    r: int,
    cf: CountyField,
    *,
    county: str,
    value: float | bool | None,
    fmt: dict[str, Any],
) -> None:
    if county:
        ws.write_string(r, 0, county)
    ws.write_string(r, 1, cf.key, fmt["key"])
    ws.write_string(r, 2, cf.label, fmt["text"])
    ws.write_string(r, 3, "" if cf.kind == "bool" else cf.unit)
    if isinstance(value, bool):
        ws.write_string(r, 4, "是" if value else "否")
    elif value is not None:
        ws.write_number(r, 4, value)
    ws.write_string(r, 5, _county_hint(cf), fmt["text"])
    if cf.kind == "bool":
        rule = {"validate": "list", "source": ["是", "否"], "error_message": "请选择“是”或“否”。"}
        ws.data_validation(r, 4, r, 4, {**rule, "error_title": "输入有误"})


def _guide_lines(fw: Framework) -> list[str]:
    items = [
        f"“{SCHOOLS_SHEET}”表：每所学校填一行。第 1 行是列名，第 2 行（灰色小字）是系统字段键，"
        "请勿修改或删除这两行；从第 3 行起填写。列的顺序可以调整，不用的可选列可以删除。",
        "学校标识码、学校名称、区县、学校类型、办学性质必须填写；橙色表头的列必须保留。"
        f"同一区县内学校标识码不能重复。学校类型可选：{'、'.join(TYPE_LEVELS)}。",
        "带“（小学）”“（初中）”“（高中）”的列按学段填写，只填本校开设的学段；"
        "未开设的学段留空（填 0 也可以）。例如小学只填“（小学）”各列，初中只填“（初中）”各列。",
        "不知道或暂缺的数据请留空，不要填 0：留空按缺失处理，0 表示确实为零。",
        "单位以列名括号中的为准。人数、班级数、间数、台数、册数填整数。"
        "数字可以带千位分隔符（如 1,234.5），也可以用全角数字。",
        "表头单位写成“万元”（如“教学仪器设备值（万元）”）时，系统按万元换算为元；"
        "只有字段目录中注明“可按万元填写”的列支持这样做。",
        "九年一贯制、十二年一贯制学校和完全中学：学生数、班级数、最大班额和各类教师数按学部"
        "分别填写在对应学段的列中，每位教师只计入一个学部，不重复计算；教学及辅助用房面积、"
        "体育运动场馆面积、仪器设备值、多媒体教室、图书等全校共用的资源填全校总数，"
        f"由系统按各学部的加权学生数拆分。{_split_text(fw)}",
        *_part_whole_text(fw),
    ]
    if fw.county_fields:
        items.append(
            f"“{COUNTY_SHEET}”表：每个区县一组，只填“填写值”列；区县名可只在每组第一行填写。"
            "是/否类填“是”或“否”；百分比填数字（如 95 或 95%）。"
        )
    numerals = "一二三四五六七八九十"
    numbered = [f"{numerals[i]}、{text}" for i, text in enumerate(items)]
    return [f"本模板用于《{fw.title}》（{fw.basis or fw.code}）的基础数据填报。", *numbered]


def _part_whole_text(fw: Framework) -> list[str]:
    labels = {f.key: f.label for f in fw.fields}
    out = []
    for whole in dict.fromkeys(w for _p, w in PART_WHOLE if w in labels):
        parts = "、".join(labels[p] for p, w in PART_WHOLE if w == whole and p in labels)
        if parts:
            out.append(f"{parts}都是{labels[whole]}的一部分，不能大于同一学段的{labels[whole]}。")
    return out


def _split_text(fw: Framework) -> str:
    names = {
        "nine_year": "九年一贯制",
        "complete_middle": "完全中学",
        "twelve_year": "十二年一贯制",
    }
    parts = [
        names.get(kind, kind)
        + "："
        + "、".join(f"{LEVEL_LABELS.get(lv, lv)} {w:g}" for lv, w in weights.items())
        for kind, weights in fw.units.split.items()
    ]
    return f"拆分权重为 {'；'.join(parts)}。" if parts else ""


def _scope_text(f: FieldSpec) -> str:
    if f.scope == "info":
        return "基本信息"
    if f.scope == "level":
        return "分学段：" + "、".join(LEVEL_LABELS[lv] for lv in f.levels)
    return "全校"


def _write_guide(ws: Any, fw: Framework, fmt: dict[str, Any]) -> None:
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 4, 12)
    ws.set_column(5, 5, 60)
    ws.write_string(0, 0, f"填表说明：{fw.title}", fmt["title"])
    r = 2
    for line in _guide_lines(fw):
        ws.merge_range(r, 0, r, 5, line, fmt["text"])
        ws.set_row(r, 15 * (1 + len(line) // 70))
        r += 1
    r += 1
    ws.write_string(r, 0, "字段目录", fmt["bold"])
    heads = ("字段键", "列名", "单位", "范围", "必填", "说明")
    ws.write_row(r + 1, 0, heads, fmt["head"])
    for i, f in enumerate(fw.fields, start=r + 2):
        note = f.help + ("（可按万元填写）" if f.wan_convertible else "")
        row = (f.key, f.label, f.unit, _scope_text(f), "是" if _must(f) else "", note)
        ws.write_row(i, 0, row, fmt["text"])


def write_template(
    fw: Framework,
    path: Path,
    schools: pl.DataFrame | None = None,
    county_values: CountyValues | None = None,
) -> None:
    """Write the .xlsx collection template of a framework, optionally filled with data.

    Sheets: 学校基础数据 (two header rows: Chinese labels with units, then field keys; Excel data
    validation), 县级指标 (when the framework has county fields) and 填表说明.
    `read_schools` and `read_county_items` read the file back.
    """
    book = xlsxwriter.Workbook(str(path))
    fmt = _formats(book)
    if fw.fields:
        _write_schools(book.add_worksheet(SCHOOLS_SHEET), fw, fmt, schools)
    if fw.county_fields:
        _write_county(book.add_worksheet(COUNTY_SHEET), fw, fmt, county_values)
    _write_guide(book.add_worksheet(GUIDE_SHEET), fw, fmt)
    book.close()
