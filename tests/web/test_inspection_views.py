"""The pool, assignment, sign-card and checklist pages: allowed, other scope, anonymous."""

from __future__ import annotations

import pytest
from conftest import Cast, client_for
from django.test import Client
from django.urls import reverse
from inspection_builders import world

from dudao.inspection import services
from dudao.inspection.models import Conflict, Inspector

pytestmark = pytest.mark.django_db


def test_home_shows_the_county_to_the_office_and_the_sign_card_to_a_school(cast: Cast) -> None:
    office = client_for(cast.supervisor).get(reverse("inspection:home"))
    assert office.status_code == 200 and "青川县" in office.content.decode()
    school = client_for(cast.clerk_a).get(reverse("inspection:home"))
    page = school.content.decode()
    assert "本校公示牌" in page and reverse("inspection:county", args=[cast.county.pk]) not in page


def test_anonymous_users_are_sent_to_log_in(cast: Cast) -> None:
    for url in (
        reverse("inspection:home"),
        reverse("inspection:inspectors", args=[cast.county.pk]),
        reverse("inspection:sign_card", args=[cast.school_a.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("supervisor", 200),
        ("leader", 200),
        ("inspector", 200),
        ("city_reviewer", 200),
        ("other_supervisor", 404),
        ("other_inspector", 404),
        ("clerk_a", 404),
        ("department_head", 404),
    ],
)
def test_the_pool_and_county_pages_are_seen_by_county_staff_only(
    cast: Cast, who: str, status: int
) -> None:
    world(cast)
    client = client_for(getattr(cast, who))
    for name in ("inspection:county", "inspection:inspectors", "inspection:assignments"):
        assert client.get(reverse(name, args=[cast.county.pk])).status_code == status, name


def test_the_pool_list_has_a_bounded_number_of_queries(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    w = world(cast)
    services.conflict_add(cast.supervisor, w.zhou, cast.school_b, "亲属")
    for n in range(5, 25):
        data = services.InspectorData(code=f"DX{n:03d}", name=f"督学{n}", institution=cast.school_b)
        services.inspector_save(cast.supervisor, cast.county, data)
    client = client_for(cast.supervisor)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(reverse("inspection:inspectors", args=[cast.county.pk]))
    assert response.status_code == 200 and "督学24" in response.content.decode()


def test_the_office_adds_an_inspector_through_the_form(cast: Cast) -> None:
    client = client_for(cast.supervisor)
    url = reverse("inspection:inspector_new", args=[cast.county.pk])
    response = client.post(
        url,
        {"code": "DX100", "name": "新督学", "kind": "full_time", "active": "on", "version": "0"},
    )
    assert response.status_code == 302
    assert Inspector.objects.get(county=cast.county, code="DX100").kind == "full_time"


def test_a_leader_may_read_the_pool_but_not_add_to_it(cast: Cast) -> None:
    w = world(cast)
    client = client_for(cast.leader)
    assert client.get(reverse("inspection:inspector_new", args=[cast.county.pk])).status_code == 403
    assert client.get(reverse("inspection:inspector", args=[w.sun.pk])).status_code == 200
    denied = client.post(reverse("inspection:inspector", args=[w.sun.pk]), {"code": "X"})
    assert denied.status_code == 403
    denied = client.post(
        reverse("inspection:conflict_add", args=[w.sun.pk]),
        {"institution": cast.school_b.pk, "reason": "亲属"},
    )
    assert denied.status_code == 403 and not Conflict.objects.exists()


def test_a_stale_inspector_form_is_refused_with_the_message(cast: Cast) -> None:
    w = world(cast)
    client = client_for(cast.supervisor)
    form = {"code": "DX002", "name": "李督学", "kind": "part_time", "active": "on", "version": "0"}
    response = client.post(reverse("inspection:inspector", args=[w.li.pk]), form)
    assert response.status_code == 200
    assert "该记录已被他人修改，请刷新后再改" in response.content.decode()


def test_another_countys_inspector_page_is_missing(cast: Cast) -> None:
    w = world(cast)
    assert (
        client_for(cast.supervisor)
        .get(reverse("inspection:inspector", args=[w.other.pk]))
        .status_code
        == 404
    )


def test_the_office_records_and_removes_a_conflict(cast: Cast) -> None:
    w = world(cast)
    client = client_for(cast.supervisor)
    client.post(
        reverse("inspection:conflict_add", args=[w.zhou.pk]),
        {"institution": cast.school_b.pk, "reason": "配偶在该校"},
    )
    conflict = Conflict.objects.get()
    assert (
        client_for(cast.other_supervisor)
        .post(reverse("inspection:conflict_remove", args=[conflict.pk]))
        .status_code
        == 404
    )
    client.post(reverse("inspection:conflict_remove", args=[conflict.pk]))
    assert not Conflict.objects.exists()


def test_the_assignment_page_warns_above_the_configured_number(
    cast: Cast, settings: object
) -> None:
    w = world(cast)
    settings.INSPECTION_SCHOOLS_PER_INSPECTOR = 1  # type: ignore[attr-defined]
    client = client_for(cast.supervisor)
    url = reverse("inspection:assignments", args=[cast.county.pk])
    for school in (cast.school_a, cast.school_b):
        client.post(url, {"institution": school.pk, "inspector": w.sun.pk})
    page = client.get(url).content.decode()
    assert "孙督学（DX001）：2 所" in page and "超过 1 所" in page
    assert client_for(cast.leader).post(url, {"institution": cast.school_a.pk}).status_code == 403


@pytest.mark.parametrize(
    ("who", "school", "status"),
    [
        ("clerk_a", "school_a", 200),
        ("principal_a", "school_a", 200),
        ("clerk_a", "school_b", 404),
        ("inspector", "school_b", 200),
        ("supervisor", "school_a", 200),
        ("other_supervisor", "school_a", 404),
    ],
)
def test_sign_cards_are_printable_by_the_school_and_county_staff(
    cast: Cast, who: str, school: str, status: int
) -> None:
    w = world(cast)
    services.assignment_set(cast.supervisor, cast.school_a, w.sun)
    url = reverse("inspection:sign_card", args=[getattr(cast, school).pk])
    response = client_for(getattr(cast, who)).get(url)
    assert response.status_code == status
    if status == 200 and school == "school_a":
        page = response.content.decode()
        assert "孙督学" in page and "13800000001" in page and "@media print" in page
        assert f"{cast.county.name}人民政府教育督导室：" in page  # the office's one name


def test_checklist_pages(cast: Cast) -> None:
    w = world(cast)
    url = reverse("inspection:checklist", args=[w.checklist.pk])
    assert client_for(cast.inspector).get(url).status_code == 200
    assert client_for(cast.other_supervisor).get(url).status_code == 404
    assert client_for(cast.clerk_a).get(url).status_code == 404
    assert client_for(cast.inspector).post(url, {}).status_code == 403
    new = reverse("inspection:checklist_new", args=[cast.county.pk])
    assert client_for(cast.leader).get(new).status_code == 403
    response = client_for(cast.supervisor).post(
        new, {"name": "专项表", "pass_mark": "5", "lines": "食堂|证照齐全|1|是:10;否:0"}
    )
    assert response.status_code == 302
    bad = client_for(cast.supervisor).post(
        new, {"name": "坏表", "pass_mark": "5", "lines": "食堂|证照齐全"}
    )
    assert "第1行：应有 4 栏" in bad.content.decode()
