"""Evaluate a framework over schools and county inputs: the three-state verdict with reasons."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from dudao.engine.gaps import cv_contributors, unit_gaps
from dudao.engine.indicators import evaluate_units, weighted_cv
from dudao.engine.items import CountyValues, evaluate_items, evaluate_vetoes, show
from dudao.engine.results import (
    FAIL,
    INCOMPLETE,
    PASS,
    STATUS_LABELS,
    CountyResult,
    EvaluationResult,
    LevelInfo,
    Reason,
    status_col,
    value_col,
)
from dudao.engine.scoring import score_county
from dudao.engine.spec import LEVEL_LABELS, Framework
from dudao.engine.units import build_units, with_school_derived

MAX_UNIT_REASONS = 50


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
        contributors = cv_contributors(units, cv, fw)
    else:
        cv = gaps = contributors = pl.DataFrame()
    by_units, by_cv, by_school = _split(units), _split(cv), _split(school_frame)
    empty = pl.DataFrame()
    results = [
        _county(
            fw,
            name,
            units=by_units.get(name, empty),
            cv=by_cv.get(name, empty),
            schools=by_school.get(name, school_frame.clear()),
            values=values.get(name, {}),
        )
        for name in _county_names(school_frame, values)
    ]
    return EvaluationResult(fw, units, cv, gaps, contributors, results, price_map)


def _split(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Partition a frame by county once (not one filter per county)."""
    if not frame.height:
        return {}
    parts = frame.partition_by("county", as_dict=True, maintain_order=True)
    return {str(key[0]): part for key, part in parts.items()}


def _prepare_schools(schools: pl.DataFrame | None) -> pl.DataFrame:
    if schools is None or schools.height == 0:
        return pl.DataFrame(schema={"county": pl.Utf8, "school_type": pl.Utf8})
    return with_school_derived(schools)


def _county_names(schools: pl.DataFrame, values: Mapping[str, CountyValues]) -> list[str]:
    names = schools["county"].unique(maintain_order=True).to_list() if schools.height else []
    return names + [n for n in values if n not in names]


def _county(
    fw: Framework,
    county: str,
    *,
    units: pl.DataFrame,
    cv: pl.DataFrame,
    schools: pl.DataFrame,
    values: CountyValues,
) -> CountyResult:
    result = CountyResult(county=county, verdict=INCOMPLETE)
    u, c = units, cv
    if fw.levels:
        result.levels = [_level(fw, lv, u, c, result.reasons) for lv in fw.levels]
        result.reasons.extend(_unit_reasons(fw, u))
        result.reasons.extend(_cv_reasons(fw, c))
    result.items = evaluate_items(fw, values, schools)
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


def _level(
    fw: Framework, level: str, units: pl.DataFrame, cv: pl.DataFrame, reasons: list[Reason]
) -> LevelInfo:
    lu = units.filter(pl.col("level") == level) if units.height else units
    label = LEVEL_LABELS[level]
    included = lu.filter(~pl.col("excluded")) if lu.height else lu
    info = LevelInfo(
        level=level,
        units=lu.height,
        excluded=lu.height - included.height,
        incomplete=included.filter(pl.col("passed").is_null()).height if fw.unit_rule else 0,
        failed=included.filter(pl.col("passed") == False).height if fw.unit_rule else 0,  # noqa: E712
        applicable=included.height > 0,
    )
    if not info.applicable:
        reasons.append(Reason("level", f"{label}：没有参评学校，该学段不适用", False))
        return info
    if included.height == 1:
        reasons.append(Reason("level", f"{label}：只有 1 个参评单位，差异系数为 0", False))
    if fw.balance and fw.balance.mode == "composite":
        return _composite(fw, level, info, cv, reasons)
    return info


def _composite(
    fw: Framework, level: str, info: LevelInfo, cv: pl.DataFrame, reasons: list[Reason]
) -> LevelInfo:
    assert fw.balance is not None
    values = cv.filter(pl.col("level") == level)["cv"].to_list() if cv.height else []
    label, limit = LEVEL_LABELS[level], fw.balance.limit[level]
    if len(values) < len(fw.indicators) or any(v is None for v in values):
        reasons.append(Reason("missing", f"{label}综合差异系数：部分单项差异系数无法计算", False))
        return info
    composite = sum(values) / len(values)
    passed = composite <= limit
    if not passed:
        msg = f"{label}综合差异系数 {composite:.3f} 超过标准 {limit:.2f}"
        reasons.append(Reason("cv", msg, True))
    return LevelInfo(**{**info.__dict__, "composite_cv": composite, "composite_passed": passed})


def _unit_reasons(fw: Framework, units: pl.DataFrame) -> list[Reason]:
    """Failing units first, then incomplete ones; each list capped with a count of the rest."""
    if not units.height or fw.unit_rule is None:
        return []
    included = units.filter(~pl.col("excluded"))
    out: list[Reason] = []
    for cond, label in ((~pl.col("passed"), "未达标"), (pl.col("passed").is_null(), "数据不全")):
        rows = included.filter(cond)
        for row in rows.head(MAX_UNIT_REASONS).iter_rows(named=True):
            out.extend(_one_unit(fw, row))
        if rows.height > MAX_UNIT_REASONS:
            rest = rows.height - MAX_UNIT_REASONS
            kind, failing = ("unit", True) if label == "未达标" else ("missing", False)
            out.append(Reason(kind, f"另有 {rest} 个单位{label}，详见结果工作簿", failing))
    return out


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


def _cv_reasons(fw: Framework, cv: pl.DataFrame) -> list[Reason]:
    if not cv.height or fw.balance is None or fw.balance.mode != "each":
        return []
    labels = {i.key: i.label for i in fw.indicators}
    out = []
    for row in cv.iter_rows(named=True):
        name = f"{LEVEL_LABELS[row['level']]}{labels[row['indicator']]}的差异系数"
        if row["passed"] is None:
            out.append(Reason("missing", f"{name}无法计算：没有有效数据", False))
        elif row["cv"] is None:
            out.append(Reason("cv", f"{name}无法计算：全县均值为 0", True))
        elif not row["passed"]:
            msg = f"{name} {row['cv']:.3f} 超过标准 {row['limit']:.2f}"
            out.append(Reason("cv", msg, True))
    return out


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
