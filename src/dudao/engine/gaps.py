"""Gaps (算清三笔账): what each unit still lacks, what it costs, and what pulls each CV up."""

from __future__ import annotations

import polars as pl

from dudao.engine.indicators import standard_col
from dudao.engine.results import MET, status_col, value_col
from dudao.engine.spec import Framework

WHOLE_UNITS = ("人", "间", "台", "册")  # resources that come in whole numbers
TOP_CONTRIBUTORS = 3
ROUNDING_SLACK = 1e-6

GAP_SCHEMA = {
    "county": pl.Utf8,
    "school_code": pl.Utf8,
    "school_name": pl.Utf8,
    "level": pl.Utf8,
    "indicator": pl.Utf8,
    "value": pl.Float64,
    "standard": pl.Float64,
    "status": pl.Utf8,
    "unit_passed": pl.Boolean,
    "resource": pl.Utf8,
    "resource_unit": pl.Utf8,
    "missing": pl.Float64,
    "missing_whole": pl.Float64,
    "price": pl.Float64,
    "cost": pl.Float64,
}


def unit_gaps(units: pl.DataFrame, fw: Framework, prices: dict[str, float]) -> pl.DataFrame:
    """One row per included unit × unmet indicator with a gap definition.

    missing = (standard − value) × students / per, the resource the unit must add to reach
    the standard; whole-number resources are rounded up; cost = rounded quantity × price.
    """
    included = units.filter(~pl.col("excluded"))
    frames = []
    for ind in fw.indicators:
        if ind.gap is None or not ind.standard:
            continue
        gap = ind.gap
        v, std = pl.col(value_col(ind.key)), pl.col(standard_col(ind.key))
        missing = (std - v) * pl.col("students") / gap.per
        # Round whole-number resources up, ignoring binary noise (1.0000000000000009 → 1).
        whole = (missing - ROUNDING_SLACK).ceil() if gap.unit in WHOLE_UNITS else missing
        price = prices.get(gap.price) if gap.price else None
        rows = included.filter(
            pl.col(status_col(ind.key)).is_not_null() & (pl.col(status_col(ind.key)) != MET)
        ).select(
            "county",
            "school_code",
            "school_name",
            "level",
            pl.lit(ind.key).alias("indicator"),
            v.alias("value"),
            std.alias("standard"),
            pl.col(status_col(ind.key)).alias("status"),
            pl.col("passed").alias("unit_passed"),
            pl.lit(gap.resource).alias("resource"),
            pl.lit(gap.unit).alias("resource_unit"),
            missing.alias("missing"),
            whole.alias("missing_whole"),
            pl.lit(price, dtype=pl.Float64).alias("price"),
            (whole * pl.lit(price, dtype=pl.Float64)).alias("cost"),
        )
        frames.append(rows)
    if not frames:
        return pl.DataFrame(schema=GAP_SCHEMA)
    return pl.concat(frames).select(list(GAP_SCHEMA)).cast(GAP_SCHEMA)  # type: ignore[arg-type]


def gap_totals(gaps: pl.DataFrame) -> pl.DataFrame:
    """County totals per resource: quantity and cost (cost null when no price is set)."""
    return (
        gaps.group_by("county", "resource", "resource_unit", maintain_order=True)
        .agg(
            pl.len().alias("units"),
            pl.col("missing_whole").sum().alias("missing"),
            pl.when(pl.col("price").is_null().any())
            .then(None)
            .otherwise(pl.col("cost").sum())
            .alias("cost"),
        )
        .sort("county", maintain_order=True)
    )


def _top(key: str) -> list[pl.Expr]:
    """The TOP_CONTRIBUTORS units of a county × level by their weighted squared deviation."""
    x = pl.col(value_col(key))
    w = pl.when(x.is_not_null()).then(pl.col("students"))
    weighted_mean = (w * x).sum() / w.sum()
    dev = (w * (x - weighted_mean) ** 2).fill_null(0.0)
    share = pl.when(dev.sum() > 0).then(dev / dev.sum())
    keep = [pl.col("school_code"), pl.col("school_name"), x.alias("value"), share.alias("share")]
    return [weighted_mean.alias(f"mean__{key}")] + [
        e.top_k_by(dev, TOP_CONTRIBUTORS).alias(f"{name}__{key}")
        for e, name in zip(keep, TOP_FIELDS, strict=True)
    ]


TOP_FIELDS = ("school_code", "school_name", "value", "share")


def cv_contributors(units: pl.DataFrame, fw: Framework) -> pl.DataFrame:
    """For each CV, the units whose weighted squared deviation adds most to it.

    share = p·(x − mean)² / Σ p·(x − mean)²: the part of the variance the unit accounts for.
    One grouped pass for all indicators with top_k_by (no sort of the whole table).
    """
    if not fw.indicators:
        return pl.DataFrame()
    included = units.filter(~pl.col("excluded"))
    aggs = [e for ind in fw.indicators for e in _top(ind.key)]
    wide = included.group_by("county", "level", maintain_order=True).agg(aggs)
    frames = [
        wide.select(
            "county",
            "level",
            pl.lit(ind.key).alias("indicator"),
            *(pl.col(f"{f}__{ind.key}").alias(f) for f in TOP_FIELDS),
            pl.col(f"mean__{ind.key}").alias("mean"),
        )
        .explode(*TOP_FIELDS)
        .filter(pl.col("share").is_not_null() & (pl.col("share") > 0))
        .select(
            "county", "level", "indicator", "school_code", "school_name", "value", "mean", "share"
        )
        for ind in fw.indicators
    ]
    return pl.concat(frames)
