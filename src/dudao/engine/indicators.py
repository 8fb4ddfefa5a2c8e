"""Per-unit indicator values, met / near / below, the unit rule, and the weighted CVs."""

from __future__ import annotations

import polars as pl

from dudao.engine.results import BELOW, MET, NEAR, status_col, value_col
from dudao.engine.spec import Framework, Indicator

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


def add_values(units: pl.DataFrame, fw: Framework) -> pl.DataFrame:
    """Compute every indicator value; students of 0 or missing give null, never 0."""
    valid = pl.col("students").is_not_null() & (pl.col("students") > 0)
    exprs = [
        pl.when(valid).then(ind.formula.to_polars()).otherwise(None).alias(value_col(ind.key))
        for ind in fw.indicators
    ]
    return units.with_columns(exprs)


def add_statuses(units: pl.DataFrame, fw: Framework) -> pl.DataFrame:
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


def add_passed(units: pl.DataFrame, fw: Framework) -> pl.DataFrame:
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


def weighted_cv(units: pl.DataFrame, fw: Framework) -> pl.DataFrame:
    """Enrolment-weighted population CV per county × level × indicator.

    Over included units whose value is defined: mean = Σ p·x / Σ p,
    S = √(Σ p·(x − mean)² / Σ p), CV = S / mean; mean 0 → CV null.
    """
    included = units.filter(~pl.col("excluded"))
    frames = []
    w = pl.col("students")
    for ind in fw.indicators:
        x = pl.col(value_col(ind.key))
        wx = pl.when(x.is_not_null()).then(w)
        total = wx.sum()
        mean = (wx * x).sum() / total
        var = (wx * (x - mean) ** 2).sum() / total
        agg = included.group_by("county", "level", maintain_order=True).agg(
            x.is_not_null().sum().alias("n"),
            pl.when(total > 0).then(mean).otherwise(None).alias("mean"),
            pl.when((total > 0) & (mean != 0)).then(var.sqrt() / mean).otherwise(None).alias("cv"),
        )
        frames.append(agg.with_columns(pl.lit(ind.key).alias("indicator")))
    if not frames:
        return pl.DataFrame(schema=CV_SCHEMA)
    cv = pl.concat(frames)
    limits = fw.balance.limit if fw.balance else {}
    limit = pl.col("level").replace_strict(limits, default=None, return_dtype=pl.Float64)
    cv = cv.with_columns(
        limit.alias("limit"),
        pl.col("n").cast(pl.Int64),
    )
    passed = pl.when(pl.col("n") == 0).then(None).when(pl.col("cv").is_null()).then(False)
    cv = cv.with_columns(passed.otherwise(pl.col("cv") <= pl.col("limit")).alias("passed"))
    return cv.select(list(CV_SCHEMA))


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
    return add_passed(add_statuses(add_values(units, fw), fw), fw)
