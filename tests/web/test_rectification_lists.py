"""The four lists with 清零 progress, the weekly summary (+ XLSX) and the rectification notice."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime

import openpyxl
import pytest
from conftest import Cast
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rectification_helpers import assign

from dudao.core.officialdoc import document_text
from dudao.rectification import services
from dudao.rectification.lists import four_lists
from dudao.rectification.models import Rectification, RectificationNotice
from dudao.rectification.weekly import parse_week, weekly_summary


@pytest.fixture(autouse=True)
def assigned_inspector(cast: Cast) -> None:
    """`cast.inspector` is the 责任督学 of schools A and B: he may verify their items."""
    assign(cast.inspector, cast.school_a, cast.school_b)


def at(day: int, month: int = 11) -> datetime:
    """Noon in Shanghai (04:00 UTC) of a day in 2026 (week 47: 16–22 Nov, week 48: 23–29 Nov)."""
    return datetime(2026, month, day, 4, 0, tzinfo=UTC)


def make(cast: Cast, key: str, created: datetime | None = None, **kwargs: object) -> Rectification:
    options: dict[str, object] = {
        "county": cast.county,
        "source": "inspection",
        "source_key": key,
        "source_label": "秋季督查",
        "problem": f"问题{key}",
        "institution": cast.school_a,
        "measures": f"措施{key}",
        "responsible": f"责任人{key}",
        "deadline": date(2026, 12, 31),
        "now": created or at(2),
        **kwargs,
    }
    item, _ = services.rectification_create(cast.inspector, **options)  # type: ignore[arg-type]
    return item


def close(cast: Cast, item: Rectification, responded: datetime, closed: datetime) -> None:
    responder = {cast.school_a.pk: cast.clerk_a, cast.school_b.pk: cast.clerk_b}
    item = services.rectification_respond(
        responder[item.institution_id], item, note="已整改", version=item.version, now=responded
    )
    services.rectification_verify(
        cast.inspector, item, note="属实", version=item.version, now=closed
    )


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the four lists (pure)


def test_progress_counts_statuses_overdue_and_soon_due(cast: Cast) -> None:
    today = date(2026, 12, 1)
    late = make(cast, "late", deadline=date(2026, 11, 30))
    soon = make(cast, "soon", deadline=date(2026, 12, 8))
    make(cast, "far", deadline=date(2026, 12, 9))
    done = make(cast, "done", deadline=date(2026, 11, 1))
    close(cast, done, at(3), at(4))
    items = list(Rectification.objects.all())
    result = four_lists(items, today, 7)
    p = result.progress
    assert (p.total, p.open, p.closed, p.overdue, p.soon) == (4, 3, 1, 1, 1)
    assert p.percent == 25 and not p.cleared
    states = {r.item.pk: r.state for r in result.rows}
    assert states[late.pk] == "overdue" and states[soon.pk] == "soon"
    assert states[done.pk] == ""  # a closed item is never overdue


def test_progress_is_grouped_by_responsible_unit_least_cleared_first(cast: Cast) -> None:
    make(cast, "a")
    close(cast, make(cast, "b", institution=cast.school_b), at(3), at(4))
    make(cast, "d", institution=None, department=cast.department)
    result = four_lists(list(Rectification.objects.all()), date(2026, 11, 25), 7)
    assert [(p.label, p.percent) for p in result.by_owner] == [
        ("教育股", 0),
        ("石桥镇中心小学", 0),
        ("城关第一初级中学", 100),
    ]


# ---------------------------------------------------------------- the four lists page


def test_the_county_lists_show_the_four_lists_and_progress(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")
    close(cast, make(cast, "b"), at(3), at(4))
    text = page(as_user(cast.leader).get(reverse("rectification:lists")))
    for heading in ("问题清单", "措施清单", "责任清单", "时限清单"):
        assert heading in text
    assert "措施a" in text and "责任人a" in text
    assert "清零 50%" in text and "青川县（全县）" in text


def test_all_closed_shows_cleared(cast: Cast, as_user: Callable[[User], Client]) -> None:
    close(cast, make(cast, "a"), at(3), at(4))
    text = page(as_user(cast.inspector).get(reverse("rectification:lists")))
    assert "清零 100%" in text and "已全部清零" in text


def test_a_school_s_lists_show_only_its_items_and_offer_the_notice(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")
    make(cast, "b", institution=cast.school_b)
    text = page(as_user(cast.clerk_a).get(reverse("rectification:lists")))
    assert "问题a" in text and "问题b" not in text
    assert reverse("rectification:notice", args=[cast.school_a.pk]) in text


def test_the_office_chooses_a_department_s_lists(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")
    make(cast, "d", institution=None, department=cast.department)
    url = reverse("rectification:lists")
    text = page(as_user(cast.supervisor).get(url, {"department": cast.department.pk}))
    assert "问题d" in text and "问题a" not in text and "青川县教育股" in text


@pytest.mark.parametrize(
    ("who", "param"),
    [
        ("other_supervisor", "county"),
        ("other_inspector", "institution"),
        ("clerk_b", "institution"),
        ("other_department_head", "department"),
    ],
)
def test_the_lists_of_another_scope_are_not_found(
    cast: Cast, as_user: Callable[[User], Client], who: str, param: str
) -> None:
    pk = {"county": cast.county, "institution": cast.school_a, "department": cast.department}
    response = as_user(getattr(cast, who)).get(
        reverse("rectification:lists"), {param: pk[param].pk}
    )
    assert response.status_code == 404


def test_the_lists_need_a_log_in(cast: Cast, client: Client) -> None:
    response = client.get(reverse("rectification:lists"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/rectification/lists/")


def test_the_lists_query_count_is_bounded(
    cast: Cast, as_user: Callable[[User], Client], django_assert_max_num_queries: object
) -> None:
    for n in range(20):
        make(cast, f"a{n}", institution=[cast.school_a, cast.school_b][n % 2])
        make(cast, f"d{n}", institution=None, department=cast.department)
    client = as_user(cast.supervisor)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert client.get(reverse("rectification:lists")).status_code == 200


# ---------------------------------------------------------------- the weekly summary


def test_parse_week_reads_an_html_week_and_falls_back_to_today() -> None:
    assert parse_week("2026-W47", date(2026, 1, 1)) == (2026, 47)
    assert parse_week("2026-W60", date(2026, 11, 25)) == (2026, 48)
    assert parse_week("", date(2026, 11, 25)) == (2026, 48)


def test_the_weekly_summary_counts_the_week_s_events_and_the_state_at_its_end(
    cast: Cast,
) -> None:
    old = make(cast, "old", created=at(2), deadline=date(2026, 11, 20))
    make(cast, "new", created=at(17), deadline=date(2026, 12, 31))
    back = make(cast, "back", created=at(17), institution=cast.school_b)
    back = services.rectification_respond(cast.clerk_b, back, note="x", version=1, now=at(18))
    services.rectification_return(cast.inspector, back, reason="不实", version=2, now=at(19))
    close(cast, old, at(24), at(25))  # closed the week after: still open at week 47's end
    make(cast, "later", created=at(24))  # created after the week: not counted
    summary = weekly_summary(cast.county, 2026, 47)
    total = summary.total
    assert (total.created, total.responded, total.closed, total.returned) == (2, 1, 0, 1)
    assert (total.open_at_end, total.overdue_at_end) == (3, 1)
    assert [i.problem for i in summary.overdue] == ["问题old"]
    school_b = next(r for r in summary.rows if r.label == "城关第一初级中学")
    assert (school_b.created, school_b.returned, school_b.open_at_end) == (1, 1, 1)
    week48 = weekly_summary(cast.county, 2026, 48).total
    assert (week48.created, week48.responded, week48.closed) == (1, 1, 1)
    assert (week48.open_at_end, week48.overdue_at_end) == (3, 0)


def test_the_weekly_page_and_its_workbook(cast: Cast, as_user: Callable[[User], Client]) -> None:
    make(cast, "old", created=at(2), deadline=date(2026, 11, 20))
    client = as_user(cast.supervisor)
    params = {"county": cast.county.pk, "week": "2026-W47"}
    text = page(client.get(reverse("rectification:weekly"), params))
    assert "青川县整改周汇总（2026年第47周）" in text and "问题old" in text
    response = client.get(reverse("rectification:weekly_export"), params)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["周汇总"].iter_rows(values_only=True))
    assert rows[0][0] == "青川县整改周汇总（2026年第47周）"
    assert rows[3][:7] == (
        "责任单位",
        "本周新增",
        "本周反馈",
        "本周销号",
        "本周退回",
        "周末未销号",
        "周末逾期",
    )
    assert rows[4][:7] == ("石桥镇中心小学", 0, 0, 0, 0, 1, 1)
    late = list(book["逾期事项"].iter_rows(values_only=True))
    assert late[1][2] == "问题old"


def test_the_weekly_notice_names_the_overdue_items(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "old", created=at(2), deadline=date(2026, 11, 20))
    make(cast, "new", created=at(17), deadline=date(2026, 12, 31))
    params = {"county": cast.county.pk, "week": "2026-W47"}
    response = as_user(cast.inspector).get(reverse("rectification:weekly_docx"), params)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = document_text(response.content)
    assert "关于2026年第47周整改工作情况的通报" in text
    assert "新增整改事项 1 项" in text and "未销号 2 项，其中已逾期 1 项" in text
    assert "1 | 石桥镇中心小学 | 问题old |" in text and "2026年11月20日 | 2" in text
    assert "问题new" not in text.split("逾期事项清单")[1]


def test_an_unreadable_week_is_said_and_the_current_week_shown(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    response = as_user(cast.supervisor).get(reverse("rectification:weekly"), {"week": "上周"})
    assert response.status_code == 200
    assert "周次“上周”无法识别" in page(response)


@pytest.mark.parametrize("name", ["weekly", "weekly_export", "weekly_docx"])
@pytest.mark.parametrize("who", ["other_supervisor", "other_inspector", "clerk_a"])
def test_the_weekly_summary_of_another_county_is_not_found(
    cast: Cast, as_user: Callable[[User], Client], name: str, who: str
) -> None:
    url = reverse(f"rectification:{name}")
    assert as_user(getattr(cast, who)).get(url, {"county": cast.county.pk}).status_code == 404


@pytest.mark.parametrize("name", ["weekly", "weekly_export", "weekly_docx"])
def test_the_weekly_summary_needs_a_log_in(cast: Cast, client: Client, name: str) -> None:
    response = client.get(reverse(f"rectification:{name}"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_weekly_page_query_count_is_bounded(
    cast: Cast, as_user: Callable[[User], Client], django_assert_max_num_queries: object
) -> None:
    for n in range(20):
        make(cast, f"a{n}", created=at(17), institution=[cast.school_a, cast.school_b][n % 2])
    client = as_user(cast.inspector)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = client.get(reverse("rectification:weekly"), {"week": "2026-W47"})
    assert response.status_code == 200


# ---------------------------------------------------------------- the notice


def test_the_notice_lists_the_school_s_open_items(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a", deadline=date(2026, 12, 20))
    close(cast, make(cast, "done"), at(3), at(4))
    make(cast, "b", institution=cast.school_b)
    url = reverse("rectification:notice", args=[cast.school_a.pk])
    response = as_user(cast.supervisor).get(url, {"number": "青教督改〔2026〕7号"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = document_text(response.content)
    assert "青川县人民政府教育督导室" in text and "青教督改〔2026〕7号" in text
    assert "石桥镇中心小学：" in text
    assert "序号" in text and "整改措施" in text and "整改时限" in text
    assert "问题a" in text and "措施a" in text and "2026年12月20日" in text
    assert "问题done" not in text and "问题b" not in text
    assert "核验销号" in text


def test_the_notice_number_is_generated_when_not_given(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")
    make(cast, "b", institution=cast.school_b)
    client = as_user(cast.supervisor)
    year = timezone.localdate().year
    client.get(reverse("rectification:notice", args=[cast.school_a.pk]), {"prefix": "青教督改"})
    url = reverse("rectification:notice", args=[cast.school_b.pk])
    assert f"青教督改〔{year}〕2号" in document_text(
        client.get(url, {"prefix": "青教督改"}).content
    )
    assert f"青教督改〔{year}〕2号" in document_text(
        client.get(url).content
    )  # kept, not counted again


def test_before_the_office_issues_it_others_get_no_number(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")
    url = reverse("rectification:notice", args=[cast.school_a.pk])
    text = document_text(as_user(cast.clerk_a).get(url, {"number": "随便写〔2026〕99号"}).content)
    assert "随便写" not in text and "〔" not in text
    assert not RectificationNotice.objects.exists()


def test_everyone_gets_the_number_the_office_issued(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")
    url = reverse("rectification:notice", args=[cast.school_a.pk])
    as_user(cast.supervisor).get(url, {"number": "青督改〔2026〕5号"})
    assert RectificationNotice.objects.get().number == "青督改〔2026〕5号"
    for who in ("clerk_a", "inspector", "leader"):
        text = document_text(as_user(getattr(cast, who)).get(url).content)
        assert "青督改〔2026〕5号" in text and "〔2026〕1号" not in text
    text = document_text(as_user(cast.supervisor).get(url).content)
    assert "青督改〔2026〕5号" in text and RectificationNotice.objects.count() == 1


def test_a_school_without_open_items_gets_no_notice(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    url = reverse("rectification:notice", args=[cast.school_a.pk])
    response = as_user(cast.supervisor).get(url)
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["other_supervisor", "clerk_b", "other_inspector"])
def test_the_notice_of_another_scope_is_not_found(
    cast: Cast, as_user: Callable[[User], Client], who: str
) -> None:
    make(cast, "a")
    url = reverse("rectification:notice", args=[cast.school_a.pk])
    assert as_user(getattr(cast, who)).get(url).status_code == 404


def test_the_notice_needs_a_log_in(cast: Cast, client: Client) -> None:
    url = reverse("rectification:notice", args=[cast.school_a.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_weekly_page_without_any_item_says_none_was_ever_registered(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    params = {"county": cast.county.pk, "week": "2026-W47"}
    text = page(as_user(cast.supervisor).get(reverse("rectification:weekly"), params))
    assert "截至本周末，青川县还没有登记过整改事项。" in text
