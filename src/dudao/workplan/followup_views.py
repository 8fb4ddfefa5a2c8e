"""Views of key-task follow-up: the round's notice, accountability actions, department scores,
reminders. Thin: scope through the workplan selectors (404 outside scope), then permission (403
for a reader who may not write), then one service or read, then render.

Readers of a plan (office, leaders, the county's departments, the city reviewer) read the notice,
the actions and the scores; only the county office (or an administrator) sets the notice number,
records actions and edits the score weights. The ladder's suggestions are shown to the office and
the leaders.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dudao.engine.workplan import ACTION_LABELS, PART_LABELS, ScoreWeights, department_scores
from dudao.orgs.models import Department
from dudao.workplan import followup_services as services
from dudao.workplan.choices import AccountabilityKind, RoundStatus
from dudao.workplan.errors import ServiceError, StaleEdit
from dudao.workplan.exports import table_response
from dudao.workplan.models import AccountabilityAction, Round, Task, WorkPlan
from dudao.workplan.notices import NEXT_STEPS, notice_facts, notice_filename
from dudao.workplan.notices import notice_docx as build_notice_docx
from dudao.workplan.performance import plan_facts, weights_for
from dudao.workplan.reminders import reminders_for
from dudao.workplan.selectors import (
    can_manage_plan,
    is_plan_leader,
    plan_for,
    plans_for,
    round_for,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# ---------------------------------------------------------------- forms


class NoticeNumberForm(forms.Form):
    notice_number = forms.CharField(label="通报文号", max_length=50, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label="措施", choices=AccountabilityKind.choices)
    department = forms.ModelChoiceField(
        label="股室",
        queryset=Department.objects.none(),
        required=False,
        empty_label="（不针对股室）",
    )
    person = forms.CharField(label="责任人", max_length=50, required=False)
    on = forms.DateField(
        label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    tasks = forms.ModelMultipleChoiceField(
        label="涉及任务",
        queryset=Task.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, plan: WorkPlan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = Department.objects.filter(county=plan.county_id).order_by("name")
        tasks = self.fields["tasks"]
        assert isinstance(tasks, forms.ModelMultipleChoiceField)
        tasks.queryset = Task.objects.filter(plan=plan).select_related("category")
        tasks.label_from_instance = lambda t: t.label


class WeightsForm(forms.Form):
    on_time = forms.FloatField(label=PART_LABELS["on_time"], min_value=0, max_value=1000)
    completion = forms.FloatField(label=PART_LABELS["completion"], min_value=0, max_value=1000)
    supervision = forms.FloatField(label=PART_LABELS["supervision"], min_value=0, max_value=1000)
    per_note = forms.FloatField(label="每条督查问题扣分", min_value=0, max_value=1000)
    criticism = forms.FloatField(label="通报批评每次扣分", min_value=0, max_value=1000)
    talk = forms.FloatField(label="约谈每次扣分", min_value=0, max_value=1000)
    written_review = forms.FloatField(label="书面检查每次扣分", min_value=0, max_value=1000)
    accountability = forms.FloatField(label="问责每次扣分", min_value=0, max_value=1000)
    version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_of(plan: WorkPlan) -> dict[str, object]:
        weights = weights_for(plan)
        initial: dict[str, object] = {
            "on_time": weights.on_time,
            "completion": weights.completion,
            "supervision": weights.supervision,
            "per_note": weights.per_note,
            "version": plan.version,
        }
        initial.update(weights.deductions)
        return initial

    def weights(self) -> ScoreWeights:
        data = self.cleaned_data
        deductions = {kind: data[kind] for kind in AccountabilityKind.values}
        return ScoreWeights(
            on_time=data["on_time"],
            completion=data["completion"],
            supervision=data["supervision"],
            per_note=data["per_note"],
            deductions=deductions,
        )


def _today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- the notice


@login_required
@require_GET
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's notice as a web page; the office sets its number here."""
    return _notice_page(request, round_for(request.user, pk), None)


def _notice_page(request: HttpRequest, round: Round, form: NoticeNumberForm | None) -> HttpResponse:
    """The notice page; `notice_number` passes its refused form back with its errors."""
    manages = can_manage_plan(request.user, round.plan)
    if form is None:
        form = NoticeNumberForm(
            initial={"notice_number": round.notice_number, "version": round.version}
        )
    context = {
        "round": round,
        "plan": round.plan,
        "facts": notice_facts(round, today=_today()),
        "next_steps": NEXT_STEPS,
        "manages": manages,
        "form": form if manages else None,
    }
    return render(request, "workplan/followup/notice.html", context)


@login_required
@require_POST
def notice_number(request: HttpRequest, pk: int) -> HttpResponse:
    round = round_for(request.user, pk)
    if not can_manage_plan(request.user, round.plan):
        raise PermissionDenied("只有县督导室可以设置通报文号")
    form = NoticeNumberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "通报文号有误，请修改后再保存")
        return redirect("workplan:notice", pk=round.pk)
    try:
        services.notice_number_set(
            request.user,
            round,
            number=form.cleaned_data["notice_number"],
            version=form.cleaned_data["version"],
        )
    except StaleEdit as exc:
        messages.error(request, exc.message)
    except ServiceError as exc:
        form.add_error(None, exc.message)
        for field, reason in exc.errors.items():
            form.add_error(field, reason)
        return _notice_page(request, round, form)
    else:
        messages.success(request, "已保存通报文号")
    return redirect("workplan:notice", pk=round.pk)


@login_required
@require_GET
def notice_docx(request: HttpRequest, pk: int) -> FileResponse:
    round = round_for(request.user, pk)
    data = build_notice_docx(round, today=_today())
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=notice_filename(round), content_type=DOCX
    )


# ---------------------------------------------------------------- accountability


def _prefill(request: HttpRequest) -> dict[str, object]:
    get = request.GET
    initial: dict[str, object] = {"on": _today()}
    for name in ("kind", "department", "person", "reason"):
        if get.get(name):
            initial[name] = get[name]
    if get.getlist("tasks"):
        initial["tasks"] = [t for t in get.getlist("tasks") if t.isdigit()]
    return initial


def _suggestions(plan: WorkPlan) -> list[dict[str, object]]:
    rows = []
    for row in services.suggestion_rows(plan, today=_today()):
        query = {
            "kind": row.kind,
            "department": row.department.pk,
            "reason": row.suggestion.reason,
            "tasks": list(row.task_ids),
        }
        rows.append(
            {
                "department": row.department,
                "kind": ACTION_LABELS[row.kind],
                "reason": row.suggestion.reason,
                "query": urlencode(query, doseq=True),
            }
        )
    return rows


def _record(request: HttpRequest, plan: WorkPlan) -> ActionForm | None:
    """Record the posted action; None when recorded (then redirect), else the bound form."""
    form = ActionForm(plan, data=request.POST)
    if not form.is_valid():
        messages.error(request, "问责记录有误，请按提示修改")
        return form
    data = form.cleaned_data
    try:
        services.action_record(
            request.user,
            plan,
            kind=data["kind"],
            department=data["department"],
            person=data["person"],
            on=data["on"],
            reason=data["reason"],
            tasks=data["tasks"],
        )
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return form
    messages.success(request, "已记录问责措施")
    return None


@login_required
def actions(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's accountability actions, the ladder's suggestions and the record form."""
    plan = plan_for(request.user, pk)
    manages = can_manage_plan(request.user, plan)
    form: ActionForm | None = None
    if request.method == "POST":
        if not manages:
            raise PermissionDenied("只有县督导室可以记录问责措施")
        form = _record(request, plan)
        if form is None:
            return redirect("workplan:actions", pk=plan.pk)
    elif manages:
        form = ActionForm(plan, initial=_prefill(request))
    shows_suggestions = manages or is_plan_leader(request.user, plan)
    recorded = (
        AccountabilityAction.objects.filter(plan=plan)
        .select_related("department", "decided_by")
        .prefetch_related(Prefetch("tasks", queryset=Task.objects.select_related("category")))
    )
    if request.method == "GET" and request.GET.get("export") == "xlsx":
        return _actions_xlsx(plan, recorded)
    context = {
        "plan": plan,
        "actions": recorded,
        "suggestions": _suggestions(plan) if shows_suggestions else None,
        "has_closed_rounds": plan.rounds.filter(status=RoundStatus.CLOSED).exists(),
        "manages": manages,
        "form": form,
    }
    return render(request, "workplan/followup/actions.html", context)


ACTION_HEADERS = ("日期", "措施", "股室", "责任人", "事由", "涉及任务", "记录人")


def _actions_xlsx(plan: WorkPlan, recorded: Any) -> HttpResponse:
    lines = [
        [
            a.on.isoformat(),
            a.get_kind_display(),
            a.department.name if a.department else "",
            a.person,
            a.reason,
            "；".join(t.label for t in a.tasks.all()),
            a.decided_by.get_full_name() or a.decided_by.username,
        ]
        for a in recorded
    ]
    return table_response(f"{plan.year}年重点工作问责记录", ACTION_HEADERS, lines)


# ---------------------------------------------------------------- scores


@login_required
@require_GET
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Department ranking with the breakdown per part; the office edits the weights here."""
    plan = plan_for(request.user, pk)
    return _scores_page(request, plan, None)


def _scores_page(request: HttpRequest, plan: WorkPlan, form: WeightsForm | None) -> HttpResponse:
    manages = can_manage_plan(request.user, plan)
    weights = weights_for(plan)
    ranks = plan.rounds.filter(status=RoundStatus.CLOSED).exists()
    rows = []
    if ranks:  # nothing was due before a round closed: no ranking on free marks
        facts = {f.department: f for _, f in plan_facts(plan, today=_today())}
        ranking = department_scores(list(facts.values()), weights)
        rows = [{"score": s, "facts": facts[s.department]} for s in ranking]
    if request.method == "GET" and request.GET.get("export") == "xlsx":
        return _scores_xlsx(plan, rows if ranks else None)
    if manages and form is None:
        form = WeightsForm(initial=WeightsForm.initial_of(plan))
    context = {
        "plan": plan,
        "rows": rows,
        "ranks": ranks,
        "has_leads": ranks
        or Task.lead_departments.through.objects.filter(task__plan=plan).exists(),
        "not_ranked": NOT_RANKED,
        "parts": [(key, label) for key, label in PART_LABELS.items()],
        "weights": weights,
        "deductions": [(ACTION_LABELS[k], v) for k, v in weights.deductions.items()],
        "manages": manages,
        "form": form if manages else None,
    }
    return render(request, "workplan/followup/scores.html", context)


SCORE_HEADERS = (
    "排名",
    "股室",
    *PART_LABELS.values(),
    "总分",
    "应报份数",
    "按时份数",
    "牵头任务",
    "督查问题",
)


NOT_RANKED = "尚无已结束的调度，暂不排名"


def _scores_xlsx(plan: WorkPlan, rows: list[dict[str, Any]] | None) -> HttpResponse:
    """The ranking as a table; None (no closed round) gives one row saying so."""
    title = f"{plan.year}年重点工作科室考核"
    if rows is None:
        return table_response(title, SCORE_HEADERS, [[NOT_RANKED]])
    lines = []
    for row in rows:
        score, facts = row["score"], row["facts"]
        parts = [round(score.parts[key], 2) for key in PART_LABELS]
        lines.append(
            [
                score.rank,
                score.department,
                *parts,
                round(score.total, 1),
                facts.reports_due,
                facts.reports_on_time,
                len(facts.task_percents),
                facts.critical_notes,
            ]
        )
    return table_response(title, SCORE_HEADERS, lines)


@login_required
@require_POST
def scores_weights(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request.user, pk)
    if not can_manage_plan(request.user, plan):
        raise PermissionDenied("只有县督导室可以修改考核分值")
    form = WeightsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "分值有误，请按提示修改")
        return _scores_page(request, plan, form)
    try:
        services.plan_weights_update(
            request.user, plan, weights=form.weights(), version=form.cleaned_data["version"]
        )
    except StaleEdit as exc:
        messages.error(request, exc.message)
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return _scores_page(request, plan, form)
    else:
        messages.success(request, "已保存考核分值")
    return redirect("workplan:scores", pk=plan.pk)


# ---------------------------------------------------------------- reminders


@login_required
@require_GET
def reminders(request: HttpRequest) -> HttpResponse:
    """The user's reminders: rounds closing without their report, tasks near or past deadline."""
    found = reminders_for(request.user, today=_today())
    if request.GET.get("export") == "xlsx":
        lines = [[r.kind_label, r.text, r.due.isoformat() if r.due else ""] for r in found]
        return table_response("重点工作提醒", ("类型", "内容", "日期"), lines)
    context = {"reminders": found, "has_plans": bool(found) or plans_for(request.user).exists()}
    return render(request, "workplan/followup/reminders.html", context)
