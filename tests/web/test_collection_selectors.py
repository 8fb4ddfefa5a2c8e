"""Collection selectors: scope, the status grid, last period's values and jumps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import Cast
from django.http import Http404

from dudao.collection import selectors, services
from dudao.collection.choices import SubmissionStatus
from dudao.collection.models import Period, Submission
from dudao.orgs.models import Institution


def add_schools(cast: Cast, count: int) -> list[Institution]:
    return Institution.objects.bulk_create(
        Institution(
            code=f"21519{i:05d}",
            name=f"第{i}小学",
            school_type="小学" if i % 2 else "初中",
            ownership="公办",
            county=cast.county,
            township=cast.township if i % 3 else None,
        )
        for i in range(count)
    )


def test_schools_see_their_county_s_periods_and_not_the_other(cast: Cast) -> None:
    assert list(selectors.periods_for(cast.clerk_a)) == [cast.period]
    assert set(selectors.periods_for(cast.city_reviewer)) == {cast.period, cast.other_period}
    assert not selectors.periods_for(cast.nobody).exists()
    with pytest.raises(Http404):
        selectors.period_for(cast.other_supervisor, cast.period.pk)


def test_the_grid_period_is_for_the_county_as_a_whole(cast: Cast) -> None:
    assert selectors.county_period_for(cast.leader, cast.period.pk) == cast.period
    with pytest.raises(Http404):
        selectors.county_period_for(cast.clerk_a, cast.period.pk)


def test_a_school_s_submission_is_hidden_from_another_school(cast: Cast) -> None:
    submission = Submission.objects.create(period=cast.period, institution=cast.school_a)
    assert selectors.submission_for(cast.clerk_a, submission.pk) == submission
    assert selectors.submission_for(cast.leader, submission.pk) == submission
    for outsider in (cast.clerk_b, cast.other_supervisor, cast.nobody):
        with pytest.raises(Http404):
            selectors.submission_for(outsider, submission.pk)


def test_county_items_are_hidden_from_schools(cast: Cast) -> None:
    items = Submission.objects.create(period=cast.period, institution=None)
    assert selectors.submission_for(cast.city_reviewer, items.pk) == items
    with pytest.raises(Http404):
        selectors.submission_for(cast.clerk_a, items.pk)


def test_the_grid_lists_every_school_with_its_status_and_counts(cast: Cast) -> None:
    Submission.objects.create(
        period=cast.period, institution=cast.school_a, status=SubmissionStatus.SUBMITTED
    )
    Submission.objects.create(period=cast.other_period, institution=cast.school_c)
    grid = selectors.status_grid(cast.period)
    assert [(r.institution, r.status_label) for r in grid.rows] == [
        (cast.school_a, "已提交"),
        (cast.school_b, "未填报"),
    ]
    assert grid.counts == {"submitted": 1, "not_started": 1}
    assert grid.total == 2


def test_the_grid_filters_by_status_township_and_type(cast: Cast) -> None:
    Submission.objects.create(period=cast.period, institution=cast.school_a)
    only = selectors.status_grid(cast.period, status="not_started")
    assert [r.institution for r in only.rows] == [cast.school_b]
    assert only.counts == {"draft": 1, "not_started": 1}  # counts ignore the filter
    town = selectors.status_grid(cast.period, township=str(cast.township.pk))
    assert [r.institution for r in town.rows] == [cast.school_a]
    junior = selectors.status_grid(cast.period, school_type="初中")
    assert [r.institution for r in junior.rows] == [cast.school_b]


def test_the_grid_takes_one_query_for_thirty_schools(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    schools = add_schools(cast, 30)
    Submission.objects.bulk_create(
        Submission(period=cast.period, institution=s, updated_by=cast.clerk_a) for s in schools[:10]
    )
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        grid = selectors.status_grid(cast.period)
        names = [(r.institution.township, r.updated_by) for r in grid.rows]
    assert grid.total == 32 and len(names) == 32
    assert grid.counts["draft"] == 10


def earlier_period(cast: Cast, values: dict[str, object]) -> Period:
    before = Period.objects.create(county=cast.county, name="2025学年", framework="yzjh-2017")
    Period.objects.filter(pk=before.pk).update(
        opened_at=cast.period.opened_at - timedelta(days=365)
    )
    Submission.objects.create(period=before, institution=cast.school_a, values=values)
    return before


def test_previous_values_come_from_the_county_s_previous_period(cast: Cast) -> None:
    earlier_period(cast, {"students_primary": 500})
    now = Submission.objects.create(period=cast.period, institution=cast.school_a)
    assert selectors.previous_values(now) == {"students_primary": 500}
    other = Submission.objects.create(period=cast.period, institution=cast.school_b)
    assert selectors.previous_values(other) == {}


def test_a_period_without_a_predecessor_has_no_previous_values(cast: Cast) -> None:
    now = Submission.objects.create(period=cast.period, institution=cast.school_a)
    assert selectors.previous_values(now) == {}


def test_jumps_over_thirty_percent_are_flagged() -> None:
    values = {"a": 131, "b": 130, "c": 60, "d": 5, "e": True, "f": None, "g": 10}
    previous = {"a": 100, "b": 100, "c": 100, "d": 0, "e": False, "f": 3}
    found = selectors.jumps(values, previous)
    assert found == {"a": pytest.approx(0.31), "c": pytest.approx(-0.4), "d": None}


def test_return_comments_keep_only_the_last_return(cast: Cast) -> None:
    submission = services.submission_submit(
        cast.clerk_a,
        (cast.period, cast.school_a),
        0,
        values={"teaching_area": 1, "sports_area": 1, "equipment_value": 1, "multimedia_rooms": 1},
    )
    services.submission_return(cast.supervisor, submission, {"sports_area": "偏小"}, "", 2)
    services.submission_submit(cast.clerk_a, submission, 3)
    services.submission_return(cast.supervisor, submission, {}, "请补充", 4)
    submission.refresh_from_db()
    assert selectors.return_comments([submission]) == {submission.pk: ("请补充", {})}
