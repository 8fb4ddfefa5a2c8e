"""Item pages of the rectification app (thin: scope check, one service or selector, render).

The four lists, the weekly summary, the notice and the evaluation action are in `views_lists`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dudao.orgs.selectors import can_manage_county
from dudao.rectification import selectors as sel
from dudao.rectification import services
from dudao.rectification.choices import RectificationStatus
from dudao.rectification.forms import EditForm, ItemForm, NoteForm
from dudao.rectification.models import Rectification
from dudao.rectification.presenters import deadline_state, rows_of, soon_days
from dudao.rectification.scope import resolve_scope
from dudao.rectification.verifiers import verify_refusal

# ---------------------------------------------------------------- the item list


@login_required
@require_GET
def items(request: HttpRequest) -> HttpResponse:
    """Items of a school, a department or a county, overdue and soon-due highlighted."""
    scope = resolve_scope(request.user, request.GET)
    today = timezone.localdate()
    soon = soon_days(request.GET)
    run_period = request.GET.get("period", "")
    found = sel.scoped_items(request.user, scope, request.GET.get("status", ""), run_period)
    context = {
        "scope": scope,
        "rows": rows_of(found, today, soon),
        "statuses": RectificationStatus.choices,
        "status": request.GET.get("status", ""),
        "run_period": run_period if run_period.isdigit() else "",
        "soon": soon,
        "may_create": any(can_manage_county(request.user, c) for c in scope.counties),
    }
    return render(request, "rectification/items.html", context)


# ---------------------------------------------------------------- one item


def _detail_page(
    request: HttpRequest,
    item: Rectification,
    kept: dict[str, dict[str, Any]] | None = None,
    **forms: Any,
) -> HttpResponse:
    """The item page; `forms` are bound forms shown again with their errors, `kept` the typed
    values to put in an action's fresh form (current version) after a stale-edit refusal."""
    user = request.user
    initial = {"version": item.version}
    opened = item.status == RectificationStatus.OPEN
    responded = item.status == RectificationStatus.RESPONDED
    may_respond = opened and sel.can_respond(user, item)
    may_verify = responded and sel.can_verify(user, item)
    may_reopen = item.is_closed and sel.can_verify(user, item)
    may_edit = not item.is_closed and sel.can_edit(user, item)
    edit_initial = {**initial, "measures": item.measures, "responsible": item.responsible}
    edit_initial["deadline"] = item.deadline
    offered = {
        "respond": may_respond,
        "verify": may_verify,
        "return": may_verify,
        "reopen": may_reopen,
        "edit": may_edit,
    }
    for key, typed in (kept or {}).items():
        if offered[key]:
            messages.error(request, STALE_KEPT)
            if key == "edit":
                edit_initial.update(typed)
            else:
                forms[key] = NoteForm(initial={**initial, **typed}, action=key)
        else:
            messages.error(request, STALE_GONE)
    context = {
        "item": item,
        "back": _back(user, item),
        "source_links": sel.source_links(user, item),
        "state": deadline_state(item, timezone.localdate(), soon_days(request.GET)),
        "events": sel.history(item),
        "respond_form": forms.get("respond") or _note(may_respond, initial, "respond"),
        "verify_form": forms.get("verify") or _note(may_verify, initial, "verify"),
        "return_form": forms.get("return") or _note(may_verify, initial, "return"),
        "reopen_form": forms.get("reopen") or _note(may_reopen, initial, "reopen"),
        "edit_form": forms.get("edit") or (EditForm(initial=edit_initial) if may_edit else None),
    }
    return render(request, "rectification/detail.html", context)


STALE_KEPT = (
    "该记录已被他人修改：已载入最新内容，您填写的文字已保留，请核对后重新提交（附件需重新选择）"
)
STALE_GONE = "该记录已被他人修改：已载入最新内容，当前状态下已不能进行该操作"


def _stale_page(request: HttpRequest, pk: int, key: str, typed: dict[str, Any]) -> HttpResponse:
    """After a stale-edit refusal: the item re-read, its form showing the current version with
    what the user typed kept, so that submitting again is not refused again."""
    item = sel.rectification_for(request.user, pk)
    return _detail_page(request, item, kept={key: typed})


def _note(allowed: bool, initial: dict[str, Any], action: str) -> NoteForm | None:
    return NoteForm(initial=initial, action=action) if allowed else None


def _back(user: Any, item: Rectification) -> str:
    """The item list the user came from: the county's, else the school's or department's."""
    if sel.sees_county(user, item.county):
        return f"county={item.county_id}"
    if item.institution_id:
        return f"institution={item.institution_id}"
    if item.department_id:
        return f"department={item.department_id}"
    return f"county={item.county_id}"


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item: the four lists' fields, its history and files, and the actions the user may take."""
    return _detail_page(request, sel.rectification_for(request.user, pk))


def _act(
    request: HttpRequest,
    pk: int,
    key: str,
    *,
    refusal: Callable[[Any, Rectification], str],
    call: Callable[[Rectification, NoteForm], object],
    done: str,
) -> HttpResponse:
    """A transition posted with a note: scope (404), permission (403 with the reason), service,
    redirect."""
    item = sel.rectification_for(request.user, pk)
    reason = refusal(request.user, item)
    if reason:
        raise PermissionDenied(reason)
    form = NoteForm(request.POST, action=key)
    if form.is_valid():
        try:
            call(item, form)
        except services.StaleEdit:
            return _stale_page(request, pk, key, {"note": form.cleaned_data["note"]})
        except services.RectificationError as exc:
            form.add_service_errors(exc.errors)
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
            return redirect("rectification:detail", pk=item.pk)
    return _detail_page(request, item, **{key: form})


def _respond_refusal(user: Any, item: Rectification) -> str:
    return "" if sel.can_respond(user, item) else "您无权进行该操作"


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The responsible side reports what was done, with evidence files."""
    files = request.FILES.getlist("files")

    def call(item: Rectification, form: NoteForm) -> object:
        data = form.cleaned_data
        return services.rectification_respond(
            request.user, item, note=data["note"], version=data["version"], files=files
        )

    return _act(
        request,
        pk,
        "respond",
        refusal=_respond_refusal,
        call=call,
        done="已反馈整改情况，等待核验。",
    )


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    def call(item: Rectification, form: NoteForm) -> object:
        data = form.cleaned_data
        return services.rectification_verify(
            request.user, item, note=data["note"], version=data["version"]
        )

    return _act(request, pk, "verify", refusal=verify_refusal, call=call, done="已核验销号。")


@login_required
@require_POST
def return_item(request: HttpRequest, pk: int) -> HttpResponse:
    def call(item: Rectification, form: NoteForm) -> object:
        data = form.cleaned_data
        return services.rectification_return(
            request.user, item, reason=data["note"], version=data["version"]
        )

    return _act(request, pk, "return", refusal=verify_refusal, call=call, done="已退回重改。")


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def call(item: Rectification, form: NoteForm) -> object:
        data = form.cleaned_data
        return services.rectification_reopen(
            request.user, item, reason=data["note"], version=data["version"]
        )

    return _act(
        request,
        pk,
        "reopen",
        refusal=verify_refusal,
        call=call,
        done="已重新打开，事项回到“待整改”。",
    )


@login_required
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The county office edits measures, responsible person and deadline."""
    item = sel.rectification_for(request.user, pk)
    if not sel.can_edit(request.user, item):
        raise PermissionDenied("只有县督导室可以修改整改措施、责任人和时限")
    form = EditForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_update(request.user, item, **form.cleaned_data)
        except services.StaleEdit:
            typed = {k: form.cleaned_data[k] for k in ("measures", "responsible", "deadline")}
            return _stale_page(request, pk, "edit", typed)
        except services.RectificationError as exc:
            form.add_service_errors(exc.errors)
            messages.error(request, exc.message)
        else:
            messages.success(request, "已保存修改。")
            return redirect("rectification:detail", pk=item.pk)
    return _detail_page(request, item, edit=form)


# ---------------------------------------------------------------- registering by hand, files


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """The county office registers an item by hand (a complaint, a leader's instruction)."""
    counties = sel.managed_counties(request.user)
    if not counties.exists():
        raise PermissionDenied("只有县督导室可以登记整改事项")
    form = ItemForm(counties, request.POST or None, initial={"county": counties.first()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            item, _ = services.rectification_create(request.user, source_key="", **data)
        except services.RectificationError as exc:
            form.add_service_errors(exc.errors)
            messages.error(request, exc.message)
        else:
            messages.success(request, "已登记整改事项。")
            return redirect("rectification:detail", pk=item.pk)
    return render(request, "rectification/create.html", {"form": form})


@login_required
@require_GET
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, for whoever sees its item."""
    found = sel.file_for(request.user, pk)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
