"""The four lists, the weekly summary, the rectification notice and the evaluation action."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dudao.evaluation.selectors import run_for
from dudao.orgs.selectors import can_manage_county
from dudao.rectification import selectors as sel
from dudao.rectification import services
from dudao.rectification.errors import RectificationError
from dudao.rectification.forms import FromRunForm
from dudao.rectification.from_run import rectifications_from_run
from dudao.rectification.lists import four_lists
from dudao.rectification.notice import rectification_notice
from dudao.rectification.numbers import proposed_prefix
from dudao.rectification.presenters import soon_days
from dudao.rectification.scope import resolve_scope
from dudao.rectification.services import notice_issue
from dudao.rectification.weekly import COLUMNS, Weekly, parse_week, weekly_summary, weekly_workbook
from dudao.rectification.weekly_notice import weekly_notice

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def lists(request: HttpRequest) -> HttpResponse:
    """The four lists of a school, a department or a county, with 清零 progress."""
    scope = resolve_scope(request.user, request.GET)
    soon = soon_days(request.GET)
    data = four_lists(list(sel.scoped_items(request.user, scope)), timezone.localdate(), soon)
    context = {"scope": scope, "lists": data, "soon": soon}
    if scope.institution is not None:
        context["notices"] = sel.notice_history(scope.institution)
        context["may_issue"] = can_manage_county(request.user, scope.county)
        context["proposed_prefix"] = proposed_prefix(scope.county)
    return render(request, "rectification/lists.html", context)


# ---------------------------------------------------------------- weekly summary


def _weekly(request: HttpRequest) -> Weekly:
    """The county named by ?county= (or the user's first), the week named by ?week=."""
    raw = request.GET.get("county", "")
    if raw.isdigit():
        county = sel.rect_county_for(request.user, int(raw))
    else:
        county = sel.rect_counties_for(request.user).first()
        if county is None:
            raise Http404("没有可查看的区县")
    raw_week = request.GET.get("week", "").strip()
    year, week = parse_week(raw_week, timezone.localdate())
    if raw_week and raw_week != f"{year}-W{week:02d}":
        messages.error(request, f"周次“{raw_week[:20]}”无法识别（格式如 2026-W47），已显示本周。")
    return weekly_summary(county, year, week)


@login_required
@require_GET
def weekly(request: HttpRequest) -> HttpResponse:
    """The weekly summary of a county: what happened this week, what is open and overdue."""
    summary = _weekly(request)
    context = {
        "s": summary,
        "columns": [label for _, label in COLUMNS],
        "counties": list(sel.rect_counties_for(request.user)),
    }
    return render(request, "rectification/weekly.html", context)


@login_required
@require_GET
def weekly_export(request: HttpRequest) -> HttpResponse:
    """The weekly summary as an XLSX workbook."""
    summary = _weekly(request)
    response = HttpResponse(weekly_workbook(summary), content_type=XLSX)
    response["Content-Disposition"] = _attachment(
        f"整改周汇总_{summary.county.name}_{summary.code}.xlsx", f"weekly_{summary.code}.xlsx"
    )
    return response


@login_required
@require_GET
def weekly_docx(request: HttpRequest) -> HttpResponse:
    """The weekly notice (周通报) as DOCX."""
    summary = _weekly(request)
    data = weekly_notice(summary, today=timezone.localdate())
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = _attachment(
        f"整改周通报_{summary.county.name}_{summary.code}.docx", f"weekly_{summary.code}.docx"
    )
    return response


# ---------------------------------------------------------------- the notice


@login_required
@require_GET
def notice(request: HttpRequest, institution: int) -> HttpResponse:
    """The rectification notice (整改通知书) of one school as DOCX. The county office issues it
    (its number typed as ?number= or generated, and stored); everyone else gets the number
    issued, or a blank number line before the office issued it."""
    school = sel.institution_in_scope(request.user, institution)
    items = sel.open_items_of(request.user, school)
    if not items:
        messages.error(request, f"{school.name}没有待整改的事项，无需下发整改通知书")
        return redirect(f"{reverse('rectification:lists')}?institution={school.pk}")
    if can_manage_county(request.user, school.county):
        try:
            number = notice_issue(
                request.user,
                school,
                number=request.GET.get("number", ""),
                prefix=request.GET.get("prefix", ""),
            )
        except RectificationError as exc:
            messages.error(request, exc.message)
            return redirect(f"{reverse('rectification:lists')}?institution={school.pk}")
    else:
        number = sel.issued_number(school)  # "" before the office issued it: left blank
    data = rectification_notice(school, items, number=number, today=timezone.localdate())
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = _attachment(
        f"整改通知书_{school.name}.docx", f"notice_{school.code}.docx"
    )
    return response


@login_required
@require_POST
def notice_renumber(request: HttpRequest, institution: int) -> HttpResponse:
    """更改文号: the county office gives the school's issued notice a new number (recorded)."""
    school = sel.institution_in_scope(request.user, institution)
    if not can_manage_county(request.user, school.county):
        raise PermissionDenied("只有县督导室可以更改整改通知书文号")
    try:
        change = services.notice_renumber(
            request.user, school, number=request.POST.get("number", "")
        )
    except RectificationError as exc:
        messages.error(request, f"未更改文号：{exc.message}")
    else:
        messages.success(
            request, f"已将文号由 {change.previous_number} 更改为 {change.number}，已记录。"
        )
    return redirect(f"{reverse('rectification:lists')}?institution={school.pk}")


def _attachment(name: str, ascii_name: str) -> str:
    """`attachment` with an ASCII fallback name and the real (Chinese) name per RFC 5987."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


# ---------------------------------------------------------------- from an evaluation run


@login_required
@require_POST
def from_run(request: HttpRequest, run: int) -> HttpResponse:
    """Turn the run's unmet indicators, failing CVs and items into items (county office only)."""
    found = run_for(request.user, run)
    if not can_manage_county(request.user, found.period.county):
        raise PermissionDenied("只有县督导室可以从评估结果生成整改事项")
    form = FromRunForm(request.POST)
    if not form.is_valid():
        reasons = "；".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, f"未生成整改事项：{reasons}")
        return redirect("evaluation:run", pk=found.pk)
    data = form.cleaned_data
    result = rectifications_from_run(
        request.user,
        found,
        deadline=data["deadline"],
        responsible=data["responsible"],
        measures=data["measures"],
    )
    messages.success(
        request,
        f"已从评估结果生成 {result.created} 项整改事项"
        + (f"；另有 {result.existing} 项此前已生成，未重复登记" if result.existing else "")
        + "。",
    )
    return redirect(f"{reverse('rectification:lists')}?county={found.period.county_id}")
