"""The institution list (search, filters, pages) and one institution's page."""

from __future__ import annotations

import pytest
from conftest import Cast
from django.test import Client
from django.urls import reverse

from dudao.collection.models import Submission
from dudao.orgs.models import Institution

LIST = reverse("orgs:institutions")


def _names(response: object) -> set[str]:
    return {school.name for school in response.context["page"]}  # type: ignore[attr-defined]


def test_the_county_office_sees_its_own_county_s_institutions(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    response = client.get(LIST)
    assert response.status_code == 200
    assert _names(response) == {cast.school_a.name, cast.school_b.name}
    assert cast.school_c.name not in response.text


def test_a_school_clerk_sees_only_their_own_institution(client: Client, cast: Cast) -> None:
    client.force_login(cast.clerk_a)
    assert _names(client.get(LIST)) == {cast.school_a.name}


def test_a_city_reviewer_sees_every_county_and_may_filter_by_county(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.city_reviewer)
    assert len(_names(client.get(LIST))) == 3
    response = client.get(LIST, {"county": cast.other_county.pk})
    assert _names(response) == {cast.school_c.name}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "石桥"}, {"石桥镇中心小学"}),
        ({"q": "2151000002"}, {"城关第一初级中学"}),
        ({"school_type": "初中"}, {"城关第一初级中学"}),
        ({"area_type": "镇区"}, {"石桥镇中心小学"}),
        ({"ownership": "民办"}, set()),
    ],
)
def test_search_and_filters_narrow_the_list(
    client: Client, cast: Cast, params: dict[str, str], expected: set[str]
) -> None:
    client.force_login(cast.supervisor)
    assert _names(client.get(LIST, params)) == expected


def test_the_township_filter_offers_only_townships_in_scope(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    response = client.get(LIST, {"township": cast.township.pk})
    assert _names(response) == {cast.school_a.name}
    assert list(response.context["form"].fields["township"].queryset) == [cast.township]


def test_a_township_of_another_scope_is_ignored_not_shown(client: Client, cast: Cast) -> None:
    client.force_login(cast.clerk_c)
    response = client.get(LIST, {"township": cast.township.pk})
    assert _names(response) == {cast.school_c.name}


def test_the_list_is_paginated(client: Client, cast: Cast) -> None:
    Institution.objects.bulk_create(
        Institution(
            code=f"99{n:08d}",
            name=f"测试小学{n}",
            school_type="小学",
            ownership="公办",
            county=cast.county,
        )
        for n in range(60)
    )
    client.force_login(cast.supervisor)
    first = client.get(LIST)
    assert len(first.context["page"]) == 50
    assert "第 1 / 2 页" in first.text
    assert len(client.get(LIST, {"page": 2}).context["page"]) == 12


def test_the_list_needs_a_fixed_number_of_queries(
    client: Client, cast: Cast, django_assert_max_num_queries: object
) -> None:
    Institution.objects.bulk_create(
        Institution(
            code=f"98{n:08d}",
            name=f"村小{n}",
            school_type="小学",
            ownership="公办",
            county=cast.county,
            township=cast.township,
        )
        for n in range(40)
    )
    client.force_login(cast.supervisor)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(LIST).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client: Client, cast: Cast) -> None:
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={LIST}"


def test_an_institution_page_shows_its_details_and_submissions(client: Client, cast: Cast) -> None:
    Submission.objects.create(period=cast.period, institution=cast.school_a, status="submitted")
    client.force_login(cast.supervisor)
    response = client.get(reverse("orgs:institution", args=[cast.school_a.pk]))
    assert response.status_code == 200
    assert cast.school_a.code in response.text
    assert "已提交" in response.text
    assert "小学填报员" in response.text  # its people, for the county office


def test_an_institution_without_a_submission_shows_not_started(client: Client, cast: Cast) -> None:
    client.force_login(cast.clerk_b)
    response = client.get(reverse("orgs:institution", args=[cast.school_b.pk]))
    assert response.status_code == 200
    assert "未填报" in response.text
    assert "本校人员" not in response.text


def test_an_institution_outside_the_scope_is_missing(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    assert client.get(reverse("orgs:institution", args=[cast.school_c.pk])).status_code == 404
    client.force_login(cast.clerk_a)
    assert client.get(reverse("orgs:institution", args=[cast.school_b.pk])).status_code == 404


def test_an_institution_page_needs_a_log_in(client: Client, cast: Cast) -> None:
    url = reverse("orgs:institution", args=[cast.school_a.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
