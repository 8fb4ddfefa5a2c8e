"""Fourth-audit fixes of the key-task app: a task completed in an earlier round expects no
further report; department completion reads each department's own latest report; rounds may
start in the future; notice numbers compared normalised; import year checks; messages shown once;
a new round's default due date stays in the plan year."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Cast, client_for
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from test_workplan_followup_data import (
    YEAR,
    FollowUp,
    add_report,
    add_round,
    add_task,
    aware,
    follow_up,
)
from test_workplan_import_fields import confirm, preview, table, upload

from dudao.workplan import followup_services, services
from dudao.workplan.choices import ReportStatus
from dudao.workplan.errors import ServiceError
from dudao.workplan.models import Category, Round, RoundExpectation, Task, WorkPlan
from dudao.workplan.notices import notice_facts
from dudao.workplan.performance import plan_facts
from dudao.workplan.reminders import reminders_for


def _task1_done(cast: Cast) -> FollowUp:
    """Task 1 (教育股) reported 已完成 in the closed round 1; round 2 is open, due 30 April."""
    data = follow_up(cast)
    report = data.round1.reports.get(task=data.task1)
    report.status, report.percent = ReportStatus.DONE, 100
    report.save()
    return data


def test_a_task_completed_earlier_is_not_expected_in_a_later_round(cast: Cast) -> None:
    data = _task1_done(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    facts = notice_facts(round2, today=date(YEAR, 5, 5))
    assert (facts.reports_due, facts.reports_missing) == (2, 2)
    assert dict(facts.status_counts)["已完成"] == 1
    assert dict(facts.status_counts)["未报送"] == 2
    assert "教育股" not in [v.department for v in facts.criticised]
    page = client_for(cast.supervisor).get(reverse("workplan:round", args=[round2.pk]))
    text = page.content.decode()
    assert "应报送 2 份（牵头报送 2 份、协办报送 0 份）" in text
    assert "已在此前调度中完成，无需再报送" in text
    mine = client_for(cast.department_head).get(reverse("workplan:mine")).content.decode()
    assert "已完成，无需再报送" in mine
    assert (
        'class="button" href="{}"'.format(
            reverse("workplan:report", args=[round2.pk, data.task1.pk])
        )
        not in mine
    )
    today = date(YEAR, 4, 28)
    assert not [r for r in reminders_for(cast.department_head, today=today) if r.kind == "round"]
    office = [r.text for r in reminders_for(cast.supervisor, today=today)]
    assert any("尚有2份未报送" in text for text in office), office


def test_closing_a_later_round_keeps_no_expectation_for_a_completed_task(cast: Cast) -> None:
    data = _task1_done(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    # 教育股 may still report voluntarily; it is not counted.
    add_report(round2, data.task1, cast.department, cast, status=ReportStatus.DONE, percent=100)
    closed = services.round_close(
        cast.supervisor, round2, version=round2.version, now=aware(YEAR, 5, 3)
    )
    assert not RoundExpectation.objects.filter(round=closed, task=data.task1).exists()
    assert RoundExpectation.objects.filter(round=closed, task=data.task2).exists()
    assert notice_facts(closed, today=date(YEAR, 5, 5)).reports_due == 2
    facts = {d.name: f for d, f in plan_facts(data.plan, today=date(YEAR, 6, 1))}
    assert facts["教育股"].reports_due == 1
    assert facts["人事股"].reports_due == 2


def test_an_open_round_without_snapshot_skips_completed_tasks_in_scores(cast: Cast) -> None:
    data = _task1_done(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1), closed=True)
    facts = {d.name: f for d, f in plan_facts(data.plan, today=date(YEAR, 6, 1))}
    assert facts["教育股"].reports_due == 1
    assert round2.expectations.count() == 0


def test_each_lead_department_is_scored_on_its_own_latest_report(cast: Cast) -> None:
    data = follow_up(cast)
    data.task1.lead_departments.add(cast.other_department)
    add_report(data.round1, data.task1, cast.other_department, cast, percent=80)
    facts = {d.name: f for d, f in plan_facts(data.plan, today=date(YEAR, 6, 1))}
    assert facts["教育股"].task_percents == (30,)
    assert sorted(facts["人事股"].task_percents) == [10, 80]


def _edit_leads(cast: Cast, data: FollowUp, *leads: int) -> list[str]:
    url = reverse("workplan:task_edit", args=[data.task1.pk])
    response = client_for(cast.supervisor).post(
        url,
        {"text": "规范办学行为", "version": str(data.task1.version), "lead_departments": leads},
        follow=True,
    )
    return [str(m) for m in response.context["messages"]]


def test_adding_a_lead_department_during_an_open_round_warns(cast: Cast) -> None:
    data = follow_up(cast)
    add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    shown = _edit_leads(cast, data, cast.department.pk, cast.other_department.pk)
    assert shown == ["任务已修改", "本次调度中新增的牵头股室需补报进展：人事股"]


def test_adding_a_lead_department_without_an_open_round_does_not_warn(cast: Cast) -> None:
    data = follow_up(cast)
    shown = _edit_leads(cast, data, cast.department.pk, cast.other_department.pk)
    assert shown == ["任务已修改"]


def _next_year_plan(cast: Cast) -> tuple[WorkPlan, Task]:
    """Next year's plan, imported in advance: its first round starts in the future."""
    year = timezone.localdate().year + 1
    plan = WorkPlan.objects.create(county=cast.county, year=year, title=f"{year}年重点工作")
    category = Category.objects.create(plan=plan, name="抓常规", order=1)
    task = add_task(plan, category, "1", "规范办学行为", cast.department)
    return plan, task


def test_a_round_may_be_opened_with_a_future_start_and_waits_for_it(cast: Cast) -> None:
    plan, task = _next_year_plan(cast)
    start = date(plan.year, 1, 4)
    client = client_for(cast.supervisor)
    response = client.post(
        reverse("workplan:round_open", args=[plan.pk]),
        {"opened_on": start.isoformat(), "due_on": date(plan.year, 2, 28).isoformat()},
        follow=True,
    )
    opened = Round.objects.get(plan=plan)
    assert opened.opened_on == start
    note = "尚未开始（1月4日开始报送）"
    assert note in response.content.decode()  # the plan page lists it
    page = client.get(reverse("workplan:round", args=[opened.pk])).content.decode()
    assert note in page
    assert note in client.get(reverse("workplan:home")).content.decode()
    head = client_for(cast.department_head)
    mine = head.get(reverse("workplan:mine") + f"?year={plan.year}").content.decode()
    assert note in mine
    assert reverse("workplan:report", args=[opened.pk, task.pk]) not in mine
    task_page = head.get(reverse("workplan:task", args=[task.pk])).content.decode()
    assert note in task_page
    with pytest.raises(ServiceError) as refused:
        services.report_save(
            cast.department_head,
            opened,
            task,
            cast.department,
            status=ReportStatus.IN_PROGRESS,
            percent=10,
            now=timezone.now(),
        )
    assert refused.value.message == f"第1次调度{note}，不能报送"
    assert not opened.reports.exists()


def test_a_round_not_yet_started_sends_no_reminders(cast: Cast) -> None:
    plan, _ = _next_year_plan(cast)
    services.round_open(
        cast.supervisor,
        plan,
        opened_on=date(plan.year, 1, 10),
        due_on=date(plan.year, 1, 12),
        today=date(plan.year, 1, 6),
    )
    before = date(plan.year, 1, 8)
    assert not [r for r in reminders_for(cast.department_head, today=before) if r.kind == "round"]
    assert not [r for r in reminders_for(cast.supervisor, today=before) if r.kind == "round"]
    after = date(plan.year, 1, 10)
    assert [r for r in reminders_for(cast.department_head, today=after) if r.kind == "round"]


def test_a_round_start_after_the_plan_year_is_refused(cast: Cast) -> None:
    data = follow_up(cast)
    with pytest.raises(ServiceError) as refused:
        services.round_open(
            cast.supervisor,
            data.plan,
            opened_on=date(YEAR + 1, 1, 2),
            due_on=date(YEAR + 1, 2, 28),
            today=date(YEAR, 12, 1),
        )
    assert refused.value.errors == {
        "opened_on": f"开始日期不能晚于计划年度的最后一天（{YEAR}-12-31）"
    }


def test_notice_numbers_are_stored_and_compared_normalised(cast: Cast) -> None:
    data = follow_up(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    followup_services.notice_number_set(
        cast.supervisor, data.round1, number=" 青教督 [２０２６] 3号 ", version=data.round1.version
    )
    data.round1.refresh_from_db()
    assert data.round1.notice_number == "青教督〔2026〕3号"
    for typed in ("青教督〔2026〕3号", "青教督［2026］３号", "青教督\u3000[2026]3号"):
        with pytest.raises(followup_services.FollowupError) as refused:
            followup_services.notice_number_set(
                cast.supervisor, round2, number=typed, version=round2.version
            )
        assert refused.value.message == f"该文号已用于{YEAR}年第1次调度的通报"
    # a number stored before normalising is still found
    Round.objects.filter(pk=data.round1.pk).update(notice_number="青教督 [2026] 4号")
    with pytest.raises(followup_services.FollowupError):
        followup_services.notice_number_set(
            cast.supervisor, round2, number="青教督〔2026〕4号", version=round2.version
        )


def test_import_confirm_refuses_a_year_other_than_the_title_states(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, table("华容县教育体育局2027年重点工作任务分解表"))
    response = confirm(client, preview(client), year="2028", title="明年的计划")
    assert response.status_code == 200
    assert not list(get_messages(response.wsgi_request))
    said = response.context["form"].non_field_errors()
    assert said == ["表格标题为2027年，计划年度填的是2028年，请核对"]
    page = response.content.decode()
    assert page.count("表格标题为2027年，计划年度填的是2028年，请核对") == 1
    assert 'value="明年的计划"' in page
    assert not WorkPlan.objects.exists() and not Task.objects.exists()


def test_import_confirm_lists_the_deadlines_outside_the_plan_year(cast: Cast) -> None:
    rows = (
        "抓常规,1,任务一,赵局长,教育股,,6月底前,\n"
        ",2,任务二,赵局长,教育股,,2027年6月30日,\n"
        ",3,任务三,赵局长,教育股,,2029年1月10日,\n"
    )
    client = client_for(cast.supervisor)
    assert upload(client, cast, table("重点工作任务分解表", rows)).status_code == 302
    response = confirm(client, preview(client), year="2028")
    assert response.status_code == 200
    said = response.context["form"].non_field_errors()
    assert said == ["第4行完成时限2027-06-30不在2028年内；第5行完成时限2029-01-10不在2028年内"]
    assert not WorkPlan.objects.exists() and not Task.objects.exists()


def test_a_refused_round_open_says_its_error_once(cast: Cast) -> None:
    data = follow_up(cast)
    response = client_for(cast.supervisor).post(
        reverse("workplan:round_open", args=[data.plan.pk]),
        {"opened_on": f"{YEAR - 1}-12-01", "due_on": f"{YEAR}-12-30"},
    )
    assert response.status_code == 200
    assert response.content.decode().count("开始日期不能早于计划年度的第一天") == 1
    assert (
        "开始日期不能早于计划年度的第一天" in response.context["round_form"].errors["opened_on"][0]
    )


def test_a_refused_import_confirm_says_the_existing_plan_once(cast: Cast) -> None:
    WorkPlan.objects.create(county=cast.county, year=2027, title="已有")
    client = client_for(cast.supervisor)
    upload(client, cast, table())
    response = confirm(client, preview(client), year="2027")
    assert response.status_code == 200
    assert response.content.decode().count("已有重点工作计划") == 1
    assert not list(get_messages(response.wsgi_request))  # not also at the top of the page
    assert response.context["form"].non_field_errors() == ["青川县2027年已有重点工作计划"]


def test_a_default_due_date_stays_in_the_plan_year_and_says_so(cast: Cast) -> None:
    plan, _ = _next_year_plan(cast)  # round every 2 months
    assert services.default_due_on(plan, date(plan.year, 12, 1)) == date(plan.year, 12, 31)
    assert services.default_due_on(plan, date(plan.year, 3, 1)) == date(plan.year, 5, 1)
    response = client_for(cast.supervisor).post(
        reverse("workplan:round_open", args=[plan.pk]),
        {"opened_on": f"{plan.year}-12-01", "due_on": ""},
        follow=True,
    )
    assert Round.objects.get(plan=plan).due_on == date(plan.year, 12, 31)
    said = [str(m) for m in response.context["messages"]]
    note = f"（按调度周期推算超出{plan.year}年，已定为年度最后一天）"
    assert said == [f"已发起第1次调度，报送截止 {plan.year}-12-31{note}"]


def test_a_default_due_date_inside_the_plan_year_has_no_note(cast: Cast) -> None:
    plan, _ = _next_year_plan(cast)
    response = client_for(cast.supervisor).post(
        reverse("workplan:round_open", args=[plan.pk]),
        {"opened_on": f"{plan.year}-03-01", "due_on": ""},
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert said == [f"已发起第1次调度，报送截止 {plan.year}-05-01"]
