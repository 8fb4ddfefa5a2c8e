"""Department performance scores for key-task supervision — configurable, not official.

No official document fixes these weights: `ScoreWeights` is a reasoned default that a county sets
for itself (the web UI says so too). A department's score is made of:

- on_time: ``on_time`` × (reports handed in by the due date ÷ reports due); full marks when no
  report was due;
- completion: ``completion`` × the mean of the latest percent of each task the department leads
  (a done task counts 100); full marks when it leads no task;
- supervision: ``supervision`` − ``per_note`` × critical supervision notes, not below 0;
- deductions: − the sum of ``deductions[kind]`` × count for each accountability action.

The total is rounded to one decimal and never below 0. Ranks are competition ranks (1, 1, 3) by
total, highest first; the list is sorted by rank, then department name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

PART_LABELS: dict[str, str] = {
    "on_time": "按时报送",
    "completion": "任务完成",
    "supervision": "督查情况",
    "deductions": "问责扣分",
}


def _default_deductions() -> dict[str, float]:
    return {"criticism": 2.0, "talk": 3.0, "written_review": 5.0, "accountability": 10.0}


@dataclass(frozen=True)
class ScoreWeights:
    on_time: float = 30.0  # share of reports handed in by the due date
    completion: float = 50.0  # share of the department's (lead) tasks done, partial by percent
    supervision: float = 20.0  # full marks minus per_note for each critical supervision note
    per_note: float = 2.0
    deductions: Mapping[str, float] = field(default_factory=_default_deductions)

    def __post_init__(self) -> None:
        values = (self.on_time, self.completion, self.supervision, self.per_note)
        if min(values) < 0 or any(v < 0 for v in self.deductions.values()):
            raise ValueError("分值和扣分都不能为负数")


@dataclass(frozen=True)
class DepartmentFacts:
    department: str
    reports_due: int
    reports_on_time: int
    task_percents: tuple[int, ...]  # latest reported percent per lead task (done = 100)
    critical_notes: int
    actions: Mapping[str, int]  # accountability kind -> count


@dataclass(frozen=True)
class DepartmentScore:
    department: str
    parts: dict[str, float]  # keys on_time, completion, supervision, deductions (negative)
    total: float  # rounded to 1 decimal, never below 0
    rank: int  # competition ranking: 1, 1, 3


def _validate(f: DepartmentFacts, weights: ScoreWeights) -> None:
    if not 0 <= f.reports_on_time <= f.reports_due:
        raise ValueError(f"{f.department}：按时报送次数应在 0 到应报次数之间")
    if f.critical_notes < 0 or any(not 0 <= p <= 100 for p in f.task_percents):
        raise ValueError(f"{f.department}：督查问题数不能为负，完成进度应在 0 到 100 之间")
    for kind, count in f.actions.items():
        if kind not in weights.deductions:
            raise ValueError(f"{f.department}：未知的问责类型“{kind}”")
        if count < 0:
            raise ValueError(f"{f.department}：问责次数不能为负数")


def score_parts(f: DepartmentFacts, weights: ScoreWeights) -> dict[str, float]:
    """The four parts of one department's score, unrounded."""
    _validate(f, weights)
    on_time = weights.on_time * (f.reports_on_time / f.reports_due if f.reports_due else 1.0)
    done = sum(f.task_percents) / (100 * len(f.task_percents)) if f.task_percents else 1.0
    supervision = max(0.0, weights.supervision - weights.per_note * f.critical_notes)
    deductions = -sum(weights.deductions[kind] * n for kind, n in f.actions.items())
    return {
        "on_time": on_time,
        "completion": weights.completion * done,
        "supervision": supervision,
        "deductions": deductions + 0.0,  # no -0.0
    }


def department_scores(
    facts: Sequence[DepartmentFacts],
    weights: ScoreWeights = ScoreWeights(),
) -> list[DepartmentScore]:
    """Every department's score and rank, sorted by rank then department name."""
    scored = []
    for f in facts:
        parts = score_parts(f, weights)
        # round(…, 6) first so that float noise never decides the first decimal
        total = max(0.0, round(round(sum(parts.values()), 6), 1))
        scored.append((f.department, {k: round(v, 2) for k, v in parts.items()}, total))
    totals = [total for _, _, total in scored]
    ranked = [
        DepartmentScore(name, parts, total, 1 + sum(t > total for t in totals))
        for name, parts, total in scored
    ]
    return sorted(ranked, key=lambda s: (s.rank, s.department))
