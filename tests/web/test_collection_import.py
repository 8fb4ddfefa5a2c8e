"""County workbook import (all-or-nothing) and evidence files of county items."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from conftest import Cast
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings

from dudao.collection import services
from dudao.collection.choices import ChangeAction, SubmissionStatus
from dudao.collection.models import Change, Evidence, Submission
from dudao.engine.spec import load_framework
from dudao.engine.tables import write_template
from dudao.orgs.models import Institution

FW = load_framework("yzjh-2017")


def school(institution: Institution, **figures: float | None) -> dict[str, object]:
    """A workbook row: the school's info columns and the given figures."""
    return {
        "school_code": institution.code,
        "school_name": institution.name,
        "county": str(institution.county),
        "school_type": institution.school_type,
        "ownership": institution.ownership,
        **figures,
    }


def workbook(tmp_path: Path, rows: list[dict[str, object]]) -> SimpleUploadedFile:
    """An uploaded .xlsx made by the engine's template writer."""
    info = ("school_code", "school_name", "county", "school_type", "ownership")
    keys = list(dict.fromkeys(k for r in rows for k in r))
    schema = {k: pl.String if k in info else pl.Float64 for k in keys}
    frame = pl.DataFrame([{k: r.get(k) for k in keys} for r in rows], schema=schema)
    path = tmp_path / "青川县.xlsx"
    write_template(FW, path, schools=frame)
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_an_import_creates_submitted_submissions_attributed_to_the_uploader(
    cast: Cast, tmp_path: Path
) -> None:
    rows = [
        school(cast.school_a, students_primary=600, teaching_area=3000.5),
        school(cast.school_b, students_junior=800, multimedia_rooms=20),
    ]
    result = services.county_import(cast.supervisor, cast.period, workbook(tmp_path, rows))
    assert (result.created, result.updated) == (2, 0)
    a = Submission.objects.get(institution=cast.school_a)
    assert a.status == SubmissionStatus.SUBMITTED
    assert a.updated_by == cast.supervisor
    assert a.values == {"students_primary": 600, "teaching_area": 3000.5}
    lines = Change.objects.filter(submission=a, action=ChangeAction.IMPORT)
    assert {c.field for c in lines} == {"", "students_primary", "teaching_area"}
    assert all(c.user == cast.supervisor for c in lines)
    assert "第 3 行" in lines.get(field="").comment


def test_an_import_updates_a_draft_field_by_field(cast: Cast, tmp_path: Path) -> None:
    draft = services.submission_save(
        cast.clerk_a, (cast.period, cast.school_a), {"students_primary": 500}, 0
    )
    rows = [school(cast.school_a, students_primary=600)]
    result = services.county_import(cast.supervisor, cast.period, workbook(tmp_path, rows))
    assert result.updated == 1
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.SUBMITTED and draft.version == 2
    line = Change.objects.get(
        submission=draft, action=ChangeAction.IMPORT, field="students_primary"
    )
    assert (line.old, line.new) == (500, 600)


def test_a_workbook_with_bad_rows_writes_nothing_and_lists_every_error(
    cast: Cast, tmp_path: Path
) -> None:
    rows = [
        school(cast.school_a, students_primary=600),
        school(cast.school_b, students_junior=-5, multimedia_rooms=1.5),
    ]
    with pytest.raises(services.ImportFailed) as caught:
        services.county_import(cast.supervisor, cast.period, workbook(tmp_path, rows))
    found = {(e.row, e.column, e.reason) for e in caught.value.problems}
    assert found == {
        (4, "在校学生数（初中）（人）", "不能为负数"),
        (4, "网络多媒体教室数（间）", "应为整数"),
    }
    assert not Submission.objects.exists()
    assert not Change.objects.exists()


def test_a_code_of_the_other_county_is_refused_naming_its_row(cast: Cast, tmp_path: Path) -> None:
    rows = [
        school(cast.school_a, students_primary=600),
        school(cast.school_c, students_primary=300),
        {**school(cast.school_b, students_junior=10), "school_code": "9999999999"},
    ]
    with pytest.raises(services.ImportFailed) as caught:
        services.county_import(cast.supervisor, cast.period, workbook(tmp_path, rows))
    problems = caught.value.problems
    assert [(e.row, e.column, e.value) for e in problems] == [
        (4, "学校标识码", cast.school_c.code),
        (5, "学校标识码", "9999999999"),
    ]
    assert "不是青川县的学校" in str(problems[0])
    assert "第 4 行" in str(problems[0])
    assert not Submission.objects.exists()


def test_approved_submissions_are_not_overwritten(cast: Cast, tmp_path: Path) -> None:
    rows = [school(cast.school_a, students_primary=600)]
    services.county_import(cast.supervisor, cast.period, workbook(tmp_path, rows))
    approved = Submission.objects.get(institution=cast.school_a)
    services.submission_approve(cast.supervisor, approved, approved.version)
    rows = [school(cast.school_a, students_primary=700), school(cast.school_b, students_junior=9)]
    with pytest.raises(services.ImportFailed) as caught:
        services.county_import(cast.supervisor, cast.period, workbook(tmp_path, rows))
    assert [e.row for e in caught.value.problems] == [3]
    assert "审核通过" in caught.value.problems[0].reason
    approved.refresh_from_db()
    assert approved.values == {"students_primary": 600}
    assert not Submission.objects.filter(institution=cast.school_b).exists()


def test_a_school_type_other_than_registered_is_refused(cast: Cast, tmp_path: Path) -> None:
    rows = [{**school(cast.school_a, students_junior=100), "school_type": "初中"}]
    with pytest.raises(services.ImportFailed) as caught:
        services.county_import(cast.supervisor, cast.period, workbook(tmp_path, rows))
    assert caught.value.problems[0].column == "学校类型"


def test_rows_without_figures_are_skipped(cast: Cast, tmp_path: Path) -> None:
    rows = [school(cast.school_a, students_primary=600), school(cast.school_b)]
    result = services.county_import(cast.supervisor, cast.period, workbook(tmp_path, rows))
    assert (result.created, result.skipped) == (1, 1)


def test_only_the_county_office_imports(cast: Cast, tmp_path: Path) -> None:
    upload = workbook(tmp_path, [school(cast.school_a, students_primary=1)])
    for user in (cast.leader, cast.city_reviewer, cast.other_supervisor, cast.clerk_a):
        with pytest.raises(PermissionDenied):
            services.county_import(user, cast.period, upload)


def test_a_file_that_is_not_a_workbook_is_reported(cast: Cast) -> None:
    upload = SimpleUploadedFile("数据.txt", b"hello")
    with pytest.raises(services.ImportFailed) as caught:
        services.county_import(cast.supervisor, cast.period, upload)
    assert "不支持的文件类型" in caught.value.problems[0].reason


# ---------------------------------------------------------------- evidence


@pytest.fixture
def county_items(cast: Cast, settings: Settings, tmp_path: Path) -> Submission:
    settings.MEDIA_ROOT = tmp_path / "media"
    return services.submission_save(cast.supervisor, (cast.period, None), {}, 0)


def test_evidence_is_attached_and_recorded(cast: Cast, county_items: Submission) -> None:
    upload = SimpleUploadedFile("布局规划.pdf", b"%PDF-1.4 test")
    evidence = services.evidence_add(cast.supervisor, county_items, "layout_reasonable", upload)
    assert (evidence.name, evidence.size, evidence.uploaded_by) == (
        "布局规划.pdf",
        13,
        cast.supervisor,
    )
    line = Change.objects.get(submission=county_items, action=ChangeAction.UPLOAD)
    assert (line.field, line.new) == ("layout_reasonable", "布局规划.pdf")


def test_evidence_of_a_wrong_type_or_too_large_is_refused(
    cast: Cast, county_items: Submission, settings: Settings
) -> None:
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(services.ServiceError, match="文件类型"):
        services.evidence_add(
            cast.supervisor, county_items, "layout_reasonable", SimpleUploadedFile("a.exe", b"x")
        )
    with pytest.raises(services.ServiceError, match="文件过大"):
        services.evidence_add(
            cast.supervisor,
            county_items,
            "layout_reasonable",
            SimpleUploadedFile("a.pdf", b"x" * 11),
        )
    with pytest.raises(services.ServiceError, match=r"“a\.pdf”的内容与扩展名不符"):
        services.evidence_add(
            cast.supervisor, county_items, "layout_reasonable", SimpleUploadedFile("a.pdf", b"MZ")
        )
    with pytest.raises(services.ServiceError, match="指标"):
        services.evidence_add(
            cast.supervisor, county_items, "nonsense", SimpleUploadedFile("a.pdf", b"x")
        )
    assert not Evidence.objects.exists()


def test_only_the_county_office_uploads_evidence(cast: Cast, county_items: Submission) -> None:
    with pytest.raises(PermissionDenied):
        services.evidence_add(
            cast.leader, county_items, "layout_reasonable", SimpleUploadedFile("a.pdf", b"x")
        )
