"""Scoped reads of the collection app, built on `dudao.orgs.selectors`.

Periods are seen by the county's people, the city reviewers and the schools of the county;
a school's submission by the county and the school itself; the county's items by the county.
Anything outside the user's scope is a 404.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.shortcuts import get_object_or_404

from dudao.collection.choices import NOT_STARTED_LABEL, ChangeAction, SubmissionStatus
from dudao.collection.models import Change, Period, Submission
from dudao.orgs.choices import INSTITUTION_ROLES
from dudao.orgs.models import Institution
from dudao.orgs.selectors import User, counties_for, institutions_for, memberships

NOT_STARTED = "not_started"
STATUS_LABELS = {NOT_STARTED: NOT_STARTED_LABEL, **dict(SubmissionStatus.choices)}


def own_institutions(user: User) -> list[Institution]:
    """Institutions the user fills for (school clerk, principal)."""
    return [
        m.institution for m in memberships(user) if m.role in INSTITUTION_ROLES and m.institution
    ]


def periods_for(user: User) -> QuerySet[Period]:
    """Periods of the counties the user sees, and of the counties of the user's own schools."""
    own = [i.county_id for i in own_institutions(user)]
    scope = Q(county__in=counties_for(user)) | Q(county_id__in=own)
    return Period.objects.filter(scope).select_related("county")


def period_for(user: User, pk: int) -> Period:
    return get_object_or_404(periods_for(user), pk=pk)


def county_period_for(user: User, pk: int) -> Period:
    """A period seen as a whole (grid, county items, import): county roles and city reviewers."""
    periods = Period.objects.filter(county__in=counties_for(user)).select_related("county")
    return get_object_or_404(periods, pk=pk)


def submissions_for(user: User) -> QuerySet[Submission]:
    """Schools' submissions the user sees, and county items of the counties the user sees."""
    counties = counties_for(user)
    scope = Q(institution__in=institutions_for(user)) | Q(
        institution__isnull=True, period__county__in=counties
    )
    return Submission.objects.filter(scope).select_related(
        "period__county", "institution", "updated_by"
    )


def submission_for(user: User, pk: int) -> Submission:
    return get_object_or_404(submissions_for(user), pk=pk)


def county_items_of(period: Period) -> Submission | None:
    return (
        Submission.objects.filter(period=period, institution__isnull=True)
        .select_related("period__county", "updated_by")
        .first()
    )


def school_submission(period: Period, institution: Institution) -> Submission | None:
    found = Submission.objects.filter(period=period, institution=institution)
    return found.select_related("period__county", "institution").first()


# ---------------------------------------------------------------- the status grid


@dataclass(frozen=True)
class GridRow:
    institution: Institution
    status: str  # a SubmissionStatus value or NOT_STARTED
    submission_id: int | None
    updated_at: datetime | None
    updated_by: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Grid:
    """Every institution of a period's county with its status; counts are before filtering."""

    rows: list[GridRow]
    counts: dict[str, int]
    total: int
    townships: list[tuple[int, str]] = field(default_factory=list)
    school_types: list[str] = field(default_factory=list)

    @property
    def count_list(self) -> list[tuple[str, str, int]]:
        return [(k, label, self.counts.get(k, 0)) for k, label in STATUS_LABELS.items()]


def status_grid(
    period: Period, status: str = "", township: str = "", school_type: str = ""
) -> Grid:
    """The status grid of a period, in one query; filters by status, township and type."""
    joined = Institution.objects.filter(county_id=period.county_id).annotate(
        sub=FilteredRelation("submissions", condition=Q(submissions__period=period)),
        sub_id=F("sub__id"),
        sub_status=F("sub__status"),
        sub_updated_at=F("sub__updated_at"),
        sub_user=F("sub__updated_by__first_name"),
        sub_username=F("sub__updated_by__username"),
    )
    rows = [_grid_row(i) for i in joined.select_related("township").order_by("code")]
    grid = Grid(
        rows=rows,
        counts=dict(Counter(r.status for r in rows)),
        total=len(rows),
        townships=sorted(
            {
                (r.institution.township_id, str(r.institution.township))
                for r in rows
                if r.institution.township_id
            },
            key=lambda t: t[1],
        ),
        school_types=sorted({r.institution.school_type for r in rows}),
    )
    grid.rows = [r for r in rows if _keep(r, status, township, school_type)]
    return grid


def _grid_row(institution: Institution) -> GridRow:
    sub_id = getattr(institution, "sub_id", None)
    user = getattr(institution, "sub_user", "") or getattr(institution, "sub_username", "") or ""
    return GridRow(
        institution=institution,
        status=getattr(institution, "sub_status", None) or NOT_STARTED,
        submission_id=sub_id,
        updated_at=getattr(institution, "sub_updated_at", None),
        updated_by=user,
    )


def _keep(row: GridRow, status: str, township: str, school_type: str) -> bool:
    return (
        (not status or row.status == status)
        and (not township or str(row.institution.township_id) == township)
        and (not school_type or row.institution.school_type == school_type)
    )


# ---------------------------------------------------------------- review aids


def previous_period(period: Period) -> Period | None:
    """The county's period of the same framework opened just before this one."""
    earlier = Q(opened_at__lt=period.opened_at) | Q(opened_at=period.opened_at, pk__lt=period.pk)
    found = Period.objects.filter(earlier, county_id=period.county_id, framework=period.framework)
    return found.order_by("-opened_at", "-pk").first()


def previous_values(submission: Submission) -> dict[str, object]:
    """The same owner's values in the previous period ({} when there is none)."""
    before = previous_period(submission.period)
    if before is None:
        return {}
    found = Submission.objects.filter(period=before, institution=submission.institution_id)
    values = found.values_list("values", flat=True).first()
    return dict(values or {})


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def jumps(
    values: dict[str, object], previous: dict[str, object], threshold: float = 0.30
) -> dict[str, float | None]:
    """Fields whose number changed by more than `threshold` (relative) since last period.

    The value is the relative change (0.5 = +50%), or None when last period's figure was 0.
    """
    out: dict[str, float | None] = {}
    for key, value in values.items():
        new, old = _number(value), _number(previous.get(key))
        if new is None or old is None:
            continue
        if old == 0:
            if new != 0:
                out[key] = None
            continue
        change = (new - old) / abs(old)
        if abs(change) > threshold:
            out[key] = change
    return out


# ---------------------------------------------------------------- history and comments


def history(submission: Submission) -> QuerySet[Change]:
    return Change.objects.filter(submission=submission).select_related("user").order_by("at", "pk")


def return_comments(submissions: list[Submission]) -> dict[int, tuple[str, dict[str, str]]]:
    """For each returned submission: the general comment and per-field comments of its last
    return (or reopen), in one query."""
    returned = [s.pk for s in submissions if s.status == SubmissionStatus.RETURNED]
    if not returned:
        return {}
    lines = Change.objects.filter(
        submission_id__in=returned, action__in=(ChangeAction.RETURN, ChangeAction.REOPEN)
    ).order_by("pk")
    out: dict[int, tuple[str, dict[str, str]]] = {}
    for line in lines:
        if not line.field:  # a new return starts: forget the earlier one
            out[line.submission_id] = (line.comment, {})
        elif line.submission_id in out:
            out[line.submission_id][1][line.field] = line.comment
    return out
