"""The yearly key-task decomposition table (重点工作分解表): read it, check it, never guess.

Columns: 类别 · 序号 · 重点工作任务 · 责任领导 · 责任股室 · 协办股室（单位）,
optionally 完成时限 and 节点安排, with small variants (`HEADER_ALIASES`). The header is searched
in the first rows of each sheet; the first sheet with a header is read. The title rows above the
header give the plan's `title` (the first of them) and `year` (the first 4-digit year 2000–2100
they state). Each task's `targets` are the quantified clauses of its text (`extract_targets`);
its 完成时限 is kept as written and must be readable by `parse_deadline`.

Awkward tables are the rule, so:

- the category is written once per group (merged cells, blank cells below, or a row of its own)
  and carries on until the next one; a category repeated after a page break continues it;
- a header row repeated on a new page is skipped; blank rows are skipped;
- cells naming several people or departments are split with `split_names`;
- a row below a task whose task cell is merged with the task's cell adds its names to that task;
- department names are kept as written (only whitespace is removed around them).

Row-level problems never raise: they are returned in `ParsedPlan.problems` with the Excel row
number. Only a file that cannot be read, or has no header, raises `InputErrors`. Tasks before any
category are put in the category `UNCATEGORISED` (and reported).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from dudao.engine.tables.errors import InputError, InputErrors
from dudao.engine.workplan.grid import Grid, read_grids
from dudao.engine.workplan.names import split_names
from dudao.engine.workplan.targets import extract_targets, parse_deadline

__all__ = [
    "COLUMN_LABELS",
    "HEADER_ALIASES",
    "UNCATEGORISED",
    "ParsedPlan",
    "ParsedTask",
    "Problem",
    "parse_task_table",
    "plan_to_dict",
    "split_names",
]

UNCATEGORISED = "未分类"
HEADER_SCAN = 20  # rows searched for the header

#: Column key → the Chinese header used in messages.
COLUMN_LABELS: dict[str, str] = {
    "category": "类别",
    "number": "序号",
    "text": "重点工作任务",
    "leaders": "责任领导",
    "lead": "责任股室",
    "co": "协办股室（单位）",
    "deadline": "完成时限",
    "milestones": "节点安排",
}
#: Column key → accepted header texts (compared without spaces, full-width folded).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "category": ("类别", "工作类别", "类型", "抓手", "工作抓手"),
    "number": ("序号", "编号"),
    "text": ("重点工作任务", "重点工作", "重点任务", "工作任务", "任务", "工作内容", "任务内容"),
    "leaders": ("责任领导", "分管领导", "牵头领导", "包保领导"),
    "lead": ("责任股室", "责任科室", "牵头股室", "牵头科室", "责任单位", "牵头单位"),
    "co": ("协办股室", "协办科室", "协办单位", "配合股室", "配合单位", "协办股室单位"),
    "deadline": ("完成时限", "时限", "完成时间", "办结时限"),
    "milestones": ("节点安排", "时间节点"),
}
# merged cells apply to every row below
_FILLED_DOWN = ("category", "leaders", "lead", "co", "deadline", "milestones")
_TITLE_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
#: The year a 完成时限 without a year is checked in when the title names none (a leap year, so
#: "2月29日" is not refused for want of a year).
_CHECK_YEAR = 2028
_ORDINAL = re.compile(r"^[(（]?[一二三四五六七八九十]+[)）、.．]")


@dataclass(frozen=True)
class ParsedTask:
    """One task row of the table."""

    row: int  # sheet row as the user sees it (1-based, Excel numbering)
    category: str
    number: str  # as written, normalised: "1.0" -> "1"
    text: str
    leaders: tuple[str, ...]
    lead_departments: tuple[str, ...]
    co_departments: tuple[str, ...]
    deadline: str = ""  # 完成时限 as written, "" when absent
    milestones: str = ""  # 节点安排 as written
    targets: tuple[str, ...] = ()  # quantified clauses of the text


@dataclass(frozen=True)
class Problem:
    """Something the user should check; the plan is still usable."""

    row: int | None
    column: str | None  # Chinese header name, e.g. "重点工作任务"
    reason: str  # Chinese


@dataclass(frozen=True)
class ParsedPlan:
    """A task table as read: categories, tasks and the problems found."""

    sheet: str
    categories: tuple[str, ...]  # in order of first appearance
    tasks: tuple[ParsedTask, ...]
    problems: tuple[Problem, ...]
    title: str = ""  # the first title row above the header, "" when none
    year: int | None = None  # the first 4-digit year (2000–2100) in the title rows

    def people(self) -> tuple[str, ...]:
        """Distinct responsible leaders, in order of first appearance."""
        return tuple(dict.fromkeys(name for t in self.tasks for name in t.leaders))

    def departments(self) -> tuple[str, ...]:
        """Distinct lead and co-departments, in order of first appearance."""
        names = (d for t in self.tasks for d in (*t.lead_departments, *t.co_departments))
        return tuple(dict.fromkeys(names))


def plan_to_dict(plan: ParsedPlan) -> dict[str, object]:
    """The plan as JSON-ready data (lists, strings, ints, None)."""
    return {
        "sheet": plan.sheet,
        "title": plan.title,
        "year": plan.year,
        "categories": list(plan.categories),
        "tasks": [
            {
                "row": t.row,
                "category": t.category,
                "number": t.number,
                "text": t.text,
                "leaders": list(t.leaders),
                "lead_departments": list(t.lead_departments),
                "co_departments": list(t.co_departments),
                "deadline": t.deadline,
                "milestones": t.milestones,
                "targets": list(t.targets),
            }
            for t in plan.tasks
        ],
        "problems": [{"row": p.row, "column": p.column, "reason": p.reason} for p in plan.problems],
    }


# ---------------------------------------------------------------- header


def _fold(text: str) -> str:
    """Comparison form: NFKC (full-width → half-width), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_LOOKUP = {_fold(alias): key for key, aliases in HEADER_ALIASES.items() for alias in aliases}


def _header_key(cell: str) -> str | None:
    folded = _fold(cell)
    if folded in _LOOKUP:
        return _LOOKUP[folded]
    bare = re.sub(r"\([^()]*\)$", "", folded)  # 协办股室(单位), 责任领导(分管)
    return _LOOKUP.get(bare)


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column key → column index when the row is a header row, else None."""
    found: dict[str, int] = {}
    for col, cell in enumerate(cells):
        key = _header_key(cell)
        if key is not None and key not in found:
            found[key] = col
    return found if "text" in found and len(found) >= 3 else None


def _find_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    for index, cells in enumerate(grid.rows[:HEADER_SCAN]):
        columns = _header_columns(cells)
        if columns is not None:
            return index, columns
    return None


# ---------------------------------------------------------------- parsing


def parse_task_table(
    data: bytes, filename: str, *, known_people: Collection[str] = ()
) -> ParsedPlan:
    """Read a task table (.xlsx or .csv). Raises `InputErrors` when unreadable or headerless."""
    grids = read_grids(data, filename)
    for grid in grids:
        found = _find_header(grid)
        if found is not None:
            return _Reader(grid, found[0], found[1], known_people).read()
    wanted = "、".join(COLUMN_LABELS.values())
    reason = f"前 {HEADER_SCAN} 行中找不到表头（应有“重点工作任务”列，以及{wanted}等列）"
    raise InputErrors([InputError(g.name, None, None, None, reason) for g in grids])


@dataclass
class _Reader:
    grid: Grid
    header: int  # 0-based index of the header row
    columns: dict[str, int]
    known_people: Collection[str]
    category: str | None = None
    categories: dict[str, str] = field(default_factory=dict)  # folded key → name as written
    tasks: list[ParsedTask] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    filled: dict[tuple[int, int], str] = field(default_factory=dict)
    continued: set[int] = field(default_factory=set)  # rows inside the merged cell of a task
    year: int | None = None  # the plan's year, once the title rows are read

    def read(self) -> ParsedPlan:
        title, year = self._title()
        self.year = year
        self._missing_columns()
        self._merges()
        for index in range(self.header + 1, len(self.grid.rows)):
            self._row(index)
        return ParsedPlan(
            sheet=self.grid.name,
            categories=tuple(self.categories.values()),
            tasks=tuple(self.tasks),
            problems=tuple(sorted(self.problems, key=lambda p: p.row or 0)),
            title=title,
            year=year,
        )

    def _title(self) -> tuple[str, int | None]:
        """The first non-blank row above the header, and the first plausible year in those rows."""
        rows = [
            " ".join(c.strip() for c in cells if c.strip())
            for cells in self.grid.rows[: self.header]
        ]
        written = [r for r in rows if r]
        years = (
            int(m.group(1))
            for r in written
            for m in _TITLE_YEAR.finditer(unicodedata.normalize("NFKC", r))
        )
        return (written[0] if written else ""), next((y for y in years if 2000 <= y <= 2100), None)

    def _missing_columns(self) -> None:
        for key in ("category", "number", "leaders", "lead"):
            if key not in self.columns:
                reason = f"表头中没有“{COLUMN_LABELS[key]}”列"
                self.problems.append(Problem(self.header + 1, COLUMN_LABELS[key], reason))

    def _merges(self) -> None:
        """Vertical merges below the header: fill names and categories down, mark continuations."""
        fill_columns = {self.columns[k] for k in _FILLED_DOWN if k in self.columns}
        text_column = self.columns["text"]
        for m in self.grid.merges:
            if m.top <= self.header or m.bottom == m.top:
                continue
            if m.left in fill_columns:
                value = self.grid.cell(m.top, m.left)
                for row in range(m.top + 1, m.bottom + 1):
                    self.filled[(row, m.left)] = value
            if m.left <= text_column <= m.right:
                self.continued.update(range(m.top + 1, m.bottom + 1))

    def _cells(self, index: int) -> dict[str, str]:
        return {
            key: self.filled.get((index, col), self.grid.cell(index, col))
            for key, col in self.columns.items()
        }

    def _row(self, index: int) -> None:
        raw = self.grid.rows[index]
        cells = self._cells(index)
        if not any(cells.values()) or _header_columns(raw) is not None:
            return
        row = index + 1
        if cells.get("category"):
            self._set_category(cells["category"])
        if not any(v for k, v in cells.items() if k != "category"):
            return  # a category row of its own, or only the merged category cell
        if index in self.continued and not cells["text"]:
            self._continue_task(cells)
            return
        if not cells["text"]:
            self._no_text(row, cells)
            return
        self._task(row, cells)

    def _set_category(self, written: str) -> None:
        name = re.sub(r"\s+", "", written)
        key = _ORDINAL.sub("", _fold(name))
        self.category = self.categories.setdefault(key, name)

    def _no_text(self, row: int, cells: dict[str, str]) -> None:
        others = [k for k, v in cells.items() if v and k not in ("category", "number")]
        reason = "任务内容为空" if others else "只有序号，没有任务内容"
        self.problems.append(Problem(row, COLUMN_LABELS["text"], reason + "，此行未导入"))

    def _task(self, row: int, cells: dict[str, str]) -> None:
        category = self._category(row)
        number = _number(cells.get("number", ""))
        task = ParsedTask(
            row=row,
            category=category,
            number=number,
            text=cells["text"],
            leaders=split_names(cells.get("leaders", ""), self.known_people),
            lead_departments=split_names(cells.get("lead", "")),
            co_departments=split_names(cells.get("co", "")),
            deadline=cells.get("deadline", "").strip(),
            milestones=cells.get("milestones", "").strip(),
            targets=extract_targets(cells["text"]),
        )
        self._check(task)
        self.tasks.append(task)

    def _category(self, row: int) -> str:
        if self.category is None:
            if "category" in self.columns:
                reason = f"此行之前没有类别，归入“{UNCATEGORISED}”"
                self.problems.append(Problem(row, COLUMN_LABELS["category"], reason))
            self.category = self.categories.setdefault(UNCATEGORISED, UNCATEGORISED)
        return self.category

    def _check(self, task: ParsedTask) -> None:
        def problem(key: str, reason: str) -> None:
            self.problems.append(Problem(task.row, COLUMN_LABELS[key], reason))

        if "number" in self.columns:
            if not task.number:
                problem("number", "没有序号")
            elif (seen := self.numbers.get((task.category, task.number))) is not None:
                problem(
                    "number", f"序号“{task.number}”在类别“{task.category}”中重复（第 {seen} 行）"
                )
            else:
                self.numbers[(task.category, task.number)] = task.row
        if "leaders" in self.columns and not task.leaders:
            problem("leaders", "没有填写责任领导")
        if "lead" in self.columns and not task.lead_departments:
            problem("lead", "没有填写责任股室")
        self._check_deadline(task.row, task.deadline)

    def _check_deadline(self, row: int, written: str) -> None:
        if written and parse_deadline(written, self.year or _CHECK_YEAR) is None:
            reason = (
                f"完成时限“{written}”无法识别为日期"
                "（可写 2026-06-30、6月30日、6月底、年底、上半年等）"
            )
            self.problems.append(Problem(row, COLUMN_LABELS["deadline"], reason))

    def _continue_task(self, cells: dict[str, str]) -> None:
        """A row inside a task's merged cell: its names belong to that task."""
        if not self.tasks:
            return
        last = self.tasks[-1]

        def more(old: tuple[str, ...], cell: str, known: Collection[str] = ()) -> tuple[str, ...]:
            return tuple(dict.fromkeys((*old, *split_names(cell, known))))

        deadline, milestones = cells.get("deadline", "").strip(), last.milestones
        if (node := cells.get("milestones", "").strip()) and node not in milestones.splitlines():
            milestones = f"{milestones}\n{node}" if milestones else node
        if deadline and not last.deadline:
            self._check_deadline(last.row, deadline)
        self.tasks[-1] = replace(
            last,
            leaders=more(last.leaders, cells.get("leaders", ""), self.known_people),
            lead_departments=more(last.lead_departments, cells.get("lead", "")),
            co_departments=more(last.co_departments, cells.get("co", "")),
            deadline=last.deadline or deadline,
            milestones=milestones,
        )


def _number(written: str) -> str:
    """序号 as written, full-width folded, with a float's ".0" dropped: "1.0" → "1"."""
    folded = unicodedata.normalize("NFKC", written).strip()
    match = re.fullmatch(r"(\d+)\.0*", folded)
    return match.group(1) if match else folded
