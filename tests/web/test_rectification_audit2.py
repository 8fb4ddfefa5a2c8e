"""Rectification fixes from the second audit: units without items, the unit filter, the link
to the visit report, the evaluation action's 责任人 and measures, the notice number."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from conftest import Cast
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from inspection_builders import all_scores, plan_with_target, world
from test_rectification_views import make, page

from dudao.core.officialdoc import document_text
from dudao.inspection import visits
from dudao.inspection.models import Visit
from dudao.rectification.models import Rectification, RectificationNotice

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- item 7: no items


def test_a_unit_without_items_says_so_instead_of_cleared(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")  # school A has one; school B none
    client = as_user(cast.supervisor)
    url = reverse("rectification:lists")
    empty = page(client.get(url, {"institution": cast.school_b.pk}))
    assert "暂无整改事项" in empty and "清零 100%" not in empty and "已全部清零" not in empty
    assert "清零 0%" in page(client.get(url, {"institution": cast.school_a.pk}))


# ---------------------------------------------------------------- item 9: where it came from


def department_finding_visit(cast: Cast) -> Visit:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    finding = visits.FindingData(
        "图书室藏书陈旧",
        "制定补充计划",
        date(2027, 1, 31),
        department=cast.department,
        responsible="教育股股长",
    )
    data = visits.VisitData(
        visited_on=date(2026, 12, 1), choices=all_scores(), inspectors=[w.sun], findings=[finding]
    )
    return visits.visit_record(cast.inspector, target, data, today=date(2026, 12, 1))


def test_the_responsible_department_follows_the_item_to_the_visit_and_its_report(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    visit = department_finding_visit(cast)
    item = Rectification.objects.get(department=cast.department)
    client = as_user(cast.department_head)
    text = page(client.get(reverse("rectification:detail", args=[item.pk])))
    report = reverse("inspection:visit_docx", args=[visit.pk])
    assert reverse("inspection:visit", args=[visit.pk]) in text and report in text
    assert "下载督查报告（Word）" in text
    assert client.get(report).status_code == 200


def test_no_visit_link_for_who_may_not_see_the_visit(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    visit = department_finding_visit(cast)
    item = Rectification.objects.get(department=cast.department)
    item.department = cast.other_department
    item.save()
    text = page(
        as_user(cast.other_department_head).get(reverse("rectification:detail", args=[item.pk]))
    )
    assert "source-report" not in text
    assert reverse("inspection:visit_docx", args=[visit.pk]) not in text


# ---------------------------------------------------------------- item 6: the unit filter


def test_the_unit_filter_offers_the_county_office_for_county_level_items(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "school")
    make(cast, "county", institution=None, problem="全县陪餐台账未建立")
    make(cast, "dept", institution=None, department=cast.department, problem="图书补充计划")
    client = as_user(cast.supervisor)
    url = reverse("rectification:lists")
    office = f"{cast.county.supervision_office}（县级事项）"
    text = page(client.get(url, {"county": cast.county.pk}))
    assert f'<option value="office">{office}</option>' in text
    assert f">{cast.department.name}（股室）</option>" in text
    assert f"?county={cast.county.pk}&amp;department=office" in text  # its row in the progress
    only = page(client.get(url, {"county": cast.county.pk, "department": "office"}))
    assert f"整改四个清单 · {office}" in only and "全县陪餐台账未建立" in only
    assert "问题school" not in only and "图书补充计划" not in only
    assert '<option value="office" selected>' in only
    items = page(
        client.get(
            reverse("rectification:items"), {"county": cast.county.pk, "department": "office"}
        )
    )
    assert "全县陪餐台账未建立" in items and "问题school" not in items


def test_the_county_level_items_are_not_found_for_a_department(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    url = reverse("rectification:lists")
    params = {"county": cast.county.pk, "department": "office"}
    assert as_user(cast.department_head).get(url, params).status_code == 404
    assert as_user(cast.other_supervisor).get(url, params).status_code == 404


# ---------------------------------------------------------------- item 4: the notice number


def notice_url(school: object) -> str:
    return reverse("rectification:notice", args=[school.pk])  # type: ignore[attr-defined]


def lists_of(client: Client, school: object) -> str:
    return page(client.get(reverse("rectification:lists"), {"institution": school.pk}))  # type: ignore[attr-defined]


def test_a_notice_needs_a_number_or_a_prefix(cast: Cast, as_user: Callable[[User], Client]) -> None:
    make(cast, "a")
    client = as_user(cast.supervisor)
    response = client.get(notice_url(cast.school_a), follow=True)
    assert "请填写文号，或填写发文字号前缀（如“青教督改”）以自动编号" in page(response)
    assert not RectificationNotice.objects.exists()


def test_the_sequence_follows_the_highest_number_of_the_prefix_typed_ones_included(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")
    make(cast, "b", institution=cast.school_b)
    client = as_user(cast.supervisor)
    year = timezone.localdate().year
    client.get(notice_url(cast.school_a), {"number": f"青教督改〔{year}〕8号"})
    assert 'name="prefix" maxlength="30" value="青教督改"' in lists_of(client, cast.school_b)
    text = document_text(client.get(notice_url(cast.school_b), {"prefix": "青教督改"}).content)
    assert f"青教督改〔{year}〕9号" in text
    assert RectificationNotice.objects.get(institution=cast.school_b).prefix == "青教督改"


def test_an_issued_notice_keeps_its_number_when_downloaded_again(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")
    client = as_user(cast.supervisor)
    client.get(notice_url(cast.school_a), {"number": "青教督改〔2026〕3号"})
    response = client.get(notice_url(cast.school_a), {"number": "青教督改〔2026〕4号"}, follow=True)
    assert "已下发（文号 青教督改〔2026〕3号），下载不会更改文号" in page(response)
    again = client.get(notice_url(cast.school_a), {"prefix": "青教督改"})
    assert "青教督改〔2026〕3号" in document_text(again.content)
    assert list(RectificationNotice.objects.values_list("number", flat=True)) == [
        "青教督改〔2026〕3号"
    ]


def test_a_number_another_school_has_is_refused(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")
    make(cast, "b", institution=cast.school_b)
    client = as_user(cast.supervisor)
    client.get(notice_url(cast.school_a), {"number": "青教督改〔2026〕3号"})
    response = client.get(notice_url(cast.school_b), {"number": "青教督改〔2026〕3号"}, follow=True)
    assert "文号 青教督改〔2026〕3号 已用于石桥镇中心小学的整改通知书" in page(response)
    assert RectificationNotice.objects.count() == 1


def test_the_office_changes_a_number_explicitly_and_everyone_sees_the_change(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    make(cast, "a")
    office = as_user(cast.supervisor)
    office.get(notice_url(cast.school_a), {"number": "青教督改〔2026〕3号"})
    url = reverse("rectification:notice_renumber", args=[cast.school_a.pk])
    response = office.post(url, {"number": "青教督改〔2026〕5号"}, follow=True)
    assert "已将文号由 青教督改〔2026〕3号 更改为 青教督改〔2026〕5号" in page(response)
    change = RectificationNotice.objects.get(previous_number="青教督改〔2026〕3号")
    assert change.number == "青教督改〔2026〕5号" and change.issued_by == cast.supervisor
    principal = as_user(cast.principal_a)
    text = lists_of(principal, cast.school_a)
    assert "更改文号：青教督改〔2026〕3号 → 青教督改〔2026〕5号" in text
    assert 'id="renumber"' not in text
    assert "青教督改〔2026〕5号" in document_text(principal.get(notice_url(cast.school_a)).content)


def test_only_the_office_changes_a_number(cast: Cast, as_user: Callable[[User], Client]) -> None:
    make(cast, "a")
    as_user(cast.supervisor).get(notice_url(cast.school_a), {"number": "青教督改〔2026〕3号"})
    url = reverse("rectification:notice_renumber", args=[cast.school_a.pk])
    assert as_user(cast.principal_a).post(url, {"number": "x"}).status_code == 403
    assert as_user(cast.other_supervisor).post(url, {"number": "x"}).status_code == 404
    response = Client().post(url, {"number": "x"})  # anonymous
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert RectificationNotice.objects.count() == 1
