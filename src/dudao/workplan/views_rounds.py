"""Rounds, reports and supervision actions: open/close a round, a department's report form,
evidence downloads, supervision notes, leaders' comments, task edits (thin views)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dudao.orgs.models import Department
from dudao.workplan import selectors as sel
from dudao.workplan import services
from dudao.workplan.choices import RoundStatus
from dudao.workplan.errors import ServiceError
from dudao.workplan.exports import round_response
from dudao.workplan.forms import (
    CommentForm,
    NoteForm,
    ReportForm,
    RoundOpenForm,
    TaskEditForm,
    VersionForm,
)
from dudao.workplan.models import Report, ReportFile, Round, Task
from dudao.workplan.presenters import LIGHT_CLASSES, round_rows
from dudao.workplan.views import plan_page


def _form_errors(form: object, exc: ServiceError) -> None:
    for field, reason in exc.errors.items():
        if field in form.fields:  # type: ignore[attr-defined]
            form.add_error(field, reason)  # type: ignore[attr-defined]


def _named_errors(form: RoundOpenForm) -> str:
    """The form's errors, each after its field's label: 报送截止日期：输入一个有效的日期。"""
    return "；".join(
        f"{form.fields[field].label}：{''.join(errors)}"
        if field in form.fields
        else "".join(errors)
        for field, errors in form.errors.items()
    )


# ---------------------------------------------------------------- rounds


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The office opens the plan's next round; the due date defaults to the plan's cycle. A
    refused form is shown again on the plan page with what was typed and its field errors."""
    plan = sel.plan_for(request.user, pk)
    if not sel.can_manage_plan(request.user, plan):
        raise PermissionDenied("只有县督导室可以发起调度")
    form = RoundOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _named_errors(form))
        return plan_page(request, plan, round_form=form)
    data = form.cleaned_data
    due_on = data["due_on"] or services.default_due_on(plan, data["opened_on"])
    clipped = not data["due_on"] and due_on < services.add_months(
        data["opened_on"], plan.round_months
    )
    try:
        opened = services.round_open(
            request.user,
            plan,
            opened_on=data["opened_on"],
            due_on=due_on,
            today=timezone.localdate(),
            title=data["title"],
        )
    except ServiceError as exc:
        _form_errors(form, exc)
        if not any(field in form.fields for field in exc.errors):
            messages.error(request, exc.message)  # else each error is shown once, on its field
        return plan_page(request, plan, round_form=form)
    note = f"（按调度周期推算超出{plan.year}年，已定为年度最后一天）" if clipped else ""
    messages.success(request, f"已发起{opened.title}，报送截止 {opened.due_on:%Y-%m-%d}{note}")
    return redirect("workplan:round", opened.pk)


@login_required
@require_GET
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A round: every task with the reports expected from its lead and co-departments;
    `?export=xlsx` downloads them."""
    item = sel.round_for(request.user, pk)
    own = {d.pk for d in sel.user_departments(request.user, item.plan.county)}
    rows = round_rows(item, own, today=timezone.localdate())
    if request.GET.get("export") == "xlsx":
        return round_response(f"{item.plan.year}年{item.title}报送情况", rows)
    expected = [e for row in rows for e in row.expected]
    handed_in = [e.report for e in expected if e.report is not None]
    context = {
        "round": item,
        "rows": rows,
        "counts": {
            "expected": len(expected),
            "lead": sum(1 for e in expected if e.role == "lead"),
            "co": sum(1 for e in expected if e.role == "co"),
            "handed_in": len(handed_in),
            "late": sum(1 for r in handed_in if r.late),
            "missing": len(expected) - len(handed_in),
        },
        "manages": sel.can_manage_plan(request.user, item.plan),
        "not_started": item.not_started(timezone.localdate()),
        "lights": LIGHT_CLASSES,
        "close_warning": _close_warning(
            item, missing=len(expected) - len(handed_in), today=timezone.localdate()
        ),
    }
    return render(request, "workplan/round.html", context)


def _close_warning(item: Round, *, missing: int, today: date) -> str:
    """The close dialog's question, naming an early close and the reports still missing:
    截止日期为3月31日，尚未到期；尚有5份未报送。确定结束本次调度？"""
    facts = []
    if today < item.due_on:
        facts.append(f"截止日期为{item.due_on.month}月{item.due_on.day}日，尚未到期")
    if missing:
        facts.append(f"尚有{missing}份未报送")
    said = "；".join(facts) + "。" if facts else ""
    return f"{said}结束后各股室不能再报送，信号灯将存档。确定结束本次调度？"


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = sel.round_for(request.user, pk)
    if not sel.can_manage_plan(request.user, item.plan):
        raise PermissionDenied("只有县督导室可以结束调度")
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else -1
    try:
        services.round_close(request.user, item, version=version, now=timezone.now())
        messages.success(request, f"{item.title}已结束，各任务信号灯已存档")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("workplan:round", item.pk)


# ---------------------------------------------------------------- reports


def _reporting_department(request: HttpRequest, task: Task) -> Department:
    """The user's department that leads or helps the task (?department= picks one of several)."""
    own = sel.user_departments(request.user, task.plan.county)
    ids = {d.pk for d in task.lead_departments.all()} | {d.pk for d in task.co_departments.all()}
    mine = [d for d in own if d.pk in ids]
    if not mine:
        raise PermissionDenied("只有该任务的责任股室或协办股室可以报送")
    wanted = request.GET.get("department", "")
    return next((d for d in mine if str(d.pk) == wanted), mine[0])


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    """A department's report on one task in one round (lead: full report; co: its part)."""
    item = sel.round_for(request.user, pk)
    target = sel.task_for(request.user, task)
    if target.plan_id != item.plan_id:
        raise Http404
    department = _reporting_department(request, target)
    existing = Report.objects.filter(round=item, task=target, department=department).first()
    role = services.report_role(target, department)
    previous = (
        Report.objects.filter(task=target, department=department, round__number__lt=item.number)
        .select_related("round")
        .order_by("-round__number")
        .first()
    )
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_save(
                    request.user,
                    item,
                    target,
                    department,
                    status=data["status"],
                    percent=data["percent"],
                    done=data["done"],
                    next_steps=data["next_steps"],
                    problems=data["problems"],
                    version=data["version"],
                    now=timezone.now(),
                    files=data["files"],
                )
            except ServiceError as exc:
                messages.error(request, exc.message)
                _form_errors(form, exc)
            else:
                messages.success(request, f"已报送：{target.label}")
                return redirect("workplan:round", item.pk)
    else:
        form = ReportForm(initial=_initial(existing, previous))
    context = {
        "round": item,
        "task": target,
        "task_comments": target.comments.filter(report__isnull=True).select_related("author"),
        "notes": target.notes.select_related("author"),
        "report_comments": existing.comments.select_related("author") if existing else [],
        "previous_comments": previous.comments.select_related("author") if previous else [],
        "department": department,
        "role": role,
        "existing": existing,
        "previous": previous,
        "form": form,
        "closed": item.status != RoundStatus.OPEN,
    }
    return render(request, "workplan/report.html", context)


def _initial(existing: Report | None, previous: Report | None) -> dict[str, object]:
    """The form's start: the report being edited, or the last round's status and percentage."""
    if existing is not None:
        fields = ("status", "percent", "done", "next_steps", "problems")
        return {"version": existing.version} | {f: getattr(existing, f) for f in fields}
    if previous is not None:
        return {"version": 0, "status": previous.status, "percent": previous.percent}
    return {"version": 0}


@login_required
@require_GET
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    """Download an evidence file (anyone who reads the plan)."""
    readable = ReportFile.objects.filter(report__in=sel.reports_for(request.user))
    item = get_object_or_404(readable, pk=pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
@require_POST
def report_file_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporting department removes an evidence file of its report (open round only)."""
    item = get_object_or_404(sel.own_report_files(request.user), pk=pk)
    report = item.report
    try:
        services.report_file_remove(request.user, item)
        messages.success(request, f"已删除佐证材料“{item.name}”")
    except ServiceError as exc:
        messages.error(request, exc.message)
    url = reverse("workplan:report", args=[report.round_id, report.task_id])
    return redirect(f"{url}?department={report.department_id}")


# ---------------------------------------------------------------- supervision


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = sel.task_for(request.user, pk)
    if not sel.can_manage_plan(request.user, item.plan):
        raise PermissionDenied("只有县督导室可以填写督办意见")
    form = NoteForm(request.POST)
    if form.is_valid():
        current = Round.objects.filter(plan=item.plan).order_by("-number").first()
        try:
            services.note_add(
                request.user,
                item,
                text=form.cleaned_data["text"],
                critical=form.cleaned_data["critical"],
                round=current,
            )
            messages.success(request, "已记录督办意见")
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "请填写督办意见")
    return redirect("workplan:task", item.pk)


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = sel.task_for(request.user, pk)
    if not sel.is_plan_leader(request.user, item.plan):
        raise PermissionDenied("只有局领导可以批示")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写批示内容")
        return redirect("workplan:task", item.pk)
    on_report = None
    if form.cleaned_data["report"]:
        on_report = get_object_or_404(
            sel.reports_for(request.user).filter(task=item), pk=form.cleaned_data["report"]
        )
    try:
        services.comment_add(request.user, item, text=form.cleaned_data["text"], report=on_report)
        messages.success(request, "已批示")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("workplan:task", item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The office edits a task (text, dates, milestones, targets, co-units, leaders and
    departments); history is kept."""
    item = sel.task_for(request.user, pk)
    if not sel.can_manage_plan(request.user, item.plan):
        raise PermissionDenied("只有县督导室可以修改任务")
    fields = ("text", "start", "deadline", "milestones", "targets", "co_units")
    people = ("leaders", "lead_departments", "co_departments")
    county = item.plan.county
    if request.method == "POST":
        form = TaskEditForm(request.POST, county=county)
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in (*fields, *people)}
            leads_before = {d.pk for d in item.lead_departments.all()}
            try:
                services.task_update(
                    request.user, item, version=form.cleaned_data["version"], **values
                )
            except ServiceError as exc:
                messages.error(request, exc.message)
                _form_errors(form, exc)
            else:
                messages.success(request, "任务已修改")
                added = [d.name for d in values["lead_departments"] if d.pk not in leads_before]
                if added and item.plan.rounds.filter(status=RoundStatus.OPEN).exists():
                    messages.warning(
                        request, f"本次调度中新增的牵头股室需补报进展：{'、'.join(sorted(added))}"
                    )
                return redirect("workplan:task", item.pk)
    else:
        initial = {f: getattr(item, f) for f in fields} | {
            f: list(getattr(item, f).all()) for f in people
        }
        form = TaskEditForm(initial={"version": item.version} | initial, county=county)
    return render(request, "workplan/task_edit.html", {"task": item, "form": form})
