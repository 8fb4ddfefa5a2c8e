"""Scored frameworks (计分制，如履行教育职责评价): score one county against its test points.

Rules (the framework's ``[scoring]`` section, see ``docs/adding-a-framework.md``):

- Each test point (测评点) starts at its ``points``. Each deduction takes ``per × value`` of its
  formula (a true/false value counts as 1/0), limited to its ``cap``; a negative amount counts as 0
  (a deduction never adds points). Deductions are applied in file order and each is trimmed to
  what is left of the point, so a point never goes below 0 and the listed deductions always add
  up to ``points - score``. A deduction of 0 is not listed.
- A deduction whose formula has no value (missing input, division by zero) makes the point's
  score None; the missing county fields are listed by their Chinese labels.
- Point grade (A/B/C): the first of ``point_grades`` whose ``min_share × points`` the score reaches.
- Bonus (加分): ``per × value`` each, capped by its own ``cap``, then together by ``bonus_cap``
  (trimmed in file order). A missing bonus input is missing data like any other: the total is None.
- Total = sum of point scores + bonus, **capped at the sum of the points** (normally 100): the
  bonus makes up for lost points but a county cannot score above the full mark. None if any point
  or bonus is None.
- Base grade: the first band (best first) whose minimum the total reaches; a total below every band
  gets the worst band. Grade rules then cap the grade: a rule whose ``when`` holds lowers the grade
  to the rule's grade if that is worse, never raises it; the label of every rule whose ``when``
  held is listed. ``when`` sees the county values plus ``score`` and ``count_a``/``count_b``/...
  (how many points got each grade). A rule whose ``when`` cannot be decided is listed in
  ``missing``, and the final grade is None if that rule could have lowered it.

Scores are rounded to 9 decimals after each step so that float noise (0.1 + 0.2) never moves a
county across a band edge.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from dudao.engine.formula import Formula
from dudao.engine.spec import Deduction, Framework, GradeRule, Scoring, TestPoint

Values = Mapping[str, float | bool | None]
_DIGITS = 9


@dataclass(frozen=True)
class PointResult:
    """One test point: its full points, its score (None if inputs are missing) and grade."""

    key: str
    label: str
    group: str
    points: float
    score: float | None
    grade: str | None
    deductions: list[tuple[str, float]]  # (reason text, points deducted)


@dataclass(frozen=True)
class ScoreResult:
    """A county's score, grade before and after the grade rules, and the reasons."""

    score: float | None
    base_grade: str | None
    grade: str | None
    points: list[PointResult]
    bonus: list[tuple[str, float]]
    rules_applied: list[str]
    missing: list[str]  # Chinese labels of county fields whose values were missing


def format_number(x: float) -> str:
    """A number without needless decimals: 2.0 → "2", 0.5 → "0.5", 79.62 → "79.62"."""
    if isinstance(x, bool):
        return "1" if x else "0"
    if not math.isfinite(x):
        return str(x)
    text = f"{round(x, 6):.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _clean(x: float) -> float:
    return round(x, _DIGITS) + 0.0  # + 0.0 turns -0.0 into 0.0


class _Scorer:
    """Holds the county values and collects the labels of missing inputs."""

    def __init__(self, fw: Framework, values: Values) -> None:
        self.fw = fw
        self.values = values
        self.missing: list[str] = []

    def note_missing(self, formula: Formula, fallback: str) -> None:
        names = sorted(n for n in formula.names if self.values.get(n) is None)
        labels = [self._label(n) for n in names if self.fw.county_field(n) is not None]
        if not labels and not any(_is_derived(n) for n in names):
            labels = [fallback]
        for label in labels:
            if label not in self.missing:
                self.missing.append(label)

    def _label(self, name: str) -> str:
        cf = self.fw.county_field(name)
        return cf.label if cf is not None else name

    def amount(self, d: Deduction) -> tuple[float, float] | None:
        """(formula value, points before trimming), or None when the formula has no value."""
        value = d.formula.evaluate(self.values)
        if value is None:
            self.note_missing(d.formula, f"{d.reason}（无法计算）")
            return None
        n = float(value)
        raw = d.per * n
        if d.cap is not None:
            raw = min(raw, d.cap)
        return n, _clean(max(raw, 0.0))

    def take(
        self, items: tuple[Deduction, ...], room: float
    ) -> tuple[list[tuple[str, float]], bool]:
        """Apply deductions (or bonuses) in order within `room` points; (listed, complete)."""
        listed: list[tuple[str, float]] = []
        complete = True
        for d in items:
            got = self.amount(d)
            if got is None:
                complete = False
                continue
            n, raw = got
            taken = _clean(min(raw, max(room, 0.0)))
            room = _clean(room - taken)
            if taken > 0:
                listed.append((_reason(d.reason, n, taken), taken))
        return listed, complete

    def point(self, tp: TestPoint, grades: tuple[tuple[str, float], ...]) -> PointResult:
        listed, complete = self.take(tp.deductions, tp.points)
        score = _clean(max(tp.points - sum(a for _, a in listed), 0.0)) if complete else None
        return PointResult(
            key=tp.key,
            label=tp.label,
            group=tp.group,
            points=tp.points,
            score=score,
            grade=None if score is None else _point_grade(score, tp.points, grades),
            deductions=listed,
        )

    def bonus(self, sc: Scoring) -> tuple[list[tuple[str, float]], float | None]:
        listed, complete = self.take(sc.bonus, sc.bonus_cap)
        total = _clean(sum(a for _, a in listed)) if complete else None
        return listed, total

    def rules(
        self, sc: Scoring, total: float | None, points: list[PointResult]
    ) -> tuple[list[str], list[tuple[GradeRule, bool | None]]]:
        env: dict[str, float | bool | None] = dict(self.values)
        env["score"] = total
        for grade, _ in sc.point_grades:
            env[f"count_{grade.lower()}"] = float(sum(1 for p in points if p.grade == grade))
        outcomes: list[tuple[GradeRule, bool | None]] = []
        applied: list[str] = []
        for rule in sc.rules:
            value = rule.when.evaluate(env)
            held = None if value is None else bool(value)
            if held is None:
                self.note_missing(rule.when, f"{rule.label}（无法判断）")
            elif held:
                applied.append(rule.label)
            outcomes.append((rule, held))
        return applied, outcomes


def _is_derived(name: str) -> bool:
    return name == "score" or name.startswith("count_")


def _reason(template: str, n: float, points: float) -> str:
    return template.replace("{n}", format_number(n)).replace("{points}", format_number(points))


def _point_grade(score: float, points: float, grades: tuple[tuple[str, float], ...]) -> str:
    share = 1.0 if points <= 0 else _clean(score / points)
    for grade, min_share in grades:
        if share >= min_share:
            return grade
    return grades[-1][0]


def _band(total: float, bands: tuple[tuple[str, float], ...]) -> str:
    for grade, minimum in bands:
        if total >= minimum:
            return grade
    return bands[-1][0]


def _final_grade(
    base: str | None, outcomes: list[tuple[GradeRule, bool | None]], order: list[str]
) -> str | None:
    if base is None:
        return None
    rank = max([order.index(base)] + [order.index(r.grade) for r, held in outcomes if held])
    # An undecided rule matters only if it could still lower the grade reached so far.
    if any(held is None and order.index(r.grade) > rank for r, held in outcomes):
        return None
    return order[rank]


def score_county(fw: Framework, values: Mapping[str, float | bool | None]) -> ScoreResult:
    """Score one county with a scored framework (one whose file has a ``[scoring]`` section)."""
    sc = fw.scoring
    if sc is None:
        raise ValueError(f"指标体系 {fw.code} 不是计分制（没有 [scoring] 部分）")
    scorer = _Scorer(fw, values)
    points = [scorer.point(tp, sc.point_grades) for tp in sc.points]
    bonus, bonus_total = scorer.bonus(sc)
    total: float | None = None
    if bonus_total is not None and all(p.score is not None for p in points):
        full = sum(tp.points for tp in sc.points)
        earned = sum(p.score for p in points if p.score is not None)
        total = _clean(min(earned + bonus_total, full))
    applied, outcomes = scorer.rules(sc, total, points)
    base = None if total is None else _band(total, sc.bands)
    order = [g for g, _ in sc.bands]
    return ScoreResult(
        score=total,
        base_grade=base,
        grade=_final_grade(base, outcomes, order),
        points=points,
        bonus=bonus,
        rules_applied=applied,
        missing=scorer.missing,
    )
