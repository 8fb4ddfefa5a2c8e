"""Registering items by hand (the county office) and downloading evidence files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Cast
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dudao.rectification import services
from dudao.rectification.models import Rectification, RectificationFile


def make(cast: Cast) -> Rectification:
    item, _ = services.rectification_create(
        cast.inspector,
        county=cast.county,
        source="inspection",
        source_key="k1",
        source_label="秋季督查",
        problem="功能室使用记录不全",
        institution=cast.school_a,
    )
    return item


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def assert_login_redirect(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={url}")


# ---------------------------------------------------------------- registering by hand


def test_the_office_registers_a_complaint_by_hand(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    client = as_user(cast.supervisor)
    assert client.get(reverse("rectification:create")).status_code == 200
    data = {
        "county": cast.county.pk,
        "source": "complaint",
        "source_label": "12345热线",
        "institution": cast.school_b.pk,
        "problem": "放学时段校门口拥堵",
        "measures": "错峰放学",
        "responsible": "刘校长",
        "deadline": "2026-12-20",
    }
    response = client.post(reverse("rectification:create"), data)
    item = Rectification.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{item.pk}/")
    assert (item.source, item.institution, item.source_key) == ("complaint", cast.school_b, "")


def test_a_hand_made_item_cannot_name_both_a_school_and_a_department(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    data = {
        "county": cast.county.pk,
        "source": "instruction",
        "institution": cast.school_a.pk,
        "department": cast.department.pk,
        "problem": "x",
        "deadline": "2027-01-31",
    }
    response = as_user(cast.supervisor).post(reverse("rectification:create"), data)
    assert response.status_code == 200 and "不能同时选择" in page(response)
    assert not Rectification.objects.exists()


def test_another_county_s_school_is_not_offered(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    data = {"county": cast.county.pk, "source": "complaint", "institution": cast.school_c.pk}
    response = as_user(cast.supervisor).post(
        reverse("rectification:create"), {**data, "problem": "x"}
    )
    assert response.status_code == 200 and not Rectification.objects.exists()


@pytest.mark.parametrize("who", ["inspector", "leader", "clerk_a", "nobody"])
def test_only_the_office_registers_by_hand(
    cast: Cast, as_user: Callable[[User], Client], who: str
) -> None:
    assert as_user(getattr(cast, who)).get(reverse("rectification:create")).status_code == 403


def test_registering_needs_a_log_in(cast: Cast, client: Client) -> None:
    assert_login_redirect(client, reverse("rectification:create"))


def test_evidence_files_need_a_log_in(cast: Cast, client: Client, media: Path) -> None:
    upload = SimpleUploadedFile("照片.pdf", b"%PDF-1.4 x")
    item = make(cast)
    services.rectification_respond(cast.clerk_a, item, note="做了", version=1, files=[upload])
    assert_login_redirect(
        client, reverse("rectification:file", args=[RectificationFile.objects.get().pk])
    )


def test_the_inspector_and_the_leader_download_the_county_s_evidence(
    cast: Cast, as_user: Callable[[User], Client], media: Path
) -> None:
    upload = SimpleUploadedFile("照片.pdf", b"%PDF-1.4 x")
    item = make(cast)
    services.rectification_respond(cast.clerk_a, item, note="做了", version=1, files=[upload])
    url = reverse("rectification:file", args=[RectificationFile.objects.get().pk])
    assert as_user(cast.leader).get(url).status_code == 200
    assert as_user(cast.other_inspector).get(url).status_code == 404
