"""Splitting a cell that names several people or departments (责任领导, 责任股室, 协办股室).

Separators are 、，,；;/ (half- or full-width), newlines and runs of whitespace (full-width spaces
included). A two-character person name is often typed apart ("张 三"), so single-character tokens
separated only by whitespace are rejoined in pairs: "张 三 李四" → 张三, 李四. Tokens separated by a
punctuation separator are never joined ("张、三" stays two tokens). When known names are given, two
adjacent whitespace-separated tokens that together make a known name are joined first
("欧阳 明" with known {"欧阳明"} → 欧阳明).
"""

from __future__ import annotations

import re
from collections.abc import Collection

_SEPARATORS = re.compile(r"[、，,；;/／\s]+")


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
        if i + 1 < len(tokens) and tokens[i + 1][1]:
            pair = token + tokens[i + 1][0]
            if pair in known_set or (len(token) == 1 and len(tokens[i + 1][0]) == 1):
                names.append(pair)
                i += 2
                continue
        names.append(token)
        i += 1
    return tuple(dict.fromkeys(names))
