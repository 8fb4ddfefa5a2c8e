"""Quantified targets (目标) stated in a task's text, and the deadlines (完成时限) a table writes.

`extract_targets(text)` returns the clauses of the text (split at ，。；！？ and line breaks) that
state a quantity, in order, each once. Conservative on purpose — a clause is kept only when it has

- a percentage: "巩固率达到99%以上", "达标率100%", a range "每年交流教师10%—15%" (the clause
  as written), or a count of percentages "三个100%";
- or an Arabic number with a unit of people or things (人, 名, 个, 所, 项, 场, 次, 期, 间, 套, 台,
  万元, 平方米, 学时, 课时) **and** a word stating an aim (达到, 完成, 新建, 建成, 培训, 招聘, 覆盖,
  不少于, 不低于, 以上, 力争, 确保, 新增, 实现, 交流, 改造, 引进, 创建, 每年, 全年).

Dates (2026年6月), ordinals (第3次), document numbers (〔2021〕2号) and numbers in words other
than "N个100%" are never targets. A clause longer than `MAX_CLAUSE` characters is cut around the
quantity.

`parse_deadline(text, year)` reads a 完成时限 cell:

- a date: 2026-06-30, 2026/6/30, 2026.6.30, 2026年6月30日, an Excel date read as
  "2026-06-30 00:00:00", or "6月30日";
- a month, due on its last day: "2026年6月底", "6月底", "6月", "9月份";
- a period: "年底", "年末", "全年", "长期", "持续推进", "常态化" and the recurring "每月",
  "每季度"/"按季度", "每学期"/"按学期" (31 December, when the last occurrence is due), "上半年"
  (30 June), also with a year ("2026年底", "2027年上半年");
- each with a trailing "前" or "完成" ("6月30日前完成"); a range ("3月至6月") is due at its end.

Anything else is None (the caller reports it).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

__all__ = ["MAX_CLAUSE", "extract_targets", "parse_deadline"]

MAX_CLAUSE = 40
_CLAUSES = re.compile(r"[，,。；;！!？?\n\r]+")
_NUMBER = r"\d+(?:\.\d+)?"
_PERCENT = re.compile(
    rf"(?:[一二两三四五六七八九十]+个)?{_NUMBER}%?\s*[—–\-~～至到]{{1,2}}\s*{_NUMBER}%"
    rf"|[一二两三四五六七八九十]+个{_NUMBER}%|{_NUMBER}%"
)
_UNITS = "万元|平方米|学时|课时|人次|人|名|个|所|项|场|次|期|间|套|台"
_COUNT = re.compile(rf"(?<![第\d.〔\[])(\d+(?:\.\d+)?)\s*(?:{_UNITS})(?![年月日号])")
_AIM = re.compile(
    "达到|完成|新建|建成|培训|招聘|覆盖|不少于|不低于|以上|力争|确保|新增|实现|交流|改造|引进|"
    "创建|每年|全年"
)
_NOISE = re.compile(r"〔\d+〕|\[\d+\]|\d{4}\s*年|\d+\s*月|\d+\s*日|第\s*\d+")


def _normal(text: str) -> str:
    """Full-width digits and % folded, dashes kept as written."""
    folded = "".join(
        unicodedata.normalize("NFKC", ch) if ch.isdigit() or ch in "％．" else ch for ch in text
    )
    return folded.strip()


def _cut(clause: str, start: int, end: int) -> str:
    """The clause, or MAX_CLAUSE characters of it around [start, end)."""
    if len(clause) <= MAX_CLAUSE:
        return clause
    left = max(0, min(start, end - MAX_CLAUSE))
    return clause[left : left + MAX_CLAUSE]


def _target(clause: str) -> str | None:
    match = _PERCENT.search(clause)
    if match:
        return _cut(clause, match.start(), match.end())
    bare = _NOISE.sub(" ", clause)
    count = _COUNT.search(bare)
    if count and _AIM.search(clause):
        return _cut(clause, count.start(), count.end())
    return None


def extract_targets(text: str) -> tuple[str, ...]:
    """The quantified clauses of a task's text (see the module docstring), each once, in order."""
    found: dict[str, None] = {}
    for written in _CLAUSES.split(_normal(text)):
        clause = written.strip()
        target = _target(clause) if clause else None
        if target:
            found.setdefault(target, None)
    return tuple(found)


# ---------------------------------------------------------------- deadlines

_FULL = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?"
)
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTH_END = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?:底|末|份|前|内)?")
_RECURRING = ("每月", "每季度", "按季度", "每学期", "按学期")  # the last occurrence is due
_YEAR_END = frozenset(
    (
        "年底",
        "年末",
        "年内",
        "全年",
        "长期",
        "持续推进",
        "长期坚持",
        "年度内",
        "常态化",
        *_RECURRING,
    )
)
_TRAILING = re.compile(r"(?:之前|以前|前)?(?:完成|办结)?$")
_RANGE = re.compile(r"(.+?)\s*(?:至|到|—+|–|-|~|～)\s*(.+)")
_YEAR_PREFIX = re.compile(r"^(\d{4})\s*年")


def _day(year: int, month: int, day: int | None = None) -> date | None:
    if not (1 <= month <= 12 and 1900 <= year <= 2100):
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, last)
    return date(year, month, day) if 1 <= day <= last else None


def parse_deadline(text: str, year: int) -> date | None:
    """The deadline a 完成时限 cell states, in `year` when it names none; None when unreadable."""
    cell = _TRAILING.sub("", re.sub(r"\s+", " ", _normal(text)).strip()).strip()
    if not cell:
        return None
    found = _single(cell, year)
    if found is None and (m := _RANGE.fullmatch(cell)) is not None:
        start = _YEAR_PREFIX.match(m.group(1))
        found = _single(m.group(2), int(start.group(1)) if start else year)
    return found


def _single(cell: str, year: int) -> date | None:
    return _dated(cell, year) or _named_period(cell, year)


def _dated(cell: str, year: int) -> date | None:
    if (m := _FULL.fullmatch(cell)) is not None:
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if (m := _MONTH_DAY.fullmatch(cell)) is not None:
        return _day(year, int(m.group(1)), int(m.group(2)))
    if (m := _MONTH_END.fullmatch(cell)) is not None:
        return _day(int(m.group(1) or year), int(m.group(2)))
    return None


def _named_period(cell: str, year: int) -> date | None:
    explicit = _YEAR_PREFIX.match(cell)
    in_year = int(explicit.group(1)) if explicit else year
    rest = cell[explicit.end() :] if explicit else cell
    # "2026年底" leaves "底", "2027年上半年" leaves "上半年": try both readings
    for bare in (rest, "年" + rest) if explicit else (rest,):
        if bare in _YEAR_END or bare == "下半年":
            return _day(in_year, 12)
        if bare in ("上半年", "年中"):
            return _day(in_year, 6)
    return None
