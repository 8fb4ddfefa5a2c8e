"""Who may verify, return and reopen an item: the office, the visit's inspectors, the school's
责任督学 — never an inspector with a declared 回避 from, or working at, the item's school."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import Cast
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from rectification_helpers import assign, declare_conflict, inspector_profile
from test_rectification_audit import recorded_visit
from test_rectification_views import make, page, responded

from dudao.orgs.choices import Role
from dudao.orgs.models import Membership
from dudao.rectification import selectors as sel
from dudao.rectification import services
from dudao.rectification.models import Rectification

pytestmark = pytest.mark.django_db


def county_inspector(cast: Cast, username: str = "zhou") -> User:
    user = User.objects.create_user(username, first_name="周督学")
    Membership.objects.create(user=user, role=Role.INSPECTOR, region=cast.county)
    return user


def test_an_inspector_with_no_part_in_the_item_may_not_verify_it(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = responded(cast)
    stranger = county_inspector(cast)
    inspector_profile(stranger, cast.county)
    with pytest.raises(PermissionDenied, match="该校责任督学"):
        services.rectification_verify(stranger, item, note="属实", version=2)
    client = as_user(stranger)
    text = page(client.get(reverse("rectification:detail", args=[item.pk])))
    assert "核验销号" not in text and "退回重改" not in text
    response = client.post(
        reverse("rectification:verify", args=[item.pk]), {"note": "属实", "version": 2}
    )
    assert response.status_code == 403 and "该校责任督学" in page(response)
    assert sel.to_verify(stranger).count() == 0


def test_the_school_s_assigned_inspector_verifies_it(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = responded(cast)
    assign(cast.inspector, cast.school_a)
    assert sel.to_verify(cast.inspector).count() == 1
    assert "核验销号" in page(
        as_user(cast.inspector).get(reverse("rectification:detail", args=[item.pk]))
    )
    assert services.rectification_verify(cast.inspector, item, note="属实", version=2).is_closed


def test_a_declared_conflict_bars_even_the_assigned_inspector(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = responded(cast)
    assign(cast.inspector, cast.school_a)
    declare_conflict(cast.inspector, cast.school_a, "配偶在该校任教")
    with pytest.raises(PermissionDenied, match="您已声明回避石桥镇中心小学（配偶在该校任教）"):
        services.rectification_return(cast.inspector, item, reason="不实", version=2)
    client = as_user(cast.inspector)
    assert "退回重改" not in page(client.get(reverse("rectification:detail", args=[item.pk])))
    response = client.post(
        reverse("rectification:return", args=[item.pk]), {"note": "x", "version": 2}
    )
    assert response.status_code == 403 and "您已声明回避" in page(response)
    assert sel.to_verify(cast.inspector).count() == 0


def test_an_inspector_working_at_the_school_may_not_reopen_its_items(cast: Cast) -> None:
    item = responded(cast)
    services.rectification_verify(cast.supervisor, item, note="属实", version=2)
    assign(cast.inspector, cast.school_a)
    inspector_profile(cast.inspector, cast.county, works_at=cast.school_a)
    with pytest.raises(PermissionDenied, match="您在石桥镇中心小学任职"):
        services.rectification_reopen(cast.inspector, item, reason="复发", version=3)
    assert sel.to_verify(cast.inspector).count() == 0


def test_the_visit_s_inspectors_verify_the_items_of_its_findings(cast: Cast) -> None:
    visit = recorded_visit(cast)  # inspected by 孙督学 (cast.inspector), no assignment
    item = Rectification.objects.get(source_key__startswith=f"visit:{visit.pk}:")
    item = services.rectification_respond(cast.clerk_a, item, note="已补齐", version=item.version)
    stranger = county_inspector(cast)
    inspector_profile(stranger, cast.county)
    assert sel.to_verify(cast.inspector).count() == 1 and sel.to_verify(stranger).count() == 0
    assert not sel.can_verify(stranger, item)
    verified = services.rectification_verify(
        cast.inspector, item, note="属实", version=item.version
    )
    assert verified.is_closed


def test_the_office_verifies_any_item_of_its_county(cast: Cast) -> None:
    item = make(cast, department=cast.department, institution=None)
    item = services.rectification_respond(cast.department_head, item, note="已整改", version=1)
    assert sel.to_verify(cast.supervisor).count() == 1
    assert services.rectification_verify(cast.supervisor, item, note="属实", version=2).is_closed


def test_an_empty_response_says_what_to_fill_in(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    item = make(cast)
    response = as_user(cast.clerk_a).post(
        reverse("rectification:respond", args=[item.pk]), {"note": " ", "version": 1}
    )
    assert response.status_code == 200
    assert page(response).count("请填写整改情况说明") >= 2  # the message and the field
    assert "必填" not in page(response)
