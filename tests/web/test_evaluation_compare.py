"""Comparing two runs of one county: what changed."""

from __future__ import annotations

import pytest
from conftest import Cast
from test_evaluation_data import GOOD_JUNIOR, GOOD_PRIMARY, POOR_PRIMARY, submit

from dudao.collection.models import Submission
from dudao.evaluation.compare import NotComparable, compare_runs
from dudao.evaluation.services import run_evaluation


def test_two_runs_of_the_same_data_show_no_change(cast: Cast) -> None:
    submit(cast.period, cast.school_a, GOOD_PRIMARY)
    first = run_evaluation(cast.supervisor, cast.period)
    second = run_evaluation(cast.supervisor, cast.period)
    assert compare_runs(first, second).unchanged


def test_a_failing_school_changes_the_verdict_the_cv_and_the_unit(cast: Cast) -> None:
    good = submit(cast.period, cast.school_a, GOOD_PRIMARY)
    submit(cast.period, cast.school_b, GOOD_JUNIOR)
    first = run_evaluation(cast.supervisor, cast.period)
    Submission.objects.filter(pk=good.pk).update(values=POOR_PRIMARY)
    second = run_evaluation(cast.supervisor, cast.period)
    change = compare_runs(first, second)
    assert (change.verdicts.before, change.verdicts.after) == ("incomplete", "fail")
    assert change.verdicts.changed
    [unit] = change.units
    assert (unit.code, unit.before, unit.after) == (cast.school_a.code, "达标", "未达标")
    assert any(r.startswith("石桥镇中心小学（小学）未达标") for r in change.reasons_added)
    assert not change.reasons_removed


def test_a_newly_approved_school_is_reported_as_added(cast: Cast) -> None:
    submit(cast.period, cast.school_a, GOOD_PRIMARY)
    late = submit(cast.period, cast.school_b, GOOD_JUNIOR, status="submitted")
    first = run_evaluation(cast.supervisor, cast.period)
    Submission.objects.filter(pk=late.pk).update(status="approved")
    second = run_evaluation(cast.supervisor, cast.period)
    change = compare_runs(first, second)
    assert [(u.code, u.before, u.after) for u in change.units] == [
        (cast.school_b.code, "未纳入", "达标")
    ]
    assert change.missing_removed == [f"城关第一初级中学（{cast.school_b.code}）"]
    assert {c.level for c in change.cvs} == {"junior"}  # the junior CVs became computable


def test_runs_of_different_counties_or_the_same_run_are_not_compared(cast: Cast) -> None:
    ours = run_evaluation(cast.supervisor, cast.period)
    theirs = run_evaluation(cast.other_supervisor, cast.other_period)
    with pytest.raises(NotComparable):
        compare_runs(ours, theirs)
    with pytest.raises(NotComparable):
        compare_runs(ours, ours)
