"""The main journey in a real browser (Playwright driving Debian's Chromium).

A school clerk logs in, fills and submits; the county reviewer returns it with a comment; the
clerk corrects and resubmits; the reviewer approves; the supervisor runs the evaluation and sees
the verdict with the failing school highlighted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import BROWSER_TEST, Cast, log_in

from dudao.collection.models import Submission

pytestmark = BROWSER_TEST

# A primary school meeting every standard except sports area (6.0 m² per student < 85% of 7.5).
SCHOOL_A = {
    "students_primary": "1000",
    "classes_primary": "24",
    "max_class_size_primary": "44",
    "teachers_primary": "70",
    "teachers_above_degree_primary": "50",
    "backbone_teachers_primary": "12",
    "pe_art_teachers_primary": "10",
    "senior_title_teachers_primary": "30",
    "teaching_area": "3000",  # 3.0 m² per student: the reviewer will question it
    "sports_area": "6000",
    "equipment_value": "2100000",
    "multimedia_rooms": "25",
}
SCHOOL_B_VALUES: dict[str, Any] = {
    "students_junior": 800.0,
    "classes_junior": 16.0,
    "max_class_size_junior": 50.0,
    "teachers_junior": 70.0,
    "teachers_above_degree_junior": 50.0,
    "backbone_teachers_junior": 10.0,
    "pe_art_teachers_junior": 8.0,
    "senior_title_teachers_junior": 30.0,
    "teaching_area": 5000.0,
    "sports_area": 9000.0,
    "equipment_value": 2_200_000.0,
    "multimedia_rooms": 20.0,
}


def test_fill_return_correct_approve_and_evaluate(
    cast: Cast, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    Submission.objects.create(
        period=cast.period, institution=cast.school_b, status="approved", values=SCHOOL_B_VALUES
    )
    base = live_server.url
    clerk = browser.new_context().new_page()
    reviewer = browser.new_context().new_page()
    fill_url = f"{base}/collection/{cast.period.pk}/school/{cast.school_a.pk}/"

    # The clerk fills and submits.
    log_in(clerk, base, "clerk_a")
    clerk.goto(fill_url)
    for key, value in SCHOOL_A.items():
        clerk.fill(f"input[name={key}]", value)
    clerk.click("button[value=submit]")
    clerk.wait_for_load_state()
    submission = Submission.objects.get(period=cast.period, institution=cast.school_a)
    assert submission.status == "submitted"

    # The reviewer returns it with a comment on the teaching area.
    log_in(reviewer, base, "supervisor")
    reviewer.goto(f"{base}/collection/submission/{submission.pk}/")
    reviewer.fill("input[name=comment_teaching_area]", "教学用房面积偏小，请核实")
    reviewer.fill("textarea[name=general]", "请核实后重新提交")
    reviewer.click("text=退回修改")
    reviewer.wait_for_load_state()
    submission.refresh_from_db()
    assert submission.status == "returned"

    # The clerk sees the comment, corrects the value and resubmits.
    clerk.goto(fill_url)
    assert "教学用房面积偏小，请核实" in clerk.content()
    clerk.fill("input[name=teaching_area]", "5000")
    clerk.click("button[value=submit]")
    clerk.wait_for_load_state()
    submission.refresh_from_db()
    assert submission.status == "submitted"
    assert submission.values["teaching_area"] == 5000

    # The reviewer approves.
    reviewer.goto(f"{base}/collection/submission/{submission.pk}/")
    reviewer.click("text=审核通过")
    reviewer.wait_for_load_state()
    submission.refresh_from_db()
    assert submission.status == "approved"

    # The supervisor runs the evaluation and sees school A failing, highlighted.
    reviewer.goto(f"{base}/evaluation/")
    reviewer.click("text=运行评估")
    reviewer.wait_for_url(f"{base}/evaluation/runs/**")
    page = reviewer.content()
    assert "未达标" in page
    row = reviewer.locator("tr", has_text=cast.school_a.name).first
    assert row.locator("td.below").count() >= 1
    reviewer.screenshot(path=str(tmp_path / "journey.png"), full_page=True)
