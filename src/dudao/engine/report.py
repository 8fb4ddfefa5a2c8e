"""The documented JSON form of an evaluation result (see README, "JSON result")."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import polars as pl

from dudao.engine.gaps import gap_totals
from dudao.engine.results import (
    MET,
    VERDICT_LABELS,
    CountyResult,
    EvaluationResult,
    status_col,
    value_col,
)

JSON_VERSION = 1


def _clean(x: Any) -> Any:
    """Floats that are not finite become null; everything else passes through."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def _rows(frame: pl.DataFrame, county: str) -> list[dict[str, Any]]:
    if not frame.height:
        return []
    part = frame.filter(pl.col("county") == county).drop("county")
    return [{k: _clean(v) for k, v in row.items()} for row in part.iter_rows(named=True)]


def _nested(cv: pl.DataFrame, county: str, column: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in _rows(cv, county):
        out.setdefault(row["level"], {})[row["indicator"]] = _clean(row[column])
    return out


def county_json(result: EvaluationResult, c: CountyResult) -> dict[str, Any]:
    fw = result.framework
    composite = None
    if fw.balance and fw.balance.mode == "composite":
        composite = {lv.level: lv.composite_cv for lv in c.levels if lv.applicable}
    totals = gap_totals(result.gaps) if result.gaps.height else pl.DataFrame()
    return {
        "county": c.county,
        "verdict": c.verdict,
        "verdict_label": VERDICT_LABELS[c.verdict],
        "reasons": [dataclasses.asdict(r) for r in c.reasons],
        "levels": [dataclasses.asdict(lv) for lv in c.levels],
        "cv": _nested(result.cv, c.county, "cv"),
        "cv_limits": dict(fw.balance.limit) if fw.balance else {},
        "cv_passed": _nested(result.cv, c.county, "passed"),
        "composite_cv": composite,
        "items": [dataclasses.asdict(i) for i in c.items],
        "vetoes": [dataclasses.asdict(v) for v in c.vetoes],
        "gaps": {
            "units": _rows(result.gaps, c.county),
            "totals": _rows(totals, c.county),
            "cv_contributors": _rows(result.contributors, c.county),
        },
        "score": dataclasses.asdict(c.score) if c.score else None,
    }


def unit_json(result: EvaluationResult, row: dict[str, Any]) -> dict[str, Any]:
    inds = result.framework.indicators
    statuses = {i.key: row.get(status_col(i.key)) for i in inds}
    return {
        "county": row["county"],
        "school_code": row["school_code"],
        "school_name": row["school_name"],
        "school_type": row["school_type"],
        "level": row["level"],
        "students": _clean(row["students"]),
        "excluded": row["excluded"],
        "exclusion_reason": row["exclusion_reason"],
        "values": {i.key: _clean(row[value_col(i.key)]) for i in inds},
        "met": {k: None if s is None else s == MET for k, s in statuses.items()},
        "status": statuses,
        "passed": row.get("passed"),
    }


def to_json_dict(result: EvaluationResult) -> dict[str, Any]:
    fw = result.framework
    units = result.units.iter_rows(named=True) if result.units.height else iter(())
    return {
        "version": JSON_VERSION,
        "framework": {
            "code": fw.code,
            "title": fw.title,
            "basis": fw.basis,
            "version": fw.version,
            "digest": fw.digest,
        },
        "prices": result.prices,
        "counties": [county_json(result, c) for c in result.counties],
        "units": [unit_json(result, r) for r in units],
    }


def to_json(result: EvaluationResult, indent: int | None = 2) -> str:
    return json.dumps(to_json_dict(result), ensure_ascii=False, indent=indent)
