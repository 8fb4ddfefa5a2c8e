"""The header of the school table: where it is, and which field column each column holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dudao.engine.spec import FieldSpec, Framework
from dudao.engine.tables.conventions import WAN, _must, _title
from dudao.engine.tables.errors import _Errors, _fail
from dudao.engine.tables.sheets import _UNIT, _blank, _head, _norm, _Sheet


@dataclass(frozen=True)
class _Column:
    """A source column mapped to a field column."""

    source: str  # c0, c1, … in the raw sheet
    pos: int
    header: str  # as written by the user
    key: str  # field column key
    spec: FieldSpec
    label: str  # our label for the field column
    level: str | None
    wan: bool = False


@dataclass
class _Layout:
    lookup: dict[str, str]  # normalised header text → field column key
    catalogue: dict[str, tuple[FieldSpec, str, str | None]]  # column key → (field, label, level)
    columns: dict[str, _Column] = field(default_factory=dict)
    data_start: int = 0  # index into the sheet's rows of the first data row
    header_row: int = 1  # row number of the label header, as the user sees it


def _catalogue(fw: Framework) -> dict[str, tuple[FieldSpec, str, str | None]]:
    return {key: (f, label, lv) for f, key, label, lv in fw.field_columns()}


def _lookup(fw: Framework) -> dict[str, str]:
    """Normalised header text (column key or Chinese label) → field column key."""
    out: dict[str, str] = {}
    for _f, key, label, _lv in fw.field_columns():
        out[_norm(label)] = key
        out[_norm(key)] = key
    return out


def _match(text: str | None, lookup: dict[str, str]) -> tuple[str, str] | None:
    """(column key, unit written in a trailing bracket) for a header, or None."""
    norm = _norm(text)
    if norm in lookup:
        return lookup[norm], ""
    m = _UNIT.match(norm)
    if m and m.group(1) in lookup:
        return lookup[m.group(1)], m.group(2).removeprefix("单位:")
    return None


def _header_index(head: list[tuple[Any, ...]], lookup: dict[str, str]) -> int | None:
    need = min(2, len(set(lookup.values())))
    for i, row in enumerate(head):
        if sum(_match(c, lookup) is not None for c in row) >= need:
            return i
    return None


def _is_key_row(row: tuple[Any, ...], keys: set[str]) -> bool:
    filled = [c for c in row if not _blank(c)]
    hits = sum(_norm(c) in keys for c in filled)
    return hits > 0 and 2 * hits >= len(filled)


def _layout(sheet: _Sheet, fw: Framework, errors: _Errors) -> _Layout:
    layout = _Layout(_lookup(fw), _catalogue(fw))
    head = _head(sheet)
    at = _header_index(head, layout.lookup)
    if at is None:
        raise _fail(
            sheet.name, "找不到表头：前 10 行中没有可识别的列名（如“学校标识码”或 school_code）"
        )
    labels = head[at]
    below = head[at + 1] if at + 1 < len(head) else ()
    keys = below if _is_key_row(below, set(layout.catalogue)) else None
    layout.data_start = at + (2 if keys else 1)
    layout.header_row = int(sheet.cells["_row"][at])
    for pos, label in enumerate(labels):
        _map_column(layout, pos, label, keys[pos] if keys else None, errors)
    _missing_columns(layout, fw, errors)
    return layout


def _map_column(
    layout: _Layout,
    pos: int,
    label: str | None,
    key_cell: str | None,
    errors: _Errors,
) -> None:
    catalogue = layout.catalogue
    by_label = _match(label, layout.lookup)
    key = _norm(key_cell) if _norm(key_cell) in catalogue else (by_label or ("", ""))[0]
    if not key:
        return
    unit = by_label[1] if by_label and by_label[0] == key else ""
    spec, our_label, level = catalogue[key]
    header = (label or "").strip() or (key_cell or "").strip()
    row = layout.header_row
    if key in layout.columns:
        first = layout.columns[key].header
        errors.add(
            f"与列“{first}”重复，都对应“{our_label}”，请删除其中一列", row, header, None, pos
        )
        return
    wan = _norm(unit) == WAN
    if wan and not spec.wan_convertible:
        reason = f"该列不能按万元填写，请按“{spec.unit or '原单位'}”填写"
        errors.add(reason, row, header, None, pos)
    column = _Column(f"c{pos}", pos, header, key, spec, our_label, level, wan)
    layout.columns[key] = column


def _missing_columns(layout: _Layout, fw: Framework, errors: _Errors) -> None:
    for i, (f, key, label, _lv) in enumerate(fw.field_columns()):
        if key not in layout.columns and _must(f):
            reason = f"缺少必填列（列名可写“{label}”或字段键“{key}”）"
            errors.add(reason, None, _title(label, f.unit), None, i)
