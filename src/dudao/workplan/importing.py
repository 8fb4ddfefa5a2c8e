"""Import of the yearly decomposition table (重点工作分解表): upload → preview → confirm.

The upload is checked and parsed by the engine; a file that cannot be read, or that has problems,
is refused with every problem located (row, column) and nothing is stored. A clean file is kept as
a `PlanImport` draft. The preview and the confirmation parse the stored bytes again, so nothing the
browser sends back is trusted as task data; the browser only sends the plan's title/year/number/date
and, for each person or department not yet known in the county, a choice: create it, or map it to
an existing one. The confirmation creates plan, categories, leaders, departments and tasks in one
transaction; each task's 完成时限 is read in the confirmed year, its 节点安排 kept as written
and its quantified targets (目标要求) joined with "；".

The year proposed is the one the table's title states, else the one in the file name, else this
year.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dudao.engine.tables.errors import InputErrors
from dudao.engine.workplan import ParsedPlan, ParsedTask, parse_task_table
from dudao.engine.workplan.targets import parse_deadline
from dudao.orgs.models import Department, Region
from dudao.orgs.selectors import User, can_manage_county
from dudao.workplan.choices import ImportStatus
from dudao.workplan.errors import ServiceError
from dudao.workplan.models import Category, Leader, PlanImport, Task, WorkPlan

__all__ = [
    "IMPORT_EXTENSIONS",
    "IMPORT_MAX_BYTES",
    "ImportRefused",
    "NameRow",
    "Preview",
    "RowProblem",
    "import_confirm",
    "import_discard",
    "import_preview",
    "import_upload",
    "imports_for",
    "plan_title",
]

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_EXTENSIONS = (".xlsx", ".csv")
NEW, BODY, UNIT = "new", "body", "unit"
_BODY_HINT = re.compile(r"(会|成员|班子|领导小组|全体)")
_YEAR = re.compile(r"(20\d\d)")


@dataclass(frozen=True)
class RowProblem:
    """A problem of the file, located as the user sees it."""

    row: int | None
    column: str | None
    reason: str


class ImportRefused(ServiceError):
    """The file was refused; `problems` lists every problem found (nothing was stored)."""

    def __init__(self, message: str, problems: list[RowProblem]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class NameRow:
    """A person or department named in the table: matched to an existing record, or to decide.

    `options` are (value, label) pairs offered when it is new; `default` the suggested value."""

    key: str  # form field name
    name: str
    existing: str  # the existing record's name, "" when new
    options: tuple[tuple[str, str], ...]
    default: str


def plan_title(caption: str, year: int) -> str:
    """The plan's title proposed from the table's caption: the caption names the table, the plan
    is its tasks, so a trailing 分解表 goes ("…重点工作任务分解表" → "…重点工作任务"); without a
    caption, "{year}年教育重点工作任务"."""
    title = caption.strip()[:200].removesuffix("分解表").rstrip()
    return title or f"{year}年教育重点工作任务"


@dataclass(frozen=True)
class Preview:
    imp: PlanImport
    parsed: ParsedPlan
    people: tuple[NameRow, ...]
    departments: tuple[NameRow, ...]
    year: int
    planned_years: tuple[int, ...]  # years the county already has a plan for (one plan a year)

    @property
    def unknown_people(self) -> tuple[NameRow, ...]:
        return tuple(r for r in self.people if not r.existing)

    @property
    def unknown_departments(self) -> tuple[NameRow, ...]:
        return tuple(r for r in self.departments if not r.existing)


# ---------------------------------------------------------------- reads


def imports_for(user: User) -> QuerySet[PlanImport]:
    """The user's own drafts (another user's import id is a 404), pending or applied."""
    if not user.is_authenticated:
        return PlanImport.objects.none()
    return PlanImport.objects.filter(
        uploaded_by=user, status__in=[ImportStatus.PENDING, ImportStatus.APPLIED]
    ).select_related("county", "plan")


def _leaders(county: Region) -> dict[str, Leader]:
    return {leader.name: leader for leader in Leader.objects.filter(county=county)}


def _departments(county: Region) -> dict[str, Department]:
    return {d.name: d for d in Department.objects.filter(county=county)}


def _parse(data: bytes, filename: str, county: Region) -> ParsedPlan:
    """The engine's reading of the file; ImportRefused when unreadable or with problems."""
    try:
        parsed = parse_task_table(data, filename, known_people=list(_leaders(county)))
    except InputErrors as exc:
        problems = [RowProblem(e.row, e.column, e.reason) for e in exc.errors]
        raise ImportRefused("文件无法读取，未导入任何内容", problems) from exc
    if parsed.problems:
        problems = [RowProblem(p.row, p.column, p.reason) for p in parsed.problems]
        raise ImportRefused(
            f"表格中有 {len(problems)} 处问题，请修改后重新上传；未导入任何内容", problems
        )
    if not parsed.tasks:
        raise ImportRefused("表格中没有任务，未导入任何内容", [])
    return parsed


def import_preview(imp: PlanImport) -> Preview:
    """Every task as it will be saved, and each person and department, known or to decide."""
    county = imp.county
    parsed = _parse(bytes(imp.data), imp.filename, county)
    leaders, departments = _leaders(county), _departments(county)
    leader_options = tuple((f"leader:{x.pk}", f"对应到已有：{x.name}") for x in leaders.values())
    department_options = tuple(
        (f"dept:{d.pk}", f"对应到已有：{d.name}") for d in departments.values()
    )
    co_only = _co_only(parsed)
    people = tuple(
        NameRow(
            key=f"person_{i}",
            name=name,
            existing=name if name in leaders else "",
            options=(
                (NEW, "新建（个人）"),
                (BODY, "新建（集体，如局长办公会成员）"),
                *leader_options,
            ),
            default=BODY if _BODY_HINT.search(name) else NEW,
        )
        for i, name in enumerate(parsed.people())
    )
    units = ((UNIT, "作为协办单位（非本局股室）"),)
    rows = []
    for i, name in enumerate(parsed.departments()):
        extra = units if name in co_only else ()
        rows.append(
            NameRow(
                key=f"department_{i}",
                name=name,
                existing=name if name in departments else "",
                options=((NEW, "新建股室"), *extra, *department_options),
                default=UNIT if name in co_only and not name.endswith(("股", "室", "科")) else NEW,
            )
        )
    planned = tuple(
        WorkPlan.objects.filter(county=county).order_by("year").values_list("year", flat=True)
    )
    return Preview(
        imp, parsed, people, tuple(rows), _guess_year(imp.filename, parsed, planned), planned
    )


def _co_only(parsed: ParsedPlan) -> set[str]:
    lead = {d for t in parsed.tasks for d in t.lead_departments}
    return {d for t in parsed.tasks for d in t.co_departments} - lead


def _guess_year(filename: str, parsed: ParsedPlan, planned: Sequence[int]) -> int:
    """The year the title rows state, else the file name's (or the sheet name's), else the first
    year from this one on that the county has no plan for yet."""
    if parsed.year is not None:
        return parsed.year
    found = _YEAR.search(filename) or _YEAR.search(parsed.sheet)
    if found:
        return int(found.group(1))
    year = timezone.localdate().year
    while year in planned:
        year += 1
    return year


# ---------------------------------------------------------------- writes


@transaction.atomic
def import_upload(user: User, county: Region, uploaded: UploadedFile) -> PlanImport:
    """Check and parse an uploaded table; keep it as a draft only when it is clean."""
    if not can_manage_county(user, county):
        raise PermissionDenied("只有县督导室可以导入任务分解表")
    name = Path(uploaded.name or "").name
    if Path(name).suffix.lower() not in IMPORT_EXTENSIONS:
        raise ImportRefused("请上传 .xlsx 或 .csv 格式的任务分解表", [])
    if (uploaded.size or 0) > IMPORT_MAX_BYTES:
        raise ImportRefused(f"文件过大：不能超过 {IMPORT_MAX_BYTES // 1024 // 1024} MB", [])
    data = uploaded.read()
    if not data:
        raise ImportRefused("文件是空的", [])
    _parse(data, name, county)
    return PlanImport.objects.create(
        county=county, uploaded_by=user, filename=name[:200], data=data
    )


@transaction.atomic
def import_confirm(
    user: User,
    imp: PlanImport,
    *,
    title: str,
    year: int,
    number: str = "",
    issued_on: date | None = None,
    choices: Mapping[str, str],
) -> WorkPlan:
    """Create the plan from the stored file, applying the choice made for each new name.

    `choices` maps a NameRow key (person_0, department_3, ...) to one of its option values.
    All or nothing: any refused choice leaves the database as it was. Refused too: a year other
    than the one the table's title states, and a 完成时限 outside the plan's year (rows listed)."""
    locked = PlanImport.objects.select_for_update().select_related("county").get(pk=imp.pk)
    if locked.uploaded_by_id != user.pk or not can_manage_county(user, locked.county):
        raise PermissionDenied("只能确认自己上传的任务分解表")
    if locked.status != ImportStatus.PENDING:
        raise ServiceError("该任务分解表已导入或已放弃，不能再次导入")
    preview = import_preview(locked)
    county = locked.county
    title = title.strip()
    if not title:
        raise ServiceError("请填写计划标题", {"title": "必填"})
    if WorkPlan.objects.filter(county=county, year=year).exists():
        raise ServiceError(f"{county}{year}年已有重点工作计划", {"year": "该年度已有计划"})
    stated = preview.parsed.year
    if stated is not None and stated != year:
        raise ServiceError(
            f"表格标题为{stated}年，计划年度填的是{year}年，请核对", {"year": "与表格标题不符"}
        )
    deadlines = _deadlines(preview.parsed, year)
    outside = [
        f"第{row}行完成时限{deadline:%Y-%m-%d}不在{year}年内"
        for row, deadline in deadlines.items()
        if deadline is not None and deadline.year != year
    ]
    if outside:
        raise ServiceError("；".join(outside), {"year": "与完成时限不符"})
    leaders = _resolve_people(county, preview, choices)
    departments, units = _resolve_departments(county, preview, choices)
    names = _Resolved(leaders, departments, frozenset(units))
    plan = WorkPlan.objects.create(
        county=county,
        year=year,
        title=title,
        number=number.strip(),
        issued_on=issued_on,
        created_by=user,
    )
    _create_tasks(plan, preview.parsed, names, deadlines)
    locked.status, locked.plan = ImportStatus.APPLIED, plan
    locked.save(update_fields=["status", "plan"])
    return plan


@transaction.atomic
def import_discard(user: User, imp: PlanImport) -> None:
    """Drop a pending draft (its bytes are deleted)."""
    if imp.uploaded_by_id != user.pk:
        raise PermissionDenied("只能放弃自己上传的任务分解表")
    if imp.status != ImportStatus.PENDING:
        raise ServiceError("该任务分解表已导入，不能放弃")
    imp.status, imp.data = ImportStatus.DISCARDED, b""
    imp.save(update_fields=["status", "data"])


def _deadlines(parsed: ParsedPlan, year: int) -> dict[int, date | None]:
    """Task row → its 完成时限 in `year` (None when the cell is empty); refused when a cell names a
    day `year` does not have (the table was checked in the year of its title)."""
    deadlines: dict[int, date | None] = {}
    for task in parsed.tasks:
        deadlines[task.row] = parse_deadline(task.deadline, year) if task.deadline else None
        if task.deadline and deadlines[task.row] is None:
            raise ServiceError(
                f"第 {task.row} 行的完成时限“{task.deadline}”在 {year} 年不是有效日期，"
                "请修改表格或年度",
                {"year": "与完成时限不符"},
            )
    return deadlines


def _choice(row: NameRow, choices: Mapping[str, str]) -> str:
    value = choices.get(row.key, "")
    if value not in {v for v, _ in row.options}:
        raise ServiceError(f"请为“{row.name}”选择新建或对应到已有的记录", {row.key: "请选择"})
    return value


def _resolve_people(
    county: Region, preview: Preview, choices: Mapping[str, str]
) -> dict[str, Leader]:
    found = _leaders(county)
    by_pk = {f"leader:{x.pk}": x for x in found.values()}
    result: dict[str, Leader] = {}
    for row in preview.people:
        if row.existing:
            result[row.name] = found[row.name]
            continue
        value = _choice(row, choices)
        if value in by_pk:
            result[row.name] = by_pk[value]
        else:
            result[row.name] = Leader.objects.create(
                county=county, name=row.name[:50], is_body=value == BODY
            )
    return result


def _resolve_departments(
    county: Region, preview: Preview, choices: Mapping[str, str]
) -> tuple[dict[str, Department], set[str]]:
    found = _departments(county)
    by_pk = {f"dept:{d.pk}": d for d in found.values()}
    result: dict[str, Department] = {}
    units: set[str] = set()
    for row in preview.departments:
        if row.existing:
            result[row.name] = found[row.name]
            continue
        value = _choice(row, choices)
        if value == UNIT:
            units.add(row.name)
        elif value in by_pk:
            result[row.name] = by_pk[value]
        else:
            result[row.name] = Department.objects.create(county=county, name=row.name[:50])
    return result, units


@dataclass(frozen=True)
class _Resolved:
    """The records each name of the table stands for (units: co-units that are not departments)."""

    leaders: Mapping[str, Leader]
    departments: Mapping[str, Department]
    units: frozenset[str]


def _create_tasks(
    plan: WorkPlan, parsed: ParsedPlan, names: _Resolved, deadlines: Mapping[int, date | None]
) -> None:
    categories = {
        name: Category.objects.create(plan=plan, name=name[:50], order=i)
        for i, name in enumerate(parsed.categories, start=1)
    }
    for order, parsed_task in enumerate(parsed.tasks, start=1):
        category = categories[parsed_task.category]
        _create_task(category, order, parsed_task, names, deadlines[parsed_task.row])


def _create_task(
    category: Category, order: int, parsed: ParsedTask, names: _Resolved, deadline: date | None
) -> Task:
    co_units = "、".join(d for d in parsed.co_departments if d in names.units)
    task = Task.objects.create(
        plan=category.plan,
        category=category,
        number=parsed.number[:20],
        order=order,
        text=parsed.text,
        co_units=co_units[:200],
        deadline=deadline,
        milestones=parsed.milestones,
        targets="；".join(parsed.targets),
        source_row=parsed.row,
    )
    lead = {names.departments[name].pk for name in parsed.lead_departments}
    co = {names.departments[n].pk for n in parsed.co_departments if n not in names.units}
    task.leaders.set({names.leaders[name].pk for name in parsed.leaders})
    task.lead_departments.set(lead)
    task.co_departments.set(co - lead)
    return task
