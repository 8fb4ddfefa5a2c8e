"""A plan made from a draw is locked: no undrawn school added; replacing drawn inspectors or
removing a drawn school needs a reason, is recorded and shown on the plan and draw pages."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Cast, client_for
from django.test import Client
from django.urls import reverse
from inspection_builders import World, plan_with_target, world

from dudao.inspection import draws, visits
from dudao.inspection.errors import ServiceError
from dudao.inspection.models import InspectionPlan, Inspector, Target, TargetChange

pytestmark = pytest.mark.django_db

REFUSED_ADD = "本计划按双随机抽签结果生成，不能添加未抽中的学校"


def drawn_plan(cast: Cast, w: World) -> tuple[InspectionPlan, Target]:
    request = draws.DrawRequest(title="2026年冬季", count=1, per_school=1)
    made = draws.draw_run(
        cast.supervisor, draws.draw_prepare(cast.supervisor, cast.county, request)
    )
    draws.draw_publish(cast.supervisor, made)
    plan = draws.plan_from_draw(cast.supervisor, made, checklist=w.checklist)
    return plan, plan.targets.get()


def substitute(w: World, target: Target) -> Inspector:
    drawn = set(target.inspectors.all())
    return next(i for i in (w.zhou, w.wu, w.sun) if i not in drawn)


def edit_data(target: Target, inspectors: list[Inspector], **extra: str) -> dict[str, object]:
    prefix = f"target-{target.pk}"
    data: dict[str, object] = {f"{prefix}-inspectors": [i.pk for i in inspectors]}
    data.update({f"{prefix}-{k}": v for k, v in extra.items()})
    return data


def test_an_undrawn_school_cannot_be_added_to_a_draw_plan(cast: Cast) -> None:
    w = world(cast)
    plan, target = drawn_plan(cast, w)
    other = cast.school_b if target.institution == cast.school_a else cast.school_a
    with pytest.raises(ServiceError, match=REFUSED_ADD):
        visits.target_add(cast.supervisor, plan, other, [w.zhou])
    client = client_for(cast.supervisor)
    page = client.get(reverse("inspection:plan", args=[plan.pk])).content.decode()
    assert reverse("inspection:target_add", args=[plan.pk]) not in page
    response = client.post(
        reverse("inspection:target_add", args=[plan.pk]),
        {"institution": other.pk, "inspectors": [w.zhou.pk]},
        follow=True,
    )
    assert REFUSED_ADD in response.content.decode()
    assert list(plan.targets.all()) == [target]


def test_replacing_a_drawn_inspector_needs_a_reason(cast: Cast) -> None:
    w = world(cast)
    plan, target = drawn_plan(cast, w)
    drawn = list(target.inspectors.all())
    new = substitute(w, target)
    url = reverse("inspection:target_edit", args=[target.pk])
    client = client_for(cast.supervisor)
    page = client.get(reverse("inspection:plan", args=[plan.pk])).content.decode()
    assert f'name="target-{target.pk}-reason"' in page
    response = client.post(url, edit_data(target, [new]), follow=True)
    assert "须填写替换理由" in response.content.decode()
    assert list(target.inspectors.all()) == drawn
    assert not TargetChange.objects.exists()
    # the date alone changes without a reason
    client.post(url, edit_data(target, drawn, scheduled="2026-12-20"))
    target.refresh_from_db()
    assert target.scheduled == date(2026, 12, 20) and not TargetChange.objects.exists()


def test_a_replacement_with_reason_is_recorded_and_shown_on_plan_and_draw(cast: Cast) -> None:
    w = world(cast)
    plan, target = drawn_plan(cast, w)
    old = target.inspectors.get()
    new = substitute(w, target)
    url = reverse("inspection:target_edit", args=[target.pk])
    client_for(cast.supervisor).post(url, edit_data(target, [new], reason="督学因病住院"))
    assert list(target.inspectors.all()) == [new]
    change = TargetChange.objects.get()
    assert change.action == TargetChange.Action.REPLACE and change.reason == "督学因病住院"
    assert change.old_inspectors == f"{old.name}（{old.code}）"
    assert change.new_inspectors == f"{new.name}（{new.code}）"
    assert change.changed_by == cast.supervisor
    shown = f"{old.name}（{old.code}） → {new.name}（{new.code}） · 理由：督学因病住院"
    plan_page = client_for(cast.supervisor).get(reverse("inspection:plan", args=[plan.pk]))
    assert "抽签后调整" in plan_page.content.decode() and shown in plan_page.content.decode()
    draw_url = reverse("inspection:draw", args=[plan.draw_id])
    for user in (cast.supervisor, cast.leader, cast.principal_a, cast.department_head):
        text = client_for(user).get(draw_url).content.decode()
        assert "抽签后调整（1）" in text and shown in text, user
    assert client_for(cast.other_supervisor).get(draw_url).status_code == 404
    anonymous = Client().get(draw_url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")


def test_removing_a_drawn_school_needs_a_reason_and_is_recorded(cast: Cast) -> None:
    w = world(cast)
    plan, target = drawn_plan(cast, w)
    old = target.inspectors.get()
    url = reverse("inspection:target_remove", args=[target.pk])
    client = client_for(cast.supervisor)
    response = client.post(url, {}, follow=True)
    assert "须填写替换理由" in response.content.decode()
    assert Target.objects.filter(pk=target.pk).exists()
    client.post(url, {"reason": "学校停课整修"})
    assert not Target.objects.filter(pk=target.pk).exists()
    change = TargetChange.objects.get()
    assert change.action == TargetChange.Action.REMOVE
    assert change.institution == target.institution and change.reason == "学校停课整修"
    shown = f"{target.institution.name} · 移除学校：{old.name}（{old.code}） · 理由：学校停课整修"
    assert shown in client.get(reverse("inspection:plan", args=[plan.pk])).content.decode()
    draw_page = client_for(cast.inspector).get(reverse("inspection:draw", args=[plan.draw_id]))
    assert shown in draw_page.content.decode()


def test_plans_not_made_from_a_draw_are_changed_without_a_reason(cast: Cast) -> None:
    w = world(cast)
    plan, target = plan_with_target(cast, w)
    visits.target_edit(cast.supervisor, target, [w.zhou], None)
    visits.target_add(cast.supervisor, plan, cast.school_b, [w.wu])
    page = client_for(cast.supervisor).get(reverse("inspection:plan", args=[plan.pk]))
    text = page.content.decode()
    assert "替换理由" not in text and "抽签后调整" not in text
    visits.target_remove(cast.supervisor, target)
    assert not TargetChange.objects.exists()
