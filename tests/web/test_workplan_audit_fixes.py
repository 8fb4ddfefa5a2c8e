"""Defects found in an audit of the key-task pages: one plan year at a time in the lists, the
plan's own leader counts, account names, comments on the report page, the plan's name without a
repeated year, removing evidence files, round dates, and empty-state texts that say what is
empty."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from conftest import PASSWORD, Cast
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from test_workplan_import import client_for
from test_workplan_models import YEAR, PlanData, aware, make_plan, make_report, make_round

from dudao.orgs.choices import Role
from dudao.orgs.models import Department, Membership
from dudao.workplan import services
from dudao.workplan.choices import RoundStatus
from dudao.workplan.errors import ServiceError
from dudao.workplan.models import Category, Comment, ReportFile, Round, Task, TaskChange, WorkPlan


@pytest.fixture
def data(cast: Cast) -> PlanData:
    return make_plan(cast)


def page(user: Any, name: str, *args: Any, **params: str) -> Any:
    return client_for(user).get(reverse(f"workplan:{name}", args=args), params)


def last_years_task(data: PlanData, cast: Cast) -> Task:
    """A task of the county's previous-year plan, led by 教育股 and linked to the leader."""
    plan = WorkPlan.objects.create(county=cast.county, year=YEAR - 1, title="去年的重点工作")
    category = Category.objects.create(plan=plan, name="抓常规", order=1)
    task = Task.objects.create(plan=plan, category=category, number="1", text="去年的任务")
    task.lead_departments.add(cast.department)
    task.leaders.add(data.leader)
    return task


# ---------------------------------------------------------------- 1. one plan year at a time


@pytest.mark.parametrize(("name", "user"), [("mine", "department_head"), ("leading", "leader")])
def test_the_lists_show_the_newest_year_and_offer_the_others(
    cast: Cast, data: PlanData, name: str, user: str
) -> None:
    old = last_years_task(data, cast)
    response = page(getattr(cast, user), name)
    text = response.content.decode()
    assert "规范办学行为" in text
    assert "去年的任务" not in text
    assert response.context["years"] == [YEAR, YEAR - 1]
    assert f'href="?year={YEAR - 1}"' in text
    response = page(getattr(cast, user), name, year=str(YEAR - 1))
    text = response.content.decode()
    assert "去年的任务" in text
    assert "规范办学行为" not in text
    assert response.context["year"] == YEAR - 1
    assert old.plan.year == YEAR - 1


def test_an_unknown_year_falls_back_to_the_newest(cast: Cast, data: PlanData) -> None:
    last_years_task(data, cast)
    response = page(cast.department_head, "mine", year="1999")
    assert response.context["year"] == YEAR


def test_the_year_is_kept_by_the_filters_and_the_export(cast: Cast, data: PlanData) -> None:
    last_years_task(data, cast)
    text = page(cast.leader, "leading", year=str(YEAR - 1)).content.decode()
    assert f'<input type="hidden" name="year" value="{YEAR - 1}">' in text
    response = page(cast.leader, "leading", year=str(YEAR - 1), export="xlsx")
    assert f"{YEAR - 1}" in response["Content-Disposition"]


# ---------------------------------------------------------------- 2. and 3. plan settings


def test_the_leader_task_counts_are_the_plans_own(cast: Cast, data: PlanData) -> None:
    last_years_task(data, cast)
    response = page(cast.supervisor, "plan_settings", data.plan.pk)
    counts = {leader.name: leader.task_count for leader, _ in response.context["leaders"]}
    assert counts == {"赵局长": 1}


def test_the_leader_accounts_are_shown_by_name_and_username(cast: Cast, data: PlanData) -> None:
    text = page(cast.supervisor, "plan_settings", data.plan.pk).content.decode()
    assert f'<option value="{cast.leader.pk}" selected>局长赵（leader）</option>' in text


def test_an_account_without_a_name_is_shown_by_its_username(cast: Cast, data: PlanData) -> None:
    type(cast.leader).objects.filter(pk=cast.leader.pk).update(first_name="")
    text = page(cast.supervisor, "plan_settings", data.plan.pk).content.decode()
    assert f'<option value="{cast.leader.pk}" selected>leader</option>' in text


# ---------------------------------------------------------------- 4. comments on the report page


def test_the_report_page_shows_the_comments_and_links_to_the_task(
    cast: Cast, data: PlanData
) -> None:
    first, second = make_round(data.plan, 1), make_round(data.plan, 2)
    earlier, current = make_report(first, data.task, cast), make_report(second, data.task, cast)
    Comment.objects.create(task=data.task, author=cast.leader, text="务必年底前完成")
    Comment.objects.create(task=data.task, report=current, author=cast.leader, text="进度偏慢")
    Comment.objects.create(task=data.task, report=earlier, author=cast.leader, text="上次已阅")
    text = page(cast.department_head, "report", second.pk, data.task.pk).content.decode()
    today = timezone.localdate().isoformat()
    assert f"局长赵（{today}）：务必年底前完成" in text
    assert f"局长赵（{today}）：进度偏慢" in text
    assert "上次已阅" in text
    assert reverse("workplan:task", args=[data.task.pk]) in text


def test_the_report_page_says_when_there_are_no_comments(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    text = page(cast.department_head, "report", round_.pk, data.task.pk).content.decode()
    assert "领导尚未对这项任务批示" in text


# ---------------------------------------------------------------- 5. the year not repeated


def test_a_plan_titled_with_its_year_is_named_without_repeating_it(data: PlanData) -> None:
    assert str(data.plan) == "2026年重点工作"
    assert str(WorkPlan(year=YEAR, title="重点工作")) == "2026年 重点工作"


@pytest.mark.parametrize("name", ["scores", "actions"])
def test_the_breadcrumbs_do_not_repeat_the_year(cast: Cast, data: PlanData, name: str) -> None:
    text = page(cast.supervisor, name, data.plan.pk).content.decode()
    assert "2026年重点工作</a>" in text
    assert "2026年 2026年" not in text


def test_the_report_page_breadcrumb_does_not_repeat_the_year(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    text = page(cast.department_head, "report", round_.pk, data.task.pk).content.decode()
    assert "2026年重点工作</a>" in text
    assert "2026年 2026年" not in text


# ---------------------------------------------------------------- 6. removing evidence files


@pytest.fixture
def evidence(cast: Cast, data: PlanData, settings: Any, tmp_path: Any) -> ReportFile:
    """A 纪要.pdf handed in by 教育股 with its report in an open round."""
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    round_ = Round.objects.create(
        plan=data.plan, number=1, title="第1次调度", opened_on=today, due_on=today
    )
    client_for(cast.department_head).post(
        reverse("workplan:report", args=[round_.pk, data.task.pk]),
        {"version": "0", "status": "in_progress", "percent": "35", "done": "已部署"}
        | {"files": [SimpleUploadedFile("纪要.pdf", b"%PDF-1.4")]},
    )
    return ReportFile.objects.get()


def remove(user: Any, item: ReportFile) -> Any:
    url = reverse("workplan:report_file_remove", args=[item.pk])
    return (client_for(user) if user else Client()).post(url, follow=bool(user))


def test_the_reporting_department_removes_its_evidence_file(
    cast: Cast, data: PlanData, evidence: ReportFile, django_capture_on_commit_callbacks: Any
) -> None:
    stored, storage = evidence.file.name, evidence.file.storage
    assert storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        response = remove(cast.department_head, evidence)
    assert "已删除佐证材料“纪要.pdf”" in response.content.decode()
    assert response.redirect_chain[-1][0].startswith(
        reverse("workplan:report", args=[evidence.report.round_id, data.task.pk])
    )
    assert not ReportFile.objects.exists()
    assert not storage.exists(stored)
    change = TaskChange.objects.get(task=data.task)
    assert (change.field, change.old, change.new) == (
        "佐证材料",
        "教育股第1次调度报送的“纪要.pdf”",
        "",
    )
    assert change.user == cast.department_head


def test_the_report_page_offers_to_remove_the_files_of_an_open_round(
    cast: Cast, data: PlanData, evidence: ReportFile
) -> None:
    url = reverse("workplan:report", args=[evidence.report.round_id, data.task.pk])
    text = client_for(cast.department_head).get(url).content.decode()
    assert text.count(reverse("workplan:report_file_remove", args=[evidence.pk])) == 1
    assert "<title>报送进展 · " in text  # the file list is in the page, not in its title


@pytest.mark.parametrize(
    "name", ["other_department_head", "leader", "supervisor", "other_supervisor", "clerk_a"]
)
def test_others_cannot_remove_the_file(cast: Cast, evidence: ReportFile, name: str) -> None:
    url = reverse("workplan:report_file_remove", args=[evidence.pk])
    assert client_for(getattr(cast, name)).post(url).status_code == 404
    assert ReportFile.objects.filter(pk=evidence.pk).exists()


def test_anonymous_users_are_sent_to_log_in_to_remove_a_file(evidence: ReportFile) -> None:
    response = remove(None, evidence)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert ReportFile.objects.exists()


def test_a_file_of_a_closed_round_is_not_removed(
    cast: Cast, data: PlanData, evidence: ReportFile
) -> None:
    Round.objects.filter(pk=evidence.report.round_id).update(status=RoundStatus.CLOSED)
    response = remove(cast.department_head, evidence)
    text = response.content.decode()
    assert "第1次调度已结束，不能再删除佐证材料“纪要.pdf”" in text
    assert reverse("workplan:report_file_remove", args=[evidence.pk]) not in text
    assert ReportFile.objects.exists()
    assert not TaskChange.objects.exists()


def test_the_service_refuses_another_departments_file(cast: Cast, evidence: ReportFile) -> None:
    with pytest.raises(PermissionDenied):
        services.report_file_remove(cast.other_department_head, evidence)
    assert ReportFile.objects.exists()


# ---------------------------------------------------------------- 7. round dates


def open_with(cast: Cast, data: PlanData, **fields: str) -> tuple[Any, list[str]]:
    url = reverse("workplan:round_open", args=[data.plan.pk])
    response = client_for(cast.supervisor).post(url, fields, follow=True)
    return response, [str(m) for m in response.context["messages"]]


def test_a_due_date_before_the_start_is_refused_naming_the_field(
    cast: Cast, data: PlanData
) -> None:
    response, said = open_with(cast, data, opened_on=f"{YEAR}-03-01", due_on=f"{YEAR}-02-01")
    assert not said  # shown once, on its field
    assert response.context["round_form"].errors == {
        "due_on": [f"报送截止日期不能早于开始日期（{YEAR}-03-01）"]
    }
    assert not Round.objects.exists()


def test_an_impossible_due_date_names_the_due_date_not_the_start(
    cast: Cast, data: PlanData
) -> None:
    _, said = open_with(cast, data, opened_on=f"{YEAR}-03-01", due_on=f"{YEAR}-02-31")
    assert len(said) == 1 and said[0].startswith("报送截止日期：")
    _, said = open_with(cast, data, due_on=f"{YEAR}-02-01")
    assert len(said) == 1 and said[0].startswith("开始日期：")
    assert not Round.objects.exists()


def test_a_round_starting_before_the_plan_year_is_refused(cast: Cast, data: PlanData) -> None:
    response, said = open_with(cast, data, opened_on=f"{YEAR - 1}-12-01")
    assert not said  # shown once, on its field
    assert response.context["round_form"].errors == {
        "opened_on": [f"开始日期不能早于计划年度的第一天（{YEAR}-01-01）"]
    }
    assert not Round.objects.exists()


def test_a_round_starting_before_the_last_one_is_refused(cast: Cast, data: PlanData) -> None:
    last = make_round(data.plan, 1)
    Round.objects.filter(pk=last.pk).update(
        status=RoundStatus.CLOSED, opened_on=date(YEAR, 3, 1), due_on=date(YEAR, 4, 30)
    )
    with pytest.raises(ServiceError) as refused:
        services.round_open(
            cast.supervisor,
            data.plan,
            opened_on=date(YEAR, 2, 1),
            today=date(YEAR, 2, 1),
            due_on=date(YEAR, 5, 1),
        )
    assert refused.value.errors == {
        "opened_on": f"开始日期不能早于上一次调度（第1次调度）的开始日期（{YEAR}-03-01）"
    }
    assert Round.objects.count() == 1
    services.round_open(
        cast.supervisor,
        data.plan,
        opened_on=date(YEAR, 5, 1),
        today=date(YEAR, 5, 1),
        due_on=date(YEAR, 6, 30),
    )
    assert Round.objects.count() == 2


# ---------------------------------------------------------------- 8. empty states say what is empty


def department_without_tasks(cast: Cast) -> Any:
    """The head of 安全股, a 青川县 department that leads and helps no task."""
    department = Department.objects.create(county=cast.county, name="安全股")
    user = User.objects.create_user("safety_head", password=PASSWORD, first_name="安全股长")
    Membership.objects.create(user=user, role=Role.DEPARTMENT, department=department)
    return user


def test_home_says_why_there_is_no_plan(cast: Cast) -> None:
    assert "请先导入本年度重点工作任务分解表" in page(cast.supervisor, "home").content.decode()
    text = page(cast.department_head, "home").content.decode()
    assert "您可查看的区县还没有重点工作计划" in text
    text = page(cast.clerk_a, "home").content.decode()
    assert "您的账号不属于教育局的股室、督导室或局领导" in text


def test_the_department_list_says_what_is_empty(cast: Cast) -> None:
    text = page(cast.department_head, "mine").content.decode()
    assert "本县还没有重点工作计划；县督导室导入任务分解表后" in text
    make_plan(cast)
    text = page(department_without_tasks(cast), "mine").content.decode()
    assert "本县的重点工作计划中没有本科室牵头或协办的任务" in text
    text = page(cast.department_head, "mine", q="没有这项任务").content.decode()
    assert f"{YEAR}年没有符合筛选条件的本科室任务" in text


def test_the_leaders_list_says_what_is_empty(cast: Cast) -> None:
    text = page(cast.leader, "leading").content.decode()
    assert "还没有重点工作计划；县督导室导入任务分解表并将责任领导与您的账号关联后" in text
    data = make_plan(cast)
    text = page(cast.leader, "leading", q="没有这项任务").content.decode()
    assert "没有符合筛选条件的分管任务" in text
    data.leader.user = None
    data.leader.save()
    text = page(cast.leader, "leading").content.decode()
    assert "计划中没有由您分管的任务" in text


def test_the_plan_page_tells_no_tasks_from_no_match(cast: Cast, data: PlanData) -> None:
    text = page(cast.supervisor, "plan", data.plan.pk, q="没有这项任务").content.decode()
    assert "没有符合筛选条件的任务" in text
    empty = WorkPlan.objects.create(county=cast.county, year=YEAR + 1, title="明年的重点工作")
    assert "本计划还没有任务" in page(cast.supervisor, "plan", empty.pk).content.decode()


def test_the_settings_say_the_county_has_no_leaders(cast: Cast, data: PlanData) -> None:
    text = page(cast.other_supervisor, "plan_settings", data.other_plan.pk).content.decode()
    assert "本县还没有责任领导" in text


def test_the_actions_page_says_why_there_is_nothing(cast: Cast, data: PlanData) -> None:
    text = page(cast.supervisor, "actions", data.plan.pk).content.decode()
    assert "还没有结束的调度" in text
    assert "本计划还没有记录问责措施" in text
    Round.objects.filter(pk=make_round(data.plan).pk).update(status=RoundStatus.CLOSED)
    text = page(cast.supervisor, "actions", data.plan.pk).content.decode()
    assert "已结束的调度中没有股室达到问责建议的条件" in text


def test_the_scores_say_no_task_has_a_lead_department(cast: Cast, data: PlanData) -> None:
    text = page(cast.other_supervisor, "scores", data.other_plan.pk).content.decode()
    assert "本计划的任务还没有指定责任股室" in text


def test_the_reminders_say_what_is_empty(cast: Cast, data: PlanData) -> None:
    text = page(cast.city_reviewer, "reminders").content.decode()
    assert "目前没有临近截止尚未报送的调度" in text
    text = page(cast.clerk_a, "reminders").content.decode()
    assert "您没有可查看的重点工作计划，因此没有提醒" in text


def test_a_round_with_inconsistent_dates_does_not_validate(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    round_.opened_by = cast.supervisor
    round_.opened_on, round_.due_on = date(YEAR, 3, 1), date(YEAR, 2, 1)
    round_.closed_at = aware(YEAR, 2, 15)
    with pytest.raises(ValidationError) as refused:
        round_.full_clean()
    assert refused.value.message_dict == {
        "due_on": ["报送截止日期不能早于开始日期"],
        "closed_at": ["结束时间不能早于开始日期"],
    }
    round_.opened_on = date(YEAR - 1, 12, 1)
    with pytest.raises(ValidationError) as refused:
        round_.full_clean()
    assert refused.value.message_dict["opened_on"] == [
        f"开始日期不能早于计划年度的第一天（{YEAR}-01-01）"
    ]


def test_editing_a_round_in_the_admin_refuses_a_due_date_before_the_start(
    cast: Cast, data: PlanData
) -> None:
    round_ = make_round(data.plan)
    url = reverse("admin:workplan_round_change", args=[round_.pk])
    fields = {
        "plan": str(data.plan.pk),
        "number": "1",
        "title": "第1次调度",
        "opened_on": f"{YEAR}-03-01",
        "due_on": f"{YEAR}-02-01",
        "status": RoundStatus.OPEN,
        "notice_number": "",
        "opened_by": str(cast.supervisor.pk),
        "version": "1",
    }
    response = client_for(cast.admin).post(url, fields)
    assert response.status_code == 200
    text = response.content.decode()
    assert "报送截止日期不能早于开始日期" in text
    assert "workplan_round_due_after_open" not in text
    round_.refresh_from_db()
    assert round_.due_on == date(YEAR, 2, 28)


def test_a_new_task_page_says_what_it_has_none_of(data: PlanData, cast: Cast) -> None:
    text = page(cast.leader, "task", data.task.pk).content.decode()
    for said in (
        "督导室尚未对本任务提出督办意见",
        "尚无领导批示",
        "本任务没有问责记录",
        "创建后未修改过",
    ):
        assert said in text
    assert "暂无。" not in text
