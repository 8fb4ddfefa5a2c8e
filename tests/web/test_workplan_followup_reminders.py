"""Reminders: the in-app list and the e-mail command (sent once per user and reminder)."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from conftest import Cast, client_for
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from test_workplan_followup_data import YEAR, FollowUp, add_report, add_round, aware, follow_up

from dudao.workplan.choices import ReportStatus
from dudao.workplan.models import Leader, ReminderSent, Round
from dudao.workplan.reminders import reminders_for

TODAY = date(YEAR, 4, 25)


def with_open_round(cast: Cast, due_on: date = date(YEAR, 4, 30)) -> tuple[FollowUp, Round]:
    """The follow-up plan, task 1 co-handled by 人事股, and an open second round."""
    data = follow_up(cast)
    data.task1.co_departments.add(cast.other_department)
    return data, add_round(data.plan, 2, due_on, opened_on=date(YEAR, 3, 1))


def texts(user: Any, today: date = TODAY) -> list[str]:
    return [r.text for r in reminders_for(user, today=today)]


# ---------------------------------------------------------------- rounds


def test_a_department_is_reminded_of_a_round_closing_without_its_report(cast: Cast) -> None:
    with_open_round(cast)
    assert texts(cast.department_head) == [
        "2026年第2次调度报送截止4月30日（还有5天），教育股尚有1项任务未报送"
    ]


def test_co_handled_tasks_count_too(cast: Cast) -> None:
    with_open_round(cast)
    assert texts(cast.other_department_head) == [
        "2026年第2次调度报送截止4月30日（还有5天），人事股尚有2项任务未报送"
    ]


def test_no_round_reminder_once_the_department_has_reported(cast: Cast) -> None:
    data, round2 = with_open_round(cast)
    add_report(round2, data.task1, cast.department, cast, at=aware(YEAR, 4, 20))
    assert texts(cast.department_head) == []


def test_a_round_is_reminded_from_seven_days_before_its_due_date(cast: Cast) -> None:
    with_open_round(cast)
    assert texts(cast.department_head, date(YEAR, 4, 22)) == []
    assert len(texts(cast.department_head, date(YEAR, 4, 23))) == 1
    late = texts(cast.department_head, date(YEAR, 5, 2))
    assert late == ["2026年第2次调度报送截止4月30日（已超过2天），教育股尚有1项任务未报送"]


def test_a_closed_round_is_never_reminded(cast: Cast) -> None:
    _, round2 = with_open_round(cast)
    Round.objects.filter(pk=round2.pk).update(status="closed")
    assert texts(cast.department_head) == []


# ---------------------------------------------------------------- deadlines


def test_the_office_is_reminded_of_an_open_round_with_reports_missing(cast: Cast) -> None:
    data, round2 = with_open_round(cast)
    # round 2 expects 教育股 and 人事股 on task 1, 人事股 on task 2, 计划财务股 on task 3
    add_report(round2, data.task1, cast.department, cast)
    reminders = reminders_for(cast.supervisor, today=TODAY)
    office = [
        r for r in reminders if r.key == f"round:{round2.pk}:office:user:{cast.supervisor.pk}"
    ]
    assert [(r.text, r.url, r.kind_label) for r in office] == [
        (
            f"{YEAR}年第2次调度尚有3份未报送（截止4月30日，还有5天）",
            reverse("workplan:round", args=[round2.pk]),
            "调度报送",
        )
    ]
    assert f"{YEAR}年第2次调度尚有3份未报送（截止4月30日，已超过2天）" in texts(
        cast.supervisor, date(YEAR, 5, 2)
    )


def test_the_office_is_not_reminded_of_a_complete_far_or_foreign_round(cast: Cast) -> None:
    data, round2 = with_open_round(cast)
    assert not any("次调度尚有" in t for t in texts(cast.supervisor, date(YEAR, 4, 22)))
    assert not any("次调度尚有" in t for t in texts(cast.other_supervisor))
    assert not any("次调度尚有" in t for t in texts(cast.leader))
    for task, department in (
        (data.task1, cast.department),
        (data.task1, cast.other_department),
        (data.task2, cast.other_department),
        (data.task3, data.finance),
    ):
        add_report(round2, task, department, cast)
    assert not any("次调度尚有" in t for t in texts(cast.supervisor))


def test_the_office_gets_the_round_reminder_by_mail_once(cast: Cast, settings: Any) -> None:
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with_open_round(cast)
    cast.supervisor.email = "ddsh@example.org"
    cast.supervisor.save()
    run("--today", "2026-04-25")
    bodies = [m.body for m in mail.outbox if m.to == ["ddsh@example.org"]]
    assert sum(f"{YEAR}年第2次调度尚有4份未报送" in b for b in bodies) == 1
    run("--today", "2026-04-26")
    bodies = [m.body for m in mail.outbox if m.to == ["ddsh@example.org"]]
    assert sum("次调度尚有" in b for b in bodies) == 1


def test_tasks_near_their_deadline_remind_their_department_and_the_office(cast: Cast) -> None:
    data = follow_up(cast)
    data.task1.deadline = date(YEAR, 5, 5)
    data.task1.save()
    expected = "抓常规第1项“规范办学行为”完成时限5月5日（还有10天），尚未完成"
    assert texts(cast.department_head) == [expected]
    assert expected in texts(cast.supervisor)
    assert texts(cast.other_department_head) == []


def test_the_plans_warning_days_decide_what_is_near(cast: Cast) -> None:
    data = follow_up(cast)
    data.task1.deadline = date(YEAR, 5, 5)
    data.task1.save()
    data.plan.warning_days = 9
    data.plan.save()
    assert texts(cast.department_head) == []


def test_a_done_task_is_not_reminded(cast: Cast) -> None:
    data = follow_up(cast)
    data.task1.deadline = date(YEAR, 5, 5)
    data.task1.save()
    second = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    add_report(second, data.task1, cast.department, cast, status=ReportStatus.DONE)
    assert texts(cast.department_head) == []


def test_overdue_tasks_are_reminded_to_the_office(cast: Cast) -> None:
    data = follow_up(cast)
    data.task3.deadline = date(YEAR, 4, 1)
    data.task3.save()
    assert texts(cast.supervisor) == ["抓常规第3项“校舍维修改造”已逾期24天，尚未完成"]


def test_a_leader_is_reminded_of_the_tasks_linked_to_them(cast: Cast) -> None:
    data = follow_up(cast)
    data.task2.deadline = date(YEAR, 4, 30)
    data.task2.save()
    data.task2.leaders.add(
        Leader.objects.create(county=cast.county, name="赵局长", user=cast.leader)
    )
    assert texts(cast.leader) == ["抓常规第2项“教师交流轮岗”完成时限4月30日（还有5天），尚未完成"]


@pytest.mark.parametrize("who", ["other_supervisor", "clerk_a", "inspector", "nobody"])
def test_people_outside_the_county_get_no_reminders(cast: Cast, who: str) -> None:
    data, _ = with_open_round(cast)
    data.task3.deadline = date(YEAR, 4, 1)
    data.task3.save()
    assert texts(getattr(cast, who)) == []


# ---------------------------------------------------------------- the page


def test_the_reminders_page_lists_the_users_reminders(cast: Cast) -> None:
    _, round2 = with_open_round(cast)
    response = client_for(cast.department_head).get(reverse("workplan:reminders"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "教育股尚有1项任务未报送" in body
    assert reverse("workplan:round", args=[round2.pk]) in body


def test_a_school_clerk_sees_an_empty_reminders_page(cast: Cast) -> None:
    with_open_round(cast)
    response = client_for(cast.clerk_a).get(reverse("workplan:reminders"))
    assert response.status_code == 200
    assert "您没有可查看的重点工作计划，因此没有提醒" in response.content.decode()


def test_anonymous_users_are_sent_to_log_in_for_reminders(cast: Cast) -> None:
    url = reverse("workplan:reminders")
    response = Client().get(url)
    assert (response.status_code, response["Location"]) == (302, f"/login/?next={url}")


def test_the_reminders_page_reads_a_bounded_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    data, _ = with_open_round(cast)
    for n in range(4, 24):
        task = data.plan.tasks.create(
            category=data.category, number=str(n), order=n, text="任务", deadline=date(YEAR, 5, 1)
        )
        task.lead_departments.add(cast.department)
    client = client_for(cast.supervisor)
    # +1: the tasks completed in an earlier round (one query per open round)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("workplan:reminders"))
    assert response.content.decode().count("尚未完成") == 20


# ---------------------------------------------------------------- e-mail


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_workplan_reminders", *args, stdout=out)
    return out.getvalue()


def test_without_an_email_host_nothing_is_sent(cast: Cast, settings: Any) -> None:
    settings.EMAIL_HOST = ""
    with_open_round(cast)
    cast.department_head.email = "jyg@example.org"
    cast.department_head.save()
    assert "未配置邮件服务器（EMAIL_HOST），未发送。" in run("--today", "2026-04-25")
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_reminders_are_mailed_once_per_user_and_key(cast: Cast, settings: Any) -> None:
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with_open_round(cast)
    for user, address in (
        (cast.department_head, "jyg@example.org"),
        (cast.other_department_head, "rsg@example.org"),
    ):
        user.email = address
        user.save()
    assert "已发送提醒邮件 2 封" in run("--today", "2026-04-25")
    assert sorted(m.to[0] for m in mail.outbox) == ["jyg@example.org", "rsg@example.org"]
    mine = next(m for m in mail.outbox if m.to == ["jyg@example.org"])
    assert "教育股尚有1项任务未报送" in mine.body
    assert mine.subject.startswith("【重点工作提醒】调度报送")
    assert ReminderSent.objects.count() == 2
    assert "已发送提醒邮件 0 封" in run("--today", "2026-04-26")
    assert len(mail.outbox) == 2


def test_users_without_an_address_get_no_mail(cast: Cast, settings: Any) -> None:
    settings.EMAIL_HOST = "127.0.0.1"
    with_open_round(cast)
    assert "已发送提醒邮件 0 封" in run("--today", "2026-04-25")
    assert mail.outbox == []


def test_a_bad_date_is_refused(cast: Cast, settings: Any) -> None:
    settings.EMAIL_HOST = "127.0.0.1"
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--today", "25/04/2026")
