"""Department performance in key-task work: facts per lead department, scored by the engine.

The facts of a department in a plan (`plan_facts`):

- reports due = the tasks it leads × the closed rounds; on time = its lead reports of those rounds
  handed in by the round's due date;
- task percents = the latest lead report's percent of each task it leads (done → 100, no report or
  no percent → 0);
- critical notes = supervision notes flagged critical on the tasks it leads;
- actions = accountability actions recorded on the department in this plan, by kind (up to today).

`weights_for` reads the plan's weights (local choices, not national rules); missing or invalid
values fall back to the engine's defaults.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date

from django.db.models import Count

from dudao.engine.workplan import DepartmentFacts, DepartmentScore, ScoreWeights, department_scores
from dudao.orgs.models import Department
from dudao.workplan.choices import ReportRole, ReportStatus, RoundStatus
from dudao.workplan.lights import latest_lead_reports
from dudao.workplan.models import (
    AccountabilityAction,
    Report,
    Round,
    SupervisionNote,
    Task,
    WorkPlan,
)

__all__ = ["plan_facts", "plan_scores", "weights_for"]

PARTS = ("on_time", "completion", "supervision", "per_note")


def _number(value: object, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return default
    return float(value)


def weights_for(plan: WorkPlan) -> ScoreWeights:
    """The plan's score weights; engine defaults for what is missing or invalid."""
    stored = plan.weights if isinstance(plan.weights, Mapping) else {}
    default = ScoreWeights()
    values = {name: _number(stored.get(name), getattr(default, name)) for name in PARTS}
    given = stored.get("deductions")
    given = given if isinstance(given, Mapping) else {}
    deductions = {
        kind: _number(given.get(kind), amount) for kind, amount in default.deductions.items()
    }
    return ScoreWeights(**values, deductions=deductions)


def _on_time(plan: WorkPlan, closed: list[Round]) -> Counter[int]:
    """Department pk → lead reports of the closed rounds handed in by the due date (own tasks)."""
    counts: Counter[int] = Counter()
    reports = Report.objects.filter(round__in=closed, role=ReportRole.LEAD).select_related("round")
    led = set(
        Task.lead_departments.through.objects.filter(task__plan=plan).values_list(
            "task_id", "department_id"
        )
    )
    for report in reports:
        if (report.task_id, report.department_id) in led and not report.late:
            counts[report.department_id] += 1
    return counts


def _percent(report: Report | None) -> int:
    if report is None:
        return 0
    if report.status == ReportStatus.DONE:
        return 100
    return report.percent or 0


def _critical_notes(plan: WorkPlan) -> Counter[int]:
    rows = (
        SupervisionNote.objects.filter(task__plan=plan, critical=True)
        .values("task__lead_departments")
        .annotate(n=Count("pk"))
    )
    return Counter(
        {r["task__lead_departments"]: r["n"] for r in rows if r["task__lead_departments"]}
    )


def _actions(plan: WorkPlan, today: date) -> dict[int, dict[str, int]]:
    rows = (
        AccountabilityAction.objects.filter(plan=plan, department__isnull=False, on__lte=today)
        .values("department", "kind")
        .annotate(n=Count("pk"))
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for r in rows:
        found[r["department"]][r["kind"]] = r["n"]
    return found


def plan_departments(plan: WorkPlan, today: date) -> list[Department]:
    """Departments scored: those leading a task of the plan or with an action recorded."""
    return list(
        Department.objects.filter(county=plan.county_id)
        .filter(
            pk__in=list(
                Task.lead_departments.through.objects.filter(task__plan=plan).values_list(
                    "department_id", flat=True
                )
            )
            + list(
                AccountabilityAction.objects.filter(
                    plan=plan, department__isnull=False, on__lte=today
                ).values_list("department_id", flat=True)
            )
        )
        .order_by("name")
    )


def plan_facts(plan: WorkPlan, *, today: date) -> list[tuple[Department, DepartmentFacts]]:
    """Every scored department of the plan with its facts, by department name."""
    closed = list(Round.objects.filter(plan=plan, status=RoundStatus.CLOSED))
    tasks = list(Task.objects.filter(plan=plan).prefetch_related("lead_departments"))
    latest = latest_lead_reports(tasks)
    led: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        for department in task.lead_departments.all():
            led[department.pk].append(task)
    on_time, notes, actions = _on_time(plan, closed), _critical_notes(plan), _actions(plan, today)
    result = []
    for department in plan_departments(plan, today):
        own = led.get(department.pk, [])
        facts = DepartmentFacts(
            department=department.name,
            reports_due=len(own) * len(closed),
            reports_on_time=min(on_time[department.pk], len(own) * len(closed)),
            task_percents=tuple(_percent(latest.get(t.pk)) for t in own),
            critical_notes=notes[department.pk],
            actions=actions.get(department.pk, {}),
        )
        result.append((department, facts))
    return result


def plan_scores(plan: WorkPlan, *, today: date) -> list[DepartmentScore]:
    """The departments' scores and ranks (engine `department_scores` with the plan's weights)."""
    facts = [f for _, f in plan_facts(plan, today=today)]
    return department_scores(facts, weights_for(plan))
