"""Unit construction (参评单位): one unit per school per level it serves.

九年一贯制 / 十二年一贯制 / 完全中学 are split into sections. Fields reported per section
(scope = "level") are taken from the section's own column; whole-school fields
(scope = "school") are apportioned by weighted enrolment with the framework's split weights.
"""

from __future__ import annotations

import polars as pl

from dudao.engine.schooltypes import (
    INTEGRATED_TYPES,
    PRIVATE,
    SPLIT_KIND,
    TEACHING_POINT,
    TYPE_LEVELS,
)
from dudao.engine.spec import LEVEL_LABELS, Framework

UNIT_KEYS = ["county", "school_code", "school_name", "school_type", "ownership", "level"]
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


def share_expr(fw: Framework, level: str) -> pl.Expr:
    """Share of whole-school resources belonging to `level` (null when enrolment is unknown)."""
    branches: list[pl.Expr] = []
    for school_type, levels in TYPE_LEVELS.items():
        if level not in levels:
            continue
        if len(levels) == 1:
            branch = pl.lit(1.0)
        else:
            parts = [_weight(fw, school_type, lv) * pl.col(f"students_{lv}") for lv in levels]
            total = pl.sum_horizontal(parts)
            any_null = pl.any_horizontal([pl.col(f"students_{lv}").is_null() for lv in levels])
            own = _weight(fw, school_type, level) * pl.col(f"students_{level}")
            branch = pl.when(any_null | (total == 0)).then(None).otherwise(own / total)
        branches.append(pl.when(pl.col("school_type") == school_type).then(branch))
    if not branches:
        return pl.lit(None, dtype=pl.Float64)
    return pl.coalesce(branches).cast(pl.Float64)


def _level_frame(schools: pl.DataFrame, fw: Framework, level: str) -> pl.DataFrame:
    serving = [t for t, lvs in TYPE_LEVELS.items() if level in lvs]
    share = share_expr(fw, level)
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
    info = [
        pl.col(c) if c in schools.columns else pl.lit(None, dtype=pl.Utf8).alias(c)
        for c in INFO_COLUMNS
    ]
    students = (
        pl.col(f"students_{level}").cast(pl.Float64)
        if f"students_{level}" in schools.columns
        else pl.lit(None, dtype=pl.Float64)
    )
    return schools.filter(pl.col("school_type").is_in(serving)).select(
        *info,
        pl.lit(level).alias("level"),
        *values,
        students.alias("students"),
        share.alias("share"),
        *school_flags(),
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
    `students`, `share`, the derived flags, `excluded` and `exclusion_reason`.
    """
    frames = [_level_frame(schools, fw, level) for level in fw.levels]
    if not frames:
        return pl.DataFrame()
    units = pl.concat(frames, how="vertical")
    level_order = pl.col("level").replace_strict(
        {lv: i for i, lv in enumerate(LEVEL_LABELS)}, return_dtype=pl.Int32
    )
    units = units.with_columns(exclusion_expr(fw).alias("exclusion_reason"))
    return units.with_columns(pl.col("exclusion_reason").is_not_null().alias("excluded")).sort(
        "county", level_order, "school_code", maintain_order=True
    )
