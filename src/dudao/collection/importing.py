"""Reading the county-wide workbook and matching its rows to the county's schools.

The engine reads and checks the workbook (`read_schools`); this module adds the checks only the
platform can make: the school code is a school of the period's county, its type is the one
registered, and its submission is not approved. Every problem is collected before anything is
written, so an import is all-or-nothing.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.core.files.uploadedfile import UploadedFile

from dudao.collection.catalogue import school_columns
from dudao.collection.choices import SubmissionStatus
from dudao.collection.models import Period, Submission
from dudao.collection.validation import ServiceError, Value, tidy
from dudao.engine.schooltypes import levels_of
from dudao.engine.spec import Framework
from dudao.engine.tables import InputError, InputErrors, read_schools
from dudao.orgs.models import Institution


class ImportFailed(ServiceError):
    """The workbook was refused; `problems` lists every error with sheet, row and column."""

    def __init__(self, problems: list[InputError]) -> None:
        super().__init__(f"导入失败：共 {len(problems)} 处错误，未写入任何数据")
        self.problems = problems


@dataclass
class ImportResult:
    """How many submissions an import created and updated, and how many rows had no figures."""

    created: int = 0
    updated: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class Row:
    """One workbook row ready to be written."""

    row: int
    period: Period
    institution: Institution
    submission: Submission | None
    values: dict[str, Value]


def read_upload(uploaded_file: UploadedFile, fw: Framework) -> pl.DataFrame:
    """The school table of an uploaded workbook, through the engine's reader (temp file)."""
    name = Path(uploaded_file.name or "").name or "upload.xlsx"
    with tempfile.TemporaryDirectory(prefix="dudao-import-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            for chunk in uploaded_file.chunks():
                out.write(chunk)
        try:
            return read_schools(path, fw)
        except InputErrors as exc:
            raise ImportFailed(exc.errors) from exc


def match_rows(frame: pl.DataFrame, period: Period, fw: Framework) -> tuple[list[Row], int]:
    """Rows with figures matched to schools and (locked) submissions, and the skipped count.

    Raises ImportFailed with every row that names no school of the county, a different school
    type, or a school whose submission is already approved.
    """
    codes = [c for c in frame["school_code"].to_list() if c]
    schools = {i.code: i for i in Institution.objects.filter(county=period.county, code__in=codes)}
    existing = _submissions(period, list(schools.values()))
    labels = {key: label for _f, key, label, _lv in fw.field_columns()}
    rows: list[Row] = []
    problems: list[InputError] = []
    skipped = 0
    for record in frame.iter_rows(named=True):
        values = _figures(record, fw)
        if all(v is None for v in values.values()):
            skipped += 1
            continue
        school = schools.get(record["school_code"])
        problem = _problem(record, school, existing, period, labels)
        if problem is not None:
            problems.append(problem)
            continue
        assert school is not None
        rows.append(Row(record["_row"], period, school, existing.get(school.pk), values))
    if problems:
        raise ImportFailed(problems)
    return rows, skipped


def _submissions(period: Period, schools: list[Institution]) -> dict[int, Submission]:
    found = Submission.objects.select_for_update().filter(period=period, institution__in=schools)
    by_school = {s.pk: s for s in schools}
    out: dict[int, Submission] = {}
    for s in found:
        s.period = period
        s.institution = by_school[s.institution_id]
        out[s.institution_id] = s
    return out


def _figures(record: dict[str, Any], fw: Framework) -> dict[str, Value]:
    """The row's figures for the levels its school type serves (others stay blank)."""
    columns = school_columns(fw, levels_of(record.get("school_type") or ""))
    return {k: None if record.get(k) is None else tidy(float(record[k])) for k in columns}


def _problem(
    record: dict[str, Any],
    school: Institution | None,
    existing: dict[int, Submission],
    period: Period,
    labels: dict[str, str],
) -> InputError | None:
    def error(key: str, reason: str) -> InputError:
        return InputError(record["_sheet"], record["_row"], labels[key], record[key], reason)

    if school is None:
        return error("school_code", f"不是{period.county}的学校（请先在学校名录中登记）")
    if record["school_type"] != school.school_type:
        return error("school_type", f"与平台登记的学校类型“{school.school_type}”不一致")
    submission = existing.get(school.pk)
    if submission is not None and submission.status == SubmissionStatus.APPROVED:
        reason = "该校本期数据已审核通过，不能导入覆盖；如需修改请先由县督导室重新打开"
        return error("school_code", reason)
    return None
