"""Traffic lights of tasks: the engine's `traffic_light` fed from the latest lead report.

The day is always passed in (`today`), so pages, notices and tests agree on the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from dudao.engine.workplan import LightRules, Signal, traffic_light
from dudao.workplan.choices import ReportRole
from dudao.workplan.models import Report, Task, WorkPlan

__all__ = ["latest_lead_reports", "rules_for", "task_deadline", "task_signals", "task_start"]


def rules_for(plan: WorkPlan) -> LightRules:
    return LightRules(warning_days=plan.warning_days, behind_margin=plan.behind_margin)


def task_start(task: Task) -> date:
    """The task's start, or 1 January of the plan's year."""
    return task.start or date(task.plan.year, 1, 1)


def task_deadline(task: Task) -> date:
    """The task's deadline, or 31 December of the plan's year."""
    return task.deadline or date(task.plan.year, 12, 31)


def latest_lead_reports(tasks: Iterable[Task]) -> dict[int, Report]:
    """Task pk → its latest lead report (highest round number; the last updated when several
    lead departments reported in that round). One query."""
    ids = [t.pk for t in tasks]
    reports = (
        Report.objects.filter(task_id__in=ids, role=ReportRole.LEAD)
        .select_related("round", "department")
        .order_by("task_id", "-round__number", "-updated_at", "-pk")
    )
    latest: dict[int, Report] = {}
    for report in reports:
        latest.setdefault(report.task_id, report)
    return latest


def task_signals(
    tasks: Sequence[Task], *, today: date, reports: Mapping[int, Report] | None = None
) -> dict[int, Signal]:
    """Task pk → the engine's light on `today` (tasks need `plan` loaded). `reports` may pass
    `latest_lead_reports(tasks)` already read."""
    if reports is None:
        reports = latest_lead_reports(tasks)
    signals: dict[int, Signal] = {}
    for task in tasks:
        report = reports.get(task.pk)
        signals[task.pk] = traffic_light(
            today=today,
            start=task_start(task),
            deadline=task_deadline(task),
            status=report.status if report else None,
            percent=report.percent if report else None,
            rules=rules_for(task.plan),
        )
    return signals
