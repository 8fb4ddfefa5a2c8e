"""The unit × indicator matrix of a run: filtered by township, school type and level; sorted.

Query parameters: `township`, `type`, `level` filter; `sort` names a column (`code`, `name`,
`type`, `township`, `level`, `students`, `met`, `passed` or an indicator key), `-` in front
for descending. Empty values always sort last.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from dudao.evaluation.stored import (
    Json,
    StoredRun,
    level_label,
    passed_class,
    passed_label,
    status_label,
)

FILTERS = ("township", "type", "level")
FIXED_COLUMNS = {
    "code": "学校标识码",
    "name": "学校名称",
    "type": "学校类型",
    "township": "乡镇（街道）",
    "level": "学段",
    "students": "学生数",
}
TAIL_COLUMNS = {"met": "达标项数", "passed": "结论"}
DEFAULT_SORT = "code"


@dataclass(frozen=True)
class Cell:
    value: float | None
    status: str | None

    @property
    def css(self) -> str:
        return self.status or ""

    @property
    def title(self) -> str:
        return status_label(self.status)


@dataclass
class MatrixRow:
    code: str
    name: str
    type: str
    township: str
    level: str
    students: float | None
    cells: list[Cell]
    met: int | None
    passed: bool | None
    excluded: bool
    exclusion_reason: str | None

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    @property
    def verdict(self) -> str:
        return passed_label(self.passed, self.excluded)

    @property
    def css(self) -> str:
        return "muted" if self.excluded else passed_class(self.passed)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str
    query: str  # query string that sorts by this column (toggling the direction)
    arrow: str  # ▲ / ▼ when the matrix is sorted by it


@dataclass
class Matrix:
    rows: list[MatrixRow]
    fixed: list[Column]
    indicators: list[Column]
    tail: list[Column]
    sort: str
    filters: dict[str, str]
    townships: list[str]
    types: list[str]
    levels: list[tuple[str, str]]
    total: int = 0
    legend: list[tuple[str, str]] = field(default_factory=list)

    @property
    def width(self) -> int:
        """Number of columns (for an empty table's message)."""
        return len(self.fixed) + len(self.indicators) + len(self.tail)


def build_matrix(stored: StoredRun, params: QueryDict) -> Matrix:
    """All units of the run's county, filtered and sorted by the request's parameters."""
    every = [_row(stored, unit) for unit in stored.units]
    filters = {k: params.get(k, "") for k in FILTERS}
    rows = [r for r in every if _keep(r, filters)]
    keys = _sort_keys(stored)
    sort = params.get("sort", DEFAULT_SORT)
    if sort.lstrip("-") not in keys:
        sort = DEFAULT_SORT
    order = {lv: i for i, lv in enumerate(stored.levels)}
    rows = sorted(rows, key=lambda r: (r.code, order.get(r.level, len(order))))
    rows = sort_rows(rows, keys[sort.lstrip("-")], descending=sort.startswith("-"))
    return Matrix(
        rows=rows,
        fixed=[_column(k, label, "", sort, params) for k, label in FIXED_COLUMNS.items()],
        indicators=[_column(i.key, i.label, i.unit, sort, params) for i in stored.indicators],
        tail=[_column(k, label, "", sort, params) for k, label in TAIL_COLUMNS.items()],
        sort=sort,
        filters=filters,
        townships=sorted({r.township for r in every if r.township}),
        types=sorted({r.type for r in every if r.type}),
        levels=[(lv, level_label(lv)) for lv in stored.levels],
        total=len(every),
        legend=[("met", status_label("met")), ("near", "≥ 85%"), ("below", status_label("below"))],
    )


def _row(stored: StoredRun, unit: Json) -> MatrixRow:
    school = stored.schools.get(unit["school_code"], {})
    met = [v for v in unit.get("met", {}).values() if v is not None]
    return MatrixRow(
        code=unit["school_code"],
        name=unit["school_name"],
        type=unit.get("school_type") or "",
        township=school.get("township") or "",
        level=unit["level"],
        students=unit.get("students"),
        cells=[
            Cell(unit["values"].get(i.key), unit["status"].get(i.key)) for i in stored.indicators
        ],
        met=sum(met) if met else None,
        passed=unit.get("passed"),
        excluded=bool(unit.get("excluded")),
        exclusion_reason=unit.get("exclusion_reason"),
    )


def _keep(row: MatrixRow, filters: Mapping[str, str]) -> bool:
    wanted = {"township": row.township, "type": row.type, "level": row.level}
    return all(not filters[k] or filters[k] == wanted[k] for k in FILTERS)


SortKey = Callable[[MatrixRow], Any]


def _sort_keys(stored: StoredRun) -> dict[str, SortKey]:
    order = {lv: i for i, lv in enumerate(stored.levels)}
    keys: dict[str, SortKey] = {
        "code": lambda r: r.code,
        "name": lambda r: r.name,
        "type": lambda r: r.type or None,
        "township": lambda r: r.township or None,
        "level": lambda r: order.get(r.level, len(order)),
        "students": lambda r: r.students,
        "met": lambda r: r.met,
        "passed": lambda r: None if r.passed is None else int(r.passed),
    }
    for j, ind in enumerate(stored.indicators):
        keys[ind.key] = _cell_key(j)
    return keys


def _cell_key(j: int) -> SortKey:
    def key(row: MatrixRow) -> float | None:
        return row.cells[j].value

    return key


def sort_rows(rows: list[MatrixRow], key: SortKey, *, descending: bool) -> list[MatrixRow]:
    """Sort by `key` (stable: the given order breaks ties), empty values last either way."""
    present = [r for r in rows if key(r) is not None]
    empty = [r for r in rows if key(r) is None]
    return sorted(present, key=key, reverse=descending) + empty


def _column(key: str, label: str, unit: str, sort: str, params: QueryDict) -> Column:
    query = params.copy()
    query["sort"] = f"-{key}" if sort == key else key
    arrow = {key: "▲", f"-{key}": "▼"}.get(sort, "")
    return Column(key, label, unit, query.urlencode(), arrow)
