"""Correcting mistakes: edit or remove a target, delete a plan, cancel (作废) a prepared draw.

All before anything is recorded: a recorded visit is evidence and a drawn draw is immutable.
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Cast, client_for
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from inspection_builders import all_scores, plan_with_target, world

from dudao.inspection import draws, schedule, services, visits
from dudao.inspection.errors import ServiceError
from dudao.inspection.models import (
    DrawIsImmutable,
    InspectionPlan,
    RandomDraw,
    Target,
    Visit,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 10)


def record(cast: Cast, target: Target, inspector: object) -> Visit:
    data = visits.VisitData(
        visited_on=date(2026, 12, 1),
        choices=all_scores(),
        inspectors=[inspector],  # type: ignore[list-item]
    )
    return visits.visit_record(cast.supervisor, target, data, today=TODAY)


def prepared(cast: Cast) -> RandomDraw:
    request = draws.DrawRequest(title="2026年冬季", count=1, per_school=1)
    return draws.draw_prepare(cast.supervisor, cast.county, request)


def assert_refused_to_others(cast: Cast, url: str, data: dict[str, object]) -> None:
    assert client_for(cast.leader).post(url, data).status_code == 403
    assert client_for(cast.inspector).post(url, data).status_code == 403
    assert client_for(cast.other_supervisor).post(url, data).status_code == 404
    anonymous = Client().post(url, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")


# ---------------------------------------------------------------- targets


def test_the_office_edits_a_targets_inspectors_and_date(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    url = reverse("inspection:target_edit", args=[target.pk])
    prefix = f"target-{target.pk}"
    data = {f"{prefix}-inspectors": [w.zhou.pk, w.wu.pk], f"{prefix}-scheduled": "2026-12-15"}
    assert_refused_to_others(cast, url, data)
    target.refresh_from_db()
    assert list(target.inspectors.all()) == [w.sun]
    response = client_for(cast.supervisor).post(url, data, follow=True)
    target.refresh_from_db()
    assert set(target.inspectors.all()) == {w.zhou, w.wu}
    assert target.scheduled == date(2026, 12, 15)
    assert f"已修改检查对象：{cast.school_a.name}" in response.content.decode()


def test_an_edit_is_checked_like_an_added_target(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    # 李督学 works at school A: he must not inspect it
    with pytest.raises(ServiceError, match="李督学"):
        visits.target_edit(cast.supervisor, target, [w.li], None)
    services.conflict_add(cast.supervisor, w.zhou, cast.school_a, "配偶在该校")
    with pytest.raises(ServiceError, match="周督学"):
        visits.target_edit(cast.supervisor, target, [w.zhou], None)
    with pytest.raises(ServiceError, match="督学不属于本县"):
        visits.target_edit(cast.supervisor, target, [w.other], None)
    with pytest.raises(ServiceError, match="请至少选择一名督学"):
        visits.target_edit(cast.supervisor, target, [], None)
    with pytest.raises(PermissionDenied):
        visits.target_edit(cast.leader, target, [w.wu], None)
    assert list(target.inspectors.all()) == [w.sun]


def test_a_visited_target_can_be_neither_edited_nor_removed(cast: Cast) -> None:
    w = world(cast)
    plan, target = plan_with_target(cast, w)
    record(cast, target, w.sun)
    with pytest.raises(ServiceError, match="已记录检查，不能再修改检查对象"):
        visits.target_edit(cast.supervisor, target, [w.wu], None)
    with pytest.raises(ServiceError, match="已记录检查，不能再修改检查对象"):
        visits.target_remove(cast.supervisor, target)
    client = client_for(cast.supervisor)
    response = client.post(reverse("inspection:target_remove", args=[target.pk]), follow=True)
    assert "已记录检查，不能再修改检查对象" in response.content.decode()
    assert Target.objects.filter(pk=target.pk).exists()
    page = client.get(reverse("inspection:plan", args=[plan.pk])).content.decode()
    assert reverse("inspection:target_remove", args=[target.pk]) not in page
    assert reverse("inspection:plan_delete", args=[plan.pk]) not in page


def test_the_office_removes_an_unvisited_target(cast: Cast) -> None:
    w = world(cast)
    plan, target = plan_with_target(cast, w)
    url = reverse("inspection:target_remove", args=[target.pk])
    assert_refused_to_others(cast, url, {})
    assert Target.objects.filter(pk=target.pk).exists()
    page = client_for(cast.supervisor).get(reverse("inspection:plan", args=[plan.pk]))
    text = page.content.decode()
    assert url in text and reverse("inspection:target_edit", args=[target.pk]) in text
    response = client_for(cast.supervisor).post(url, follow=True)
    assert not Target.objects.filter(pk=target.pk).exists()
    assert InspectionPlan.objects.filter(pk=plan.pk).exists()
    assert f"已移除检查对象：{cast.school_a.name}" in response.content.decode()


# ---------------------------------------------------------------- plans


def test_the_office_deletes_a_plan_without_visits(cast: Cast) -> None:
    w = world(cast)
    plan, target = plan_with_target(cast, w)
    url = reverse("inspection:plan_delete", args=[plan.pk])
    assert_refused_to_others(cast, url, {})
    assert InspectionPlan.objects.filter(pk=plan.pk).exists()
    page = client_for(cast.supervisor).get(reverse("inspection:plan", args=[plan.pk]))
    assert url in page.content.decode() and "删除计划" in page.content.decode()
    response = client_for(cast.supervisor).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("inspection:county", args=[cast.county.pk])
    assert not InspectionPlan.objects.filter(pk=plan.pk).exists()
    assert not Target.objects.filter(pk=target.pk).exists()


def test_a_plan_with_a_recorded_visit_is_not_deleted(cast: Cast) -> None:
    w = world(cast)
    plan, target = plan_with_target(cast, w)
    visits.target_add(cast.supervisor, plan, cast.school_b, [w.wu])
    record(cast, target, w.sun)
    with pytest.raises(ServiceError, match="该计划已有检查记录，不能删除"):
        visits.plan_delete(cast.supervisor, plan)
    url = reverse("inspection:plan_delete", args=[plan.pk])
    response = client_for(cast.supervisor).post(url, follow=True)
    assert "该计划已有检查记录，不能删除" in response.content.decode()
    assert InspectionPlan.objects.filter(pk=plan.pk).exists()
    assert plan.targets.count() == 2


def test_deleting_a_plan_from_a_draw_frees_the_draw_and_keeps_it(cast: Cast) -> None:
    world(cast)
    made = draws.draw_run(cast.supervisor, prepared(cast))
    draws.draw_publish(cast.supervisor, made)
    plan = draws.plan_from_draw(cast.supervisor, made)
    with pytest.raises(ServiceError, match="已生成督查计划"):
        draws.plan_from_draw(cast.supervisor, made)
    visits.plan_delete(cast.supervisor, plan)
    assert RandomDraw.objects.filter(pk=made.pk, result=made.result).exists()
    again = draws.plan_from_draw(cast.supervisor, RandomDraw.objects.get(pk=made.pk))
    assert again.draw_id == made.pk and again.targets.count() == 1


def test_deleting_a_monthly_visit_plan_lets_the_month_be_scheduled_again(cast: Cast) -> None:
    w = world(cast)
    services.assignment_set(cast.supervisor, cast.school_a, w.sun)
    made = schedule.visit_schedule(cast.supervisor, cast.county, month=date(2026, 12, 1))
    with pytest.raises(ServiceError, match="已生成"):
        schedule.visit_schedule(cast.supervisor, cast.county, month=date(2026, 12, 1))
    visits.plan_delete(cast.supervisor, made)
    again = schedule.visit_schedule(cast.supervisor, cast.county, month=date(2026, 12, 1))
    assert again.visit_month == date(2026, 12, 1) and again.targets.count() == 1


# ---------------------------------------------------------------- draws


def test_the_office_cancels_a_prepared_draw_and_everyone_still_sees_it(cast: Cast) -> None:
    world(cast)
    made = prepared(cast)
    url = reverse("inspection:draw_cancel", args=[made.pk])
    assert_refused_to_others(cast, url, {"reason": "候选范围选错"})
    assert not RandomDraw.objects.get(pk=made.pk).is_cancelled
    page = client_for(cast.supervisor).get(reverse("inspection:draw", args=[made.pk]))
    assert url in page.content.decode()
    response = client_for(cast.supervisor).post(url, {"reason": "候选范围选错"}, follow=True)
    assert "抽签已作废" in response.content.decode()
    cancelled = RandomDraw.objects.get(pk=made.pk)
    assert cancelled.cancel_reason == "候选范围选错"
    assert cancelled.cancelled_by == cast.supervisor and cancelled.cancelled_at is not None
    for user in (cast.leader, cast.inspector, cast.clerk_a, cast.department_head):
        text = client_for(user).get(reverse("inspection:draw", args=[made.pk])).content.decode()
        assert "已作废" in text and "候选范围选错" in text
    assert made.seed not in text
    home = client_for(cast.clerk_a).get(reverse("inspection:home")).content.decode()
    assert "已作废" in home and "作废于" in home
    county = client_for(cast.supervisor).get(reverse("inspection:county", args=[cast.county.pk]))
    assert "已作废" in county.content.decode() and "待抽签" not in county.content.decode()


def test_a_cancelled_draw_can_be_neither_run_nor_published_nor_changed(cast: Cast) -> None:
    world(cast)
    made = draws.draw_cancel(cast.supervisor, prepared(cast), "重复准备")
    with pytest.raises(ServiceError, match="该抽签已作废，不能抽签"):
        draws.draw_run(cast.supervisor, made)
    with pytest.raises(ServiceError, match="该抽签已作废，不能公示"):
        draws.draw_publish(cast.supervisor, made)
    with pytest.raises(ServiceError, match="已经作废"):
        draws.draw_cancel(cast.supervisor, made, "再作废一次")
    response = client_for(cast.supervisor).post(
        reverse("inspection:draw_run", args=[made.pk]), follow=True
    )
    assert "该抽签已作废，不能抽签" in response.content.decode()
    assert "开始抽签" not in response.content.decode()
    stored = RandomDraw.objects.get(pk=made.pk)
    assert not stored.is_drawn
    stored.title = "改名"
    with pytest.raises(DrawIsImmutable):
        stored.save()
    with pytest.raises(DrawIsImmutable):
        stored.delete()


def test_a_cancellation_needs_a_reason_and_a_drawn_draw_is_never_cancelled(cast: Cast) -> None:
    world(cast)
    made = prepared(cast)
    with pytest.raises(ServiceError, match="请填写作废原因"):
        draws.draw_cancel(cast.supervisor, made, "  ")
    url = reverse("inspection:draw_cancel", args=[made.pk])
    response = client_for(cast.supervisor).post(url, {"reason": ""}, follow=True)
    assert "请填写作废原因" in response.content.decode()
    assert not RandomDraw.objects.get(pk=made.pk).is_cancelled
    drawn = draws.draw_run(cast.supervisor, made)
    with pytest.raises(ServiceError, match="抽签记录不可作废或删除"):
        draws.draw_cancel(cast.supervisor, drawn, "结果不满意")
    response = client_for(cast.supervisor).post(url, {"reason": "结果不满意"}, follow=True)
    assert "抽签记录不可作废或删除" in response.content.decode()
    assert not RandomDraw.objects.get(pk=made.pk).is_cancelled
    page = client_for(cast.supervisor).get(reverse("inspection:draw", args=[made.pk]))
    assert url not in page.content.decode()


# ---------------------------------------------------------------- visits


def test_the_visit_page_says_a_record_is_final_and_findings_may_be_added(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    visit = record(cast, target, w.sun)
    page = client_for(cast.supervisor).get(reverse("inspection:visit", args=[visit.pk]))
    assert "检查记录提交后不能修改；如有遗漏可补充问题" in page.content.decode()
