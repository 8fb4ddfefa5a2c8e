"""Checking submitted values field by field: numbers ≥ 0, integers, yes/no, served levels."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from dudao.collection.catalogue import BOOL, INTEGER, Column
from dudao.core import errors
from dudao.core.errors import ServiceError
from dudao.engine.spec import LEVEL_LABELS

Value = int | float | bool | None


class StaleEdit(errors.StaleEdit):
    """The submission changed since the form was loaded: nothing was saved."""

    MESSAGE = "该数据已被他人修改，请刷新后再改"


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: object) -> float | None:
    """A finite number from an int, float, Decimal or numeric text; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return None
    if not isinstance(value, int | float | Decimal):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def tidy(number: float) -> int | float:
    """Whole numbers are stored as int (12, not 12.0), others as float."""
    return int(number) if number.is_integer() else number


def clean_value(column: Column, value: object) -> tuple[Value, str | None]:
    """(stored value, None) or (None, Chinese reason) for one field."""
    if is_blank(value):
        return None, None
    if column.kind == BOOL:
        return (value, None) if isinstance(value, bool) else (None, "应为“是”或“否”")
    number = _number(value)
    if number is None:
        return None, "应为数字"
    if number < 0:
        return None, "不能为负数"
    if column.kind == INTEGER and not number.is_integer():
        return None, "应为整数"
    return tidy(number), None


def clean_values(
    columns: Mapping[str, Column], known: Mapping[str, Column], values: Mapping[str, object]
) -> dict[str, Value]:
    """Typed values of `values`, or ServiceError with a reason per field.

    `columns` are the fields this submission holds; `known` every field of the table, so that a
    level the school does not serve is named as such (it must stay blank).
    """
    clean: dict[str, Value] = {}
    errors: dict[str, str] = {}
    for key, value in values.items():
        if key not in columns:
            reason = _foreign(known.get(key), value)
            if reason:
                errors[key] = reason
            continue
        clean[key], reason = clean_value(columns[key], value)
        if reason:
            errors[key] = reason
    if errors:
        raise ServiceError("填报数据有误，请按提示修改后再保存", errors)
    return clean


def _foreign(column: Column | None, value: object) -> str | None:
    if column is None:
        return "不是本表的字段"
    if column.level and not is_blank(value):
        return f"该校不开设{LEVEL_LABELS[column.level]}学段，应留空"
    return None
