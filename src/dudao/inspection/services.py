"""Writes of the inspection app: inspectors, conflicts, assignments and checklists.

Random draws are in `draws.py`, plans and visits in `visits.py`; each write is one atomic,
validating function that checks the actor's permission first (PermissionDenied).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from dudao.inspection import checklist as rubric
from dudao.inspection.choices import InspectorKind
from dudao.inspection.errors import ServiceError, StaleEdit
from dudao.inspection.models import Assignment, ChecklistTemplate, Conflict, Inspector
from dudao.orgs.choices import Role
from dudao.orgs.models import Institution, Membership, Region
from dudao.orgs.selectors import User, can_manage_county

__all__ = [
    "InspectorData",
    "ServiceError",
    "StaleEdit",
    "assignment_set",
    "check_may_inspect",
    "checklist_save",
    "conflict_add",
    "conflict_remove",
    "inspect_refusal",
    "inspector_save",
    "require_manager",
]


def require_manager(user: User, county: Region, action: str = "管理督查工作") -> None:
    if not can_manage_county(user, county):
        raise PermissionDenied(f"只有县督导室可以{action}")


# ---------------------------------------------------------------- inspectors

# a mobile number (11 digits from 1) or a landline (area code, dash, number, optional extension)
PHONE = re.compile(r"1\d{10}|(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?")


@dataclass(frozen=True)
class InspectorData:
    """The editable fields of an inspector (督学)."""

    code: str
    name: str
    kind: str = InspectorKind.PART_TIME
    phone: str = ""
    institution: Institution | None = None
    user: AuthUser | None = None
    active: bool = True


@transaction.atomic
def inspector_save(
    user: User,
    county: Region,
    data: InspectorData,
    inspector: Inspector | None = None,
    version: int = 0,
) -> Inspector:
    """Add an inspector to the county's pool, or edit one (refused when `version` is stale)."""
    require_manager(user, county, "管理督学库")
    _check_inspector(county, data, inspector)
    if inspector is None:
        inspector = Inspector(county=county)
    else:
        inspector = Inspector.objects.select_for_update().get(pk=inspector.pk)
        if inspector.county_id != county.pk:
            raise ServiceError("该督学不属于本县")
        if inspector.version != version:
            raise StaleEdit()
    for field in ("code", "name", "kind", "phone", "institution", "user", "active"):
        value = getattr(data, field)
        setattr(inspector, field, value.strip() if isinstance(value, str) else value)
    inspector.version += 1
    inspector.save()
    return inspector


def _check_inspector(county: Region, data: InspectorData, current: Inspector | None) -> None:
    errors: dict[str, str] = {}
    if not data.code.strip():
        errors["code"] = "请填写督学编号"
    if not data.name.strip():
        errors["name"] = "请填写姓名"
    if data.kind not in InspectorKind.values:
        errors["kind"] = "类别应为专职或兼职"
    phone = data.phone.strip()
    if phone and not PHONE.fullmatch(phone):
        errors["phone"] = f"联系电话“{phone}”格式不正确，请填写手机号或座机号（如 0839-1234567）"
    same = Inspector.objects.filter(county=county, code=data.code.strip())
    if current is not None:
        same = same.exclude(pk=current.pk)
    if data.code.strip() and same.exists():
        errors["code"] = f"督学编号 {data.code.strip()} 已被使用"
    if data.institution is not None and data.institution.county_id != county.pk:
        errors["institution"] = "所在学校不属于本县"
    if (
        data.user is not None
        and not Membership.objects.filter(
            user=data.user, role=Role.INSPECTOR, region=county
        ).exists()
    ):
        errors["user"] = "该账号不是本县的督学账号"
    if errors:
        raise ServiceError("督学信息有误：" + "；".join(errors.values()), errors)


# ---------------------------------------------------------------- conflicts, assignments


@transaction.atomic
def conflict_add(
    user: User, inspector: Inspector, institution: Institution, reason: str
) -> Conflict:
    """Declare that the inspector must not inspect the institution (回避)."""
    require_manager(user, inspector.county, "登记回避关系")
    reason = reason.strip()
    if not reason:
        raise ServiceError("请填写回避原因", {"reason": "必填"})
    if institution.county_id != inspector.county_id:
        raise ServiceError("回避的学校不属于本县", {"institution": "不属于本县"})
    if Conflict.objects.filter(inspector=inspector, institution=institution).exists():
        raise ServiceError(f"{inspector.name}已登记回避{institution.name}")
    if Assignment.objects.filter(inspector=inspector, institution=institution).exists():
        raise ServiceError(
            f"{inspector.name}是{institution.name}的责任督学，不能登记回避；"
            "请先在“责任督学”中为该校改派其他督学，再登记回避",
            {"institution": "该督学是本校的责任督学，请先改派"},
        )
    planned = list(
        inspector.targets.filter(institution=institution, visit__isnull=True)
        .select_related("plan")
        .order_by("plan__created_at")
    )
    if planned:
        titles = "、".join(f"“{t.plan.title}”" for t in planned)
        message = (
            f"{inspector.name}已被安排检查{institution.name}（计划：{titles}），"
            "请先在计划中替换督学"
        )
        raise ServiceError(message, {"institution": message})
    return Conflict.objects.create(inspector=inspector, institution=institution, reason=reason)


def inspect_refusal(inspector: Inspector, institution: Institution) -> str:
    """Why the inspector must not inspect the institution ("" when nothing stands in the way).

    Refused: an inspector no longer on duty, one who works at the school, one with a declared
    conflict (回避) with it.
    """
    if not inspector.active:
        return f"{inspector.name}已不在岗，不能派往{institution.name}"
    if inspector.institution_id == institution.pk:
        return f"{inspector.name}在{institution.name}工作，应当回避，不能派往该校"
    conflict = Conflict.objects.filter(inspector=inspector, institution=institution).first()
    if conflict is not None:
        return f"{inspector.name}已登记回避{institution.name}（{conflict.reason}），不能派往该校"
    return ""


def check_may_inspect(inspectors: list[Inspector], institution: Institution) -> None:
    """Refuse (ServiceError naming inspector and school) anyone who must not inspect the school."""
    reasons = [r for r in (inspect_refusal(i, institution) for i in inspectors) if r]
    if reasons:
        raise ServiceError("；".join(reasons), {"inspectors": "；".join(reasons)})


@transaction.atomic
def conflict_remove(user: User, conflict: Conflict) -> None:
    require_manager(user, conflict.inspector.county, "撤销回避关系")
    conflict.delete()


@transaction.atomic
def assignment_set(
    user: User, institution: Institution, inspector: Inspector | None
) -> Assignment | None:
    """Set (or clear, with None) the institution's assigned inspector (责任督学)."""
    require_manager(user, institution.county, "指定责任督学")
    if inspector is None:
        Assignment.objects.filter(institution=institution).delete()
        return None
    if inspector.county_id != institution.county_id:
        raise ServiceError("该督学不属于学校所在区县")
    if not inspector.active:
        raise ServiceError(f"{inspector.name}已不在岗，不能指定为责任督学")
    check_may_inspect([inspector], institution)
    assignment, _ = Assignment.objects.update_or_create(
        institution=institution, defaults={"inspector": inspector}
    )
    return assignment


# ---------------------------------------------------------------- checklists


@transaction.atomic
def checklist_save(
    user: User,
    county: Region,
    name: str,
    lines: str,
    pass_mark: float,
    *,
    template: ChecklistTemplate | None = None,
    version: int | None = None,
) -> ChecklistTemplate:
    """Create a checklist from pasted lines, or edit one.

    An edit names the version number the form was made from (`version`); it is refused
    (StaleEdit) when that is not the template's, or when the template is no longer the current
    version of its checklist. Editing a template that a visit or plan already used creates a new
    version (the visits keep theirs); an unused template is changed in place.
    """
    require_manager(user, county, "管理检查评分表")
    if template is not None:
        template = _current_template(template, version)
    name = name.strip()
    if not name:
        raise ServiceError("请填写评分表名称", {"name": "必填"})
    try:
        structure = rubric.parse_lines(lines)
    except rubric.ChecklistError as exc:
        raise ServiceError("评分表有误：" + "；".join(exc.problems), {"lines": str(exc)}) from exc
    full = rubric.full_mark(structure)
    if not 0 <= pass_mark <= full:
        raise ServiceError(f"合格分应在 0 到满分 {full:g} 之间", {"pass_mark": "超出范围"})
    if template is not None and not (template.visits.exists() or template.plans.exists()):
        template.name, template.structure, template.pass_mark = name, structure, pass_mark
        template.save()
        return template
    same = ChecklistTemplate.objects.filter(county=county, name=name)
    if template is None and same.exists():
        raise ServiceError(f"已有名为“{name}”的评分表，请编辑它", {"name": "名称重复"})
    version = max((t.version for t in same), default=0) + 1
    return ChecklistTemplate.objects.create(
        county=county,
        name=name,
        version=version,
        structure=structure,
        pass_mark=pass_mark,
        created_by=user,
    )


def _current_template(template: ChecklistTemplate, version: int | None) -> ChecklistTemplate:
    """The template locked for the edit; StaleEdit when the edit was made from an older one."""
    locked = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    newest = (
        ChecklistTemplate.objects.filter(county_id=locked.county_id, name=locked.name)
        .order_by("-version")
        .first()
    )
    if version != locked.version or newest is None or newest.pk != locked.pk:
        raise StaleEdit()
    return locked
