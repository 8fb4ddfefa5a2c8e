"""Which departments a round expected to report on which task, as lead or co-department.

An open round expects the tasks' current lead and co-departments. When a round closes,
`snapshot_expectations` keeps them (RoundExpectation rows), and from then on the round's notice,
its page and the department scores read the snapshot: editing a task's departments later does
not change what a closed round asked for.

A closed round without any snapshot row (closed before snapshots were kept) falls back to the
tasks' current departments; no data migration back-fills old rounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from dudao.orgs.models import Department
from dudao.workplan.choices import ReportRole, RoundStatus
from dudao.workplan.models import Round, RoundExpectation, Task

__all__ = [
    "RoundDepartments",
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


def snapshot_expectations(round: Round, tasks: Sequence[Task]) -> None:
    """Keep the tasks' current lead and co-departments as the round's expectations."""
    rows = [
        RoundExpectation(round=round, task=task, department=department, role=role)
        for task in tasks
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
    the current ones (prefetch `lead_departments` and `co_departments` to save queries)."""
    found = {task.pk: RoundDepartments() for task in tasks}
    rows = _snapshot(round)
    if rows is None:
        for task in tasks:
            found[task.pk].lead = sorted(task.lead_departments.all(), key=lambda d: d.name)
            found[task.pk].co = sorted(task.co_departments.all(), key=lambda d: d.name)
        return found
    for row in sorted(rows, key=lambda r: r.department.name):
        if row.task_id in found:
            target = found[row.task_id]
            (target.lead if row.role == ReportRole.LEAD else target.co).append(row.department)
    return found


def lead_pairs(rounds: Sequence[Round]) -> dict[int, set[tuple[int, int]]]:
    """Round pk → the (task pk, department pk) lead reports it expected: a closed round's
    snapshot, else (open, or closed without a snapshot) the current lead departments of its
    plan's tasks."""
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
        found[r.pk] = set(current[r.plan_id])
    return found
