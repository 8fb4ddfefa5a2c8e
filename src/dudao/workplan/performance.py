"""Department performance in key-task work: facts per lead department, scored by the engine.

The facts of a department in a plan (`plan_facts`):

- reports due = the tasks it led in each closed round (the departments kept when the round closed,
  `expectations.lead_pairs`; current lead departments for a round closed without that snapshot);
  on time = its lead reports of those rounds handed in by the round's due date;
- task percents = its own latest lead report's percent on each task it leads (done → 100, no
  report or no percent → 0), whatever the other lead departments reported;
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
from dudao.workplan.expectations import lead_pairs
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


def _due(closed: list[Round]) -> tuple[Counter[int], set[tuple[int, int, int]]]:
    """Department pk → lead reports due in the closed rounds, and the (round, task, department)
    due: what each round expected when it closed (`expectations.lead_pairs`)."""
    due: Counter[int] = Counter()
    expected: set[tuple[int, int, int]] = set()
    for round_id, pairs in lead_pairs(closed).items():
        for task_id, department_id in pairs:
            due[department_id] += 1
            expected.add((round_id, task_id, department_id))
    return due, expected


def _on_time(closed: list[Round], expected: set[tuple[int, int, int]]) -> Counter[int]:
    """Department pk → lead reports of the closed rounds handed in by the due date (reports the
    round expected)."""
    counts: Counter[int] = Counter()
    reports = Report.objects.filter(round__in=closed, role=ReportRole.LEAD).select_related("round")
    for report in reports:
        key = (report.round_id, report.task_id, report.department_id)
        if key in expected and not report.late:
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


def _own_latest(plan: WorkPlan) -> dict[tuple[int, int], Report]:
    """(task pk, department pk) → the department's latest lead report on the task."""
    reports = Report.objects.filter(task__plan=plan, role=ReportRole.LEAD).order_by(
        "task_id", "department_id", "-round__number", "-updated_at", "-pk"
    )
    latest: dict[tuple[int, int], Report] = {}
    for report in reports:
        latest.setdefault((report.task_id, report.department_id), report)
    return latest


def plan_facts(plan: WorkPlan, *, today: date) -> list[tuple[Department, DepartmentFacts]]:
    """Every scored department of the plan with its facts, by department name."""
    closed = list(Round.objects.filter(plan=plan, status=RoundStatus.CLOSED))
    tasks = list(Task.objects.filter(plan=plan).prefetch_related("lead_departments"))
    latest = _own_latest(plan)
    led: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        for department in task.lead_departments.all():
            led[department.pk].append(task)
    due, expected = _due(closed)
    on_time, notes, actions = (
        _on_time(closed, expected),
        _critical_notes(plan),
        _actions(plan, today),
    )
    result = []
    for department in plan_departments(plan, today):
        own = led.get(department.pk, [])
        facts = DepartmentFacts(
            department=department.name,
            reports_due=due[department.pk],
            reports_on_time=min(on_time[department.pk], due[department.pk]),
            task_percents=tuple(_percent(latest.get((t.pk, department.pk))) for t in own),
            critical_notes=notes[department.pk],
            actions=actions.get(department.pk, {}),
        )
        result.append((department, facts))
    return result


def plan_scores(plan: WorkPlan, *, today: date) -> list[DepartmentScore]:
    """The departments' scores and ranks (engine `department_scores` with the plan's weights)."""
    facts = [f for _, f in plan_facts(plan, today=today)]
    return department_scores(facts, weights_for(plan))
