"""Second audit of inspections (helper i6): department sees the visit of its item, findings
need a responsible person, re-inspection dates, schedule gaps named, visit form messages."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Cast, client_for
from django.test import Client
from django.urls import reverse
from inspection_builders import all_scores, plan_with_target, world

from dudao.inspection import visits
from dudao.inspection.models import Visit

pytestmark = pytest.mark.django_db
VISITED = date(2026, 12, 1)
TODAY = date(2026, 12, 10)


def record(cast: Cast, target: object, w: object, **kw: object) -> Visit:
    data = visits.VisitData(
        visited_on=VISITED,
        choices=all_scores(),
        inspectors=[w.sun],  # type: ignore[attr-defined]
        **kw,  # type: ignore[arg-type]
    )
    return visits.visit_record(cast.inspector, target, data, today=TODAY)  # type: ignore[arg-type]


def test_a_department_sees_the_visit_that_gave_it_an_item(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    finding = visits.FindingData(
        "教材征订不及时",
        deadline=date(2026, 12, 31),
        department=cast.department,
        responsible="王股长",
    )
    visit = record(cast, target, w, findings=[finding])
    _, other_target = plan_with_target(cast, w, title="另一计划")
    unrelated = record(cast, other_target, w)
    for name in ("inspection:visit", "inspection:visit_docx"):
        url = reverse(name, args=[visit.pk])
        assert client_for(cast.department_head).get(url).status_code == 200, name
        assert client_for(cast.other_department_head).get(url).status_code == 404, name
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")
    unrelated_url = reverse("inspection:visit", args=[unrelated.pk])
    assert client_for(cast.department_head).get(unrelated_url).status_code == 404
