"""责任督学随访 schedule: the service, the county page's button and the management command."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from conftest import Cast
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from inspection_builders import World, world

from dudao.inspection import services
from dudao.inspection.choices import PlanKind
from dudao.inspection.errors import ServiceError
from dudao.inspection.models import Conflict, InspectionPlan, Inspector
from dudao.inspection.schedule import visit_schedule

pytestmark = pytest.mark.django_db
DECEMBER = date(2026, 12, 1)


def assigned(cast: Cast) -> World:
    """孙 is the assigned inspector of school A, 周 of school B, 河西督学 of school C."""
    w = world(cast)
    services.assignment_set(cast.supervisor, cast.school_a, w.sun)
    services.assignment_set(cast.supervisor, cast.school_b, w.zhou)
    services.assignment_set(cast.other_supervisor, cast.school_c, w.other)
    return w


def rows(plan: InspectionPlan) -> list[tuple[str, list[str], date | None]]:
    return [
        (t.institution.name, [i.name for i in t.inspectors.all()], t.scheduled)
        for t in plan.targets.order_by("institution__code")
    ]


# ---------------------------------------------------------------- service


def test_it_makes_one_target_per_assigned_school_with_its_inspector(cast: Cast) -> None:
    assigned(cast)
    plan = visit_schedule(cast.supervisor, cast.county, month=date(2026, 12, 15))
    assert plan.title == "2026年12月责任督学随访"
    assert plan.kind == PlanKind.VISIT and plan.visit_month == DECEMBER
    assert plan.county == cast.county and plan.created_by == cast.supervisor
    assert rows(plan) == [
        ("石桥镇中心小学", ["孙督学"], date(2026, 12, 31)),
        ("城关第一初级中学", ["周督学"], date(2026, 12, 31)),
    ]


def test_schools_without_an_assigned_inspector_get_no_target(cast: Cast) -> None:
    w = world(cast)
    services.assignment_set(cast.supervisor, cast.school_b, w.zhou)
    plan = visit_schedule(cast.supervisor, cast.county, month=DECEMBER)
    assert [name for name, _, _ in rows(plan)] == ["城关第一初级中学"]


def test_the_same_month_twice_is_refused_naming_the_existing_plan(cast: Cast) -> None:
    assigned(cast)
    visit_schedule(cast.supervisor, cast.county, month=DECEMBER)
    with pytest.raises(ServiceError) as refused:
        visit_schedule(cast.supervisor, cast.county, month=date(2026, 12, 28))
    assert refused.value.message == (
        "青川县2026年12月的责任督学随访计划“2026年12月责任督学随访”已生成，无需重复生成"
    )
    assert InspectionPlan.objects.filter(county=cast.county).count() == 1


def test_each_county_has_its_own_month(cast: Cast) -> None:
    assigned(cast)
    visit_schedule(cast.supervisor, cast.county, month=DECEMBER)
    other = visit_schedule(cast.other_supervisor, cast.other_county, month=DECEMBER)
    assert rows(other) == [("河西第一小学", ["河西督学"], date(2026, 12, 31))]


def test_the_database_refuses_a_second_plan_for_the_month(cast: Cast) -> None:
    assigned(cast)
    plan = visit_schedule(cast.supervisor, cast.county, month=DECEMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionPlan.objects.create(
            county=cast.county,
            title="重复",
            kind=PlanKind.VISIT,
            visit_month=plan.visit_month,
            created_by=cast.supervisor,
        )


def test_monthly_by_default_the_next_month_is_allowed(cast: Cast) -> None:
    assigned(cast)
    visit_schedule(cast.supervisor, cast.county, month=DECEMBER)
    january = visit_schedule(cast.supervisor, cast.county, month=date(2027, 1, 1))
    assert january.title == "2027年1月责任督学随访"


def test_a_longer_interval_refuses_months_too_close(cast: Cast, settings: Any) -> None:
    settings.INSPECTION_VISIT_MONTHS = 3
    assigned(cast)
    visit_schedule(cast.supervisor, cast.county, month=DECEMBER)
    for month in (date(2027, 2, 1), date(2026, 10, 1)):
        with pytest.raises(ServiceError) as refused:
            visit_schedule(cast.supervisor, cast.county, month=month)
        assert refused.value.message.startswith(
            "责任督学随访每 3 个月安排一次：青川县已有2026年12月"
        )
    assert visit_schedule(cast.supervisor, cast.county, month=date(2027, 3, 1)).pk


def test_an_inspector_who_must_not_inspect_the_school_is_skipped_with_a_note(
    cast: Cast,
) -> None:
    w = assigned(cast)
    # declared after the assignment (conflict_add now refuses that; older data)
    Conflict.objects.create(inspector=w.sun, institution=cast.school_a, reason="子女在该校就读")
    plan = visit_schedule(cast.supervisor, cast.county, month=DECEMBER)
    assert [name for name, _, _ in rows(plan)] == ["城关第一初级中学"]
    assert "以下学校未安排随访" in plan.notes
    assert "孙督学已登记回避石桥镇中心小学（子女在该校就读）" in plan.notes


def test_it_is_refused_when_no_school_has_an_inspector_to_send(cast: Cast) -> None:
    w = assigned(cast)
    Inspector.objects.filter(pk__in=[w.sun.pk, w.zhou.pk]).update(active=False)
    with pytest.raises(ServiceError) as refused:
        visit_schedule(cast.supervisor, cast.county, month=DECEMBER)
    assert "孙督学已不在岗" in refused.value.message and "周督学已不在岗" in refused.value.message
    assert not InspectionPlan.objects.exists()


def test_it_is_refused_when_no_school_has_an_assigned_inspector(cast: Cast) -> None:
    world(cast)
    with pytest.raises(ServiceError) as refused:
        visit_schedule(cast.supervisor, cast.county, month=DECEMBER)
    assert refused.value.message == (
        "青川县2026年12月没有可以随访的学校：本县还没有学校指定责任督学"
    )


def test_only_the_county_office_may_schedule(cast: Cast) -> None:
    assigned(cast)
    for user in (cast.leader, cast.inspector, cast.city_reviewer, cast.other_supervisor):
        with pytest.raises(PermissionDenied):
            visit_schedule(user, cast.county, month=DECEMBER)
    assert not InspectionPlan.objects.exists()


# ---------------------------------------------------------------- view


def post(user: User | None, county_pk: int, month: str | None) -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    data = {} if month is None else {"month": month}
    return client.post(reverse("inspection:visit_schedule", args=[county_pk]), data, follow=True)


def test_the_office_schedules_from_the_county_page(cast: Cast) -> None:
    assigned(cast)
    client = Client()
    client.force_login(cast.supervisor)
    page = client.get(reverse("inspection:county", args=[cast.county.pk])).content.decode()
    assert "生成责任督学随访计划" in page
    response = post(cast.supervisor, cast.county.pk, "2026-12")
    plan = InspectionPlan.objects.get(visit_month=DECEMBER)
    assert response.redirect_chain[-1][0] == reverse("inspection:plan", args=[plan.pk])
    assert "已生成2026年12月责任督学随访，2 所学校" in response.content.decode()


def test_a_blank_month_means_this_month(cast: Cast) -> None:
    assigned(cast)
    post(cast.supervisor, cast.county.pk, "")
    assert InspectionPlan.objects.get().visit_month == timezone.localdate().replace(day=1)


def test_a_refusal_and_a_bad_month_are_said_on_the_county_page(cast: Cast) -> None:
    assigned(cast)
    post(cast.supervisor, cast.county.pk, "2026-12")
    again = post(cast.supervisor, cast.county.pk, "2026-12")
    assert again.redirect_chain[-1][0] == reverse("inspection:county", args=[cast.county.pk])
    assert "已生成，无需重复生成" in again.content.decode()
    bad = post(cast.supervisor, cast.county.pk, "十二月").content.decode()
    assert "随访月份格式不正确" in bad
    assert InspectionPlan.objects.count() == 1


def test_readers_inspectors_and_schools_may_not_schedule(cast: Cast) -> None:
    assigned(cast)
    client = Client()
    client.force_login(cast.leader)
    page = client.get(reverse("inspection:county", args=[cast.county.pk])).content.decode()
    assert "生成责任督学随访计划" not in page
    for user, status in (
        (cast.leader, 403),
        (cast.inspector, 403),
        (cast.city_reviewer, 403),
        (cast.clerk_a, 404),
        (cast.principal_a, 404),
        (cast.other_supervisor, 404),
    ):
        assert post(user, cast.county.pk, "2026-12").status_code == status, user
    anonymous = Client().post(reverse("inspection:visit_schedule", args=[cast.county.pk]))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    office = Client()
    office.force_login(cast.supervisor)
    url = reverse("inspection:visit_schedule", args=[cast.county.pk])
    assert office.get(url).status_code == 405
    assert not InspectionPlan.objects.exists()


# ---------------------------------------------------------------- command


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("schedule_inspector_visits", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_schedules_every_county_once(cast: Cast) -> None:
    assigned(cast)
    out, err = run("--month", "2026-12")
    assert "青川县：已生成“2026年12月责任督学随访”，2 所学校" in out
    assert "河西区：已生成“2026年12月责任督学随访”，1 所学校" in out
    assert "共生成 2 个2026年12月责任督学随访计划" in out and err == ""
    assert InspectionPlan.objects.get(county=cast.county).created_by == cast.supervisor
    out, err = run("--month", "2026-12")
    assert "共生成 0 个" in out
    assert "青川县：未生成——青川县2026年12月的责任督学随访计划" in err
    assert InspectionPlan.objects.count() == 2


def test_the_command_takes_one_county_and_a_user(cast: Cast) -> None:
    assigned(cast)
    out, _ = run("--county", "510822", "--month", "2027-01", "--user", "admin")
    assert "青川县：已生成" in out and "河西区" not in out
    assert InspectionPlan.objects.get().created_by == cast.admin
    _, err = run("--county", "510802", "--month", "2027-01", "--user", "leader")
    assert "河西区：未生成——只有县督导室可以生成责任督学随访计划" in err


def test_the_command_says_what_is_wrong_with_its_arguments(cast: Cast) -> None:
    with pytest.raises(CommandError, match="月份格式应为 YYYY-MM：2026-13"):
        run("--month", "2026-13")
    with pytest.raises(CommandError, match="没有区划代码为 999999 的区县"):
        run("--county", "999999")
    with pytest.raises(CommandError, match="没有名为 ghost 的有效账号"):
        run("--user", "ghost")


def test_the_command_reports_a_county_without_assignments(cast: Cast) -> None:
    out, err = run("--county", "510822", "--month", "2026-12")
    assert "青川县：未生成——青川县2026年12月没有可以随访的学校：本县还没有学校指定责任督学" in err
    assert "共生成 0 个" in out
