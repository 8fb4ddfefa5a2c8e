"""Scoped reads and permission helpers of the rectification app.

Who sees an item: the county office, leaders, city reviewers and administrators (the counties
`counties_for` gives them), the county's inspectors (督学, Membership role "inspector" with the
county as region), the institution's own clerk and principal, the department's own staff.
Anything outside the user's scope is a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from dudao.orgs.choices import INSTITUTION_ROLES, RegionLevel, Role
from dudao.orgs.models import Department, Institution, Region
from dudao.orgs.selectors import (
    User,
    can_fill,
    can_manage_county,
    counties_for,
    is_admin,
    memberships,
)
from dudao.rectification import verifiers
from dudao.rectification.choices import RectificationStatus
from dudao.rectification.models import (
    Rectification,
    RectificationEvent,
    RectificationFile,
    RectificationNotice,
)

if TYPE_CHECKING:
    from dudao.rectification.scope import Scope


def is_county_inspector(user: User, county: Region) -> bool:
    """An inspector (督学) of the county: role inspector with region = the county."""
    return any(m.role == Role.INSPECTOR and m.region_id == county.pk for m in memberships(user))


def open_rectifications(county: Region) -> QuerySet[Rectification]:
    """The county's items not yet closed (待整改 and 已反馈)."""
    return (
        Rectification.objects.filter(county=county)
        .exclude(status=RectificationStatus.CLOSED)
        .select_related("county", "institution", "department")
    )


def _inspector_county_ids(user: User) -> list[int]:
    return [m.region_id for m in memberships(user) if m.role == Role.INSPECTOR and m.region_id]


def own_institution_ids(user: User) -> list[int]:
    return [
        m.institution_id
        for m in memberships(user)
        if m.role in INSTITUTION_ROLES and m.institution_id
    ]


def own_department_ids(user: User) -> list[int]:
    return [
        m.department_id for m in memberships(user) if m.role == Role.DEPARTMENT and m.department_id
    ]


def rect_counties_for(user: User) -> QuerySet[Region]:
    """Counties whose items the user sees as a whole: county roles, city reviewers, inspectors."""
    inspected = Q(pk__in=_inspector_county_ids(user), level=RegionLevel.COUNTY)
    return Region.objects.filter(Q(pk__in=counties_for(user)) | inspected).order_by("code")


def rect_county_for(user: User, pk: int) -> Region:
    return get_object_or_404(rect_counties_for(user), pk=pk)


def sees_county(user: User, county: Region) -> bool:
    """Whether the user reads the county's items as a whole."""
    return is_admin(user) or rect_counties_for(user).filter(pk=county.pk).exists()


def rectifications_for(user: User) -> QuerySet[Rectification]:
    """Items the user sees (see the module docstring)."""
    base = Rectification.objects.select_related("county", "institution", "department")
    if is_admin(user):
        return base
    scope = (
        Q(county__in=rect_counties_for(user))
        | Q(institution_id__in=own_institution_ids(user))
        | Q(department_id__in=own_department_ids(user))
    )
    return base.filter(scope)


def rectification_for(user: User, pk: int) -> Rectification:
    return get_object_or_404(rectifications_for(user), pk=pk)


def file_for(user: User, pk: int) -> RectificationFile:
    files = RectificationFile.objects.filter(rectification__in=rectifications_for(user))
    return get_object_or_404(files.select_related("rectification"), pk=pk)


def institution_in_scope(user: User, pk: int) -> Institution:
    """An institution whose items the user sees: the county's, or the user's own."""
    found = Institution.objects.select_related("county").filter(
        Q(county__in=rect_counties_for(user)) | Q(pk__in=own_institution_ids(user))
    )
    return get_object_or_404(Institution.objects.all() if is_admin(user) else found, pk=pk)


def department_in_scope(user: User, pk: int) -> Department:
    """A department whose items the user sees: the county's, or the user's own."""
    found = Department.objects.select_related("county").filter(
        Q(county__in=rect_counties_for(user)) | Q(pk__in=own_department_ids(user))
    )
    return get_object_or_404(Department.objects.all() if is_admin(user) else found, pk=pk)


# ---------------------------------------------------------------- permissions


def can_respond(user: User, item: Rectification) -> bool:
    """The responsible side: the school's clerk/principal, the department, or the county office."""
    if is_admin(user):
        return True
    if item.institution_id is not None:
        return can_fill(user, item.institution)  # type: ignore[arg-type]
    if item.department_id is not None:
        return item.department_id in own_department_ids(user)
    return can_manage_county(user, item.county)


def can_verify(user: User, item: Rectification) -> bool:
    """Verify (close), return and reopen: the county office, or an inspector involved with the
    item and free of conflict with its school (see `verifiers`)."""
    return verifiers.can_verify(user, item)


def can_edit(user: User, item: Rectification) -> bool:
    """Edit measures, responsible person and deadline: the county office."""
    return can_manage_county(user, item.county)


def can_create(user: User, county: Region) -> bool:
    """Register items: the county office and the county's inspectors."""
    return can_manage_county(user, county) or is_county_inspector(user, county)


# ---------------------------------------------------------------- pages


def own_institutions(user: User) -> list[Institution]:
    return [
        m.institution for m in memberships(user) if m.role in INSTITUTION_ROLES and m.institution
    ]


def own_departments(user: User) -> list[Department]:
    return [m.department for m in memberships(user) if m.role == Role.DEPARTMENT and m.department]


def managed_counties(user: User) -> QuerySet[Region]:
    """Counties whose office the user is (or all, for administrators)."""
    counties = counties_for(user)
    return counties.filter(pk__in=[c.pk for c in counties if can_manage_county(user, c)])


def scoped_items(
    user: User, scope: Scope, status: str = "", run_period: str = ""
) -> QuerySet[Rectification]:
    """Items of the scope the user sees, optionally of one status or generated from the
    evaluation runs of one period (`run_period`, a period id), by deadline."""
    found = rectifications_for(user).filter(county=scope.county)
    if run_period.isdigit():
        found = found.filter(source_key__startswith=f"run:{int(run_period)}:")
    if scope.institution is not None:
        found = found.filter(institution=scope.institution)
    if scope.department is not None:
        found = found.filter(department=scope.department)
    if scope.office:
        found = found.filter(institution=None, department=None)
    if status in RectificationStatus.values:
        found = found.filter(status=status)
    return found.order_by(F("deadline").asc(nulls_last=True), "pk")


def history(item: Rectification) -> list[RectificationEvent]:
    """The item's events, oldest first, with their users and files."""
    return list(item.events.select_related("user").prefetch_related("files").order_by("at", "pk"))


def open_items_of(user: User, institution: Institution) -> list[Rectification]:
    """The school's items not yet closed, by deadline (for the rectification notice)."""
    found = rectifications_for(user).filter(institution=institution)
    found = found.exclude(status=RectificationStatus.CLOSED)
    return list(found.order_by(F("deadline").asc(nulls_last=True), "pk"))


def issued_number(institution: Institution) -> str:
    """The number of the latest notice the county office issued to the school; "" if none."""
    latest = institution.notices.order_by("-issued_at", "-pk").first()
    return latest.number if latest is not None else ""


def notice_history(institution: Institution) -> list[RectificationNotice]:
    """The school's issued notice and its number changes, oldest first, with who did them."""
    return list(institution.notices.select_related("issued_by").order_by("issued_at", "pk"))


def to_respond(user: User) -> QuerySet[Rectification]:
    """Open items (待整改) the user's side must answer: own school, own department, or the
    county-level items of a county the user's office manages."""
    own = (
        Q(institution_id__in=own_institution_ids(user))
        | Q(department_id__in=own_department_ids(user))
        | Q(institution__isnull=True, department__isnull=True, county__in=managed_counties(user))
    )
    return Rectification.objects.filter(own, status=RectificationStatus.OPEN)


def county_open(counties: list[Region]) -> QuerySet[Rectification]:
    """Open items (待整改) of the counties, whoever must answer them (the office's overview)."""
    return Rectification.objects.filter(county__in=counties, status=RectificationStatus.OPEN)


def to_verify(user: User) -> QuerySet[Rectification]:
    """Answered items (已反馈) waiting for the user's verification: all of the office's counties,
    and those an inspector may verify (`verifiers.verifiable_by_inspector`)."""
    counties = Q(county__in=managed_counties(user))
    inspector_counties = _inspector_county_ids(user)
    if inspector_counties:  # only inspectors pay for the look-up of their visits
        counties |= Q(county_id__in=inspector_counties) & verifiers.verifiable_by_inspector(user)
    return Rectification.objects.filter(counties, status=RectificationStatus.RESPONDED)


def source_links(user: User, item: Rectification) -> tuple[str, str]:
    """The page and the report (DOCX) of the visit whose findings registered the item
    (`visit:<pk>:finding:<n>`), when inspection's `visits_for` lets the user see that visit
    (its inspectors, the office, the school, the department the finding is assigned to);
    else ("", "")."""
    from dudao.inspection.selectors import visits_for  # noqa: PLC0415 (it imports this module)

    visit = verifiers.visit_id(item)
    if visit is None or not visits_for(user).filter(pk=visit).exists():
        return "", ""
    return reverse("inspection:visit", args=[visit]), reverse("inspection:visit_docx", args=[visit])
