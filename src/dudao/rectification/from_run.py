"""Rectification items from an evaluation run: every unmet indicator, failing CV and item.

The findings come from the pure `dudao.engine.rectify.findings_from_result`. Each becomes an item
with source "evaluation" and the key `run:<period id>:<finding key>` — keyed by the PERIOD, not
the run, so that repeating the action on the same run, or on a later run of the same period
(data corrected and evaluated again), never registers the same problem twice. A later period
(the next school year) has its own keys: a problem still there is registered again for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from dudao.engine.rectify import Finding, findings_from_result
from dudao.evaluation.models import Run
from dudao.orgs.models import Institution
from dudao.orgs.selectors import User, can_manage_county
from dudao.rectification.choices import DEFAULT_MEASURES, RectificationSource
from dudao.rectification.services import rectification_create


@dataclass(frozen=True)
class FromRun:
    """How many items the action registered, and how many it found already registered."""

    created: int
    existing: int


def source_key(run: Run, finding: Finding) -> str:
    return f"run:{run.period_id}:{finding.key}"


@transaction.atomic
def rectifications_from_run(
    user: User,
    run: Run,
    *,
    deadline: date | None = None,
    responsible: str = "",
    measures: str = DEFAULT_MEASURES,
    now: datetime | None = None,
) -> FromRun:
    """Register one item per finding of the run (county office only); idempotent per period.

    Every item gets the `responsible` person; a finding without measures of its own (a
    county-level indicator) gets `measures` (default: 对照指标要求制定整改方案)."""
    county = run.period.county
    if not can_manage_county(user, county):
        raise PermissionDenied("只有县督导室可以从评估结果生成整改事项")
    findings = findings_from_result(run.result, county=county.name)
    schools = {i.code: i for i in Institution.objects.filter(county=county)}
    label = f"{run.period.name}评估（{run.created_at:%Y-%m-%d}）"
    created = existing = 0
    for finding in findings:
        school = schools.get(finding.institution_code or "")
        problem = finding.problem
        if finding.institution_code and school is None:  # the school left the county since
            problem = f"（学校标识码 {finding.institution_code}）{problem}"
        _, made = rectification_create(
            user,
            county=county,
            source=RectificationSource.EVALUATION,
            source_key=source_key(run, finding),
            source_label=label,
            problem=problem,
            institution=school,
            measures=finding.measures or measures.strip() or DEFAULT_MEASURES,
            responsible=responsible.strip(),
            deadline=deadline,
            now=now,
        )
        created += made
        existing += not made
    return FromRun(created, existing)
