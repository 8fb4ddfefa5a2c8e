"""Import of the decomposition table: upload → preview (every task, the new names to decide) →
confirm (thin views; the work is in `importing.py`)."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dudao.orgs.models import Region
from dudao.orgs.selectors import can_manage_county, counties_for
from dudao.workplan import importing
from dudao.workplan.choices import ImportStatus
from dudao.workplan.errors import ServiceError
from dudao.workplan.forms import ImportConfirmForm, ImportUploadForm
from dudao.workplan.models import PlanImport

SAMPLE = Path(__file__).parent / "samples" / "重点工作分解表示例.xlsx"


def _managed(request: HttpRequest) -> QuerySet[Region]:
    user = request.user
    counties = counties_for(user)
    managed = [c.pk for c in counties if can_manage_county(user, c)]
    if not managed:
        raise PermissionDenied("只有县督导室可以导入任务分解表")
    return counties.filter(pk__in=managed)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a table; a refused file is shown with every problem located, nothing stored."""
    counties = _managed(request)
    problems: list[importing.RowProblem] = []
    status = 200
    if request.method == "POST":
        form = ImportUploadForm(counties, request.POST, request.FILES)
        if form.is_valid():
            try:
                imp = importing.import_upload(
                    request.user, form.cleaned_data["county"], form.cleaned_data["file"]
                )
            except importing.ImportRefused as exc:
                messages.error(request, exc.message)
                problems, status = exc.problems, 400
            else:
                return redirect("workplan:import_preview", imp.pk)
    else:
        form = ImportUploadForm(counties)
    context = {"form": form, "problems": problems, "has_sample": SAMPLE.exists()}
    return render(request, "workplan/import.html", context, status=status)


@login_required
@require_GET
def sample(request: HttpRequest) -> FileResponse:
    """The sample decomposition table offered to newcomers on the import page."""
    if not SAMPLE.exists():
        raise Http404
    return FileResponse(SAMPLE.open("rb"), as_attachment=True, filename=SAMPLE.name)


def _preview_page(
    request: HttpRequest, preview: importing.Preview, form: ImportConfirmForm
) -> HttpResponse:
    context = {"preview": preview, "imp": preview.imp, "form": form}
    return render(request, "workplan/import_preview.html", context)


def _draft(request: HttpRequest, pk: int) -> PlanImport:
    return get_object_or_404(importing.imports_for(request.user), pk=pk)


@login_required
@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Every task as it will be saved; new people and departments with their choices."""
    imp = _draft(request, pk)
    if imp.status == ImportStatus.APPLIED and imp.plan_id:
        messages.info(request, "该任务分解表已导入")
        return redirect("workplan:plan", imp.plan_id)
    try:
        found = importing.import_preview(imp)
    except importing.ImportRefused as exc:
        messages.error(request, exc.message)
        return redirect("workplan:import")
    return _preview_page(request, found, ImportConfirmForm(found))


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    imp = _draft(request, pk)
    if imp.status != ImportStatus.PENDING:
        messages.error(request, "该任务分解表已导入，不能再次导入")
        return redirect("workplan:plan", imp.plan_id) if imp.plan_id else redirect("workplan:home")
    found = importing.import_preview(imp)
    form = ImportConfirmForm(found, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = importing.import_confirm(
                request.user,
                imp,
                title=data["title"],
                year=data["year"],
                number=data["number"],
                issued_on=data["issued_on"],
                choices=form.choices(),
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)  # shown once, above the plan fields
            for field, reason in exc.errors.items():
                if field in form.fields:
                    form.add_error(field, reason)
        else:
            messages.success(request, f"已导入 {plan.tasks.count()} 项任务")
            return redirect("workplan:plan", plan.pk)
    return _preview_page(request, found, form)


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    imp = _draft(request, pk)
    try:
        importing.import_discard(request.user, imp)
        messages.info(request, "已放弃该任务分解表，未导入任何内容")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("workplan:import")
