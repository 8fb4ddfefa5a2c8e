"""Independent plain-Python reference for the 优质均衡 resource-allocation rules.

Written from the domain reference (indicator-frameworks.md §1.2–1.6, §2.1, §9.1–9.4), not from the
engine, so tests can compare the engine against it. Only builtins and ``math``; every rule is
hard-coded here on purpose.

Rules:

- Units: one per compulsory level (primary, junior) a school type serves; 高中部 never is a unit.
- Excluded from the checks and the CVs: 特殊教育学校, 职业学校, and 教学点 with fewer than 50
  (primary) students. Private (民办) schools are included. Excluded units still get their values
  and pass flag, so callers can show them; they never enter a CV.
- Whole-school fields (teaching_area, sports_area, equipment_value, multimedia_rooms) are split by
  weighted enrolment: 九年一贯制 primary:junior = 1:1.1; 完全中学 junior:senior = 1:1.2;
  十二年一贯制 1:1.1:1.32; share of level L = w_L·s_L / Σ w·s. Senior takes its share but is never a
  unit. A students value of None counts as 0 in the split (a blank means the school has no pupils
  at that level); other multi-level types split by plain enrolment.
- Students 0 or None → all values None, passed None (data error). A None numerator → that value
  None and passed None.
- passed ⇔ at least 6 of 7 met (value ≥ standard) and every unmet value ≥ 0.85 × standard.
- CV per (county, level, indicator) over the non-excluded units with a defined value: population
  CV weighted by students; mean 0 → None; no such unit → key absent.
"""

from __future__ import annotations

import math

PRIMARY, JUNIOR, SENIOR = "primary", "junior", "senior"
COMPULSORY = (PRIMARY, JUNIOR)

TYPE_LEVELS: dict[str, tuple[str, ...]] = {
    "小学": (PRIMARY,),
    "初中": (JUNIOR,),
    "九年一贯制学校": (PRIMARY, JUNIOR),
    "十二年一贯制学校": (PRIMARY, JUNIOR, SENIOR),
    "完全中学": (JUNIOR, SENIOR),
    "教学点": (PRIMARY,),
    "特殊教育学校": (PRIMARY, JUNIOR),
    "职业学校": (SENIOR,),
}

SPLIT_WEIGHTS: dict[str, dict[str, float]] = {
    "九年一贯制学校": {PRIMARY: 1.0, JUNIOR: 1.1},
    "完全中学": {JUNIOR: 1.0, SENIOR: 1.2},
    "十二年一贯制学校": {PRIMARY: 1.0, JUNIOR: 1.1, SENIOR: 1.32},
}

EXCLUDED_TYPES = ("特殊教育学校", "职业学校")
TEACHING_POINT = "教学点"
TEACHING_POINT_MIN_STUDENTS = 50

# indicator key -> (numerator field, per-level or whole-school, multiplier)
INDICATORS: dict[str, tuple[str, bool, float]] = {
    "teachers_above_degree_per100": ("teachers_above_degree", True, 100.0),
    "backbone_teachers_per100": ("backbone_teachers", True, 100.0),
    "pe_art_teachers_per100": ("pe_art_teachers", True, 100.0),
    "teaching_area_per_student": ("teaching_area", False, 1.0),
    "sports_area_per_student": ("sports_area", False, 1.0),
    "equipment_value_per_student": ("equipment_value", False, 1.0),
    "multimedia_rooms_per100": ("multimedia_rooms", False, 100.0),
}

STANDARDS: dict[str, dict[str, float]] = {
    PRIMARY: {
        "teachers_above_degree_per100": 4.2,
        "backbone_teachers_per100": 1.0,
        "pe_art_teachers_per100": 0.9,
        "teaching_area_per_student": 4.5,
        "sports_area_per_student": 7.5,
        "equipment_value_per_student": 2000.0,
        "multimedia_rooms_per100": 2.3,
    },
    JUNIOR: {
        "teachers_above_degree_per100": 5.3,
        "backbone_teachers_per100": 1.0,
        "pe_art_teachers_per100": 0.9,
        "teaching_area_per_student": 5.8,
        "sports_area_per_student": 10.2,
        "equipment_value_per_student": 2500.0,
        "multimedia_rooms_per100": 2.4,
    },
}

MIN_MET = 6
FLOOR = 0.85
CV_LIMITS = {PRIMARY: 0.50, JUNIOR: 0.45}


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        return None if math.isnan(number) else number
    raise TypeError(f"not a number: {value!r}")


def weighted_cv(pairs: list[tuple[float, float]]) -> float | None:
    """Student-weighted population CV of (students, value) pairs; None if empty or mean 0."""
    total = sum(p for p, _ in pairs)
    if not pairs or total <= 0:
        return None
    mean = sum(p * x for p, x in pairs) / total
    if mean == 0:
        return None
    variance = sum((p / total) * (x - mean) ** 2 for p, x in pairs)
    return math.sqrt(variance) / mean


def split_shares(school_type: str, students_by_level: dict[str, float]) -> dict[str, float]:
    """Share of a whole-school resource that goes to each level the type serves.

    Missing or None students count as 0. A single-level type gets share 1.0; if no level has
    students, every share is 0.0.
    """
    levels = TYPE_LEVELS.get(school_type, ())
    if len(levels) == 1:
        return {levels[0]: 1.0}
    weights = SPLIT_WEIGHTS.get(school_type, {})
    weighted = {
        level: weights.get(level, 1.0) * (_number(students_by_level.get(level)) or 0.0)
        for level in levels
    }
    total = sum(weighted.values())
    if total <= 0:
        return dict.fromkeys(levels, 0.0)
    return {level: w / total for level, w in weighted.items()}


def unit_passes(level: str, values: dict[str, float | None]) -> bool | None:
    """The 6-of-7 / 85% rule; None when any value is undefined."""
    if any(values.get(key) is None for key in INDICATORS):
        return None
    met = 0
    for key, standard in STANDARDS[level].items():
        value = values[key]
        assert value is not None
        if value >= standard:
            met += 1
        elif value < FLOOR * standard:
            return False
    return met >= MIN_MET


def _excluded(school: dict[str, object]) -> bool:
    school_type = school.get("school_type")
    if school_type in EXCLUDED_TYPES:
        return True
    if school_type == TEACHING_POINT:
        students = _number(school.get("students_primary"))
        return students is not None and students < TEACHING_POINT_MIN_STUDENTS
    return False


def _unit_values(
    school: dict[str, object], level: str, shares: dict[str, float]
) -> dict[str, float | None]:
    students = _number(school.get(f"students_{level}"))
    if students is None or students == 0:
        return dict.fromkeys(INDICATORS, None)
    values: dict[str, float | None] = {}
    for key, (field, per_level, multiplier) in INDICATORS.items():
        amount = _number(school.get(f"{field}_{level}" if per_level else field))
        if amount is None:
            values[key] = None
            continue
        if not per_level:
            amount *= shares[level]
        values[key] = multiplier * amount / students
    return values


def reference_evaluate(schools: list[dict[str, object]]) -> dict[str, object]:
    """Units with values/pass flags and per-(county, level, indicator) weighted CVs."""
    units: dict[tuple[str, str, str], dict[str, object]] = {}
    pairs: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for school in schools:
        school_type = str(school.get("school_type"))
        county, code = str(school.get("county")), str(school.get("school_code"))
        levels = TYPE_LEVELS.get(school_type, ())
        shares = split_shares(
            school_type, {lv: _number(school.get(f"students_{lv}")) or 0.0 for lv in levels}
        )
        excluded = _excluded(school)
        for level in levels:
            if level not in COMPULSORY:
                continue
            values = _unit_values(school, level, shares)
            units[(county, code, level)] = {
                "values": values,
                "passed": unit_passes(level, values),
                "excluded": excluded,
            }
            students = _number(school.get(f"students_{level}"))
            if excluded or students is None or students == 0:
                continue
            for key, value in values.items():
                if value is not None:
                    pairs.setdefault((county, level, key), []).append((students, value))
    cv = {key: weighted_cv(group) for key, group in pairs.items()}
    return {"units": units, "cv": cv}
