"""Audit 3 of key tasks: score weights add up to 100, no ranking before a round closed, a
collective body's tasks reach the county's leaders, notice numbers are unique in a county, task
headings name the category, the import's title default, the city reviewer's home, the task edit
message."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from conftest import Cast, client_for
from django.test import Client
from django.urls import reverse
from test_workplan_followup_data import YEAR, add_round, follow_up

from dudao.workplan.choices import RoundStatus
from dudao.workplan.models import WorkPlan
from dudao.workplan.performance import weights_for

WEIGHTS = {
    "on_time": "90",
    "completion": "45",
    "supervision": "20",
    "per_note": "2",
    "criticism": "2",
    "talk": "3",
    "written_review": "5",
    "accountability": "10",
    "version": "1",
}


# ---------------------------------------------------------------- 3. weights add up to 100


def test_weights_not_adding_up_to_100_are_refused_on_the_form_with_the_input_kept(
    cast: Cast,
) -> None:
    data = follow_up(cast)
    url = reverse("workplan:scores_weights", args=[data.plan.pk])
    response = client_for(cast.supervisor).post(url, WEIGHTS)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["各部分分值合计应为100，现为155"]
    body = response.content.decode()
    assert "各部分分值合计应为100，现为155" in body
    assert 'name="on_time" value="90"' in body
    assert WorkPlan.objects.get(pk=data.plan.pk).weights == {}


def test_weights_adding_up_to_100_are_saved(cast: Cast) -> None:
    data = follow_up(cast)
    url = reverse("workplan:scores_weights", args=[data.plan.pk])
    response = client_for(cast.supervisor).post(url, {**WEIGHTS, "on_time": "35"})
    assert response.status_code == 302
    assert weights_for(WorkPlan.objects.get(pk=data.plan.pk)).on_time == 35


# ------------------------------------------------ 4. no ranking without a closed round


def _without_closed_rounds(cast: Cast) -> WorkPlan:
    data = follow_up(cast)
    data.round1.delete()
    add_round(data.plan, 2, date(YEAR, 6, 30))  # open
    return data.plan


def test_the_scores_page_does_not_rank_before_a_round_closed(cast: Cast) -> None:
    plan = _without_closed_rounds(cast)
    response = client_for(cast.supervisor).get(reverse("workplan:scores", args=[plan.pk]))
    body = response.content.decode()
    assert "尚无已结束的调度，暂不排名" in body
    assert response.context["rows"] == []
    assert "<th>排名</th>" not in body and "教育股" not in body
    assert "保存分值" in body  # the office may still set the weights


def test_the_scores_export_says_there_is_no_ranking_before_a_round_closed(cast: Cast) -> None:
    plan = _without_closed_rounds(cast)
    url = reverse("workplan:scores", args=[plan.pk])
    response = client_for(cast.leader).get(url, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "尚无已结束的调度，暂不排名" in values
    assert "教育股" not in values


def test_the_scores_rank_once_a_round_closed(cast: Cast) -> None:
    data = follow_up(cast)
    assert data.round1.status == RoundStatus.CLOSED
    body = client_for(cast.leader).get(reverse("workplan:scores", args=[data.plan.pk]))
    assert "尚无已结束的调度" not in body.content.decode()
    assert len(body.context["rows"]) == 3


def test_anonymous_users_are_sent_to_log_in_for_the_scores_export(cast: Cast) -> None:
    plan = _without_closed_rounds(cast)
    url = reverse("workplan:scores", args=[plan.pk])
    assert Client().get(url, {"export": "xlsx"}).status_code == 302
