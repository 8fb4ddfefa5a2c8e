"""Read access to a stored run: its framework snapshot, the county's result and its units.

Pages never reload the framework file to show a run: labels and standards come from the
snapshot kept in `Run.inputs["framework"]`, so a run reads the same after the file changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from dudao.engine.results import STATUS_LABELS, VERDICT_LABELS
from dudao.engine.spec import LEVEL_LABELS
from dudao.evaluation.models import Run

Json = dict[str, Any]


@dataclass(frozen=True)
class IndicatorInfo:
    key: str
    label: str
    unit: str
    standard: dict[str, float]


class StoredRun:
    """A run's stored JSON, read for the results pages."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.meta: Json = run.inputs.get("framework", {})
        self.county_name = run.period.county.name

    @cached_property
    def levels(self) -> list[str]:
        return list(self.meta.get("levels", []))

    @cached_property
    def indicators(self) -> list[IndicatorInfo]:
        return [
            IndicatorInfo(i["key"], i["label"], i.get("unit", ""), i.get("standard", {}))
            for i in self.meta.get("indicators", [])
        ]

    def indicator(self, key: str) -> IndicatorInfo | None:
        return next((i for i in self.indicators if i.key == key), None)

    def label(self, key: str) -> str:
        found = self.indicator(key)
        return found.label if found else key

    @cached_property
    def county(self) -> Json:
        """The county's entry of the result (empty when the result has none)."""
        counties = self.run.result.get("counties", [])
        return next((c for c in counties if c["county"] == self.county_name), {})

    @cached_property
    def units(self) -> list[Json]:
        return [u for u in self.run.result.get("units", []) if u["county"] == self.county_name]

    def unit(self, school_code: str, level: str) -> Json | None:
        return next(
            (u for u in self.units if u["school_code"] == school_code and u["level"] == level),
            None,
        )

    @cached_property
    def schools(self) -> dict[str, Json]:
        """The stored input row of every school, by school code."""
        return {row["school_code"]: row for row in self.run.inputs.get("schools", [])}

    @property
    def school_count(self) -> int:
        return len(self.run.inputs.get("schools", []))

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS.get(self.run.verdict, self.run.verdict))


def level_label(level: str) -> str:
    return LEVEL_LABELS.get(level, level)


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status, "数据不全") if status else "数据不全"


def passed_label(passed: bool | None, excluded: bool = False) -> str:
    if excluded:
        return "不参评"
    return {True: "达标", False: "未达标", None: "数据不全"}[passed]


def passed_class(passed: bool | None) -> str:
    return {True: "pass", False: "fail", None: "incomplete"}[passed]
