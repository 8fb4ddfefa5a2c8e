"""Traffic lights of tasks: the engine's `traffic_light` fed from the worst lead report of the
latest round (see `worst_lead_report`).

The day is always passed in (`today`), so pages, notices and tests agree on the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from dudao.engine.workplan import LightRules, Signal, traffic_light
from dudao.workplan.choices import ReportRole, ReportStatus
from dudao.workplan.models import Report, Task, WorkPlan

__all__ = [
    "latest_lead_reports",
    "rules_for",
    "task_deadline",
    "task_signals",
    "task_start",
    "worst_lead_report",
]


def rules_for(plan: WorkPlan) -> LightRules:
    return LightRules(warning_days=plan.warning_days, behind_margin=plan.behind_margin)


def task_start(task: Task) -> date:
    """The task's start, or 1 January of the plan's year."""
    return task.start or date(task.plan.year, 1, 1)


def task_deadline(task: Task) -> date:
    """The task's deadline, or 31 December of the plan's year."""
    return task.deadline or date(task.plan.year, 12, 31)


def _badness(report: Report | None) -> tuple[int, int, int]:
    """Sort key, worst first: a self-reported 受阻/滞后 (always red), then the lowest percentage
    (a missing report counts as 0% and comes before a report of the same percentage), 已完成
    last. For one task on one day the engine's light only gets better along this order."""
    if report is None:
        return (1, 0, 0)
    if report.status in (ReportStatus.BLOCKED, ReportStatus.LAGGING):
        return (0, report.percent or 0, 1)
    if report.status == ReportStatus.DONE:
        return (2, report.percent or 0, 1)
    return (1, report.percent or 0, 1)


def worst_lead_report(
    reports: Mapping[int, Report], lead_departments: Iterable[int]
) -> Report | None:
    """The report that decides a task's light and status in one round, from its lead
    departments' reports there (department pk → report): the worst one, a lead department
    that did not report counting as not reported (None). So a task is 已完成 only when every
    lead department reported 已完成, and one 受阻 makes it red whatever the others say."""
    candidates: list[Report | None] = list(reports.values())
    candidates += [None for pk in lead_departments if pk not in reports]
    return min(candidates, key=_badness, default=None)


def _lead_departments(tasks: Sequence[Task]) -> dict[int, list[int]]:
    """Task pk → its lead departments' pks: from a prefetch when the tasks have one, else one
    query."""
    if all("lead_departments" in getattr(t, "_prefetched_objects_cache", {}) for t in tasks):
        return {t.pk: [d.pk for d in t.lead_departments.all()] for t in tasks}
    leads: dict[int, list[int]] = {}
    through = Task.lead_departments.through.objects.filter(task_id__in=[t.pk for t in tasks])
    for task_id, department_id in through.values_list("task_id", "department_id"):
        leads.setdefault(task_id, []).append(department_id)
    return leads


def latest_lead_reports(tasks: Iterable[Task]) -> dict[int, Report]:
    """Task pk → the lead report deciding its light: in the highest round with a lead report,
    the worst of its lead departments' reports (`worst_lead_report`); a task whose worst is a
    lead department's missing report is left out, as not reported. Two queries (one when the
    tasks' lead departments are prefetched)."""
    tasks = list(tasks)
    ids = [t.pk for t in tasks]
    reports = (
        Report.objects.filter(task_id__in=ids, role=ReportRole.LEAD)
        .select_related("round", "department")
        .order_by("task_id", "-round__number", "-updated_at", "-pk")
    )
    newest: dict[int, dict[int, Report]] = {}
    for report in reports:
        by_department = newest.setdefault(report.task_id, {})
        first = next(iter(by_department.values()), None)
        if first is None or first.round_id == report.round_id:
            by_department.setdefault(report.department_id, report)
    leads = _lead_departments([t for t in tasks if t.pk in newest])
    latest: dict[int, Report] = {}
    for task_id, by_department in newest.items():
        worst = worst_lead_report(by_department, leads.get(task_id, []))
        if worst is not None:
            latest[task_id] = worst
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
