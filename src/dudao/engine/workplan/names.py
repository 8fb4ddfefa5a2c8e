"""Splitting a cell that names several people or departments (责任领导, 责任股室, 协办股室).

Separators are 、，,；;/ (half- or full-width), newlines and runs of whitespace (full-width spaces
included). A two-character person name is often typed apart ("张 三"), so single-character tokens
separated only by whitespace are rejoined in pairs: "张 三 李四" → 张三, 李四. Tokens separated by a
punctuation separator are never joined ("张、三" stays two tokens). When known names are given, two
adjacent whitespace-separated tokens that together make a known name are joined first
("欧阳 明" with known {"欧阳明"} → 欧阳明). A common two-character compound surname (欧阳, 司马, …)
followed by whitespace and a one- or two-character given name is one person: "欧阳 娜娜" → 欧阳娜娜.
"""

from __future__ import annotations

import re
from collections.abc import Collection

_SEPARATORS = re.compile(r"[、，,；;/／\s]+")
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
        "西门",
        "南宫",
    ]
)


def _joins(first: str, second: str, known: set[str]) -> bool:
    """Whether two whitespace-separated tokens are one person's name."""
    if first + second in known or (len(first) == 1 and len(second) == 1):
        return True
    return first in COMPOUND_SURNAMES and len(second) <= 2


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _tokens(cell: str) -> list[tuple[str, bool]]:
    """(token, joined to the previous token by whitespace only) for each non-empty token."""
    found: list[tuple[str, bool]] = []
    pos = 0
    spaced = False
    for match in _SEPARATORS.finditer(cell):
        if match.start() > pos:
            found.append((cell[pos : match.start()], spaced))
        spaced = not match.group().strip()
        pos = match.end()
    if pos < len(cell):
        found.append((cell[pos:], spaced))
    return found


def split_names(cell: str, known: Collection[str] = ()) -> tuple[str, ...]:
    """Distinct names written in one cell, in order; see the module docstring for the rules."""
    known_set = {_squeeze(k) for k in known}
    tokens = _tokens(cell)
    names: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i][0]
        if i + 1 < len(tokens) and tokens[i + 1][1] and _joins(token, tokens[i + 1][0], known_set):
            names.append(token + tokens[i + 1][0])
            i += 2
            continue
        names.append(token)
        i += 1
    return tuple(dict.fromkeys(names))
