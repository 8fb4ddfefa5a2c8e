"""Key-task supervision in a real browser (Playwright driving Debian's Chromium).

The county office imports the sample decomposition table and opens a progress round; the head
of 教育股 reports on one of its tasks; a leader sees the traffic lights on the plan page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import BROWSER_TEST, Cast, log_in
from django.utils import timezone

from dudao.workplan.models import Report, Round, WorkPlan
from dudao.workplan.views_import import SAMPLE

pytestmark = BROWSER_TEST


def test_import_open_a_round_report_and_see_the_lights(
    cast: Cast, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    base = live_server.url
    office = browser.new_context().new_page()
    department = browser.new_context().new_page()
    leader = browser.new_context().new_page()

    # The office imports the sample table: preview first, then confirm.
    log_in(office, base, "supervisor")
    office.goto(f"{base}/workplan/import/")
    office.set_input_files("input[name=file]", str(SAMPLE))
    office.click("button:has-text('上传并预览')")
    office.wait_for_url(f"{base}/workplan/import/*/")
    assert "推进县管校聘改革" in office.content()
    assert not WorkPlan.objects.exists()
    office.click("button:has-text('确认导入')")
    office.wait_for_url(f"{base}/workplan/plans/*/")
    plan = WorkPlan.objects.get()
    assert plan.tasks.count() == 7

    # The office opens a round (the due date follows the plan's two-month cycle).
    office.fill("input[name=opened_on]", timezone.localdate().isoformat())
    office.click("button:has-text('发起调度')")
    office.wait_for_url(f"{base}/workplan/rounds/*/")
    round_ = Round.objects.get()

    # The head of 教育股 reports on the first of its tasks.
    log_in(department, base, "department_head")
    department.goto(f"{base}/workplan/mine/")
    department.locator("a.button", has_text="报送").first.click()
    department.wait_for_url(f"{base}/workplan/rounds/{round_.pk}/tasks/*/report/**")
    department.select_option("select[name=status]", "in_progress")
    department.fill("input[name=percent]", "95")
    department.fill("textarea[name=done]", "已召开专题会议，方案已印发")
    department.click("button:has-text('提交')")
    department.wait_for_url(f"{base}/workplan/rounds/{round_.pk}/")
    report = Report.objects.get()
    assert (report.department, report.percent) == (cast.department, 95)

    # A leader reads the plan with its traffic lights.
    log_in(leader, base, "leader")
    leader.goto(f"{base}/workplan/plans/{plan.pk}/")
    lights = leader.locator("td[data-light]")
    assert lights.count() == 7
    shown = {lights.nth(i).get_attribute("data-light") for i in range(lights.count())}
    assert "green" in shown and len(shown) >= 2
    assert "95%" in leader.content()
    leader.screenshot(path=str(tmp_path / "workplan.png"), full_page=True)
