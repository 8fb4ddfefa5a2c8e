"""Scoped reads: everything a request names is fetched through these, limited to the user.

An object outside the user's scope is reported as missing (404), never as forbidden, so that
its existence does not leak.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from dudao.orgs.choices import COUNTY_ROLES, INSTITUTION_ROLES, RegionLevel, Role
from dudao.orgs.models import Department, Institution, Membership, Region

User = AbstractBaseUser | AnonymousUser


def memberships(user: User) -> list[Membership]:
    """The user's memberships, read once per request object."""
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, "_dudao_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related(
                "region", "institution", "department"
            )
        )
        user._dudao_memberships = cached  # type: ignore[union-attr]
    return cached


def roles(user: User) -> set[str]:
    return {m.role for m in memberships(user)}


def is_admin(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False)) or Role.ADMIN in roles(user)


def counties_for(user: User) -> QuerySet[Region]:
    """Counties the user sees as a whole (county roles, city reviewers, administrators)."""
    counties = Region.objects.filter(level=RegionLevel.COUNTY)
    if is_admin(user):
        return counties
    own = [m.region_id for m in memberships(user) if m.role in COUNTY_ROLES and m.region_id]
    cities = [m.region_id for m in memberships(user) if m.role == Role.CITY_REVIEWER]
    return counties.filter(Q(pk__in=own) | Q(parent_id__in=cities))


def county_for(user: User, pk: int) -> Region:
    return get_object_or_404(counties_for(user), pk=pk)


def institutions_for(user: User) -> QuerySet[Institution]:
    """Institutions the user may see: the county's for county roles, their own for schools."""
    base = Institution.objects.select_related("county", "township")
    if is_admin(user):
        return base
    own = [m.institution_id for m in memberships(user) if m.role in INSTITUTION_ROLES]
    return base.filter(Q(county__in=counties_for(user)) | Q(pk__in=own))


def institution_for(user: User, pk: int) -> Institution:
    return get_object_or_404(institutions_for(user), pk=pk)


def departments_for(user: User) -> QuerySet[Department]:
    if is_admin(user):
        return Department.objects.all()
    own = [m.department_id for m in memberships(user) if m.role == Role.DEPARTMENT]
    return Department.objects.filter(Q(county__in=counties_for(user)) | Q(pk__in=own))


def can_manage_county(user: User, county: Region) -> bool:
    """Open periods, approve, reopen, import, run evaluations: the county supervision office."""
    if is_admin(user):
        return True
    return any(m.role == Role.SUPERVISOR and m.region_id == county.pk for m in memberships(user))


def can_review_county(user: User, county: Region) -> bool:
    """Review submissions: the county office, or a reviewer of the county's city."""
    if can_manage_county(user, county):
        return True
    return any(
        m.role == Role.CITY_REVIEWER and m.region_id == county.parent_id for m in memberships(user)
    )


def can_fill(user: User, institution: Institution) -> bool:
    """Fill and submit the institution's own figures: its clerk or principal."""
    return any(
        m.role in INSTITUTION_ROLES and m.institution_id == institution.pk
        for m in memberships(user)
    )
