"""Second audit of key-task rounds: the worst lead report decides a task with several lead
departments, round dates against today, the lists' default year, the office's round reminder,
the round-open form keeping its input, and the close dialog naming what is missing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import Cast, client_for
from django.urls import reverse
from django.utils import timezone
from test_workplan_models import YEAR, PlanData, aware, make_plan, make_round

from dudao.engine.workplan import Light
from dudao.orgs.models import Department
from dudao.workplan import services
from dudao.workplan.choices import ReportRole, ReportStatus, RoundStatus
from dudao.workplan.errors import ServiceError
from dudao.workplan.lights import latest_lead_reports, task_signals
from dudao.workplan.models import Category, Report, Round, Task, WorkPlan
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


# ---------------------------------------------------------------- 2. round dates against today


def test_a_round_already_past_its_due_date_is_refused_on_the_due_date(cast: Cast) -> None:
    data = make_plan(cast)
    with pytest.raises(ServiceError) as refused:
        services.round_open(
            cast.supervisor,
            data.plan,
            opened_on=date(YEAR, 11, 26),
            due_on=date(YEAR, 12, 1),
            today=date(YEAR, 12, 5),
        )
    assert refused.value.errors == {
        "due_on": f"报送截止日期已过（{YEAR}-12-01，今天是{YEAR}-12-05），请选择今天或以后的日期"
    }
    assert not Round.objects.exists()


def test_a_round_starting_after_today_opens_and_waits_for_its_start(cast: Cast) -> None:
    data = make_plan(cast)
    opened = services.round_open(
        cast.supervisor,
        data.plan,
        opened_on=date(YEAR, 1, 5),
        due_on=date(YEAR, 2, 28),
        today=date(YEAR, 1, 4),
    )
    assert opened.not_started(date(YEAR, 1, 4))
    assert not opened.not_started(date(YEAR, 1, 5))


def test_a_round_starting_today_and_due_today_opens(cast: Cast) -> None:
    data = make_plan(cast)
    day = date(YEAR, 3, 1)
    opened = services.round_open(cast.supervisor, data.plan, opened_on=day, due_on=day, today=day)
    assert (opened.opened_on, opened.due_on) == (day, day)


def test_the_page_refuses_a_past_due_date_on_its_field(cast: Cast) -> None:
    data = make_plan(cast)
    today = timezone.localdate()
    past = today - timedelta(days=1)
    response = client_for(cast.supervisor).post(
        reverse("workplan:round_open", args=[data.plan.pk]),
        {"opened_on": (past - timedelta(days=5)).isoformat(), "due_on": past.isoformat()},
    )
    assert response.status_code == 200
    form = response.context["round_form"]
    assert form.errors["due_on"][0].startswith(f"报送截止日期已过（{past:%Y-%m-%d}")
    assert not Round.objects.exists()


# ---------------------------------------------------------------- 10. the open form keeps its input


def test_a_refused_round_form_is_shown_again_with_what_was_typed(cast: Cast) -> None:
    data = make_plan(cast)
    today = timezone.localdate()
    early_start = date(YEAR - 1, 12, 1)
    response = client_for(cast.supervisor).post(
        reverse("workplan:round_open", args=[data.plan.pk]),
        {
            "title": "第1次调度（秋季）",
            "opened_on": early_start.isoformat(),
            "due_on": (today + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="第1次调度（秋季）"' in page
    assert f'value="{early_start:%Y-%m-%d}"' in page
    assert page.count(f"开始日期不能早于计划年度的第一天（{YEAR}-01-01）") == 1  # on its field
    assert not [str(m) for m in response.context["messages"]]


def test_an_invalid_round_form_is_shown_again_with_its_field_error(cast: Cast) -> None:
    data = make_plan(cast)
    response = client_for(cast.supervisor).post(
        reverse("workplan:round_open", args=[data.plan.pk]),
        {"title": "第1次调度（秋季）", "opened_on": "", "due_on": "2026-02-31"},
    )
    assert response.status_code == 200
    form = response.context["round_form"]
    assert set(form.errors) == {"opened_on", "due_on"}
    assert 'value="第1次调度（秋季）"' in response.content.decode()


# ---------------------------------------------------------------- 12. the close dialog, with facts


def round_page(cast: Cast, round_: Round) -> str:
    response = client_for(cast.supervisor).get(reverse("workplan:round", args=[round_.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_closing_early_with_reports_missing_names_both_in_the_dialog(cast: Cast) -> None:
    data = make_plan(cast)
    due = timezone.localdate() + timedelta(days=5)
    round_ = make_round(data.plan, due_on=due)
    page = round_page(cast, round_)
    # 教育股 and 人事股 for task 1 (lead and co), 人事股 for task 2
    assert (
        f'data-confirm="截止日期为{due.month}月{due.day}日，尚未到期；尚有3份未报送。'
        "结束后各股室不能再报送，信号灯将存档。确定结束本次调度？" in page
    )


def test_closing_after_the_due_date_names_only_the_missing_reports(cast: Cast) -> None:
    data = make_plan(cast)
    round_ = make_round(data.plan, due_on=timezone.localdate() - timedelta(days=1))
    page = round_page(cast, round_)
    assert 'data-confirm="尚有3份未报送。结束后各股室不能再报送' in page
    assert "尚未到期" not in page


def test_closing_a_complete_round_on_its_due_date_just_asks(cast: Cast) -> None:
    data = make_plan(cast)
    data.task.co_departments.clear()
    round_ = make_round(data.plan, due_on=timezone.localdate())
    for task, department in (
        (data.task, cast.department),
        (data.other_task, cast.other_department),
    ):
        Report.objects.create(
            round=round_,
            task=task,
            department=department,
            role=ReportRole.LEAD,
            status=ReportStatus.IN_PROGRESS,
            percent=50,
            submitted_at=aware(YEAR, 3, 1),
            submitted_by=cast.department_head,
        )
    page = round_page(cast, round_)
    assert 'data-confirm="结束后各股室不能再报送，信号灯将存档。确定结束本次调度？"' in page


# ---------------------------------------------------------------- 3. lists open on the round year


def next_years_plan(cast: Cast, data: PlanData) -> Task:
    """A 2027 plan (no round yet) with a task of 教育股 linked to 赵局长."""
    plan = WorkPlan.objects.create(county=cast.county, year=YEAR + 1, title="2027年重点工作")
    category = Category.objects.create(plan=plan, name="抓常规", order=1)
    task = Task.objects.create(plan=plan, category=category, number="1", text="明年的任务")
    task.lead_departments.add(cast.department)
    task.leaders.add(data.leader)
    return task


@pytest.mark.parametrize(
    ("url", "name"), [("workplan:mine", "department_head"), ("workplan:leading", "leader")]
)
def test_the_lists_open_on_the_year_with_an_open_round(cast: Cast, url: str, name: str) -> None:
    data = make_plan(cast)
    next_years_plan(cast, data)
    make_round(data.plan, due_on=timezone.localdate())
    client = client_for(getattr(cast, name))
    response = client.get(reverse(url))
    assert response.context["year"] == YEAR
    assert response.context["years"] == [YEAR + 1, YEAR]
    assert "规范办学行为" in response.content.decode()
    chosen = client.get(reverse(url), {"year": str(YEAR + 1)})
    assert chosen.context["year"] == YEAR + 1
    assert "明年的任务" in chosen.content.decode()


@pytest.mark.parametrize(
    ("url", "name"), [("workplan:mine", "department_head"), ("workplan:leading", "leader")]
)
def test_without_an_open_round_the_lists_open_on_the_newest_year(
    cast: Cast, url: str, name: str
) -> None:
    data = make_plan(cast)
    next_years_plan(cast, data)
    Round.objects.filter(pk=make_round(data.plan).pk).update(status=RoundStatus.CLOSED)
    assert client_for(getattr(cast, name)).get(reverse(url)).context["year"] == YEAR + 1


def test_an_open_round_of_another_departments_plan_does_not_choose_the_year(cast: Cast) -> None:
    data = make_plan(cast)
    next_years_plan(cast, data)
    data.task.lead_departments.clear()
    data.task.co_departments.clear()
    make_round(data.plan)
    response = client_for(cast.department_head).get(reverse("workplan:mine"))
    assert response.context["year"] == YEAR + 1
