"""Writes and suggestions of key-task follow-up: notice numbers, accountability actions, weights.

Every write is one atomic function that checks the actor (PermissionDenied: only the county office
or an administrator), validates (FollowupError with a Chinese message) and, for editable records,
the version the actor saw (StaleEdit: nothing saved).

`suggestions_for` runs the engine's accountability ladder on the TaskLight history of the closed
rounds; its suggestions are shown as "系统建议，由人决定" — only a person records an action.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from dudao.engine.workplan import (
    ActionKind,
    Light,
    ScoreWeights,
    Suggestion,
    TaskHistory,
    suggest_actions,
)
from dudao.engine.workplan.ladder import is_inactive, is_slow, is_unfinished_yearly
from dudao.orgs.models import Department
from dudao.orgs.selectors import User
from dudao.workplan.choices import AccountabilityKind, ReportStatus, RoundStatus
from dudao.workplan.errors import ServiceError, StaleEdit
from dudao.workplan.lights import latest_lead_reports
from dudao.workplan.models import AccountabilityAction, Round, Task, TaskLight, WorkPlan
from dudao.workplan.selectors import can_manage_plan

__all__ = [
    "FollowupError",
    "StaleEdit",
    "SuggestionRow",
    "action_record",
    "normalise_notice_number",
    "notice_number_set",
    "plan_weights_update",
    "suggestion_rows",
    "suggestions_for",
]


class FollowupError(ServiceError):
    """A refused follow-up action, with a Chinese message (and per-field reasons)."""


def _require_office(user: User, plan: WorkPlan, message: str) -> None:
    if not can_manage_plan(user, plan):
        raise PermissionDenied(message)


# ---------------------------------------------------------------- notice number

_NUMBER_FOLD = str.maketrans(
    {"[": "〔", "]": "〕", "［": "〔", "］": "〕", **{chr(0xFF10 + i): str(i) for i in range(10)}}
)


def normalise_notice_number(number: str) -> str:
    """The number as stored and compared: no spaces (full-width ones included), [] and ［］ as
    〔〕, full-width digits as ASCII: "青教督 [２０２６] 3号" → "青教督〔2026〕3号"."""
    return "".join(number.split()).translate(_NUMBER_FOLD)


@transaction.atomic
def notice_number_set(user: User, round: Round, *, number: str, version: int) -> Round:
    """Set the document number of the round's notice (e.g. 青教督〔2026〕3号), stored normalised
    (`normalise_notice_number`); a number another round of the same county already has, compared
    normalised, is refused (empty clears the number)."""
    _require_office(user, round.plan, "只有县督导室可以设置通报文号")
    locked = Round.objects.select_for_update().get(pk=round.pk)
    if locked.version != version:
        raise StaleEdit()
    number = normalise_notice_number(number)
    if len(number) > 50:
        raise FollowupError("通报文号不能超过50个字", {"notice_number": "过长"})
    others = (
        Round.objects.filter(plan__county=round.plan.county_id)
        .exclude(pk=round.pk)
        .exclude(notice_number="")
        .select_related("plan")
        .order_by("plan__year", "number")
    )
    used = next(
        (r for r in others if number and normalise_notice_number(r.notice_number) == number),
        None,
    )
    if used is not None:
        where = f"{used.plan.year}年第{used.number}次调度"
        raise FollowupError(f"该文号已用于{where}的通报", {"notice_number": f"已用于{where}"})
    locked.notice_number = number
    locked.version += 1
    locked.save(update_fields=["notice_number", "version"])
    round.notice_number, round.version = locked.notice_number, locked.version
    return locked


# ---------------------------------------------------------------- accountability


def _action_target(
    plan: WorkPlan, department: Department | None, person: str
) -> tuple[Department | None, str]:
    person = person.strip()
    if department is None and not person:
        raise FollowupError("请选择股室或填写责任人", {"department": "股室和责任人至少填一项"})
    if department is not None and department.county_id != plan.county_id:
        raise FollowupError("该股室不属于本县", {"department": "不属于本县"})
    if len(person) > 50:
        raise FollowupError("责任人不能超过50个字", {"person": "过长"})
    return department, person


def _action_tasks(plan: WorkPlan, tasks: Iterable[Task]) -> list[Task]:
    tasks = list(tasks)
    foreign = [t for t in tasks if t.plan_id != plan.pk]
    if foreign:
        raise FollowupError("涉及任务必须是本计划的任务", {"tasks": "含有其他计划的任务"})
    return tasks


@transaction.atomic
def action_record(
    user: User,
    plan: WorkPlan,
    *,
    kind: str,
    department: Department | None,
    person: str,
    on: date,
    reason: str,
    tasks: Iterable[Task],
) -> AccountabilityAction:
    """Record an accountability action decided by a person, on a department or a person."""
    _require_office(user, plan, "只有县督导室可以记录问责措施")
    if kind not in AccountabilityKind.values:
        raise FollowupError("请选择问责措施", {"kind": "未知的措施"})
    department, person = _action_target(plan, department, person)
    reason = reason.strip()
    if not reason:
        raise FollowupError("请填写事由", {"reason": "必填"})
    concerned = _action_tasks(plan, tasks)
    action = AccountabilityAction.objects.create(
        plan=plan,
        kind=kind,
        department=department,
        person=person,
        on=on,
        reason=reason,
        decided_by=user,
    )
    action.tasks.set(concerned)
    return action


# ---------------------------------------------------------------- score weights


PARTS_TOTAL = 100  # on-time + completion + supervision: full marks of a department


def weights_to_json(weights: ScoreWeights) -> dict[str, object]:
    data = asdict(weights)
    data["deductions"] = dict(weights.deductions)
    return data


@transaction.atomic
def plan_weights_update(
    user: User, plan: WorkPlan, *, weights: ScoreWeights, version: int
) -> WorkPlan:
    """Store the plan's department score weights (local choices, editable by the office); the
    three parts (on time, completion, supervision) must add up to `PARTS_TOTAL`."""
    _require_office(user, plan, "只有县督导室可以修改考核分值")
    locked = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.version != version:
        raise StaleEdit()
    unknown = set(weights.deductions) - set(AccountabilityKind.values)
    if unknown:
        raise FollowupError(f"未知的问责类型：{'、'.join(sorted(unknown))}")
    total = weights.on_time + weights.completion + weights.supervision
    if abs(total - PARTS_TOTAL) > 1e-6:
        raise FollowupError(f"各部分分值合计应为{PARTS_TOTAL}，现为{total:g}")
    locked.weights = weights_to_json(weights)
    locked.version += 1
    locked.save(update_fields=["weights", "version"])
    plan.weights, plan.version = locked.weights, locked.version
    return locked


# ---------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class SuggestionRow:
    """A suggestion of the ladder for one department, with the tasks it concerns."""

    department: Department
    suggestion: Suggestion
    task_ids: tuple[int, ...]

    @property
    def kind(self) -> str:
        return str(self.suggestion.kind)


def _histories(plan: WorkPlan) -> dict[int, tuple[Department, list[tuple[Task, TaskHistory]]]]:
    """Lead department pk → (department, [(task, history)]) from the closed rounds' lights."""
    closed = list(Round.objects.filter(plan=plan, status=RoundStatus.CLOSED).order_by("number"))
    lights: dict[int, dict[int, str]] = defaultdict(dict)  # task → round → light
    for row in TaskLight.objects.filter(round__in=closed).only("task_id", "round_id", "light"):
        lights[row.task_id][row.round_id] = row.light
    tasks = list(
        Task.objects.filter(plan=plan)
        .select_related("plan", "category")
        .prefetch_related("lead_departments")
    )
    latest = latest_lead_reports(tasks)
    found: dict[int, tuple[Department, list[tuple[Task, TaskHistory]]]] = {}
    for task in tasks:
        report = latest.get(task.pk)
        seen = lights.get(task.pk, {})
        history = TaskHistory(
            task=task.full_label,
            deadline=task.deadline,
            done=report is not None and report.status == ReportStatus.DONE,
            lights=tuple(Light(seen[r.pk]) for r in closed if r.pk in seen),
        )
        for department in task.lead_departments.all():
            found.setdefault(department.pk, (department, []))[1].append((task, history))
    return found


def _concerned(
    kind: str, pairs: Sequence[tuple[Task, TaskHistory]], *, today: date, year_end: date
) -> tuple[int, ...]:
    def hits(h: TaskHistory) -> bool:
        if kind in (ActionKind.CRITICISM, ActionKind.TALK):
            return is_slow(h)
        if kind == ActionKind.WRITTEN_REVIEW:
            return is_unfinished_yearly(h, today=today, year_end=year_end)
        return is_inactive(h)

    return tuple(task.pk for task, h in pairs if hits(h))


def suggestion_rows(plan: WorkPlan, *, today: date) -> list[SuggestionRow]:
    """The ladder's suggestions per lead department (by department name), with their tasks."""
    year_end = date(plan.year, 12, 31)
    rows: list[SuggestionRow] = []
    groups = sorted(_histories(plan).values(), key=lambda g: g[0].name)
    for department, pairs in groups:
        histories = [h for _, h in pairs]
        for suggestion in suggest_actions(histories, today=today, year_end=year_end):
            ids = _concerned(suggestion.kind, pairs, today=today, year_end=year_end)
            rows.append(SuggestionRow(department, suggestion, ids))
    return rows


def suggestions_for(plan: WorkPlan, *, today: date) -> list[tuple[Department, Suggestion]]:
    """(department, suggestion) pairs of the accountability ladder for the plan."""
    return [(row.department, row.suggestion) for row in suggestion_rows(plan, today=today)]
