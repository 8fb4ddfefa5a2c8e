"""Template contexts of the evaluation pages (reads only; the views stay thin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, QueryDict

from dudao.collection.choices import PeriodStatus
from dudao.evaluation import charts, sections
from dudao.evaluation.export import current_framework
from dudao.evaluation.matrix import build_matrix
from dudao.evaluation.models import Run
from dudao.evaluation.selectors import comparable_runs, periods_for, run_list
from dudao.evaluation.stored import Json, StoredRun, level_label, passed_label, status_label
from dudao.orgs.selectors import User, can_manage_county

PAGE_SIZE = 50


def runs_context(user: User, page: str | None) -> dict[str, Any]:
    """The run list (paginated; each run linked to the previous run of its county on the page)
    and the periods the user may start a run for."""
    runs = Paginator(run_list(user), PAGE_SIZE).get_page(page)
    previous: dict[int, Run] = {}
    rows = list(runs)
    for k, run in enumerate(rows):
        earlier = (r for r in rows[k + 1 :] if r.period.county_id == run.period.county_id)
        found = next(earlier, None)
        if found is not None:
            previous[run.pk] = found
    periods = [
        (p, p.status == PeriodStatus.OPEN and can_manage_county(user, p.county))
        for p in periods_for(user)
    ]
    return {
        "page": runs,
        "rows": [(run, previous.get(run.pk)) for run in rows],
        "periods": periods,
    }


def run_context(user: User, stored: StoredRun, params: QueryDict) -> dict[str, Any]:
    """Everything the results page shows."""
    run = stored.run
    failing, notes = sections.reasons(stored)
    return {
        "run": run,
        "stored": stored,
        "failing": failing,
        "notes": notes,
        "cv_tables": sections.cv_tables(stored),
        "items": sections.items(stored),
        "gaps": sections.gaps(stored),
        "matrix": build_matrix(stored, params),
        "cv_charts": charts.cv_charts(stored),
        **distribution_context(stored, params),
        "score": stored.county.get("score"),
        "framework_current": current_framework(run) is not None,
        "others": list(comparable_runs(user, run)[:50]),
    }


def distribution_context(stored: StoredRun, params: QueryDict) -> dict[str, Any]:
    """The distribution chart for the `indicator` and `chart_level` chosen (or the first)."""
    keys = [i.key for i in stored.indicators]
    indicator = params.get("indicator", "")
    indicator = indicator if indicator in keys else (keys[0] if keys else "")
    levels = [lv for lv in stored.levels if any(u["level"] == lv for u in stored.units)]
    level = params.get("chart_level", "")
    level = level if level in stored.levels else (levels[0] if levels else "")
    return {
        "distribution": charts.distribution_chart(stored, indicator, level),
        "chart_indicator": indicator,
        "chart_level": level,
        "chart_levels": [(lv, level_label(lv)) for lv in stored.levels],
    }


@dataclass(frozen=True)
class IndicatorLine:
    label: str
    unit: str
    value: float | None
    standard: float | None
    status: str | None

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.standard:
            return None
        return 100 * self.value / self.standard

    @property
    def css(self) -> str:
        return self.status or ""

    @property
    def verdict(self) -> str:
        return status_label(self.status)


def unit_context(stored: StoredRun, code: str, level: str) -> dict[str, Any]:
    """One unit (a school at one level): its values against the standards, gaps, inputs."""
    unit = stored.unit(code, level)
    if unit is None:
        raise Http404("没有这个参评单位")
    school = stored.schools.get(code, {})
    lines = [
        IndicatorLine(
            i.label,
            i.unit,
            unit["values"].get(i.key),
            i.standard.get(level),
            unit["status"].get(i.key),
        )
        for i in stored.indicators
    ]
    gaps = [
        g for g in sections.gaps(stored).units if (g["school_code"], g["level"]) == (code, level)
    ]
    contributors = [c for c in sections.cv_contributors(stored, code) if c["level"] == level]
    return {
        "run": stored.run,
        "unit": unit,
        "school": school,
        "level_label": level_label(level),
        "verdict": passed_label(unit.get("passed"), bool(unit.get("excluded"))),
        "lines": lines,
        "gaps": gaps,
        "contributors": contributors,
        "inputs": _inputs(stored, school, level),
        "sections": [
            (u["level"], level_label(u["level"])) for u in stored.units if u["school_code"] == code
        ],
    }


def _inputs(stored: StoredRun, school: Json, level: str) -> list[tuple[str, str, Any]]:
    """(label, unit, value) of the school's stored figures for this level and the whole school."""
    fields = stored.meta.get("fields", [])
    return [
        (f["label"], f["unit"], school.get(f["column"]))
        for f in fields
        if f.get("level") in (None, level)
    ]
