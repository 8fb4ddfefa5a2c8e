"""What the pages show: task rows with their light and latest report, groups, filters, history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from dudao.engine.workplan import LIGHT_LABELS, Signal
from dudao.workplan.choices import RoundStatus
from dudao.workplan.expectations import round_departments, round_tasks
from dudao.workplan.lights import latest_lead_reports, task_deadline, task_signals
from dudao.workplan.models import Report, Round, Task

GROUPS = {"category": "按类别", "leader": "按责任领导", "department": "按责任股室"}
LIGHT_CLASSES = {"green": "met", "yellow": "near", "red": "below"}
NONE_GIVEN = "（未指定）"


@dataclass
class TaskRow:
    task: Task
    signal: Signal
    report: Report | None  # the latest lead report
    leaders: list[str]
    lead: list[str]
    co: list[str]
    deadline: date

    @property
    def light_class(self) -> str:
        return LIGHT_CLASSES[str(self.signal.light)]

    @property
    def light_label(self) -> str:
        return LIGHT_LABELS[str(self.signal.light)]


@dataclass
class Group:
    name: str
    rows: list[TaskRow] = field(default_factory=list)


def with_people(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks with what their rows show loaded in a few queries."""
    return tasks.select_related("plan__county", "category").prefetch_related(
        "leaders", "lead_departments", "co_departments"
    )


def filter_tasks(tasks: QuerySet[Task], params: Mapping[str, str]) -> QuerySet[Task]:
    """`department` (lead or co, by pk) and `q` (text) filters; the light filter is applied on
    the rows (it depends on today)."""
    department = params.get("department", "")
    if department.isdigit():
        tasks = tasks.filter(
            Q(lead_departments__pk=int(department)) | Q(co_departments__pk=int(department))
        ).distinct()
    text = params.get("q", "").strip()
    if text:
        tasks = tasks.filter(text__icontains=text)
    return tasks


def plan_years(tasks: QuerySet[Task], wanted: str) -> tuple[list[int], int | None]:
    """The plan years of `tasks`, newest first, and the year to show: `wanted` when it is one of
    them, else the newest (None when there are no tasks)."""
    years = sorted(set(tasks.values_list("plan__year", flat=True)), reverse=True)
    if wanted.isdigit() and int(wanted) in years:
        return years, int(wanted)
    return years, years[0] if years else None


def task_rows(tasks: Iterable[Task], *, today: date, light: str = "") -> list[TaskRow]:
    """One row per task with its light on `today`; only rows of `light` when given."""
    tasks = list(tasks)
    reports = latest_lead_reports(tasks)
    signals = task_signals(tasks, today=today, reports=reports)
    rows = [
        TaskRow(
            task=t,
            signal=signals[t.pk],
            report=reports.get(t.pk),
            leaders=[x.name for x in t.leaders.all()],
            lead=[d.name for d in t.lead_departments.all()],
            co=[d.name for d in t.co_departments.all()] + ([t.co_units] if t.co_units else []),
            deadline=task_deadline(t),
        )
        for t in tasks
    ]
    if light in LIGHT_CLASSES:
        rows = [r for r in rows if str(r.signal.light) == light]
    return rows


def group_rows(rows: list[TaskRow], by: str) -> list[Group]:
    """Rows grouped by category, leader or lead department (a task under each of its leaders or
    lead departments), groups in order of first appearance."""
    groups: dict[str, Group] = {}
    for row in rows:
        if by == "leader":
            keys = row.leaders or [NONE_GIVEN]
        elif by == "department":
            keys = row.lead or [NONE_GIVEN]
        else:
            keys = [row.task.category.name]
        for key in keys:
            groups.setdefault(key, Group(key)).rows.append(row)
    return list(groups.values())


def light_counts(rows: Iterable[TaskRow]) -> dict[str, int]:
    counts = {"green": 0, "yellow": 0, "red": 0}
    for row in rows:
        counts[str(row.signal.light)] += 1
    return counts


@dataclass
class RoundHistory:
    round: Round
    reports: list[Report]
    light: str  # the light kept when the round closed, "" while open


def task_history(task: Task) -> list[RoundHistory]:
    """Every round of the task's plan, newest first, with the task's reports (files, comments)."""
    reports = (
        Report.objects.filter(task=task)
        .select_related("department", "submitted_by", "round")
        .prefetch_related("files", Prefetch("comments__author"))
    )
    by_round: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        by_round[report.round_id].append(report)
    lights = {x.round_id: x for x in task.lights.all()}
    return [
        RoundHistory(
            r,
            sorted(by_round.get(r.pk, []), key=lambda x: (x.role != "lead", x.department.name)),
            lights[r.pk].get_light_display() + "：" + lights[r.pk].reason if r.pk in lights else "",
        )
        for r in task.plan.rounds.order_by("-number")
    ]


@dataclass
class Expected:
    """A report a department owes on a task in a round, and the report when handed in."""

    department_name: str
    department_id: int
    role: str  # "lead" / "co"
    report: Report | None
    mine: bool  # the viewing user's department


@dataclass
class RoundRow:
    task: Task
    light: str
    reason: str
    expected: list[Expected]
    completed: bool = False  # completed in an earlier round: no report expected

    @property
    def light_class(self) -> str:
        return LIGHT_CLASSES[self.light]

    @property
    def light_label(self) -> str:
        return LIGHT_LABELS[self.light]


def round_rows(round: Round, own: set[int], *, today: date) -> list[RoundRow]:
    """Every task of the round's plan, with the light (kept at closing, else on `today`) and the
    reports expected from its lead and co-departments (those kept at closing, else current)."""
    tasks = list(with_people(round_tasks(round, round.plan.tasks.all())))
    departments_of = round_departments(round, tasks)
    reports = {
        (r.task_id, r.department_id): r
        for r in round.reports.select_related("round", "submitted_by")
    }
    if round.status == RoundStatus.CLOSED:
        kept = {x.task_id: (x.light, x.reason) for x in round.lights.all()}
    else:
        signals = task_signals(tasks, today=today)
        kept = {pk: (str(s.light), s.reason) for pk, s in signals.items()}
    rows = []
    for task in tasks:
        expected = [
            Expected(d.name, d.pk, role, reports.get((task.pk, d.pk)), d.pk in own)
            for role, departments in (
                ("lead", departments_of[task.pk].lead),
                ("co", departments_of[task.pk].co),
            )
            for d in departments
        ]
        light, reason = kept.get(task.pk, ("green", ""))
        rows.append(RoundRow(task, light, reason, expected, departments_of[task.pk].completed))
    return rows
