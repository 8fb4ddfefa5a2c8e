"""The notice and the ladder in a real browser (Playwright driving Debian's Chromium).

The county office opens the notice page of a closed round, sets the notice number, downloads the
DOCX (its text is checked), then records an accountability action from the system's suggestion.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from conftest import BROWSER_TEST, Cast, log_in
from test_workplan_followup_data import YEAR, add_light, add_round, follow_up

from dudao.core.officialdoc import document_text
from dudao.workplan.choices import LightChoice
from dudao.workplan.models import AccountabilityAction, Round

pytestmark = BROWSER_TEST


def test_the_office_numbers_downloads_the_notice_and_acts_on_a_suggestion(
    cast: Cast, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    data = follow_up(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), closed=True, opened_on=date(YEAR, 3, 1))
    add_light(round2, data.task1, LightChoice.GREEN, "按计划推进")
    add_light(round2, data.task2, LightChoice.RED, "自报滞后")
    add_light(round2, data.task3, LightChoice.GREEN, "按计划推进")
    base = live_server.url
    page = browser.new_context(accept_downloads=True).new_page()
    log_in(page, base, "supervisor")

    # The notice page of the closed first round; the office sets the number.
    page.goto(f"{base}/workplan/rounds/{data.round1.pk}/notice/")
    assert "关于2026年重点工作第1次调度情况的通报" in page.content()
    page.fill("input[name=notice_number]", "青教督〔2026〕3号")
    page.click("text=保存文号")
    page.wait_for_load_state()
    assert "已保存通报文号" in page.content()
    assert Round.objects.get(pk=data.round1.pk).notice_number == "青教督〔2026〕3号"

    # The DOCX download carries the number, the statistics and the lagging table.
    with page.expect_download() as info:
        page.click("text=下载通报（Word）")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    text = document_text(Path(download.path()).read_bytes())
    assert "青教督〔2026〕3号" in text
    assert "按时报送率66.7%" in text
    assert "1 | 抓常规第2项：教师交流轮岗 | 人事股 | 10% | 滞后 | 红灯：自报滞后" in text

    # The ladder suggests criticism for 人事股 (red in both closed rounds); a person decides.
    page.goto(f"{base}/workplan/plans/{data.plan.pk}/actions/")
    assert "系统建议，由人决定" in page.content()
    page.locator("tr", has_text="通报批评").locator("text=按此建议填写").click()
    page.wait_for_load_state()
    assert page.input_value("select[name=kind]") == "criticism"
    assert page.input_value("select[name=department]") == str(cast.other_department.pk)
    assert "进展缓慢" in page.input_value("textarea[name=reason]")
    assert page.input_value("input[name=on]")  # today, in the date picker's format
    with page.expect_navigation():
        page.click("#record button[type=submit]")
    assert "已记录问责措施" in page.content()
    action = AccountabilityAction.objects.get()
    assert (action.kind, action.department_id, action.decided_by_id) == (
        "criticism",
        cast.other_department.pk,
        cast.supervisor.pk,
    )
    assert list(action.tasks.values_list("pk", flat=True)) == [data.task2.pk]
    page.screenshot(path=str(tmp_path / "actions.png"), full_page=True)
