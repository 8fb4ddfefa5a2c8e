"""Rectification fixes from the second audit: units without items, the unit filter, the link
to the visit report, the evaluation action's 责任人 and measures, the notice number."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import Cast
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from test_rectification_views import make, page

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
