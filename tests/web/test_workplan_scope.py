"""Who reads which county's plans: the scoped selectors of the key-task app."""

from __future__ import annotations

import pytest
from conftest import Cast
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from test_workplan_models import make_plan, make_report, make_round

from dudao.workplan import selectors as sel

READERS = ["admin", "supervisor", "leader", "department_head", "other_department_head"]
OUTSIDERS = ["other_supervisor", "inspector", "other_inspector", "clerk_a", "principal_a", "nobody"]


@pytest.mark.parametrize("name", [*READERS, "city_reviewer"])
def test_county_people_and_the_city_reviewer_read_the_countys_plan(cast: Cast, name: str) -> None:
    data = make_plan(cast)
    user = getattr(cast, name)
    assert sel.plan_for(user, data.plan.pk) == data.plan
    assert sel.task_for(user, data.task.pk) == data.task
    round_ = make_round(data.plan)
    assert sel.round_for(user, round_.pk) == round_
    report = make_report(round_, data.task, cast)
    assert sel.report_for(user, report.pk) == report


@pytest.mark.parametrize("name", OUTSIDERS)
def test_schools_inspectors_and_other_counties_get_404(cast: Cast, name: str) -> None:
    data = make_plan(cast)
    round_ = make_round(data.plan)
    report = make_report(round_, data.task, cast)
    user = getattr(cast, name)
    for fetch, pk in [
        (sel.plan_for, data.plan.pk),
        (sel.task_for, data.task.pk),
        (sel.round_for, round_.pk),
        (sel.report_for, report.pk),
    ]:
        with pytest.raises(Http404):
            fetch(user, pk)


def test_anonymous_users_see_no_plans(cast: Cast) -> None:
    make_plan(cast)
    assert not sel.plans_for(AnonymousUser()).exists()


def test_plans_for_lists_only_the_users_counties(cast: Cast) -> None:
    data = make_plan(cast)
    assert list(sel.plans_for(cast.department_head)) == [data.plan]
    assert list(sel.plans_for(cast.other_supervisor)) == [data.other_plan]
    assert set(sel.plans_for(cast.admin)) == {data.plan, data.other_plan}
    assert set(sel.plans_for(cast.city_reviewer)) == {data.plan, data.other_plan}


def test_only_the_county_office_and_admins_manage_the_plan(cast: Cast) -> None:
    plan = make_plan(cast).plan
    managers = {
        n
        for n in [
            "admin",
            "supervisor",
            "other_supervisor",
            "leader",
            "department_head",
            "city_reviewer",
        ]
        if sel.can_manage_plan(getattr(cast, n), plan)
    }
    assert managers == {"admin", "supervisor"}


def test_only_the_countys_leaders_and_admins_are_plan_leaders(cast: Cast) -> None:
    plan = make_plan(cast).plan
    leaders = {
        n
        for n in ["admin", "supervisor", "leader", "department_head", "city_reviewer"]
        if sel.is_plan_leader(getattr(cast, n), plan)
    }
    assert leaders == {"admin", "leader"}


def test_user_departments_are_the_memberships_of_that_county(cast: Cast) -> None:
    assert sel.user_departments(cast.department_head, cast.county) == [cast.department]
    assert sel.user_departments(cast.department_head, cast.other_county) == []
    assert sel.user_departments(cast.supervisor, cast.county) == []
