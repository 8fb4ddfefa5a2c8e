"""A readable terminal summary of an evaluation result (rich tables)."""

from __future__ import annotations

import polars as pl
from rich.console import Console
from rich.table import Table

from dudao.engine.gaps import gap_totals
from dudao.engine.results import VERDICT_LABELS, CountyResult, EvaluationResult
from dudao.engine.spec import LEVEL_LABELS

VERDICT_STYLES = {"pass": "bold green", "fail": "bold red", "incomplete": "bold yellow"}
MAX_LINES = 12


def print_summary(console: Console, result: EvaluationResult) -> None:
    fw = result.framework
    console.print(f"[bold]{fw.title}[/]（{fw.basis}）  共 {len(result.counties)} 个区县")
    if fw.status == "TEMPLATE":
        console.print("[yellow]注意：该指标体系是示例模板，须按本省文件修改后使用。[/]")
    pending = fw.unconfirmed()
    if pending:
        console.print(
            f"[yellow]有 {len(pending)} 处取值标注为“待确认”，可在指标体系文件中按本省规定修改"
            "（详见结果工作簿“总体结论”）。[/]"
        )
    overview = Table(
        "区县", "结论", "参评单位", "未达标单位", "差异系数超标", "未达标项目", "缺数据"
    )
    for c in result.counties:
        overview.add_row(*_overview_row(result, c))
    console.print(overview)
    for c in result.counties[:MAX_LINES]:
        _county_detail(console, result, c)
    if len(result.counties) > MAX_LINES:
        console.print(f"（另有 {len(result.counties) - MAX_LINES} 个区县，详见结果工作簿或 JSON）")


def _overview_row(result: EvaluationResult, c: CountyResult) -> list[str]:
    units = sum(lv.units - lv.excluded for lv in c.levels)
    failed = sum(lv.failed for lv in c.levels)
    cv_over = sum(1 for r in c.reasons if r.kind == "cv")
    items = sum(1 for r in c.reasons if r.kind in ("item", "veto"))
    missing = sum(1 for r in c.reasons if r.kind == "missing")
    verdict = f"[{VERDICT_STYLES[c.verdict]}]{VERDICT_LABELS[c.verdict]}[/]"
    return [c.county, verdict, str(units), str(failed), str(cv_over), str(items), str(missing)]


def _county_detail(console: Console, result: EvaluationResult, c: CountyResult) -> None:
    style = VERDICT_STYLES[c.verdict]
    console.print(f"\n[bold]{c.county}[/]：[{style}]{VERDICT_LABELS[c.verdict]}[/]")
    for lv in c.levels:
        if lv.applicable:
            console.print(
                f"  {LEVEL_LABELS[lv.level]}：参评 {lv.units - lv.excluded} 个单位，"
                f"未达标 {lv.failed} 个，数据不全 {lv.incomplete} 个，不参评 {lv.excluded} 个"
            )
    if c.score and c.score.score is not None:
        console.print(f"  得分 {c.score.score:.2f}，等级 {c.score.grade}")
    failing = [r for r in c.reasons if r.failing]
    missing = [r for r in c.reasons if r.kind == "missing"]
    for r in failing[:MAX_LINES]:
        console.print(f"  [red]✗[/] {r.message}")
    if len(failing) > MAX_LINES:
        console.print(f"  …… 另有 {len(failing) - MAX_LINES} 条未达标原因")
    for r in missing[:MAX_LINES]:
        console.print(f"  [yellow]?[/] {r.message}")
    if len(missing) > MAX_LINES:
        console.print(f"  …… 另有 {len(missing) - MAX_LINES} 条缺数据")
    _gap_lines(console, result, c.county)


def _gap_lines(console: Console, result: EvaluationResult, county: str) -> None:
    if not result.gaps.height:
        return
    totals = gap_totals(result.gaps.filter(pl.col("county") == county))
    if not totals.height:
        return
    console.print("  差距测算（未达标指标补足到标准）：")
    for row in totals.iter_rows(named=True):
        cost = "未设单价" if row["cost"] is None else f"约 {row['cost'] / 10000:,.1f} 万元"
        console.print(
            f"    {row['resource']}：缺 {row['missing']:,.1f} {row['resource_unit']}"
            f"（{row['units']} 个单位），{cost}"
        )
