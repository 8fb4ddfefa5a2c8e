"""Pages of the key-task app: home, plan overview, the department's and the leader's lists,
the task page with its history, notes, comments, task edits and the XLSX exports."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from conftest import Cast
from django.test import Client
from django.urls import reverse
from test_workplan_import import client_for
from test_workplan_models import PlanData, make_plan, make_report, make_round, more_tasks

from dudao.orgs.models import Department
from dudao.workplan.choices import ReportRole, ReportStatus, RoundStatus
from dudao.workplan.errors import ServiceError
from dudao.workplan.models import Comment, SupervisionNote, TaskChange
from dudao.workplan.services import task_update


@pytest.fixture
def data(cast: Cast) -> PlanData:
    return make_plan(cast)


def page(user: Any, name: str, *args: Any, **params: str) -> Any:
    return client_for(user).get(reverse(f"workplan:{name}", args=args), params)


# ---------------------------------------------------------------- home


def test_home_lists_the_users_plans_and_links(cast: Cast, data: PlanData) -> None:
    text = page(cast.supervisor, "home").content.decode()
    assert data.plan.title in text and data.other_plan.title not in text
    assert reverse("workplan:import") in text
    text = page(cast.department_head, "home").content.decode()
    assert reverse("workplan:mine") in text and reverse("workplan:import") not in text
    assert reverse("workplan:leading") in page(cast.leader, "home").content.decode()


def test_home_links_to_the_reminders(cast: Cast, data: PlanData) -> None:
    text = page(cast.department_head, "home").content.decode()
    assert reverse("workplan:reminders") in text


@pytest.mark.parametrize("name", ["inspector", "clerk_a", "nobody"])
def test_home_shows_no_plans_to_people_outside_the_bureau(
    cast: Cast, data: PlanData, name: str
) -> None:
    response = page(getattr(cast, name), "home")
    assert response.status_code == 200
    assert data.plan.title not in response.content.decode()


# ---------------------------------------------------------------- plan overview


@pytest.mark.parametrize(
    "name", ["admin", "supervisor", "leader", "department_head", "city_reviewer"]
)
def test_the_plan_overview_is_read_in_the_county(cast: Cast, data: PlanData, name: str) -> None:
    response = page(getattr(cast, name), "plan", data.plan.pk)
    assert response.status_code == 200
    assert "规范办学行为" in response.content.decode()


@pytest.mark.parametrize("name", ["other_supervisor", "inspector", "clerk_a", "nobody"])
def test_the_plan_overview_is_404_elsewhere(cast: Cast, data: PlanData, name: str) -> None:
    assert page(getattr(cast, name), "plan", data.plan.pk).status_code == 404


def test_the_plan_is_grouped_by_category_leader_or_department(cast: Cast, data: PlanData) -> None:
    def groups(**params: str) -> dict[str, int]:
        response = page(cast.supervisor, "plan", data.plan.pk, **params)
        return {g.name: len(g.rows) for g in response.context["groups"]}

    assert groups() == {"抓常规": 2}
    assert groups(group="leader") == {"赵局长": 1, "（未指定）": 1}
    assert groups(group="department") == {"教育股": 1, "人事股": 1}


def test_the_plan_shows_lights_and_the_latest_report(cast: Cast, data: PlanData) -> None:
    make_report(make_round(data.plan), data.task, cast, status=ReportStatus.LAGGING, percent=15)
    response = page(cast.leader, "plan", data.plan.pk, light="red")
    rows = [r for g in response.context["groups"] for r in g.rows]
    assert [r.task for r in rows] == [data.task]
    text = response.content.decode()
    assert 'data-light="red"' in text and "自报滞后" in text and "15%" in text


def test_the_plan_filters_by_department_and_text(cast: Cast, data: PlanData) -> None:
    response = page(cast.supervisor, "plan", data.plan.pk, department=str(cast.department.pk))
    assert [r.task for g in response.context["groups"] for r in g.rows] == [data.task]
    response = page(cast.supervisor, "plan", data.plan.pk, q="轮岗")
    assert [r.task for g in response.context["groups"] for r in g.rows] == [data.other_task]


def test_the_plan_page_has_a_bounded_number_of_queries(
    cast: Cast, data: PlanData, django_assert_max_num_queries: Any
) -> None:
    more_tasks(data, cast, 30)
    round_ = make_round(data.plan)
    for task in data.plan.tasks.all()[:10]:
        make_report(round_, task, cast)
    client = client_for(cast.supervisor)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("workplan:plan", args=[data.plan.pk])).status_code == 200


def test_the_plan_links_to_scores_and_actions(cast: Cast, data: PlanData) -> None:
    text = page(cast.supervisor, "plan", data.plan.pk).content.decode()
    assert reverse("workplan:scores", args=[data.plan.pk]) in text
    assert reverse("workplan:actions", args=[data.plan.pk]) in text


def test_the_plan_exports_the_filtered_list_as_xlsx(cast: Cast, data: PlanData) -> None:
    make_report(make_round(data.plan), data.task, cast, status=ReportStatus.LAGGING, percent=15)
    response = page(cast.leader, "plan", data.plan.pk, light="red", export="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1
    assert rows[0][2] == "规范办学行为" and rows[0][7] == "滞后" and rows[0][9] == "红灯"


# ---------------------------------------------------------------- the department's list


def test_a_department_sees_its_tasks_with_report_buttons(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    response = page(cast.department_head, "mine")
    assert [i["row"].task for i in response.context["items"]] == [data.task]
    assert reverse("workplan:report", args=[round_.pk, data.task.pk]) in response.content.decode()
    response = page(cast.other_department_head, "mine")
    items = {i["row"].task: i["lead"] for i in response.context["items"]}
    assert items == {data.task: False, data.other_task: True}


def test_the_department_list_shows_what_was_reported(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    make_report(round_, data.task, cast)
    item = page(cast.department_head, "mine").context["items"][0]
    assert item["report"].round == round_


def test_the_department_list_names_the_light_in_words(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    make_report(round_, data.task, cast, status="blocked")
    text = page(cast.department_head, "mine").content.decode()
    assert "<strong>红灯</strong> 自报受阻" in text


def test_the_department_list_offers_no_button_once_the_round_is_closed(
    cast: Cast, data: PlanData
) -> None:
    round_ = make_round(data.plan)
    Round = type(round_)
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    text = page(cast.department_head, "mine").content.decode()
    assert reverse("workplan:report", args=[round_.pk, data.task.pk]) not in text


@pytest.mark.parametrize("name", ["supervisor", "leader", "clerk_a", "inspector"])
def test_the_department_list_is_refused_without_a_department(cast: Cast, name: str) -> None:
    assert page(getattr(cast, name), "mine").status_code == 403


def test_the_department_list_has_a_bounded_number_of_queries(
    cast: Cast, data: PlanData, django_assert_max_num_queries: Any
) -> None:
    more_tasks(data, cast, 30)
    round_ = make_round(data.plan)
    for task in data.plan.tasks.all()[:10]:
        make_report(round_, task, cast)
    client = client_for(cast.department_head)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("workplan:mine")).status_code == 200


def test_the_department_list_exports_xlsx(cast: Cast, data: PlanData) -> None:
    response = page(cast.department_head, "mine", export="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [r[2] for r in sheet.iter_rows(min_row=3, values_only=True)] == ["规范办学行为"]


# ---------------------------------------------------------------- the leader's list


def test_a_leader_sees_the_tasks_linked_to_them(cast: Cast, data: PlanData) -> None:
    response = page(cast.leader, "leading")
    assert [r.task for r in response.context["rows"]] == [data.task]


def test_the_leaders_list_is_refused_to_others(cast: Cast, data: PlanData) -> None:
    assert page(cast.department_head, "leading").status_code == 403
    assert page(cast.supervisor, "leading").status_code == 403


def test_the_leaders_list_has_a_bounded_number_of_queries(
    cast: Cast, data: PlanData, django_assert_max_num_queries: Any
) -> None:
    more_tasks(data, cast, 30)
    client = client_for(cast.leader)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("workplan:leading"))
    assert len(response.context["rows"]) == 31


def test_the_leaders_list_exports_xlsx(cast: Cast, data: PlanData) -> None:
    response = page(cast.leader, "leading", export="xlsx")
    assert response["Content-Disposition"].startswith("attachment")


# ---------------------------------------------------------------- the task page


def test_the_task_page_shows_the_whole_history(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    report = make_report(round_, data.task, cast, percent=45)
    make_report(round_, data.task, cast, role=ReportRole.CO, percent=None)
    SupervisionNote.objects.create(task=data.task, author=cast.supervisor, text="请加快进度")
    Comment.objects.create(task=data.task, report=report, author=cast.leader, text="抓紧落实")
    Comment.objects.create(task=data.task, author=cast.leader, text="纳入重点督办")
    TaskChange.objects.create(task=data.task, user=cast.supervisor, field="完成时限", new="x")
    text = page(cast.department_head, "task", data.task.pk).content.decode()
    for expected in [
        "第1次调度",
        "45%",
        "人事股",
        "请加快进度",
        "抓紧落实",
        "纳入重点督办",
        "完成时限",
    ]:
        assert expected in text


@pytest.mark.parametrize("name", ["other_supervisor", "inspector", "clerk_a", "nobody"])
def test_the_task_page_is_404_elsewhere(cast: Cast, data: PlanData, name: str) -> None:
    assert page(getattr(cast, name), "task", data.task.pk).status_code == 404


def test_anonymous_users_are_sent_to_log_in(data: PlanData) -> None:
    for name, args in [
        ("home", []),
        ("mine", []),
        ("leading", []),
        ("plan", [data.plan.pk]),
        ("task", [data.task.pk]),
        ("task_edit", [data.task.pk]),
    ]:
        response = Client().get(reverse(f"workplan:{name}", args=args))
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_the_task_page_offers_forms_by_role(cast: Cast, data: PlanData) -> None:
    make_round(data.plan)
    note_url = reverse("workplan:note_add", args=[data.task.pk])
    comment_url = reverse("workplan:comment_add", args=[data.task.pk])
    office = page(cast.supervisor, "task", data.task.pk).content.decode()
    assert note_url in office and comment_url not in office
    leader = page(cast.leader, "task", data.task.pk).content.decode()
    assert comment_url in leader and note_url not in leader
    department = page(cast.department_head, "task", data.task.pk).content.decode()
    assert "报送第1次调度进展" in department and note_url not in department


def test_the_office_writes_a_note_and_a_leader_comments_on_a_report(
    cast: Cast, data: PlanData
) -> None:
    report = make_report(make_round(data.plan), data.task, cast)
    note_url = reverse("workplan:note_add", args=[data.task.pk])
    comment_url = reverse("workplan:comment_add", args=[data.task.pk])
    client_for(cast.supervisor).post(note_url, {"text": "进度滞后", "critical": "on"})
    client_for(cast.leader).post(comment_url, {"text": "抓紧", "report": str(report.pk)})
    assert SupervisionNote.objects.get().critical
    assert Comment.objects.get().report == report


def test_notes_and_comments_are_refused_to_other_roles(cast: Cast, data: PlanData) -> None:
    note_url = reverse("workplan:note_add", args=[data.task.pk])
    comment_url = reverse("workplan:comment_add", args=[data.task.pk])
    assert client_for(cast.leader).post(note_url, {"text": "x"}).status_code == 403
    assert client_for(cast.department_head).post(comment_url, {"text": "x"}).status_code == 403
    assert client_for(cast.other_supervisor).post(note_url, {"text": "x"}).status_code == 404
    assert not SupervisionNote.objects.exists() and not Comment.objects.exists()


def test_a_comment_on_another_tasks_report_is_404(cast: Cast, data: PlanData) -> None:
    report = make_report(make_round(data.plan), data.task, cast)
    url = reverse("workplan:comment_add", args=[data.other_task.pk])
    response = client_for(cast.leader).post(url, {"text": "x", "report": str(report.pk)})
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_the_office_edits_a_task_with_history(cast: Cast, data: PlanData) -> None:
    url = reverse("workplan:task_edit", args=[data.task.pk])
    client = client_for(cast.supervisor)
    assert client.get(url).status_code == 200
    form = {
        "version": "1",
        "text": "规范办学行为",
        "deadline": "2026-06-30",
        "targets": "全覆盖",
        "lead_departments": [str(cast.department.pk)],
        "co_departments": [str(cast.other_department.pk)],
        "leaders": [str(data.leader.pk)],
    }
    assert client.post(url, form).status_code == 302
    data.task.refresh_from_db()
    assert str(data.task.deadline) == "2026-06-30" and data.task.version == 2
    assert TaskChange.objects.count() == 2
    again = client.get(url).content.decode()
    assert 'value="2026-06-30"' in again  # the date picker gets an ISO date, so a re-save keeps it
    stale = client.post(url, form | {"targets": "别的"})
    assert "该记录已被他人修改" in stale.content.decode()
    data.task.refresh_from_db()
    assert data.task.targets == "全覆盖"


def test_the_office_moves_a_task_to_another_department_with_history(
    cast: Cast, data: PlanData
) -> None:
    url = reverse("workplan:task_edit", args=[data.task.pk])
    client = client_for(cast.supervisor)
    form = {
        "version": "1",
        "text": "规范办学行为",
        "lead_departments": [str(cast.other_department.pk)],
    }
    assert client.post(url, form).status_code == 302
    assert list(data.task.lead_departments.all()) == [cast.other_department]
    assert not data.task.co_departments.exists() and not data.task.leaders.exists()
    change = TaskChange.objects.get(field="责任股室")
    assert (change.old, change.new) == ("教育股", "人事股")
    assert TaskChange.objects.filter(field="责任领导", old="赵局长", new="").exists()
    # the department now reports on it; the former one no longer may
    mine = reverse("workplan:mine")
    assert "规范办学行为" in client_for(cast.other_department_head).get(mine).content.decode()
    assert "规范办学行为" not in client_for(cast.department_head).get(mine).content.decode()


def test_a_task_without_lead_department_or_with_another_countys_is_refused(
    cast: Cast, data: PlanData
) -> None:
    url = reverse("workplan:task_edit", args=[data.task.pk])
    client = client_for(cast.supervisor)
    response = client.post(url, {"version": "1", "text": "规范办学行为", "lead_departments": []})
    assert response.status_code == 200 and data.task.lead_departments.count() == 1
    foreign = Department.objects.create(county=cast.other_county, name="河西教育股")
    with pytest.raises(ServiceError, match="本县"):
        task_update(cast.supervisor, data.task, version=1, lead_departments=[foreign])
    with pytest.raises(ServiceError, match="至少要有一个责任股室"):
        task_update(cast.supervisor, data.task, version=1, lead_departments=[])
    assert data.task.lead_departments.get() == cast.department
    assert not TaskChange.objects.exists()


def test_task_edits_are_refused_to_others(cast: Cast, data: PlanData) -> None:
    url = reverse("workplan:task_edit", args=[data.task.pk])
    assert client_for(cast.leader).get(url).status_code == 403
    assert client_for(cast.department_head).post(url, {"version": "1"}).status_code == 403
    assert client_for(cast.other_supervisor).get(url).status_code == 404


def test_home_has_a_bounded_number_of_queries(
    cast: Cast, data: PlanData, django_assert_max_num_queries: Any
) -> None:
    make_round(data.plan)
    make_round(data.other_plan)
    client = client_for(cast.admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("workplan:home"))
    assert len(response.context["rows"]) == 2


def test_the_task_page_has_a_bounded_number_of_queries(
    cast: Cast, data: PlanData, django_assert_max_num_queries: Any
) -> None:
    for number in range(1, 7):
        round_ = make_round(data.plan, number)
        report = make_report(round_, data.task, cast)
        make_report(round_, data.task, cast, role=ReportRole.CO)
        Comment.objects.create(task=data.task, report=report, author=cast.leader, text="阅")
    client = client_for(cast.leader)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("workplan:task", args=[data.task.pk])).status_code == 200
