"""The demo collection: an open period per county, the first county's submissions and history.

In the first county most schools are approved, a few submitted, one returned with a comment (the
demo clerk's school), one still a draft and a few have not started; the county's own items are
approved. Every seeded action has its history rows (collection.Change).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from django.contrib.auth.models import User

from dudao.collection.choices import ChangeAction, SubmissionStatus
from dudao.collection.models import Change, Period, Submission
from dudao.engine.spec import load_framework
from dudao.orgs.models import Institution, Region

PERIOD_NAME = "2026学年"
FRAMEWORK = "yzjh-2017"
RETURN_COMMENT = (
    "教学及辅助用房面积与上年相差较大，专任教师数与人事股台账不一致，请核实后重新提交。"
)

# School numbers (1-based, frame order) of the first county by seeded state; others approved.
RETURNED = 7
DRAFT = 15
SUBMITTED = (12, 21, 33, 36)
NOT_STARTED = (26, 27, 40)
# Actions done on a submission to bring it to each state (after the field-by-field save).
_ACTIONS = {
    SubmissionStatus.DRAFT: (),
    SubmissionStatus.SUBMITTED: (ChangeAction.SUBMIT,),
    SubmissionStatus.RETURNED: (ChangeAction.SUBMIT, ChangeAction.RETURN),
    SubmissionStatus.APPROVED: (ChangeAction.SUBMIT, ChangeAction.APPROVE),
}


@dataclass
class _Seed:
    """A submission to create and who did what to it."""

    institution: Institution | None
    status: str
    values: dict[str, object]
    filler: User | None
    reviewer: User
    comment: str = ""
    changes: list[Change] = field(default_factory=list)


def open_periods(counties: list[Region]) -> dict[int, Period]:
    """An open period “2026学年” (yzjh-2017) per county."""
    periods = Period.objects.bulk_create(
        Period(county=c, name=PERIOD_NAME, framework=FRAMEWORK) for c in counties
    )
    return {p.county_id: p for p in periods}


def state_of(number: int) -> str | None:
    """The seeded state of the first county's school number (None: not started)."""
    if number in NOT_STARTED:
        return None
    if number == RETURNED:
        return SubmissionStatus.RETURNED
    if number == DRAFT:
        return SubmissionStatus.DRAFT
    return SubmissionStatus.SUBMITTED if number in SUBMITTED else SubmissionStatus.APPROVED


def seed_submissions(
    period: Period,
    frame: pl.DataFrame,
    schools: list[Institution],
    users: dict[str, User],
    county_values: dict[str, object],
) -> int:
    """Create the first county's submissions and their history; returns how many."""
    info = {key for f, key, _, _ in load_framework(FRAMEWORK).field_columns() if f.scope == "info"}
    fields = [c for c in frame.columns if c not in info]
    seeds: list[_Seed] = []
    for number, (school, row) in enumerate(
        zip(schools, frame.iter_rows(named=True), strict=True), 1
    ):
        status = state_of(number)
        if status is None:
            continue
        values = {key: row[key] for key in fields}
        if status == SubmissionStatus.DRAFT:
            values = dict(list(values.items())[: len(values) // 2])
        filler = users["demo_clerk"] if number == RETURNED else None
        comment = RETURN_COMMENT if status == SubmissionStatus.RETURNED else ""
        seeds.append(_Seed(school, status, values, filler, users["demo_supervisor"], comment))
    supervisor = users["demo_supervisor"]
    seeds.append(_Seed(None, SubmissionStatus.APPROVED, county_values, supervisor, supervisor))
    _save(period, seeds)
    return len(seeds)


def _save(period: Period, seeds: list[_Seed]) -> None:
    submissions = Submission.objects.bulk_create(
        Submission(
            period=period,
            institution=s.institution,
            status=s.status,
            values=s.values,
            version=1 + len(_ACTIONS[s.status]),
            updated_by=_last_actor(s),
        )
        for s in seeds
    )
    Change.objects.bulk_create(
        change
        for seed, sub in zip(seeds, submissions, strict=True)
        for change in _history(seed, sub)
    )


def _last_actor(seed: _Seed) -> User | None:
    if seed.status in (SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED):
        return seed.filler
    return seed.reviewer


def _history(seed: _Seed, submission: Submission) -> list[Change]:
    """A save per field (empty → value), then submit and the review, in order."""
    changes = [
        Change(
            submission=submission,
            user=seed.filler,
            action=ChangeAction.SAVE,
            field=key,
            old=None,
            new=value,
        )
        for key, value in seed.values.items()
    ]
    for action in _ACTIONS[seed.status]:
        by = seed.filler if action == ChangeAction.SUBMIT else seed.reviewer
        comment = seed.comment if action == ChangeAction.RETURN else ""
        changes.append(Change(submission=submission, user=by, action=action, comment=comment))
    return changes
