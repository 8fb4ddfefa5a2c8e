"""Scoped reads of the evaluation app: runs and periods of the counties a user sees.

County roles see their county, city reviewers the counties of their city, administrators all;
school and department roles see no runs. Anything outside the scope is a 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from dudao.collection.models import Period
from dudao.evaluation.models import Run
from dudao.orgs.choices import COUNTY_ROLES, Role
from dudao.orgs.selectors import User, counties_for, is_admin, memberships


def sees_runs(user: User) -> bool:
    """Whether the user's roles see any county's runs (no query: memberships are cached)."""
    if is_admin(user):
        return True
    county_roles = (*COUNTY_ROLES, Role.CITY_REVIEWER)
    return any(m.role in county_roles for m in memberships(user))


def runs_for(user: User) -> QuerySet[Run]:
    """Runs of periods in the user's counties, newest first."""
    return Run.objects.filter(period__county__in=counties_for(user)).select_related(
        "period__county", "created_by"
    )


def run_for(user: User, pk: int) -> Run:
    return get_object_or_404(runs_for(user), pk=pk)


def run_list(user: User) -> QuerySet[Run]:
    """Runs for a listing: the large JSON columns are not read."""
    return runs_for(user).defer("inputs", "result")


def comparable_runs(user: User, run: Run) -> QuerySet[Run]:
    """The other runs of the same county, for a comparison."""
    return run_list(user).filter(period__county=run.period.county).exclude(pk=run.pk)


def periods_for(user: User) -> QuerySet[Period]:
    """Periods of the user's counties."""
    return Period.objects.filter(county__in=counties_for(user)).select_related("county")


def period_for(user: User, pk: int) -> Period:
    return get_object_or_404(periods_for(user), pk=pk)
