"""Shared data of the key-task follow-up tests (notices, actions, scores, reminders).

`follow_up(cast)` builds a 青川县 plan for 2026 with three tasks, one per lead department, and a
closed first round (due 28 February) whose lights were snapshotted:

| task | lead | report in round 1 | light |
|---|---|---|---|
| 1 规范办学行为 | 教育股 | on time, in progress 30% | green |
| 2 教师交流轮岗 | 人事股 | late (2 March), lagging 10% | red "自报滞后" |
| 3 校舍维修改造 | 计划财务股 | on time, in progress 20% | yellow |

and a 河西区 plan with one task (another county).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from conftest import Cast
from django.utils import timezone

from dudao.orgs.models import Department
from dudao.workplan.choices import LightChoice, ReportRole, ReportStatus, RoundStatus
from dudao.workplan.models import Category, Report, Round, Task, TaskLight, WorkPlan

YEAR = 2026


@dataclass
class FollowUp:
    plan: WorkPlan
    category: Category
    finance: Department  # 计划财务股, 青川县
    task1: Task  # 教育股
    task2: Task  # 人事股
    task3: Task  # 计划财务股
    round1: Round  # closed
    other_plan: WorkPlan  # 河西区
    other_task: Task


def aware(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


def add_task(
    plan: WorkPlan, category: Category, number: str, text: str, *leads: Department, **extra: object
) -> Task:
    task = Task.objects.create(
        plan=plan, category=category, number=number, order=int(number), text=text, **extra
    )
    task.lead_departments.add(*leads)
    return task


def add_round(
    plan: WorkPlan,
    number: int,
    due_on: date,
    *,
    closed: bool = False,
    opened_on: date | None = None,
) -> Round:
    return Round.objects.create(
        plan=plan,
        number=number,
        title=f"第{number}次调度",
        opened_on=opened_on or date(YEAR, 1, 1),
        due_on=due_on,
        status=RoundStatus.CLOSED if closed else RoundStatus.OPEN,
    )


def add_report(
    round_: Round,
    task: Task,
    department: Department,
    cast: Cast,
    *,
    status: str = ReportStatus.IN_PROGRESS,
    percent: int | None = 30,
    at: datetime | None = None,
    role: str = ReportRole.LEAD,
) -> Report:
    return Report.objects.create(
        round=round_,
        task=task,
        department=department,
        role=role,
        status=status,
        percent=percent,
        submitted_at=at or aware(YEAR, 2, 20),
        submitted_by=cast.department_head,
    )


def add_light(round_: Round, task: Task, light: str, reason: str = "") -> TaskLight:
    return TaskLight.objects.create(round=round_, task=task, light=light, reason=reason)


def follow_up(cast: Cast) -> FollowUp:
    plan = WorkPlan.objects.create(county=cast.county, year=YEAR, title="2026年重点工作")
    category = Category.objects.create(plan=plan, name="抓常规", order=1)
    finance = Department.objects.create(name="计划财务股", county=cast.county)
    task1 = add_task(plan, category, "1", "规范办学行为", cast.department)
    task2 = add_task(plan, category, "2", "教师交流轮岗", cast.other_department)
    task3 = add_task(plan, category, "3", "校舍维修改造", finance)
    round1 = add_round(plan, 1, date(YEAR, 2, 28), closed=True)
    add_report(round1, task1, cast.department, cast, percent=30)
    add_report(
        round1,
        task2,
        cast.other_department,
        cast,
        status=ReportStatus.LAGGING,
        percent=10,
        at=aware(YEAR, 3, 2),
    )
    add_report(round1, task3, finance, cast, percent=20)
    add_light(round1, task1, LightChoice.GREEN, "按计划推进")
    add_light(round1, task2, LightChoice.RED, "自报滞后")
    add_light(round1, task3, LightChoice.YELLOW, "进度 20%，按计划应达 45%")
    other_plan = WorkPlan.objects.create(county=cast.other_county, year=YEAR, title="河西重点工作")
    other_category = Category.objects.create(plan=other_plan, name="强队伍", order=1)
    other_task = add_task(other_plan, other_category, "1", "河西的任务")
    return FollowUp(plan, category, finance, task1, task2, task3, round1, other_plan, other_task)
