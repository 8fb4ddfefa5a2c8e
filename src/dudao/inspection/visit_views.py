"""Views of plans, targets and visits (thin: scope, permission, one service, render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dudao.inspection import checklist as rubric
from dudao.inspection import documents, schedule, visits
from dudao.inspection import selectors as sel
from dudao.inspection.errors import ServiceError
from dudao.inspection.forms import (
    FindingForm,
    PlanForm,
    ReinspectionForm,
    TargetEditForm,
    TargetForm,
    TargetRemoveForm,
    VisitForm,
    VisitScheduleForm,
    finding_forms,
)
from dudao.inspection.models import InspectionPlan, Target, VisitFile
from dudao.orgs.selectors import can_manage_county


@login_required
def plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    county = sel.staff_county_for(request.user, pk)
    if not can_manage_county(request.user, county):
        raise PermissionDenied("只有县督导室可以制定督查计划")
    form = PlanForm(sel.current_checklists(county), data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = visits.PlanData(**form.cleaned_data)
        try:
            plan = visits.plan_create(request.user, county, data)
        except ServiceError as exc:
            messages.error(request, exc.message)
            form.add_service_errors(exc.errors)
        else:
            return redirect("inspection:plan", pk=plan.pk)
    return render(request, "inspection/plan_form.html", {"county": county, "form": form})


@login_required
@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan and the targets the user may see (404 to schools, always)."""
    return _plan_page(request, sel.plan_for(request.user, pk))


def _plan_page(
    request: HttpRequest, found: InspectionPlan, bound: TargetEditForm | None = None
) -> HttpResponse:
    """The plan page; `bound` (a refused 修改 of one target) is shown with what was typed."""
    manages = can_manage_county(request.user, found.county)
    targets = sel.in_draw_order(found, list(sel.plan_targets(request.user, found)))
    context = {
        "plan": found,
        "targets": targets,
        "recordable": {t.pk for t in targets if visits.may_record(request.user, t)},
        "manages": manages,
        "target_form": TargetForm(found.county) if manages and not found.draw_id else None,
        "deletable": manages and not any(hasattr(t, "visit") for t in targets),
        "changes": list(found.changes.select_related("institution", "changed_by")),
        "remove_form": TargetRemoveForm() if manages and found.draw_id else None,
    }
    if manages:
        for t in targets:
            if hasattr(t, "visit"):
                continue
            if bound is not None and bound.prefix == f"target-{t.pk}":
                t.edit_form = bound  # type: ignore[attr-defined]
                t.edit_open = True  # type: ignore[attr-defined]
                continue
            t.edit_form = TargetEditForm(  # type: ignore[attr-defined]
                found.county,
                t.pk,
                initial={"inspectors": t.inspector_list, "scheduled": t.scheduled},  # type: ignore[attr-defined]
                drawn=found.draw_id is not None,
            )
    return render(request, "inspection/plan.html", context)


@login_required
@require_POST
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.plan_for(request.user, pk)
    if not can_manage_county(request.user, found.county):
        raise PermissionDenied("只有县督导室可以安排检查对象")
    form = TargetForm(found.county, data=request.POST)
    if not form.is_valid():
        messages.error(request, "请选择学校和督学")
        return redirect("inspection:plan", pk=found.pk)
    data = form.cleaned_data
    try:
        visits.target_add(
            request.user, found, data["institution"], list(data["inspectors"]), data["scheduled"]
        )
        messages.success(request, f"已添加检查对象：{data['institution'].name}")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("inspection:plan", pk=found.pk)


@login_required
@require_POST
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改 a target's inspectors and date before its visit is recorded (office only)."""
    target = sel.target_for(request.user, pk)
    if not can_manage_county(request.user, target.plan.county):
        raise PermissionDenied("只有县督导室可以修改检查对象")
    drawn = target.plan.draw_id is not None
    form = TargetEditForm(target.plan.county, target.pk, data=request.POST, drawn=drawn)
    if not form.is_valid():
        messages.error(
            request, f"{target.institution.name}：请选择在岗的本县督学，日期格式为年-月-日"
        )
        return _plan_page(request, target.plan, form)
    try:
        visits.target_edit(
            request.user,
            target,
            list(form.cleaned_data["inspectors"]),
            form.cleaned_data["scheduled"],
            reason=form.reason(),
        )
    except ServiceError as exc:
        messages.error(request, f"{target.institution.name}：{exc.message}，未保存")
        form.add_service_errors(exc.errors)
        return _plan_page(request, target.plan, form)
    messages.success(request, f"已修改检查对象：{target.institution.name}")
    return redirect("inspection:plan", pk=target.plan.pk)


@login_required
@require_POST
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """移除 a target before its visit is recorded (office only)."""
    target = sel.target_for(request.user, pk)
    if not can_manage_county(request.user, target.plan.county):
        raise PermissionDenied("只有县督导室可以移除检查对象")
    form = TargetRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{target.institution.name}：替换理由过长（最多 200 字）")
        return redirect("inspection:plan", pk=target.plan.pk)
    try:
        visits.target_remove(request.user, target, form.cleaned_data["reason"])
        messages.success(request, f"已移除检查对象：{target.institution.name}")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("inspection:plan", pk=target.plan.pk)


@login_required
@require_POST
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """删除 a plan without recorded visits (office only); back to the county page."""
    found = sel.plan_for(request.user, pk)
    if not can_manage_county(request.user, found.county):
        raise PermissionDenied("只有县督导室可以删除督查计划")
    try:
        visits.plan_delete(request.user, found)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("inspection:plan", pk=found.pk)
    messages.success(request, f"已删除督查计划：{found.title}")
    return redirect("inspection:county", pk=found.county.pk)


@login_required
@require_POST
def reinspection(request: HttpRequest, pk: int) -> HttpResponse:
    """按未销号问题生成复查计划."""
    county = sel.staff_county_for(request.user, pk)
    if not can_manage_county(request.user, county):
        raise PermissionDenied("只有县督导室可以生成复查计划")
    form = ReinspectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "复查日期格式不正确，请按“年-月-日”选择")
        return redirect("inspection:county", pk=county.pk)
    scheduled = form.cleaned_data["scheduled"]
    try:
        made = visits.reinspection_plan(
            request.user, county, today=timezone.localdate(), scheduled=scheduled
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("inspection:county", pk=county.pk)
    messages.success(request, "已生成复查计划")
    return redirect("inspection:plan", pk=made.pk)


@login_required
@require_POST
def visit_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """生成本月（或所选月份）的责任督学随访计划."""
    county = sel.staff_county_for(request.user, pk)
    if not can_manage_county(request.user, county):
        raise PermissionDenied("只有县督导室可以生成责任督学随访计划")
    form = VisitScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "随访月份格式不正确，请按“年-月”选择，例如 2026-12")
        return redirect("inspection:county", pk=county.pk)
    month = form.cleaned_data["month"] or timezone.localdate()
    try:
        made = schedule.visit_schedule(request.user, county, month=month)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("inspection:county", pk=county.pk)
    messages.success(request, f"已生成{made.title}，{made.targets.count()} 所学校")
    unassigned = schedule.schools_without_inspector(county)
    if unassigned:
        shown = "、".join(s.name for s in unassigned[:10]) + ("等" if len(unassigned) > 10 else "")
        messages.warning(
            request,
            f"{len(unassigned)} 所学校尚未指定责任督学，未安排随访：{shown}（见计划说明）",
        )
    return redirect("inspection:plan", pk=made.pk)


@login_required
def visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the visit of a target against its checklist, with findings."""
    target = sel.target_for(request.user, pk)
    if not visits.may_record(request.user, target):
        raise PermissionDenied("只有县督导室或该校的检查督学可以记录检查")
    if hasattr(target, "visit"):
        return redirect("inspection:visit", pk=target.visit.pk)
    template = visits.checklist_of(target)
    county = target.plan.county
    data = request.POST if request.method == "POST" else None
    planned = list(target.inspectors.all())
    form = VisitForm(
        county,
        template.structure if template else None,
        data=data,
        files=request.FILES if data is not None else None,
        initial={"visited_on": timezone.localdate(), "inspectors": planned},
        planned=planned,
    )
    findings = finding_forms(county, data)
    if data is not None:
        valid = [form.is_valid()] + [f.is_valid() for f in findings]  # every form's errors
        if all(valid):
            made = _record(request, target, form, findings)
            if made is not None:
                return redirect("inspection:visit", pk=made)
        else:
            messages.error(request, "检查记录未保存：" + "；".join(_form_problems(form, findings)))
    context = {"target": target, "template": template, "form": form, "findings": findings}
    return render(request, "inspection/visit_form.html", context)


def _form_problems(form: VisitForm, findings: list[FindingForm]) -> list[str]:
    """Every reason the record form was refused, each naming its item or finding row."""
    problems = [str(e) for errors in form.errors.values() for e in errors]
    for n, finding in enumerate(findings, start=1):
        problems += [f"问题 {n}：{e}" for errors in finding.errors.values() for e in errors]
    return problems


def _record(
    request: HttpRequest, target: Target, form: VisitForm, findings: list[FindingForm]
) -> int | None:
    cleaned = form.cleaned_data
    wanted = [f.finding() for f in findings if f.has_problem()]
    data = visits.VisitData(
        visited_on=cleaned["visited_on"],
        choices=form.choices(),
        inspectors=list(cleaned["inspectors"]),
        notes=cleaned["notes"],
        findings=wanted,
        files=request.FILES.getlist("files"),
    )
    try:
        visit = visits.visit_record(request.user, target, data, today=timezone.localdate())
    except ServiceError as exc:
        messages.error(request, exc.message)
        form.add_service_errors(exc.errors)
        return None
    messages.success(request, f"已记录检查，{len(wanted)} 个问题已转为整改事项")
    return visit.pk


@login_required
@require_GET
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit report: scores per item, total against the pass mark, findings, files."""
    found = sel.visit_for(request.user, pk)
    rows = []
    for item in rubric.items_of(found.checklist.structure):
        index = found.choices.get(item.key)
        rows.append({"item": item, "option": item.options[index] if index is not None else None})
    adds = visits.may_add_findings(request.user, found)
    context = {
        "visit": found,
        "rows": rows,
        "findings": sel.findings_with_items(request.user, found),
        "files": list(found.files.all()),
        "inspectors": list(found.inspectors.all()),
        "inspector_difference": visits.inspector_difference(found),
        "finding_forms": finding_forms(found.target.plan.county) if adds else None,
    }
    return render(request, "inspection/visit.html", context)


@login_required
@require_POST
def findings_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add findings to a recorded visit (the office, or the visit's inspectors)."""
    found = sel.visit_for(request.user, pk)
    if not visits.may_add_findings(request.user, found):
        raise PermissionDenied("只有县督导室或该次检查的督学可以补充问题")
    forms = finding_forms(found.target.plan.county, request.POST)
    if not all(f.is_valid() for f in forms):
        for n, f in enumerate(forms, start=1):
            for errors in f.errors.values():
                messages.error(request, f"问题 {n}：{'；'.join(errors)}")
        return redirect("inspection:visit", pk=found.pk)
    try:
        added = visits.findings_add(
            request.user, found, [f.finding() for f in forms if f.has_problem()]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已补充 {len(added)} 个问题，已转为整改事项")
    return redirect("inspection:visit", pk=found.pk)


@login_required
@require_GET
def visit_docx(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.visit_for(request.user, pk)
    data = documents.visit_report(found, timezone.localdate())
    response = HttpResponse(data, content_type=documents.DOCX)
    response["Content-Disposition"] = f'attachment; filename="visit-{found.pk}.docx"'
    return response


@login_required
@require_GET
def visit_file(request: HttpRequest, pk: int) -> FileResponse:
    attached = get_object_or_404(
        VisitFile.objects.filter(visit__in=sel.visits_for(request.user)), pk=pk
    )
    return FileResponse(attached.file.open("rb"), as_attachment=True, filename=attached.name)
