"""Writes of the evaluation app: running an evaluation on a period's approved data."""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from dudao.collection.models import Period
from dudao.engine.report import to_json_dict
from dudao.engine.results import INCOMPLETE
from dudao.engine.spec import Framework, FrameworkError, load_framework
from dudao.evaluation.models import Run
from dudao.evaluation.snapshot import evaluate_snapshot, take_snapshot
from dudao.orgs.selectors import User, can_manage_county


class EvaluationError(Exception):
    """An evaluation cannot be run; the message is shown to the user."""


def run_evaluation(user: User, period: Period) -> Run:
    """Evaluate the period's approved submissions and store the run (immutable).

    Only the county office (and administrators) may run an evaluation. Schools without an
    approved submission are left out and listed in `Run.missing`.
    """
    if not can_manage_county(user, period.county):
        raise PermissionDenied("只有县督导室可以运行评估")
    fw = framework_for(period.framework)
    with transaction.atomic():
        snapshot = take_snapshot(period, fw)
        result = plain_json(to_json_dict(evaluate_snapshot(fw, snapshot.inputs)))
        return Run.objects.create(
            period=period,
            framework=fw.code,
            framework_version=fw.version,
            framework_digest=fw.digest,
            created_by=user,
            inputs=snapshot.inputs,
            missing=snapshot.missing,
            result=result,
            verdict=county_verdict(result, period.county.name),
        )


def framework_for(code: str) -> Framework:
    """The framework of a period, or an EvaluationError saying why it cannot be loaded."""
    try:
        return load_framework(code)
    except FrameworkError as exc:
        raise EvaluationError(f"无法加载指标体系“{code}”：{exc.reason}") from exc


def county_verdict(result: dict[str, Any], county: str) -> str:
    """The county's verdict in a result (incomplete when the county is absent)."""
    for entry in result.get("counties", []):
        if entry["county"] == county:
            return str(entry["verdict"])
    return INCOMPLETE


def plain_json(value: Any) -> Any:
    """The value as JSON stores it (lists for tuples, no NaN), so that stored == returned."""
    return json.loads(json.dumps(_finite(value), ensure_ascii=False, allow_nan=False))


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
