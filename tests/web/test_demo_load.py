"""`manage.py load_demo`: the demo loads, has every role's account, and loads only once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from dudao.collection.models import Change, Period, Submission
from dudao.evaluation.models import Run
from dudao.inspection.models import DrawPublication, Visit
from dudao.orgs.choices import Role
from dudao.orgs.models import Department, Institution, Membership, Region
from dudao.rectification.models import Rectification
from dudao.workplan.models import Round, WorkPlan

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_demo_creates_the_regions_institutions_and_periods() -> None:
    _load()
    counties = list(Region.objects.filter(level="county").order_by("code"))
    assert [c.name for c in counties] == ["青川县", "河西区"]
    assert {c.parent.name for c in counties} == {"示例市"}
    assert Institution.objects.filter(county=counties[0]).count() == 40
    assert Region.objects.filter(level="township", parent=counties[0]).count() > 5
    assert Department.objects.filter(county=counties[0]).count() == 6
    assert Period.objects.filter(name="2026学年", framework="yzjh-2017", status="open").count() == 2


def test_the_demo_has_an_account_per_role_with_the_demo_password() -> None:
    out = _load()
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.get(username="demo_admin").is_superuser
    for user in User.objects.all():
        assert Client().login(username=user.username, password="dudao-demo"), user.username
        assert user.username in out
    assert "dudao-demo" in out and "县督导室" in out


def test_the_first_county_has_submissions_in_every_state() -> None:
    _load()
    first = Region.objects.get(name="青川县")
    submissions = Submission.objects.filter(period__county=first)
    statuses = {
        s: submissions.filter(status=s).count()
        for s in ("approved", "submitted", "returned", "draft")
    }
    assert statuses["approved"] > 25 and statuses["submitted"] >= 3
    assert statuses["returned"] == 1 and statuses["draft"] == 1
    assert submissions.filter(institution__isnull=False).count() < 40  # a few not started
    items = submissions.get(institution=None)
    assert items.status == "approved" and "recognition_rate" in items.values
    approved = submissions.filter(status="approved", institution__isnull=False).first()
    assert "teaching_area" in approved.values and "school_code" not in approved.values
    assert not Submission.objects.exclude(period__county=first).exists()


def test_the_returned_school_is_the_demo_clerk_s_with_a_comment() -> None:
    _load()
    returned = Submission.objects.get(status="returned")
    clerk = Membership.objects.get(user__username="demo_clerk")
    assert clerk.institution == returned.institution
    assert Membership.objects.get(user__username="demo_principal").institution == clerk.institution
    comment = Change.objects.get(submission=returned, action="return").comment
    assert "请核实" in comment
    actions = list(Change.objects.filter(submission=returned).values_list("action", flat=True))
    assert actions[-2:] == ["submit", "return"] and actions.count("save") > 10


def test_a_second_run_changes_nothing() -> None:
    _load()
    counts = (
        User.objects.count(),
        Institution.objects.count(),
        Submission.objects.count(),
        Change.objects.count(),
        Run.objects.count(),
    )
    out = _load()
    assert "已存在" in out
    assert counts == (
        User.objects.count(),
        Institution.objects.count(),
        Submission.objects.count(),
        Change.objects.count(),
        Run.objects.count(),
    )


def test_existing_demo_user_names_are_never_overwritten() -> None:
    User.objects.create_user("demo_clerk", password="someone-else")
    with pytest.raises(CommandError, match="demo_clerk"):
        _load()
    assert not Region.objects.exists()


def test_a_trial_evaluation_gives_the_dashboards_a_verdict() -> None:
    out = _load()
    run = Run.objects.get()
    assert run.period.county.name == "青川县"
    assert run.verdict in ("pass", "fail", "incomplete")
    assert "试运行一次评估" in out


def test_the_first_county_has_key_tasks_inspections_and_rectification_items() -> None:
    out = _load()
    first = Region.objects.get(name="青川县")
    plan = WorkPlan.objects.get(county=first)
    assert plan.tasks.count() > 20
    assert set(Round.objects.filter(plan=plan).values_list("status", flat=True)) == {
        "open",
        "closed",
    }
    assert DrawPublication.objects.filter(draw__county=first).count() == 1
    assert Visit.objects.filter(target__institution__county=first).exists()
    items = Rectification.objects.filter(county=first)
    assert {"inspection", "complaint", "instruction"} <= set(items.values_list("source", flat=True))
    assert {"open", "closed"} <= set(items.values_list("status", flat=True))
    assert "重点工作计划" in out and "督查" in out and "整改" in out


@pytest.mark.parametrize(
    "username",
    ["demo_supervisor", "demo_leader", "demo_department", "demo_inspector", "demo_clerk"],
)
def test_every_demo_account_finds_its_supervision_pages_from_the_navigation(username: str) -> None:
    _load()
    client = Client()
    client.force_login(User.objects.get(username=username))
    home = client.get("/").content.decode()
    links = [
        link
        for link in ("/workplan/", "/inspection/", "/rectification/")
        if f'href="{link}"' in home
    ]
    assert links, "no supervision link in the navigation"
    for link in links:
        assert client.get(link).status_code == 200, link
