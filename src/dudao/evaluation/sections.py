"""The sections of the results page built from a stored run: reasons, CVs, items, gaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dudao.evaluation.stored import Json, StoredRun, level_label, passed_class, passed_label

REASON_KINDS = {
    "unit": "学校未达标",
    "cv": "差异系数",
    "item": "县级指标",
    "veto": "一票否决",
    "missing": "缺数据",
    "level": "说明",
    "score": "评分",
}


@dataclass(frozen=True)
class ReasonLine:
    kind: str
    message: str
    failing: bool

    @property
    def label(self) -> str:
        return REASON_KINDS.get(self.kind, self.kind)

    @property
    def css(self) -> str:
        if self.failing:
            return "fail"
        return "incomplete" if self.kind == "missing" else "muted"


def reasons(stored: StoredRun) -> tuple[list[ReasonLine], list[ReasonLine]]:
    """The verdict's reasons: the failing ones, and the others (missing data first, then notes)."""
    lines = [
        ReasonLine(r["kind"], r["message"], bool(r["failing"]))
        for r in stored.county.get("reasons", [])
    ]
    others = [r for r in lines if not r.failing]
    others.sort(key=lambda r: r.css != "incomplete")
    return [r for r in lines if r.failing], others


@dataclass(frozen=True)
class CvRow:
    label: str
    cv: float | None
    passed: bool | None

    @property
    def verdict(self) -> str:
        return "无法计算" if self.passed is None else passed_label(self.passed)

    @property
    def css(self) -> str:
        return passed_class(self.passed)


@dataclass
class CvTable:
    level: str
    label: str
    applicable: bool
    units: int
    limit: float | None
    rows: list[CvRow] = field(default_factory=list)
    composite: CvRow | None = None


def cv_tables(stored: StoredRun) -> list[CvTable]:
    """One table per level: each indicator's CV against the level's limit."""
    county = stored.county
    cvs, passed = county.get("cv", {}), county.get("cv_passed", {})
    limits = county.get("cv_limits", {})
    infos = {info["level"]: info for info in county.get("levels", [])}
    tables = []
    for level in stored.levels:
        info = infos.get(level, {})
        table = CvTable(
            level=level,
            label=level_label(level),
            applicable=bool(info.get("applicable")),
            units=int(info.get("units", 0)) - int(info.get("excluded", 0)),
            limit=limits.get(level),
            rows=[
                CvRow(i.label, cvs.get(level, {}).get(i.key), passed.get(level, {}).get(i.key))
                for i in stored.indicators
            ],
        )
        if info.get("composite_cv") is not None or county.get("composite_cv"):
            table.composite = CvRow(
                "综合差异系数", info.get("composite_cv"), info.get("composite_passed")
            )
        tables.append(table)
    return tables


@dataclass(frozen=True)
class ItemLine:
    group: str
    label: str
    detail: str
    passed: bool | None

    @property
    def verdict(self) -> str:
        return passed_label(self.passed)

    @property
    def css(self) -> str:
        return passed_class(self.passed)


def items(stored: StoredRun) -> list[ItemLine]:
    """County items and vetoes (a veto not triggered counts as passed)."""
    county = stored.county
    lines = [
        ItemLine(i["group"], i["label"], i["detail"], i["passed"]) for i in county.get("items", [])
    ]
    for veto in county.get("vetoes", []):
        triggered = veto["triggered"]
        detail = {True: "已发生", False: "未发生", None: "未填报"}[triggered]
        passed = None if triggered is None else not triggered
        lines.append(ItemLine("一票否决", veto["label"], detail, passed))
    return lines


@dataclass
class GapTables:
    units: list[Json]
    totals: list[Json]
    total_cost: float | None
    unpriced: bool  # some resource has no price: its cost is not in the total


def gaps(stored: StoredRun) -> GapTables:
    """What each unit still lacks and what it costs, and the county totals per resource."""
    raw = stored.county.get("gaps", {})
    units = [_gap_row(stored, row) for row in raw.get("units", [])]
    totals = list(raw.get("totals", []))
    costs = [t["cost"] for t in totals if t.get("cost") is not None]
    return GapTables(
        units=units,
        totals=totals,
        total_cost=sum(costs) if costs else None,
        unpriced=len(costs) < len(totals),
    )


def _gap_row(stored: StoredRun, row: Json) -> Json:
    extra: dict[str, Any] = {
        "indicator_label": stored.label(row["indicator"]),
        "level_label": level_label(row["level"]),
        "unit_verdict": passed_label(row.get("unit_passed")),
    }
    return {**row, **extra}


def cv_contributors(stored: StoredRun, school_code: str | None = None) -> list[Json]:
    """Units pulling a failing CV up (optionally only those of one school)."""
    failing = stored.county.get("cv_passed", {})
    rows = []
    for row in stored.county.get("gaps", {}).get("cv_contributors", []):
        if failing.get(row["level"], {}).get(row["indicator"]) is not False:
            continue
        if school_code is not None and row["school_code"] != school_code:
            continue
        label = {"indicator_label": stored.label(row["indicator"])}
        rows.append({**row, **label, "level_label": level_label(row["level"])})
    return rows
