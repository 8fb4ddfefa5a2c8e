"""Rectification findings (整改问题) from an evaluation result: what the county must fix.

Input is the JSON dict of an evaluation (`dudao.engine.report.to_json_dict`, stored as
`evaluation.Run.result`). Every problem becomes a :class:`Finding` with a stable key, so that the
platform can create one rectification item per finding and skip those it already has:

- ``indicator:<school_code>:<level>:<indicator>`` — an unmet indicator of an evaluated unit (also
  of a unit that passed overall under the 6-of-7 rule: the gap is still there); the measures come
  from the gap estimate (算清三笔账) where the framework has one;
- ``data:<school_code>:<level>`` — a unit that could not be evaluated for missing data (数据不全;
  units excluded by the framework's rules, e.g. small teaching points, give no finding);
- ``cv:<level>:<indicator>`` — a failing CV (差异系数), or ``cv:<level>:composite`` for the
  composite CV; the measures name the units that pull it up most;
- ``item:<item_key>`` — a failing county item (county or school scope);
- ``veto:<veto_key>`` — a triggered veto (一票否决);
- ``point:<point_key>`` — a test point of a scored framework (履行教育职责评价) that lost points,
  with its deductions.

Items and vetoes without data (unknown, not failing) give no finding. Order: per county in result
order — units (result order, indicators in framework order), units with missing data, CVs (level
order, then framework order), items, vetoes, test points. Keys are unique within one county;
pass `county=` for a result with several counties.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dudao.engine.items import show
from dudao.engine.scoring import format_number
from dudao.engine.spec import LEVEL_LABELS, Framework, FrameworkError, load_framework

UNMET = ("near", "below")
WAN = 10_000.0  # 万元
WHOLE_UNITS = ("人", "间", "台", "册")


@dataclass(frozen=True)
class Finding:
    """One problem an evaluation found; `key` is stable across re-runs of the same data."""

    key: str
    institution_code: str | None  # None for county-level findings
    level: str | None
    problem: str
    measures: str


@dataclass(frozen=True)
class _Labels:
    """Indicator labels, units and standards from the framework (keys when it is unknown)."""

    framework: Framework | None

    def label(self, key: str) -> str:
        ind = self._indicator(key)
        return ind.label if ind else key

    def unit(self, key: str) -> str:
        ind = self._indicator(key)
        return ind.unit if ind else ""

    def standard(self, key: str, level: str) -> float | None:
        ind = self._indicator(key)
        return ind.standard.get(level) if ind else None

    def order(self, keys: list[str]) -> list[str]:
        known = [i.key for i in self.framework.indicators] if self.framework else []
        return [k for k in known if k in keys] + sorted(k for k in keys if k not in known)

    def _indicator(self, key: str) -> Any:
        if self.framework is None:
            return None
        return next((i for i in self.framework.indicators if i.key == key), None)


def findings_from_result(
    result: Mapping[str, object], framework: Framework | None = None, county: str | None = None
) -> list[Finding]:
    """Every finding of the result, in a deterministic order (see the module docstring).

    `framework` defaults to the shipped framework named in the result (labels and standards);
    `county` restricts the findings to one county of the result.
    """
    data: Any = result
    labels = _Labels(framework or _framework(str(data["framework"]["code"])))
    findings: list[Finding] = []
    for c in data["counties"]:
        if county is not None and c["county"] != county:
            continue
        units = [u for u in data["units"] if u["county"] == c["county"]]
        findings += _unit_findings(units, c["gaps"]["units"], labels)
        findings += _data_findings(units, labels)
        findings += _cv_findings(c, labels)
        findings += _item_findings(c)
        findings += _point_findings(c)
    return findings


def _framework(code: str) -> Framework | None:
    try:
        return load_framework(code)
    except (FrameworkError, OSError):
        return None


def _name(unit: Mapping[str, Any]) -> str:
    level = str(unit["level"])
    return f"{unit['school_name']}（{LEVEL_LABELS.get(level, level)}）"


def _evaluated(unit: Mapping[str, Any]) -> bool:
    return not unit["excluded"] and unit["passed"] is not None


# ---------------------------------------------------------------- units


def _unit_findings(
    units: list[dict[str, Any]], gaps: list[dict[str, Any]], labels: _Labels
) -> Iterator[Finding]:
    by_unit = {(g["school_code"], g["level"], g["indicator"]): g for g in gaps}
    for unit in filter(_evaluated, units):
        code, level = unit["school_code"], unit["level"]
        for key in labels.order(list(unit["status"])):
            status = unit["status"][key]
            if status not in UNMET:
                continue
            gap = by_unit.get((code, level, key))
            yield Finding(
                f"indicator:{code}:{level}:{key}",
                code,
                level,
                _unmet(unit, key, status, gap, labels),
                _measures(gap) if gap else "",
            )


def _unmet(
    unit: Mapping[str, Any], key: str, status: str, gap: Mapping[str, Any] | None, labels: _Labels
) -> str:
    """E.g. "石桥镇中心小学（小学）生均体育运动场馆面积 5.16 平方米，未达到 7.5 平方米的标准"."""
    unit_label = labels.unit(key)
    standard = gap["standard"] if gap else labels.standard(key, unit["level"])
    text = f"{_name(unit)}{labels.label(key)} {show(unit['values'][key])} {unit_label}".rstrip()
    if standard is not None:
        text += f"，未达到 {show(standard)} {unit_label}".rstrip() + "的标准"
    else:
        text += "，未达到标准"
    return text + ("（低于标准的 85%）" if status == "below" else "")


def _measures(gap: Mapping[str, Any]) -> str:
    """E.g. "需增加体育运动场馆约 320 平方米，约 12.8 万元"."""
    quantity = gap["missing_whole"]
    if quantity is None or quantity <= 0:
        return ""
    unit = gap["resource_unit"]
    amount = f"{quantity:,.0f}" if unit in WHOLE_UNITS or quantity >= 100 else show(quantity)
    text = f"需增加{gap['resource']}{' ' if unit in WHOLE_UNITS else '约 '}{amount} {unit}"
    cost = gap["cost"]
    if cost and unit != "元":
        text += f"，约 {_money(cost)}"
    return text


def _money(yuan: float) -> str:
    if yuan >= WAN:
        return f"{show(round(yuan / WAN, 1))} 万元"
    return f"{yuan:,.0f} 元"


def _data_findings(units: list[dict[str, Any]], labels: _Labels) -> Iterator[Finding]:
    for unit in units:
        if unit["excluded"] or unit["passed"] is not None:
            continue
        code, level = unit["school_code"], unit["level"]
        if not unit["students"]:
            problem = f"{_name(unit)}在校学生数为空或为 0，无法评估"
        else:
            missing = [labels.label(k) for k, v in unit["values"].items() if v is None]
            problem = f"{_name(unit)}数据不全，无法评估：缺少{'、'.join(labels.order(missing))}"
        yield Finding(f"data:{code}:{level}", code, level, problem, "补齐数据后重新评估")


# ---------------------------------------------------------------- county


def _cv_findings(county: Mapping[str, Any], labels: _Labels) -> Iterator[Finding]:
    limits = county["cv_limits"]
    contributors = county["gaps"]["cv_contributors"]
    if county["composite_cv"] is not None:
        for info in county["levels"]:
            if info["composite_passed"] is False:
                level = info["level"]
                problem = (
                    f"{LEVEL_LABELS.get(level, level)}综合差异系数 {info['composite_cv']:.3f}"
                    f" 超过标准 {limits[level]:.2f}"
                )
                yield Finding(f"cv:{level}:composite", None, level, problem, "")
        return
    for info in county["levels"]:
        level = info["level"]
        passed = county["cv_passed"].get(level, {})
        for key in labels.order([k for k, v in passed.items() if v is False]):
            cv = county["cv"][level][key]
            name = f"{LEVEL_LABELS.get(level, level)}{labels.label(key)}的差异系数"
            problem = (
                f"{name}无法计算：全县均值为 0"
                if cv is None
                else f"{name} {cv:.3f} 超过标准 {limits[level]:.2f}"
            )
            pulling = [
                c["school_name"]
                for c in contributors
                if c["level"] == level and c["indicator"] == key
            ]
            measures = f"重点缩小{'、'.join(pulling)}与全县均值的差距" if pulling else ""
            yield Finding(f"cv:{level}:{key}", None, level, problem, measures)


def _item_findings(county: Mapping[str, Any]) -> Iterator[Finding]:
    for item in county["items"]:
        if item["passed"] is False:
            problem = f"{item['group']}“{item['label']}”未达标：{item['detail']}"
            yield Finding(f"item:{item['key']}", None, None, problem, "")
    for veto in county["vetoes"]:
        if veto["triggered"] is True:
            yield Finding(f"veto:{veto['key']}", None, None, f"一票否决：{veto['label']}", "")


def _point_findings(county: Mapping[str, Any]) -> Iterator[Finding]:
    for point in (county["score"] or {}).get("points", []):
        deductions = point["deductions"]
        if deductions:
            lost = format_number(sum(points for _, points in deductions))
            reasons = "；".join(reason for reason, _ in deductions)
            problem = f"{point['group']}“{point['label']}”扣 {lost} 分：{reasons}"
            yield Finding(f"point:{point['key']}", None, None, problem, "")
