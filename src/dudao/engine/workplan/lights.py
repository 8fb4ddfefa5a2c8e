"""Traffic lights for key tasks: pure, with the day passed in.

Rules, first match wins:

1. status ``done`` → GREEN "已完成" (even when finished after the deadline);
2. today is after the deadline → RED "已逾期 N 天" (N = today − deadline, in days);
3. status ``lagging`` / ``blocked`` → RED "自报滞后" / "自报受阻";
4. no deadline → GREEN "未设截止日期" (only the status decides);
5. deadline − today ≤ ``warning_days`` → YELLOW "距截止还有 N 天" ("今天截止" when N = 0);
6. behind the linear plan by more than ``behind_margin`` percentage points → YELLOW
   "进度 P%，按计划应达 E%", where E = elapsed share of start → deadline × 100, rounded down
   (0 before the start, 100 when start ≥ deadline) and a missing percent counts as 0;
7. otherwise GREEN "按计划推进".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class ReportStatus(StrEnum):
    """The status a department reports for a task in a progress round."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    LAGGING = "lagging"
    BLOCKED = "blocked"


STATUS_LABELS: dict[str, str] = {
    ReportStatus.NOT_STARTED: "未启动",
    ReportStatus.IN_PROGRESS: "推进中",
    ReportStatus.DONE: "已完成",
    ReportStatus.LAGGING: "滞后",
    ReportStatus.BLOCKED: "受阻",
}
LIGHT_LABELS: dict[str, str] = {Light.GREEN: "绿灯", Light.YELLOW: "黄灯", Light.RED: "红灯"}


@dataclass(frozen=True)
class LightRules:
    warning_days: int = 15  # yellow within this many days before the deadline
    behind_margin: int = 20  # yellow when percent is this many points below the linear plan

    def __post_init__(self) -> None:
        if self.warning_days < 0 or self.behind_margin < 0:
            raise ValueError("预警天数和进度落后幅度不能为负数")


@dataclass(frozen=True)
class Signal:
    light: Light
    reason: str  # Chinese, e.g. "已逾期 3 天"


def expected_percent(*, today: date, start: date, deadline: date) -> int:
    """The linear plan's percent for today: elapsed share of start → deadline, rounded down."""
    if today <= start:
        return 0
    total = (deadline - start).days
    if total <= 0 or today >= deadline:
        return 100
    return (today - start).days * 100 // total


def traffic_light(
    *,
    today: date,
    start: date,
    deadline: date | None,
    status: str | None,
    percent: int | None,
    rules: LightRules = LightRules(),
) -> Signal:
    """The light of one task on `today`; see the module docstring for the rules."""
    if status is not None and status not in STATUS_LABELS:
        raise ValueError(f"未知的进度状态：{status}")
    if percent is not None and not 0 <= percent <= 100:
        raise ValueError(f"完成进度应在 0 到 100 之间：{percent}")
    if status == ReportStatus.DONE:
        return Signal(Light.GREEN, "已完成")
    if deadline is not None and today > deadline:
        return Signal(Light.RED, f"已逾期 {(today - deadline).days} 天")
    if status in (ReportStatus.LAGGING, ReportStatus.BLOCKED):
        return Signal(Light.RED, f"自报{STATUS_LABELS[status]}")
    if deadline is None:
        return Signal(Light.GREEN, "未设截止日期")
    return _on_schedule(today, start, deadline, percent or 0, rules)


def _on_schedule(
    today: date, start: date, deadline: date, actual: int, rules: LightRules
) -> Signal:
    """Rules 5-7: a task not done, not overdue, not reported lagging, with a deadline."""
    left = (deadline - today).days
    if left <= rules.warning_days:
        return Signal(Light.YELLOW, "今天截止" if left == 0 else f"距截止还有 {left} 天")
    expected = expected_percent(today=today, start=start, deadline=deadline)
    if expected - actual > rules.behind_margin:
        return Signal(Light.YELLOW, f"进度 {actual}%，按计划应达 {expected}%")
    return Signal(Light.GREEN, "按计划推进")
