"""Input errors: each problem located the way the user sees the file, raised all together."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

MAX_ERRORS = 1000  # errors listed one by one; the rest are counted

_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_SHOWN_ERRORS = 5
_ERROR_SCHEMA: dict[str, pl.DataType] = {
    "_row": pl.Int64(),
    "_pos": pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    "reason": pl.String(),
}


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
