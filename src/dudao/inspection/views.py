"""Views of the inspection home, the inspector pool, conflicts, assignments and checklists.

Thin: scope through the selectors (404 outside it), permission (403), one service or selector
call, render. Draw views are in `draw_views.py`, plan and visit views in `visit_views.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dudao.inspection import checklist as rubric
from dudao.inspection import selectors as sel
from dudao.inspection import services, visits
from dudao.inspection.choices import SUPERVISED_MATTERS
from dudao.inspection.forms import ChecklistForm, ConflictForm, InspectorForm, inspector_initial
from dudao.inspection.models import Inspector
from dudao.inspection.schedule import visit_interval
from dudao.orgs.models import Region
from dudao.orgs.selectors import can_manage_county


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What the user does here: counties to manage or read, own targets, own visits, draws."""
    user = request.user
    targets = list(sel.my_targets(user).prefetch_related("inspectors")[:50])
    context = {
        "counties": list(sel.staff_counties(user)),
        "targets": targets,
        "recordable": {t.pk for t in targets if visits.may_record(user, t)},
        "visits": list(sel.visits_for(user)[:50]),
        "draws": list(sel.draws_for(user)[:20]),
        "own_schools": sorted(sel.own_institution_ids(user)),
    }
    return render(request, "inspection/home.html", context)


@login_required
@require_GET
def county(request: HttpRequest, pk: int) -> HttpResponse:
    """A county's inspection work: plans, draws, checklists, pool."""
    region = sel.staff_county_for(request.user, pk)
    context = {
        "county": region,
        "manages": can_manage_county(request.user, region),
        "plans": list(sel.plans_for(request.user).filter(county=region)[:100]),
        "draws": list(sel.draws_for(request.user).filter(county=region)[:50]),
        "checklists": sel.current_checklists(region),
        "visit_interval": visit_interval(),
    }
    return render(request, "inspection/county.html", context)


# ---------------------------------------------------------------- inspector pool


@login_required
@require_GET
def inspectors(request: HttpRequest, pk: int) -> HttpResponse:
    region = sel.staff_county_for(request.user, pk)
    pool = sel.inspectors_for(request.user).filter(county=region)
    context = {
        "county": region,
        "inspectors": list(pool.prefetch_related("conflicts__institution")),
        "manages": can_manage_county(request.user, region),
    }
    return render(request, "inspection/inspectors.html", context)


@login_required
def inspector_new(request: HttpRequest, pk: int) -> HttpResponse:
    region = sel.staff_county_for(request.user, pk)
    if not can_manage_county(request.user, region):
        raise PermissionDenied("只有县督导室可以管理督学库")
    form = InspectorForm(region, data=request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_inspector(request, region, form, None)
    ):
        return redirect("inspection:inspectors", pk=region.pk)
    return render(
        request,
        "inspection/inspector_form.html",
        {"county": region, "form": form, "inspector": None},
    )


@login_required
def inspector(request: HttpRequest, pk: int) -> HttpResponse:
    """An inspector: details (edit for the office) and declared conflicts."""
    found = sel.inspector_for(request.user, pk)
    manages = can_manage_county(request.user, found.county)
    if request.method == "POST" and not manages:
        raise PermissionDenied("只有县督导室可以管理督学库")
    data = request.POST if request.method == "POST" else None
    form = InspectorForm(found.county, data=data, initial=inspector_initial(found))
    if data is not None and form.is_valid() and _save_inspector(request, found.county, form, found):
        return redirect("inspection:inspector", pk=found.pk)
    context = {
        "county": found.county,
        "inspector": found,
        "form": form if manages else None,
        "conflict_form": ConflictForm(found.county) if manages else None,
        "conflicts": list(found.conflicts.select_related("institution")),
        "manages": manages,
    }
    return render(request, "inspection/inspector_form.html", context)


def _save_inspector(
    request: HttpRequest, county: Region, form: InspectorForm, found: Inspector | None
) -> bool:
    data = form.cleaned_data
    fields = services.InspectorData(
        code=data["code"],
        name=data["name"],
        kind=data["kind"],
        phone=data["phone"],
        institution=data["institution"],
        user=data["user"],
        active=data["active"],
    )
    try:
        saved = services.inspector_save(
            request.user, county, fields, found, version=data["version"]
        )
    except services.ServiceError as exc:
        messages.error(request, exc.message)
        form.add_service_errors(exc.errors)
        return False
    messages.success(request, f"已保存督学：{saved}")
    return True


@login_required
@require_POST
def conflict_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.inspector_for(request.user, pk)
    if not can_manage_county(request.user, found.county):
        raise PermissionDenied("只有县督导室可以登记回避关系")
    form = ConflictForm(found.county, data=request.POST)
    if not form.is_valid():
        messages.error(request, "请选择学校并填写回避原因")
        return redirect("inspection:inspector", pk=found.pk)
    try:
        services.conflict_add(
            request.user, found, form.cleaned_data["institution"], form.cleaned_data["reason"]
        )
        messages.success(request, "已登记回避关系")
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("inspection:inspector", pk=found.pk)


@login_required
@require_POST
def conflict_remove(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = sel.conflict_for(request.user, pk)
    services.conflict_remove(request.user, conflict)
    messages.success(request, "已撤销回避关系")
    return redirect("inspection:inspector", pk=conflict.inspector_id)


# ---------------------------------------------------------------- assignments and sign cards


@login_required
def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """Each school with its assigned inspector (责任督学) and the count per inspector."""
    region = sel.staff_county_for(request.user, pk)
    manages = can_manage_county(request.user, region)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied("只有县督导室可以指定责任督学")
        raw = request.POST.get("institution") or ""
        school = sel.card_institution_for(request.user, int(raw) if raw.isdigit() else 0)
        chosen = request.POST.get("inspector") or ""
        pool = sel.inspectors_for(request.user).filter(county=region)
        picked = pool.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        try:
            services.assignment_set(request.user, school, picked)
            messages.success(request, f"已更新{school.name}的责任督学")
        except services.ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("inspection:assignments", pk=region.pk)
    rows = sel.assignment_rows(region)
    limit = int(settings.INSPECTION_SCHOOLS_PER_INSPECTOR)
    counts: dict[Inspector, int] = {}
    for _, a in rows:
        if a is not None:
            counts[a.inspector] = counts.get(a.inspector, 0) + 1
    context = {
        "county": region,
        "rows": rows,
        "counts": sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].code)),
        "limit": limit,
        "manages": manages,
        "pool": list(sel.inspectors_for(request.user).filter(county=region, active=True)),
    }
    return render(request, "inspection/assignments.html", context)


@login_required
@require_GET
def sign_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable 责任督学公示牌 of one school."""
    school = sel.card_institution_for(request.user, pk)
    assignment = getattr(school, "assigned_inspector", None)
    context = {
        "school": school,
        "assignment": assignment,
        "matters": SUPERVISED_MATTERS,
        "complaint_phone": settings.INSPECTION_COMPLAINT_PHONE,
    }
    return render(request, "inspection/sign_card.html", context)


# ---------------------------------------------------------------- checklists


@login_required
def checklist_new(request: HttpRequest, pk: int) -> HttpResponse:
    region = sel.staff_county_for(request.user, pk)
    if not can_manage_county(request.user, region):
        raise PermissionDenied("只有县督导室可以管理检查评分表")
    form = ChecklistForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.checklist_save(
                request.user, region, data["name"], data["lines"], data["pass_mark"]
            )
        except services.ServiceError as exc:
            messages.error(request, exc.message)
            form.add_service_errors(exc.errors)
        else:
            messages.success(request, "已保存评分表")
            return redirect("inspection:county", pk=region.pk)
    return render(request, "inspection/checklist_form.html", {"county": region, "form": form})


@login_required
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """A checklist version: its items; the office edits (a used one gets a new version)."""
    template = sel.checklist_for(request.user, pk)
    manages = can_manage_county(request.user, template.county)
    if request.method == "POST" and not manages:
        raise PermissionDenied("只有县督导室可以管理检查评分表")
    initial = {
        "name": template.name,
        "pass_mark": template.pass_mark,
        "lines": rubric.to_lines(template.structure),
        "version": template.version,
    }
    form = ChecklistForm(data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.checklist_save(
                request.user,
                template.county,
                data["name"],
                data["lines"],
                data["pass_mark"],
                template=template,
                version=data["version"],
            )
        except services.ServiceError as exc:
            messages.error(request, exc.message)
            form.add_service_errors(exc.errors)
        else:
            messages.success(request, f"已保存评分表：{saved}")
            return redirect("inspection:checklist", pk=saved.pk)
    context = {
        "county": template.county,
        "template": template,
        "items": rubric.items_of(template.structure),
        "full": rubric.full_mark(template.structure),
        "form": form if manages else None,
    }
    return render(request, "inspection/checklist.html", context)
