"""Correcting inspection mistakes in a real browser: the office edits a target's inspectors and
date, removes a target (confirming the dialog), deletes the plan and cancels a prepared draw."""

from __future__ import annotations

from datetime import date
from typing import Any

from conftest import BROWSER_TEST, Cast, log_in
from inspection_builders import plan_with_target, world

from dudao.inspection import draws, visits
from dudao.inspection.models import InspectionPlan, RandomDraw, Target

pytestmark = BROWSER_TEST


def test_the_office_edits_and_removes_targets_then_deletes_the_plan(
    cast: Cast, live_server: Any, browser: Any
) -> None:
    w = world(cast)
    plan, target = plan_with_target(cast, w)
    other = visits.target_add(cast.supervisor, plan, cast.school_b, [w.wu])
    base = live_server.url
    page = browser.new_context().new_page()
    log_in(page, base, "supervisor")
    page.goto(f"{base}/inspection/plan/{plan.pk}/")

    # 修改: the form opens prefilled with the current inspector and date.
    row = page.locator("tr", has_text=cast.school_a.name)
    row.locator("summary", has_text="修改").click()
    select = row.locator(f"select[name='target-{target.pk}-inspectors']")
    assert select.evaluate("s => Array.from(s.selectedOptions).map(o => o.value)") == [
        str(w.sun.pk)
    ]
    select.select_option([str(w.zhou.pk)])
    row.locator(f"input[name='target-{target.pk}-scheduled']").fill("2026-12-20")
    row.locator("button", has_text="保存修改").click()
    page.wait_for_selector(f"text=已修改检查对象：{cast.school_a.name}")
    target.refresh_from_db()
    assert list(target.inspectors.all()) == [w.zhou]
    assert target.scheduled == date(2026, 12, 20)

    # 移除: dismissing the confirmation keeps the target, accepting it removes the target.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("tr", has_text=cast.school_b.name).locator("button", has_text="移除").click()
    assert Target.objects.filter(pk=other.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("tr", has_text=cast.school_b.name).locator("button", has_text="移除").click()
    page.wait_for_selector(f"text=已移除检查对象：{cast.school_b.name}")
    assert not Target.objects.filter(pk=other.pk).exists()

    # 删除计划, after confirming: back on the county page.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('删除计划')")
    page.wait_for_selector(f"text=已删除督查计划：{plan.title}")
    assert page.url.endswith(f"/inspection/county/{cast.county.pk}/")
    assert not InspectionPlan.objects.filter(pk=plan.pk).exists()


def test_the_office_cancels_a_prepared_draw(cast: Cast, live_server: Any, browser: Any) -> None:
    world(cast)
    made = draws.draw_prepare(
        cast.supervisor, cast.county, draws.DrawRequest(title="冬季双随机", count=1, per_school=1)
    )
    base = live_server.url
    page = browser.new_context().new_page()
    log_in(page, base, "supervisor")
    page.goto(f"{base}/inspection/draw/{made.pk}/")
    page.fill("input[name=reason]", "候选范围选错，重新准备")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('作废')")
    page.wait_for_selector("#draw-cancelled")
    assert "候选范围选错，重新准备" in page.inner_text("#draw-cancelled")
    assert page.locator("button", has_text="开始抽签").count() == 0
    cancelled = RandomDraw.objects.get(pk=made.pk)
    assert cancelled.is_cancelled and not cancelled.is_drawn
