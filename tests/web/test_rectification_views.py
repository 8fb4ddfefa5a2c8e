"""Rectification item pages: allowed (200), other scope (404), anonymous (log-in), refused (403)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import Cast
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings
from rectification_helpers import assign

from dudao.rectification import services
from dudao.rectification.choices import RectificationStatus
from dudao.rectification.models import Rectification, RectificationFile

STALE = "该记录已被他人修改：已载入最新内容，您填写的文字已保留，请核对后重新提交（附件需重新选择）"


@pytest.fixture(autouse=True)
def assigned_inspector(cast: Cast) -> None:
    """`cast.inspector` is the 责任督学 of schools A and B: he may verify their items."""
    assign(cast.inspector, cast.school_a, cast.school_b)


def make(cast: Cast, key: str = "k1", **kwargs: object) -> Rectification:
    options: dict[str, object] = {
        "county": cast.county,
        "source": "inspection",
        "source_key": key,
        "source_label": "秋季督查",
        "problem": f"问题{key}",
        "institution": cast.school_a,
        "deadline": timezone.localdate() + timedelta(days=30),
        **kwargs,
    }
    item, _ = services.rectification_create(cast.inspector, **options)  # type: ignore[arg-type]
    return item


def responded(cast: Cast, **kwargs: object) -> Rectification:
    return services.rectification_respond(
        cast.clerk_a, make(cast, **kwargs), note="已整改", version=1
    )


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def assert_login_redirect(client: Client, url: str, method: str = "get") -> None:
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={url}")


# ---------------------------------------------------------------- the item list


def test_the_office_sees_the_county_s_items_with_overdue_highlighted(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    today = timezone.localdate()
    make(cast, "late", deadline=today - timedelta(days=1))
    make(cast, "soon", deadline=today + timedelta(days=3))
    make(cast, "later", deadline=today + timedelta(days=40))
    text = page(as_user(cast.supervisor).get(reverse("rectification:items")))
    assert "问题late" in text and "问题soon" in text and "问题later" in text
    assert '<tr class="below">' in text and '<tr class="near">' in text
    assert "已逾期" in text and "临期" in text
    assert "登记整改事项" in text


def test_the_soon_window_follows_the_query_parameter(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "later", deadline=timezone.localdate() + timedelta(days=20))
    client = as_user(cast.supervisor)
    assert '<tr class="near">' not in page(client.get(reverse("rectification:items")))
    assert '<tr class="near">' in page(client.get(reverse("rectification:items") + "?soon=30"))


def test_the_soon_window_follows_the_setting(
    cast: Cast, as_user: Callable[[User], Client], settings: Settings
) -> None:
    settings.RECTIFICATION_SOON_DAYS = 30
    make(cast, "later", deadline=timezone.localdate() + timedelta(days=20))
    assert '<tr class="near">' in page(as_user(cast.leader).get(reverse("rectification:items")))


def test_a_school_sees_only_its_own_items(cast: Cast, as_user: Callable[[User], Client]) -> None:
    make(cast, "a")
    make(cast, "b", institution=cast.school_b)
    make(cast, "d", institution=None, department=cast.department)
    text = page(as_user(cast.clerk_a).get(reverse("rectification:items")))
    assert "问题a" in text and "问题b" not in text and "问题d" not in text
    assert "登记整改事项" not in text


def test_a_department_sees_only_its_own_items(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")
    make(cast, "d", institution=None, department=cast.department)
    text = page(as_user(cast.department_head).get(reverse("rectification:items")))
    assert "问题d" in text and "问题a" not in text


def test_the_county_list_filters_by_school_and_status(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")
    responded(cast, key="r")
    make(cast, "b", institution=cast.school_b)
    client = as_user(cast.inspector)
    text = page(client.get(reverse("rectification:items"), {"institution": cast.school_b.pk}))
    assert "问题b" in text and "问题a" not in text
    text = page(client.get(reverse("rectification:items"), {"status": "responded"}))
    assert "问题r" in text and "问题a" not in text


def test_another_county_s_school_or_department_is_not_found(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    client = as_user(cast.other_supervisor)
    url = reverse("rectification:items")
    assert client.get(url, {"institution": cast.school_a.pk}).status_code == 404
    assert client.get(url, {"department": cast.department.pk}).status_code == 404
    assert client.get(url, {"county": cast.county.pk}).status_code == 404
    assert as_user(cast.clerk_a).get(url, {"institution": cast.school_b.pk}).status_code == 404
    assert as_user(cast.clerk_a).get(url, {"county": cast.county.pk}).status_code == 404


def test_a_user_without_a_role_finds_no_items(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    assert as_user(cast.nobody).get(reverse("rectification:items")).status_code == 404


def test_the_item_list_needs_a_log_in(cast: Cast, client: Client) -> None:
    assert_login_redirect(client, reverse("rectification:items"))


def test_the_item_list_query_count_is_bounded(
    cast: Cast, as_user: Callable[[User], Client], django_assert_max_num_queries: object
) -> None:
    for n in range(15):
        make(cast, f"s{n}")
        make(cast, f"d{n}", institution=None, department=cast.department)
    client = as_user(cast.supervisor)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert client.get(reverse("rectification:items")).status_code == 200


# ---------------------------------------------------------------- the detail page


def test_the_detail_shows_the_respond_form_to_the_school(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = make(cast)
    text = page(as_user(cast.clerk_a).get(reverse("rectification:detail", args=[item.pk])))
    assert "反馈整改情况" in text and "核验销号" not in text and "修改措施" not in text


def test_the_detail_shows_verify_and_return_to_the_inspector(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = responded(cast)
    text = page(as_user(cast.inspector).get(reverse("rectification:detail", args=[item.pk])))
    assert "核验销号" in text and "退回重改" in text and "提交反馈" not in text


def test_a_leader_reads_the_detail_without_actions(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = responded(cast)
    response = as_user(cast.leader).get(reverse("rectification:detail", args=[item.pk]))
    assert response.status_code == 200
    assert '<form method="post" action="/rectification/' not in page(response)


@pytest.mark.parametrize("who", ["clerk_b", "other_supervisor", "other_inspector", "nobody"])
def test_the_detail_is_not_found_outside_the_scope(
    cast: Cast, as_user: Callable[[User], Client], who: str
) -> None:
    item = make(cast)
    url = reverse("rectification:detail", args=[item.pk])
    assert as_user(getattr(cast, who)).get(url).status_code == 404


def test_the_detail_needs_a_log_in(cast: Cast, client: Client) -> None:
    assert_login_redirect(client, reverse("rectification:detail", args=[make(cast).pk]))


# ---------------------------------------------------------------- actions


def test_the_school_responds_with_an_evidence_file(
    cast: Cast, as_user: Callable[[User], Client], media: Path
) -> None:
    item = make(cast)
    upload = SimpleUploadedFile("照片.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    data = {"note": "已建立制度", "version": 1, "files": [upload]}
    client = as_user(cast.clerk_a)
    response = client.post(reverse("rectification:respond", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.RESPONDED
    stored = RectificationFile.objects.get()
    download = client.get(reverse("rectification:file", args=[stored.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"  # type: ignore[attr-defined]
    url = reverse("rectification:file", args=[stored.pk])
    assert as_user(cast.clerk_b).get(url).status_code == 404


def test_a_refused_file_type_is_reported_and_nothing_saved(
    cast: Cast, as_user: Callable[[User], Client], media: Path
) -> None:
    item = make(cast)
    upload = SimpleUploadedFile("x.exe", b"MZ")
    data = {"note": "已整改", "version": 1, "files": [upload]}
    response = as_user(cast.clerk_a).post(reverse("rectification:respond", args=[item.pk]), data)
    assert response.status_code == 200
    assert "不支持该文件类型" in page(response)
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN


def test_a_stale_response_is_shown_again_on_the_current_version_and_then_accepted(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = make(cast)
    services.rectification_update(
        cast.supervisor, item, measures="改", responsible="", deadline=item.deadline, version=1
    )
    client = as_user(cast.clerk_a)
    url = reverse("rectification:respond", args=[item.pk])
    response = client.post(url, {"note": "已整改完毕的说明", "version": 1})
    text = page(response)
    assert STALE in text
    assert "已整改完毕的说明" in text  # the typed text kept
    assert 'name="version" value="2"' in text  # the form now carries the current version
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN
    assert client.post(url, {"note": "已整改完毕的说明", "version": 2}).status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.RESPONDED and item.response == "已整改完毕的说明"


def test_a_stale_action_no_longer_offered_says_so(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = responded(cast)
    services.rectification_verify(cast.supervisor, item, note="属实", version=2)
    url = reverse("rectification:return", args=[item.pk])
    response = as_user(cast.inspector).post(url, {"note": "不实", "version": 2})
    assert "当前状态下已不能进行该操作" in page(response)
    item.refresh_from_db()
    assert item.status == RectificationStatus.CLOSED


@pytest.mark.parametrize("who", ["clerk_b", "other_inspector"])
def test_responding_outside_the_scope_is_not_found(
    cast: Cast, as_user: Callable[[User], Client], who: str
) -> None:
    item = make(cast)
    url = reverse("rectification:respond", args=[item.pk])
    assert as_user(getattr(cast, who)).post(url, {"note": "x", "version": 1}).status_code == 404


@pytest.mark.parametrize("who", ["inspector", "leader", "supervisor"])
def test_only_the_responsible_side_may_respond(
    cast: Cast, as_user: Callable[[User], Client], who: str
) -> None:
    item = make(cast)
    url = reverse("rectification:respond", args=[item.pk])
    assert as_user(getattr(cast, who)).post(url, {"note": "x", "version": 1}).status_code == 403


def test_the_inspector_returns_then_verifies(cast: Cast, as_user: Callable[[User], Client]) -> None:
    item = responded(cast)
    client = as_user(cast.inspector)
    url = reverse("rectification:return", args=[item.pk])
    assert client.post(url, {"note": "缺少照片", "version": 2}).status_code == 302
    item = services.rectification_respond(cast.clerk_a, item, note="补充", version=3)
    url = reverse("rectification:verify", args=[item.pk])
    assert client.post(url, {"note": "属实", "version": 4}).status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.CLOSED


def test_verifying_an_open_item_shows_the_refusal(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = make(cast)
    url = reverse("rectification:verify", args=[item.pk])
    response = as_user(cast.supervisor).post(url, {"note": "x", "version": 1})
    assert response.status_code == 200
    assert "只有“已反馈”的事项可以核验销号" in page(response)


@pytest.mark.parametrize("action", ["verify", "return", "reopen"])
@pytest.mark.parametrize("who", ["leader", "clerk_a", "city_reviewer"])
def test_schools_and_readers_cannot_verify_return_or_reopen(
    cast: Cast, as_user: Callable[[User], Client], action: str, who: str
) -> None:
    item = responded(cast)
    url = reverse(f"rectification:{action}", args=[item.pk])
    assert as_user(getattr(cast, who)).post(url, {"note": "x", "version": 2}).status_code == 403


@pytest.mark.parametrize("action", ["verify", "return", "reopen", "edit"])
def test_actions_on_another_county_s_item_are_not_found(
    cast: Cast, as_user: Callable[[User], Client], action: str
) -> None:
    item = responded(cast)
    url = reverse(f"rectification:{action}", args=[item.pk])
    assert as_user(cast.other_supervisor).post(url, {"note": "x", "version": 2}).status_code == 404


@pytest.mark.parametrize("action", ["respond", "verify", "return", "reopen", "edit"])
def test_actions_need_a_log_in(cast: Cast, client: Client, action: str) -> None:
    assert_login_redirect(client, reverse(f"rectification:{action}", args=[make(cast).pk]), "post")


def test_the_office_reopens_a_closed_item(cast: Cast, as_user: Callable[[User], Client]) -> None:
    item = services.rectification_verify(cast.inspector, responded(cast), note="ok", version=2)
    url = reverse("rectification:reopen", args=[item.pk])
    response = as_user(cast.supervisor).post(url, {"note": "回访发现复发", "version": 3})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN


def test_the_office_edits_the_deadline(cast: Cast, as_user: Callable[[User], Client]) -> None:
    item = make(cast)
    data = {"measures": "新措施", "responsible": "李主任", "deadline": "2027-03-01", "version": 1}
    url = reverse("rectification:edit", args=[item.pk])
    assert as_user(cast.supervisor).post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.deadline == date(2027, 3, 1) and item.responsible == "李主任"


@pytest.mark.parametrize("who", ["inspector", "leader", "clerk_a"])
def test_only_the_office_edits(cast: Cast, as_user: Callable[[User], Client], who: str) -> None:
    item = make(cast)
    data = {"measures": "x", "responsible": "", "deadline": "", "version": 1}
    url = reverse("rectification:edit", args=[item.pk])
    assert as_user(getattr(cast, who)).post(url, data).status_code == 403


def test_a_stale_edit_is_refused_then_shown_again_and_accepted(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = responded(cast)
    data = {"measures": "新的整改措施", "responsible": "", "deadline": "2027-02-01", "version": 1}
    client = as_user(cast.supervisor)
    url = reverse("rectification:edit", args=[item.pk])
    text = page(client.post(url, data))
    assert STALE in text and "新的整改措施" in text and "2027-02-01" in text
    assert 'name="version" value="2"' in text
    item.refresh_from_db()
    assert item.measures == ""
    assert client.post(url, {**data, "version": 2}).status_code == 302
    item.refresh_from_db()
    assert item.measures == "新的整改措施" and item.deadline == date(2027, 2, 1)


def test_the_edit_form_refuses_an_empty_deadline(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = make(cast)
    data = {"measures": "x", "responsible": "", "deadline": "", "version": 1}
    response = as_user(cast.supervisor).post(reverse("rectification:edit", args=[item.pk]), data)
    assert response.status_code == 200 and "请填写整改时限" in page(response)
    item.refresh_from_db()
    assert item.deadline is not None and item.measures == ""


def test_the_edit_form_shows_the_deadline_as_an_iso_date(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = make(cast, deadline=date(2026, 12, 31))
    text = page(as_user(cast.supervisor).get(reverse("rectification:detail", args=[item.pk])))
    assert 'type="date" name="deadline" value="2026-12-31"' in text


def test_the_detail_links_a_school_back_to_its_own_list(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = make(cast)
    client = as_user(cast.clerk_a)
    text = page(client.get(reverse("rectification:detail", args=[item.pk])))
    back = f"{reverse('rectification:items')}?institution={cast.school_a.pk}"
    assert f'href="{back}"' in text
    assert client.get(back).status_code == 200
