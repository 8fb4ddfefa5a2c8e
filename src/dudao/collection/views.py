"""Views of the app (thin: scope check, one service or selector, render)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from dudao.collection import catalogue, services
from dudao.collection import selectors as sel
from dudao.collection.choices import EDITABLE, PeriodStatus, SubmissionStatus
from dudao.collection.forms import (
    CountyItemsForm,
    EvidenceForm,
    ImportForm,
    PeriodOpenForm,
    ReopenForm,
    ReturnForm,
    SchoolForm,
    ValuesForm,
    VersionForm,
    initial_of,
)
from dudao.collection.models import Evidence, Period, Submission
from dudao.collection.presenters import (
    form_rows,
    history_lines,
    review_rows,
    template_schools,
)
from dudao.engine.tables import write_template
from dudao.orgs.models import Institution
from dudao.orgs.selectors import (
    can_fill,
    can_manage_county,
    can_review_county,
    counties_for,
    institution_for,
)

# ---------------------------------------------------------------- periods and the grid


def _open_form(request: HttpRequest, data: Any = None) -> PeriodOpenForm | None:
    user = request.user
    managed = [c.pk for c in counties_for(user) if can_manage_county(user, c)]
    if not managed:
        return None
    return PeriodOpenForm(counties_for(user).filter(pk__in=managed), data=data)


def _periods_page(request: HttpRequest, form: PeriodOpenForm | None) -> HttpResponse:
    user = request.user
    county_ids = {c.pk for c in counties_for(user)}
    rows = [
        {
            "period": p,
            "title": catalogue.framework(p.framework).title,
            "sees_county": p.county_id in county_ids,
            "manages": can_manage_county(user, p.county),
        }
        for p in sel.periods_for(user).order_by("county__code", "-opened_at")
    ]
    return render(request, "collection/periods.html", {"rows": rows, "open_form": form})


@login_required
@require_GET
def periods(request: HttpRequest) -> HttpResponse:
    """The user's periods; the county office opens and closes them here."""
    return _periods_page(request, _open_form(request))


@login_required
@require_POST
def period_open(request: HttpRequest) -> HttpResponse:
    form = _open_form(request, request.POST)
    if form is None:
        raise PermissionDenied("只有县督导室可以开启填报期")
    if form.is_valid():
        data = form.cleaned_data
        try:
            period = services.period_open(
                request.user, data["county"], data["name"], data["framework"]
            )
        except services.ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已开启填报期：{period}")
            return redirect("collection:periods")
    return _periods_page(request, form)


@login_required
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    period = sel.county_period_for(request.user, pk)
    try:
        services.period_close(request.user, period)
        messages.success(request, f"已关闭填报期：{period}")
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("collection:periods")


@login_required
@require_GET
def period(request: HttpRequest, pk: int) -> HttpResponse:
    """The status grid of a period: every school with its status, counts and filters."""
    period = sel.county_period_for(request.user, pk)
    filters = {k: request.GET.get(k, "") for k in ("status", "township", "school_type")}
    grid = sel.status_grid(period, **filters)
    context = {
        "period": period,
        "fw": catalogue.framework(period.framework),
        "grid": grid,
        "filters": filters,
        "manages": can_manage_county(request.user, period.county),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "collection/_grid.html", context)
    return render(request, "collection/period.html", context)


# ---------------------------------------------------------------- schools


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """A school's submissions: what to fill, what was returned and why."""
    schools = sel.own_institutions(request.user)
    periods = list(Period.objects.filter(county__in={s.county_id for s in schools}))
    found = Submission.objects.filter(institution__in=schools, period__in=periods)
    by_key = {(s.period_id, s.institution_id): s for s in found}
    comments = sel.return_comments(list(by_key.values()))
    rows = []
    for school in schools:
        for p in (p for p in periods if p.county_id == school.county_id):
            submission = by_key.get((p.pk, school.pk))
            note = comments.get(submission.pk) if submission else None
            rows.append({"school": school, "period": p, "submission": submission, "note": note})
    return render(request, "collection/mine.html", {"rows": rows})


@login_required
def fill(request: HttpRequest, pk: int, institution: int) -> HttpResponse:
    """A school's form: save a draft or submit (returned comments beside the fields)."""
    period = sel.period_for(request.user, pk)
    school = institution_for(request.user, institution)
    if school.county_id != period.county_id:
        raise Http404
    if not can_fill(request.user, school):
        raise PermissionDenied("只有本校填报员或校长可以填报")
    submission = sel.school_submission(period, school)
    return _values_page(request, period, school, submission, may_edit=True)


@login_required
def county_items(request: HttpRequest, pk: int) -> HttpResponse:
    """The county's items and veto questions, with evidence files."""
    period = sel.county_period_for(request.user, pk)
    submission = sel.county_items_of(period)
    may_edit = can_manage_county(request.user, period.county)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied("只有县督导室可以填报县级指标")
    return _values_page(request, period, None, submission, may_edit=may_edit)


def _make_form(period: Period, school: Institution | None, **kwargs: Any) -> ValuesForm:
    if school is None:
        return CountyItemsForm(period, **kwargs)
    return SchoolForm(period, school, **kwargs)


def _values_page(
    request: HttpRequest,
    period: Period,
    school: Institution | None,
    submission: Submission | None,
    *,
    may_edit: bool,
) -> HttpResponse:
    if request.method == "POST":
        form = _make_form(period, school, data=request.POST)
        if not form.is_valid():
            messages.error(request, "填报数据有误，请按提示修改后再保存")
        elif _write_values(request, period, school, submission, form):
            return redirect(request.path)
    else:
        values = submission.values if submission else {}
        version = submission.version if submission else 0
        form = _make_form(period, school, initial=initial_of(values, version))
    editable = (
        may_edit
        and period.status == PeriodStatus.OPEN
        and (submission is None or submission.status in EDITABLE)
    )
    comments = sel.return_comments([submission]) if submission else {}
    general, per_field = comments.get(submission.pk, ("", {})) if submission else ("", {})
    context = {
        "period": period,
        "school": school,
        "submission": submission,
        "form": form,
        "groups": form_rows(form, submission.values if submission else {}, per_field),
        "editable": editable,
        "general_comment": general,
    }
    if school is None:
        context.update(_evidence_context(period, submission, editable))
    template = "collection/county_items.html" if school is None else "collection/fill.html"
    return render(request, template, context)


def _write_values(
    request: HttpRequest,
    period: Period,
    school: Institution | None,
    submission: Submission | None,
    form: ValuesForm,
) -> bool:
    """Save or submit through the services; False (with the reasons on the form) if refused."""
    target: services.Target = submission or (period, school)
    version = form.cleaned_data["version"]
    try:
        if request.POST.get("action") == "submit":
            services.submission_submit(request.user, target, version, values=form.values())
            messages.success(request, "已提交，等待县督导室审核。")
        else:
            services.submission_save(request.user, target, form.values(), version)
            messages.success(request, "草稿已保存。")
    except services.ServiceError as exc:
        form.add_service_errors(exc.errors)
        messages.error(request, exc.message)
        return False
    return True


def _evidence_list(submission: Submission | None) -> list[tuple[Evidence, str]]:
    """(file, the label of its county item) of a county-items submission."""
    if submission is None:
        return []
    columns = catalogue.columns_for(submission.period, None)
    files = submission.evidence.select_related("uploaded_by")
    return [(f, columns[f.field].label if f.field in columns else f.field) for f in files]


def _evidence_context(
    period: Period, submission: Submission | None, editable: bool
) -> dict[str, object]:
    columns = catalogue.columns_for(period, None)
    return {
        "evidence": _evidence_list(submission),
        "evidence_form": EvidenceForm(columns) if editable and submission else None,
    }


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    period = sel.county_period_for(request.user, pk)
    submission = sel.county_items_of(period)
    if not can_manage_county(request.user, period.county):
        raise PermissionDenied("只有县督导室可以上传证明材料")
    form = EvidenceForm(catalogue.columns_for(period, None), request.POST, request.FILES)
    if submission is None:
        messages.error(request, "请先保存县级指标草稿，再上传证明材料。")
    elif not form.is_valid():
        messages.error(request, "请选择对应指标和文件。")
    else:
        try:
            data = form.cleaned_data
            services.evidence_add(request.user, submission, data["field"], data["file"])
            messages.success(request, "证明材料已上传。")
        except services.ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("collection:county_items", pk=period.pk)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    visible = Evidence.objects.filter(submission__in=sel.submissions_for(request.user))
    evidence = get_object_or_404(visible, pk=pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


# ---------------------------------------------------------------- review


@login_required
@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Values with last period's beside them, jumps flagged; return, approve or reopen."""
    submission = sel.submission_for(request.user, pk)
    county = submission.period.county
    columns = catalogue.columns_for(submission.period, submission.institution)
    comments = sel.return_comments([submission]).get(submission.pk, ("", {}))
    reviewing = can_review_county(request.user, county)
    submitted = submission.status == SubmissionStatus.SUBMITTED
    context = {
        "submission": submission,
        "period": submission.period,
        "rows": review_rows(submission, columns, sel.previous_values(submission), comments[1]),
        "general_comment": comments[0],
        "may_review": reviewing and submitted,
        "may_reopen": can_manage_county(request.user, county)
        and submission.status == SubmissionStatus.APPROVED,
        "version_form": VersionForm(initial={"version": submission.version}, auto_id=False),
        "reopen_form": ReopenForm(),
        "sees_county": county in counties_for(request.user),
        "evidence": _evidence_list(submission) if submission.is_county_items else [],
    }
    return render(request, "collection/review.html", context)


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    submission = sel.submission_for(request.user, pk)
    columns = catalogue.columns_for(submission.period, submission.institution)
    try:
        if action == "return":
            form = ReturnForm(columns, request.POST)
            data = form.cleaned_data if form.is_valid() else {}
            version = data.get("version", -1)
            services.submission_return(
                request.user, submission, form.comments(), data.get("general", ""), version
            )
            messages.success(request, "已退回，填报单位将看到退回意见。")
        elif action == "approve":
            form = VersionForm(request.POST)
            version = form.cleaned_data["version"] if form.is_valid() else -1
            services.submission_approve(request.user, submission, version)
            messages.success(request, "已审核通过，数据已锁定。")
        else:
            services.submission_reopen(request.user, submission, request.POST.get("reason", ""))
            messages.success(request, "已重新打开，填报单位可以修改后再提交。")
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("collection:review", pk=submission.pk)


@login_required
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "return")


@login_required
@require_POST
def submission_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve")


@login_required
@require_POST
def submission_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "reopen")


@login_required
@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change of a submission: who, when, field, old → new, comment."""
    submission = sel.submission_for(request.user, pk)
    lines = history_lines(submission, sel.history(submission))
    return render(request, "collection/history.html", {"submission": submission, "lines": lines})


# ---------------------------------------------------------------- the county workbook


@login_required
def county_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the county-wide workbook: all rows or none, every error with row and column."""
    period = sel.county_period_for(request.user, pk)
    if not can_manage_county(request.user, period.county):
        raise PermissionDenied("只有县督导室可以导入县级工作簿")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[object] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.county_import(request.user, period, form.cleaned_data["file"])
        except services.ImportFailed as exc:
            problems = list(exc.problems)
            messages.error(request, exc.message)
        except services.ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"导入成功：新建 {result.created} 份、更新 {result.updated} 份填报"
                f"（状态为已提交），跳过 {result.skipped} 行无数据的学校。",
            )
            return redirect("collection:period", pk=period.pk)
    context = {"period": period, "form": form, "problems": problems}
    return render(request, "collection/import.html", context)


@login_required
@require_GET
def county_template(request: HttpRequest, pk: int) -> FileResponse:
    """The collection template of the period's framework, listing the county's schools."""
    period = sel.county_period_for(request.user, pk)
    fw = catalogue.framework(period.framework)
    schools = Institution.objects.filter(county=period.county).select_related("township", "county")
    with tempfile.TemporaryDirectory(prefix="dudao-template-") as tmp:
        path = Path(tmp) / "template.xlsx"
        write_template(fw, path, schools=template_schools(fw, list(schools)))
        content = path.read_bytes()
    name = f"{period.county}{period.name}{fw.title}填报模板.xlsx"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)
