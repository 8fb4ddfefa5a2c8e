"""The weekly summary (周检查、周汇总、周通报) of a county's items for one ISO week.

For the week Monday 00:00 to the next Monday 00:00 (local time): items created, responded,
closed and returned during the week (from the events), and the items open and overdue at the
week's end. The status at the week's end is replayed from the events (the last event before the
end); "overdue at the week's end" means still open then with a deadline on or before the Sunday
(the deadline as it is now: deadline edits are not replayed). Grouped by responsible unit.
The weekly counts are of distinct items: an item answered twice in the week counts once.

The 周检查 part lists the county's inspection visits dated in the week (school, date,
inspectors, score, how many problems were found), each linking to its record.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import xlsxwriter
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from dudao.inspection.models import Visit
from dudao.orgs.models import Region
from dudao.rectification.choices import EventAction, RectificationStatus
from dudao.rectification.models import Rectification, RectificationEvent

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{1,2})$")
COLUMNS = (
    ("created", "本周新增"),
    ("responded", "本周反馈"),
    ("closed", "本周销号"),
    ("returned", "本周退回"),
    ("open_at_end", "周末未销号"),
    ("overdue_at_end", "周末逾期"),
)
COUNTED = {
    EventAction.CREATE: "created",
    EventAction.RESPOND: "responded",
    EventAction.VERIFY: "closed",
    EventAction.RETURN: "returned",
}


@dataclass
class WeekRow:
    label: str
    created: int = 0
    responded: int = 0
    closed: int = 0
    returned: int = 0
    open_at_end: int = 0
    overdue_at_end: int = 0

    def values(self) -> list[int]:
        return [getattr(self, key) for key, _ in COLUMNS]


@dataclass(frozen=True)
class WeekVisit:
    """A visit of the week, as the 周检查 part lists it."""

    pk: int
    school: str
    visited_on: date
    inspectors: str
    total: float
    full: float
    passed: bool
    findings: int

    @property
    def url(self) -> str:
        return reverse("inspection:visit", args=[self.pk])

    @property
    def score(self) -> str:
        return f"{self.total:g}/{self.full:g}（{'合格' if self.passed else '不合格'}）"


VISIT_HEADERS = ["序号", "学校", "检查日期", "检查督学", "得分", "发现问题（项）"]


@dataclass
class Weekly:
    county: Region
    year: int
    week: int
    monday: date
    sunday: date
    rows: list[WeekRow]
    total: WeekRow
    overdue: list[Rectification] = field(default_factory=list)
    visits: list[WeekVisit] = field(default_factory=list)

    @property
    def code(self) -> str:
        """The week as an HTML week input writes it: 2026-W47."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def title(self) -> str:
        return f"{self.county.name}整改周汇总（{self.year}年第{self.week}周）"


def parse_week(text: str, today: date) -> tuple[int, int]:
    """(ISO year, week) from "2026-W47"; the week of `today` when blank or invalid."""
    found = WEEK_PATTERN.match(text.strip())
    if found:
        year, week = int(found.group(1)), int(found.group(2))
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            pass
        else:
            return year, week
    iso = today.isocalendar()
    return iso.year, iso.week


def weekly_summary(county: Region, year: int, week: int) -> Weekly:
    """The summary of the county's items for the ISO week (two queries)."""
    monday = date.fromisocalendar(year, week, 1)
    sunday = monday + timedelta(days=6)
    start, end = _local(monday), _local(monday + timedelta(days=7))
    items = {
        i.pk: i
        for i in Rectification.objects.filter(county=county, created_at__lt=end).select_related(
            "county", "institution", "department"
        )
    }
    events = RectificationEvent.objects.filter(rectification__county=county, at__lt=end)
    rows: dict[str, WeekRow] = {}
    status_at_end: dict[int, str] = {}
    counted: set[tuple[str, int]] = set()  # (column, item): each item once per column
    for event in events.order_by("at", "pk"):
        if event.rectification_id not in items:  # dated before its item: not from the services
            continue
        status_at_end[event.rectification_id] = event.to_status
        key = COUNTED.get(event.action)  # type: ignore[call-overload]
        if key and event.at >= start and (key, event.rectification_id) not in counted:
            counted.add((key, event.rectification_id))
            row = _row(rows, items[event.rectification_id])
            setattr(row, key, getattr(row, key) + 1)
    overdue = []
    for pk, status in status_at_end.items():
        if status == RectificationStatus.CLOSED:
            continue
        item = items[pk]
        row = _row(rows, item)
        row.open_at_end += 1
        if item.deadline is not None and item.deadline <= sunday:
            row.overdue_at_end += 1
            overdue.append(item)
    ordered = sorted(rows.values(), key=lambda r: (-r.overdue_at_end, -r.open_at_end, r.label))
    total = WeekRow("合计")
    for row in ordered:
        for key, _ in COLUMNS:
            setattr(total, key, getattr(total, key) + getattr(row, key))
    overdue.sort(key=lambda i: (i.deadline, i.pk))
    found = week_visits(county, monday, sunday)
    return Weekly(county, year, week, monday, sunday, ordered, total, overdue, found)


def week_visits(county: Region, monday: date, sunday: date) -> list[WeekVisit]:
    """The county's visits dated in the week, by date and school (two queries)."""
    found = (
        Visit.objects.filter(target__plan__county=county, visited_on__range=(monday, sunday))
        .select_related("target__institution")
        .prefetch_related("inspectors")
        .annotate(finding_count=Count("findings"))
        .order_by("visited_on", "target__institution__code", "pk")
    )
    return [
        WeekVisit(
            pk=v.pk,
            school=v.target.institution.name,
            visited_on=v.visited_on,
            inspectors="、".join(i.name for i in v.inspectors.all()),
            total=v.total,
            full=v.full,
            passed=v.passed,
            findings=v.finding_count,  # type: ignore[attr-defined]
        )
        for v in found
    ]


def _local(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _row(rows: dict[str, WeekRow], item: Rectification) -> WeekRow:
    label = item.owner_label
    return rows.setdefault(label, WeekRow(label))


def weekly_workbook(summary: Weekly) -> bytes:
    """The summary as an XLSX workbook: the counts per unit, and the overdue items."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
    cell = book.add_format({"border": 1})
    red = book.add_format({"border": 1, "bg_color": "#FFC7CE"})
    sheet = book.add_worksheet("周汇总")
    sheet.write(0, 0, summary.title, bold)
    sheet.write(1, 0, f"统计区间：{summary.monday:%Y-%m-%d} 至 {summary.sunday:%Y-%m-%d}")
    sheet.write_row(3, 0, ["责任单位", *(label for _, label in COLUMNS)], head)
    for n, row in enumerate([*summary.rows, summary.total], start=4):
        sheet.write(n, 0, row.label, cell)
        sheet.write_row(n, 1, row.values(), red if row.overdue_at_end else cell)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, len(COLUMNS), 12)
    late = book.add_worksheet("逾期事项")
    late.write_row(0, 0, ["序号", "责任单位", "问题", "整改措施", "责任人", "整改时限"], head)
    for n, item in enumerate(summary.overdue, start=1):
        deadline = item.deadline.isoformat() if item.deadline else ""
        values = [n, item.owner_label, item.problem, item.measures, item.responsible, deadline]
        late.write_row(n, 0, values, cell)
    late.set_column(1, 1, 24)
    late.set_column(2, 3, 40)
    checks = book.add_worksheet("周检查")
    checks.write_row(0, 0, VISIT_HEADERS, head)
    for n, visit in enumerate(summary.visits, start=1):
        values = [
            n,
            visit.school,
            visit.visited_on.isoformat(),
            visit.inspectors,
            visit.score,
            visit.findings,
        ]
        checks.write_row(n, 0, values, cell)
    if not summary.visits:
        checks.write(1, 0, "本周没有检查记录")
    checks.set_column(1, 1, 24)
    checks.set_column(2, 4, 16)
    book.close()
    return buffer.getvalue()
