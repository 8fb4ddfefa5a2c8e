"""The 填表说明 sheet of the template: how to fill it in, and the field catalogue."""

from __future__ import annotations

from typing import Any

from dudao.engine.schooltypes import TYPE_LEVELS
from dudao.engine.spec import LEVEL_LABELS, FieldSpec, Framework
from dudao.engine.tables.conventions import COUNTY_SHEET, PART_WHOLE, SCHOOLS_SHEET, _must


def _guide_lines(fw: Framework) -> list[str]:
    items = [
        f"“{SCHOOLS_SHEET}”表：每所学校填一行。第 1 行是列名，第 2 行（灰色小字）是系统字段键，"
        "请勿修改或删除这两行；从第 3 行起填写。列的顺序可以调整，不用的可选列可以删除。",
        "学校标识码、学校名称、区县、学校类型、办学性质必须填写；橙色表头的列必须保留。"
        f"同一区县内学校标识码不能重复。学校类型可选：{'、'.join(TYPE_LEVELS)}。",
        "带“（小学）”“（初中）”“（高中）”的列按学段填写，只填本校开设的学段；"
        "未开设的学段留空（填 0 也可以）。例如小学只填“（小学）”各列，初中只填“（初中）”各列。",
        "不知道或暂缺的数据请留空，不要填 0：留空按缺失处理，0 表示确实为零。",
        "单位以列名括号中的为准。人数、班级数、间数、台数、册数填整数。"
        "数字可以带千位分隔符（如 1,234.5），也可以用全角数字。",
        "表头单位写成“万元”（如“教学仪器设备值（万元）”）时，系统按万元换算为元；"
        "只有字段目录中注明“可按万元填写”的列支持这样做。",
        "九年一贯制、十二年一贯制学校和完全中学：学生数、班级数、最大班额和各类教师数按学部"
        "分别填写在对应学段的列中，每位教师只计入一个学部，不重复计算；教学及辅助用房面积、"
        "体育运动场馆面积、仪器设备值、多媒体教室、图书等全校共用的资源填全校总数，"
        f"由系统按各学部的加权学生数拆分。{_split_text(fw)}",
        *_part_whole_text(fw),
    ]
    if fw.county_fields:
        items.append(
            f"“{COUNTY_SHEET}”表：每个区县一组，只填“填写值”列；区县名可只在每组第一行填写。"
            "是/否类填“是”或“否”；百分比填数字（如 95 或 95%）。"
        )
    numerals = "一二三四五六七八九十"
    numbered = [f"{numerals[i]}、{text}" for i, text in enumerate(items)]
    return [f"本模板用于《{fw.title}》（{fw.basis or fw.code}）的基础数据填报。", *numbered]


def _part_whole_text(fw: Framework) -> list[str]:
    labels = {f.key: f.label for f in fw.fields}
    out = []
    for whole in dict.fromkeys(w for _p, w in PART_WHOLE if w in labels):
        parts = "、".join(labels[p] for p, w in PART_WHOLE if w == whole and p in labels)
        if parts:
            out.append(f"{parts}都是{labels[whole]}的一部分，不能大于同一学段的{labels[whole]}。")
    return out


def _split_text(fw: Framework) -> str:
    names = {
        "nine_year": "九年一贯制",
        "complete_middle": "完全中学",
        "twelve_year": "十二年一贯制",
    }
    parts = [
        names.get(kind, kind)
        + "："
        + "、".join(f"{LEVEL_LABELS.get(lv, lv)} {w:g}" for lv, w in weights.items())
        for kind, weights in fw.units.split.items()
    ]
    return f"拆分权重为 {'；'.join(parts)}。" if parts else ""


def _scope_text(f: FieldSpec) -> str:
    if f.scope == "info":
        return "基本信息"
    if f.scope == "level":
        return "分学段：" + "、".join(LEVEL_LABELS[lv] for lv in f.levels)
    return "全校"


def _write_guide(ws: Any, fw: Framework, fmt: dict[str, Any]) -> None:
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 4, 12)
    ws.set_column(5, 5, 60)
    ws.write_string(0, 0, f"填表说明：{fw.title}", fmt["title"])
    r = 2
    for line in _guide_lines(fw):
        ws.merge_range(r, 0, r, 5, line, fmt["text"])
        ws.set_row(r, 15 * (1 + len(line) // 70))
        r += 1
    r += 1
    ws.write_string(r, 0, "字段目录", fmt["bold"])
    heads = ("字段键", "列名", "单位", "范围", "必填", "说明")
    ws.write_row(r + 1, 0, heads, fmt["head"])
    for i, f in enumerate(fw.fields, start=r + 2):
        note = f.help + ("（可按万元填写）" if f.wan_convertible else "")
        row = (f.key, f.label, f.unit, _scope_text(f), "是" if _must(f) else "", note)
        ws.write_row(i, 0, row, fmt["text"])
