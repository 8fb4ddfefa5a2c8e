"""Audit 3 of key tasks: score weights add up to 100, no ranking before a round closed, a
collective body's tasks reach the county's leaders, notice numbers are unique in a county, task
headings name the category, the import's title default, the city reviewer's home, the task edit
message."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from conftest import PASSWORD, Cast, client_for
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from test_workplan_followup_data import YEAR, FollowUp, add_round, follow_up

from dudao.orgs.choices import Role
from dudao.orgs.models import Membership
from dudao.workplan.choices import RoundStatus
from dudao.workplan.errors import ServiceError
from dudao.workplan.followup_services import notice_number_set
from dudao.workplan.importing import plan_title
from dudao.workplan.models import Leader, Round, Task, WorkPlan
from dudao.workplan.performance import weights_for
from dudao.workplan.reminders import reminders_for

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


# ------------------------------------------------ 6. notice numbers unique in a county


def test_a_notice_number_of_another_round_of_the_county_is_refused(cast: Cast) -> None:
    data = follow_up(cast)
    data.round1.notice_number = "示教督〔2026〕1号"
    data.round1.save()
    round2 = add_round(data.plan, 2, date(YEAR, 6, 30))
    with pytest.raises(ServiceError) as refused:
        notice_number_set(cast.supervisor, round2, number=" 示教督〔2026〕1号 ", version=1)
    assert refused.value.message == "该文号已用于2026年第1次调度的通报"
    assert Round.objects.get(pk=round2.pk).notice_number == ""


def test_a_notice_number_of_another_plan_year_of_the_county_is_refused(cast: Cast) -> None:
    data = follow_up(cast)
    data.round1.notice_number = "示教督〔2026〕1号"
    data.round1.save()
    later = WorkPlan.objects.create(county=cast.county, year=YEAR + 1, title="2027年重点工作")
    round_ = Round.objects.create(
        plan=later,
        number=1,
        title="第1次调度",
        opened_on=date(YEAR + 1, 1, 1),
        due_on=date(YEAR + 1, 2, 28),
    )
    with pytest.raises(ServiceError, match="该文号已用于2026年第1次调度的通报"):
        notice_number_set(cast.supervisor, round_, number="示教督〔2026〕1号", version=1)


def test_the_same_notice_number_in_another_county_and_the_rounds_own_are_accepted(
    cast: Cast,
) -> None:
    data = follow_up(cast)
    other_round = add_round(data.other_plan, 1, date(YEAR, 2, 28))
    other_round.notice_number = "示教督〔2026〕1号"
    other_round.save()
    notice_number_set(cast.supervisor, data.round1, number="示教督〔2026〕1号", version=1)
    notice_number_set(cast.supervisor, data.round1, number="示教督〔2026〕1号", version=2)
    notice_number_set(
        cast.supervisor, add_round(data.plan, 2, date(YEAR, 6, 30)), number="", version=1
    )
    assert Round.objects.get(pk=data.round1.pk).notice_number == "示教督〔2026〕1号"


def test_a_duplicate_notice_number_is_refused_on_the_page_with_the_input_kept(cast: Cast) -> None:
    data = follow_up(cast)
    data.round1.notice_number = "示教督〔2026〕1号"
    data.round1.save()
    round2 = add_round(data.plan, 2, date(YEAR, 6, 30))
    url = reverse("workplan:notice_number", args=[round2.pk])
    response = client_for(cast.supervisor).post(
        url, {"notice_number": "示教督〔2026〕1号", "version": "1"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "该文号已用于2026年第1次调度的通报" in body
    assert 'value="示教督〔2026〕1号"' in body
    assert Round.objects.get(pk=round2.pk).notice_number == ""


# ------------------------------------------------ 5. a collective body's tasks reach every leader


def _body_task(cast: Cast) -> FollowUp:
    """Task 2 led by the body 局长办公会成员, task 1 by a person leader not linked to anyone."""
    data = follow_up(cast)
    body = Leader.objects.create(county=cast.county, name="局长办公会成员", is_body=True)
    person = Leader.objects.create(county=cast.county, name="王局长")
    data.task2.leaders.add(body)
    data.task1.leaders.add(person)
    other_body = Leader.objects.create(
        county=cast.other_county, name="局长办公会成员", is_body=True
    )
    data.other_task.leaders.add(other_body)
    return data


def test_the_county_leaders_list_the_tasks_of_a_collective_body_marked_as_such(
    cast: Cast,
) -> None:
    data = _body_task(cast)
    response = client_for(cast.leader).get(reverse("workplan:leading"))
    body = response.content.decode()
    assert [row.task for row in response.context["rows"]] == [data.task2]
    assert "局长办公会成员（集体）" in body
    assert "规范办学行为" not in body and "河西的任务" not in body


def test_a_leader_of_another_county_does_not_list_the_bodys_tasks(cast: Cast) -> None:
    data = _body_task(cast)
    other_leader = User.objects.create_user("other_leader", password=PASSWORD)
    Membership.objects.create(user=other_leader, role=Role.LEADER, region=cast.other_county)
    response = client_for(other_leader).get(reverse("workplan:leading"))
    assert [row.task for row in response.context["rows"]] == [data.other_task]
    assert "教师交流轮岗" not in response.content.decode()


def test_the_reminders_of_the_county_leaders_include_the_bodys_overdue_tasks(cast: Cast) -> None:
    data = _body_task(cast)
    for task in (data.task1, data.task2, data.other_task):
        task.deadline = date(YEAR, 4, 30)
        task.save()
    found = reminders_for(cast.leader, today=date(YEAR, 5, 10))
    assert [r.text for r in found] == ["抓常规第2项“教师交流轮岗”已逾期10天，尚未完成"]


# ------------------------------------------------ 7. headings name the task with its category

LABEL = "抓常规第1项“规范办学行为”"


def test_the_task_page_heading_and_title_name_the_category(cast: Cast) -> None:
    data = follow_up(cast)
    body = client_for(cast.leader).get(reverse("workplan:task", args=[data.task1.pk]))
    text = body.content.decode()
    assert f"<h1>{LABEL}</h1>" in text
    assert f"<title>{LABEL} · 督导评估平台</title>" in text
    assert "任务 1" not in text


def test_the_task_edit_page_heading_names_the_category(cast: Cast) -> None:
    data = follow_up(cast)
    body = client_for(cast.supervisor).get(reverse("workplan:task_edit", args=[data.task1.pk]))
    text = body.content.decode()
    assert f"<h1>修改任务：{LABEL}</h1>" in text
    assert "修改任务 1" not in text


def test_the_report_page_heading_names_the_category(cast: Cast) -> None:
    data = follow_up(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 6, 30))
    url = reverse("workplan:report", args=[round2.pk, data.task1.pk])
    text = client_for(cast.department_head).get(url).content.decode()
    assert f"<h1>报送进展：{LABEL}</h1>" in text
    assert "报送进展：1. " not in text


# ------------------------------------------------ 8. import title, reviewer's home, task edit


@pytest.mark.parametrize(
    ("caption", "title"),
    [
        ("2027年全县教育重点工作任务分解表", "2027年全县教育重点工作任务"),
        ("任务分解表", "任务"),
        ("2027年教育重点工作", "2027年教育重点工作"),
        ("", "2027年教育重点工作任务"),
    ],
)
def test_the_plan_title_drops_the_tables_suffix(caption: str, title: str) -> None:
    assert plan_title(caption, 2027) == title


def test_the_import_preview_proposes_the_caption_without_the_tables_suffix(cast: Cast) -> None:
    csv = (
        "2027年全县教育重点工作任务分解表\n"
        "类别,序号,重点工作任务,责任领导,责任股室,协办股室（单位）\n"
        "抓常规,1,规范办学行为,赵局长,教育股,人事股\n"
    ).encode()
    client = client_for(cast.supervisor)
    file = SimpleUploadedFile("分解表.csv", csv)
    response = client.post(reverse("workplan:import"), {"county": cast.county.pk, "file": file})
    page = client.get(response["Location"])
    assert page.context["form"]["title"].value() == "2027年全县教育重点工作任务"


def test_the_city_reviewers_home_lists_counties_without_a_plan(cast: Cast) -> None:
    WorkPlan.objects.create(county=cast.county, year=YEAR, title="2026年重点工作")
    text = client_for(cast.city_reviewer).get(reverse("workplan:home")).content.decode()
    assert "2026年重点工作" in text
    assert '<tr><td>河西区</td><td colspan="5" class="muted">尚无计划</td></tr>' in text
    assert "青川县</td><td colspan" not in text


def test_the_city_reviewers_home_lists_every_county_when_none_has_a_plan(cast: Cast) -> None:
    text = client_for(cast.city_reviewer).get(reverse("workplan:home")).content.decode()
    assert text.count("尚无计划") == 2
    supervisor = client_for(cast.supervisor).get(reverse("workplan:home")).content.decode()
    assert "尚无计划" not in supervisor


def test_a_task_edit_without_a_lead_department_says_so_at_the_top(cast: Cast) -> None:
    data = follow_up(cast)
    url = reverse("workplan:task_edit", args=[data.task1.pk])
    response = client_for(cast.supervisor).post(
        url, {"text": "规范办学行为", "version": "1", "co_departments": [cast.department.pk]}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == ["请至少选择一个牵头股室"]
    assert "lead_departments" in form.errors
    text = response.content.decode()
    assert text.index("请至少选择一个牵头股室") < text.index('name="text"')
    assert list(Task.objects.get(pk=data.task1.pk).lead_departments.all()) == [cast.department]
