"""Accountability actions: recorded by the office only; the ladder's suggestions beside them."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Cast, client_for
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from test_workplan_followup_data import YEAR, FollowUp, add_light, add_round, follow_up

from dudao.engine.workplan import ActionKind
from dudao.orgs.models import Department
from dudao.workplan.choices import LightChoice
from dudao.workplan.followup_services import (
    FollowupError,
    action_record,
    suggestion_rows,
    suggestions_for,
)
from dudao.workplan.models import AccountabilityAction

TODAY = date(YEAR, 5, 10)


def second_red_round(data: FollowUp) -> None:
    """Round 2 closed: task 2 (人事股) red again, the others green."""
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), closed=True, opened_on=date(YEAR, 3, 1))
    add_light(round2, data.task1, LightChoice.GREEN, "按计划推进")
    add_light(round2, data.task2, LightChoice.RED, "自报滞后")
    add_light(round2, data.task3, LightChoice.GREEN, "按计划推进")


def record(cast: Cast, data: FollowUp, user: object, **changes: object) -> AccountabilityAction:
    values: dict[str, object] = {
        "kind": "talk",
        "department": cast.other_department,
        "person": "",
        "on": TODAY,
        "reason": "教师交流轮岗连续两轮红灯",
        "tasks": [data.task2],
    }
    values.update(changes)
    return action_record(user, data.plan, **values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the service


def test_the_office_records_an_action_with_its_tasks(cast: Cast) -> None:
    data = follow_up(cast)
    action = record(cast, data, cast.supervisor)
    assert action.kind == "talk"
    assert action.department == cast.other_department
    assert action.decided_by == cast.supervisor
    assert list(action.tasks.all()) == [data.task2]


def test_an_action_on_a_named_person_needs_no_department(cast: Cast) -> None:
    data = follow_up(cast)
    action = record(cast, data, cast.supervisor, department=None, person=" 张三 ")
    assert (action.department, action.person) == (None, "张三")


@pytest.mark.parametrize("who", ["department_head", "leader", "city_reviewer"])
def test_only_the_office_records_actions(cast: Cast, who: str) -> None:
    data = follow_up(cast)
    with pytest.raises(PermissionDenied):
        record(cast, data, getattr(cast, who))
    assert not AccountabilityAction.objects.exists()


def test_tasks_of_another_plan_are_refused(cast: Cast) -> None:
    data = follow_up(cast)
    with pytest.raises(FollowupError, match="本计划的任务"):
        record(cast, data, cast.supervisor, tasks=[data.task2, data.other_task])
    assert not AccountabilityAction.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"department": None, "person": "  "}, "请选择股室或填写责任人"),
        ({"reason": " "}, "请填写事由"),
        ({"kind": "fine"}, "请选择问责措施"),
    ],
)
def test_an_action_without_target_reason_or_kind_is_refused(
    cast: Cast, changes: dict[str, object], message: str
) -> None:
    data = follow_up(cast)
    with pytest.raises(FollowupError, match=message):
        record(cast, data, cast.supervisor, **changes)
    assert not AccountabilityAction.objects.exists()


def test_a_department_of_another_county_is_refused(cast: Cast) -> None:
    data = follow_up(cast)
    elsewhere = Department.objects.create(name="教育股", county=cast.other_county)
    with pytest.raises(FollowupError, match="不属于本县"):
        record(cast, data, cast.supervisor, department=elsewhere)


# ---------------------------------------------------------------- suggestions


def test_two_red_closed_rounds_suggest_criticism_and_a_talk_for_the_department(
    cast: Cast,
) -> None:
    data = follow_up(cast)
    second_red_round(data)
    found = suggestions_for(data.plan, today=TODAY)
    assert [(d.name, s.kind) for d, s in found] == [
        ("人事股", ActionKind.CRITICISM),
        ("人事股", ActionKind.TALK),
    ]
    assert found[0][1].reason.startswith("抓常规第2项“教师交流轮岗”进展缓慢（")
    rows = suggestion_rows(data.plan, today=TODAY)
    assert {row.task_ids for row in rows} == {(data.task2.pk,)}


def test_one_green_round_after_a_yellow_suggests_nothing(cast: Cast) -> None:
    data = follow_up(cast)
    second_red_round(data)
    assert "计划财务股" not in [d.name for d, _ in suggestions_for(data.plan, today=TODAY)]


def test_three_red_rounds_suggest_accountability(cast: Cast) -> None:
    data = follow_up(cast)
    second_red_round(data)
    round3 = add_round(data.plan, 3, date(YEAR, 6, 30), closed=True, opened_on=date(YEAR, 5, 1))
    add_light(round3, data.task2, LightChoice.RED, "已逾期 3 天")
    kinds = [s.kind for d, s in suggestions_for(data.plan, today=TODAY)]
    assert kinds == [ActionKind.CRITICISM, ActionKind.TALK, ActionKind.ACCOUNTABILITY]


def test_unfinished_yearly_tasks_after_the_year_suggest_a_written_review(cast: Cast) -> None:
    data = follow_up(cast)
    found = suggestions_for(data.plan, today=date(YEAR + 1, 1, 5))
    reviews = [d.name for d, s in found if s.kind == ActionKind.WRITTEN_REVIEW]
    assert sorted(reviews) == sorted(["教育股", "人事股", "计划财务股"])


def test_an_open_round_does_not_count_in_the_ladder(cast: Cast) -> None:
    data = follow_up(cast)
    open_round = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    add_light(open_round, data.task3, LightChoice.YELLOW, "不应计入")
    assert "计划财务股" not in [d.name for d, _ in suggestions_for(data.plan, today=TODAY)]


# ---------------------------------------------------------------- the page


def test_the_office_sees_suggestions_with_a_button_that_prefills_the_form(cast: Cast) -> None:
    data = follow_up(cast)
    second_red_round(data)
    client = client_for(cast.supervisor)
    url = reverse("workplan:actions", args=[data.plan.pk])
    body = client.get(url).content.decode()
    assert "系统建议，由人决定" in body
    assert "按此建议填写" in body
    assert "kind=talk" in body and f"tasks={data.task2.pk}" in body
    prefilled = client.get(
        url, {"kind": "talk", "department": cast.other_department.pk, "tasks": data.task2.pk}
    )
    form = prefilled.context["form"]
    assert form.initial["kind"] == "talk"
    assert str(form.initial["department"]) == str(cast.other_department.pk)
    assert '<option value="talk" selected>' in prefilled.content.decode()


def test_the_office_records_an_action_on_the_page(cast: Cast) -> None:
    data = follow_up(cast)
    response = client_for(cast.supervisor).post(
        reverse("workplan:actions", args=[data.plan.pk]),
        {
            "kind": "criticism",
            "department": cast.other_department.pk,
            "person": "",
            "on": "2026-05-10",
            "reason": "逾期报送",
            "tasks": [data.task2.pk],
        },
    )
    assert response.status_code == 302
    action = AccountabilityAction.objects.get()
    assert (action.kind, action.department, list(action.tasks.all())) == (
        "criticism",
        cast.other_department,
        [data.task2],
    )


def test_a_task_of_another_plan_is_not_a_choice_on_the_page(cast: Cast) -> None:
    data = follow_up(cast)
    response = client_for(cast.supervisor).post(
        reverse("workplan:actions", args=[data.plan.pk]),
        {
            "kind": "criticism",
            "department": cast.other_department.pk,
            "on": "2026-05-10",
            "reason": "逾期报送",
            "tasks": [data.other_task.pk],
        },
    )
    assert response.status_code == 200
    assert "tasks" in response.context["form"].errors
    assert not AccountabilityAction.objects.exists()


@pytest.mark.parametrize("who", ["department_head", "leader"])
def test_a_reader_posting_an_action_is_refused(cast: Cast, who: str) -> None:
    data = follow_up(cast)
    response = client_for(getattr(cast, who)).post(
        reverse("workplan:actions", args=[data.plan.pk]),
        {
            "kind": "criticism",
            "department": cast.other_department.pk,
            "on": "2026-05-10",
            "reason": "x",
        },
    )
    assert response.status_code == 403
    assert not AccountabilityAction.objects.exists()


def test_leaders_see_suggestions_and_departments_only_the_list(cast: Cast) -> None:
    data = follow_up(cast)
    second_red_round(data)
    record(cast, data, cast.supervisor)
    url = reverse("workplan:actions", args=[data.plan.pk])
    leader = client_for(cast.leader).get(url).content.decode()
    assert "系统建议，由人决定" in leader and "记录问责措施" not in leader
    department = client_for(cast.department_head).get(url).content.decode()
    assert "教师交流轮岗连续两轮红灯" in department
    assert "系统建议" not in department and "记录问责措施" not in department


@pytest.mark.parametrize("who", ["other_supervisor", "clerk_a", "inspector"])
def test_the_actions_page_is_missing_outside_the_county(cast: Cast, who: str) -> None:
    data = follow_up(cast)
    url = reverse("workplan:actions", args=[data.plan.pk])
    assert client_for(getattr(cast, who)).get(url).status_code == 404


def test_anonymous_users_are_sent_to_log_in_for_actions(cast: Cast) -> None:
    data = follow_up(cast)
    url = reverse("workplan:actions", args=[data.plan.pk])
    response = Client().get(url)
    assert (response.status_code, response["Location"]) == (302, f"/login/?next={url}")


def test_the_actions_page_reads_a_bounded_number_of_queries(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    data = follow_up(cast)
    second_red_round(data)
    for n in range(12):
        record(cast, data, cast.supervisor, reason=f"事由{n}")
    client = client_for(cast.supervisor)
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        client.get(reverse("workplan:actions", args=[data.plan.pk]))
