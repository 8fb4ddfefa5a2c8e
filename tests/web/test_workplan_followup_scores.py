"""Department scores: facts from the plan's records, the engine's scoring, weights per plan.

The hand-computed example (default weights 30/50/20, 2 per critical note, 2 per criticism), after
the closed first round of `follow_up`, a critical note on task 2 and a criticism of 人事股:

| 股室 | on time | completion | supervision | deductions | total | rank |
|---|---|---|---|---|---|---|
| 教育股 | 30 × 1/1 = 30 | 50 × 30% = 15 | 20 | 0 | 65.0 | 1 |
| 计划财务股 | 30 | 50 × 20% = 10 | 20 | 0 | 60.0 | 2 |
| 人事股 | 30 × 0/1 = 0 (late) | 50 × 10% = 5 | 20 − 2 = 18 | −2 | 21.0 | 3 |
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Cast, client_for
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from test_workplan_followup_data import YEAR, FollowUp, add_report, add_round, aware, follow_up

from dudao.engine.workplan import ScoreWeights
from dudao.workplan.choices import ReportStatus
from dudao.workplan.followup_services import StaleEdit, action_record, plan_weights_update
from dudao.workplan.models import SupervisionNote, WorkPlan
from dudao.workplan.performance import plan_facts, plan_scores, weights_for

TODAY = date(YEAR, 3, 10)


def example(cast: Cast) -> FollowUp:
    data = follow_up(cast)
    SupervisionNote.objects.create(
        task=data.task2, author=cast.supervisor, text="交流名单未落实", critical=True
    )
    SupervisionNote.objects.create(task=data.task2, author=cast.supervisor, text="请加快")
    for kind, department, person in (
        ("criticism", cast.other_department, ""),
        ("talk", None, "张三"),  # on a person: not a department's deduction
    ):
        action_record(
            cast.supervisor,
            data.plan,
            kind=kind,
            department=department,
            person=person,
            on=date(YEAR, 3, 5),
            reason="逾期报送",
            tasks=[data.task2],
        )
    return data


def table(plan: WorkPlan, today: date = TODAY) -> list[tuple[str, dict[str, float], float, int]]:
    return [(s.department, s.parts, s.total, s.rank) for s in plan_scores(plan, today=today)]


def test_the_hand_computed_example(cast: Cast) -> None:
    data = example(cast)
    assert table(data.plan) == [
        (
            "教育股",
            {"on_time": 30.0, "completion": 15.0, "supervision": 20.0, "deductions": 0.0},
            65.0,
            1,
        ),
        (
            "计划财务股",
            {"on_time": 30.0, "completion": 10.0, "supervision": 20.0, "deductions": 0.0},
            60.0,
            2,
        ),
        (
            "人事股",
            {"on_time": 0.0, "completion": 5.0, "supervision": 18.0, "deductions": -2.0},
            21.0,
            3,
        ),
    ]


def test_the_facts_behind_the_example(cast: Cast) -> None:
    data = example(cast)
    facts = {d.name: f for d, f in plan_facts(data.plan, today=TODAY)}
    personnel = facts["人事股"]
    assert (personnel.reports_due, personnel.reports_on_time) == (1, 0)
    assert personnel.task_percents == (10,)
    assert personnel.critical_notes == 1
    assert dict(personnel.actions) == {"criticism": 1}


def test_a_done_task_counts_full_and_a_task_without_report_counts_zero(cast: Cast) -> None:
    data = example(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    add_report(
        round2,
        data.task3,
        data.finance,
        cast,
        status=ReportStatus.DONE,
        percent=None,
        at=aware(YEAR, 4, 2),
    )
    extra = data.plan.tasks.create(category=data.category, number="4", order=4, text="新任务")
    extra.lead_departments.add(cast.department)
    facts = {d.name: f for d, f in plan_facts(data.plan, today=TODAY)}
    assert facts["计划财务股"].task_percents == (100,)
    assert facts["教育股"].task_percents == (30, 0)
    # The open round is not due yet: still one report due per task led.
    assert (facts["教育股"].reports_due, facts["教育股"].reports_on_time) == (2, 1)


def test_actions_after_today_do_not_count_yet(cast: Cast) -> None:
    data = example(cast)
    facts = {d.name: f for d, f in plan_facts(data.plan, today=date(YEAR, 3, 1))}
    assert dict(facts["人事股"].actions) == {}


def test_the_plans_weights_change_the_scores(cast: Cast) -> None:
    data = example(cast)
    data.plan.weights = {
        "on_time": 40,
        "completion": 40,
        "supervision": 20,
        "per_note": 5,
        "deductions": {"criticism": 10},
    }
    data.plan.save()
    weights = weights_for(data.plan)
    assert weights.deductions["criticism"] == 10 and weights.deductions["talk"] == 3
    scores = {name: total for name, _, total, _ in table(data.plan)}
    assert scores["人事股"] == 9.0  # 0 + 40 × 10% + (20 − 5) − 10


def test_invalid_stored_weights_fall_back_to_the_defaults(cast: Cast) -> None:
    data = follow_up(cast)
    data.plan.weights = {"on_time": -5, "completion": "many", "deductions": "none"}
    assert weights_for(data.plan) == ScoreWeights()


# ---------------------------------------------------------------- editing the weights


NEW_WEIGHTS = ScoreWeights(
    on_time=40,
    completion=40,
    supervision=20,
    per_note=5,
    deductions={"criticism": 10, "talk": 3, "written_review": 5, "accountability": 10},
)


def test_the_office_edits_the_weights(cast: Cast) -> None:
    data = follow_up(cast)
    plan_weights_update(cast.supervisor, data.plan, weights=NEW_WEIGHTS, version=1)
    plan = WorkPlan.objects.get(pk=data.plan.pk)
    assert plan.version == 2
    assert weights_for(plan) == NEW_WEIGHTS


def test_a_stale_weights_edit_is_refused_and_nothing_saved(cast: Cast) -> None:
    data = follow_up(cast)
    plan_weights_update(cast.supervisor, data.plan, weights=NEW_WEIGHTS, version=1)
    with pytest.raises(StaleEdit):
        plan_weights_update(cast.supervisor, data.plan, weights=ScoreWeights(), version=1)
    assert weights_for(WorkPlan.objects.get(pk=data.plan.pk)) == NEW_WEIGHTS


@pytest.mark.parametrize("who", ["leader", "department_head", "city_reviewer"])
def test_only_the_office_edits_the_weights(cast: Cast, who: str) -> None:
    data = follow_up(cast)
    with pytest.raises(PermissionDenied):
        plan_weights_update(getattr(cast, who), data.plan, weights=NEW_WEIGHTS, version=1)


# ---------------------------------------------------------------- the page

FORM = {
    "on_time": "40",
    "completion": "40",
    "supervision": "20",
    "per_note": "5",
    "criticism": "10",
    "talk": "3",
    "written_review": "5",
    "accountability": "10",
    "version": "1",
}


@pytest.mark.parametrize("who", ["supervisor", "leader", "department_head", "admin"])
def test_readers_see_the_ranking_and_the_note_on_local_weights(cast: Cast, who: str) -> None:
    data = example(cast)
    response = client_for(getattr(cast, who)).get(reverse("workplan:scores", args=[data.plan.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "并非国家或上级文件规定" in body
    for label in ("按时报送", "任务完成", "督查情况", "问责扣分"):
        assert label in body
    assert body.index("教育股") < body.index("计划财务股") < body.index("人事股")
    assert "65.0" in body and "21.0" in body
    assert ("保存分值" in body) == (who in ("supervisor", "admin"))


@pytest.mark.parametrize("who", ["other_supervisor", "clerk_a", "inspector"])
def test_the_scores_are_missing_outside_the_county(cast: Cast, who: str) -> None:
    data = follow_up(cast)
    client = client_for(getattr(cast, who))
    assert client.get(reverse("workplan:scores", args=[data.plan.pk])).status_code == 404
    url = reverse("workplan:scores_weights", args=[data.plan.pk])
    assert client.post(url, FORM).status_code == 404


def test_anonymous_users_are_sent_to_log_in_for_the_scores(cast: Cast) -> None:
    data = follow_up(cast)
    url = reverse("workplan:scores", args=[data.plan.pk])
    response = Client().get(url)
    assert (response.status_code, response["Location"]) == (302, f"/login/?next={url}")


def test_the_office_edits_the_weights_on_the_page_and_a_stale_form_changes_nothing(
    cast: Cast,
) -> None:
    data = follow_up(cast)
    client = client_for(cast.supervisor)
    url = reverse("workplan:scores_weights", args=[data.plan.pk])
    assert client.post(url, FORM).status_code == 302
    assert weights_for(WorkPlan.objects.get(pk=data.plan.pk)) == NEW_WEIGHTS
    response = client.post(url, {**FORM, "on_time": "10"}, follow=True)
    assert "该记录已被他人修改，请刷新后再改" in response.content.decode()
    assert weights_for(WorkPlan.objects.get(pk=data.plan.pk)).on_time == 40


def test_negative_weights_are_refused_on_the_page(cast: Cast) -> None:
    data = follow_up(cast)
    url = reverse("workplan:scores_weights", args=[data.plan.pk])
    response = client_for(cast.supervisor).post(url, {**FORM, "per_note": "-1"})
    assert response.status_code == 200
    assert "per_note" in response.context["form"].errors
    assert WorkPlan.objects.get(pk=data.plan.pk).weights == {}


@pytest.mark.parametrize("who", ["leader", "department_head"])
def test_readers_posting_weights_are_refused(cast: Cast, who: str) -> None:
    data = follow_up(cast)
    url = reverse("workplan:scores_weights", args=[data.plan.pk])
    assert client_for(getattr(cast, who)).post(url, FORM).status_code == 403
    assert WorkPlan.objects.get(pk=data.plan.pk).weights == {}


def test_the_scores_page_reads_a_bounded_number_of_queries(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    data = example(cast)
    for n in range(4, 24):
        task = data.plan.tasks.create(category=data.category, number=str(n), order=n, text="任务")
        task.lead_departments.add(cast.department)
    client = client_for(cast.supervisor)
    with django_assert_max_num_queries(18):  # type: ignore[operator]
        client.get(reverse("workplan:scores", args=[data.plan.pk]))
