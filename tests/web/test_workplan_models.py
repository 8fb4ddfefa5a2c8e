"""Shared test data of the key-task app (imported by the other test_workplan_* files), and checks
that the app's enumerations repeat the engine's values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from conftest import Cast
from django.utils import timezone

from dudao.engine.workplan import ACTION_LABELS, LIGHT_LABELS, STATUS_LABELS
from dudao.orgs.models import Department
from dudao.workplan.choices import AccountabilityKind, LightChoice, ReportRole, ReportStatus
from dudao.workplan.models import Category, Leader, Report, Round, Task, WorkPlan

YEAR = 2026


@dataclass
class PlanData:
    plan: WorkPlan
    category: Category
    leader: Leader
    task: Task  # lead 教育股 (cast.department), co 人事股, leader linked to cast.leader
    other_task: Task  # lead 人事股 only
    other_plan: WorkPlan  # 河西区
    other_plan_task: Task


def aware(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


def make_plan(cast: Cast, *, deadline: date | None = None) -> PlanData:
    """A 青川县 plan with two tasks, and a 河西区 plan with one."""
    plan = WorkPlan.objects.create(county=cast.county, year=YEAR, title="2026年重点工作")
    category = Category.objects.create(plan=plan, name="抓常规", order=1)
    leader = Leader.objects.create(county=cast.county, name="赵局长", user=cast.leader)
    task = Task.objects.create(
        plan=plan, category=category, number="1", order=1, text="规范办学行为", deadline=deadline
    )
    task.leaders.add(leader)
    task.lead_departments.add(cast.department)
    task.co_departments.add(cast.other_department)
    other_task = Task.objects.create(
        plan=plan, category=category, number="2", order=2, text="教师交流轮岗"
    )
    other_task.lead_departments.add(cast.other_department)
    other_plan = WorkPlan.objects.create(county=cast.other_county, year=YEAR, title="河西重点工作")
    other_category = Category.objects.create(plan=other_plan, name="强队伍", order=1)
    other_plan_task = Task.objects.create(
        plan=other_plan, category=other_category, number="1", text="河西的任务"
    )
    return PlanData(plan, category, leader, task, other_task, other_plan, other_plan_task)


def make_round(plan: WorkPlan, number: int = 1, *, due_on: date = date(YEAR, 2, 28)) -> Round:
    return Round.objects.create(
        plan=plan,
        number=number,
        title=f"第{number}次调度",
        opened_on=date(YEAR, 1, 1),
        due_on=due_on,
    )


def make_report(
    round_: Round,
    task: Task,
    cast: Cast,
    *,
    status: str = ReportStatus.IN_PROGRESS,
    percent: int | None = 30,
    role: str = ReportRole.LEAD,
    submitted_at: datetime | None = None,
) -> Report:
    department = cast.department if role == ReportRole.LEAD else cast.other_department
    return Report.objects.create(
        round=round_,
        task=task,
        department=department,
        role=role,
        status=status,
        percent=percent,
        submitted_at=submitted_at or aware(YEAR, 2, 1),
        submitted_by=cast.department_head,
    )


def more_tasks(data: PlanData, cast: Cast, count: int) -> None:
    """`count` more tasks in a second category: led by 教育股 and 安全股, helped by 人事股."""
    category = Category.objects.create(plan=data.plan, name="强队伍", order=2)
    extra = Department.objects.create(county=cast.county, name="安全股")
    for i in range(count):
        task = Task.objects.create(plan=data.plan, category=category, number=str(i), text=f"t{i}")
        task.lead_departments.add(cast.department, extra)
        task.co_departments.add(cast.other_department)
        task.leaders.add(data.leader)


def test_report_statuses_are_the_engines() -> None:
    assert dict(ReportStatus.choices) == STATUS_LABELS


def test_accountability_kinds_are_the_engines() -> None:
    assert dict(AccountabilityKind.choices) == ACTION_LABELS


def test_lights_are_the_engines() -> None:
    assert dict(LightChoice.choices) == LIGHT_LABELS


def test_a_report_handed_in_after_the_due_day_is_late(cast: Cast) -> None:
    data = make_plan(cast)
    round_ = make_round(data.plan, due_on=date(YEAR, 2, 28))
    on_time = make_report(round_, data.task, cast, submitted_at=aware(YEAR, 2, 28, 23))
    late = make_report(
        round_, data.task, cast, role=ReportRole.CO, submitted_at=aware(YEAR, 3, 1, 0)
    )
    assert not on_time.late
    assert late.late
