"""Traffic lights of tasks, with the day passed in: defaults, the latest lead report, plan rules."""

from __future__ import annotations

from datetime import date

from conftest import Cast
from test_workplan_models import YEAR, make_plan, make_report, make_round

from dudao.engine.workplan import Light
from dudao.workplan.choices import ReportRole, ReportStatus
from dudao.workplan.lights import (
    latest_lead_reports,
    rules_for,
    task_deadline,
    task_signals,
    task_start,
)


def test_a_task_without_dates_runs_over_the_plans_year(cast: Cast) -> None:
    task = make_plan(cast).task
    assert task_start(task) == date(YEAR, 1, 1)
    assert task_deadline(task) == date(YEAR, 12, 31)


def test_rules_come_from_the_plan(cast: Cast) -> None:
    plan = make_plan(cast).plan
    plan.warning_days, plan.behind_margin = 7, 10
    rules = rules_for(plan)
    assert (rules.warning_days, rules.behind_margin) == (7, 10)


def test_the_latest_lead_report_is_the_one_of_the_highest_round(cast: Cast) -> None:
    data = make_plan(cast)
    first, second = make_round(data.plan, 1), make_round(data.plan, 2)
    make_report(second, data.task, cast, percent=60)
    make_report(first, data.task, cast, percent=30)
    make_report(second, data.task, cast, role=ReportRole.CO, percent=90)
    latest = latest_lead_reports([data.task, data.other_task])
    assert latest[data.task.pk].percent == 60
    assert data.other_task.pk not in latest


def test_latest_lead_reports_is_two_queries(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    data = make_plan(cast)
    make_report(make_round(data.plan), data.task, cast)
    with django_assert_num_queries(2):  # the reports, the lead departments
        latest_lead_reports([data.task, data.other_task])


def test_warning_days_boundary_turns_yellow_on_the_day(cast: Cast) -> None:
    data = make_plan(cast, deadline=date(YEAR, 6, 30))
    make_report(make_round(data.plan), data.task, cast, percent=90)
    task = data.task
    assert task_signals([task], today=date(YEAR, 6, 14))[task.pk].light == Light.GREEN
    assert task_signals([task], today=date(YEAR, 6, 15))[task.pk].light == Light.YELLOW
    assert task_signals([task], today=date(YEAR, 6, 30))[task.pk].reason == "今天截止"
    overdue = task_signals([task], today=date(YEAR, 7, 1))[task.pk]
    assert (overdue.light, overdue.reason) == (Light.RED, "已逾期 1 天")


def test_the_plans_warning_days_are_used(cast: Cast) -> None:
    data = make_plan(cast, deadline=date(YEAR, 6, 30))
    data.plan.warning_days = 5
    data.plan.save()
    make_report(make_round(data.plan), data.task, cast, percent=90)
    task = data.task
    task.refresh_from_db()
    assert task_signals([task], today=date(YEAR, 6, 24))[task.pk].light == Light.GREEN
    assert task_signals([task], today=date(YEAR, 6, 25))[task.pk].light == Light.YELLOW


def test_a_done_report_is_green_even_after_the_deadline(cast: Cast) -> None:
    data = make_plan(cast, deadline=date(YEAR, 3, 31))
    make_report(make_round(data.plan), data.task, cast, status=ReportStatus.DONE, percent=100)
    assert task_signals([data.task], today=date(YEAR, 5, 1))[data.task.pk].light == Light.GREEN


def test_a_lagging_report_is_red(cast: Cast) -> None:
    data = make_plan(cast)
    make_report(make_round(data.plan), data.task, cast, status=ReportStatus.LAGGING)
    signal = task_signals([data.task], today=date(YEAR, 2, 1))[data.task.pk]
    assert (signal.light, signal.reason) == (Light.RED, "自报滞后")


def test_a_task_without_reports_falls_behind_the_linear_plan(cast: Cast) -> None:
    data = make_plan(cast)
    task = data.other_task  # no report: percent counts as 0; margin 20
    assert task_signals([task], today=date(YEAR, 3, 14))[task.pk].light == Light.GREEN
    behind = task_signals([task], today=date(YEAR, 3, 20))[task.pk]
    assert behind.light == Light.YELLOW
    assert behind.reason.startswith("进度 0%")
