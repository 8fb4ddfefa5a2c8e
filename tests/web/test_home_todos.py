"""The home page's to-do card: key-task reminders, rectification items to answer or verify,
schools to inspect — each for the right people only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import Cast
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from inspection_builders import plan_with_target, world
from rectification_helpers import assign
from test_workplan_models import make_plan, make_round

from dudao.core.todo import supervision_todos
from dudao.rectification import services as rectification

pytestmark = pytest.mark.django_db
TODAY = date(2026, 2, 26)


@pytest.fixture(autouse=True)
def assigned_inspector(cast: Cast) -> None:
    """`cast.inspector` is school A's 责任督学: its answered items wait for him."""
    assign(cast.inspector, cast.school_a)


def _item(cast: Cast, *, deadline: date, problem: str = "食堂留样记录不全"):  # type: ignore[no-untyped-def]
    item, _ = rectification.rectification_create(
        cast.supervisor,
        county=cast.county,
        source="complaint",
        source_key="",
        source_label="群众投诉",
        problem=problem,
        institution=cast.school_a,
        deadline=deadline,
    )
    return item


def _texts(user: object) -> list[str]:
    return [t.text for t in supervision_todos(user, today=TODAY)]  # type: ignore[arg-type]


def test_a_department_is_reminded_of_a_round_closing_without_its_report(cast: Cast) -> None:
    data = make_plan(cast)
    make_round(data.plan, due_on=TODAY + timedelta(days=2))
    assert any(t.startswith("重点工作：") for t in _texts(cast.department_head))
    assert not any(t.startswith("重点工作：") for t in _texts(cast.clerk_a))


def test_a_school_sees_its_overdue_item_first_and_the_inspector_what_to_verify(
    cast: Cast,
) -> None:
    late = _item(cast, deadline=TODAY - timedelta(days=1))
    _item(cast, deadline=TODAY + timedelta(days=10), problem="消防通道堆放杂物")
    todos = supervision_todos(cast.clerk_a, today=TODAY)  # type: ignore[arg-type]
    assert todos[0].text == "整改：2 项待反馈（其中已逾期 1 项）" and todos[0].urgent
    assert _texts(cast.clerk_b) == []  # another school of the county
    rectification.rectification_respond(
        cast.clerk_a, late, note="已补齐留样记录", version=late.version
    )
    assert "整改：1 项已反馈，待核验销号" in _texts(cast.inspector)
    assert "整改：1 项已反馈，待核验销号" in _texts(cast.supervisor)
    assert _texts(cast.other_inspector) == [] and _texts(cast.nobody) == []


def test_an_inspector_sees_the_schools_still_to_inspect(cast: Cast) -> None:
    plan_with_target(cast, world(cast))
    assert "督查：1 所学校待检查" in _texts(cast.inspector)
    assert not any(t.startswith("督查") for t in _texts(cast.other_inspector))


def test_the_home_page_shows_the_to_do_card_with_links(cast: Cast) -> None:
    _item(cast, deadline=timezone.localdate() + timedelta(days=3))
    client = Client()
    client.force_login(cast.clerk_a)
    page = client.get(reverse("home")).content.decode()
    assert "待办" in page and "整改：1 项待反馈" in page
    assert f'href="{reverse("rectification:items")}?status=open"' in page
    client.force_login(cast.nobody)
    assert "待办" not in client.get(reverse("home")).content.decode()


def test_the_to_do_links_lead_to_the_items_they_count(cast: Cast) -> None:
    item = _item(cast, deadline=TODAY)
    client = Client()
    client.force_login(cast.clerk_a)
    todo = supervision_todos(cast.clerk_a, today=TODAY)[0]  # type: ignore[arg-type]
    assert item.problem in client.get(todo.url).content.decode()
    rectification.rectification_respond(cast.clerk_a, item, note="已整改", version=item.version)
    client.force_login(cast.inspector)
    todo = supervision_todos(cast.inspector, today=TODAY)[0]  # type: ignore[arg-type]
    assert item.problem in client.get(todo.url).content.decode()


def test_the_office_sees_every_open_item_of_its_county(cast: Cast) -> None:
    _item(cast, deadline=TODAY - timedelta(days=1))  # a school's, overdue
    _item(cast, deadline=TODAY + timedelta(days=5), problem="消防通道堆放杂物")
    own, _ = rectification.rectification_create(
        cast.supervisor,
        county=cast.county,
        source="complaint",
        source_key="",
        source_label="领导批示",
        problem="县级督导档案不全",
        deadline=TODAY + timedelta(days=5),
    )  # a county-level item: the office's own
    todos = supervision_todos(cast.supervisor, today=TODAY)  # type: ignore[arg-type]
    texts = [t.text for t in todos]
    assert "整改：全县 3 项待整改（其中已逾期 1 项）" in texts
    assert not any(t.endswith("项待反馈") or "待反馈（" in t for t in texts)  # not counted twice
    assert _texts(cast.other_supervisor) == []  # another county's office
    client = Client()
    client.force_login(cast.supervisor)
    url = next(t.url for t in todos if "全县" in t.text)
    assert url.endswith(f"?county={cast.county.pk}&status=open")
    listed = client.get(url).content.decode()
    assert "食堂留样记录不全" in listed and own.problem in listed
