"""Import of the decomposition table: upload → preview → confirm, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Cast, client_for
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dudao.core.management.demo_workplan import sample_table_xlsx
from dudao.orgs.models import Department
from dudao.workplan.choices import ImportStatus
from dudao.workplan.importing import import_upload
from dudao.workplan.models import Leader, PlanImport, Task, WorkPlan

CSV = (
    "类别,序号,重点工作任务,责任领导,责任股室,协办股室（单位）\n"
    "抓常规,1,规范办学行为,赵局长,教育股,人事股\n"
    ",2,做好招生入学,赵局长,教育股,\n"
)
BROKEN_CSV = (
    "类别,序号,重点工作任务,责任领导,责任股室,协办股室（单位）\n"
    "抓常规,1,规范办学行为,赵局长,,人事股\n"
)


def upload(client: Client, cast: Cast, data: bytes, name: str = "2026年分解表.xlsx") -> Any:
    file = SimpleUploadedFile(name, data)
    return client.post(reverse("workplan:import"), {"county": cast.county.pk, "file": file})


def defaults(response: Any) -> dict[str, str]:
    form = response.context["form"]
    return {row.key: row.default for row in form.name_rows}


def confirm(client: Client, imp: PlanImport, choices: dict[str, str], **plan: Any) -> Any:
    data = {"title": "2026年教育重点工作", "year": "2026", "number": "青教发〔2026〕2号"}
    return client.post(reverse("workplan:import_confirm", args=[imp.pk]), data | plan | choices)


def test_the_preview_lists_every_task_and_the_unknown_names(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    response = upload(client, cast, sample_table_xlsx())
    imp = PlanImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workplan:import_preview", args=[imp.pk])
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "推进县管校聘改革" in text and "编制2026—2030年" in text
    assert 'name="title"' in text and 'name="person_0"' in text
    preview = page.context["preview"]
    assert len(preview.parsed.tasks) == 7
    assert [r.name for r in preview.unknown_people] == [
        "王局长",
        "李副局长",
        "张华",
        "局长办公会成员",
    ]
    unknown_departments = [r.name for r in preview.unknown_departments]
    assert "教育股" not in unknown_departments and "督导室" in unknown_departments
    assert defaults(page)["person_3"] == "body"  # 局长办公会成员 suggested as a body
    assert not WorkPlan.objects.exists() and not Task.objects.exists()


def test_confirming_creates_the_plan_with_leaders_departments_and_units(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, sample_table_xlsx())
    imp = PlanImport.objects.get()
    page = client.get(reverse("workplan:import_preview", args=[imp.pk]))
    response = confirm(client, imp, defaults(page))
    plan = WorkPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workplan:plan", args=[plan.pk])
    assert (plan.county, plan.year, plan.number) == (cast.county, 2026, "青教发〔2026〕2号")
    assert list(plan.categories.values_list("name", flat=True)) == ["抓常规", "强队伍", "优布局"]
    assert plan.tasks.count() == 7
    assert Leader.objects.get(name="局长办公会成员").is_body
    assert not Leader.objects.get(name="张华").is_body
    safety = plan.tasks.get(text__startswith="确保校园安防")
    assert safety.co_units == "各中小学"
    assert not safety.co_departments.exists()
    assert Department.objects.filter(county=cast.county, name="督导室").exists()
    teachers = plan.tasks.get(category__name="强队伍", number="1")
    assert list(teachers.lead_departments.all()) == [cast.other_department]  # 人事股, existing
    imp.refresh_from_db()
    assert (imp.status, imp.plan) == (ImportStatus.APPLIED, plan)


def test_a_new_name_can_be_mapped_to_an_existing_department(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, sample_table_xlsx())
    imp = PlanImport.objects.get()
    page = client.get(reverse("workplan:import_preview", args=[imp.pk]))
    choices = defaults(page)
    key = next(r.key for r in page.context["preview"].departments if r.name == "督导室")
    choices[key] = f"dept:{cast.department.pk}"
    confirm(client, imp, choices)
    task = Task.objects.get(number="1", category__name="抓常规")
    assert not Department.objects.filter(name="督导室").exists()
    assert list(task.co_departments.all()) == []  # 督导室 → 教育股, already the lead department
    task = Task.objects.get(category__name="强队伍", number="2")
    assert list(task.co_departments.all()) == [cast.department]


def test_a_new_person_can_be_mapped_to_an_existing_leader(cast: Cast) -> None:
    leader = Leader.objects.create(county=cast.county, name="王局", user=cast.leader)
    client = client_for(cast.supervisor)
    upload(client, cast, sample_table_xlsx())
    imp = PlanImport.objects.get()
    page = client.get(reverse("workplan:import_preview", args=[imp.pk]))
    choices = defaults(page) | {"person_0": f"leader:{leader.pk}"}
    confirm(client, imp, choices)
    assert not Leader.objects.filter(name="王局长").exists()
    assert leader.tasks.count() == 2


def test_a_missing_choice_refuses_the_whole_import(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, sample_table_xlsx())
    imp = PlanImport.objects.get()
    page = client.get(reverse("workplan:import_preview", args=[imp.pk]))
    choices = defaults(page)
    choices["person_2"] = "leader:999999"
    response = confirm(client, imp, choices)
    assert response.status_code == 200
    assert not WorkPlan.objects.exists() and not Leader.objects.exists()
    assert PlanImport.objects.get().status == ImportStatus.PENDING


def test_an_unreadable_file_is_refused_and_nothing_is_stored(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    response = upload(client, cast, b"not a workbook at all")
    assert response.status_code == 400
    assert "文件无法读取" in response.content.decode()
    assert not PlanImport.objects.exists() and not WorkPlan.objects.exists()


def test_a_broken_xlsx_is_named_in_chinese_with_what_to_do(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    body = upload(client, cast, b"PK\x03\x04 broken").content.decode()
    assert "文件不是有效的 Excel（.xlsx）文件，可能已损坏或是其他格式" in body
    assert "请用 Excel 另存为 .xlsx 后重新上传" in body
    assert "zip" not in body.lower()


def test_a_file_with_problems_is_refused_with_row_and_column(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    response = upload(client, cast, BROKEN_CSV.encode(), "分解表.csv")
    assert response.status_code == 400
    problems = response.context["problems"]
    assert [(p.row, p.column) for p in problems] == [(2, "责任股室")]
    assert "没有填写责任股室" in response.content.decode()
    assert not PlanImport.objects.exists() and not WorkPlan.objects.exists()


def test_a_wrong_file_type_is_refused(cast: Cast) -> None:
    response = upload(client_for(cast.supervisor), cast, b"%PDF", "分解表.pdf")
    assert response.status_code == 400
    assert not PlanImport.objects.exists()


def test_a_csv_table_is_imported(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, CSV.encode(), "2026分解表.csv")
    imp = PlanImport.objects.get()
    page = client.get(reverse("workplan:import_preview", args=[imp.pk]))
    confirm(client, imp, defaults(page))
    plan = WorkPlan.objects.get()
    assert plan.tasks.count() == 2
    assert set(plan.tasks.values_list("lead_departments__name", flat=True)) == {"教育股"}


def test_an_import_cannot_be_applied_twice(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, CSV.encode(), "2026分解表.csv")
    imp = PlanImport.objects.get()
    choices = defaults(client.get(reverse("workplan:import_preview", args=[imp.pk])))
    confirm(client, imp, choices)
    again = confirm(client, imp, choices, year="2027")
    assert again.status_code == 302
    assert WorkPlan.objects.count() == 1
    assert Task.objects.count() == 2


def test_a_second_plan_for_the_same_year_is_refused(cast: Cast) -> None:
    WorkPlan.objects.create(county=cast.county, year=2026, title="已有")
    client = client_for(cast.supervisor)
    upload(client, cast, CSV.encode(), "2026分解表.csv")
    imp = PlanImport.objects.get()
    response = confirm(
        client, imp, defaults(client.get(reverse("workplan:import_preview", args=[imp.pk])))
    )
    assert response.status_code == 200
    assert "已有重点工作计划" in response.content.decode()
    assert WorkPlan.objects.count() == 1 and not Task.objects.exists()


@pytest.mark.parametrize("name", ["other_supervisor", "admin"])
def test_another_users_import_is_404(cast: Cast, name: str) -> None:
    imp = import_upload(cast.supervisor, cast.county, SimpleUploadedFile("a.csv", CSV.encode()))
    client = client_for(getattr(cast, name))
    assert client.get(reverse("workplan:import_preview", args=[imp.pk])).status_code == 404
    assert confirm(client, imp, {}).status_code == 404


def test_a_discarded_or_unknown_import_is_404(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    upload(client, cast, CSV.encode(), "a.csv")
    imp = PlanImport.objects.get()
    client.post(reverse("workplan:import_discard", args=[imp.pk]))
    assert PlanImport.objects.get().status == ImportStatus.DISCARDED
    assert client.get(reverse("workplan:import_preview", args=[imp.pk])).status_code == 404
    assert client.get(reverse("workplan:import_preview", args=[imp.pk + 99])).status_code == 404


@pytest.mark.parametrize("name", ["department_head", "leader", "inspector", "clerk_a", "nobody"])
def test_only_the_county_office_imports(cast: Cast, name: str) -> None:
    client = client_for(getattr(cast, name))
    assert client.get(reverse("workplan:import")).status_code == 403
    assert upload(client, cast, CSV.encode(), "a.csv").status_code == 403
    assert not PlanImport.objects.exists()


def test_the_office_cannot_import_for_another_county(cast: Cast) -> None:
    client = client_for(cast.other_supervisor)
    response = upload(client, cast, CSV.encode(), "a.csv")
    assert response.status_code == 200  # the county is not among the form's choices
    assert not PlanImport.objects.exists()


def test_anonymous_users_are_sent_to_log_in(cast: Cast) -> None:
    response = Client().get(reverse("workplan:import"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_the_import_page_offers_the_sample_table(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    page = client.get(reverse("workplan:import"))
    assert reverse("workplan:sample") in page.content.decode()
    sample = client.get(reverse("workplan:sample"))
    assert sample.status_code == 200
    assert b"".join(sample.streaming_content).startswith(b"PK")  # type: ignore[attr-defined]
