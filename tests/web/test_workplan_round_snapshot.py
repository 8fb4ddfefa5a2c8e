"""A closed round keeps the departments it expected (RoundExpectation); an open round's notice
shows the plan page's lights; the notice's summary and status table agree on 未报送."""

from __future__ import annotations

from datetime import date

from conftest import Cast, client_for
from django.urls import reverse
from django.utils import timezone
from test_workplan_demo import TODAY as DEMO_TODAY
from test_workplan_demo import seed
from test_workplan_followup_data import (
    YEAR,
    FollowUp,
    add_report,
    add_round,
    add_task,
    aware,
    follow_up,
)

from dudao.workplan import services
from dudao.workplan.choices import ReportRole, ReportStatus, RoundStatus
from dudao.workplan.models import Round, RoundExpectation, Task, WorkPlan
from dudao.workplan.notices import notice_facts
from dudao.workplan.performance import plan_facts
from dudao.workplan.presenters import round_rows

AFTER = date(YEAR, 3, 10)


def _closed_second_round(cast: Cast) -> tuple[FollowUp, Round]:
    """Round 2 (due 30 April): 教育股 reports task 1 on time, 人事股 task 2 late, 计划财务股 misses
    task 3; then the office closes it through the service."""
    data = follow_up(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    add_report(round2, data.task1, cast.department, cast, at=aware(YEAR, 4, 1))
    add_report(round2, data.task2, cast.other_department, cast, at=aware(YEAR, 5, 2))
    closed = services.round_close(
        cast.supervisor, round2, version=round2.version, now=aware(YEAR, 5, 3)
    )
    return data, closed


def _facts_summary(round_: Round, today: date) -> tuple[object, ...]:
    facts = notice_facts(round_, today=today)
    return (
        facts.reports_due,
        facts.reports_on_time,
        facts.reports_late,
        facts.reports_missing,
        facts.on_time_rate,
        dict(facts.status_counts)["未报送"],
        facts.summary,
        [(v.department, v.reasons) for v in facts.criticised],
        [v.department for v in facts.praised],
        [(name, [t.departments for t in tasks]) for name, tasks in facts.lagging],
    )


def test_closing_a_round_keeps_its_lead_and_co_departments(cast: Cast) -> None:
    data = follow_up(cast)
    data.task1.co_departments.add(data.finance)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    services.round_close(cast.supervisor, round2, version=round2.version, now=aware(YEAR, 5, 3))
    kept = set(
        RoundExpectation.objects.filter(round=round2).values_list(
            "task__number", "department__name", "role"
        )
    )
    assert kept == {
        ("1", "教育股", ReportRole.LEAD),
        ("1", "计划财务股", ReportRole.CO),
        ("2", "人事股", ReportRole.LEAD),
        ("3", "计划财务股", ReportRole.LEAD),
    }


def test_a_closed_round_notice_does_not_change_when_a_task_gets_another_lead(
    cast: Cast,
) -> None:
    data, round2 = _closed_second_round(cast)
    later = date(YEAR, 6, 1)
    before = _facts_summary(round2, later)
    # The office adds 教育股 as a second lead department of task 2 after the round closed.
    data.task2.lead_departments.add(cast.department)
    after = _facts_summary(round2, later)
    assert after == before
    facts = notice_facts(round2, today=later)
    assert (facts.reports_due, facts.reports_missing) == (3, 1)
    assert "未报送1份" in facts.summary[2]
    assert dict(facts.status_counts)["未报送"] == 1


def test_a_task_added_after_closing_is_not_in_the_closed_round_notice(cast: Cast) -> None:
    data, round2 = _closed_second_round(cast)
    later = date(YEAR, 6, 1)
    before = _facts_summary(round2, later)
    total = notice_facts(round2, today=later).tasks_total
    add_task(data.plan, data.category, "9", "新增任务", cast.department)
    assert _facts_summary(round2, later) == before
    assert notice_facts(round2, today=later).tasks_total == total == 3
    numbers = [r.task.number for r in round_rows(round2, set(), today=later)]
    assert numbers == ["1", "2", "3"]


def test_an_open_round_expects_the_current_lead_departments(cast: Cast) -> None:
    data = follow_up(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    assert notice_facts(round2, today=date(YEAR, 4, 10)).reports_due == 3
    data.task2.lead_departments.add(cast.department)
    assert notice_facts(round2, today=date(YEAR, 4, 10)).reports_due == 4


def test_a_round_closed_without_a_snapshot_reads_the_current_departments(cast: Cast) -> None:
    data = follow_up(cast)  # round 1 was closed before snapshots existed: no rows
    assert not RoundExpectation.objects.filter(round=data.round1).exists()
    assert notice_facts(data.round1, today=AFTER).reports_due == 3
    data.task2.lead_departments.add(cast.department)
    assert notice_facts(data.round1, today=AFTER).reports_due == 4


def test_the_round_page_of_a_closed_round_keeps_its_expected_reports(cast: Cast) -> None:
    data, round2 = _closed_second_round(cast)
    data.task2.lead_departments.add(cast.department)
    data.task3.co_departments.add(cast.other_department)
    rows = {r.task.number: r for r in round_rows(round2, set(), today=date(YEAR, 6, 1))}
    assert [(e.department_name, e.role) for e in rows["2"].expected] == [("人事股", "lead")]
    assert [(e.department_name, e.role) for e in rows["3"].expected] == [("计划财务股", "lead")]
    page = client_for(cast.supervisor).get(reverse("workplan:round", args=[round2.pk]))
    text = page.content.decode()
    assert "应报送 3 份（牵头报送 3 份、协办报送 0 份）" in text
    assert "未报送 1 份" in text


def test_scores_count_the_reports_a_closed_round_expected(cast: Cast) -> None:
    data, _ = _closed_second_round(cast)
    data.task2.lead_departments.add(cast.department)
    facts = {d.name: f for d, f in plan_facts(data.plan, today=date(YEAR, 6, 1))}
    # 教育股: task 1 in round 1 (no snapshot: current leads, so task 2 counts there) and task 1
    # in round 2 (snapshot: task 2 was not its task then).
    assert facts["教育股"].reports_due == 3
    assert facts["人事股"].reports_due == 2
    assert facts["计划财务股"].reports_due == 2


def test_the_summary_and_the_status_table_agree_on_missing_reports(cast: Cast) -> None:
    data = follow_up(cast)
    data.task1.lead_departments.add(cast.other_department)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    add_report(
        round2, data.task1, cast.department, cast, status=ReportStatus.BLOCKED, at=aware(YEAR, 4, 1)
    )
    add_report(round2, data.task2, cast.other_department, cast, at=aware(YEAR, 4, 1))
    add_report(round2, data.task3, data.finance, cast, at=aware(YEAR, 4, 1))
    facts = notice_facts(round2, today=date(YEAR, 4, 10))
    assert facts.reports_missing == 1  # 人事股 on task 1
    assert dict(facts.status_counts)["未报送"] == 1
    assert "未报送1份，" in facts.summary[2]
    assert "未报送1项" in facts.summary[0]


def test_the_summary_names_the_tasks_when_one_task_misses_two_reports(cast: Cast) -> None:
    data = follow_up(cast)
    data.task1.lead_departments.add(cast.other_department)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    add_report(round2, data.task2, cast.other_department, cast, at=aware(YEAR, 4, 1))
    add_report(round2, data.task3, data.finance, cast, at=aware(YEAR, 4, 1))
    facts = notice_facts(round2, today=date(YEAR, 4, 10))
    assert (facts.reports_missing, dict(facts.status_counts)["未报送"]) == (2, 1)
    assert "未报送2份（涉及任务1项）" in facts.summary[2]


def test_an_open_round_notice_shows_the_plan_page_lights(cast: Cast) -> None:
    """A task with a 受阻 report in the previous round and none in this one: the same light on
    the plan page and in the notice, which says 本次未报送 in its status column."""
    today = timezone.localdate()
    plan = WorkPlan.objects.create(county=cast.county, year=today.year, title="本年重点工作")
    category = plan.categories.create(name="重督导", order=1)
    task = Task.objects.create(plan=plan, category=category, number="1", text="督导评估")
    task.lead_departments.add(cast.department)
    first = Round.objects.create(
        plan=plan,
        number=1,
        title="第1次调度",
        opened_on=date(today.year, 1, 1),
        due_on=date(today.year, 1, 1),
        status=RoundStatus.CLOSED,
    )
    add_report(
        first, task, cast.department, cast, status=ReportStatus.BLOCKED, at=aware(today.year, 1, 1)
    )
    second = Round.objects.create(
        plan=plan, number=2, title="第2次调度", opened_on=date(today.year, 1, 1), due_on=today
    )
    client = client_for(cast.supervisor)
    plan_page = client.get(reverse("workplan:plan", args=[plan.pk]))
    assert plan_page.context["counts"] == {"green": 0, "yellow": 0, "red": 1}
    notice = client.get(reverse("workplan:notice", args=[second.pk]))
    facts = notice.context["facts"]
    assert [(light, n) for light, _, n in facts.light_counts] == [
        ("green", 0),
        ("yellow", 0),
        ("red", 1),
    ]
    [(_, [row])] = facts.lagging
    assert (row.light, row.reason, row.status) == ("red", "自报受阻", "本次未报送")


def test_the_demo_closed_round_has_its_snapshot(cast: Cast) -> None:
    seed(cast, DEMO_TODAY)
    closed = Round.objects.get(status=RoundStatus.CLOSED)
    leads = RoundExpectation.objects.filter(round=closed, role=ReportRole.LEAD)
    assert leads.count() == Task.lead_departments.through.objects.count()
    assert leads.count() == notice_facts(closed, today=DEMO_TODAY).reports_due
