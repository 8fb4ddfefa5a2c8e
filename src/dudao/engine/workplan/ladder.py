"""The accountability ladder (问责阶梯): actions suggested to the supervision office, never decided.

From the bureau's key-task notice, for one department's tasks that are not done:

- slow progress — RED in the latest closed round, or YELLOW in each of the last two →
  通报批评 (criticism) and 约谈 (talk);
- a yearly task unfinished when the year has ended (today > year_end; tasks whose deadline falls
  after year_end are not yearly tasks of this year) → 书面检查 (written_review);
- serious inaction — RED in each of the last three closed rounds → 问责 (accountability).

At most one suggestion per kind, its reason naming every task concerned, in the order above.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dudao.engine.workplan.lights import Light


class ActionKind(StrEnum):
    CRITICISM = "criticism"
    TALK = "talk"
    WRITTEN_REVIEW = "written_review"
    ACCOUNTABILITY = "accountability"


ACTION_LABELS: dict[str, str] = {
    ActionKind.CRITICISM: "通报批评",
    ActionKind.TALK: "约谈",
    ActionKind.WRITTEN_REVIEW: "书面检查",
    ActionKind.ACCOUNTABILITY: "问责",
}


@dataclass(frozen=True)
class TaskHistory:
    task: str  # the task's label for the reason text (quoted unless it carries its own “”)
    deadline: date | None
    done: bool
    lights: tuple[Light, ...]  # the task's light at each closed round, oldest first


@dataclass(frozen=True)
class Suggestion:
    kind: ActionKind
    reason: str  # Chinese, names the task(s)


def is_slow(h: TaskHistory) -> bool:
    """RED in the latest round, or YELLOW in each of the last two."""
    if h.done or not h.lights:
        return False
    return h.lights[-1] == Light.RED or h.lights[-2:] == (Light.YELLOW, Light.YELLOW)


def is_unfinished_yearly(h: TaskHistory, *, today: date, year_end: date) -> bool:
    due_this_year = h.deadline is None or h.deadline <= year_end
    return not h.done and today > year_end and due_this_year


def is_inactive(h: TaskHistory) -> bool:
    """RED in each of the last three rounds."""
    return not h.done and len(h.lights) >= 3 and all(x == Light.RED for x in h.lights[-3:])


def _names(histories: Sequence[TaskHistory]) -> str:
    """The tasks named for a reason: labels as given (抓常规第1项“…”), bare numbers as 任务“1”."""
    if all("“" in h.task for h in histories):
        return "、".join(h.task for h in histories)
    return "任务" + "、".join(h.task if "“" in h.task else f"“{h.task}”" for h in histories)


def suggest_actions(
    histories: Sequence[TaskHistory], *, today: date, year_end: date
) -> list[Suggestion]:
    """Suggested actions for one department; see the module docstring."""
    suggestions: list[Suggestion] = []
    slow = [h for h in histories if is_slow(h)]
    if slow:
        reason = f"{_names(slow)}进展缓慢（最近一轮红灯或连续两轮黄灯）"
        suggestions.append(Suggestion(ActionKind.CRITICISM, reason))
        suggestions.append(Suggestion(ActionKind.TALK, reason))
    unfinished = [h for h in histories if is_unfinished_yearly(h, today=today, year_end=year_end)]
    if unfinished:
        reason = f"{_names(unfinished)}到年底（{year_end.isoformat()}）仍未完成"
        suggestions.append(Suggestion(ActionKind.WRITTEN_REVIEW, reason))
    inactive = [h for h in histories if is_inactive(h)]
    if inactive:
        reason = f"{_names(inactive)}连续三轮红灯，存在严重不作为"
        suggestions.append(Suggestion(ActionKind.ACCOUNTABILITY, reason))
    return suggestions
