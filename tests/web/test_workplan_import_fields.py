"""Import of the decomposition table: 完成时限, 节点安排, targets, the title's year, the county."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from conftest import Cast, client_for
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dudao.workplan.models import PlanImport, Task, WorkPlan

HEADER = "类别,序号,重点工作任务,责任领导,责任股室,协办股室（单位）,完成时限,节点安排\n"
TARGET_TASK = "义务教育巩固率达到99%以上，新建学校3所"
ROWS = (
    f'抓常规,1,"{TARGET_TASK}",赵局长,教育股,人事股,6月底前,3月启动；5月验收\n'
    ",2,做好招生入学,赵局长,教育股,,,\n"
)


def table(title: str = "华容县教育体育局2027年重点工作任务分解表", rows: str = ROWS) -> bytes:
    return ((f"{title}\n" if title else "") + HEADER + rows).encode()


def upload(client: Client, cast: Cast, data: bytes, name: str = "分解表.csv") -> Any:
    file = SimpleUploadedFile(name, data)
    return client.post(reverse("workplan:import"), {"county": cast.county.pk, "file": file})


def preview(client: Client) -> Any:
    return client.get(reverse("workplan:import_preview", args=[PlanImport.objects.get().pk]))


def confirm(client: Client, page: Any, **plan: str) -> Any:
    form = page.context["form"]
    data = {"title": "重点工作", "year": str(form.initial["year"])} | plan
    data |= {row.key: row.default for row in form.name_rows}
    imp = page.context["imp"]
    return client.post(reverse("workplan:import_confirm", args=[imp.pk]), data)


def test_the_year_and_title_proposed_are_those_of_the_table_title(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, table(), "2026年分解表.csv")  # the title's year wins over the name's
    page = preview(client)
    initial = page.context["form"].initial
    assert initial == {"year": 2027, "title": "华容县教育体育局2027年重点工作任务"}
    assert 'value="2027"' in page.content.decode()


def test_without_a_year_in_the_title_the_file_name_then_today_give_it(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, table("重点工作任务分解表"), "2025年分解表.csv")
    page = preview(client)
    assert page.context["form"].initial["year"] == 2025
    assert "标题中没有年度" in page.content.decode()
    PlanImport.objects.all().delete()
    upload(client, cast, table(""), "分解表.csv")
    page = preview(client)
    assert page.context["form"].initial == {
        "year": timezone.localdate().year,
        "title": f"{timezone.localdate().year}年教育重点工作任务",
    }


def test_the_preview_shows_deadlines_and_targets(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, table())
    text = preview(client).content.decode()
    assert "<th>完成时限</th><th>目标</th>" in text
    assert "<td>6月底前</td>" in text
    assert "<td>义务教育巩固率达到99%以上；新建学校3所</td>" in text


def test_confirming_stores_deadline_milestones_and_targets(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, table())
    response = confirm(client, preview(client))
    assert response.status_code == 302
    plan = WorkPlan.objects.get()
    assert plan.year == 2027
    first = Task.objects.get(plan=plan, number="1")
    assert first.deadline == date(2027, 6, 30)
    assert first.milestones == "3月启动；5月验收"
    assert first.targets == "义务教育巩固率达到99%以上；新建学校3所"
    second = Task.objects.get(plan=plan, number="2")
    assert (second.deadline, second.milestones, second.targets) == (None, "", "")


def test_the_deadline_is_read_in_the_confirmed_year(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, table("华容县教育体育局重点工作任务分解表"))  # the title states no year
    confirm(client, preview(client), year="2029")
    assert Task.objects.get(number="1").deadline == date(2029, 6, 30)


def test_a_day_the_confirmed_year_does_not_have_refuses_the_import(cast: Cast) -> None:
    rows = "抓常规,1,任务一,赵局长,教育股,,2月29日,\n"
    client = client_for(cast.supervisor)
    assert upload(client, cast, table("重点工作分解表", rows)).status_code == 302
    response = confirm(client, preview(client), year="2027")
    assert response.status_code == 200
    said = response.context["form"].non_field_errors()
    assert said == ["第 3 行的完成时限“2月29日”在 2027 年不是有效日期，请修改表格或年度"]
    assert "与完成时限不符" in response.content.decode()
    assert not WorkPlan.objects.exists() and not Task.objects.exists()


def test_an_unreadable_deadline_refuses_the_upload_with_row_and_column(cast: Cast) -> None:
    rows = "抓常规,1,任务一,赵局长,教育股,,尽快,\n"
    response = upload(client_for(cast.supervisor), cast, table(rows=rows))
    assert response.status_code == 400
    assert [(p.row, p.column) for p in response.context["problems"]] == [(3, "完成时限")]
    assert "完成时限“尽快”无法识别为日期" in response.content.decode()
    assert not PlanImport.objects.exists()


def _selected_county(page: Any) -> list[str]:
    select = re.search(r'<select name="county".*?</select>', page.content.decode(), re.S)
    assert select is not None
    return re.findall(r'<option value="(\d+)" selected>', select.group(0))


def test_the_county_is_preselected_when_the_user_runs_only_one(cast: Cast) -> None:
    page = client_for(cast.supervisor).get(reverse("workplan:import"))
    assert _selected_county(page) == [str(cast.county.pk)]
    page = client_for(cast.admin).get(reverse("workplan:import"))  # every county: none chosen
    assert _selected_county(page) == []


def test_the_task_page_shows_the_imported_targets_and_milestones(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, table())
    confirm(client, preview(client))
    task = Task.objects.get(number="1")
    text = client.get(reverse("workplan:task", args=[task.pk])).content.decode()
    assert "目标要求" in text and "义务教育巩固率达到99%以上；新建学校3所" in text
    assert "节点安排" in text and "3月启动；5月验收" in text
    assert "2027-06-30" in text


def test_without_any_year_the_first_year_the_county_has_no_plan_for_is_proposed(
    cast: Cast,
) -> None:
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        WorkPlan.objects.create(county=cast.county, year=year, title=f"{year}年重点工作")
    client = client_for(cast.supervisor)
    upload(client, cast, table(""), "分解表.csv")
    page = preview(client)
    assert page.context["form"].initial["year"] == this_year + 2
    shown = page.content.decode()
    assert f"已有计划的年度：{this_year}年、{this_year + 1}年" in shown
    assert "请改为其他年度" not in shown


def test_a_year_the_table_states_is_kept_and_said_to_be_taken(cast: Cast) -> None:
    WorkPlan.objects.create(county=cast.county, year=2027, title="2027年重点工作")
    client = client_for(cast.supervisor)
    upload(client, cast, table())
    page = preview(client)
    assert page.context["form"].initial["year"] == 2027
    assert (
        "已有计划的年度：2027年（每个年度只能有一个计划，请改为其他年度）" in page.content.decode()
    )
