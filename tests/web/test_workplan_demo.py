"""The demo key-task plan and the sample table offered to newcomers."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Cast
from django.contrib.auth.models import User

from dudao.core.management.demo_workplan import CATEGORIES, sample_table_xlsx, seed_workplan
from dudao.engine.workplan import parse_task_table
from dudao.orgs.models import Department
from dudao.workplan.choices import RoundStatus
from dudao.workplan.lights import task_signals
from dudao.workplan.models import Task, TaskLight, WorkPlan
from dudao.workplan.views_import import SAMPLE

NAMES = ("办公室", "教育股", "人事股", "计划财务股", "安全股", "督导室")
TODAY = date(2026, 5, 20)


def seed(cast: Cast, today: date = TODAY) -> str:
    departments = {
        name: Department.objects.get_or_create(county=cast.county, name=name)[0] for name in NAMES
    }
    users = {
        "demo_supervisor": User.objects.create_user("demo_supervisor"),
        "demo_leader": User.objects.create_user("demo_leader"),
        "demo_department": User.objects.create_user("demo_department"),
    }
    return seed_workplan(cast.county, departments, users, today)


def test_the_demo_plan_shows_lights_of_every_colour(cast: Cast) -> None:
    summary = seed(cast)
    plan = WorkPlan.objects.get()
    assert "24 项任务" in summary
    assert list(plan.categories.values_list("name", flat=True)) == list(CATEGORIES)
    tasks = list(Task.objects.filter(plan=plan).select_related("plan"))
    lights = {str(s.light) for s in task_signals(tasks, today=TODAY).values()}
    assert lights == {"green", "yellow", "red"}
    closed, open_round = plan.rounds.order_by("number")
    assert (closed.status, open_round.status) == (RoundStatus.CLOSED, RoundStatus.OPEN)
    assert TaskLight.objects.filter(round=closed).count() == len(tasks)
    assert any(r.late for r in closed.reports.all())
    linked = plan.tasks.filter(leaders__user__username="demo_leader")
    assert linked.exists()


def test_the_sample_table_reads_without_problems(cast: Cast) -> None:
    plan = parse_task_table(sample_table_xlsx(), SAMPLE.name)
    assert not plan.problems
    assert plan.categories == ("抓常规", "强队伍", "优布局")
    assert "张华" in plan.people()  # typed "张 华" in the table


def test_the_sample_file_is_the_generated_table() -> None:
    stored = parse_task_table(SAMPLE.read_bytes(), SAMPLE.name)
    fresh = parse_task_table(sample_table_xlsx(), SAMPLE.name)
    assert stored == fresh


@pytest.mark.parametrize("today", [date(2026, 1, 5), date(2026, 12, 31)])
def test_the_demo_plan_loads_on_any_day_of_the_year(cast: Cast, today: date) -> None:
    assert "进行中" in seed(cast, today)
    assert WorkPlan.objects.get().year == today.year
