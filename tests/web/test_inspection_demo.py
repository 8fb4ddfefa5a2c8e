"""The demo seed of the inspection work."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Cast

from dudao.core.management.demo_inspection import seed_inspection
from dudao.inspection.models import Assignment, InspectionPlan, Inspector, RandomDraw, Visit
from dudao.orgs.models import Institution
from dudao.rectification.models import Rectification

pytestmark = pytest.mark.django_db


def test_the_demo_seed_builds_a_pool_a_draw_a_visit_a_monthly_schedule_and_an_unannounced_plan(
    cast: Cast,
) -> None:
    extra = [
        Institution.objects.create(
            code=f"21519000{k:02d}",
            name=f"示例第{k}小学",
            school_type="小学",
            ownership="公办",
            county=cast.county,
        )
        for k in range(6)
    ]
    schools = [cast.school_a, cast.school_b, *extra]
    users = {
        "demo_supervisor": cast.supervisor,
        "demo_inspector": cast.inspector,
        "demo_clerk": cast.clerk_a,
    }
    summary = seed_inspection(cast.county, schools, users, date(2026, 11, 25))
    assert summary.startswith("督查：8 名督学，8 所学校已挂牌责任督学")
    assert Inspector.objects.get(code="DX001").user == cast.inspector
    assert Assignment.objects.count() == 8
    draw = RandomDraw.objects.get()
    assert draw.is_drawn and hasattr(draw, "publication") and draw.plan.targets.count() == 4
    visit = Visit.objects.get()
    assert visit.target.institution == cast.school_a and visit.recorded_by == cast.inspector
    assert Rectification.objects.filter(source="inspection", institution=cast.school_a).count() == 3
    unannounced = InspectionPlan.objects.get(kind="unannounced")
    assert unannounced.targets.count() == 2
    monthly = InspectionPlan.objects.get(visit_month=date(2026, 11, 1))
    assert monthly.title == "2026年11月责任督学随访" and monthly.targets.count() == 8
    assert "2026年11月责任督学随访（8 所学校）" in summary
