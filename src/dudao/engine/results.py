"""Typed evaluation results: what the engine returns to the CLI and the web platform."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from dudao.engine.scoring import ScoreResult
from dudao.engine.spec import Framework

PASS, FAIL, INCOMPLETE = "pass", "fail", "incomplete"
VERDICT_LABELS = {PASS: "达标", FAIL: "未达标", INCOMPLETE: "数据不全，无法判定"}
MET, NEAR, BELOW = "met", "near", "below"
STATUS_LABELS = {MET: "达标", NEAR: "未达标但不低于85%", BELOW: "低于85%"}


def value_col(indicator: str) -> str:
    return f"value__{indicator}"


def status_col(indicator: str) -> str:
    return f"status__{indicator}"


@dataclass(frozen=True)
class Reason:
    """One line of a verdict: kind is unit | cv | item | veto | missing | score | level."""

    kind: str
    message: str
    failing: bool


@dataclass(frozen=True)
class ItemResult:
    key: str
    label: str
    group: str
    scope: str
    value: float | bool | None
    passed: bool | None
    detail: str
    status: str


@dataclass(frozen=True)
class VetoResult:
    key: str
    label: str
    triggered: bool | None
    status: str


@dataclass(frozen=True)
class LevelInfo:
    level: str
    units: int
    excluded: int
    incomplete: int
    failed: int
    applicable: bool
    composite_cv: float | None = None
    composite_passed: bool | None = None


@dataclass
class CountyResult:
    county: str
    verdict: str
    reasons: list[Reason] = field(default_factory=list)
    levels: list[LevelInfo] = field(default_factory=list)
    items: list[ItemResult] = field(default_factory=list)
    vetoes: list[VetoResult] = field(default_factory=list)
    score: ScoreResult | None = None


@dataclass
class EvaluationResult:
    """Everything one evaluation run produced.

    `units`: one row per unit with value__/status__ columns, `passed`, `excluded`.
    `cv`: one row per county × level × indicator (n, mean, cv, limit, passed).
    `gaps`: one row per unit × unmet indicator; `contributors`: units pulling each CV up.
    """

    framework: Framework
    units: pl.DataFrame
    cv: pl.DataFrame
    gaps: pl.DataFrame
    contributors: pl.DataFrame
    counties: list[CountyResult]
    prices: dict[str, float]

    def county(self, name: str) -> CountyResult:
        return next(c for c in self.counties if c.county == name)
