"""What the home page shows each role.

- county office and leader: progress of the county's open periods and the latest verdict;
- city reviewer (and administrator): every county of the city with its progress and verdict;
- school clerk and principal: their institution's submissions (what to fill, what came back).

Every board is built with a fixed number of queries, however many counties it shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.db.models import Count, OuterRef, Subquery

from dudao.collection.choices import (
    EDITABLE,
    NOT_STARTED_LABEL,
    ChangeAction,
    PeriodStatus,
    SubmissionStatus,
)
from dudao.collection.models import Change, Period, Submission
from dudao.engine.results import VERDICT_LABELS
from dudao.evaluation.models import Run
from dudao.orgs.choices import COUNTY_ROLES, INSTITUTION_ROLES, RegionLevel, Role
from dudao.orgs.models import Institution, Region
from dudao.orgs.selectors import User, counties_for, institutions_for, is_admin, memberships

_Model = TypeVar("_Model", Region, Institution)

RETURNS_SHOWN = 5
NOT_STARTED = "not_started"
# Progress columns, in the order they are shown: (key, label).
PROGRESS_COLUMNS: tuple[tuple[str, str], ...] = (
    (NOT_STARTED, NOT_STARTED_LABEL),
    *SubmissionStatus.choices,
)
_COLOURS = {
    NOT_STARTED: "#d9dee3",
    SubmissionStatus.DRAFT: "#f5c542",
    SubmissionStatus.SUBMITTED: "#60a5fa",
    SubmissionStatus.RETURNED: "#f87171",
    SubmissionStatus.APPROVED: "#4ade80",
}


@dataclass
class Progress:
    """How far one open period of a county has come."""

    period: Period
    total: int
    counts: dict[str, int]
    county_items: str  # status label of the county's own items

    @property
    def columns(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.counts.get(key, 0)) for key, label in PROGRESS_COLUMNS]

    @property
    def segments(self) -> list[tuple[str, str, int, float, float, str]]:
        """Stacked bar pieces: (key, label, count, x %, width %, colour), approved first."""
        pieces = []
        x = 0.0
        for key, label, count in reversed(self.columns):
            width = 100 * count / self.total if self.total else 0.0
            pieces.append((key, label, count, round(x, 2), round(width, 2), _COLOURS[key]))
            x += width
        return pieces

    @property
    def approved_percent(self) -> int:
        return (
            round(100 * self.counts.get(SubmissionStatus.APPROVED, 0) / self.total)
            if self.total
            else 0
        )


@dataclass
class LatestRun:
    """The newest evaluation run of a county."""

    pk: int
    verdict: str
    created_at: datetime
    period_name: str

    @property
    def label(self) -> str:
        return VERDICT_LABELS.get(self.verdict, self.verdict)


@dataclass
class CountyBoard:
    county: Region
    progress: list[Progress] = field(default_factory=list)
    latest_run: LatestRun | None = None


@dataclass
class SchoolTask:
    """One open period from the school's side: its status and what to do next."""

    period: Period
    status: str
    label: str
    todo: str


@dataclass
class SchoolBoard:
    institution: Institution
    tasks: list[SchoolTask]
    returns: list[Change]


# ---------------------------------------------------------------- counties


def county_boards(counties: list[Region]) -> list[CountyBoard]:
    """A board per county: progress of each open period and the latest verdict."""
    if not counties:
        return []
    ids = [c.pk for c in counties]
    progress = _progress(ids)
    runs = _latest_runs(ids)
    return [CountyBoard(c, progress.get(c.pk, []), runs.get(c.pk)) for c in counties]


def _progress(county_ids: list[int]) -> dict[int, list[Progress]]:
    periods = list(Period.objects.filter(county_id__in=county_ids, status=PeriodStatus.OPEN))
    totals = dict(
        Institution.objects.filter(county_id__in=county_ids)
        .values_list("county_id")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    items: dict[int, str] = {}
    rows = Submission.objects.filter(period__in=periods).values_list(
        "period_id", "status", "institution_id"
    )
    for period_id, status, institution_id in rows:
        if institution_id is None:
            items[period_id] = SubmissionStatus(status).label
        else:
            counts[period_id][status] = counts[period_id].get(status, 0) + 1
    result: dict[int, list[Progress]] = defaultdict(list)
    for period in periods:
        total = totals.get(period.county_id, 0)
        found = counts[period.pk]
        found[NOT_STARTED] = max(total - sum(found.values()), 0)
        county_items = items.get(period.pk, NOT_STARTED_LABEL)
        result[period.county_id].append(Progress(period, total, found, county_items))
    return result


def _latest_runs(county_ids: list[int]) -> dict[int, LatestRun]:
    newest = Run.objects.filter(period__county=OuterRef("pk")).order_by("-created_at", "-pk")
    run_ids = (
        Region.objects.filter(pk__in=county_ids)
        .annotate(run=Subquery(newest.values("pk")[:1]))
        .values("run")
    )
    rows = Run.objects.filter(pk__in=run_ids).values_list(
        "period__county_id", "pk", "verdict", "created_at", "period__name"
    )
    return {county: LatestRun(*rest) for county, *rest in rows}


def city_boards(counties: list[Region]) -> list[tuple[Region, list[CountyBoard]]]:
    """The counties grouped by city (counties must come with `parent` selected)."""
    boards = county_boards(counties)
    grouped: dict[int, list[CountyBoard]] = defaultdict(list)
    cities: dict[int, Region] = {}
    for board in boards:
        city = board.county.parent
        if city is not None:
            cities[city.pk] = city
            grouped[city.pk].append(board)
    return [(cities[pk], grouped[pk]) for pk in sorted(cities, key=lambda pk: cities[pk].code)]


# ---------------------------------------------------------------- schools


_NEXT_STEP = {
    None: "尚未填报，请开始填报",
    SubmissionStatus.DRAFT: "草稿未提交，请完成后提交",
    SubmissionStatus.RETURNED: "已被退回，请按意见修改后重新提交",
    SubmissionStatus.SUBMITTED: "已提交，等待县督导室审核",
    SubmissionStatus.APPROVED: "已审核通过",
}


def school_boards(institutions: list[Institution]) -> list[SchoolBoard]:
    """A board per institution: each open period's status, and the latest returns."""
    if not institutions:
        return []
    ids = [i.pk for i in institutions]
    periods = list(
        Period.objects.filter(
            county_id__in={i.county_id for i in institutions}, status=PeriodStatus.OPEN
        )
    )
    stored = {
        (s.institution_id, s.period_id): s.status
        for s in Submission.objects.filter(institution_id__in=ids, period__in=periods).only(
            "institution_id", "period_id", "status"
        )
    }
    returns = _returns(ids)
    return [
        SchoolBoard(
            i,
            [_task(p, stored.get((i.pk, p.pk))) for p in periods if p.county_id == i.county_id],
            returns.get(i.pk, []),
        )
        for i in institutions
    ]


def _task(period: Period, status: str | None) -> SchoolTask:
    label = SubmissionStatus(status).label if status else NOT_STARTED_LABEL
    return SchoolTask(period, status or NOT_STARTED, label, _NEXT_STEP[status])


def _returns(institution_ids: list[int]) -> dict[int, list[Change]]:
    """The latest returns (退回) with their comments, newest first, per institution."""
    changes = (
        Change.objects.filter(
            submission__institution_id__in=institution_ids, action=ChangeAction.RETURN
        )
        .select_related("submission__period", "user")
        .order_by("-at", "-pk")[: RETURNS_SHOWN * max(len(institution_ids), 1)]
    )
    result: dict[int, list[Change]] = defaultdict(list)
    for change in changes:
        shown = result[change.submission.institution_id]  # type: ignore[index]
        if len(shown) < RETURNS_SHOWN:
            shown.append(change)
    return result


# ---------------------------------------------------------------- the page


def dashboard_context(user: User) -> dict[str, object]:
    """Everything the home page shows the user, by role."""
    mine = memberships(user)
    roles = {m.role for m in mine}
    schools = [m.institution for m in mine if m.role in INSTITUTION_ROLES and m.institution]
    own_counties = [m.region for m in mine if m.role in COUNTY_ROLES and m.region]
    context: dict[str, object] = {
        "memberships": mine,
        "counties": list(counties_for(user)),
        "own_institutions": [m.institution for m in mine if m.institution_id],
        "institution_count": institutions_for(user).count(),
        "county_boards": county_boards(_unique(own_counties)),
        "school_boards": school_boards(_unique(schools)),
        "city_boards": [],
        "editable_statuses": [str(s) for s in EDITABLE] + [NOT_STARTED],
    }
    if is_admin(user) or Role.CITY_REVIEWER in roles:
        cities = [m.region_id for m in mine if m.role == Role.CITY_REVIEWER]
        counties = Region.objects.filter(level=RegionLevel.COUNTY).select_related("parent")
        if not is_admin(user):
            counties = counties.filter(parent_id__in=cities)
        context["city_boards"] = city_boards(list(counties))
    return context


def _unique(objects: list[_Model]) -> list[_Model]:
    """The objects without repeats (a person may hold two roles at one school)."""
    seen: dict[int, _Model] = {}
    for obj in objects:
        seen.setdefault(obj.pk, obj)
    return list(seen.values())
