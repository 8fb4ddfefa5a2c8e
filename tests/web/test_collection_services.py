"""Collection services: drafts, submit, return, approve, reopen, stale edits, periods."""

from __future__ import annotations

import pytest
from conftest import Cast
from django.core.exceptions import PermissionDenied

from dudao.collection import selectors, services
from dudao.collection.choices import ChangeAction, PeriodStatus, SubmissionStatus
from dudao.collection.models import Change, Period, Submission

FIGURES = {
    "students_primary": 600,
    "teachers_primary": 40,
    "teaching_area": 3000.5,
    "sports_area": 5000,
    "equipment_value": 1200000,
    "multimedia_rooms": 18,
}


def draft(cast: Cast, **values: object) -> Submission:
    """School A's draft saved by its clerk."""
    return services.submission_save(
        cast.clerk_a, (cast.period, cast.school_a), values or FIGURES, 0
    )


def submitted(cast: Cast) -> Submission:
    submission = draft(cast)
    return services.submission_submit(cast.clerk_a, submission, submission.version)


def test_a_first_save_creates_a_draft_with_one_change_per_field(cast: Cast) -> None:
    submission = draft(cast)
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.version == 1
    assert submission.values == FIGURES
    assert submission.updated_by == cast.clerk_a
    changes = Change.objects.filter(submission=submission, action=ChangeAction.SAVE)
    assert {c.field for c in changes} == set(FIGURES)


def test_a_later_save_records_only_changed_fields_old_to_new(cast: Cast) -> None:
    submission = draft(cast)
    values = {**FIGURES, "students_primary": 650, "teachers_primary": 40.0}
    services.submission_save(cast.clerk_a, submission, values, submission.version)
    submission.refresh_from_db()
    assert submission.version == 2
    latest = Change.objects.filter(submission=submission).order_by("-pk")[0]
    assert (latest.field, latest.old, latest.new) == ("students_primary", 600, 650)
    assert Change.objects.filter(submission=submission).count() == len(FIGURES) + 1


def test_blanking_a_value_removes_it_and_is_recorded(cast: Cast) -> None:
    submission = draft(cast)
    services.submission_save(cast.clerk_a, submission, {"sports_area": None}, 1)
    submission.refresh_from_db()
    assert "sports_area" not in submission.values
    line = Change.objects.filter(submission=submission, field="sports_area").last()
    assert (line.old, line.new) == (5000, None)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("teaching_area", -1, "不能为负数"),
        ("students_primary", 12.5, "应为整数"),
        ("sports_area", "很多", "应为数字"),
        ("students_junior", 30, "该校不开设初中学段，应留空"),
        ("no_such_field", 1, "不是本表的字段"),
    ],
)
def test_invalid_values_are_refused_per_field_and_nothing_is_written(
    cast: Cast, field: str, value: object, reason: str
) -> None:
    with pytest.raises(services.ServiceError) as caught:
        draft(cast, **{**FIGURES, field: value})
    assert caught.value.errors == {field: reason}
    assert not Submission.objects.exists()
    assert not Change.objects.exists()


def test_a_blank_unserved_level_is_accepted(cast: Cast) -> None:
    submission = draft(cast, **{**FIGURES, "students_junior": None})
    assert "students_junior" not in submission.values


def test_another_school_s_clerk_cannot_save(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.submission_save(cast.clerk_b, (cast.period, cast.school_a), FIGURES, 0)


def test_a_stale_version_is_refused_and_nothing_is_overwritten(cast: Cast) -> None:
    submission = draft(cast)
    services.submission_save(cast.principal_a, submission, {"students_primary": 610}, 1)
    with pytest.raises(services.StaleEdit) as caught:
        services.submission_save(cast.clerk_a, submission, {"students_primary": 999}, 1)
    assert str(caught.value) == "该数据已被他人修改，请刷新后再改"
    submission.refresh_from_db()
    assert submission.values["students_primary"] == 610
    assert submission.version == 2
    assert not Change.objects.filter(new=999).exists()


def test_a_second_first_save_is_stale_when_someone_created_it_meanwhile(cast: Cast) -> None:
    draft(cast)
    with pytest.raises(services.StaleEdit):
        services.submission_save(cast.principal_a, (cast.period, cast.school_a), FIGURES, 0)


def test_submit_then_edit_is_refused(cast: Cast) -> None:
    submission = submitted(cast)
    assert submission.status == SubmissionStatus.SUBMITTED
    with pytest.raises(services.ServiceError, match="已提交"):
        services.submission_save(cast.clerk_a, submission, {"students_primary": 1}, 2)
    submission.refresh_from_db()
    assert submission.values["students_primary"] == 600


def test_submit_needs_the_required_fields(cast: Cast) -> None:
    submission = draft(cast, students_primary=600)
    with pytest.raises(services.ServiceError, match="必填项") as caught:
        services.submission_submit(cast.clerk_a, submission, 1)
    assert "teaching_area" in caught.value.errors
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_submit_with_values_saves_and_submits_at_once(cast: Cast) -> None:
    submission = services.submission_submit(
        cast.clerk_a, (cast.period, cast.school_a), 0, values=FIGURES
    )
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.values == FIGURES


def test_return_without_any_comment_is_refused(cast: Cast) -> None:
    submission = submitted(cast)
    with pytest.raises(services.ServiceError, match="退回意见"):
        services.submission_return(cast.supervisor, submission, {"teaching_area": "  "}, "", 2)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_return_records_one_line_per_commented_field(cast: Cast) -> None:
    submission = submitted(cast)
    comments = {"teaching_area": "面积与上年差距过大，请核实", "sports_area": ""}
    services.submission_return(cast.supervisor, submission, comments, "请核对面积", 2)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    lines = Change.objects.filter(submission=submission, action=ChangeAction.RETURN)
    assert {(c.field, c.comment) for c in lines} == {
        ("", "请核对面积"),
        ("teaching_area", "面积与上年差距过大，请核实"),
    }
    general, per_field = selectors.return_comments([submission])[submission.pk]
    assert general == "请核对面积"
    assert per_field == {"teaching_area": "面积与上年差距过大，请核实"}


def test_a_returned_submission_can_be_corrected_and_submitted_again(cast: Cast) -> None:
    submission = submitted(cast)
    services.submission_return(cast.supervisor, submission, {}, "请核对", 2)
    services.submission_save(cast.clerk_a, submission, {"teaching_area": 3100}, 3)
    again = services.submission_submit(cast.clerk_a, submission, 4)
    assert again.status == SubmissionStatus.SUBMITTED


def test_approve_locks_the_values(cast: Cast) -> None:
    submission = submitted(cast)
    services.submission_approve(cast.city_reviewer, submission, 2)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
    with pytest.raises(services.ServiceError, match="锁定"):
        services.submission_save(cast.clerk_a, submission, {"students_primary": 1}, 3)


def test_a_leader_in_scope_cannot_approve_or_return(cast: Cast) -> None:
    submission = submitted(cast)
    with pytest.raises(PermissionDenied):
        services.submission_approve(cast.leader, submission, 2)
    with pytest.raises(PermissionDenied):
        services.submission_return(cast.leader, submission, {}, "不行", 2)


def test_approving_a_draft_is_refused(cast: Cast) -> None:
    submission = draft(cast)
    with pytest.raises(services.ServiceError, match="已提交"):
        services.submission_approve(cast.supervisor, submission, 1)


def test_approve_with_a_stale_version_is_refused(cast: Cast) -> None:
    submission = submitted(cast)
    with pytest.raises(services.StaleEdit):
        services.submission_approve(cast.supervisor, submission, 1)


def test_reopen_is_recorded_and_sends_the_data_back(cast: Cast) -> None:
    submission = submitted(cast)
    services.submission_approve(cast.supervisor, submission, 2)
    services.submission_reopen(cast.supervisor, submission, "学生数需按新学籍更正")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    line = Change.objects.get(submission=submission, action=ChangeAction.REOPEN)
    assert (line.user, line.comment) == (cast.supervisor, "学生数需按新学籍更正")
    assert selectors.return_comments([submission])[submission.pk][0] == "学生数需按新学籍更正"


def test_only_the_county_office_reopens_and_needs_a_reason(cast: Cast) -> None:
    submission = submitted(cast)
    services.submission_approve(cast.supervisor, submission, 2)
    with pytest.raises(PermissionDenied):
        services.submission_reopen(cast.city_reviewer, submission, "更正")
    with pytest.raises(services.ServiceError, match="原因"):
        services.submission_reopen(cast.supervisor, submission, " ")


def test_the_county_office_opens_and_closes_periods(cast: Cast) -> None:
    period = services.period_open(cast.supervisor, cast.county, "2027学年", "yzjh-2017")
    assert period.status == PeriodStatus.OPEN
    closed = services.period_close(cast.supervisor, period)
    assert closed.status == PeriodStatus.CLOSED and closed.closed_at is not None
    with pytest.raises(services.ServiceError, match="已关闭"):
        services.period_close(cast.supervisor, period)


def test_opening_periods_is_refused_to_others_and_for_duplicates(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.period_open(cast.leader, cast.county, "2027学年", "yzjh-2017")
    with pytest.raises(PermissionDenied):
        services.period_open(cast.other_supervisor, cast.county, "2027学年", "yzjh-2017")
    with pytest.raises(services.ServiceError, match="已有"):
        services.period_open(cast.supervisor, cast.county, "2026学年", "yzjh-2017")
    with pytest.raises(services.ServiceError, match="指标体系"):
        services.period_open(cast.supervisor, cast.county, "2027学年", "no-such")
    assert Period.objects.count() == 2


def test_a_closed_period_refuses_saving(cast: Cast) -> None:
    submission = draft(cast)
    services.period_close(cast.supervisor, cast.period)
    submission.refresh_from_db()
    with pytest.raises(services.ServiceError, match="已关闭"):
        services.submission_save(cast.clerk_a, submission, {"students_primary": 1}, 1)


def test_county_items_take_numbers_and_yes_no(cast: Cast) -> None:
    values = {"recognition_rate": 92.5, "veto_exam_admission": False, "layout_reasonable": True}
    submission = services.submission_save(cast.supervisor, (cast.period, None), values, 0)
    assert submission.is_county_items
    assert submission.values == values
    with pytest.raises(services.ServiceError) as caught:
        services.submission_save(cast.supervisor, submission, {"layout_reasonable": 1}, 1)
    assert caught.value.errors == {"layout_reasonable": "应为“是”或“否”"}


def test_only_the_county_office_fills_county_items(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.submission_save(cast.leader, (cast.period, None), {"recognition_rate": 90}, 0)
    with pytest.raises(PermissionDenied):
        services.submission_save(cast.clerk_a, (cast.period, None), {"recognition_rate": 90}, 0)
