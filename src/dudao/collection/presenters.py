"""What the review, history and template pages show, prepared for the templates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import polars as pl
from django.forms import BoundField

from dudao.collection import catalogue
from dudao.collection.catalogue import Column, grouped
from dudao.collection.forms import ValuesForm
from dudao.collection.models import Change, Submission
from dudao.collection.selectors import jumps
from dudao.engine.spec import Framework
from dudao.orgs.models import Institution


def shown(value: object) -> str:
    """A stored value as the user reads it: 是/否, numbers without a trailing .0, blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class ReviewRow:
    column: Column
    value: str
    previous: str
    jump: str  # "" when the change is within the threshold
    comment: str


def _jump_text(key: str, found: dict[str, float | None]) -> str:
    if key not in found:
        return ""
    change = found[key]
    return "上期为 0" if change is None else f"{change:+.0%}"


def review_rows(
    submission: Submission,
    columns: dict[str, Column],
    previous: dict[str, object],
    comments: dict[str, str],
) -> list[tuple[str, list[ReviewRow]]]:
    """(group, rows) with this period's value, last period's, the jump flag and the comment."""
    found = jumps(submission.values, previous)
    return [
        (
            group,
            [
                ReviewRow(
                    c,
                    shown(submission.values.get(c.key)),
                    shown(previous.get(c.key)),
                    _jump_text(c.key, found),
                    comments.get(c.key, ""),
                )
                for c in cs
            ],
        )
        for group, cs in grouped(columns)
    ]


@dataclass(frozen=True)
class FormRow:
    column: Column
    field: BoundField
    value: str  # the stored value, for read-only display
    comment: str  # the reviewer's comment of the last return


def form_rows(
    form: ValuesForm, values: dict[str, object], comments: dict[str, str]
) -> list[tuple[str, list[FormRow]]]:
    """(group, rows) of a values form, in catalogue order, with stored values and comments."""
    return [
        (
            group,
            [
                FormRow(c, form[c.key], shown(values.get(c.key)), comments.get(c.key, ""))
                for c in cs
            ],
        )
        for group, cs in grouped(form.columns)
    ]


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    who: str
    action: str
    field: str
    old: str
    new: str
    comment: str


def history_lines(submission: Submission, changes: Iterable[Change]) -> list[HistoryLine]:
    """History lines with field labels (a level's field keeps its label even if unserved)."""
    fw = catalogue.framework(submission.period.framework)
    if submission.is_county_items:
        labels = {k: c.title for k, c in catalogue.county_columns(fw).items()}
    else:
        labels = {k: c.title for k, c in catalogue.all_school_columns(fw).items()}
    return [
        HistoryLine(
            at=c.at,
            who=(c.user.get_full_name() or c.user.get_username()) if c.user else "系统",
            action=c.get_action_display(),
            field=labels.get(c.field, c.field),
            old=shown(c.old),
            new=shown(c.new),
            comment=c.comment,
        )
        for c in changes
    ]


def template_schools(fw: Framework, schools: list[Institution]) -> pl.DataFrame:
    """The info columns of the county's schools, to pre-fill the workbook template."""
    keys = {f.key for f in fw.fields if f.scope == "info"}
    rows = {
        "school_code": [s.code for s in schools],
        "school_name": [s.name for s in schools],
        "county": [str(s.county) for s in schools],
        "school_type": [s.school_type for s in schools],
        "ownership": [s.ownership for s in schools],
        "township": [str(s.township) if s.township else None for s in schools],
        "area_type": [s.area_type or None for s in schools],
    }
    data = {k: v for k, v in rows.items() if k in keys}
    return pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))
