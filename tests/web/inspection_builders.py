"""Builders shared by the inspection tests: a small inspector pool, a checklist, a plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from conftest import Cast

from dudao.inspection import services, visits
from dudao.inspection.choices import InspectorKind, PlanKind
from dudao.inspection.models import ChecklistTemplate, InspectionPlan, Inspector, Target

LINES = """安全|消防通道畅通|1|是:10;否:0
安全|食堂留样规范|2|好:10;一般:5;差:0
教学|课表与实际一致|1|是:10;否:0"""
# full mark: 1*10 + 2*10 + 1*10 = 40
TODAY = date(2026, 11, 25)


@dataclass
class World:
    sun: Inspector  # linked to cast.inspector, no school
    li: Inspector  # works at school A
    zhou: Inspector
    wu: Inspector
    other: Inspector  # 河西区, linked to cast.other_inspector
    checklist: ChecklistTemplate


def world(cast: Cast) -> World:
    def add(county: object, code: str, name: str, **kw: object) -> Inspector:
        data = services.InspectorData(code=code, name=name, kind=InspectorKind.PART_TIME, **kw)  # type: ignore[arg-type]
        boss = cast.supervisor if county == cast.county else cast.other_supervisor
        return services.inspector_save(boss, county, data)  # type: ignore[arg-type]

    return World(
        sun=add(cast.county, "DX001", "孙督学", user=cast.inspector, phone="13800000001"),
        li=add(cast.county, "DX002", "李督学", institution=cast.school_a),
        zhou=add(cast.county, "DX003", "周督学"),
        wu=add(cast.county, "DX004", "吴督学"),
        other=add(cast.other_county, "HX001", "河西督学", user=cast.other_inspector),
        checklist=services.checklist_save(cast.supervisor, cast.county, "常规检查表", LINES, 30),
    )


PLANNED_AT = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def made_before(plan: InspectionPlan, when: datetime = PLANNED_AT) -> InspectionPlan:
    """Date the plan's creation back (a visit dated before its plan's creation is refused)."""
    InspectionPlan.objects.filter(pk=plan.pk).update(created_at=when)
    plan.created_at = when
    return plan


def plan_with_target(
    cast: Cast,
    w: World,
    kind: str = PlanKind.ROUTINE,
    inspectors: list[Inspector] | None = None,
    title: str = "秋季常规督查",
) -> tuple[InspectionPlan, Target]:
    plan = visits.plan_create(
        cast.supervisor,
        cast.county,
        visits.PlanData(title=title, kind=kind, checklist=w.checklist),
    )
    made_before(plan)
    target = visits.target_add(
        cast.supervisor, plan, cast.school_a, inspectors or [w.sun], date(2026, 12, 1)
    )
    return plan, target


def all_scores(best: bool = True) -> dict[str, str]:
    index = "0" if best else "1"
    return {"1.1": index, "1.2": index, "2.1": index}
