"""责任督学随访: the regular visits of the assigned inspectors, one plan per county and month.

`visit_schedule` makes the month's plan (kind PlanKind.VISIT, `visit_month` = the month's first
day): one target per school that has an assigned inspector (Assignment), that inspector as the
target's inspector, scheduled on the month's last day. An inspector who must not inspect the
school (`services.inspect_refusal`: not on duty, works there, declared conflict) gets no target;
the plan's notes name each such school, and each school without an assigned inspector
(`schools_without_inspector`). Plans are spaced `settings.INSPECTION_VISIT_MONTHS`
months apart (default 1: monthly); a second plan for the same month is refused, also by the
database (`plan_one_visit_schedule_per_month`).
"""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.db import transaction

from dudao.inspection.choices import PlanKind
from dudao.inspection.errors import ServiceError
from dudao.inspection.models import Assignment, InspectionPlan, Target
from dudao.inspection.services import inspect_refusal, require_manager
from dudao.orgs.models import Institution, Region
from dudao.orgs.selectors import User


def month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def visit_plan_title(month: date) -> str:
    return f"{month_label(month)}责任督学随访"


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months_apart(a: date, b: date) -> int:
    return abs((b.year - a.year) * 12 + b.month - a.month)


def visit_interval() -> int:
    """Months between two scheduled visit plans of a county (at least 1)."""
    return max(1, int(settings.INSPECTION_VISIT_MONTHS))


def schools_without_inspector(county: Region) -> list[Institution]:
    """The county's schools without an assigned inspector (责任督学): no monthly visit for them."""
    return list(
        Institution.objects.filter(county=county, assigned_inspector__isnull=True).order_by("code")
    )


@transaction.atomic
def visit_schedule(user: User, county: Region, *, month: date) -> InspectionPlan:
    """Make the county's 责任督学随访 plan for the month (any day of it names the month).

    Refused (ServiceError, in Chinese) when the month's plan exists, when another scheduled plan
    is fewer than `visit_interval()` months away, or when no school has an inspector to send.
    """
    require_manager(user, county, "生成责任督学随访计划")
    Region.objects.select_for_update().get(pk=county.pk)  # one press at a time per county
    month = month.replace(day=1)
    _refuse_too_close(county, month)
    assignments = Assignment.objects.filter(institution__county=county).select_related(
        "inspector", "institution"
    )
    sent, skipped = [], []
    for assignment in assignments.order_by("institution__code"):
        refusal = inspect_refusal(assignment.inspector, assignment.institution)
        (skipped if refusal else sent).append((assignment, refusal))
    if not sent:
        reasons = "；".join(r for _, r in skipped) or "本县还没有学校指定责任督学"
        raise ServiceError(f"{county.name}{month_label(month)}没有可以随访的学校：{reasons}")
    scheduled = month_end(month)
    notes = f"责任督学于 {scheduled:%Y-%m-%d} 前完成对挂牌学校的随访。"
    if skipped:
        notes += "以下学校未安排随访，请另行安排：" + "；".join(r for _, r in skipped)
    unassigned = schools_without_inspector(county)
    if unassigned:
        names = "、".join(s.name for s in unassigned)
        notes += f"以下 {len(unassigned)} 所学校尚未指定责任督学，未安排随访：{names}。"
    plan = InspectionPlan.objects.create(
        county=county,
        title=visit_plan_title(month),
        kind=PlanKind.VISIT,
        notes=notes,
        visit_month=month,
        created_by=user,
    )
    for assignment, _ in sent:
        target = Target.objects.create(
            plan=plan, institution=assignment.institution, scheduled=scheduled
        )
        target.inspectors.set([assignment.inspector])
    return plan


def _refuse_too_close(county: Region, month: date) -> None:
    interval = visit_interval()
    scheduled = InspectionPlan.objects.filter(county=county, visit_month__isnull=False)
    for other, title in scheduled.order_by("visit_month").values_list("visit_month", "title"):
        if other == month:
            raise ServiceError(
                f"{county.name}{month_label(month)}的责任督学随访计划“{title}”已生成，无需重复生成"
            )
        if months_apart(other, month) < interval:
            raise ServiceError(
                f"责任督学随访每 {interval} 个月安排一次：{county.name}已有"
                f"{month_label(other)}的随访计划“{title}”，{month_label(month)}不能再生成"
            )
