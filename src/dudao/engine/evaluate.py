"""Evaluate a framework over schools and county inputs: the three-state verdict with reasons.

Every rule is computed in whole-table passes (all counties at once); the per-county loop only
assembles the results, so a national run of thousands of counties stays fast.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from dudao.engine.gaps import cv_contributors, unit_gaps
from dudao.engine.indicators import evaluate_units, weighted_cv
from dudao.engine.items import (
    CountyValues,
    evaluate_county_items,
    evaluate_school_items,
    evaluate_vetoes,
    show,
)
from dudao.engine.results import (
    FAIL,
    INCOMPLETE,
    PASS,
    STATUS_LABELS,
    CountyResult,
    EvaluationResult,
    ItemResult,
    LevelInfo,
    Reason,
    status_col,
    value_col,
)
from dudao.engine.scoring import score_county
from dudao.engine.spec import LEVEL_LABELS, Framework
from dudao.engine.units import build_units, with_school_derived

MAX_UNIT_REASONS = 50
Reasons = dict[str, list[Reason]]


def evaluate(
    fw: Framework,
    schools: pl.DataFrame | None,
    county_values: Mapping[str, CountyValues] | None = None,
    prices: Mapping[str, float] | None = None,
) -> EvaluationResult:
    """Evaluate every county found in `schools` (or in `county_values` when there are none)."""
    values = dict(county_values or {})
    price_map = {p.key: p.value for p in fw.prices} | dict(prices or {})
    school_frame = _prepare_schools(schools)
    units = build_units(school_frame, fw) if fw.levels and school_frame.height else pl.DataFrame()
    if units.height:
        units = evaluate_units(units, fw)
        cv = weighted_cv(units, fw)
        gaps = unit_gaps(units, fw, price_map)
        contributors = cv_contributors(units, fw)
    else:
        cv = gaps = contributors = pl.DataFrame()
    names = _county_names(school_frame, values)
    reasons: Reasons = {n: [] for n in names}
    levels = _levels(fw, units, cv, names, reasons)
    _unit_reasons(fw, units, reasons)
    _cv_reasons(fw, cv, reasons)
    school_items = evaluate_school_items(fw, school_frame)
    results = [
        _county(
            fw,
            n,
            levels=levels[n],
            reasons=reasons[n],
            school_items=school_items.get(n, {}),
            values=values.get(n, {}),
        )
        for n in names
    ]
    return EvaluationResult(fw, units, cv, gaps, contributors, results, price_map)


def _prepare_schools(schools: pl.DataFrame | None) -> pl.DataFrame:
    if schools is None or schools.height == 0:
        return pl.DataFrame(schema={"county": pl.Utf8, "school_type": pl.Utf8})
    return with_school_derived(schools)


def _county_names(schools: pl.DataFrame, values: Mapping[str, CountyValues]) -> list[str]:
    names = schools["county"].unique(maintain_order=True).to_list() if schools.height else []
    known = set(names)
    return names + [n for n in values if n not in known]


def _county(
    fw: Framework,
    county: str,
    *,
    levels: list[LevelInfo],
    reasons: list[Reason],
    school_items: Mapping[str, ItemResult],
    values: CountyValues,
) -> CountyResult:
    result = CountyResult(county=county, verdict=INCOMPLETE, reasons=reasons, levels=levels)
    result.items = evaluate_county_items(fw, values, school_items)
    result.vetoes = evaluate_vetoes(fw, values)
    result.reasons.extend(_item_reasons(result))
    if fw.scoring:
        result.score = score_county(fw, values)
        result.reasons.extend(_score_reasons(fw, result))
    result.verdict = _verdict(result.reasons)
    return result


def _verdict(reasons: list[Reason]) -> str:
    if any(r.failing for r in reasons):
        return FAIL
    if any(r.kind == "missing" for r in reasons):
        return INCOMPLETE
    return PASS


# ---------------------------------------------------------------- levels


def _level_stats(units: pl.DataFrame) -> dict[tuple[str, str], dict[str, int]]:
    if not units.height:
        return {}
    inc = ~pl.col("excluded")
    stats = units.group_by("county", "level").agg(
        pl.len().alias("units"),
        pl.col("excluded").sum().alias("excluded"),
        (inc & pl.col("passed").is_null()).sum().alias("incomplete"),
        (inc & (pl.col("passed") == False)).sum().alias("failed"),  # noqa: E712
    )
    return {(r.pop("county"), r.pop("level")): r for r in stats.iter_rows(named=True)}


def _composites(cv: pl.DataFrame) -> dict[tuple[str, str], tuple[float | None, int]]:
    """Mean of the single CVs per county × level, and how many of them are missing."""
    if not cv.height:
        return {}
    agg = cv.group_by("county", "level").agg(
        pl.col("cv").mean().alias("mean"), pl.col("cv").null_count().alias("missing")
    )
    return {(r["county"], r["level"]): (r["mean"], r["missing"]) for r in agg.iter_rows(named=True)}


def _levels(
    fw: Framework, units: pl.DataFrame, cv: pl.DataFrame, names: list[str], reasons: Reasons
) -> dict[str, list[LevelInfo]]:
    stats = _level_stats(units)
    composite = fw.balance is not None and fw.balance.mode == "composite"
    composites = _composites(cv) if composite else {}
    out: dict[str, list[LevelInfo]] = {}
    for county in names:
        infos = []
        for level in fw.levels:
            s = stats.get(
                (county, level), {"units": 0, "excluded": 0, "incomplete": 0, "failed": 0}
            )
            info = LevelInfo(
                level=level,
                units=s["units"],
                excluded=s["excluded"],
                incomplete=s["incomplete"],
                failed=s["failed"],
                applicable=s["units"] > s["excluded"],
            )
            info = _level_notes(fw, info, composites.get((county, level)), reasons[county])
            infos.append(info)
        out[county] = infos
    return out


def _level_notes(
    fw: Framework,
    info: LevelInfo,
    composite: tuple[float | None, int] | None,
    reasons: list[Reason],
) -> LevelInfo:
    label = LEVEL_LABELS[info.level]
    if not info.applicable:
        reasons.append(Reason("level", f"{label}：没有参评学校，该学段不适用", False))
        return info
    if info.units - info.excluded == 1:
        reasons.append(Reason("level", f"{label}：只有 1 个参评单位，差异系数按 0 计", False))
    if fw.balance is None or fw.balance.mode != "composite":
        return info
    limit = fw.balance.limit[info.level]
    if composite is None or composite[1] > 0 or composite[0] is None:
        reasons.append(Reason("missing", f"{label}综合差异系数：部分单项差异系数无法计算", False))
        return info
    value = composite[0]
    if value > limit:
        msg = f"{label}综合差异系数 {value:.3f} 超过标准 {limit:.2f}"
        reasons.append(Reason("cv", msg, True))
    return LevelInfo(**{**info.__dict__, "composite_cv": value, "composite_passed": value <= limit})


# ---------------------------------------------------------------- units and CVs


def _unit_reasons(fw: Framework, units: pl.DataFrame, reasons: Reasons) -> None:
    """Failing units first, then incomplete ones; at most MAX_UNIT_REASONS each per county."""
    if not units.height or fw.unit_rule is None:
        return
    included = units.filter(~pl.col("excluded"))
    kinds = (
        (~pl.col("passed"), "未达标", "unit"),
        (pl.col("passed").is_null(), "数据不全", "missing"),
    )
    for cond, label, kind in kinds:
        rows = included.filter(cond).with_columns(
            pl.int_range(pl.len()).over("county").alias("_rank"),
            pl.len().over("county").alias("_count"),
        )
        for row in rows.filter(pl.col("_rank") < MAX_UNIT_REASONS).iter_rows(named=True):
            county = reasons[row["county"]]
            county.extend(_one_unit(fw, row))
            if row["_rank"] == MAX_UNIT_REASONS - 1 and row["_count"] > MAX_UNIT_REASONS:
                rest = row["_count"] - MAX_UNIT_REASONS
                msg = f"另有 {rest} 个单位{label}，详见结果工作簿"
                county.append(Reason(kind, msg, kind == "unit"))


def _unit_name(row: Mapping[str, object]) -> str:
    return f"{row['school_name']}（{LEVEL_LABELS[str(row['level'])]}）"


def _one_unit(fw: Framework, row: Mapping[str, object]) -> list[Reason]:
    name = _unit_name(row)
    students = row["students"]
    if students is None or students == 0:
        return [Reason("missing", f"{name}：在校学生数为空或为 0，无法计算指标", False)]
    missing = [i.label for i in fw.indicators if row[value_col(i.key)] is None]
    if row["passed"] is None:
        return [Reason("missing", f"{name}：缺少数据（{'、'.join(missing)}）", False)]
    details = []
    for ind in fw.indicators:
        status = row.get(status_col(ind.key))
        if status in (None, "met"):
            continue
        value, std = row[value_col(ind.key)], ind.standard[str(row["level"])]
        assert value is None or isinstance(value, float)
        details.append(
            f"{ind.label} {show(value)}{ind.unit}，标准 {show(std)}{ind.unit}"
            f"（{STATUS_LABELS[str(status)]}）"
        )
    met = row["met_count"]
    return [Reason("unit", f"{name}未达标：达标 {met} 项；" + "；".join(details), True)]


def _cv_reasons(fw: Framework, cv: pl.DataFrame, reasons: Reasons) -> None:
    if not cv.height or fw.balance is None or fw.balance.mode != "each":
        return
    labels = {i.key: i.label for i in fw.indicators}
    for row in cv.filter(pl.col("passed").is_null() | ~pl.col("passed")).iter_rows(named=True):
        name = f"{LEVEL_LABELS[row['level']]}{labels[row['indicator']]}的差异系数"
        if row["passed"] is None:
            reason = Reason("missing", f"{name}无法计算：没有有效数据", False)
        elif row["cv"] is None:
            reason = Reason("cv", f"{name}无法计算：全县均值为 0", True)
        else:
            reason = Reason("cv", f"{name} {row['cv']:.3f} 超过标准 {row['limit']:.2f}", True)
        reasons[row["county"]].append(reason)


def _item_reasons(result: CountyResult) -> list[Reason]:
    out = []
    for item in result.items:
        if item.passed is None:
            out.append(Reason("missing", f"{item.group}“{item.label}”：{item.detail}", False))
        elif not item.passed:
            out.append(Reason("item", f"{item.group}“{item.label}”未达标：{item.detail}", True))
    for veto in result.vetoes:
        if veto.triggered is None:
            out.append(Reason("missing", f"一票否决“{veto.label}”：未填报", False))
        elif veto.triggered:
            out.append(Reason("veto", f"一票否决：{veto.label}", True))
    return out


def _score_reasons(fw: Framework, result: CountyResult) -> list[Reason]:
    score = result.score
    assert score is not None and fw.scoring is not None
    if score.score is None or score.grade is None:
        missing = "、".join(score.missing)
        return [Reason("missing", f"评分或等级无法确定，缺少数据：{missing}", False)]
    failing = score.grade == fw.scoring.bands[-1][0]
    msg = f"得分 {score.score:.2f}，等级 {score.grade}"
    if score.rules_applied:
        msg += "（" + "；".join(score.rules_applied) + "）"
    return [Reason("score", msg, failing)]
