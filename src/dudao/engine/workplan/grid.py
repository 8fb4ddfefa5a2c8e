"""Raw sheets of a task table as text grids, with their merged ranges (xlsx via openpyxl, csv)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from dudao.engine.tables.errors import InputError, InputErrors

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Merge:
    """A merged range, 0-based and inclusive: rows top..bottom, columns left..right."""

    top: int
    left: int
    bottom: int
    right: int


@dataclass(frozen=True)
class Grid:
    """One sheet as text; `rows[i]` is sheet row i + 1 as the user sees it."""

    name: str
    rows: list[list[str]]
    merges: list[Merge] = field(default_factory=list)

    def cell(self, row: int, col: int) -> str:
        cells = self.rows[row]
        return cells[col] if col < len(cells) else ""


def fail(where: str, reason: str, row: int | None = None) -> InputErrors:
    return InputErrors([InputError(where, row, None, None, reason)])


def read_grids(data: bytes, filename: str) -> list[Grid]:
    """Every sheet of the file (one for CSV, named after the file)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        return [_csv_grid(data, filename)]
    if suffix in EXCEL_SUFFIXES:
        return _excel_grids(data, filename)
    raise fail(filename, f"不支持的文件类型“{suffix or filename}”，请使用 .xlsx 或 .csv 文件")


def text(value: object) -> str:
    """A cell value as the user reads it: 1.0 → "1", dates as 2026-03-31, None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


NOT_XLSX = (
    "文件不是有效的 Excel（.xlsx）文件，可能已损坏或是其他格式；请用 Excel 另存为 .xlsx 后重新上传"
)


def _excel_grids(data: bytes, filename: str) -> list[Grid]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise fail(filename, NOT_XLSX) from exc
    grids = []
    for sheet in book.worksheets:
        rows = [[text(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
        merges = [
            Merge(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
            for m in sheet.merged_cells.ranges
        ]
        grids.append(Grid(sheet.title, rows, merges))
    return grids


def _csv_grid(data: bytes, filename: str) -> Grid:
    decoded = _decode(data, filename)
    reader = csv.reader(io.StringIO(decoded, newline=""))
    rows: list[list[str]] = []
    try:
        for record in reader:
            # A record spanning several lines (quoted newline) is still one row in a spreadsheet.
            rows.append([cell.strip() for cell in record])
    except csv.Error as exc:
        raise fail(filename, f"CSV 格式错误：{exc}", len(rows) + 1) from exc
    return Grid(filename, rows)


def _decode(data: bytes, filename: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise fail(filename, "无法识别文件编码，请另存为“CSV UTF-8”格式")
