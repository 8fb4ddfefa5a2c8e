"""The result workbook: 总体结论, 学校达标情况, 差异系数, 差距测算, 数据问题."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from dudao.engine.gaps import gap_totals
from dudao.engine.results import (
    BELOW,
    MET,
    NEAR,
    STATUS_LABELS,
    VERDICT_LABELS,
    EvaluationResult,
    status_col,
    value_col,
)
from dudao.engine.spec import LEVEL_LABELS

COLOURS = {MET: "#C6EFCE", NEAR: "#FFEB9C", BELOW: "#FFC7CE"}
VERDICT_COLOURS = {"pass": "#C6EFCE", "fail": "#FFC7CE", "incomplete": "#FFEB9C"}
SHEETS = ("总体结论", "学校达标情况", "差异系数", "差距测算", "数据问题")


class _Book:
    def __init__(self, path: Path) -> None:
        self.wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
        self.head = self.wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        self.title = self.wb.add_format({"bold": True, "font_size": 14})
        self.num = self.wb.add_format({"num_format": "0.00"})
        self.cv = self.wb.add_format({"num_format": "0.000"})
        self.money = self.wb.add_format({"num_format": "#,##0"})
        self.pct = self.wb.add_format({"num_format": "0.0%"})
        self.fills = {k: self.wb.add_format({"bg_color": c}) for k, c in COLOURS.items()}
        self.fill_nums = {
            k: self.wb.add_format({"bg_color": c, "num_format": "0.00"}) for k, c in COLOURS.items()
        }
        self.verdicts = {
            k: self.wb.add_format({"bg_color": c, "bold": True}) for k, c in VERDICT_COLOURS.items()
        }

    def sheet(self, name: str, headers: list[str], widths: list[int]) -> Any:
        ws = self.wb.add_worksheet(name)
        ws.write_row(0, 0, headers, self.head)
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        ws.freeze_panes(1, 0)
        return ws


def write_result_workbook(result: EvaluationResult, path: Path) -> None:
    book = _Book(path)
    _summary(book, result)
    _units(book, result)
    _cvs(book, result)
    _gaps(book, result)
    _problems(book, result)
    book.wb.close()


def _summary(book: _Book, result: EvaluationResult) -> None:
    fw = result.framework
    ws = book.sheet("总体结论", ["区县", "结论", "类型", "说明"], [14, 18, 10, 110])
    ws.set_row(0, None)
    row = 1
    for c in result.counties:
        lines = c.reasons or []
        ws.write(row, 0, c.county)
        ws.write(row, 1, VERDICT_LABELS[c.verdict], book.verdicts[c.verdict])
        if not lines:
            ws.write(row, 3, "全部指标达标")
            row += 1
        for r in lines:
            ws.write(
                row, 2, "不达标" if r.failing else ("缺数据" if r.kind == "missing" else "说明")
            )
            ws.write(row, 3, r.message)
            row += 1
        row += 1
    ws.write(row + 1, 0, f"指标体系：{fw.title}（{fw.basis}，版本 {fw.version}）")
    ws.write(row + 2, 0, f"指标体系文件摘要（SHA-256）：{fw.digest}")
    pending = fw.unconfirmed()
    if pending:
        note = "以下取值标注为“待确认”，可在指标体系文件中按本省规定修改："
        ws.write(row + 4, 0, note, book.title)
        for k, label in enumerate(pending, start=row + 5):
            ws.write(k, 0, f"待确认：{label}")


def _units(book: _Book, result: EvaluationResult) -> None:
    fw = result.framework
    inds = fw.indicators
    headers = ["区县", "学校标识码", "学校名称", "学校类型", "学段", "学生数"]
    headers += [f"{i.label}（{i.unit}）" for i in inds] + ["达标项数", "结论", "说明"]
    ws = book.sheet(
        "学校达标情况", headers, [10, 14, 24, 14, 6, 8] + [14] * len(inds) + [8, 10, 30]
    )
    if not result.units.height:
        return
    for r, row in enumerate(result.units.iter_rows(named=True), start=1):
        ws.write_row(
            r, 0, [row["county"], row["school_code"], row["school_name"], row["school_type"]]
        )
        ws.write(r, 4, LEVEL_LABELS[row["level"]])
        _write_num(ws, r, 5, row["students"], None)
        for j, ind in enumerate(inds):
            status = row.get(status_col(ind.key))
            fmt = book.fill_nums.get(status, book.num) if status else book.num
            _write_num(ws, r, 6 + j, row[value_col(ind.key)], fmt)
        col = 6 + len(inds)
        ws.write(r, col, row.get("met_count"))
        ws.write(r, col + 1, _unit_verdict(row))
        ws.write(r, col + 2, row["exclusion_reason"] or "")
    legend = len(result.units) + 2
    for k, (status, label) in enumerate(STATUS_LABELS.items()):
        ws.write(legend + k, 2, label, book.fills[status])


def _unit_verdict(row: dict[str, Any]) -> str:
    if row["excluded"]:
        return "不参评"
    if row.get("passed") is None:
        return "数据不全"
    return "达标" if row["passed"] else "未达标"


def _write_num(ws: Any, r: int, c: int, value: float | None, fmt: Any) -> None:
    if value is None:
        ws.write_blank(r, c, None, fmt)
    else:
        ws.write_number(r, c, value, fmt) if fmt else ws.write_number(r, c, value)


def _cvs(book: _Book, result: EvaluationResult) -> None:
    labels = {i.key: i.label for i in result.framework.indicators}
    headers = [
        "区县",
        "学段",
        "指标",
        "参评单位数",
        "全县均值",
        "差异系数",
        "标准",
        "距标准",
        "结论",
    ]
    ws = book.sheet("差异系数", headers, [10, 6, 32, 10, 12, 10, 8, 10, 8])
    if not result.cv.height:
        return
    for r, row in enumerate(result.cv.iter_rows(named=True), start=1):
        ws.write_row(r, 0, [row["county"], LEVEL_LABELS[row["level"]], labels[row["indicator"]]])
        ws.write(r, 3, row["n"])
        _write_num(ws, r, 4, row["mean"], book.num)
        _write_num(ws, r, 5, row["cv"], book.cv)
        _write_num(ws, r, 6, row["limit"], book.cv)
        gap = None if row["cv"] is None or row["limit"] is None else row["cv"] - row["limit"]
        _write_num(ws, r, 7, gap, book.cv)
        verdict = {True: "达标", False: "未达标", None: "无法计算"}[row["passed"]]
        ws.write(r, 8, verdict, book.fills[MET] if row["passed"] else book.fills[BELOW])
    _contributors(book, ws, result, result.cv.height + 3, labels)


def _contributors(
    book: _Book, ws: Any, result: EvaluationResult, start: int, labels: dict[str, str]
) -> None:
    over = result.cv.filter(pl.col("passed") == False)  # noqa: E712
    if not over.height or not result.contributors.height:
        return
    ws.write(start, 0, "超标差异系数的主要影响学校（按对方差的贡献排序）", book.title)
    heads = ["区县", "学段", "指标", "学校标识码", "学校名称", "学校值", "全县均值", "贡献占比"]
    ws.write_row(start + 1, 0, heads, book.head)
    keys = over.select("county", "level", "indicator")
    rows = result.contributors.join(keys, on=["county", "level", "indicator"])
    for k, row in enumerate(rows.iter_rows(named=True), start=start + 2):
        ws.write_row(k, 0, [row["county"], LEVEL_LABELS[row["level"]], labels[row["indicator"]]])
        ws.write_row(k, 3, [row["school_code"], row["school_name"]])
        _write_num(ws, k, 5, row["value"], book.num)
        _write_num(ws, k, 6, row["mean"], book.num)
        ws.write_number(k, 7, row["share"], book.pct)


def _gaps(book: _Book, result: EvaluationResult) -> None:
    labels = {i.key: i.label for i in result.framework.indicators}
    headers = ["区县", "学校名称", "学段", "指标", "现值", "标准", "差额资源", "缺口", "单位"]
    headers += ["单价（元）", "估算金额（元）", "该校是否达标"]
    ws = book.sheet("差距测算", headers, [10, 24, 6, 30, 10, 10, 18, 12, 8, 12, 16, 12])
    gaps = result.gaps
    for r, row in enumerate(gaps.iter_rows(named=True) if gaps.height else [], start=1):
        ws.write_row(r, 0, [row["county"], row["school_name"], LEVEL_LABELS[row["level"]]])
        ws.write(r, 3, labels[row["indicator"]])
        _write_num(ws, r, 4, row["value"], book.num)
        _write_num(ws, r, 5, row["standard"], book.num)
        ws.write(r, 6, row["resource"])
        _write_num(ws, r, 7, row["missing_whole"], book.num)
        ws.write(r, 8, row["resource_unit"])
        _write_num(ws, r, 9, row["price"], book.money)
        _write_num(ws, r, 10, row["cost"], book.money)
        ws.write(r, 11, {True: "达标", False: "未达标", None: "数据不全"}[row["unit_passed"]])
    if gaps.height:
        _gap_totals(book, ws, gaps, gaps.height + 3)


def _gap_totals(book: _Book, ws: Any, gaps: pl.DataFrame, start: int) -> None:
    ws.write(start, 0, "全县合计", book.title)
    ws.write_row(
        start + 1, 0, ["区县", "差额资源", "涉及单位", "缺口", "单位", "估算金额（元）"], book.head
    )
    for k, row in enumerate(gap_totals(gaps).iter_rows(named=True), start=start + 2):
        ws.write_row(k, 0, [row["county"], row["resource"], row["units"]])
        _write_num(ws, k, 3, row["missing"], book.num)
        ws.write(k, 4, row["resource_unit"])
        _write_num(ws, k, 5, row["cost"], book.money)


def _problems(book: _Book, result: EvaluationResult) -> None:
    ws = book.sheet("数据问题", ["区县", "问题"], [12, 120])
    r = 1
    for c in result.counties:
        for reason in c.reasons:
            if reason.kind == "missing":
                ws.write_row(r, 0, [c.county, reason.message])
                r += 1
    for row in _excluded(result):
        ws.write_row(r, 0, row)
        r += 1


def _excluded(result: EvaluationResult) -> list[list[str]]:
    if not result.units.height:
        return []
    ex = result.units.filter(pl.col("excluded"))
    return [
        [
            row["county"],
            f"{row['school_name']}（{LEVEL_LABELS[row['level']]}）：{row['exclusion_reason']}",
        ]
        for row in ex.iter_rows(named=True)
    ]
