"""Institution views: the list with search and filters, one institution, the list import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from dudao.collection.choices import NOT_STARTED_LABEL, PeriodStatus
from dudao.collection.models import Period, Submission
from dudao.orgs import services
from dudao.orgs.forms import InstitutionFilterForm, InstitutionImportForm
from dudao.orgs.imports import COLUMNS
from dudao.orgs.models import Institution, Membership
from dudao.orgs.people import managed_counties, managed_county
from dudao.orgs.selectors import can_manage_county, counties_for, institution_for, institutions_for

PAGE_SIZE = 50


@login_required
def institutions(request: HttpRequest) -> HttpResponse:
    """The institutions the user sees, searched and filtered, 50 a page."""
    visible = institutions_for(request.user)
    counties = list(counties_for(request.user))
    form = InstitutionFilterForm(request.GET, visible, counties)
    found = form.apply(visible).order_by("county__code", "code")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    importable = [c for c in counties if can_manage_county(request.user, c)]
    return render(
        request,
        "orgs/institutions.html",
        {"form": form, "page": page, "importable": importable},
    )


@login_required
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    """One institution: its details, its submissions per open period and its people."""
    school = institution_for(request.user, pk)
    manages = can_manage_county(request.user, school.county)
    people = Membership.objects.filter(institution=school).select_related("user") if manages else []
    return render(
        request,
        "orgs/institution.html",
        {
            "school": school,
            "submissions": _submission_rows(school),
            "people": people,
            "manages": manages,
        },
    )


def _submission_rows(school: Institution) -> list[tuple[Period, str]]:
    """(period, status label) for each period of the county, 未填报 where nothing was saved."""
    periods = Period.objects.filter(county_id=school.county_id).order_by("-opened_at")
    stored = {
        s.period_id: s.get_status_display()
        for s in Submission.objects.filter(institution=school, period__in=periods)
    }
    return [
        (p, stored.get(p.pk, NOT_STARTED_LABEL))
        for p in periods
        if p.status == PeriodStatus.OPEN or p.pk in stored
    ]


@login_required
def institution_import(request: HttpRequest) -> HttpResponse:
    """The county office uploads its institution list; errors are listed, nothing half-saved."""
    county = managed_county(request.user, request.GET.get("county"))
    form = InstitutionImportForm(request.POST or None, request.FILES or None)
    errors: list[services.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = services.institutions_import(request.user, county, upload.name, upload.read())
        except services.ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, _summary_text(summary))
            return redirect(f"{reverse('orgs:institutions')}?county={county.pk}")
    return render(
        request,
        "orgs/institution_import.html",
        {
            "form": form,
            "county": county,
            "errors": errors,
            "columns": COLUMNS.values(),
            "counties": managed_counties(request.user),
        },
    )


def _summary_text(summary: services.ImportSummary) -> str:
    text = f"导入完成：新增 {summary.created} 所，更新 {summary.updated} 所"
    text += f"，未变 {summary.unchanged} 所"
    if summary.townships:
        text += f"；新建乡镇（街道）：{'、'.join(summary.townships)}"
    return text + "。"


@login_required
def institution_template(request: HttpRequest) -> HttpResponse:
    """An empty institution list (CSV with the expected headers) to fill in."""
    managed_county(request.user, None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "学校名单模板.csv")
    response.write("\ufeff" + ",".join(COLUMNS.values()) + "\r\n")
    return response
