"""Unannounced plans (暗访): school and date secret until the visit is recorded, for every role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from conftest import Cast
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from inspection_builders import all_scores, plan_with_target, world

from dudao.core.todo import supervision_todos
from dudao.inspection import selectors as sel
from dudao.inspection import visits
from dudao.inspection.choices import PlanKind
from dudao.inspection.models import InspectionPlan, Inspector, Target, Visit
from dudao.orgs.choices import Role
from dudao.orgs.models import Membership

pytestmark = pytest.mark.django_db
TITLE = "夜间食堂暗访"
SCHOOL_A = "石桥镇中心小学"  # target 1, inspector 孙 (cast.inspector), on 2026-12-01
SCHOOL_B = "城关第一初级中学"  # target 2, inspector 周 (second), on 2026-12-03
DATE_B = "2026-12-03"
TODAY = date(2026, 12, 10)


@dataclass
class Secret:
    plan: InspectionPlan
    target_a: Target
    target_b: Target
    second: User  # county inspector assigned to target B
    third: User  # county inspector assigned to nothing


def inspector_user(cast: Cast, username: str) -> User:
    user = User.objects.create_user(username, first_name=username)
    Membership.objects.create(user=user, role=Role.INSPECTOR, region=cast.county)
    return user


@pytest.fixture
def secret(cast: Cast) -> Secret:
    w = world(cast)
    second, third = inspector_user(cast, "second"), inspector_user(cast, "third")
    Inspector.objects.filter(pk=w.zhou.pk).update(user=second)
    plan, target_a = plan_with_target(cast, w, kind=PlanKind.UNANNOUNCED, title=TITLE)
    target_b = visits.target_add(cast.supervisor, plan, cast.school_b, [w.zhou], date(2026, 12, 3))
    return Secret(plan, target_a, target_b, second, third)


def record_a(cast: Cast, secret: Secret) -> Visit:
    sun = Inspector.objects.get(code="DX001")
    data = visits.VisitData(visited_on=date(2026, 12, 1), choices=all_scores(), inspectors=[sun])
    return visits.visit_record(cast.inspector, secret.target_a, data, today=TODAY)


def page(user: User | None, name: str, pk: int) -> tuple[int, str]:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name, args=[pk]))
    return response.status_code, response.content.decode(errors="replace")


def hidden_everywhere(user: User, secret: Secret, cast: Cast) -> None:
    """Neither the plan nor its targets reach the user through any page or list."""
    assert page(user, "inspection:plan", secret.plan.pk)[0] == 404, user
    for target in (secret.target_a, secret.target_b):
        assert page(user, "inspection:visit_record", target.pk)[0] == 404, user
    assert TITLE not in page(user, "inspection:county", cast.county.pk)[1], user
    client = Client()
    client.force_login(user)
    home = client.get(reverse("inspection:home")).content.decode()
    assert TITLE not in home and DATE_B not in home, user
    assert not sel.plans_for(user).filter(pk=secret.plan.pk).exists(), user
    assert not sel.targets_for(user).filter(plan=secret.plan).exists(), user
    todos = supervision_todos(user, today=TODAY)
    assert not [t for t in todos if t.text.startswith("督查")], user


def test_before_the_visit_the_office_and_admin_see_every_target(cast: Cast, secret: Secret) -> None:
    for user in (cast.supervisor, cast.admin):
        status, body = page(user, "inspection:plan", secret.plan.pk)
        assert status == 200 and SCHOOL_A in body and SCHOOL_B in body and DATE_B in body
        assert TITLE in page(user, "inspection:county", cast.county.pk)[1]


def test_before_the_visit_each_assigned_inspector_sees_only_their_own_target(
    cast: Cast, secret: Secret
) -> None:
    status, body = page(cast.inspector, "inspection:plan", secret.plan.pk)
    assert status == 200 and SCHOOL_A in body and SCHOOL_B not in body and DATE_B not in body
    assert page(cast.inspector, "inspection:visit_record", secret.target_b.pk)[0] == 404
    assert page(cast.inspector, "inspection:visit_record", secret.target_a.pk)[0] == 200
    status, body = page(secret.second, "inspection:plan", secret.plan.pk)
    assert status == 200 and SCHOOL_B in body and DATE_B in body and SCHOOL_A not in body
    client = Client()
    client.force_login(secret.second)
    home = client.get(reverse("inspection:home")).content.decode()
    assert TITLE in home and SCHOOL_B in home and SCHOOL_A not in home
    todos = supervision_todos(secret.second, today=TODAY)
    assert [t.text for t in todos if t.text.startswith("督查")] == ["督查：1 所学校待检查"]


@pytest.mark.parametrize(
    "who", ["leader", "city_reviewer", "third", "clerk_a", "principal_a", "clerk_b", "nobody"]
)
def test_before_the_visit_nobody_else_learns_of_the_plan(
    cast: Cast, secret: Secret, who: str
) -> None:
    user = secret.third if who == "third" else getattr(cast, who)
    hidden_everywhere(user, secret, cast)


def test_another_county_and_anonymous_users_never_reach_it(cast: Cast, secret: Secret) -> None:
    for recorded in (False, True):
        if recorded:
            record_a(cast, secret)
        for user in (cast.other_supervisor, cast.other_inspector, cast.clerk_c):
            hidden_everywhere(user, secret, cast)
        for name, pk in (
            ("inspection:plan", secret.plan.pk),
            ("inspection:visit_record", secret.target_b.pk),
        ):
            status, _ = page(None, name, pk)
            assert status == 302


@pytest.mark.parametrize("who", ["leader", "city_reviewer", "third"])
def test_after_the_visit_readers_see_the_plan_and_the_visited_target_only(
    cast: Cast, secret: Secret, who: str
) -> None:
    user = secret.third if who == "third" else getattr(cast, who)
    visit = record_a(cast, secret)
    status, body = page(user, "inspection:plan", secret.plan.pk)
    assert status == 200 and SCHOOL_A in body
    assert SCHOOL_B not in body and DATE_B not in body
    assert TITLE in page(user, "inspection:county", cast.county.pk)[1]
    assert page(user, "inspection:visit", visit.pk)[0] == 200
    assert page(user, "inspection:visit_docx", visit.pk)[0] == 200
    assert page(user, "inspection:visit_record", secret.target_b.pk)[0] == 404
    assert list(sel.targets_for(user).filter(plan=secret.plan)) == [secret.target_a]


def test_after_the_visit_the_other_assigned_inspector_still_does_not_see_the_open_target(
    cast: Cast, secret: Secret
) -> None:
    record_a(cast, secret)
    body = page(cast.inspector, "inspection:plan", secret.plan.pk)[1]
    assert SCHOOL_A in body and SCHOOL_B not in body
    body = page(secret.second, "inspection:plan", secret.plan.pk)[1]
    assert SCHOOL_A in body and SCHOOL_B in body


def test_after_the_visit_schools_see_their_own_visit_but_never_the_plan(
    cast: Cast, secret: Secret
) -> None:
    visit = record_a(cast, secret)
    for user in (cast.clerk_a, cast.principal_a, cast.clerk_b):
        assert page(user, "inspection:plan", secret.plan.pk)[0] == 404
        assert page(user, "inspection:visit_record", secret.target_b.pk)[0] == 404
    assert page(cast.clerk_a, "inspection:visit", visit.pk)[0] == 200
    assert page(cast.principal_a, "inspection:visit_docx", visit.pk)[0] == 200
    assert page(cast.clerk_b, "inspection:visit", visit.pk)[0] == 404
    client = Client()
    client.force_login(cast.clerk_b)
    assert TITLE not in client.get(reverse("inspection:home")).content.decode()
