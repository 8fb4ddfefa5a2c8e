"""Scoped reads of the people of a county (for the users page), built on the selectors.

A membership or person outside the counties the user sees is missing (404); one the user sees
but does not manage (a leader looking at his own county) is forbidden (403).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from dudao.orgs.choices import COUNTY_ROLES, INSTITUTION_ROLES, Role
from dudao.orgs.models import Membership, Region
from dudao.orgs.selectors import User, can_manage_county, counties_for, county_for, is_admin

# Roles the county office may grant, with the scope each one needs.
COUNTY_GRANTABLE = (*INSTITUTION_ROLES, Role.DEPARTMENT, *COUNTY_ROLES, Role.INSPECTOR)


def in_counties(counties: QuerySet[Region] | list[Region]) -> Q:
    """Memberships whose scope lies in one of the counties (county, school or department)."""
    return (
        Q(region__in=counties)
        | Q(institution__county__in=counties)
        | Q(department__county__in=counties)
    )


def county_of(membership: Membership) -> Region | None:
    """The county a membership's scope lies in (None for city-wide or global roles)."""
    if membership.institution_id:
        return membership.institution.county  # type: ignore[union-attr]
    if membership.department_id:
        return membership.department.county  # type: ignore[union-attr]
    if membership.role in COUNTY_ROLES:
        return membership.region
    return None


def managed_counties(user: User) -> list[Region]:
    """Counties whose people the user administers (the county office, administrators)."""
    return [c for c in counties_for(user).select_related("parent") if can_manage_county(user, c)]


def managed_county(user: User, pk: str | None) -> Region:
    """The county named by a request (?county=), or the first one the user manages.

    A county outside the user's sight is missing (404); one seen but not managed, or no county
    at all to manage, is forbidden (403).
    """
    if pk:
        if not pk.isdigit():
            raise Http404("没有这个区县")
        county = county_for(user, int(pk))
        if not can_manage_county(user, county):
            raise PermissionDenied("只有本县督导室或系统管理员可以管理")
        return county
    counties = managed_counties(user)
    if not counties:
        raise PermissionDenied("只有县督导室或系统管理员可以管理")
    return counties[0]


def county_memberships(county: Region) -> QuerySet[Membership]:
    """Everyone with a role in the county, with what the users page shows."""
    return (
        Membership.objects.filter(in_counties([county]))
        .select_related("user", "region", "institution", "department")
        .order_by("user__username", "role", "pk")
    )


def membership_for(user: User, pk: int) -> Membership:
    """A membership of a county the user manages (404 if unseen, 403 if only seen)."""
    visible = Membership.objects.filter(in_counties(counties_for(user))).select_related(
        "user", "region", "institution__county", "department__county"
    )
    membership = get_object_or_404(visible, pk=pk)
    county = county_of(membership)
    if county is None or not can_manage_county(user, county):
        raise PermissionDenied("您无权管理这个角色")
    return membership


def person_for(user: User, pk: int) -> AbstractBaseUser:
    """A person with a role in a county the user sees (404 otherwise)."""
    people = get_user_model().objects.filter(
        memberships__in=Membership.objects.filter(in_counties(counties_for(user)))
    )
    return get_object_or_404(people.distinct(), pk=pk)


def outside_counties(person: AbstractBaseUser, counties: list[Region]) -> bool:
    """Whether the person holds a role beyond these counties, or is an administrator."""
    if is_admin(person):
        return True
    inside = Membership.objects.filter(in_counties(counties)).values("pk")
    return Membership.objects.filter(user=person).exclude(pk__in=inside).exists()
