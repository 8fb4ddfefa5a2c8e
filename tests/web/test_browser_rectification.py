"""Rectification in a real browser (Playwright driving Debian's Chromium).

An inspection finding becomes an item; the school clerk responds with a note and an evidence
file; the inspector returns it once with a reason; the clerk responds again; the inspector
verifies; the county's four lists show 清零 100%.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from conftest import BROWSER_TEST, Cast, log_in
from django.utils import timezone
from rectification_helpers import assign

from dudao.rectification import services
from dudao.rectification.models import RectificationFile

pytestmark = BROWSER_TEST


def test_respond_return_respond_verify_and_clear(
    cast: Cast, live_server: Any, browser: Any, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    assign(cast.inspector, cast.school_a)  # the 责任督学 verifies the school's items
    item, _ = services.rectification_create(
        cast.inspector,
        county=cast.county,
        source="inspection",
        source_key="visit:1:finding:1",
        source_label="2026年秋季责任督学挂牌督导",
        problem="功能室使用记录不全",
        institution=cast.school_a,
        measures="建立功能室使用登记制度",
        responsible="张校长",
        deadline=timezone.localdate() + timedelta(days=3),
    )
    evidence = tmp_path / "登记簿照片.pdf"
    evidence.write_bytes(b"%PDF-1.4 photo of the register")
    base = live_server.url
    detail = f"{base}/rectification/{item.pk}/"
    clerk = browser.new_context().new_page()
    inspector = browser.new_context().new_page()

    # The clerk sees the item (soon due) on the school's list and responds with a file.
    log_in(clerk, base, "clerk_a")
    clerk.goto(f"{base}/rectification/")
    row = clerk.locator("tr", has_text="功能室使用记录不全")
    assert "near" in (row.get_attribute("class") or "")
    row.locator("a").click()
    clerk.wait_for_url(detail)
    clerk.fill("#respond textarea[name=note]", "已建立登记制度，见登记簿照片")
    clerk.set_input_files("#respond input[name=files]", str(evidence))
    clerk.click("text=提交反馈")
    clerk.wait_for_url(detail)
    assert clerk.inner_text("#status") == "已反馈"
    assert RectificationFile.objects.get().name == "登记簿照片.pdf"

    # The inspector returns it once with a reason.
    log_in(inspector, base, "inspector")
    inspector.goto(detail)
    assert "登记簿照片.pdf" in inspector.content()
    inspector.fill("#verify form:nth-of-type(2) textarea[name=note]", "照片不清晰，请补充使用记录")
    inspector.click("text=退回重改")
    inspector.wait_for_url(detail)
    assert inspector.inner_text("#status") == "待整改"

    # The clerk reads the reason and responds again.
    clerk.goto(detail)
    assert "照片不清晰，请补充使用记录" in clerk.content()
    clerk.fill("#respond textarea[name=note]", "已补充本学期使用记录")
    clerk.click("text=提交反馈")
    clerk.wait_for_url(detail)
    assert clerk.inner_text("#status") == "已反馈"

    # The inspector verifies; the county's four lists are cleared.
    inspector.goto(detail)
    inspector.fill("#verify form:nth-of-type(1) textarea[name=note]", "经现场核验，整改到位")
    inspector.click("text=核验销号")
    inspector.wait_for_url(detail)
    assert inspector.inner_text("#status") == "已核验销号"
    inspector.goto(f"{base}/rectification/lists/?county={cast.county.pk}")
    assert inspector.inner_text("#percent") == "清零 100%"
    inspector.screenshot(path=str(tmp_path / "rectification.png"), full_page=True)
