"""Which departments a round expected to report on which task, as lead or co-department.

An open round expects the tasks' current lead and co-departments. When a round closes,
`snapshot_expectations` keeps them (RoundExpectation rows), and from then on the round's notice,
its page and the department scores read the snapshot: editing a task's departments later does
not change what a closed round asked for.

A closed round without any snapshot row (closed before snapshots were kept) falls back to the
tasks' current departments; no data migration back-fills old rounds.

A task already completed before a round (every current lead department's latest lead report in
an earlier round of the plan is 已完成) expects no report in it: it has no expected departments
there (`completed_before`). A department may still report on it; that report is not counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery

from dudao.orgs.models import Department
from dudao.workplan.choices import ReportRole, ReportStatus, RoundStatus
from dudao.workplan.models import Report, Round, RoundExpectation, Task

__all__ = [
    "RoundDepartments",
    "completed_before",
    "lead_pairs",
    "round_departments",
    "round_tasks",
    "snapshot_expectations",
]


@dataclass
class RoundDepartments:
    """A task's departments expected in one round, each list by name."""

    lead: list[Department] = field(default_factory=list)
    co: list[Department] = field(default_factory=list)
    completed: bool = False  # completed in an earlier round: nothing expected


def _completed(plan_id: int, number: int) -> set[int]:
    """Pks of the plan's tasks completed before its round `number`: every current lead
    department's latest lead report in an earlier round is 已完成. One query."""
    latest = (
        Report.objects.filter(
            task_id=OuterRef("task_id"),
            department_id=OuterRef("department_id"),
            role=ReportRole.LEAD,
            round__number__lt=number,
        )
        .order_by("-round__number", "-updated_at", "-pk")
        .values("status")[:1]
    )
    leads = (
        Task.lead_departments.through.objects.filter(task__plan=plan_id)
        .annotate(latest=Subquery(latest))
        .values_list("task_id", "latest")
    )
    done: dict[int, bool] = {}
    for task_id, status in leads:
        done[task_id] = done.get(task_id, True) and status == ReportStatus.DONE
    return {task_id for task_id, completed in done.items() if completed}


def completed_before(round: Round) -> set[int]:
    """Pks of the tasks of the round's plan completed in an earlier round (none expected)."""
    return _completed(round.plan_id, round.number)


def snapshot_expectations(round: Round, tasks: Sequence[Task]) -> None:
    """Keep the tasks' current lead and co-departments as the round's expectations (none for a
    task completed in an earlier round)."""
    done = completed_before(round)
    rows = [
        RoundExpectation(round=round, task=task, department=department, role=role)
        for task in tasks
        if task.pk not in done
        for role, departments in (
            (ReportRole.LEAD, task.lead_departments.all()),
            (ReportRole.CO, task.co_departments.all()),
        )
        for department in departments
    ]
    RoundExpectation.objects.bulk_create(rows)


def round_tasks(round: Round, tasks: QuerySet[Task]) -> QuerySet[Task]:
    """`tasks` (of the round's plan) the round covers: for a round closed with its snapshot only
    those it kept a light for when it closed (a task added later is not in it); otherwise all
    (a closed round without the snapshot gives today's light to a task without one)."""
    if round.status == RoundStatus.CLOSED and round.expectations.exists():
        return tasks.filter(lights__round=round)
    return tasks


def _snapshot(round: Round) -> list[RoundExpectation] | None:
    """The closed round's expectation rows, or None when the round is open or has none."""
    if round.status != RoundStatus.CLOSED:
        return None
    rows = list(RoundExpectation.objects.filter(round=round).select_related("department"))
    return rows or None


def round_departments(round: Round, tasks: Sequence[Task]) -> dict[int, RoundDepartments]:
    """Task pk → its departments expected in the round: the snapshot of a closed round, else
    the current ones (prefetch `lead_departments` and `co_departments` to save queries); a task
    completed in an earlier round expects none (`completed` set)."""
    found = {task.pk: RoundDepartments() for task in tasks}
    rows = _snapshot(round)
    if rows is None:
        done = completed_before(round)
        for task in tasks:
            if task.pk in done:
                found[task.pk].completed = True
                continue
            found[task.pk].lead = sorted(task.lead_departments.all(), key=lambda d: d.name)
            found[task.pk].co = sorted(task.co_departments.all(), key=lambda d: d.name)
        return found
    for row in sorted(rows, key=lambda r: r.department.name):
        if row.task_id in found:
            target = found[row.task_id]
            (target.lead if row.role == ReportRole.LEAD else target.co).append(row.department)
    for expected in found.values():  # the snapshot kept none for a task completed earlier
        expected.completed = not expected.lead and not expected.co
    return found


def lead_pairs(rounds: Sequence[Round]) -> dict[int, set[tuple[int, int]]]:
    """Round pk → the (task pk, department pk) lead reports it expected: a closed round's
    snapshot, else (open, or closed without a snapshot) the current lead departments of its
    plan's tasks not completed in an earlier round."""
    found: dict[int, set[tuple[int, int]]] = {r.pk: set() for r in rounds}
    kept = RoundExpectation.objects.filter(
        round__in=[r.pk for r in rounds if r.status == RoundStatus.CLOSED], role=ReportRole.LEAD
    ).values_list("round_id", "task_id", "department_id")
    with_snapshot: set[int] = set()
    for round_id, task_id, department_id in kept:
        found[round_id].add((task_id, department_id))
        with_snapshot.add(round_id)
    current: dict[int, set[tuple[int, int]]] = {}
    for r in rounds:
        if r.pk in with_snapshot:
            continue
        if r.plan_id not in current:
            current[r.plan_id] = set(
                Task.lead_departments.through.objects.filter(task__plan=r.plan_id).values_list(
                    "task_id", "department_id"
                )
            )
        done = _completed(r.plan_id, r.number)
        found[r.pk] = {pair for pair in current[r.plan_id] if pair[0] not in done}
    return found
