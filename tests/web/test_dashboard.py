"""The home page shows each role its dashboard."""

from __future__ import annotations

import pytest
from conftest import Cast
from django.test import Client
from django.urls import reverse

from dudao.collection.models import Change, Period, Submission
from dudao.core.dashboards import dashboard_context
from dudao.evaluation.models import Run

HOME = reverse("home")
COMMENT = "生均教学用房面积有误，请核实。"


@pytest.fixture
def progress(cast: Cast) -> Cast:
    """School A returned (with a comment), the county items submitted, a failing run."""
    returned = Submission.objects.create(
        period=cast.period, institution=cast.school_a, status="returned"
    )
    Change.objects.create(submission=returned, user=cast.supervisor, action="submit")
    Change.objects.create(
        submission=returned, user=cast.supervisor, action="return", comment=COMMENT
    )
    Submission.objects.create(period=cast.period, institution=None, status="submitted")
    Submission.objects.create(
        period=cast.other_period, institution=cast.school_c, status="approved"
    )
    Run.objects.create(
        period=cast.period,
        framework="yzjh-2017",
        framework_version="1",
        framework_digest="0" * 64,
        created_by=cast.supervisor,
        inputs={},
        result={},
        verdict="fail",
    )
    return cast


def _progress_of(board: object) -> dict[str, int]:
    return board.progress[0].counts  # type: ignore[attr-defined,no-any-return]


def test_the_county_office_sees_progress_and_the_latest_verdict(
    client: Client, progress: Cast
) -> None:
    client.force_login(progress.supervisor)
    response = client.get(HOME)
    assert response.status_code == 200
    [board] = response.context["county_boards"]
    assert board.county == progress.county
    assert _progress_of(board) == {"not_started": 1, "returned": 1}
    assert board.progress[0].county_items == "已提交"
    assert board.latest_run.verdict == "fail"
    text = response.text
    assert "填报进度" in text and "未达标" in text and "2026学年" in text


def test_only_open_periods_are_shown(client: Client, progress: Cast) -> None:
    Period.objects.filter(pk=progress.period.pk).update(status="closed")
    [board] = dashboard_context(progress.supervisor)["county_boards"]  # type: ignore[misc]
    assert board.progress == []
    assert board.latest_run is not None  # the verdict stays


def test_the_newest_run_gives_the_verdict(progress: Cast) -> None:
    Run.objects.create(
        period=progress.period,
        framework="yzjh-2017",
        framework_version="1",
        framework_digest="1" * 64,
        created_by=progress.supervisor,
        inputs={},
        result={},
        verdict="pass",
    )
    [board] = dashboard_context(progress.supervisor)["county_boards"]  # type: ignore[misc]
    assert board.latest_run.label == "达标"


def test_a_county_without_a_run_says_so(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    response = client.get(HOME)
    assert "尚未评估" in response.text
    assert _progress_of(response.context["county_boards"][0]) == {"not_started": 2}


def test_a_leader_sees_the_county_picture(client: Client, progress: Cast) -> None:
    client.force_login(progress.leader)
    response = client.get(HOME)
    [board] = response.context["county_boards"]
    assert _progress_of(board)["returned"] == 1
    assert "未达标" in response.text


def test_a_school_clerk_sees_what_to_fill_and_what_came_back(
    client: Client, progress: Cast
) -> None:
    client.force_login(progress.clerk_a)
    response = client.get(HOME)
    [board] = response.context["school_boards"]
    assert board.institution == progress.school_a
    [task] = board.tasks
    assert (task.label, task.todo) == ("已退回", "已被退回，请按意见修改后重新提交")
    assert [c.comment for c in board.returns] == [COMMENT]
    assert COMMENT in response.text
    assert response.context["county_boards"] == []


def test_a_principal_sees_the_same_school(client: Client, progress: Cast) -> None:
    client.force_login(progress.principal_a)
    response = client.get(HOME)
    assert COMMENT in response.text


def test_another_school_does_not_see_the_return(client: Client, progress: Cast) -> None:
    client.force_login(progress.clerk_b)
    response = client.get(HOME)
    [board] = response.context["school_boards"]
    assert board.returns == []
    assert board.tasks[0].label == "未填报"
    assert COMMENT not in response.text


def test_a_city_reviewer_sees_every_county_with_progress(client: Client, progress: Cast) -> None:
    client.force_login(progress.city_reviewer)
    response = client.get(HOME)
    [(city, boards)] = response.context["city_boards"]
    assert city == progress.city
    by_county = {b.county.name: _progress_of(b) for b in boards}
    assert by_county == {
        "青川县": {"not_started": 1, "returned": 1},
        "河西区": {"not_started": 0, "approved": 1},
    }
    assert "各区县进度" in response.text and "未达标" in response.text


def test_the_other_county_office_sees_only_its_county(client: Client, progress: Cast) -> None:
    client.force_login(progress.other_supervisor)
    [board] = client.get(HOME).context["county_boards"]
    assert board.county == progress.other_county
    assert board.latest_run is None


def test_someone_without_a_role_is_told_to_ask(client: Client, cast: Cast) -> None:
    client.force_login(cast.nobody)
    response = client.get(HOME)
    assert "尚未分配角色" in response.text
    assert response.context["county_boards"] == response.context["school_boards"] == []


def test_the_dashboard_needs_a_fixed_number_of_queries(
    client: Client, progress: Cast, django_assert_max_num_queries: object
) -> None:
    client.force_login(progress.city_reviewer)
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        assert client.get(HOME).status_code == 200
