"""Writing the .xlsx collection template, optionally filled with school and county data."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from dudao.engine.spec import LEVEL_LABELS, CountyField, FieldSpec, Framework
from dudao.engine.tables.conventions import (
    COUNTY_SHEET,
    GUIDE_SHEET,
    MANDATORY_INFO,
    SCHOOLS_SHEET,
    TEMPLATE_ROWS,
    WAN,
    CountyValues,
    _must,
    _not_serving,
    _title,
)
from dudao.engine.tables.guide import _write_guide


def _formats(book: Any) -> dict[str, Any]:
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    head = {**base, "bold": True, "text_wrap": True, "border": 1, "align": "center"}
    return {
        "head": book.add_format({**head, "bg_color": "#DDEBF7"}),
        "must": book.add_format({**head, "bg_color": "#FCE4D6"}),
        "key": book.add_format({**base, "font_size": 8, "font_color": "#808080", "border": 1}),
        "text": book.add_format({**base, "text_wrap": True}),
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "bold": book.add_format({**base, "bold": True}),
    }


def _comment(f: FieldSpec, level: str | None) -> str:
    notes = [f.help] if f.help else []
    if level is not None:
        notes.append(f"只由开设{LEVEL_LABELS[level]}学段的学校填写，其他学校留空。")
    if f.choices:
        notes.append("可选：" + "、".join(f.choices))
    if f.integer:
        notes.append("填写整数。")
    if f.wan_convertible and WAN not in f.help:
        notes.append("也可把表头单位改为“万元”后按万元填写。")
    notes.append(_fill_note(f))
    return "\n".join(n for n in notes if n)


def _fill_note(f: FieldSpec) -> str:
    if f.key in MANDATORY_INFO:
        return "必须填写。"
    keep = "此列必须保留。" if f.required else ""
    return keep if f.scope == "info" else keep + "不知道请留空，不要填 0。"


def _validation(f: FieldSpec, label: str) -> dict[str, Any] | None:
    title = label[:32]
    if f.choices:
        listed = "、".join(f.choices)
        return {
            "validate": "list",
            "source": list(f.choices),
            "input_title": title,
            "input_message": "请从下拉列表中选择。"[:255],
            "error_title": "输入有误",
            "error_message": f"请从下拉列表中选择：{listed}"[:255],
        }
    if f.scope == "info":
        return None
    kind, what = ("integer", "整数") if f.integer else ("decimal", "数字")
    unit = f"，单位：{f.unit}" if f.unit else ""
    return {
        "validate": kind,
        "criteria": ">=",
        "value": 0,
        "input_title": title,
        "input_message": f"填写不小于 0 的{what}{unit}；不知道请留空。",
        "error_title": "输入有误",
        "error_message": f"请填写不小于 0 的{what}{unit}。不知道的数据请留空，不要填 0。",
    }


def _write_schools(
    ws: Any, fw: Framework, fmt: dict[str, Any], schools: pl.DataFrame | None
) -> None:
    columns = fw.field_columns()
    last = 1 + max(TEMPLATE_ROWS, schools.height if schools is not None else 0)
    for j, (f, key, label, level) in enumerate(columns):
        title = _title(label, f.unit)
        ws.write_string(0, j, title, fmt["must" if _must(f) else "head"])
        ws.write_string(1, j, key, fmt["key"])
        note = _comment(f, level)
        if note:
            ws.write_comment(0, j, note, {"x_scale": 2, "y_scale": 1.5})
        ws.set_column(j, j, min(max(10, len(title) * 2 + 2), 30))
        rule = _validation(f, label)
        if rule is not None:
            ws.data_validation(2, j, last, j, rule)
    ws.set_row(0, 48)
    keys = [key for _f, key, _l, _lv in columns]
    ws.freeze_panes(2, keys.index("school_name") + 1 if "school_name" in keys else 0)
    if schools is not None:
        _write_school_rows(ws, columns, schools)


def _write_school_rows(
    ws: Any, columns: list[tuple[FieldSpec, str, str, str | None]], schools: pl.DataFrame
) -> None:
    types = schools["school_type"] if "school_type" in schools.columns else None
    for j, (f, key, _label, level) in enumerate(columns):
        if key not in schools.columns:
            continue
        series = schools[key]
        if series.dtype.is_float():
            series = series.fill_nan(None)
        if level is not None and types is not None:  # unserved levels stay blank, not 0
            served = ~types.is_in(_not_serving(level))
            series = pl.select(pl.when(served).then(series)).to_series()
        write = ws.write_string if f.scope == "info" else ws.write_number
        for i, value in enumerate(series.to_list(), start=2):
            if value is not None:
                write(i, j, str(value) if f.scope == "info" else value)


_COUNTY_TITLES = ("区县", "字段键", "指标", "单位", "填写值", "说明")


def _county_hint(cf: CountyField) -> str:
    if cf.help:
        return cf.help
    if cf.kind == "bool":
        return "填“是”或“否”。"
    return "填百分数，如 95 或 95%。" if cf.unit == "%" else "填数字。"


def _write_county(ws: Any, fw: Framework, fmt: dict[str, Any], values: CountyValues | None) -> None:
    for j, (title, width) in enumerate(zip(_COUNTY_TITLES, (14, 28, 50, 8, 12, 40), strict=True)):
        ws.write_string(0, j, title, fmt["must" if title == "填写值" else "head"])
        ws.set_column(j, j, width)
    ws.freeze_panes(1, 0)
    blocks: Iterable[tuple[str, dict[str, float | bool | None]]] = (
        values.items() if values else [("", {})]
    )
    r = 1
    for county, given in blocks:
        for cf in fw.county_fields:
            _write_county_row(ws, r, cf, county=county, value=given.get(cf.key), fmt=fmt)
            r += 1


def _write_county_row(
    ws: Any,
    r: int,
    cf: CountyField,
    *,
    county: str,
    value: float | bool | None,
    fmt: dict[str, Any],
) -> None:
    if county:
        ws.write_string(r, 0, county)
    ws.write_string(r, 1, cf.key, fmt["key"])
    ws.write_string(r, 2, cf.label, fmt["text"])
    ws.write_string(r, 3, "" if cf.kind == "bool" else cf.unit)
    if isinstance(value, bool):
        ws.write_string(r, 4, "是" if value else "否")
    elif value is not None:
        ws.write_number(r, 4, value)
    ws.write_string(r, 5, _county_hint(cf), fmt["text"])
    if cf.kind == "bool":
        rule = {"validate": "list", "source": ["是", "否"], "error_message": "请选择“是”或“否”。"}
        ws.data_validation(r, 4, r, 4, {**rule, "error_title": "输入有误"})


def write_template(
    fw: Framework,
    path: Path,
    schools: pl.DataFrame | None = None,
    county_values: CountyValues | None = None,
) -> None:
    """Write the .xlsx collection template of a framework, optionally filled with data.

    Sheets: 学校基础数据 (two header rows: Chinese labels with units, then field keys; Excel data
    validation), 县级指标 (when the framework has county fields) and 填表说明.
    `read_schools` and `read_county_items` read the file back.
    """
    book = xlsxwriter.Workbook(str(path))
    fmt = _formats(book)
    if fw.fields:
        _write_schools(book.add_worksheet(SCHOOLS_SHEET), fw, fmt, schools)
    if fw.county_fields:
        _write_county(book.add_worksheet(COUNTY_SHEET), fw, fmt, county_values)
    _write_guide(book.add_worksheet(GUIDE_SHEET), fw, fmt)
    book.close()
