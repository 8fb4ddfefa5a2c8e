"""Per-unit indicator values, met / near / below, the unit rule, and the weighted CVs."""

from __future__ import annotations

from typing import TypeVar

import polars as pl

from dudao.engine.results import BELOW, MET, NEAR, status_col, value_col
from dudao.engine.spec import Framework, Indicator

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

# Values are compared in full precision; this relative tolerance only absorbs binary
# floating-point noise, so that a value exactly at a standard (e.g. 3.825 = 0.85 × 4.5)
# counts as reaching it.
TOLERANCE = 1e-9


def _reaches(value: pl.Expr, threshold: pl.Expr) -> pl.Expr:
    return value >= threshold - TOLERANCE * threshold.abs()


def _standard(ind: Indicator) -> pl.Expr:
    branches = [pl.when(pl.col("level") == lv).then(pl.lit(v)) for lv, v in ind.standard.items()]
    return pl.coalesce(branches).cast(pl.Float64) if branches else pl.lit(None, pl.Float64)


def standard_col(indicator: str) -> str:
    return f"standard__{indicator}"


def add_values(units: Frame, fw: Framework) -> Frame:
    """Compute every indicator value; students of 0 or missing give null, never 0."""
    valid = pl.col("students").is_not_null() & (pl.col("students") > 0)
    exprs = [
        pl.when(valid).then(ind.formula.to_polars()).otherwise(None).alias(value_col(ind.key))
        for ind in fw.indicators
    ]
    return units.with_columns(exprs)


def add_statuses(units: Frame, fw: Framework) -> Frame:
    """met / near (≥ floor × standard) / below per indicator, and the unit rule."""
    floor = fw.unit_rule.floor if fw.unit_rule else 1.0
    exprs: list[pl.Expr] = []
    for ind in fw.indicators:
        if not ind.standard:
            continue
        v, std = pl.col(value_col(ind.key)), pl.col(standard_col(ind.key))
        exprs.append(
            pl.when(v.is_null())
            .then(None)
            .when(_reaches(v, std))
            .then(pl.lit(MET))
            .when(_reaches(v, std * floor))
            .then(pl.lit(NEAR))
            .otherwise(pl.lit(BELOW))
            .alias(status_col(ind.key))
        )
    units = units.with_columns(_standard(i).alias(standard_col(i.key)) for i in fw.indicators)
    return units.with_columns(exprs) if exprs else units


def add_passed(units: Frame, fw: Framework) -> Frame:
    """Unit rule: ≥ min_met met and no unmet one below the floor.

    With missing values the unit passes only if it would pass in the worst case, fails if it
    would fail in the best case, and is null (incomplete) otherwise.
    """
    rule = fw.unit_rule
    rated = [i for i in fw.indicators if i.standard]
    if rule is None or not rated:
        return units.with_columns(pl.lit(None, pl.Boolean).alias("passed"))
    statuses = [pl.col(status_col(i.key)) for i in rated]
    met = pl.sum_horizontal([(s == MET).fill_null(False).cast(pl.Int32) for s in statuses])
    below = pl.sum_horizontal([(s == BELOW).fill_null(False).cast(pl.Int32) for s in statuses])
    unknown = pl.sum_horizontal([s.is_null().cast(pl.Int32) for s in statuses])
    fails_anyway = (below > 0) | (met + unknown < rule.min_met)
    passes_anyway = (unknown == 0) & (met >= rule.min_met)
    passed = (
        pl.when(pl.col("excluded"))
        .then(None)
        .when(fails_anyway)
        .then(False)
        .when(passes_anyway)
        .then(True)
        .otherwise(None)
    )
    return units.with_columns(
        passed.alias("passed"), met.alias("met_count"), unknown.alias("unknown_count")
    )


GROUP = ["county", "level"]


def _weight(key: str) -> pl.Expr:
    """Enrolment as the weight of a unit, only where the unit's value is defined."""
    return pl.when(pl.col(value_col(key)).is_not_null()).then(pl.col("students"))


def _cv_wide(included: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Two grouped passes: weighted means, then weighted squared deviations from them."""
    slim = included.select(*GROUP, "students", *(value_col(k) for k in keys))
    first = slim.group_by(GROUP, maintain_order=True).agg(
        e
        for k in keys
        for e in (
            pl.col(value_col(k)).is_not_null().sum().cast(pl.Int64).alias(f"n__{k}"),
            _weight(k).sum().alias(f"w__{k}"),
            (_weight(k) * pl.col(value_col(k))).sum().alias(f"wx__{k}"),
        )
    )
    first = first.with_columns(
        pl.when(pl.col(f"w__{k}") > 0)
        .then(pl.col(f"wx__{k}") / pl.col(f"w__{k}"))
        .alias(f"mean__{k}")
        for k in keys
    )
    means = first.select(*GROUP, *(f"mean__{k}" for k in keys))
    second = (
        slim.join(means, on=GROUP, how="left")
        .group_by(GROUP, maintain_order=True)
        .agg(
            (_weight(k) * (pl.col(value_col(k)) - pl.col(f"mean__{k}")) ** 2)
            .sum()
            .alias(f"ss__{k}")
            for k in keys
        )
    )
    return first.join(second, on=GROUP, how="left", maintain_order="left")


def weighted_cv(units: pl.DataFrame, fw: Framework) -> pl.DataFrame:
    """Enrolment-weighted population CV per county × level × indicator.

    Over included units whose value is defined: mean = Σ p·x / Σ p,
    S = √(Σ p·(x − mean)² / Σ p), CV = S / mean; mean 0 → CV null. The result is one row
    per county × level × indicator.
    """
    keys = [ind.key for ind in fw.indicators]
    if not keys:
        return pl.DataFrame(schema=CV_SCHEMA)
    needed = [*GROUP, "students", "excluded", *(value_col(k) for k in keys)]
    included = units.select(needed).filter(~pl.col("excluded"))  # narrow first: cheap filter
    wide = _cv_wide(included, keys)
    parts = []
    for k in keys:
        mean, w = pl.col(f"mean__{k}"), pl.col(f"w__{k}")
        cv = pl.when(mean != 0).then((pl.col(f"ss__{k}") / w).sqrt() / mean)
        parts.append(
            wide.select(
                *GROUP,
                pl.lit(k).alias("indicator"),
                pl.col(f"n__{k}").alias("n"),
                mean.alias("mean"),
                cv.alias("cv"),
            )
        )
    cv_frame = pl.concat(parts)
    limits = fw.balance.limit if fw.balance else {}
    limit = pl.col("level").replace_strict(limits, default=None, return_dtype=pl.Float64)
    cv_frame = cv_frame.with_columns(limit.alias("limit"))
    passed = (
        pl.when(pl.col("n") == 0)
        .then(None)
        .when(pl.col("cv").is_null())
        .then(False)
        .otherwise(pl.col("cv") <= pl.col("limit"))
    )
    return cv_frame.with_columns(passed.alias("passed")).select(list(CV_SCHEMA))


CV_SCHEMA = {
    "county": pl.Utf8,
    "level": pl.Utf8,
    "indicator": pl.Utf8,
    "n": pl.Int64,
    "mean": pl.Float64,
    "cv": pl.Float64,
    "limit": pl.Float64,
    "passed": pl.Boolean,
}


def evaluate_units(units: pl.DataFrame, fw: Framework) -> pl.DataFrame:
    """Values, statuses and the unit rule, planned as one lazy query."""
    return add_passed(add_statuses(add_values(units.lazy(), fw), fw), fw).collect()
