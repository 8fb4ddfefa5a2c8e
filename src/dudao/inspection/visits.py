"""Plans, targets, visits and findings: the writes of inspection work on the ground.

A visit's findings become rectification items (整改事项) through
`dudao.rectification.services.rectification_create`, keyed `visit:<pk>:finding:<n>` so that
repeating the call never duplicates them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from dudao.core.uploads import content_mismatch
from dudao.inspection import checklist as rubric
from dudao.inspection.choices import PlanKind, PlanTopic
from dudao.inspection.errors import ServiceError
from dudao.inspection.models import (
    Assignment,
    ChecklistTemplate,
    Finding,
    InspectionPlan,
    Inspector,
    Target,
    TargetChange,
    Visit,
    VisitFile,
)
from dudao.inspection.selectors import current_checklists, is_county_inspector
from dudao.inspection.services import check_may_inspect, inspect_refusal, require_manager
from dudao.orgs.models import Department, Institution, Region
from dudao.orgs.selectors import User, can_manage_county
from dudao.rectification.errors import RectificationError
from dudao.rectification.selectors import open_rectifications
from dudao.rectification.services import rectification_create

MAX_FILES = 10


@dataclass(frozen=True)
class PlanData:
    title: str
    kind: str
    topic: str = ""
    notes: str = ""
    checklist: ChecklistTemplate | None = None


@transaction.atomic
def plan_create(user: User, county: Region, data: PlanData) -> InspectionPlan:
    """Create an inspection plan (targets are added next)."""
    require_manager(user, county, "制定督查计划")
    errors = {}
    if not data.title.strip():
        errors["title"] = "请填写计划名称"
    if data.kind not in PlanKind.values:
        errors["kind"] = "类型不正确"
    if data.topic not in PlanTopic.values:
        errors["topic"] = "专项主题不正确"
    if data.kind == PlanKind.SPECIAL and not data.topic:
        errors["topic"] = "专项督导请选择主题"
    if data.checklist is not None and data.checklist.county_id != county.pk:
        errors["checklist"] = "评分表不属于本县"
    if errors:
        raise ServiceError("；".join(errors.values()), errors)
    return InspectionPlan.objects.create(
        county=county,
        title=data.title.strip(),
        kind=data.kind,
        topic=data.topic,
        notes=data.notes.strip(),
        checklist=data.checklist,
        created_by=user,
    )


@transaction.atomic
def target_add(
    user: User,
    plan: InspectionPlan,
    institution: Institution,
    inspectors: Sequence[Inspector],
    scheduled: date | None = None,
) -> Target:
    """Add a school with its inspectors and scheduled date to a plan."""
    require_manager(user, plan.county, "安排检查对象")
    if plan.draw_id is not None:
        raise ServiceError(DRAW_PLAN_ADD, {"institution": DRAW_PLAN_ADD})
    if institution.county_id != plan.county_id:
        raise ServiceError("学校不属于本县", {"institution": "不属于本县"})
    if not inspectors:
        raise ServiceError("请至少选择一名督学", {"inspectors": "必填"})
    if any(i.county_id != plan.county_id for i in inspectors):
        raise ServiceError("督学不属于本县", {"inspectors": "不属于本县"})
    check_may_inspect(list(inspectors), institution)
    if Target.objects.filter(plan=plan, institution=institution).exists():
        raise ServiceError(f"{institution.name}已在本计划中", {"institution": "已在计划中"})
    target = Target.objects.create(plan=plan, institution=institution, scheduled=scheduled)
    target.inspectors.set(inspectors)
    return target


VISITED_TARGET = "已记录检查，不能再修改检查对象"
DRAW_PLAN_ADD = "本计划按双随机抽签结果生成，不能添加未抽中的学校"
MAX_REASON = 200


def _names(inspectors: Sequence[Inspector]) -> str:
    return "、".join(f"{i.name}（{i.code}）" for i in sorted(inspectors, key=lambda i: i.code))


def _draw_reason(target: Target, reason: str, what: str) -> str:
    """The reason a change of a drawn target needs (替换理由), refused when missing or too long."""
    reason = reason.strip()
    if not reason:
        raise ServiceError(
            f"{target.institution.name}是双随机抽中的检查对象，{what}须填写替换理由（如督学因病不能参加）",
            {"reason": "请填写替换理由"},
        )
    if len(reason) > MAX_REASON:
        raise ServiceError(f"替换理由过长（最多 {MAX_REASON} 字）", {"reason": "过长"})
    return reason


def _unvisited(target: Target) -> Target:
    """The target locked for a change, refused once its visit is recorded."""
    target = Target.objects.select_for_update().select_related("institution").get(pk=target.pk)
    if Visit.objects.filter(target=target).exists():
        raise ServiceError(f"{target.institution.name}{VISITED_TARGET}")
    return target


@transaction.atomic
def target_edit(
    user: User,
    target: Target,
    inspectors: Sequence[Inspector],
    scheduled: date | None = None,
    reason: str = "",
) -> Target:
    """Change a target's inspectors and scheduled date before its visit is recorded.

    On a plan made from a draw, replacing the drawn inspectors needs a reason and is recorded
    (TargetChange); the date alone changes freely.
    """
    county = target.plan.county
    require_manager(user, county, "修改检查对象")
    target = _unvisited(target)
    if not inspectors:
        raise ServiceError("请至少选择一名督学", {"inspectors": "必填"})
    if any(i.county_id != county.pk for i in inspectors):
        raise ServiceError("督学不属于本县", {"inspectors": "不属于本县"})
    check_may_inspect(list(inspectors), target.institution)
    old = list(target.inspectors.all())
    if target.plan.draw_id is not None and {i.pk for i in old} != {i.pk for i in inspectors}:
        TargetChange.objects.create(
            plan=target.plan,
            institution=target.institution,
            action=TargetChange.Action.REPLACE,
            old_inspectors=_names(old),
            new_inspectors=_names(inspectors),
            reason=_draw_reason(target, reason, "更换督学"),
            changed_by=user,
        )
    target.scheduled = scheduled
    target.save(update_fields=["scheduled"])
    target.inspectors.set(inspectors)
    return target


@transaction.atomic
def target_remove(user: User, target: Target, reason: str = "") -> None:
    """Remove a target from its plan before its visit is recorded; on a plan made from a draw
    only with a reason, recorded (TargetChange)."""
    require_manager(user, target.plan.county, "移除检查对象")
    target = _unvisited(target)
    if target.plan.draw_id is not None:
        TargetChange.objects.create(
            plan=target.plan,
            institution=target.institution,
            action=TargetChange.Action.REMOVE,
            old_inspectors=_names(list(target.inspectors.all())),
            reason=_draw_reason(target, reason, "移除"),
            changed_by=user,
        )
    target.delete()


@transaction.atomic
def plan_delete(user: User, plan: InspectionPlan) -> None:
    """Delete a plan without any recorded visit, with its targets. A plan made from a draw
    frees the draw (a new plan can be made from it); the draw record itself stays."""
    require_manager(user, plan.county, "删除督查计划")
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if Visit.objects.filter(target__plan=plan).exists():
        raise ServiceError("该计划已有检查记录，不能删除")
    plan.delete()


def checklist_of(target: Target) -> ChecklistTemplate | None:
    """The checklist a visit of the target uses: the plan's, else the county's first current one."""
    if target.plan.checklist is not None:
        return target.plan.checklist
    current = current_checklists(target.plan.county)
    return current[0] if current else None


def may_record(user: User, target: Target) -> bool:
    """The county office, or a county inspector assigned to the target."""
    county = target.plan.county
    if can_manage_county(user, county):
        return True
    if not is_county_inspector(user, county):
        return False
    return any(i.user_id == user.pk for i in target.inspectors.all())  # prefetched on lists


@dataclass(frozen=True)
class FindingData:
    """A problem found on the visit; the responsible side is the department, else the school."""

    problem: str
    measures: str = ""
    deadline: date | None = None
    department: Department | None = None
    responsible: str = ""


@dataclass(frozen=True)
class VisitData:
    visited_on: date
    choices: dict[str, str]
    inspectors: Sequence[Inspector]
    notes: str = ""
    findings: Sequence[FindingData] = ()
    files: Sequence[UploadedFile] = ()


@transaction.atomic
def visit_record(
    user: User, target: Target, data: VisitData, *, today: date | None = None
) -> Visit:
    """Record the visit of a target: scores, notes, files; findings become rectification items.

    A visit dated after `today` (default: the local date) is refused.
    """
    if not may_record(user, target):
        raise PermissionDenied("只有县督导室或该校的检查督学可以记录检查")
    target = (
        Target.objects.select_for_update()
        .select_related("plan__county", "institution")
        .get(pk=target.pk)
    )
    if Visit.objects.filter(target=target).exists():
        raise ServiceError("该学校已有检查记录，不能重复记录")
    template = checklist_of(target)
    if template is None:
        raise ServiceError("本县还没有检查评分表，请县督导室先建立评分表")
    _check_visit(target, data, today or timezone.localdate())
    try:
        scored = rubric.score(template.structure, data.choices)
    except rubric.ChecklistError as exc:
        raise ServiceError("评分不完整：" + "；".join(exc.problems)) from exc
    visit = Visit.objects.create(
        target=target,
        checklist=template,
        choices=scored.choices,
        total=scored.total,
        full=scored.full,
        passed=scored.total >= template.pass_mark,
        notes=data.notes.strip(),
        visited_on=data.visited_on,
        recorded_by=user,
    )
    visit.inspectors.set(data.inspectors)
    for uploaded in data.files:
        VisitFile.objects.create(
            visit=visit,
            file=uploaded,
            name=Path(uploaded.name or "").name[:200],
            size=uploaded.size or 0,
            uploaded_by=user,
        )
    findings_to_rectification(user, visit, data.findings)
    return visit


def _check_visit(target: Target, data: VisitData, today: date) -> None:
    if data.visited_on > today:
        raise ServiceError(
            f"检查日期 {data.visited_on:%Y-%m-%d} 晚于今天，不能记录尚未进行的检查",
            {"visited_on": "晚于今天"},
        )
    if not data.inspectors:
        raise ServiceError("请选择检查督学", {"inspectors": "必填"})
    if any(i.county_id != target.plan.county_id for i in data.inspectors):
        raise ServiceError("检查督学不属于本县", {"inspectors": "不属于本县"})
    check_may_inspect(list(data.inspectors), target.institution)
    planned_on = timezone.localdate(target.plan.created_at)
    if data.visited_on < planned_on:
        raise ServiceError(
            f"检查日期 {data.visited_on:%Y-%m-%d} 早于督查计划的制定日期 {planned_on:%Y-%m-%d}，"
            "请填写实际检查日期",
            {"visited_on": "早于计划制定日期"},
        )
    if len(data.files) > MAX_FILES:
        raise ServiceError(f"每次最多上传 {MAX_FILES} 个文件", {"files": "文件过多"})
    for uploaded in data.files:
        check_file(uploaded)
    _check_findings(target.plan.county_id, data.findings, data.visited_on)


def inspector_difference(visit: Visit) -> str:
    """ "实际检查督学与计划不同：计划 X，实际 Y" when the visit's inspectors are not the planned
    ones of its target, else ""."""
    planned = sorted(visit.target.inspectors.all(), key=lambda i: i.code)
    actual = sorted(visit.inspectors.all(), key=lambda i: i.code)
    if {i.pk for i in planned} == {i.pk for i in actual}:
        return ""
    names = ("、".join(i.name for i in group) or "未指派" for group in (planned, actual))
    return "实际检查督学与计划不同：计划 {}，实际 {}".format(*names)


def _check_findings(county_id: int, findings: Sequence[FindingData], visited_on: date) -> None:
    for n, finding in enumerate(findings, start=1):
        if not finding.problem.strip():
            raise ServiceError(f"第{n}个问题没有填写问题内容")
        if finding.department is not None and finding.department.county_id != county_id:
            raise ServiceError(f"第{n}个问题的责任股室不属于本县")
        if finding.deadline is None:
            raise ServiceError(
                f"第{n}个问题没有填写整改时限，每个问题都要明确整改时限", {"deadline": "必填"}
            )
        if finding.deadline < visited_on:
            raise ServiceError(f"第{n}个问题的整改时限早于检查日期")
        if len(finding.responsible.strip()) > 100:
            raise ServiceError(f"第{n}个问题的责任人过长（最多 100 字）")


def check_file(uploaded: UploadedFile) -> None:
    """Type and size limits of photos and files (the evidence limits of the settings)."""
    allowed = tuple(settings.EVIDENCE_EXTENSIONS)
    name = uploaded.name or ""
    if Path(name).suffix.lower() not in allowed:
        listed = "、".join(allowed)
        raise ServiceError(f"{name}：不支持该文件类型，请上传以下类型：{listed}", {"files": "类型"})
    limit = settings.EVIDENCE_MAX_BYTES
    if (uploaded.size or 0) > limit:
        raise ServiceError(f"{name}：文件过大，每个文件不能超过 {limit / 1024 / 1024:g} MB")
    if not uploaded.size:
        raise ServiceError(f"{name}：文件是空的")
    mismatch = content_mismatch(uploaded)
    if mismatch:
        raise ServiceError(mismatch, {"files": mismatch})


def source_label(visit: Visit) -> str:
    return f"{visit.target.plan.title} {visit.visited_on:%Y-%m-%d}"


def findings_to_rectification(
    user: User, visit: Visit, findings: Sequence[FindingData]
) -> list[Finding]:
    """Store the findings and register each as a rectification item (idempotent by key)."""
    stored = []
    start = visit.findings.count()
    for n, data in enumerate(findings, start=start + 1):
        finding = Finding.objects.create(
            visit=visit,
            number=n,
            problem=data.problem.strip(),
            measures=data.measures.strip(),
            responsible=data.responsible.strip(),
            deadline=data.deadline,
            institution=None if data.department else visit.target.institution,
            department=data.department,
        )
        try:
            rectification_create(
                user,
                county=visit.target.plan.county,
                source="inspection",
                source_key=finding.source_key,
                source_label=source_label(visit),
                problem=finding.problem,
                institution=finding.institution,
                department=finding.department,
                measures=finding.measures,
                responsible=finding.responsible,
                deadline=finding.deadline,
            )
        except RectificationError as exc:
            raise ServiceError(f"第{n}个问题：{exc.message}") from exc
        stored.append(finding)
    return stored


def may_add_findings(user: User, visit: Visit) -> bool:
    """The county office, or a county inspector who made the visit."""
    county = visit.target.plan.county
    if can_manage_county(user, county):
        return True
    return is_county_inspector(user, county) and visit.inspectors.filter(user=user).exists()


@transaction.atomic
def findings_add(user: User, visit: Visit, findings: Sequence[FindingData]) -> list[Finding]:
    """Add findings to a recorded visit; each becomes a rectification item (numbered on)."""
    if not may_add_findings(user, visit):
        raise PermissionDenied("只有县督导室或该次检查的督学可以补充问题")
    visit = (
        Visit.objects.select_for_update().select_related("target__plan__county").get(pk=visit.pk)
    )
    if not findings:
        raise ServiceError("请至少填写一个问题")
    _check_findings(visit.target.plan.county_id, findings, visit.visited_on)
    return findings_to_rectification(user, visit, findings)


@transaction.atomic
def reinspection_plan(
    user: User, county: Region, *, today: date, scheduled: date | None = None
) -> InspectionPlan:
    """A routine plan re-inspecting every school with open rectification items (复查).

    Each target gets the school's assigned inspector unless that inspector must not inspect it
    (not on duty, works there, declared conflict): the target is then left without inspector and
    the plan's notes say so. Refused while a plan for the same open items is still unvisited,
    and for a date (`scheduled`) before `today`.
    """
    require_manager(user, county, "生成复查计划")
    if scheduled is None:
        raise ServiceError("请填写复查日期", {"scheduled": "请填写复查日期"})
    if scheduled < today:
        raise ServiceError(
            f"复查日期 {scheduled:%Y-%m-%d} 早于今天（{today:%Y-%m-%d}），请选择今天或以后的日期",
            {"scheduled": "早于今天"},
        )
    Region.objects.select_for_update().get(pk=county.pk)  # one press at a time per county
    items = open_rectifications(county).filter(institution__isnull=False)
    item_ids = sorted(items.values_list("pk", flat=True))
    if not item_ids:
        raise ServiceError("本县没有未销号的学校整改事项，无需复查")
    _refuse_duplicate_reinspection(county, item_ids)
    school_ids = sorted(set(items.values_list("institution_id", flat=True)))
    plan = InspectionPlan.objects.create(
        county=county,
        title=f"{scheduled:%Y年%m月%d日}复查（未销号问题）",
        kind=PlanKind.ROUTINE,
        notes="按未销号整改事项生成的复查计划",
        reinspection_items=item_ids,
        created_by=user,
    )
    assigned = {
        a.institution_id: a.inspector
        for a in Assignment.objects.filter(institution_id__in=school_ids).select_related(
            "inspector"
        )
    }
    unassigned = []
    for school in Institution.objects.filter(pk__in=school_ids).order_by("code"):
        target = Target.objects.create(plan=plan, institution=school, scheduled=scheduled)
        inspector = assigned.get(school.pk)
        refusal = inspect_refusal(inspector, school) if inspector is not None else ""
        if inspector is not None and not refusal:
            target.inspectors.set([inspector])
        else:
            unassigned.append(refusal or f"{school.name}未指定责任督学")
    if unassigned:
        plan.notes += "。以下学校未自动指派督学，请另行安排：" + "；".join(unassigned)
        plan.save(update_fields=["notes"])
    return plan


def _refuse_duplicate_reinspection(county: Region, item_ids: list[int]) -> None:
    for plan in InspectionPlan.objects.filter(county=county).exclude(reinspection_items=[]):
        if plan.reinspection_items == item_ids and not plan.targets.filter(visit__isnull=False):
            raise ServiceError(
                f"已有针对同样未销号问题的复查计划“{plan.title}”尚未检查，无需重复生成"
            )
