"""Random draws (双随机): prepare (commit the seed) → draw (reveal it) → publish; plans from draws.

The algorithm is the engine's (`dudao.engine.draw`); this module picks the candidates from the
database, stores everything the published record needs to be re-run with `dudao draw`, and
refuses every change once the draw is made.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from dudao.engine import draw as engine
from dudao.inspection.choices import PlanKind, PlanTopic
from dudao.inspection.errors import ServiceError
from dudao.inspection.models import (
    ChecklistTemplate,
    Conflict,
    DrawPublication,
    InspectionPlan,
    Inspector,
    RandomDraw,
    Target,
)
from dudao.inspection.selectors import last_visit_inspectors
from dudao.inspection.services import require_manager
from dudao.orgs.models import Institution, Region
from dudao.orgs.selectors import User

LAST_TIME = "上次检查该校"


@dataclass(frozen=True)
class DrawRequest:
    """What the office asks for: the candidate filter, N schools, M inspectors per school."""

    title: str
    count: int
    per_school: int
    township: Region | None = None
    school_type: str = ""
    exclude_last: bool = False


def candidate_schools(county: Region, request: DrawRequest) -> list[Institution]:
    schools = Institution.objects.filter(county=county)
    if request.township is not None:
        schools = schools.filter(township=request.township)
    if request.school_type:
        schools = schools.filter(school_type=request.school_type)
    return list(schools.order_by("code"))


def _conflicts(
    county: Region, schools: list[Institution], pool: list[Inspector], exclude_last: bool
) -> list[list[str]]:
    """[inspector_code, school_code, reason] for declared conflicts (and last time's inspectors)."""
    codes = {s.code for s in schools}
    pool_codes = {i.code for i in pool}
    rows = {
        (c.inspector.code, c.institution.code): c.reason
        for c in Conflict.objects.filter(inspector__in=pool, institution__in=schools)
        .select_related("inspector", "institution")
        .order_by("inspector__code", "institution__code")
    }
    if exclude_last:
        for school, inspectors in last_visit_inspectors(county).items():
            for code in inspectors:
                if school in codes and code in pool_codes:
                    rows.setdefault((code, school), LAST_TIME)
    return [[i, s, reason] for (i, s), reason in sorted(rows.items())]


def _as_candidates(draw: RandomDraw) -> tuple[list[Any], list[Any], list[tuple[str, str]]]:
    schools = [engine.SchoolCandidate(s["code"], s["name"]) for s in draw.schools]
    pool = [
        engine.InspectorCandidate(i["code"], i["name"], i["institution_code"])
        for i in draw.inspectors
    ]
    pairs = [(c[0], c[1]) for c in draw.conflicts]
    return schools, pool, pairs


@transaction.atomic
def draw_prepare(
    user: User, county: Region, request: DrawRequest, *, seed: str | None = None
) -> RandomDraw:
    """Store the candidates and a fresh seed; only its digest is shown until the draw."""
    require_manager(user, county, "组织双随机抽签")
    if not request.title.strip():
        raise ServiceError("请填写抽签名称", {"title": "必填"})
    schools = candidate_schools(county, request)
    pool = list(Inspector.objects.filter(county=county, active=True).select_related("institution"))
    conflicts = _conflicts(county, schools, pool, request.exclude_last)
    draw = RandomDraw(
        county=county,
        title=request.title.strip(),
        count=request.count,
        per_school=request.per_school,
        exclude_last=request.exclude_last,
        seed=seed or secrets.token_hex(16),
        algorithm=engine.ALGORITHM_VERSION,
        schools=[{"code": s.code, "name": s.name} for s in schools],
        inspectors=[
            {"code": i.code, "name": i.name, "institution_code": getattr(i.institution, "code", "")}
            for i in pool
        ],
        conflicts=conflicts,
        prepared_by=user,
    )
    draw.seed_digest = engine.seed_digest(draw.seed)
    candidates, inspectors, pairs = _as_candidates(draw)
    try:
        engine.validate_draw(candidates, inspectors, draw.count, draw.per_school, pairs)
    except engine.DrawError as exc:
        raise ServiceError(str(exc)) from exc
    draw.save()
    return draw


@transaction.atomic
def draw_run(user: User, draw: RandomDraw, *, now: datetime | None = None) -> RandomDraw:
    """Reveal the seed and draw (at `now`, default the current time); immutable afterwards."""
    require_manager(user, draw.county, "组织双随机抽签")
    draw = RandomDraw.objects.select_for_update().get(pk=draw.pk)
    if draw.is_drawn:
        raise ServiceError("该抽签已经完成，结果不可更改")
    if draw.is_cancelled:
        raise ServiceError("该抽签已作废，不能抽签")
    schools, pool, pairs = _as_candidates(draw)
    try:
        result = engine.draw(draw.seed, schools, pool, draw.count, draw.per_school, pairs)
    except engine.DrawError as exc:
        raise ServiceError(str(exc)) from exc
    draw.result = engine.result_to_dict(result)
    draw.drawn_by = user
    draw.drawn_at = now or timezone.now()
    draw.save()
    return draw


@transaction.atomic
def draw_publish(user: User, draw: RandomDraw) -> DrawPublication:
    """Publish a drawn result to everyone of the county (一公开)."""
    require_manager(user, draw.county, "公示抽签结果")
    if draw.is_cancelled:
        raise ServiceError("该抽签已作废，不能公示")
    if not draw.is_drawn:
        raise ServiceError("尚未抽签，不能公示")
    if DrawPublication.objects.filter(draw=draw).exists():
        raise ServiceError("该抽签结果已经公示")
    return DrawPublication.objects.create(draw=draw, published_by=user)


CANCEL_REASON_MAX = 200


@transaction.atomic
def draw_cancel(
    user: User, draw: RandomDraw, reason: str, *, now: datetime | None = None
) -> RandomDraw:
    """Cancel (作废) a prepared draw that is not drawn yet, with a reason; the record stays
    visible to everyone who could see it. A drawn draw is never cancelled (its result is
    immutable)."""
    require_manager(user, draw.county, "作废抽签")
    draw = RandomDraw.objects.select_for_update().get(pk=draw.pk)
    if draw.is_drawn:
        raise ServiceError("该抽签已经完成，抽签记录不可作废或删除")
    if draw.is_cancelled:
        raise ServiceError("该抽签已经作废")
    reason = reason.strip()
    if not reason:
        raise ServiceError("请填写作废原因", {"reason": "必填"})
    if len(reason) > CANCEL_REASON_MAX:
        raise ServiceError(f"作废原因过长（最多 {CANCEL_REASON_MAX} 字）", {"reason": "过长"})
    draw.cancel_reason = reason
    draw.cancelled_by = user
    draw.cancelled_at = now or timezone.now()
    draw.save()
    return draw


def draw_files(draw: RandomDraw) -> dict[str, str]:
    """The three CSV texts `dudao draw` reads: schools, inspectors, conflicts."""
    schools, pool, _ = _as_candidates(draw)
    return {
        "schools": engine.schools_csv(schools),
        "inspectors": engine.inspectors_csv(pool),
        "conflicts": engine.conflicts_csv([tuple(c) for c in draw.conflicts]),
    }


# a plan from a public draw is not secret: no unannounced (暗访) plan, no monthly visit
FROM_DRAW_KINDS = (PlanKind.ROUTINE, PlanKind.SPECIAL, PlanKind.ONLINE)
INSPECTION_WORDS = ("督查", "督导", "检查", "抽查", "巡查")


def plan_title(draw_title: str) -> str:
    """The plan's title from the draw's: "…抽签" dropped, "督查" added only when missing."""
    title = draw_title.strip().removesuffix("抽签").removesuffix("双随机").strip()
    return title if title.endswith(INSPECTION_WORDS) else f"{title}督查"


DRAW_NOT_PUBLISHED = "抽签结果公示后才能生成督查计划"


@transaction.atomic
def plan_from_draw(
    user: User,
    draw: RandomDraw,
    *,
    scheduled: date | None = None,
    checklist: ChecklistTemplate | None = None,
    kind: str = PlanKind.ROUTINE,
    topic: str = "",
) -> InspectionPlan:
    """A plan of the office's kind (default routine) whose targets are the drawn schools with
    their drawn inspectors; the plan page lists them in the draw's order (`in_draw_order`)."""
    require_manager(user, draw.county, "生成督查计划")
    if not draw.is_drawn or draw.result is None:
        raise ServiceError("尚未抽签，不能生成督查计划")
    if not DrawPublication.objects.filter(draw=draw).exists():
        raise ServiceError(DRAW_NOT_PUBLISHED)
    if InspectionPlan.objects.filter(draw=draw).exists():
        raise ServiceError("该抽签已生成督查计划")
    if checklist is not None and checklist.county_id != draw.county_id:
        raise ServiceError("评分表不属于本县")
    if kind not in FROM_DRAW_KINDS:
        raise ServiceError(
            "抽签生成的计划只能是常规督查、专项督导或线上巡查", {"kind": "类型不正确"}
        )
    if topic not in PlanTopic.values:
        raise ServiceError("专项主题不正确", {"topic": "不正确"})
    if kind == PlanKind.SPECIAL and not topic:
        raise ServiceError("专项督导请选择主题", {"topic": "专项督导请选择主题"})
    plan = InspectionPlan.objects.create(
        county=draw.county,
        title=plan_title(draw.title),
        kind=kind,
        topic=topic,
        notes=f"按双随机抽签结果生成（种子摘要 {draw.seed_digest[:16]}…）",
        checklist=checklist,
        draw=draw,
        created_by=user,
    )
    schools = {s.code: s for s in Institution.objects.filter(county=draw.county)}
    pool = {i.code: i for i in Inspector.objects.filter(county=draw.county)}
    for pick in draw.result["picks"]:
        target = Target.objects.create(
            plan=plan, institution=schools[pick["school"]["code"]], scheduled=scheduled
        )
        target.inspectors.set([pool[i["code"]] for i in pick["inspectors"]])
    return plan
