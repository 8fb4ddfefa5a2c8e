"""The four lists (问题、措施、责任、时限清单) of a scope, with counts and 清零 progress.

Built in Python from one list of items (one query); `today` and the soon-due window are passed
in so tests can freeze time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from dudao.rectification.choices import RectificationStatus
from dudao.rectification.models import Rectification
from dudao.rectification.presenters import OVERDUE, SOON, Row, rows_of


@dataclass
class Progress:
    """Counts of a set of items and its 清零 progress (closed / total)."""

    label: str = ""
    institution_id: int | None = None
    query: str = ""  # the unit's own lists (institution=…, department=…, or the county office)
    total: int = 0
    open: int = 0
    responded: int = 0
    closed: int = 0
    overdue: int = 0
    soon: int = 0

    @property
    def percent(self) -> int:
        """Closed share in whole percent (100 only when everything is closed; 0 items → 100, but
        pages say 暂无整改事项 then, never a progress)."""
        if self.total == 0:
            return 100
        return self.closed * 100 // self.total

    @property
    def cleared(self) -> bool:
        return self.closed == self.total

    def add(self, row: Row) -> None:
        self.total += 1
        status = row.item.status
        if status == RectificationStatus.OPEN:
            self.open += 1
        elif status == RectificationStatus.RESPONDED:
            self.responded += 1
        else:
            self.closed += 1
        self.overdue += row.state == OVERDUE
        self.soon += row.state == SOON


@dataclass
class FourLists:
    rows: list[Row]
    progress: Progress
    by_owner: list[Progress] = field(default_factory=list)


def four_lists(items: Sequence[Rectification], today: date, soon: int) -> FourLists:
    """The rows of the four lists, the overall progress and the progress per responsible unit."""
    rows = rows_of(items, today, soon)
    total = Progress("合计")
    owners: dict[str, Progress] = {}
    for row in rows:
        total.add(row)
        label = row.item.owner_label
        owners.setdefault(label, Progress(label, row.item.institution_id, _unit_query(row.item)))
        owners[label].add(row)
    ranked = sorted(owners.values(), key=lambda p: (p.percent, -p.overdue, p.label))
    return FourLists(rows, total, ranked)


def _unit_query(item: Rectification) -> str:
    """The query string of the item's unit (see `scope`)."""
    if item.institution_id:
        return f"institution={item.institution_id}"
    if item.department_id:
        return f"department={item.department_id}"
    return f"county={item.county_id}&department=office"
