"""Scoped reads of the inspection app: whatever a request names is fetched through these.

Who sees what:
- the county office (supervisor) and administrators see everything of their counties;
- leaders and city reviewers (`counties_for`) see the pool, checklists, draws and every plan of
  their counties that is not unannounced (暗访);
- inspectors (role inspector, region = county) see the pool, checklists and every plan of their
  county that is not unannounced;
- an unannounced plan's targets (school and date) are secret until their visit is recorded:
  before that only the office, admins and the inspectors assigned to a target see it (each
  inspector only their own targets, and the plan they belong to). Once a target's visit is
  recorded, the plan and that visited target are seen like any other plan's by leaders, city
  reviewers and the county's inspectors; its unvisited targets stay secret;
- bureau department staff see every draw of their department's county (draws are public);
- bureau department staff also see a recorded visit with a finding assigned to their department;
- schools (clerk, principal) see only their own recorded visits, every draw of their county
  (from preparation on, so that no draw can be hidden) and their sign card — never a plan or
  a target, before or after its visit is recorded.
Anything else is a 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from dudao.inspection.choices import PlanKind
from dudao.inspection.models import (
    Assignment,
    ChecklistTemplate,
    Conflict,
    Finding,
    InspectionPlan,
    Inspector,
    RandomDraw,
    Target,
    TargetChange,
    Visit,
)
from dudao.orgs.choices import INSTITUTION_ROLES, RegionLevel, Role
from dudao.orgs.models import Department, Institution, Region
from dudao.orgs.selectors import User, can_manage_county, counties_for, is_admin, memberships
from dudao.rectification.selectors import rectifications_for


def inspector_county_ids(user: User) -> set[int]:
    """Counties where the user is an inspector (督学)."""
    return {m.region_id for m in memberships(user) if m.role == Role.INSPECTOR and m.region_id}


def own_institution_ids(user: User) -> set[int]:
    return {
        m.institution_id
        for m in memberships(user)
        if m.role in INSTITUTION_ROLES and m.institution_id
    }


def own_department_ids(user: User) -> set[int]:
    return {
        m.department_id for m in memberships(user) if m.role == Role.DEPARTMENT and m.department_id
    }


def is_county_inspector(user: User, county: Region) -> bool:
    return county.pk in inspector_county_ids(user)


def staff_counties(user: User) -> QuerySet[Region]:
    """Counties whose inspection work the user sees: county roles and the county's inspectors."""
    ids = inspector_county_ids(user)
    if is_admin(user) or not ids:
        return counties_for(user)
    return Region.objects.filter(
        Q(pk__in=counties_for(user).values("pk")) | Q(pk__in=ids), level=RegionLevel.COUNTY
    )


def staff_county_for(user: User, pk: int) -> Region:
    return get_object_or_404(staff_counties(user), pk=pk)


def managed_counties(user: User) -> list[Region]:
    return [c for c in counties_for(user) if can_manage_county(user, c)]


def member_counties(user: User) -> QuerySet[Region]:
    """Every county the user belongs to in any role, a bureau department's staff included
    (for draws, which are public: 一公开)."""
    schools = Institution.objects.filter(pk__in=own_institution_ids(user)).values("county_id")
    departments = Department.objects.filter(pk__in=own_department_ids(user)).values("county_id")
    return Region.objects.filter(
        Q(pk__in=staff_counties(user).values("pk")) | Q(pk__in=schools) | Q(pk__in=departments),
        level=RegionLevel.COUNTY,
    )


# ---------------------------------------------------------------- inspectors


def inspectors_for(user: User) -> QuerySet[Inspector]:
    return Inspector.objects.filter(county__in=staff_counties(user)).select_related(
        "county", "institution", "user"
    )


def inspector_for(user: User, pk: int) -> Inspector:
    return get_object_or_404(inspectors_for(user), pk=pk)


def conflict_for(user: User, pk: int) -> Conflict:
    return get_object_or_404(
        Conflict.objects.filter(inspector__county__in=staff_counties(user)), pk=pk
    )


def own_inspector(user: User, county: Region) -> Inspector | None:
    """The pool record linked to the user's account in the county, if any."""
    if not user.is_authenticated:
        return None
    return Inspector.objects.filter(county=county, user=user).first()


def assignment_rows(county: Region) -> list[tuple[Institution, Assignment | None]]:
    """Every institution of the county with its assigned inspector (or None)."""
    found = {
        a.institution_id: a
        for a in Assignment.objects.filter(institution__county=county).select_related("inspector")
    }
    schools = Institution.objects.filter(county=county).select_related("township")
    return [(s, found.get(s.pk)) for s in schools]


def card_institution_for(user: User, pk: int) -> Institution:
    """An institution whose sign card (公示牌) the user may print."""
    visible = Institution.objects.filter(
        Q(county__in=staff_counties(user)) | Q(pk__in=own_institution_ids(user))
    )
    return get_object_or_404(visible.select_related("county"), pk=pk)


# ---------------------------------------------------------------- checklists


def checklists_for(user: User) -> QuerySet[ChecklistTemplate]:
    return ChecklistTemplate.objects.filter(county__in=staff_counties(user)).select_related(
        "county"
    )


def checklist_for(user: User, pk: int) -> ChecklistTemplate:
    return get_object_or_404(checklists_for(user), pk=pk)


def current_checklists(county: Region) -> list[ChecklistTemplate]:
    """The newest version of each checklist of the county."""
    latest: dict[str, ChecklistTemplate] = {}
    for template in ChecklistTemplate.objects.filter(county=county).order_by("name", "-version"):
        latest.setdefault(template.name, template)
    return list(latest.values())


# ---------------------------------------------------------------- draws


def draws_for(user: User) -> QuerySet[RandomDraw]:
    """Every draw of the user's counties, for the county roles, inspectors and schools alike.

    A draw is listed from the moment it is prepared (candidates and seed digest; the seed stays
    hidden until the draw) and its result from the moment it is drawn, published or not, so the
    office cannot run several draws and show only the one it likes.
    """
    if not user.is_authenticated:
        return RandomDraw.objects.none()
    if is_admin(user):
        return RandomDraw.objects.select_related("county", "publication", "plan")
    return RandomDraw.objects.filter(county__in=member_counties(user).values("pk")).select_related(
        "county", "publication", "plan"
    )


def draw_for(user: User, pk: int) -> RandomDraw:
    return get_object_or_404(draws_for(user), pk=pk)


def draw_changes(draw: RandomDraw) -> list[TargetChange]:
    """The changes made to the draw's plan after the draw (抽签后调整), public like the draw."""
    return list(
        TargetChange.objects.filter(plan__draw=draw).select_related("institution", "changed_by")
    )


# ---------------------------------------------------------------- plans, targets, visits


def _managed_county_ids(user: User) -> set[int]:
    """Counties whose office the user is (as can_manage_county; admins are handled by callers)."""
    return {m.region_id for m in memberships(user) if m.role == Role.SUPERVISOR and m.region_id}


def _plan_scope(user: User) -> Q:
    """Plans the user sees, as a filter (see the module docstring)."""
    if is_admin(user):
        return Q()
    inspector_counties = inspector_county_ids(user)
    county_staff = Q(county__in=counties_for(user).values("pk")) | Q(county__in=inspector_counties)
    visited = Target.objects.filter(visit__isnull=False).values("plan_id")
    assigned = Target.objects.filter(inspectors__user=user).values("plan_id")
    return (
        Q(county__in=_managed_county_ids(user))
        | (county_staff & (~Q(kind=PlanKind.UNANNOUNCED) | Q(pk__in=visited)))
        | (Q(county__in=inspector_counties) & Q(pk__in=assigned))
    )


def plans_for(user: User) -> QuerySet[InspectionPlan]:
    if not user.is_authenticated:
        return InspectionPlan.objects.none()
    return InspectionPlan.objects.filter(_plan_scope(user)).select_related("county", "checklist")


def plan_for(user: User, pk: int) -> InspectionPlan:
    return get_object_or_404(plans_for(user), pk=pk)


def _target_scope(user: User) -> Q:
    """Targets the user sees: an unannounced plan's only to the office and its own inspectors
    until the visit is recorded."""
    if is_admin(user):
        return Q()
    inspector_counties = inspector_county_ids(user)
    county_staff = Q(plan__county__in=counties_for(user).values("pk")) | Q(
        plan__county__in=inspector_counties
    )
    mine = Target.objects.filter(inspectors__user=user).values("pk")
    return (
        Q(plan__county__in=_managed_county_ids(user))
        | (county_staff & (~Q(plan__kind=PlanKind.UNANNOUNCED) | Q(visit__isnull=False)))
        | (Q(plan__county__in=inspector_counties) & Q(pk__in=mine))
    )


def targets_for(user: User) -> QuerySet[Target]:
    if not user.is_authenticated:
        return Target.objects.none()
    return Target.objects.filter(_target_scope(user)).select_related(
        "plan", "plan__county", "institution"
    )


def target_for(user: User, pk: int) -> Target:
    return get_object_or_404(targets_for(user), pk=pk)


def plan_targets(user: User, plan: InspectionPlan) -> QuerySet[Target]:
    return (
        targets_for(user).filter(plan=plan).select_related("visit").prefetch_related("inspectors")
    )


def in_draw_order(plan: InspectionPlan, targets: list[Target]) -> list[Target]:
    """The targets with `.inspector_list`: for a plan made from a draw, schools and each school's
    inspectors in the order they were drawn (targets added by hand after them); otherwise as
    stored (date, school code) with inspectors by code."""
    picks = plan.draw.result.get("picks", []) if plan.draw and plan.draw.result else []
    school_rank = {p["school"]["code"]: n for n, p in enumerate(picks)}
    inspector_rank = {
        p["school"]["code"]: {i["code"]: n for n, i in enumerate(p["inspectors"])} for p in picks
    }
    for target in targets:
        code = target.institution.code
        ranks = inspector_rank.get(code, {})
        target.inspector_list = sorted(  # type: ignore[attr-defined]
            target.inspectors.all(), key=lambda i: (ranks.get(i.code, len(ranks)), i.code)
        )
    return sorted(targets, key=lambda t: school_rank.get(t.institution.code, len(school_rank)))


def my_targets(user: User) -> QuerySet[Target]:
    """Targets the user is assigned to as an inspector, not yet visited first."""
    return (
        targets_for(user)
        .filter(inspectors__user=user)
        .select_related("visit")
        .order_by("visit", "scheduled")
    )


def visits_for(user: User) -> QuerySet[Visit]:
    """Recorded visits: as the targets above, plus a school's own visits, plus for department
    staff the visits with a finding assigned to their department (where their item came from)."""
    if not user.is_authenticated:
        return Visit.objects.none()
    staff = Q(target__in=targets_for(user).values("pk"))
    own = Q(target__institution__in=own_institution_ids(user))
    departments = own_department_ids(user)
    found = Finding.objects.filter(department_id__in=departments).values("visit_id")
    mine = Q(pk__in=found) if departments else Q(pk__in=[])
    return Visit.objects.filter(staff | own | mine).select_related(
        "target", "target__plan", "target__plan__county", "target__institution", "checklist"
    )


def visit_for(user: User, pk: int) -> Visit:
    return get_object_or_404(visits_for(user), pk=pk)


def last_visit_inspectors(county: Region) -> dict[str, list[str]]:
    """School code → codes of the inspectors of the school's most recent recorded visit."""
    latest: dict[str, list[str]] = {}
    visits = (
        Visit.objects.filter(target__plan__county=county)
        .select_related("target__institution")
        .prefetch_related("inspectors")
        .order_by("-visited_on", "-recorded_at")
    )
    for visit in visits:
        code = visit.target.institution.code
        if code not in latest:
            latest[code] = [i.code for i in visit.inspectors.all()]
    return latest


def findings_with_items(user: User, visit: Visit) -> list[Finding]:
    """The visit's findings, each with `.item`: its rectification item if the user may open it."""
    findings = list(visit.findings.select_related("institution", "department"))
    keys = [f.source_key for f in findings]
    items = {
        r.source_key: r
        for r in rectifications_for(user).filter(
            county_id=visit.target.plan.county_id, source_key__in=keys
        )
    }
    for finding in findings:
        finding.item = items.get(finding.source_key)  # type: ignore[attr-defined]
    return findings
