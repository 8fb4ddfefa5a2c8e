"""Second audit of key-task rounds: the worst lead report decides a task with several lead
departments, round dates against today, the lists' default year, the office's round reminder,
the round-open form keeping its input, and the close dialog naming what is missing."""

from __future__ import annotations

from datetime import date

from conftest import Cast
from test_workplan_models import YEAR, PlanData, aware, make_plan, make_round

from dudao.engine.workplan import Light
from dudao.orgs.models import Department
from dudao.workplan.choices import ReportRole, ReportStatus
from dudao.workplan.lights import latest_lead_reports, task_signals
from dudao.workplan.models import Report, Round
from dudao.workplan.notices import notice_facts

TODAY = date(YEAR, 3, 10)


def two_leads(cast: Cast) -> tuple[PlanData, Round]:
    """The task led by 教育股 and 人事股, an open round."""
    data = make_plan(cast)
    data.task.lead_departments.add(cast.other_department)
    data.task.co_departments.clear()
    return data, make_round(data.plan, due_on=date(YEAR, 3, 31))


def lead_report(
    round_: Round, data: PlanData, department: Department, *, status: str, percent: int, day: int
) -> Report:
    return Report.objects.create(
        round=round_,
        task=data.task,
        department=department,
        role=ReportRole.LEAD,
        status=status,
        percent=percent,
        submitted_at=aware(YEAR, 3, day),
        submitted_by=data.leader.user,
    )


# ---------------------------------------------------------------- 1. worst lead report


def test_a_blocked_lead_department_makes_the_task_red_whatever_the_other_reported(
    cast: Cast,
) -> None:
    data, round_ = two_leads(cast)
    blocked = lead_report(
        round_, data, cast.other_department, status=ReportStatus.BLOCKED, percent=10, day=1
    )
    lead_report(
        round_, data, cast.department, status=ReportStatus.DONE, percent=100, day=2
    )  # updated last
    assert latest_lead_reports([data.task])[data.task.pk] == blocked
    signal = task_signals([data.task], today=TODAY)[data.task.pk]
    assert (signal.light, signal.reason) == (Light.RED, "自报受阻")
    facts = notice_facts(round_, today=TODAY)
    assert dict(facts.status_counts).get("已完成", 0) == 0
    assert dict(facts.status_counts)["受阻"] == 1
    lagging = {(name, t.pk, t.status) for name, rows in facts.lagging for t in rows}
    assert lagging == {(name, data.task.pk, "受阻") for name in ("人事股", "教育股")}


def test_among_reports_of_the_same_light_the_lowest_percentage_decides(cast: Cast) -> None:
    data, round_ = two_leads(cast)
    low = lead_report(
        round_, data, cast.department, status=ReportStatus.IN_PROGRESS, percent=40, day=1
    )
    lead_report(
        round_, data, cast.other_department, status=ReportStatus.IN_PROGRESS, percent=90, day=2
    )
    assert latest_lead_reports([data.task])[data.task.pk] == low


def test_a_task_is_not_done_until_every_lead_department_reported_done(cast: Cast) -> None:
    data, round_ = two_leads(cast)
    lead_report(round_, data, cast.department, status=ReportStatus.DONE, percent=100, day=1)
    assert data.task.pk not in latest_lead_reports([data.task])
    assert task_signals([data.task], today=TODAY)[data.task.pk].reason != "已完成"
    facts = notice_facts(round_, today=TODAY)
    assert dict(facts.status_counts).get("已完成", 0) == 0
    lead_report(round_, data, cast.other_department, status=ReportStatus.DONE, percent=100, day=2)
    assert latest_lead_reports([data.task])[data.task.pk].status == ReportStatus.DONE
    assert dict(notice_facts(round_, today=TODAY).status_counts)["已完成"] == 1


def test_only_the_newest_round_with_lead_reports_counts(cast: Cast) -> None:
    data, first = two_leads(cast)
    lead_report(first, data, cast.other_department, status=ReportStatus.BLOCKED, percent=10, day=1)
    second = make_round(data.plan, 2, due_on=date(YEAR, 4, 30))
    lead_report(second, data, cast.department, status=ReportStatus.IN_PROGRESS, percent=50, day=3)
    lead_report(
        second, data, cast.other_department, status=ReportStatus.IN_PROGRESS, percent=60, day=4
    )
    assert latest_lead_reports([data.task])[data.task.pk].percent == 50
