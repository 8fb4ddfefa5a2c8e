"""Unit construction (参评单位): one unit per school per level it serves.

九年一贯制 / 十二年一贯制 / 完全中学 are split into sections. Fields reported per section
(scope = "level") are taken from the section's own column; whole-school fields
(scope = "school") are apportioned by weighted enrolment with the framework's split weights.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from dudao.engine.schooltypes import (
    INTEGRATED_TYPES,
    PRIVATE,
    SPLIT_KIND,
    TEACHING_POINT,
    TYPE_LEVELS,
)
from dudao.engine.spec import LEVELS, Framework

SPLIT_LEVELS = ("primary", "junior", "senior")
INFO_COLUMNS = ("school_code", "school_name", "county", "school_type", "ownership", "township")


def school_flags() -> list[pl.Expr]:
    """Numeric 1/0 flags shared by school-level and unit-level formulas."""
    t = pl.col("school_type")
    return [
        t.is_in(list(INTEGRATED_TYPES)).cast(pl.Float64).alias("is_integrated"),
        (pl.col("ownership") == PRIVATE).cast(pl.Float64).alias("is_private"),
        (t == TEACHING_POINT).cast(pl.Float64).alias("is_teaching_point"),
    ]


def with_school_derived(schools: pl.DataFrame) -> pl.DataFrame:
    """Add the derived school names formulas may use (flags, compulsory_students)."""
    compulsory = [c for c in ("students_primary", "students_junior") if c in schools.columns]
    total = pl.sum_horizontal(pl.col(compulsory)) if compulsory else pl.lit(None)
    any_null = pl.any_horizontal(pl.col(compulsory).is_null()) if compulsory else pl.lit(True)
    derived = pl.when(any_null).then(None).otherwise(total).cast(pl.Float64)
    return schools.with_columns(*school_flags(), derived.alias("compulsory_students"))


def _weight(fw: Framework, school_type: str, level: str) -> float:
    levels = TYPE_LEVELS.get(school_type, ())
    if level not in levels:
        return 0.0
    kind = SPLIT_KIND.get(school_type)
    weights = fw.units.split.get(kind, {}) if kind else {}
    return weights.get(level, 1.0)


def _students(columns: Collection[str], level: str) -> pl.Expr:
    column = f"students_{level}"
    if column in columns:
        return pl.col(column).cast(pl.Float64)
    return pl.lit(None, dtype=pl.Float64)


def with_weights(schools: pl.LazyFrame, columns: Collection[str], fw: Framework) -> pl.LazyFrame:
    """Add `weight__L` (the split weight of level L for the school's type; 0 if not served)
    and `weighted_total` (Σ weight × students; null when a served level's enrolment is
    unknown, so that shares are never guessed)."""
    weights = [
        pl.col("school_type")
        .replace_strict({t: _weight(fw, t, lv) for t in TYPE_LEVELS}, default=0.0)
        .cast(pl.Float64)
        .alias(f"weight__{lv}")
        for lv in SPLIT_LEVELS
    ]
    frame = schools.with_columns(weights)
    parts = [pl.col(f"weight__{lv}") * _students(columns, lv) for lv in SPLIT_LEVELS]
    unknown = pl.any_horizontal(
        [(pl.col(f"weight__{lv}") > 0) & _students(columns, lv).is_null() for lv in SPLIT_LEVELS]
    )
    total = pl.when(unknown).then(None).otherwise(pl.sum_horizontal(parts))
    return frame.with_columns(total.alias("weighted_total"))


def _level_frame(
    schools: pl.LazyFrame, columns: Collection[str], fw: Framework, level: str
) -> pl.LazyFrame:
    """Units of one level; `schools` already carries the weights from with_weights()."""
    total = pl.col("weighted_total")
    own = pl.col(f"weight__{level}") * _students(columns, level)
    share = pl.when(total > 0).then(own / total).otherwise(None)
    values: list[pl.Expr] = []
    for f in fw.fields:
        if f.key == "students":
            continue
        if f.scope == "level" and level in f.levels:
            values.append(pl.col(f"{f.key}_{level}").cast(pl.Float64).alias(f.key))
        elif f.scope == "level":
            values.append(pl.lit(None, dtype=pl.Float64).alias(f.key))
        elif f.scope == "school":
            values.append((pl.col(f.key).cast(pl.Float64) * share).alias(f.key))
    return schools.filter(pl.col(f"weight__{level}") > 0).select(
        pl.lit(level).alias("level"),
        *values,
        _students(columns, level).alias("students"),
        share.alias("share"),
        pl.col("is_integrated", "is_private", "is_teaching_point"),
        pl.col("_order"),
        pl.col("_county_order"),
        pl.lit(LEVELS.index(level), dtype=pl.Int32).alias("_level_order"),
    )


def exclusion_expr(fw: Framework) -> pl.Expr:
    """Chinese reason a unit is left out of the resource checks and CVs, or null."""
    opts = fw.units
    suffix = "不参加资源配置评估"
    reasons: list[pl.Expr] = []
    if opts.exclude_types:
        excluded_type = pl.col("school_type").is_in(list(opts.exclude_types))
        reasons.append(
            pl.when(excluded_type).then(pl.concat_str(pl.col("school_type"), pl.lit(suffix)))
        )
    if not opts.include_private:
        private = pl.col("ownership") == PRIVATE
        reasons.append(pl.when(private).then(pl.lit(f"民办学校{suffix}")))
    if opts.teaching_point_min_students > 0:
        limit = opts.teaching_point_min_students
        small = (pl.col("school_type") == TEACHING_POINT) & (pl.col("students") < limit)
        reasons.append(pl.when(small).then(pl.lit(f"学生数不足{limit:g}人的教学点{suffix}")))
    if not reasons:
        return pl.lit(None, dtype=pl.Utf8)
    return pl.coalesce(reasons).cast(pl.Utf8)


def build_units(schools: pl.DataFrame, fw: Framework) -> pl.DataFrame:
    """All units of all counties, with exclusion flags and reasons.

    Columns: the info columns, `level`, one column per non-info field (by its base key),
    `students`, `share`, the derived flags, `excluded` and `exclusion_reason`. Units are
    ordered by county (first appearance), level, then the schools' input order.
    """
    if not fw.levels:
        return pl.DataFrame()
    # Numbers travel through filter, concat and sort; the text columns are gathered once.
    columns = set(schools.columns)
    order = pl.int_range(pl.len(), dtype=pl.Int64).alias("_order")
    county_order = pl.int_range(pl.len(), dtype=pl.Int64).min().over("county")
    ordered = schools.lazy().with_columns(order, county_order.alias("_county_order"))
    ordered = ordered.with_columns(school_flags())
    weighted = with_weights(ordered, columns, fw).collect().lazy()  # shared by every level
    frames = [_level_frame(weighted, columns, fw, lv) for lv in fw.levels]
    numbers = pl.concat(frames).sort("_county_order", "_level_order", "_order").collect()
    info = schools.select(
        pl.col(c) if c in columns else pl.lit(None, dtype=pl.Utf8).alias(c) for c in INFO_COLUMNS
    )[numbers["_order"]]
    units = pl.concat(
        [info, numbers.drop("_county_order", "_level_order", "_order")], how="horizontal"
    )
    reason = exclusion_expr(fw).alias("exclusion_reason")
    return units.with_columns(reason).with_columns(
        pl.col("exclusion_reason").is_not_null().alias("excluded")
    )
