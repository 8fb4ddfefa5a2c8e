"""Pages of rounds and reports: who sees, who opens and closes, who reports."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest
from conftest import Cast
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from test_workplan_import import client_for
from test_workplan_models import (
    YEAR,
    PlanData,
    aware,
    make_plan,
    make_report,
    make_round,
    more_tasks,
)

from dudao.workplan.choices import ReportRole, RoundStatus
from dudao.workplan.models import Report, ReportFile, Round, TaskLight
from dudao.workplan.services import add_months


@pytest.fixture
def data(cast: Cast) -> PlanData:
    return make_plan(cast)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def open_round(data: PlanData) -> Round:
    today = timezone.localdate()
    return Round.objects.create(
        plan=data.plan, number=1, title="第1次调度", opened_on=today, due_on=today
    )


REPORT = {"version": "0", "status": "in_progress", "percent": "35", "done": "已部署"}


@pytest.mark.parametrize(
    "name", ["admin", "supervisor", "leader", "department_head", "city_reviewer"]
)
def test_the_countys_people_see_the_round(cast: Cast, data: PlanData, name: str) -> None:
    round_ = make_round(data.plan)
    make_report(round_, data.task, cast)
    response = client_for(getattr(cast, name)).get(reverse("workplan:round", args=[round_.pk]))
    assert response.status_code == 200
    assert "规范办学行为" in response.content.decode()


@pytest.mark.parametrize("name", ["other_supervisor", "inspector", "clerk_a", "nobody"])
def test_others_get_404_for_the_round(cast: Cast, data: PlanData, name: str) -> None:
    round_ = make_round(data.plan)
    response = client_for(getattr(cast, name)).get(reverse("workplan:round", args=[round_.pk]))
    assert response.status_code == 404


def test_the_round_page_marks_late_and_missing_reports(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan, due_on=date(YEAR, 2, 28))
    make_report(round_, data.task, cast, submitted_at=aware(YEAR, 3, 2))
    text = client_for(cast.supervisor).get(reverse("workplan:round", args=[round_.pk])).content
    page = text.decode()
    assert "逾期" in page and "未报送" in page
    assert (
        "应报送 3 份（牵头报送 2 份、协办报送 1 份） · 已报送 1 份（其中逾期 1 份） · 未报送 2 份"
        in page
    )


def test_the_round_page_names_the_light_in_words_and_the_task_with_its_category(
    cast: Cast, data: PlanData
) -> None:
    round_ = make_round(data.plan, due_on=date(YEAR, 2, 28))
    make_report(round_, data.task, cast, status="lagging")
    page = client_for(cast.supervisor).get(reverse("workplan:round", args=[round_.pk]))
    text = page.content.decode()
    assert "<strong>红灯</strong> 自报滞后" in text
    assert "抓常规第1项" in text


def test_the_round_page_has_a_bounded_number_of_queries(
    cast: Cast, data: PlanData, django_assert_max_num_queries: Any
) -> None:
    more_tasks(data, cast, 20)
    round_ = make_round(data.plan)
    for task in data.plan.tasks.all():
        make_report(round_, task, cast)
        make_report(round_, task, cast, role=ReportRole.CO)
    client = client_for(cast.supervisor)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("workplan:round", args=[round_.pk])).status_code == 200


def test_anonymous_users_are_sent_to_log_in(data: PlanData) -> None:
    round_ = make_round(data.plan)
    for url in [
        reverse("workplan:round", args=[round_.pk]),
        reverse("workplan:report", args=[round_.pk, data.task.pk]),
    ]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_the_office_opens_a_round_with_the_default_due_date(cast: Cast, data: PlanData) -> None:
    today = timezone.localdate()
    response = client_for(cast.supervisor).post(
        reverse("workplan:round_open", args=[data.plan.pk]), {"opened_on": today.isoformat()}
    )
    round_ = Round.objects.get()
    assert response.status_code == 302
    year_end = date(data.plan.year, 12, 31)  # the default never leaves the plan's year
    assert (round_.opened_on, round_.due_on) == (today, min(add_months(today, 2), year_end))


def test_the_office_may_set_another_due_date(cast: Cast, data: PlanData) -> None:
    today = timezone.localdate()
    due = today + timedelta(days=20)
    client_for(cast.supervisor).post(
        reverse("workplan:round_open", args=[data.plan.pk]),
        {"opened_on": today.isoformat(), "due_on": due.isoformat(), "title": "第1次调度（1—2月）"},
    )
    round_ = Round.objects.get()
    assert (round_.due_on, round_.title) == (due, "第1次调度（1—2月）")


def test_a_leader_cannot_open_a_round_and_another_county_gets_404(
    cast: Cast, data: PlanData
) -> None:
    url = reverse("workplan:round_open", args=[data.plan.pk])
    assert client_for(cast.leader).post(url, {"opened_on": f"{YEAR}-01-31"}).status_code == 403
    other = client_for(cast.other_supervisor).post(url, {"opened_on": f"{YEAR}-01-31"})
    assert other.status_code == 404
    assert not Round.objects.exists()


def test_the_office_closes_a_round_and_lights_are_kept(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    url = reverse("workplan:round_close", args=[round_.pk])
    assert client_for(cast.leader).post(url, {"version": "1"}).status_code == 403
    response = client_for(cast.supervisor).post(url, {"version": "1"})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    assert TaskLight.objects.filter(round=round_).count() == 2


def test_a_stale_close_shows_the_conflict(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    client = client_for(cast.supervisor)
    response = client.post(
        reverse("workplan:round_close", args=[round_.pk]), {"version": "0"}, follow=True
    )
    assert "该记录已被他人修改" in response.content.decode()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_the_lead_department_reports_through_the_form(cast: Cast, data: PlanData) -> None:
    round_ = open_round(data)
    client = client_for(cast.department_head)
    url = reverse("workplan:report", args=[round_.pk, data.task.pk])
    page = client.get(url)
    assert page.status_code == 200 and "牵头股室" in page.content.decode()
    file = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan")
    response = client.post(url, REPORT | {"files": [file]})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.department, report.percent, report.role) == (cast.department, 35, "lead")
    assert ReportFile.objects.get().name == "方案.pdf"


def test_a_co_department_reports_its_part(cast: Cast, data: PlanData) -> None:
    round_ = open_round(data)
    client = client_for(cast.other_department_head)
    url = reverse("workplan:report", args=[round_.pk, data.task.pk])
    assert "协办股室" in client.get(url).content.decode()
    client.post(url, REPORT | {"percent": ""})
    report = Report.objects.get()
    assert (report.department, report.role, report.percent) == (
        cast.other_department,
        "co",
        None,
    )


@pytest.mark.parametrize("name", ["supervisor", "leader", "city_reviewer"])
def test_people_without_a_department_on_the_task_cannot_report(
    cast: Cast, data: PlanData, name: str
) -> None:
    round_ = open_round(data)
    url = reverse("workplan:report", args=[round_.pk, data.task.pk])
    client = client_for(getattr(cast, name))
    assert client.get(url).status_code == 403
    assert client.post(url, REPORT).status_code == 403
    assert not Report.objects.exists()


def test_a_department_reporting_on_another_departments_task_gets_403(
    cast: Cast, data: PlanData
) -> None:
    round_ = open_round(data)
    url = reverse("workplan:report", args=[round_.pk, data.other_task.pk])
    assert client_for(cast.department_head).post(url, REPORT).status_code == 403
    assert not Report.objects.exists()


def test_another_countys_round_or_task_is_404(cast: Cast, data: PlanData) -> None:
    round_ = open_round(data)
    client = client_for(cast.department_head)
    url = reverse("workplan:report", args=[round_.pk, data.other_plan_task.pk])
    assert client.get(url).status_code == 404
    other_round = make_round(data.other_plan)
    url = reverse("workplan:report", args=[other_round.pk, data.task.pk])
    assert client.get(url).status_code == 404


def test_a_closed_round_shows_no_form_and_refuses_reports(cast: Cast, data: PlanData) -> None:
    round_ = open_round(data)
    round_.status = RoundStatus.CLOSED
    round_.save()
    client = client_for(cast.department_head)
    url = reverse("workplan:report", args=[round_.pk, data.task.pk])
    assert "该调度已结束" in client.get(url).content.decode()
    response = client.post(url, REPORT)
    assert response.status_code == 200 and "该调度已结束" in response.content.decode()
    assert not Report.objects.exists()


def test_a_stale_report_form_is_refused(cast: Cast, data: PlanData) -> None:
    round_ = open_round(data)
    client = client_for(cast.department_head)
    url = reverse("workplan:report", args=[round_.pk, data.task.pk])
    client.post(url, REPORT)
    response = client.post(url, REPORT | {"percent": "80"})  # still version 0
    assert "该记录已被他人修改" in response.content.decode()
    assert Report.objects.get().percent == 35


def test_evidence_files_are_readable_in_the_county_only(cast: Cast, data: PlanData) -> None:
    round_ = open_round(data)
    client_for(cast.department_head).post(
        reverse("workplan:report", args=[round_.pk, data.task.pk]),
        REPORT | {"files": [SimpleUploadedFile("纪要.pdf", b"%PDF-1.4")]},
    )
    url = reverse("workplan:report_file", args=[ReportFile.objects.get().pk])
    assert client_for(cast.leader).get(url).status_code == 200
    assert client_for(cast.other_supervisor).get(url).status_code == 404
    assert client_for(cast.clerk_a).get(url).status_code == 404


def test_the_report_form_starts_from_the_last_rounds_report(cast: Cast, data: PlanData) -> None:
    first = make_round(data.plan, 1)
    make_report(first, data.task, cast, percent=55)
    first.status = RoundStatus.CLOSED
    first.save()
    today = timezone.localdate()
    second = Round.objects.create(
        plan=data.plan, number=2, title="第2次调度", opened_on=today, due_on=today
    )
    client = client_for(cast.department_head)
    response = client.get(reverse("workplan:report", args=[second.pk, data.task.pk]))
    assert response.context["form"].initial["percent"] == 55
    assert "上次报送（第1次调度）" in response.content.decode()


def test_the_round_exports_every_expected_report_as_xlsx(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan, due_on=date(YEAR, 2, 28))
    make_report(round_, data.task, cast, percent=35, submitted_at=aware(YEAR, 3, 2))
    client = client_for(cast.leader)
    response = client.get(reverse("workplan:round", args=[round_.pk]), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    lines = [(r[3], r[4], r[5], r[6], r[11]) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert lines == [
        ("教育股", "牵头", "推进中", 35, "是"),
        ("人事股", "协办", "未报送", None, None),
        ("人事股", "牵头", "未报送", None, None),
    ]
