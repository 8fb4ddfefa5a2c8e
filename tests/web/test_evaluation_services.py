"""run_evaluation: approved data only, missing schools listed, immutable and reproducible runs."""

from __future__ import annotations

import json

import pytest
from conftest import Cast
from django.core.exceptions import PermissionDenied
from test_evaluation_data import GOOD_JUNIOR, GOOD_PRIMARY, POOR_PRIMARY, submit

from dudao.collection.models import Period
from dudao.engine.report import to_json_dict
from dudao.engine.spec import load_framework
from dudao.evaluation.models import Run, RunIsImmutable
from dudao.evaluation.services import EvaluationError, plain_json, run_evaluation
from dudao.evaluation.snapshot import evaluate_snapshot


def test_a_run_uses_approved_submissions_only(cast: Cast) -> None:
    submit(cast.period, cast.school_a, GOOD_PRIMARY)
    submit(cast.period, cast.school_b, GOOD_JUNIOR, status="submitted")
    submit(cast.other_period, cast.school_c, GOOD_PRIMARY)
    run = run_evaluation(cast.supervisor, cast.period)
    codes = {u["school_code"] for u in run.result["units"]}
    assert codes == {cast.school_a.code}
    assert [row["school_code"] for row in run.inputs["schools"]] == [cast.school_a.code]


def test_a_run_lists_every_school_without_an_approved_submission(cast: Cast) -> None:
    submit(cast.period, cast.school_a, GOOD_PRIMARY, status="draft")
    run = run_evaluation(cast.supervisor, cast.period)
    assert run.missing == [
        {"name": "石桥镇中心小学", "code": cast.school_a.code, "status": "草稿"},
        {"name": "城关第一初级中学", "code": cast.school_b.code, "status": "未填报"},
    ]


def test_a_run_records_the_framework_and_the_county_verdict(cast: Cast) -> None:
    submit(cast.period, cast.school_a, POOR_PRIMARY)
    run = run_evaluation(cast.supervisor, cast.period)
    fw = load_framework("yzjh-2017")
    assert (run.framework, run.framework_version, run.framework_digest) == (
        fw.code,
        fw.version,
        fw.digest,
    )
    assert run.verdict == "fail"
    assert run.result["counties"][0]["county"] == "青川县"
    assert run.created_by == cast.supervisor


def test_a_stored_run_cannot_be_saved_again(cast: Cast) -> None:
    run = run_evaluation(cast.supervisor, cast.period)
    run.verdict = "pass"
    with pytest.raises(RunIsImmutable):
        run.save()
    run.refresh_from_db()
    assert run.verdict == "incomplete"


def test_the_same_inputs_give_the_same_result(cast: Cast) -> None:
    submit(cast.period, cast.school_a, GOOD_PRIMARY)
    submit(cast.period, cast.school_b, GOOD_JUNIOR)
    first = run_evaluation(cast.supervisor, cast.period)
    second = run_evaluation(cast.supervisor, cast.period)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.inputs == second.inputs
    assert json.dumps(first.result, sort_keys=True) == json.dumps(second.result, sort_keys=True)


def test_the_stored_result_is_reproduced_from_the_stored_inputs(cast: Cast) -> None:
    submit(cast.period, cast.school_a, POOR_PRIMARY)
    run = Run.objects.get(pk=run_evaluation(cast.supervisor, cast.period).pk)
    fw = load_framework(run.framework)
    assert plain_json(to_json_dict(evaluate_snapshot(fw, run.inputs))) == run.result


def test_a_run_without_approved_schools_is_allowed_and_incomplete(cast: Cast) -> None:
    run = run_evaluation(cast.supervisor, cast.period)
    assert run.inputs["schools"] == []
    assert run.verdict == "incomplete"
    assert [c["county"] for c in run.result["counties"]] == ["青川县"]
    assert len(run.missing) == 2


@pytest.mark.parametrize("who", ["leader", "city_reviewer", "other_supervisor", "clerk_a"])
def test_only_the_county_office_may_run_an_evaluation(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        run_evaluation(getattr(cast, who), cast.period)
    assert not Run.objects.exists()


def test_an_administrator_may_run_an_evaluation(cast: Cast) -> None:
    assert run_evaluation(cast.admin, cast.period).pk


def test_an_unknown_framework_is_reported_in_chinese(cast: Cast) -> None:
    period = Period.objects.create(county=cast.county, name="2027学年", framework="no-such")
    with pytest.raises(EvaluationError, match="无法加载指标体系"):
        run_evaluation(cast.supervisor, period)
