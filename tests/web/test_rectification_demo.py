"""The demo seed of hand-made rectification items: states spread so the four lists show progress."""

from __future__ import annotations

from datetime import date

from conftest import Cast
from rectification_helpers import assign

from dudao.core.management.demo_rectification import seed_rectification
from dudao.rectification.lists import four_lists
from dudao.rectification.models import Rectification


def test_the_seed_spreads_items_over_states_and_deadlines(cast: Cast) -> None:
    users = {
        "demo_supervisor": cast.supervisor,
        "demo_inspector": cast.inspector,
        "demo_clerk": cast.clerk_a,
        "demo_department": cast.department_head,
    }
    today = date(2026, 11, 25)
    assign(cast.inspector, cast.school_a)  # as the inspection demo does: he verifies its items
    summary = seed_rectification(cast.county, users, today)
    items = list(Rectification.objects.filter(county=cast.county))
    assert {i.source for i in items} == {"complaint", "instruction"}
    assert sorted(i.status for i in items) == ["closed", "open", "open", "responded"]
    progress = four_lists(items, today, 7).progress
    assert (progress.total, progress.closed, progress.overdue, progress.soon) == (4, 1, 1, 1)
    assert "登记 4 项" in summary and "石桥镇中心小学临期 1 项" in summary
    seed_rectification(cast.county, users, today)  # idempotent: keyed items are not repeated
    assert Rectification.objects.count() == 4
