"""Checklist (rubric) structures: parsing pasted lines, validating stored JSON, scoring a visit.

A checklist is sections → items → scoring options (label + points); each item has a weight.
A visit's score is Σ weight × points of the chosen option; the full mark is Σ weight × the best
option's points; the visit passes when its score reaches the template's pass mark.

Stored as JSON: {"sections": [{"title": str, "items": [{"key": "1.2", "text": str,
"weight": float, "options": [{"label": str, "points": float}, ...]}]}]}.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LINE_FORMAT = "分项|检查内容|权重|选项1:分值;选项2:分值"


class ChecklistError(ValueError):
    """The checklist text or structure is invalid; `problems` lists every located reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Option:
    label: str
    points: float


@dataclass(frozen=True)
class Item:
    key: str
    section: str
    text: str
    weight: float
    options: tuple[Option, ...]

    @property
    def best(self) -> float:
        return max(o.points for o in self.options)


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _options(text: str, where: str, problems: list[str]) -> list[dict[str, Any]]:
    options = []
    for part in filter(None, (p.strip() for p in text.replace("；", ";").split(";"))):
        label, _, points = part.replace("：", ":").rpartition(":")
        value = _number(points)
        if not label.strip() or value is None or value < 0:
            problems.append(f"{where}：选项“{part}”应写成“名称:分值”，分值为不小于 0 的数")
            continue
        options.append({"label": label.strip(), "points": value})
    if not options and not any(p.startswith(where) for p in problems):
        problems.append(f"{where}：至少需要一个评分选项")
    return options


def parse_lines(text: str) -> dict[str, Any]:
    """The checklist structure from pasted lines `分项|检查内容|权重|选项:分值;...`."""
    sections: dict[str, list[dict[str, Any]]] = {}
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"第{number}行"
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) != 4:
            problems.append(f"{where}：应有 4 栏（{LINE_FORMAT}），实际 {len(parts)} 栏")
            continue
        section, item, weight_text, options_text = parts
        weight = _number(weight_text)
        if not section or not item:
            problems.append(f"{where}：分项和检查内容不能为空")
        if weight is None or weight <= 0:
            problems.append(f"{where}：权重应为大于 0 的数")
        options = _options(options_text, where, problems)
        sections.setdefault(section, []).append(
            {"text": item, "weight": weight or 0, "options": options}
        )
    if not sections and not problems:
        problems.append("请至少填写一行检查内容")
    if problems:
        raise ChecklistError(problems)
    return _numbered(sections)


def _numbered(sections: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    out = []
    for s, (title, items) in enumerate(sections.items(), start=1):
        numbered = [{"key": f"{s}.{i}", **item} for i, item in enumerate(items, start=1)]
        out.append({"title": title, "items": numbered})
    return {"sections": out}


def to_lines(structure: Mapping[str, Any]) -> str:
    """The pasted-lines form of a structure (to edit a template)."""
    lines = []
    for item in items_of(structure):
        options = ";".join(f"{o.label}:{o.points:g}" for o in item.options)
        lines.append(f"{item.section}|{item.text}|{item.weight:g}|{options}")
    return "\n".join(lines)


def items_of(structure: Mapping[str, Any]) -> list[Item]:
    """Every item of a stored structure, in order."""
    return [
        Item(
            key=str(item["key"]),
            section=str(section["title"]),
            text=str(item["text"]),
            weight=float(item["weight"]),
            options=tuple(Option(str(o["label"]), float(o["points"])) for o in item["options"]),
        )
        for section in structure.get("sections", [])
        for item in section["items"]
    ]


def full_mark(structure: Mapping[str, Any]) -> float:
    return round(sum(i.weight * i.best for i in items_of(structure)), 2)


@dataclass(frozen=True)
class Score:
    """A visit's score: the chosen option per item, the total, the full mark."""

    choices: dict[str, int]
    total: float
    full: float


def score(structure: Mapping[str, Any], choices: Mapping[str, object]) -> Score:
    """Score chosen option indexes (item key → index); every item must be scored."""
    problems = []
    chosen: dict[str, int] = {}
    total = 0.0
    for item in items_of(structure):
        raw = choices.get(item.key)
        index = _index(raw, len(item.options))
        if index is None:
            problems.append(f"{item.key} {item.text}：请选择评分")
            continue
        chosen[item.key] = index
        total += item.weight * item.options[index].points
    if problems:
        raise ChecklistError(problems)
    return Score(chosen, round(total, 2), full_mark(structure))


def _index(raw: object, count: int) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        index = int(str(raw))
    except ValueError:
        return None
    return index if 0 <= index < count else None


DEFAULT_LINES = """办学行为|按规定开齐开足国家课程，课表与实际一致|1|符合:10;基本符合:6;不符合:0
办学行为|招生、收费行为规范，无违规收费|1|符合:10;基本符合:6;不符合:0
办学行为|“五项管理”（作业、睡眠、手机、读物、体质）落实|1|符合:10;基本符合:6;不符合:0
校园安全|安全制度健全，隐患排查台账完整|1|符合:10;基本符合:6;不符合:0
校园安全|消防设施完好，疏散通道畅通|1|符合:10;基本符合:6;不符合:0
校园安全|食堂证照齐全，食品留样规范|1|符合:10;基本符合:6;不符合:0
教育教学|教师备课、作业批改规范|1|符合:10;基本符合:6;不符合:0
教育教学|课后服务开展规范、自愿参加|1|符合:10;基本符合:6;不符合:0
队伍建设|师德师风建设制度落实，无有偿补课|1|符合:10;基本符合:6;不符合:0
队伍建设|教师培训计划落实|1|符合:10;基本符合:6;不符合:0"""
DEFAULT_PASS_MARK = 80.0
