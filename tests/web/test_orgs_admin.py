"""The administrator sets a county's education bureau name in the admin; nothing else there."""

from __future__ import annotations

from conftest import Cast
from django.test import Client
from django.urls import reverse


def test_the_admin_sets_the_bureau_name_only(cast: Cast, client: Client) -> None:
    client.force_login(cast.admin)
    url = reverse("admin:orgs_region_change", args=[cast.county.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"bureau_name": "青川县教育体育局", "name": "改名"})
    assert response.status_code == 302
    cast.county.refresh_from_db()
    assert (cast.county.bureau_name, cast.county.bureau) == ("青川县教育体育局", "青川县教育体育局")
    assert cast.county.name == "青川县"
    assert client.get(reverse("admin:orgs_region_add")).status_code == 403


def test_without_a_stored_name_the_bureau_is_the_county_name_and_education_bureau(
    cast: Cast,
) -> None:
    assert cast.county.bureau == "青川县教育局"


def test_the_county_office_cannot_open_the_admin(cast: Cast, client: Client) -> None:
    client.force_login(cast.supervisor)
    url = reverse("admin:orgs_region_change", args=[cast.county.pk])
    assert client.get(url).status_code == 302
