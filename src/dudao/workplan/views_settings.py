"""The plan's settings (title, number, cycle, light rules) and its responsible leaders (link a
leader to an account for "我分管的任务", mark a body) — the county office only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dudao.workplan import selectors as sel
from dudao.workplan import services
from dudao.workplan.errors import ServiceError
from dudao.workplan.forms import LeaderForm, PlanSettingsForm
from dudao.workplan.models import Leader

FIELDS = ("title", "number", "issued_on", "round_months", "warning_days", "behind_margin")


@login_required
@require_http_methods(["GET", "POST"])
def plan_settings(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sel.plan_for(request.user, pk)
    if not sel.can_manage_plan(request.user, plan):
        raise PermissionDenied("只有县督导室可以修改计划设置")
    if request.method == "POST":
        form = PlanSettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.plan_update(
                    request.user,
                    plan,
                    version=data["version"],
                    **{f: data[f] for f in FIELDS},
                )
            except ServiceError as exc:
                messages.error(request, exc.message)
                for field, reason in exc.errors.items():
                    if field in form.fields:
                        form.add_error(field, reason)
            else:
                messages.success(request, "计划设置已保存")
                return redirect("workplan:plan", plan.pk)
    else:
        form = PlanSettingsForm(
            initial={"version": plan.version} | {f: getattr(plan, f) for f in FIELDS}
        )
    accounts = services.leader_accounts(plan.county)
    leaders = [
        (x, LeaderForm(accounts, initial={"account": x.user_id, "is_body": x.is_body}))
        for x in Leader.objects.filter(county=plan.county).annotate(
            task_count=Count("tasks", filter=Q(tasks__plan=plan))
        )
    ]
    context = {"plan": plan, "form": form, "leaders": leaders}
    return render(request, "workplan/plan_settings.html", context)


@login_required
@require_POST
def leader_update(request: HttpRequest, pk: int, leader: int) -> HttpResponse:
    plan = sel.plan_for(request.user, pk)
    if not sel.can_manage_plan(request.user, plan):
        raise PermissionDenied("只有县督导室可以设置责任领导")
    item = get_object_or_404(Leader.objects.filter(county=plan.county), pk=leader)
    form = LeaderForm(services.leader_accounts(plan.county), request.POST)
    if form.is_valid():
        try:
            services.leader_update(
                request.user,
                item,
                account=form.cleaned_data["account"],
                is_body=form.cleaned_data["is_body"],
            )
            messages.success(request, f"已更新责任领导：{item.name}")
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "请选择本县局领导的账号")
    return redirect("workplan:plan_settings", plan.pk)
