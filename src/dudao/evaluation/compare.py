"""What changed between two runs of one county: verdict, CVs, units, reasons, missing schools."""

from __future__ import annotations

from dataclasses import dataclass

from dudao.engine.results import VERDICT_LABELS
from dudao.evaluation.models import Run
from dudao.evaluation.stored import StoredRun, level_label, passed_class, passed_label

CV_TOLERANCE = 1e-9


class NotComparable(Exception):
    """The two runs cannot be compared (different counties, or the same run)."""


@dataclass(frozen=True)
class Verdicts:
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def before_label(self) -> str:
        return VERDICT_LABELS.get(self.before, self.before)

    @property
    def after_label(self) -> str:
        return VERDICT_LABELS.get(self.after, self.after)


@dataclass(frozen=True)
class CvChange:
    level: str
    indicator: str
    before: float | None
    after: float | None
    passed_before: bool | None
    passed_after: bool | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def css_before(self) -> str:
        return passed_class(self.passed_before)

    @property
    def css_after(self) -> str:
        return passed_class(self.passed_after)


@dataclass(frozen=True)
class UnitChange:
    code: str
    name: str
    level: str
    before: str
    after: str
    css_before: str
    css_after: str


@dataclass
class Comparison:
    base: Run
    other: Run
    verdicts: Verdicts
    cvs: list[CvChange]
    units: list[UnitChange]
    reasons_added: list[str]
    reasons_removed: list[str]
    missing_added: list[str]
    missing_removed: list[str]

    @property
    def unchanged(self) -> bool:
        lists = (self.cvs, self.units, self.reasons_added, self.reasons_removed)
        extra = (self.missing_added, self.missing_removed)
        return not self.verdicts.changed and not any(lists) and not any(extra)


def compare_runs(base: Run, other: Run) -> Comparison:
    """Compare `other` against `base` (both already fetched through the user's scope)."""
    if base.pk == other.pk:
        raise NotComparable("请选择两次不同的评估")
    if base.period.county_id != other.period.county_id:
        raise NotComparable("只能比较同一区县的两次评估")
    a, b = StoredRun(base), StoredRun(other)
    before, after = _reasons(a), _reasons(b)
    missing_a, missing_b = _missing(base), _missing(other)
    return Comparison(
        base=base,
        other=other,
        verdicts=Verdicts(base.verdict, other.verdict),
        cvs=cv_changes(a, b),
        units=unit_changes(a, b),
        reasons_added=[r for r in after if r not in before],
        reasons_removed=[r for r in before if r not in after],
        missing_added=[m for m in missing_b if m not in missing_a],
        missing_removed=[m for m in missing_a if m not in missing_b],
    )


def _reasons(stored: StoredRun) -> list[str]:
    return [r["message"] for r in stored.county.get("reasons", [])]


def _missing(run: Run) -> list[str]:
    return [f"{m['name']}（{m['code']}）" for m in run.missing]


def _cv_changed(before: float | None, after: float | None) -> bool:
    if before is None or after is None:
        return before is not after
    return abs(after - before) > CV_TOLERANCE


def cv_changes(a: StoredRun, b: StoredRun) -> list[CvChange]:
    """Every level × indicator whose CV or pass/fail differs."""
    out = []
    cva, cvb = a.county.get("cv", {}), b.county.get("cv", {})
    pa, pb = a.county.get("cv_passed", {}), b.county.get("cv_passed", {})
    levels = list(dict.fromkeys(a.levels + b.levels))
    keys = list(dict.fromkeys([i.key for i in a.indicators] + [i.key for i in b.indicators]))
    for level in levels:
        for key in keys:
            before, after = cva.get(level, {}).get(key), cvb.get(level, {}).get(key)
            passed_before, passed_after = pa.get(level, {}).get(key), pb.get(level, {}).get(key)
            if _cv_changed(before, after) or passed_before != passed_after:
                label = (
                    f"{level_label(level)} · {b.label(key) if b.indicator(key) else a.label(key)}"
                )
                out.append(CvChange(level, label, before, after, passed_before, passed_after))
    return out


def unit_changes(a: StoredRun, b: StoredRun) -> list[UnitChange]:
    """Units whose verdict changed, including units only one of the runs has."""
    before = {(u["school_code"], u["level"]): u for u in a.units}
    after = {(u["school_code"], u["level"]): u for u in b.units}
    out = []
    for key in sorted(before.keys() | after.keys()):
        ua, ub = before.get(key), after.get(key)
        state_a, state_b = _state(ua), _state(ub)
        if state_a == state_b:
            continue
        name = str((ub or ua or {}).get("school_name", key[0]))
        out.append(
            UnitChange(
                code=key[0],
                name=name,
                level=level_label(key[1]),
                before=state_a[0],
                after=state_b[0],
                css_before=state_a[1],
                css_after=state_b[1],
            )
        )
    return out


def _state(unit: dict[str, object] | None) -> tuple[str, str]:
    if unit is None:
        return "未纳入", "muted"
    passed = unit.get("passed")
    assert passed is None or isinstance(passed, bool)
    excluded = bool(unit.get("excluded"))
    return passed_label(passed, excluded), "muted" if excluded else passed_class(passed)
