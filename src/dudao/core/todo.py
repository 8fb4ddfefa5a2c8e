"""The home page's to-do card: what waits for the user in key tasks, inspections and
rectification, each line with a count and a link (a fixed handful of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from dudao.inspection.selectors import my_targets
from dudao.orgs.models import Region
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
    managed = list(rectification.managed_counties(user))
    answer = rectification.to_respond(user).exclude(county__in=managed)  # counted just below
    count = answer.count()
    if count:
        late = answer.filter(deadline__lt=today).count()
        text = f"整改：{count} 项待反馈" + (f"（其中已逾期 {late} 项）" if late else "")
        todos.append(Todo(text, reverse("rectification:items") + "?status=open", late > 0))
    if managed:  # the county office: every open item of its county, not only its own
        todos.extend(_county_open(managed, today))
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


def _county_open(counties: list[Region], today: date) -> list[Todo]:
    """The office's line: the open items of its county (of all its counties, for several)."""
    found = rectification.county_open(counties)
    count = found.count()
    if not count:
        return []
    late = found.filter(deadline__lt=today).count()
    where = "全县" if len(counties) == 1 else f"所管 {len(counties)} 个区县"
    text = f"整改：{where} {count} 项待整改" + (f"（其中已逾期 {late} 项）" if late else "")
    query = f"?county={counties[0].pk}&status=open" if len(counties) == 1 else "?status=open"
    return [Todo(text, reverse("rectification:items") + query, late > 0)]
