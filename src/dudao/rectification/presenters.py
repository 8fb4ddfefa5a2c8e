"""Display helpers: deadline states (overdue 已逾期 / soon due 临期) and table rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from dudao.rectification.models import Rectification

OVERDUE, SOON = "overdue", "soon"
STATE_CSS = {OVERDUE: "below", SOON: "near"}
STATE_LABELS = {OVERDUE: "已逾期", SOON: "临期"}
MAX_SOON_DAYS = 90


def soon_days(params: Mapping[str, str]) -> int:
    """Days ahead counted as soon due: ?soon=N, else the setting, else 7 (bounded 0..90)."""
    default = settings.RECTIFICATION_SOON_DAYS
    raw = params.get("soon", "")
    days = int(raw) if raw.strip().isdigit() else default
    return max(0, min(days, MAX_SOON_DAYS))


def deadline_state(item: Rectification, today: date, soon: int) -> str:
    """OVERDUE, SOON or "" for an item on `today`."""
    if item.is_overdue(today):
        return OVERDUE
    if item.is_soon_due(today, soon):
        return SOON
    return ""


@dataclass(frozen=True)
class Row:
    """An item with its deadline state, for a table row."""

    number: int
    item: Rectification
    state: str

    @property
    def css(self) -> str:
        return STATE_CSS.get(self.state, "")

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, "")


def rows_of(items: Iterable[Rectification], today: date, soon: int) -> list[Row]:
    return [Row(n, item, deadline_state(item, today, soon)) for n, item in enumerate(items, 1)]
