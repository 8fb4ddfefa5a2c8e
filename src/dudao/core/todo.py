"""The home page's to-do card: what waits for the user in key tasks, inspections and
rectification, each line with a count and a link (a fixed handful of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from dudao.inspection.selectors import my_targets
from dudao.orgs.selectors import User
from dudao.rectification import selectors as rectification
from dudao.workplan.reminders import reminders_for


@dataclass(frozen=True)
class Todo:
    text: str  # Chinese, with the count
    url: str
    urgent: bool  # something is overdue


def supervision_todos(user: User, *, today: date) -> list[Todo]:
    """The user's open work, most pressing first; empty when nothing waits."""
    todos: list[Todo] = []
    reminders = reminders_for(user, today=today)
    if reminders:
        overdue = sum(r.kind == "overdue" for r in reminders)
        text = f"重点工作：{len(reminders)} 条提醒" + (
            f"（其中逾期 {overdue} 项）" if overdue else ""
        )
        todos.append(Todo(text, reverse("workplan:reminders"), overdue > 0))
    answer = rectification.to_respond(user)
    count = answer.count()
    if count:
        late = answer.filter(deadline__lt=today).count()
        text = f"整改：{count} 项待反馈" + (f"（其中已逾期 {late} 项）" if late else "")
        todos.append(Todo(text, reverse("rectification:items") + "?status=open", late > 0))
    verify = rectification.to_verify(user).count()
    if verify:
        todos.append(
            Todo(
                f"整改：{verify} 项已反馈，待核验销号",
                reverse("rectification:items") + "?status=responded",
                False,
            )
        )
    visits = my_targets(user).filter(visit__isnull=True).count()
    if visits:
        todos.append(Todo(f"督查：{visits} 所学校待检查", reverse("inspection:home"), False))
    return sorted(todos, key=lambda t: not t.urgent)
