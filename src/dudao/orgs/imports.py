"""Reading and checking an institution list (学校名单) uploaded by a county office.

The file is read with polars as text only. Every problem is collected with the row the user sees
in the spreadsheet, the column and a Chinese reason; the import is refused as a whole when any is
found (see `dudao.orgs.services.institutions_import`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePath

import polars as pl

from dudao.orgs.choices import AreaType, Ownership, SchoolType
from dudao.orgs.models import Institution, Region

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
SUFFIXES = (*EXCEL_SUFFIXES, ".csv")
MAX_ERRORS = 200  # listed one by one; more than that only makes the page unreadable

# Field → the header the user writes (and the accepted spellings after NFKC normalisation).
COLUMNS: dict[str, str] = {
    "code": "学校标识码",
    "name": "学校名称",
    "school_type": "学校类型",
    "ownership": "办学性质",
    "area_type": "城乡类别",
    "township": "乡镇（街道）",
}
_ALIASES: dict[str, tuple[str, ...]] = {"township": ("乡镇", "乡镇街道", "街道")}
_HEADER_SCAN = 10  # a title row or two above the header is allowed
_CODE = re.compile(r"^[0-9A-Za-z]{1,20}$")
_BLANKS = ("", "-", "--", "—", "/")


@dataclass(frozen=True)
class RowError:
    """One problem of the file: the row (as in the spreadsheet), the column and why."""

    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row is not None else "文件"
        column = f"“{self.column}”列" if self.column else ""
        return f"{where}{column}：{self.reason}"


class ImportRejected(Exception):
    """The file has errors; nothing was saved."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} 处错误")
        self.errors = errors


@dataclass(frozen=True)
class InstitutionRow:
    """One checked line of the file."""

    row: int
    code: str
    name: str
    school_type: str
    ownership: str
    area_type: str
    township: str


def _norm(text: str | None) -> str:
    """Comparison form: NFKC (full-width → half-width), no surrounding or inner blanks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _cell(text: str | None) -> str:
    value = (text or "").strip()
    return "" if value in _BLANKS else value


def read_table(filename: str, content: bytes) -> pl.DataFrame:
    """Every cell of the first sheet (or the CSV file) as text; row i is spreadsheet row i + 1."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportRejected([RowError(None, "", "不支持的文件类型，请上传 .xlsx 或 .csv 文件")])
    text = _utf8(content) if suffix == ".csv" else b""
    try:
        if suffix == ".csv":
            return pl.read_csv(
                text, has_header=False, infer_schema=False, truncate_ragged_lines=True
            )
        return pl.read_excel(
            BytesIO(content),
            engine="calamine",
            has_header=False,
            infer_schema_length=0,
            drop_empty_rows=False,
            read_options={"skip_rows": 0, "header_row": None},
        )
    except Exception as exc:  # polars, fastexcel and calamine raise many kinds
        reason = "无法读取文件，请确认它是未加密的 Excel（.xlsx）或 CSV 文件，且内容不为空"
        raise ImportRejected([RowError(None, "", reason)]) from exc


def _utf8(content: bytes) -> bytes:
    """CSV files saved by Excel in China are often GB18030; polars wants UTF-8."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding).encode("utf-8")
        except UnicodeDecodeError:
            continue
    raise ImportRejected([RowError(None, "", "无法识别文件编码，请另存为 UTF-8 的 CSV 或 .xlsx")])


def _header(frame: pl.DataFrame) -> tuple[int, dict[str, int]]:
    """Index of the header row and the position of each known column in it."""
    wanted = {field: {_norm(h), *_ALIASES.get(field, ())} for field, h in COLUMNS.items()}
    for index, values in enumerate(frame.head(_HEADER_SCAN).iter_rows()):
        cells = [_norm(v) for v in values]
        if _norm(COLUMNS["code"]) not in cells:
            continue
        found = {f: cells.index(n) for f, names in wanted.items() for n in names if n in cells}
        missing = [COLUMNS[f] for f in COLUMNS if f not in found]
        if missing:
            errors = [RowError(index + 1, name, "缺少这一列") for name in missing]
            raise ImportRejected(errors)
        return index, found
    heads = "、".join(COLUMNS.values())
    raise ImportRejected([RowError(None, "", f"找不到表头，表头应包含：{heads}")])


def parse_rows(frame: pl.DataFrame) -> tuple[list[InstitutionRow], list[RowError]]:
    """The data lines below the header, each checked on its own; blank lines are skipped."""
    start, positions = _header(frame)
    rows: list[InstitutionRow] = []
    errors: list[RowError] = []
    for index, values in enumerate(frame.iter_rows()):
        if index <= start:
            continue
        cells = {f: _cell(values[p]) for f, p in positions.items()}
        if not any(cells.values()):
            continue
        row, problems = _check_row(index + 1, cells)
        errors.extend(problems)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.append(RowError(None, "", "文件中没有学校数据"))
    return rows, errors


def _check_row(number: int, cells: dict[str, str]) -> tuple[InstitutionRow | None, list[RowError]]:
    code = _norm(cells["code"])
    kinds = {f: _norm(cells[f]) for f in ("school_type", "ownership", "area_type")}
    problems = [
        RowError(number, COLUMNS[field], reason)
        for field, reason in (
            ("code", _code_problem(code)),
            ("name", _name_problem(cells["name"])),
            ("school_type", _choice_problem(kinds["school_type"], SchoolType.values, "学校类型")),
            ("ownership", _choice_problem(kinds["ownership"], Ownership.values, "办学性质")),
            ("area_type", _area_problem(kinds["area_type"])),
            ("township", _length_problem(cells["township"], 100, "乡镇（街道）名称")),
        )
        if reason
    ]
    if problems:
        return None, problems
    row = InstitutionRow(
        row=number, code=code, name=cells["name"], township=cells["township"], **kinds
    )
    return row, []


def _code_problem(code: str) -> str:
    if not code:
        return "缺少学校标识码"
    if not _CODE.match(code):
        return f"学校标识码“{code}”应为不超过 20 位的数字或字母"
    return ""


def _name_problem(name: str) -> str:
    return "缺少学校名称" if not name else _length_problem(name, 100, "学校名称")


def _length_problem(text: str, limit: int, what: str) -> str:
    return f"{what}不能超过 {limit} 个字" if len(text) > limit else ""


def _choice_problem(value: str, allowed: list[str], what: str) -> str:
    if not value:
        return f"缺少{what}"
    if value not in allowed:
        return f"未知的{what}“{value}”，可选：{'、'.join(allowed)}"
    return ""


def _area_problem(value: str) -> str:
    if value and value not in AreaType.values:
        return f"未知的城乡类别“{value}”，可选：{'、'.join(AreaType.values)}（也可留空）"
    return ""


def code_errors(rows: list[InstitutionRow], county: Region) -> list[RowError]:
    """Codes repeated in the file, and codes already used by another county's institution."""
    errors: list[RowError] = []
    first: dict[str, int] = {}
    for row in rows:
        if row.code in first:
            reason = f"学校标识码“{row.code}”与第 {first[row.code]} 行重复"
            errors.append(RowError(row.row, COLUMNS["code"], reason))
        first.setdefault(row.code, row.row)
    taken = set(
        Institution.objects.filter(code__in=list(first))
        .exclude(county=county)
        .values_list("code", flat=True)
    )
    errors.extend(
        RowError(row.row, COLUMNS["code"], f"学校标识码“{row.code}”已被其他区县的学校使用")
        for row in rows
        if row.code in taken
    )
    return errors


def checked_rows(filename: str, content: bytes, county: Region) -> list[InstitutionRow]:
    """The file's institutions, or ImportRejected with every problem found (sorted by row)."""
    rows, errors = parse_rows(read_table(filename, content))
    errors.extend(code_errors(rows, county))
    if errors:
        errors.sort(key=_order)
        if len(errors) > MAX_ERRORS:
            rest = RowError(None, "", f"另有 {len(errors) - MAX_ERRORS} 处错误未列出")
            errors = [*errors[:MAX_ERRORS], rest]
        raise ImportRejected(errors)
    return rows


def _order(error: RowError) -> tuple[int, int]:
    headers = list(COLUMNS.values())
    return error.row or 0, headers.index(error.column) if error.column in headers else -1
