"""Writes of the key-task app: rounds, reports, notes, comments, task edits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from conftest import Cast
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from test_workplan_models import YEAR, PlanData, aware, make_plan, make_report, make_round

from dudao.workplan import services
from dudao.workplan.choices import ReportRole, ReportStatus, RoundStatus
from dudao.workplan.errors import ServiceError, StaleEdit
from dudao.workplan.models import Report, ReportFile, Round, TaskChange, TaskLight

NOW = aware(YEAR, 2, 10)


@pytest.fixture
def data(cast: Cast) -> PlanData:
    return make_plan(cast)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def save(cast: Cast, round_: Round, data: PlanData, **kwargs: Any) -> Report:
    values: dict[str, Any] = {"status": ReportStatus.IN_PROGRESS, "percent": 40, "now": NOW}
    user = kwargs.pop("user", cast.department_head)
    department = kwargs.pop("department", cast.department)
    task = kwargs.pop("task", data.task)
    return services.report_save(user, round_, task, department, **(values | kwargs))


# ---------------------------------------------------------------- rounds


def test_the_default_due_date_is_the_plans_cycle_later(data: PlanData) -> None:
    assert services.default_due_on(data.plan, date(YEAR, 1, 31)) == date(YEAR, 3, 31)
    data.plan.round_months = 1
    assert services.default_due_on(data.plan, date(YEAR, 1, 31)) == date(YEAR, 2, 28)
    assert services.add_months(date(YEAR, 12, 15), 2) == date(YEAR + 1, 2, 15)


def test_rounds_are_numbered_and_only_one_is_open(cast: Cast, data: PlanData) -> None:
    first = services.round_open(
        cast.supervisor,
        data.plan,
        opened_on=date(YEAR, 1, 5),
        today=date(YEAR, 1, 5),
        due_on=date(YEAR, 2, 28),
    )
    assert (first.number, first.title) == (1, "第1次调度")
    with pytest.raises(ServiceError, match="尚未结束"):
        services.round_open(
            cast.supervisor,
            data.plan,
            opened_on=date(YEAR, 3, 1),
            today=date(YEAR, 3, 1),
            due_on=date(YEAR, 4, 30),
        )
    services.round_close(cast.supervisor, first, version=first.version, now=NOW)
    second = services.round_open(
        cast.supervisor,
        data.plan,
        opened_on=date(YEAR, 3, 1),
        today=date(YEAR, 3, 1),
        due_on=date(YEAR, 4, 30),
    )
    assert second.number == 2


def test_a_due_date_before_the_start_is_refused(cast: Cast, data: PlanData) -> None:
    with pytest.raises(ServiceError, match="不能早于"):
        services.round_open(
            cast.supervisor,
            data.plan,
            opened_on=date(YEAR, 3, 1),
            today=date(YEAR, 3, 1),
            due_on=date(YEAR, 2, 1),
        )
    assert not Round.objects.exists()


@pytest.mark.parametrize("name", ["leader", "department_head", "other_supervisor"])
def test_only_the_county_office_opens_and_closes_rounds(
    cast: Cast, data: PlanData, name: str
) -> None:
    user = getattr(cast, name)
    with pytest.raises(PermissionDenied):
        services.round_open(
            user,
            data.plan,
            opened_on=date(YEAR, 1, 1),
            today=date(YEAR, 1, 1),
            due_on=date(YEAR, 2, 1),
        )
    round_ = make_round(data.plan)
    with pytest.raises(PermissionDenied):
        services.round_close(user, round_, version=round_.version, now=NOW)


def test_closing_a_round_keeps_every_tasks_light(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    make_report(round_, data.task, cast, status=ReportStatus.LAGGING)
    closed = services.round_close(cast.supervisor, round_, version=1, now=NOW)
    assert closed.status == RoundStatus.CLOSED and closed.version == 2
    lights = {x.task_id: (x.light, x.reason) for x in TaskLight.objects.filter(round=round_)}
    assert lights == {
        data.task.pk: ("red", "自报滞后"),
        data.other_task.pk: (
            "green",
            "按计划推进",
        ),  # 10 February: 0% vs 10% expected, within the margin
    }


def test_a_stale_close_is_refused_and_nothing_kept(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    with pytest.raises(StaleEdit, match="该记录已被他人修改"):
        services.round_close(cast.supervisor, round_, version=0, now=NOW)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN and not TaskLight.objects.exists()


def test_a_closed_round_cannot_be_closed_again(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    services.round_close(cast.supervisor, round_, version=1, now=NOW)
    with pytest.raises(ServiceError, match="已结束"):
        services.round_close(cast.supervisor, round_, version=2, now=NOW)


# ---------------------------------------------------------------- reports


def test_the_lead_department_reports_and_keeps_its_first_hand_in_time(
    cast: Cast, data: PlanData
) -> None:
    round_ = make_round(data.plan, due_on=date(YEAR, 2, 28))
    report = save(cast, round_, data, done="已部署", now=aware(YEAR, 2, 20))
    assert (report.role, report.percent, report.version) == (ReportRole.LEAD, 40, 1)
    updated = save(cast, round_, data, percent=70, version=1, now=aware(YEAR, 3, 5))
    assert updated.pk == report.pk and updated.percent == 70 and updated.version == 2
    assert updated.submitted_at == aware(YEAR, 2, 20)
    assert not updated.late


def test_a_report_handed_in_after_the_due_date_is_late(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan, due_on=date(YEAR, 2, 28))
    assert save(cast, round_, data, now=aware(YEAR, 3, 1)).late


def test_a_stale_report_edit_is_refused(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    save(cast, round_, data)
    save(cast, round_, data, percent=50, version=1)
    with pytest.raises(StaleEdit):
        save(cast, round_, data, percent=90, version=1)
    with pytest.raises(StaleEdit):
        save(cast, round_, data, task=data.task, version=5)
    assert Report.objects.get().percent == 50


def test_a_co_department_reports_its_part_without_a_percentage(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    report = save(
        cast,
        round_,
        data,
        user=cast.other_department_head,
        department=cast.other_department,
        percent=None,
        done="配合完成师资调配",
    )
    assert (report.role, report.percent) == (ReportRole.CO, None)


def test_the_lead_department_must_give_a_percentage(cast: Cast, data: PlanData) -> None:
    with pytest.raises(ServiceError) as refused:
        save(cast, make_round(data.plan), data, percent=None)
    assert "percent" in refused.value.errors
    assert not Report.objects.exists()


def test_a_department_cannot_report_on_another_departments_task(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    with pytest.raises(PermissionDenied):
        save(cast, round_, data, task=data.other_task)  # 教育股 neither leads nor helps
    with pytest.raises(PermissionDenied):
        save(cast, round_, data, department=cast.other_department)  # not the user's department
    with pytest.raises(PermissionDenied):
        save(cast, round_, data, user=cast.supervisor)
    assert not Report.objects.exists()


def test_a_closed_round_refuses_reports(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    services.round_close(cast.supervisor, round_, version=1, now=NOW)
    with pytest.raises(ServiceError, match="已结束"):
        save(cast, round_, data)
    assert not Report.objects.exists()


def test_done_means_one_hundred_percent(cast: Cast, data: PlanData) -> None:
    with pytest.raises(ServiceError):
        save(cast, make_round(data.plan), data, status=ReportStatus.DONE, percent=90)


def test_evidence_files_are_kept_with_the_report(cast: Cast, data: PlanData) -> None:
    file = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes")
    report = save(cast, make_round(data.plan), data, files=[file])
    stored = ReportFile.objects.get()
    assert (stored.report, stored.name, stored.size) == (report, "会议纪要.pdf", 16)


def test_an_evidence_file_of_a_refused_type_saves_nothing(cast: Cast, data: PlanData) -> None:
    file = SimpleUploadedFile("病毒.exe", b"MZ")
    with pytest.raises(ServiceError, match="“病毒\\.exe”的类型不支持"):
        save(cast, make_round(data.plan), data, files=[file])
    assert not Report.objects.exists() and not ReportFile.objects.exists()


def test_an_evidence_file_whose_content_is_not_its_type_saves_nothing(
    cast: Cast, data: PlanData
) -> None:
    file = SimpleUploadedFile("纪要.pdf", b"MZ\x90\x00")
    with pytest.raises(ServiceError, match="“纪要\\.pdf”的内容与扩展名不符"):
        save(cast, make_round(data.plan), data, files=[file])
    assert not Report.objects.exists() and not ReportFile.objects.exists()


def test_an_evidence_file_over_the_limit_is_refused(
    cast: Cast, data: PlanData, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 10
    file = SimpleUploadedFile("大.pdf", b"x" * 11)
    with pytest.raises(ServiceError, match="文件过大"):
        save(cast, make_round(data.plan), data, files=[file])
    assert not Report.objects.exists()


# ---------------------------------------------------------------- supervision and edits


def test_only_the_office_writes_supervision_notes(cast: Cast, data: PlanData) -> None:
    note = services.note_add(cast.supervisor, data.task, text="进度偏慢，请加快", critical=True)
    assert note.critical
    for user in (cast.leader, cast.department_head, cast.other_supervisor):
        with pytest.raises(PermissionDenied):
            services.note_add(user, data.task, text="x")


def test_only_leaders_comment_and_only_on_the_tasks_reports(cast: Cast, data: PlanData) -> None:
    round_ = make_round(data.plan)
    report = make_report(round_, data.task, cast)
    comment = services.comment_add(cast.leader, data.task, text="抓紧推进", report=report)
    assert comment.report == report
    with pytest.raises(ServiceError):
        services.comment_add(cast.leader, data.other_task, text="x", report=report)
    with pytest.raises(PermissionDenied):
        services.comment_add(cast.supervisor, data.task, text="x")


def test_a_task_edit_is_recorded_field_by_field(cast: Cast, data: PlanData) -> None:
    task = services.task_update(
        cast.supervisor, data.task, version=1, deadline=date(YEAR, 6, 30), targets="覆盖100%"
    )
    assert task.version == 2
    changes = {(c.field, c.old, c.new) for c in TaskChange.objects.all()}
    assert changes == {("完成时限", "", f"{YEAR}-06-30"), ("目标要求", "", "覆盖100%")}


def test_a_stale_task_edit_is_refused(cast: Cast, data: PlanData) -> None:
    services.task_update(cast.supervisor, data.task, version=1, targets="a")
    with pytest.raises(StaleEdit):
        services.task_update(cast.supervisor, data.task, version=1, targets="b")
    data.task.refresh_from_db()
    assert data.task.targets == "a" and TaskChange.objects.count() == 1


def test_a_deadline_before_the_start_is_refused(cast: Cast, data: PlanData) -> None:
    with pytest.raises(ServiceError):
        services.task_update(
            cast.supervisor,
            data.task,
            version=1,
            start=date(YEAR, 5, 1),
            deadline=date(YEAR, 4, 1),
        )
    assert not TaskChange.objects.exists()


def test_only_the_office_edits_tasks(cast: Cast, data: PlanData) -> None:
    with pytest.raises(PermissionDenied):
        services.task_update(cast.leader, data.task, version=1, targets="x")
