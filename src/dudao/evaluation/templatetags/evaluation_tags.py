"""Template filters of the evaluation pages: verdict labels and number display."""

from __future__ import annotations

from django import template

from dudao.engine.results import VERDICT_LABELS

register = template.Library()


@register.filter
def verdict_label(verdict: str) -> str:
    """达标 / 未达标 / 数据不全，无法判定."""
    return VERDICT_LABELS.get(verdict, verdict)


@register.filter
def num(value: object, digits: int = 2) -> str:
    """A number with `digits` decimals (trailing zeros kept), or — when empty."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    return f"{value:,.{int(digits)}f}"


@register.filter
def percent(value: object) -> str:
    """A share (0.25) as a percentage (25.0%), or — when empty."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    return f"{100 * value:.1f}%"


@register.filter
def figure(value: object) -> str:
    """A stored figure as typed: 1,000 or 2.5 (no trailing zeros), or — when empty."""
    text = num(value)
    return text.rstrip("0").rstrip(".") if "." in text else text
