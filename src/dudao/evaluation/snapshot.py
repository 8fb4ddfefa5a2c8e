"""The input snapshot of a run: a period's approved figures, stored as JSON and fed to the engine.

The snapshot is everything the engine needs to reproduce a run without the database:
`framework` (the definitions the pages show: levels, indicators with standards, field labels),
`schools` (one row per approved school, every framework column, ordered by school code),
`county_values` ({county name: {county field key: value}}, the county always present so that the
county gets a verdict even without schools), and `county_items_status` (the county items' state).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import polars as pl

from dudao.collection.choices import NOT_STARTED_LABEL, SubmissionStatus
from dudao.collection.models import Period, Submission
from dudao.engine.evaluate import evaluate
from dudao.engine.results import EvaluationResult
from dudao.engine.schooltypes import TYPE_LEVELS
from dudao.engine.spec import CountyField, Framework
from dudao.engine.tables.county import FALSE_WORDS, TRUE_WORDS
from dudao.orgs.models import Institution

Row = dict[str, Any]


@dataclass(frozen=True)
class Snapshot:
    """What a run stores about its inputs: the engine's inputs and the schools left out."""

    inputs: dict[str, Any]
    missing: list[dict[str, str]]


def take_snapshot(period: Period, fw: Framework) -> Snapshot:
    """Read the approved submissions of a period (schools and county items) into a snapshot."""
    county = period.county.name
    approved = _approved_schools(period)
    items = Submission.objects.filter(period=period, institution__isnull=True).first()
    approved_items = items.values if items and items.status == SubmissionStatus.APPROVED else {}
    inputs = {
        "framework": framework_meta(fw),
        "schools": [school_row(fw, s.institution, s.values, county) for s in approved],
        "county_values": {county: county_values(fw, approved_items)},
        "county_items_status": _status_label(items.status if items else None),
    }
    return Snapshot(inputs=inputs, missing=_missing(period))


def _approved_schools(period: Period) -> list[Submission]:
    return list(
        Submission.objects.filter(
            period=period,
            institution__county=period.county,
            status=SubmissionStatus.APPROVED,
        )
        .select_related("institution__township")
        .order_by("institution__code")
    )


def _missing(period: Period) -> list[dict[str, str]]:
    """Every institution of the county without an approved submission, by code."""
    states = dict(
        Submission.objects.filter(period=period, institution__isnull=False).values_list(
            "institution_id", "status"
        )
    )
    institutions = Institution.objects.filter(county=period.county).order_by("code")
    return [
        {"name": i.name, "code": i.code, "status": _status_label(states.get(i.pk))}
        for i in institutions
        if states.get(i.pk) != SubmissionStatus.APPROVED
    ]


def _status_label(status: str | None) -> str:
    if status is None:
        return NOT_STARTED_LABEL
    return str(SubmissionStatus(status).label)


def framework_meta(fw: Framework) -> dict[str, Any]:
    """The framework definitions a results page needs, kept with the run."""
    return {
        "code": fw.code,
        "title": fw.title,
        "basis": fw.basis,
        "version": fw.version,
        "digest": fw.digest,
        "levels": list(fw.levels),
        "indicators": [
            {"key": i.key, "label": i.label, "unit": i.unit, "standard": dict(i.standard)}
            for i in fw.indicators
        ],
        "fields": [
            {"column": column, "label": label, "unit": f.unit, "level": level}
            for f, column, label, level in fw.field_columns()
            if f.scope != "info"
        ],
    }


def school_row(fw: Framework, institution: Institution, values: Row, county: str) -> Row:
    """One school's row: every framework column; levels its type does not serve are 0."""
    info = {
        "school_code": institution.code,
        "school_name": institution.name,
        "county": county,
        "school_type": institution.school_type,
        "ownership": institution.ownership,
        "township": institution.township.name if institution.township else None,
        "area_type": institution.area_type or None,
    }
    served = TYPE_LEVELS.get(institution.school_type)
    row: Row = {}
    for f, column, _label, level in fw.field_columns():
        if f.scope == "info":
            row[column] = info.get(column, _text(values.get(column)))
        elif level is not None and served is not None and level not in served:
            row[column] = 0.0
        else:
            row[column] = as_number(values.get(column))
    return row


def county_values(fw: Framework, values: Row) -> dict[str, float | bool | None]:
    """The county fields a submission fills, typed; keys it does not list stay absent."""
    return {
        cf.key: _county_value(cf, values[cf.key]) for cf in fw.county_fields if cf.key in values
    }


def _county_value(cf: CountyField, value: Any) -> float | bool | None:
    return as_bool(value) if cf.kind == "bool" else as_number(value)


def as_number(value: Any) -> float | None:
    """A finite number, or None for blanks, text that is not a number, booleans and NaN."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", ""))
        except ValueError:
            return None
    if not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def as_bool(value: Any) -> bool | None:
    """是/否 as stored by a form (a boolean, 1/0 or a word), or None when unknown."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
    return None


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def schools_frame(fw: Framework, inputs: dict[str, Any]) -> pl.DataFrame:
    """The engine's school table from a snapshot: info columns text, all others Float64."""
    schema = {
        column: pl.Utf8 if f.scope == "info" else pl.Float64
        for f, column, _label, _level in fw.field_columns()
    }
    rows = [{c: row.get(c) for c in schema} for row in inputs["schools"]]
    return pl.DataFrame(rows, schema=schema)


def evaluate_snapshot(fw: Framework, inputs: dict[str, Any]) -> EvaluationResult:
    """Run the engine on a snapshot (the same call the command line makes on files)."""
    return evaluate(fw, schools_frame(fw, inputs), inputs["county_values"])
