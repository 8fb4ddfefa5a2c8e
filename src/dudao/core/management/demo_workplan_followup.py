"""Demo follow-up of the key-task plan: a notice number and one or two accountability actions.

Called after `seed_workplan` (load_demo): the latest closed round gets its notice number; the
department of the first red task of that round is criticised (通报批评) and, when the ladder
suggests a talk, its head is talked to (约谈) — both recorded by the demo county office, as a
person would after reading the system's suggestions. The score weights stay at their defaults.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User

from dudao.engine.workplan import ActionKind
from dudao.workplan.choices import LightChoice, RoundStatus
from dudao.workplan.followup_services import action_record, suggestion_rows
from dudao.workplan.models import AccountabilityAction, Round, TaskLight, WorkPlan

OFFICE = "demo_supervisor"


def seed_workplan_followup(plan: WorkPlan, users: dict[str, User], today: date) -> str:
    """Number the latest closed round's notice and record the demo actions; a Chinese summary."""
    office = users.get(OFFICE)
    closed = Round.objects.filter(plan=plan, status=RoundStatus.CLOSED).order_by("-number").first()
    if office is None or closed is None:
        return "未生成问责示例（缺少县督导室演示账号或已结束的调度）"
    closed.notice_number = f"示教督〔{plan.year}〕{closed.number}号"
    closed.version += 1
    closed.save(update_fields=["notice_number", "version"])
    recorded = _criticism(plan, closed, office, today) + _talk(plan, office, today)
    kinds = "、".join(a.get_kind_display() for a in recorded) or "无"
    return (
        f"已设置{closed.title}通报文号 {closed.notice_number}，记录问责措施 {len(recorded)} 条"
        f"（{kinds}），考核分值为默认值"
    )


def _criticism(
    plan: WorkPlan, closed: Round, office: User, today: date
) -> list[AccountabilityAction]:
    red = (
        TaskLight.objects.filter(round=closed, light=LightChoice.RED)
        .select_related("task__category")
        .order_by("task__category__order", "task__order")
        .first()
    )
    department = red.task.lead_departments.order_by("name").first() if red else None
    if red is None or department is None:
        return []
    action = action_record(
        office,
        plan,
        kind=ActionKind.CRITICISM,
        department=department,
        person="",
        on=today,
        reason=f"{closed.title}中{red.task.full_label}亮红灯（{red.reason}），予以通报批评",
        tasks=[red.task],
    )
    return [action]


def _talk(plan: WorkPlan, office: User, today: date) -> list[AccountabilityAction]:
    talk = next((r for r in suggestion_rows(plan, today=today) if r.kind == ActionKind.TALK), None)
    if talk is None:
        return []
    action = action_record(
        office,
        plan,
        kind=ActionKind.TALK,
        department=talk.department,
        person=f"{talk.department.name}负责人",
        on=today,
        reason=talk.suggestion.reason,
        tasks=list(plan.tasks.filter(pk__in=talk.task_ids)),
    )
    return [action]
