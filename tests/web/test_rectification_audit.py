"""Rectification fixes from the audit of issue 5: stale edits, required deadlines, links,
the admin, the notice number, the weekly 周检查 part and the supervisor's home card."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
from conftest import Cast
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from inspection_builders import all_scores, plan_with_target, world
from test_evaluation_data import GOOD_JUNIOR, POOR_PRIMARY, submit
from test_rectification_views import make

from dudao.core.officialdoc import document_text
from dudao.evaluation.models import Run
from dudao.evaluation.services import run_evaluation
from dudao.inspection import visits
from dudao.inspection.models import Visit
from dudao.rectification import services
from dudao.rectification.models import Rectification
from dudao.rectification.weekly import weekly_summary

pytestmark = pytest.mark.django_db


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def hand_made(cast: Cast, **kwargs: object) -> dict[str, object]:
    return {
        "county": cast.county.pk,
        "source": "complaint",
        "institution": cast.school_b.pk,
        "problem": "放学时段校门口拥堵",
        **kwargs,
    }


@pytest.fixture
def run(cast: Cast) -> Run:
    submit(cast.period, cast.school_a, POOR_PRIMARY)
    submit(cast.period, cast.school_b, GOOD_JUNIOR)
    return run_evaluation(cast.supervisor, cast.period)


def recorded_visit(cast: Cast, when: date = date(2026, 12, 1)) -> Visit:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    data = visits.VisitData(
        visited_on=when,
        choices=all_scores(),
        inspectors=[w.sun],
        findings=[visits.FindingData("食堂留样记录不全", "补齐留样台账", date(2027, 1, 31))],
    )
    return visits.visit_record(cast.inspector, target, data, today=when)


# ---------------------------------------------------------------- deadlines (items 2, 15)


def test_an_item_registered_by_hand_needs_a_deadline(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    response = as_user(cast.supervisor).post(reverse("rectification:create"), hand_made(cast))
    assert response.status_code == 200 and "请填写整改时限" in page(response)
    assert not Rectification.objects.exists()


def test_an_item_registered_by_hand_with_a_past_deadline_is_refused(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    past = timezone.localdate() - timedelta(days=1)
    data = hand_made(cast, deadline=past.isoformat())
    response = as_user(cast.supervisor).post(reverse("rectification:create"), data)
    assert response.status_code == 200 and f"整改时限 {past:%Y-%m-%d} 已过" in page(response)
    assert not Rectification.objects.exists()


def test_an_item_registered_by_hand_due_today_is_accepted(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    data = hand_made(cast, deadline=timezone.localdate().isoformat())
    response = as_user(cast.supervisor).post(reverse("rectification:create"), data)
    assert response.status_code == 302
    assert Rectification.objects.get().deadline == timezone.localdate()


def test_the_evaluation_action_needs_a_deadline(
    cast: Cast, run: Run, as_user: Callable[[User], Client]
) -> None:
    client = as_user(cast.supervisor)
    response = client.post(reverse("rectification:from_run", args=[run.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:run", args=[run.pk])
    assert not Rectification.objects.exists()
    assert "未生成整改事项：请填写整改时限" in page(client.get(response["Location"]))


def test_the_evaluation_action_refuses_a_past_deadline(
    cast: Cast, run: Run, as_user: Callable[[User], Client]
) -> None:
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    url = reverse("rectification:from_run", args=[run.pk])
    as_user(cast.supervisor).post(url, {"deadline": past})
    assert not Rectification.objects.exists()


def test_the_run_page_asks_for_the_deadline(
    cast: Cast, run: Run, as_user: Callable[[User], Client]
) -> None:
    text = page(as_user(cast.supervisor).get(reverse("evaluation:run", args=[run.pk])))
    assert '<input type="date" name="deadline" required>' in text
    assert "可不填" not in text


# ---------------------------------------------------------------- links (item 15)


def test_the_run_page_links_to_the_items_it_generated(
    cast: Cast, run: Run, as_user: Callable[[User], Client]
) -> None:
    client = as_user(cast.supervisor)
    client.post(
        reverse("rectification:from_run", args=[run.pk]),
        {"deadline": "2027-03-01", "responsible": "各校校长"},
    )
    other = make(cast, key="hand")
    link = f"{reverse('rectification:items')}?county={cast.county.pk}&amp;period={cast.period.pk}"
    assert link in page(client.get(reverse("evaluation:run", args=[run.pk])))
    url = f"{reverse('rectification:items')}?county={cast.county.pk}&period={cast.period.pk}"
    text = page(client.get(url))
    generated = Rectification.objects.filter(source="evaluation")
    assert generated.exists()
    for item in generated:
        assert reverse("rectification:detail", args=[item.pk]) in text
    assert reverse("rectification:detail", args=[other.pk]) not in text
    assert "仅显示该填报期评估结果生成的整改事项" in text


def test_an_item_from_a_visit_links_to_the_visit(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    visit = recorded_visit(cast)
    item = Rectification.objects.get(source_key=f"visit:{visit.pk}:finding:1")
    text = page(as_user(cast.supervisor).get(reverse("rectification:detail", args=[item.pk])))
    assert f'href="{reverse("inspection:visit", args=[visit.pk])}"' in text
    assert "查看督查记录" in text


def test_an_item_by_hand_has_no_visit_link(cast: Cast, as_user: Callable[[User], Client]) -> None:
    item = make(cast, key="")
    text = page(as_user(cast.supervisor).get(reverse("rectification:detail", args=[item.pk])))
    assert "查看督查记录" not in text


# ---------------------------------------------------------------- the admin (item 14)


def test_the_admin_cannot_change_the_status_nor_the_history(
    cast: Cast, admin_client: Client
) -> None:
    item = make(cast)
    url = reverse("admin:rectification_rectification_change", args=[item.pk])
    text = page(admin_client.get(url))
    assert 'name="status"' not in text  # shown read-only
    assert 'name="deadline"' in text
    data = {
        "county": cast.county.pk,
        "institution": cast.school_a.pk,
        "source": "inspection",
        "problem": item.problem,
        "deadline": "2027-01-31",
        "status": "closed",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    admin_client.post(url, data)
    item.refresh_from_db()
    assert item.status == "open"
    event = item.events.get()
    assert (
        admin_client.get(reverse("admin:rectification_rectificationevent_add")).status_code == 403
    )
    delete = reverse("admin:rectification_rectificationevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:rectification_rectificationevent_change", args=[event.pk])
    admin_client.post(change, {"note": "改写", "action": "verify"})
    event.refresh_from_db()
    assert event.note != "改写" and event.action == "create"
    assert admin_client.get(reverse("admin:rectification_rectification_add")).status_code == 403
    assert item.events.count() == 1


# ---------------------------------------------------------------- the weekly summary (item 9)


def noon(day: int) -> datetime:
    return datetime(2026, 12, day, 4, 0, tzinfo=UTC)  # week 49: 30 Nov – 6 Dec 2026


def test_an_item_answered_twice_in_the_week_counts_once(cast: Cast) -> None:
    item = make(cast)
    item = services.rectification_respond(cast.clerk_a, item, note="做了", version=1, now=noon(1))
    item = services.rectification_return(
        cast.supervisor, item, reason="不实", version=2, now=noon(2)
    )
    services.rectification_respond(cast.clerk_a, item, note="补做", version=3, now=noon(3))
    summary = weekly_summary(cast.county, 2026, 49)
    assert (summary.total.responded, summary.total.returned) == (1, 1)


def test_the_weekly_summary_lists_the_week_s_visits(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    visit = recorded_visit(cast, date(2026, 12, 1))
    assert weekly_summary(cast.county, 2026, 48).visits == []  # the week before: none
    client = as_user(cast.supervisor)
    params = {"county": cast.county.pk, "week": "2026-W49"}
    text = page(client.get(reverse("rectification:weekly"), params))
    assert "周检查（1 次）" in text
    assert "石桥镇中心小学" in text and "2026-12-01" in text and "孙督学" in text
    assert f'href="{reverse("inspection:visit", args=[visit.pk])}"' in text
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("rectification:weekly_export"), params).content)
    )
    rows = list(book["周检查"].iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "学校", "检查日期")
    assert rows[1][1:4] == ("石桥镇中心小学", "2026-12-01", "孙督学") and rows[1][5] == 1
    doc = document_text(client.get(reverse("rectification:weekly_docx"), params).content)
    assert "二、本周检查情况" in doc and "全县开展督导检查 1 次，发现问题 1 项" in doc
    assert "石桥镇中心小学" in doc


def test_a_week_without_visits_says_so(cast: Cast, as_user: Callable[[User], Client]) -> None:
    params = {"county": cast.county.pk, "week": "2026-W49"}
    client = as_user(cast.supervisor)
    assert "本周没有检查记录" in page(client.get(reverse("rectification:weekly"), params))
    doc = document_text(client.get(reverse("rectification:weekly_docx"), params).content)
    assert "本周没有督导检查记录" in doc
