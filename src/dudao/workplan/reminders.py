"""Reminders of key-task work: what a user should do soon, shown in the app and sent by e-mail.

For a user, on `today`:

- an open round due within `ROUND_DAYS` days (or already past its due date) in which one of the
  user's departments has not reported on a task it leads or co-handles;
- for the county office, each such round with reports still missing from any department
  (第N次调度尚有X份未报送（截止M月D日）, linking to the round);
- tasks near their deadline (within the plan's `warning_days`) and not done;
- overdue tasks not done.

Tasks are the user's department's (lead or co), a leader's own (linked `Leader.user`, and a
collective body's tasks for every leader of its county: `selectors.led_tasks_q`), or every task
of the county for the county office. Plans of this year and last year only. Each reminder
has a `key` naming the user, so that the e-mail command sends it once (`ReminderSent`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User as Account
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse

from dudao.orgs.choices import Role
from dudao.orgs.models import Department
from dudao.orgs.selectors import User, memberships
from dudao.workplan.choices import ReportStatus, RoundStatus
from dudao.workplan.expectations import completed_before
from dudao.workplan.lights import latest_lead_reports, task_deadline
from dudao.workplan.models import ReminderSent, Report, Round, Task, WorkPlan
from dudao.workplan.selectors import can_manage_plan, led_tasks_q, plans_for

__all__ = ["ROUND_DAYS", "Reminder", "reminders_for", "send_reminders"]

ROUND_DAYS = 7
ROUND, NEAR, OVERDUE = "round", "deadline", "overdue"
KIND_LABELS = {ROUND: "调度报送", NEAR: "临近时限", OVERDUE: "已逾期"}


@dataclass(frozen=True)
class Reminder:
    key: str  # unique per user and thing reminded of, e.g. "round:12:dept:3:user:7"
    kind: str  # round / deadline / overdue
    text: str  # Chinese, one line
    url: str
    due: date

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _days(due: date, today: date) -> str:
    left = (due - today).days
    if left > 0:
        return f"还有{left}天"
    return "今天截止" if left == 0 else f"已超过{-left}天"


def _user_departments(user: User) -> list[Department]:
    return [m.department for m in memberships(user) if m.role == Role.DEPARTMENT and m.department]


def _handled_tasks(plans: list[WorkPlan], mine: set[int]) -> set[tuple[int, int, int]]:
    """(plan pk, task pk, department pk) of every task the departments lead or co-handle."""
    found: set[tuple[int, int, int]] = set()
    for through in (Task.lead_departments.through, Task.co_departments.through):
        rows = through.objects.filter(task__plan__in=plans, department_id__in=mine)
        found.update(rows.values_list("task__plan_id", "task_id", "department_id"))
    return found


def _round_reminder(
    user: User, round: Round, department: Department, missing: int, today: date
) -> Reminder:
    due = round.due_on
    return Reminder(
        key=f"round:{round.pk}:dept:{department.pk}:user:{user.pk}",
        kind=ROUND,
        text=f"{round.plan.year}年{round.title}报送截止{_md(due)}（{_days(due, today)}），"
        f"{department.name}尚有{missing}项任务未报送",
        url=reverse("workplan:round", args=[round.pk]),
        due=due,
    )


def _rounds_due_soon(plans: list[WorkPlan], today: date) -> list[Round]:
    """The plans' open rounds that have started and are due within `ROUND_DAYS` days or past."""
    return list(
        Round.objects.filter(
            plan__in=plans,
            status=RoundStatus.OPEN,
            opened_on__lte=today,
            due_on__lte=today + timedelta(days=ROUND_DAYS),
        ).select_related("plan")
    )


def _round_reminders(
    user: User, plans: list[WorkPlan], departments: list[Department], today: date
) -> list[Reminder]:
    if not departments:
        return []
    rounds = _rounds_due_soon(plans, today)
    if not rounds:
        return []
    mine = {d.pk for d in departments}
    handled = _handled_tasks(plans, mine)
    reported = set(
        Report.objects.filter(round__in=rounds, department_id__in=mine).values_list(
            "round_id", "task_id", "department_id"
        )
    )
    found = []
    for round in rounds:
        done = completed_before(round)
        for department in departments:
            missing = sum(
                1
                for plan, task, dept in handled
                if plan == round.plan_id
                and task not in done
                and dept == department.pk
                and (round.pk, task, dept) not in reported
            )
            if missing:
                found.append(_round_reminder(user, round, department, missing, today))
    return found


def _office_round_reminders(user: User, plans: list[WorkPlan], today: date) -> list[Reminder]:
    """For the county office: each open round of the plans it manages, due within `ROUND_DAYS`
    days or past due, with reports still missing (every lead and co-department of every task)."""
    rounds = _rounds_due_soon([p for p in plans if can_manage_plan(user, p)], today)
    if not rounds:
        return []
    plan_ids = [r.plan_id for r in rounds]
    fields = ("task__plan_id", "task_id", "department_id")
    lead = Task.lead_departments.through.objects.filter(task__plan__in=plan_ids)
    co = Task.co_departments.through.objects.filter(task__plan__in=plan_ids)
    expected = set(lead.values_list(*fields).union(co.values_list(*fields)))
    reported = set(
        Report.objects.filter(round__in=rounds).values_list("round_id", "task_id", "department_id")
    )
    found = []
    for round in rounds:
        done = completed_before(round)
        missing = sum(
            1
            for plan, task, dept in expected
            if plan == round.plan_id and task not in done and (round.pk, task, dept) not in reported
        )
        if not missing:
            continue
        due = round.due_on
        found.append(
            Reminder(
                key=f"round:{round.pk}:office:user:{user.pk}",
                kind=ROUND,
                text=f"{round.plan.year}年第{round.number}次调度尚有{missing}份未报送"
                f"（截止{_md(due)}，{_days(due, today)}）",
                url=reverse("workplan:round", args=[round.pk]),
                due=due,
            )
        )
    return found


def _watched_tasks(
    user: User, plans: list[WorkPlan], departments: list[Department]
) -> QuerySet[Task]:
    office = [p.pk for p in plans if can_manage_plan(user, p)]
    mine = [d.pk for d in departments]
    query = (
        Q(plan__in=office)
        | Q(plan__in=plans, lead_departments__in=mine)
        | Q(plan__in=plans, co_departments__in=mine)
        | (Q(plan__in=plans) & led_tasks_q(user))
    )
    ids = Task.objects.filter(query).values("pk")
    return Task.objects.filter(pk__in=ids).select_related("plan", "category")


def _task_reminders(user: User, tasks: list[Task], today: date) -> list[Reminder]:
    latest = latest_lead_reports(tasks)
    found = []
    for task in tasks:
        report = latest.get(task.pk)
        if report is not None and report.status == ReportStatus.DONE:
            continue
        deadline = task_deadline(task)
        if deadline < today:
            kind, what = OVERDUE, f"已逾期{(today - deadline).days}天"
        elif (deadline - today).days <= task.plan.warning_days:
            kind, what = NEAR, f"完成时限{_md(deadline)}（{_days(deadline, today)}）"
        else:
            continue
        found.append(
            Reminder(
                key=f"{kind}:{task.pk}:user:{user.pk}",
                kind=kind,
                text=f"{task.label}{what}，尚未完成",
                url=reverse("workplan:task", args=[task.pk]),
                due=deadline,
            )
        )
    return found


def reminders_for(user: User, *, today: date) -> list[Reminder]:
    """The user's reminders on `today`, soonest first (see the module docstring)."""
    if not user.is_authenticated:
        return []
    plans = list(plans_for(user).filter(year__gte=today.year - 1))
    if not plans:
        return []
    departments = _user_departments(user)
    tasks = list(_watched_tasks(user, plans, departments))
    found = (
        _round_reminders(user, plans, departments, today)
        + _office_round_reminders(user, plans, today)
        + _task_reminders(user, tasks, today)
    )
    return sorted(found, key=lambda r: (r.due, r.kind, r.key))


# ---------------------------------------------------------------- e-mail


def _mail_body(user: Account, reminder: Reminder) -> str:
    site = settings.DUDAO_SITE_URL.rstrip("/")
    name = user.get_full_name() or user.username
    return (
        f"{name}：\n\n{reminder.text}。\n\n"
        f"请登录督导评估平台处理：{site}{reminder.url}\n\n（本邮件由系统自动发送，每条提醒只发送一次。）\n"
    )


def _send_once(user: Account, reminder: Reminder) -> bool:
    """Send one reminder unless its key was sent before; the key is kept only when sent."""
    with transaction.atomic():
        _, created = ReminderSent.objects.get_or_create(key=reminder.key)
        if not created:
            return False
        send_mail(
            subject=f"【重点工作提醒】{reminder.kind_label}：{reminder.text[:40]}",
            message=_mail_body(user, reminder),
            from_email=None,
            recipient_list=[user.email],
        )
    return True


def send_reminders(users: Iterable[Account], *, today: date) -> int:
    """E-mail every user's reminders not sent before; returns how many mails were sent."""
    sent = 0
    for user in users:
        if not user.email:
            continue
        sent += sum(_send_once(user, r) for r in reminders_for(user, today=today))
    return sent
