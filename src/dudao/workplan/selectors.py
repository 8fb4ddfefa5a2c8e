"""Scoped reads of the key-task app: everything a request names is fetched through these.

Readers of a county's plans: administrators, the county office (supervisor) and leaders of the
county, the people of any department of the county, and the city reviewer of its city
(read-only). Anyone else gets a 404 for the county's plans, tasks, rounds and reports.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from dudao.orgs.choices import Role
from dudao.orgs.models import Department, Region
from dudao.orgs.selectors import User, can_manage_county, counties_for, is_admin, memberships
from dudao.workplan.models import Report, ReportFile, Round, Task, WorkPlan

__all__ = [
    "can_manage_plan",
    "is_plan_leader",
    "led_tasks_q",
    "own_report_files",
    "plan_for",
    "plans_for",
    "readable_counties",
    "report_for",
    "reports_for",
    "round_for",
    "rounds_for",
    "task_for",
    "tasks_for",
    "user_departments",
]


def readable_counties(user: User) -> QuerySet[Region]:
    """Counties whose plans the user reads: county roles, city reviewers, departments."""
    if is_admin(user):
        return counties_for(user)
    own = [
        m.department.county_id
        for m in memberships(user)
        if m.role == Role.DEPARTMENT and m.department_id
    ]
    base = counties_for(user).values("pk")
    return Region.objects.filter(Q(pk__in=base) | Q(pk__in=own))


def plans_for(user: User) -> QuerySet[WorkPlan]:
    """Plans of the counties the user may read."""
    if not user.is_authenticated:
        return WorkPlan.objects.none()
    qs = WorkPlan.objects.select_related("county")
    if is_admin(user):
        return qs
    return qs.filter(county__in=readable_counties(user))


def plan_for(user: User, pk: int) -> WorkPlan:
    return get_object_or_404(plans_for(user), pk=pk)


def tasks_for(user: User) -> QuerySet[Task]:
    return Task.objects.filter(plan__in=plans_for(user)).select_related("plan__county", "category")


def task_for(user: User, pk: int) -> Task:
    return get_object_or_404(tasks_for(user), pk=pk)


def rounds_for(user: User) -> QuerySet[Round]:
    return Round.objects.filter(plan__in=plans_for(user)).select_related("plan__county")


def round_for(user: User, pk: int) -> Round:
    return get_object_or_404(rounds_for(user), pk=pk)


def reports_for(user: User) -> QuerySet[Report]:
    return Report.objects.filter(round__plan__in=plans_for(user)).select_related(
        "round__plan__county", "task__category", "task__plan", "department", "submitted_by"
    )


def report_for(user: User, pk: int) -> Report:
    return get_object_or_404(reports_for(user), pk=pk)


def own_report_files(user: User) -> QuerySet[ReportFile]:
    """Evidence files of the reports of the user's own departments (in plans the user reads)."""
    own = [
        m.department_id for m in memberships(user) if m.role == Role.DEPARTMENT and m.department_id
    ]
    return ReportFile.objects.filter(
        report__in=reports_for(user), report__department_id__in=own
    ).select_related("report")


def can_manage_plan(user: User, plan: WorkPlan) -> bool:
    """Import, open and close rounds, notes, edits: the county office or an administrator."""
    return can_manage_county(user, plan.county)


def is_plan_leader(user: User, plan: WorkPlan) -> bool:
    """A leader (局领导) of the plan's county, or an administrator: may write comments (批示)."""
    if is_admin(user):
        return True
    return any(m.role == Role.LEADER and m.region_id == plan.county_id for m in memberships(user))


def led_tasks_q(user: User) -> Q:
    """The tasks a leader answers for: those of a leader record linked to the user, and those of a
    collective body (局长办公会成员, `Leader.is_body`) in a county where the user is a leader —
    a body's tasks reach every leader of its county."""
    counties = [m.region_id for m in memberships(user) if m.role == Role.LEADER and m.region_id]
    return Q(leaders__user=user) | Q(leaders__is_body=True, leaders__county__in=counties)


def user_departments(user: User, county: Region) -> list[Department]:
    """The user's department memberships in that county (usually one)."""
    found = {
        m.department_id: m.department
        for m in memberships(user)
        if m.role == Role.DEPARTMENT and m.department_id and m.department.county_id == county.pk
    }
    return list(found.values())
