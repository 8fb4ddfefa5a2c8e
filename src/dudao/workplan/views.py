"""Pages of the key-task app: home, plan overview, a department's and a leader's lists, the task
page (thin views: scope check through selectors, one selector call, render)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dudao.orgs.choices import RegionLevel, Role
from dudao.orgs.models import Region
from dudao.orgs.selectors import can_manage_county, counties_for, memberships
from dudao.workplan import selectors as sel
from dudao.workplan.choices import RoundStatus
from dudao.workplan.expectations import completed_before
from dudao.workplan.exports import xlsx_response
from dudao.workplan.forms import CommentForm, NoteForm, RoundOpenForm
from dudao.workplan.lights import task_signals
from dudao.workplan.models import Report, Round, Task, WorkPlan
from dudao.workplan.presenters import (
    GROUPS,
    LIGHT_CLASSES,
    filter_tasks,
    group_rows,
    light_counts,
    plan_years,
    task_history,
    task_rows,
    with_people,
)


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "") for k in ("group", "light", "department", "q")}


def _one_year(request: HttpRequest, tasks: QuerySet[Task]) -> tuple[QuerySet[Task], dict[str, Any]]:
    """The tasks of one plan year, and the year selector: `?year=`, by default the newest year
    whose plan has an open round (reports to hand in), else the newest year."""
    wanted = request.GET.get("year", "")
    years, year = plan_years(tasks, wanted)
    if year is not None and not (wanted.isdigit() and int(wanted) in years):
        reporting = tasks.filter(plan__rounds__status=RoundStatus.OPEN)
        year = max(set(reporting.values_list("plan__year", flat=True)), default=year)
    return tasks.filter(plan__year=year), {"years": years, "year": year}


def _titled(year: int | None, title: str) -> str:
    return f"{year}年{title}" if year else title


def _own_departments(request: HttpRequest) -> list[int]:
    return [
        m.department_id
        for m in memberships(request.user)
        if m.role == Role.DEPARTMENT and m.department_id
    ]


def _reviewed_without_plans(user: Any) -> QuerySet[Region]:
    """The counties a city reviewer reviews that have no plan yet (listed as 尚无计划)."""
    cities = [m.region_id for m in memberships(user) if m.role == Role.CITY_REVIEWER]
    if not cities:
        return Region.objects.none()
    return (
        Region.objects.filter(level=RegionLevel.COUNTY, parent_id__in=cities)
        .exclude(pk__in=WorkPlan.objects.values("county"))
        .order_by("code")
    )


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The user's plans, their open rounds, and the way to the lists and the import; a city
    reviewer also sees the counties of the city without a plan."""
    user = request.user
    plans = sel.plans_for(user).annotate(task_count=Count("tasks", distinct=True))
    open_rounds = {r.plan_id: r for r in sel.rounds_for(user).filter(status=RoundStatus.OPEN)}
    context = {
        "rows": [(p, open_rounds.get(p.pk)) for p in plans],
        "today": timezone.localdate(),
        "without_plans": _reviewed_without_plans(user),
        "can_import": any(can_manage_county(user, c) for c in counties_for(user)),
        "has_departments": bool(_own_departments(request)),
        "reads": sel.readable_counties(user).exists(),
        "leads": Role.LEADER in {m.role for m in memberships(user)}
        or user.task_leaderships.exists(),  # type: ignore[union-attr]
    }
    return render(request, "workplan/home.html", context)


@login_required
@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan overview: every task with its light and latest report, grouped and filtered;
    `?export=xlsx` downloads the same list."""
    return plan_page(request, sel.plan_for(request.user, pk))


def plan_page(
    request: HttpRequest, work_plan: WorkPlan, *, round_form: RoundOpenForm | None = None
) -> HttpResponse:
    """The plan overview; `round_open` passes its bound form back with its errors."""
    filters = _filters(request)
    group = filters["group"] if filters["group"] in GROUPS else "category"
    tasks = filter_tasks(with_people(work_plan.tasks.all()), filters)
    rows = task_rows(tasks, today=timezone.localdate(), light=filters["light"])
    if request.GET.get("export") == "xlsx":
        return xlsx_response(f"{work_plan.title.removesuffix('任务')}任务清单", rows)
    manages = sel.can_manage_plan(request.user, work_plan)
    context = {
        "plan": work_plan,
        "groups": group_rows(rows, group),
        "group": group,
        "group_labels": GROUPS,
        "filters": filters,
        "counts": light_counts(rows),
        "departments": work_plan.county.departments.all(),
        "rounds": work_plan.rounds.all(),
        "today": timezone.localdate(),
        "manages": manages,
        "round_form": (round_form or RoundOpenForm(initial={"opened_on": timezone.localdate()}))
        if manages
        else None,
        "lights": LIGHT_CLASSES,
    }
    return render(request, "workplan/plan.html", context)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """本科室任务: the tasks the user's department leads or helps, with report buttons for
    open rounds."""
    departments = _own_departments(request)
    if not departments:
        raise PermissionDenied("只有股室人员有“本科室任务”")
    mine_q = Q(lead_departments__in=departments) | Q(co_departments__in=departments)
    tasks, years = _one_year(request, sel.tasks_for(request.user).filter(mine_q).distinct())
    tasks = filter_tasks(with_people(tasks), {"q": request.GET.get("q", "")})
    today = timezone.localdate()
    rows = task_rows(tasks, today=today, light=request.GET.get("light", ""))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(_titled(years["year"], "本科室任务"), rows)
    plan_ids = {r.task.plan_id for r in rows}
    open_rounds = {
        r.plan_id: r for r in Round.objects.filter(plan_id__in=plan_ids, status=RoundStatus.OPEN)
    }
    reports = {
        (x.round_id, x.task_id): x
        for x in Report.objects.filter(
            round__in=list(open_rounds.values()), department_id__in=departments
        ).select_related("round")
    }
    done = {r.pk: completed_before(r) for r in open_rounds.values()}
    items = []
    for row in rows:
        open_round = open_rounds.get(row.task.plan_id)
        mine_report = reports.get((open_round.pk, row.task.pk)) if open_round else None
        lead = any(d.pk in departments for d in row.task.lead_departments.all())
        completed = open_round is not None and row.task.pk in done[open_round.pk]
        items.append(
            {
                "row": row,
                "round": open_round,
                "report": mine_report,
                "lead": lead,
                "completed": completed,
                "not_started": open_round is not None and open_round.not_started(today),
            }
        )
    context = {
        "items": items,
        "filters": _filters(request),
        "lights": LIGHT_CLASSES,
        "has_plans": bool(years["years"]) or sel.plans_for(request.user).exists(),
    } | years
    return render(request, "workplan/mine.html", context)


@login_required
@require_GET
def leading(request: HttpRequest) -> HttpResponse:
    """我分管的任务: tasks whose leader record is linked to the user, and the tasks of a collective
    body (marked “（集体）”) of the county the user leads in."""
    user = request.user
    is_leader = Role.LEADER in {m.role for m in memberships(user)}
    if not is_leader and not user.task_leaderships.exists():  # type: ignore[union-attr]
        raise PermissionDenied("只有局领导有“我分管的任务”")
    led = Task.objects.filter(sel.led_tasks_q(user)).values("pk")
    tasks, years = _one_year(request, sel.tasks_for(user).filter(pk__in=led))
    tasks = filter_tasks(with_people(tasks), _filters(request))
    rows = task_rows(tasks, today=timezone.localdate(), light=request.GET.get("light", ""))
    for row in rows:
        row.leaders = [f"{x.name}（集体）" if x.is_body else x.name for x in row.task.leaders.all()]
    if request.GET.get("export") == "xlsx":
        return xlsx_response(_titled(years["year"], "我分管的任务"), rows)
    context = {
        "rows": rows,
        "filters": _filters(request),
        "counts": light_counts(rows),
        "has_plans": bool(years["years"]) or sel.plans_for(user).exists(),
    } | years
    return render(request, "workplan/leading.html", context)


@login_required
@require_GET
def task(request: HttpRequest, pk: int) -> HttpResponse:
    """A task with its whole history: reports per round (files, comments), notes, comments,
    accountability actions, edits."""
    user = request.user
    item = sel.task_for(user, pk)
    item = with_people(Task.objects.filter(pk=item.pk)).get()
    signal = task_signals([item], today=timezone.localdate())[item.pk]
    open_round = item.plan.rounds.filter(status=RoundStatus.OPEN).first()
    own = sel.user_departments(user, item.plan.county)
    reporting = [
        d for d in own if d in item.lead_departments.all() or d in item.co_departments.all()
    ]
    manages = sel.can_manage_plan(user, item.plan)
    comments_on = sel.is_plan_leader(user, item.plan)
    waiting = open_round is not None and open_round.not_started(timezone.localdate())
    context = {
        "task": item,
        "signal": signal,
        "light_class": LIGHT_CLASSES[str(signal.light)],
        "history": task_history(item),
        "notes": item.notes.select_related("author", "round"),
        "comments": item.comments.filter(report__isnull=True).select_related("author"),
        "actions": item.actions.select_related("department"),
        "changes": item.changes.select_related("user"),
        "open_round": open_round,
        "can_report": bool(reporting) and open_round is not None and not waiting,
        "waiting": waiting,
        "manages": manages,
        "note_form": NoteForm() if manages else None,
        "comment_form": CommentForm() if comments_on else None,
    }
    return render(request, "workplan/task.html", context)
