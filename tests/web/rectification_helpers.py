"""Inspector profiles for the rectification tests: who may verify an item depends on them."""

from __future__ import annotations

from django.contrib.auth.models import User

from dudao.inspection.models import Assignment, Conflict, Inspector
from dudao.orgs.models import Institution, Region


def inspector_profile(
    user: User, county: Region, *, works_at: Institution | None = None
) -> Inspector:
    """The user's inspector (督学) profile in the county's pool (created once)."""
    found, _ = Inspector.objects.get_or_create(
        user=user,
        county=county,
        defaults={"code": f"D{user.pk:03d}", "name": user.get_full_name() or user.username},
    )
    if works_at is not None:
        found.institution = works_at
        found.save()
    return found


def assign(user: User, *schools: Institution) -> Inspector:
    """Make the user the assigned inspector (责任督学) of the schools."""
    profile = inspector_profile(user, schools[0].county)
    for school in schools:
        Assignment.objects.update_or_create(institution=school, defaults={"inspector": profile})
    return profile


def declare_conflict(user: User, school: Institution, reason: str = "配偶在该校任教") -> None:
    profile = inspector_profile(user, school.county)
    Conflict.objects.create(inspector=profile, institution=school, reason=reason)
