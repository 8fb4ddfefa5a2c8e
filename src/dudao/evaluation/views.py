"""Views of the evaluation app (thin: scope check, one service or selector, render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dudao.evaluation import pages
from dudao.evaluation.compare import NotComparable, compare_runs
from dudao.evaluation.export import content_disposition, export_run
from dudao.evaluation.matrix import build_matrix
from dudao.evaluation.models import Run
from dudao.evaluation.selectors import period_for, run_for, sees_runs
from dudao.evaluation.services import EvaluationError, run_evaluation
from dudao.evaluation.stored import StoredRun


@login_required
@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    """The runs of the user's counties and, for the county office, a button per open period."""
    if not sees_runs(request.user):
        raise Http404("没有可查看的评估")
    context = pages.runs_context(request.user, request.GET.get("page"))
    return render(request, "evaluation/runs.html", context)


@login_required
@require_POST
def start(request: HttpRequest, period_pk: int) -> HttpResponse:
    """Run an evaluation of a period's approved data, then show it."""
    period = period_for(request.user, period_pk)
    try:
        run = run_evaluation(request.user, period)
    except EvaluationError as exc:
        messages.error(request, str(exc))
        return redirect("evaluation:runs")
    messages.success(request, _started_message(run))
    return redirect("evaluation:run", pk=run.pk)


def _started_message(run: Run) -> str:
    stored = StoredRun(run)
    text = f"评估已完成，结论：{stored.verdict_label}。"
    if not stored.school_count:
        text += "没有已审核通过的学校数据，本次评估只含县级指标。"
    if run.missing:
        text += f"{len(run.missing)} 所学校未纳入（未填报或未审核通过）。"
    return text


@login_required
@require_GET
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """The results page; an htmx request for the matrix gets only the matrix."""
    stored = StoredRun(run_for(request.user, pk))
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "matrix":
        context = {"run": stored.run, "matrix": build_matrix(stored, request.GET)}
        return render(request, "evaluation/_matrix.html", context)
    context = pages.run_context(request.user, stored, request.GET)
    return render(request, "evaluation/run.html", context)


@login_required
@require_GET
def unit(request: HttpRequest, pk: int, code: str, level: str) -> HttpResponse:
    """One school at one level: values against standards, gaps, stored figures."""
    stored = StoredRun(run_for(request.user, pk))
    return render(request, "evaluation/unit.html", pages.unit_context(stored, code, level))


@login_required
@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """The result workbook (as the command line writes it), or the stored JSON result."""
    result = export_run(run_for(request.user, pk))
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = content_disposition(result)
    return response


@login_required
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    """What changed between two runs of one county (`base` and `other`, older first)."""
    first, second = (_run_param(request, name) for name in ("base", "other"))
    if (second.created_at, second.pk) < (first.created_at, first.pk):
        first, second = second, first
    try:
        comparison = compare_runs(first, second)
    except NotComparable as exc:
        messages.error(request, str(exc))
        return redirect("evaluation:run", pk=first.pk)
    return render(request, "evaluation/compare.html", {"c": comparison})


def _run_param(request: HttpRequest, name: str) -> Run:
    value = request.GET.get(name, "")
    if not value.isdigit():
        raise Http404("请选择要比较的评估")
    return run_for(request.user, int(value))
