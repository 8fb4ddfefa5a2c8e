"""Inspections in a real browser (Playwright driving Debian's Chromium).

The county office prepares a random draw (only the seed's digest is shown), draws (the seed is
revealed), publishes and turns the result into a plan; the assigned inspector records a visit
against the checklist with a finding and sees the rectification item it created.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from conftest import BROWSER_TEST, Cast, log_in
from django.utils import timezone
from inspection_builders import world

from dudao.inspection.models import InspectionPlan, Inspector, RandomDraw, Visit
from dudao.rectification.models import Rectification

pytestmark = BROWSER_TEST


def test_draw_publish_plan_and_record_a_visit_with_a_finding(
    cast: Cast, live_server: Any, browser: Any
) -> None:
    w = world(cast)
    # Only 孙督学 is on duty, so the draw sends him to both schools.
    Inspector.objects.exclude(pk=w.sun.pk).update(active=False)
    base = live_server.url
    office = browser.new_context().new_page()
    log_in(office, base, "supervisor")

    # Prepare: every school of the county, 2 schools, 1 inspector each.
    office.goto(f"{base}/inspection/county/{cast.county.pk}/draws/new/")
    office.fill("input[name=title]", "冬季双随机")
    office.fill("input[name=count]", "2")
    office.fill("input[name=per_school]", "1")
    office.click("text=准备抽签")
    draw = RandomDraw.objects.get()
    assert office.inner_text("#seed-digest") == draw.seed_digest
    assert draw.seed not in office.content()

    # Draw: the seed is revealed and the result listed; then publish and make the plan.
    office.click("text=开始抽签")
    office.wait_for_selector("#draw-result")
    assert office.inner_text("#seed") == draw.seed
    office.click("text=公示抽签结果")
    office.wait_for_selector("text=已公示")
    office.select_option("select[name=checklist]", str(w.checklist.pk))
    office.click("text=按抽签结果生成督查计划")
    office.wait_for_selector("text=记录检查")
    plan = InspectionPlan.objects.get(draw=draw)
    assert {t.institution for t in plan.targets.all()} == {cast.school_a, cast.school_b}

    # The inspector records the visit with one finding.
    inspector = browser.new_context().new_page()
    log_in(inspector, base, "inspector")
    inspector.goto(f"{base}/inspection/")
    inspector.click("text=记录检查")
    for key in ("1.1", "1.2", "2.1"):
        inspector.select_option(f"select[name='score_{key}']", "0")
    today = timezone.localdate()  # the plan was made today: the visit cannot be dated earlier
    inspector.fill("input[name=visited_on]", f"{today:%Y-%m-%d}")
    inspector.fill("textarea[name=f0-problem]", "消防通道堆放杂物")
    inspector.fill("input[name=f0-deadline]", f"{today + timedelta(days=30):%Y-%m-%d}")
    inspector.fill("input[name=f0-responsible]", "后勤主任")
    inspector.click("text=保存检查记录")
    inspector.wait_for_selector("#visit-total")
    assert inspector.inner_text("#visit-total") == "40"
    visit = Visit.objects.get()
    item = Rectification.objects.get(source_key=f"visit:{visit.pk}:finding:1")
    assert item.institution == visit.target.institution
    assert visit.target.plan == plan and list(visit.inspectors.all()) == [w.sun]
    inspector.click("text=查看整改清单")
    inspector.wait_for_selector("text=消防通道堆放杂物")
