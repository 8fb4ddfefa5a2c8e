"""Views of random draws: prepare, draw, publish, the published record and its files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dudao.inspection import documents, draws
from dudao.inspection import selectors as sel
from dudao.inspection.choices import PlanKind
from dudao.inspection.errors import ServiceError
from dudao.inspection.forms import DrawCancelForm, DrawPrepareForm, FromDrawForm
from dudao.inspection.models import RandomDraw
from dudao.orgs.selectors import can_manage_county

CSV_NAMES = {"schools": "候选学校", "inspectors": "候选督学", "conflicts": "回避关系"}


def csv_filename(draw_pk: int, name: str) -> str:
    """The download name of one CSV file; the check command on the draw page uses the same."""
    return f"draw-{draw_pk}-{name}.csv"


@login_required
def draw_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: pick the candidates and N, M; the seed is committed (only its digest shown)."""
    county = sel.staff_county_for(request.user, pk)
    if not can_manage_county(request.user, county):
        raise PermissionDenied("只有县督导室可以组织双随机抽签")
    form = DrawPrepareForm(county, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wanted = draws.DrawRequest(
            title=data["title"],
            count=data["count"],
            per_school=data["per_school"],
            township=data["township"],
            school_type=data["school_type"],
            exclude_last=data["exclude_last"],
        )
        try:
            made = draws.draw_prepare(request.user, county, wanted)
        except ServiceError as exc:
            messages.error(request, exc.message)
            form.add_service_errors(exc.errors)
        else:
            return redirect("inspection:draw", pk=made.pk)
    return render(request, "inspection/draw_prepare.html", {"county": county, "form": form})


def check_command(draw: RandomDraw) -> str:
    """The `dudao draw` command that re-runs the draw on the three downloaded files."""
    files = {key: csv_filename(draw.pk, key) for key in CSV_NAMES}
    return (
        f"dudao draw --seed {draw.seed} --schools {files['schools']}"
        f" --inspectors {files['inspectors']} --count {draw.count}"
        f" --per-school {draw.per_school} --conflicts {files['conflicts']}"
    )


@login_required
@require_GET
def draw(request: HttpRequest, pk: int) -> HttpResponse:
    """A draw: before the draw its digest and candidates; after it the seed and the result."""
    found = sel.draw_for(request.user, pk)
    manages = can_manage_county(request.user, found.county)
    plan = getattr(found, "plan", None)
    context = {
        "draw": found,
        "manages": manages,
        "published": hasattr(found, "publication"),
        "plan": plan,
        "changes": sel.draw_changes(found),
        "csv_files": [
            (key, label, csv_filename(found.pk, key)) for key, label in CSV_NAMES.items()
        ],
        "check_command": check_command(found),
        "plan_form": FromDrawForm(sel.current_checklists(found.county)) if manages else None,
        "cancel_form": DrawCancelForm() if manages else None,
    }
    return render(request, "inspection/draw.html", context)


@login_required
@require_POST
def draw_run(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.draw_for(request.user, pk)
    try:
        draws.draw_run(request.user, found)
        messages.success(request, "抽签完成，随机种子已公开")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("inspection:draw", pk=found.pk)


@login_required
@require_POST
def draw_publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.draw_for(request.user, pk)
    try:
        draws.draw_publish(request.user, found)
        messages.success(request, "抽签结果已公示")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("inspection:draw", pk=found.pk)


@login_required
@require_POST
def draw_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """作废 a prepared draw (office only), with a reason."""
    found = sel.draw_for(request.user, pk)
    if not can_manage_county(request.user, found.county):
        raise PermissionDenied("只有县督导室可以作废抽签")
    form = DrawCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写作废原因（最多 200 字）")
        return redirect("inspection:draw", pk=found.pk)
    try:
        draws.draw_cancel(request.user, found, form.cleaned_data["reason"])
        messages.success(request, "抽签已作废，记录保留备查")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("inspection:draw", pk=found.pk)


@login_required
@require_POST
def plan_from_draw(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.draw_for(request.user, pk)
    if not can_manage_county(request.user, found.county):
        raise PermissionDenied("只有县督导室可以生成督查计划")
    form = FromDrawForm(sel.current_checklists(found.county), data=request.POST)
    if not form.is_valid():
        messages.error(request, "请检查计划类型、专项主题、计划日期和评分表")
        return redirect("inspection:draw", pk=found.pk)
    try:
        plan = draws.plan_from_draw(
            request.user,
            found,
            scheduled=form.cleaned_data["scheduled"],
            checklist=form.cleaned_data["checklist"],
            kind=form.cleaned_data["kind"] or PlanKind.ROUTINE,
            topic=form.cleaned_data["topic"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("inspection:draw", pk=found.pk)
    messages.success(request, "已按抽签结果生成督查计划")
    return redirect("inspection:plan", pk=plan.pk)


@login_required
@require_GET
def draw_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One of the three CSV files `dudao draw` reads (after the draw only)."""
    found = sel.draw_for(request.user, pk)
    if name not in CSV_NAMES or not found.is_drawn:
        raise Http404
    text = draws.draw_files(found)[name]
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    filename = csv_filename(found.pk, name)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def draw_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The public notice (公示) of the draw's result as DOCX."""
    found = sel.draw_for(request.user, pk)
    if not found.is_drawn:
        raise Http404
    data = documents.draw_notice(found, timezone.localdate())
    response = HttpResponse(data, content_type=documents.DOCX)
    response["Content-Disposition"] = f'attachment; filename="draw-{found.pk}.docx"'
    return response
