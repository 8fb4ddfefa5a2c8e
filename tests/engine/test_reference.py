"""Tests for the independent reference implementation (tests/engine/reference.py) itself."""

from __future__ import annotations

import math
from typing import Any, cast

import pytest
from reference import (
    FLOOR,
    STANDARDS,
    reference_evaluate,
    split_shares,
    unit_passes,
    weighted_cv,
)

# ------------------------------------------------------------------ weighted CV (§2)


def test_weighted_cv_book_example_section_2_2() -> None:
    schools = [(45, 279), (37, 137), (89, 935), (76, 160), (55, 402)]
    cv = weighted_cv([(p, books / p) for p, books in schools])
    assert cv is not None
    assert round(cv, 3) == 0.515
    # the county mean is total books / total students
    mean = sum(b for _, b in schools) / sum(p for p, _ in schools)
    assert round(mean, 3) == 6.334


def test_weighted_cv_own_example_section_2_3() -> None:
    cv = weighted_cv([(600, 3600 / 600), (300, 3000 / 300), (100, 500 / 100)])
    assert cv is not None
    assert round(cv, 4) == 0.2706
    assert cv == pytest.approx(math.sqrt(3.69) / 7.1)


def test_weighted_cv_is_not_the_unweighted_cv() -> None:
    pairs = [
        (45.0, 279 / 45),
        (37.0, 137 / 37),
        (89.0, 935 / 89),
        (76.0, 160 / 76),
        (55.0, 402 / 55),
    ]
    xs = [x for _, x in pairs]
    mean = sum(xs) / len(xs)
    unweighted = math.sqrt(sum((x - mean) ** 2 for x in xs) / len(xs)) / mean
    assert round(unweighted, 3) == 0.489
    assert weighted_cv(pairs) != pytest.approx(unweighted)


def test_weighted_cv_edges() -> None:
    assert weighted_cv([]) is None
    assert weighted_cv([(100.0, 0.0), (50.0, 0.0)]) is None  # mean 0: undefined
    assert weighted_cv([(100.0, 3.0)]) == 0.0  # a single unit
    assert weighted_cv([(100.0, 2.0), (300.0, 2.0)]) == 0.0
    # scale-free: per student or per 100 students gives the same CV
    pairs = [(120.0, 1.5), (80.0, 4.0), (400.0, 2.2)]
    scaled = [(p, 100 * x) for p, x in pairs]
    assert weighted_cv(pairs) == pytest.approx(weighted_cv(scaled))


# ------------------------------------------------------------------ split (§1.6)


def test_split_shares_worked_example_section_1_6() -> None:
    shares = split_shares("九年一贯制学校", {"primary": 166, "junior": 210})
    assert shares["primary"] == pytest.approx(166 / (166 + 1.1 * 210))
    assert round(23226 * shares["primary"], 1) == 9711.6
    assert round(23226 * shares["junior"], 1) == 13514.4
    assert sum(shares.values()) == pytest.approx(1.0)


def test_split_shares_other_types() -> None:
    complete = split_shares("完全中学", {"junior": 1000, "senior": 500})
    assert complete == pytest.approx({"junior": 1000 / 1600, "senior": 600 / 1600})
    twelve = split_shares("十二年一贯制学校", {"primary": 100, "junior": 100, "senior": 100})
    total = 100 + 110 + 132
    assert twelve == pytest.approx(
        {"primary": 100 / total, "junior": 110 / total, "senior": 132 / total}
    )
    assert split_shares("小学", {"primary": 500}) == {"primary": 1.0}
    assert split_shares("初中", {"junior": 0}) == {"junior": 1.0}
    # a blank level counts as no pupils there
    blank = cast(dict[str, float], {"junior": 800, "senior": None})
    assert split_shares("完全中学", blank) == {"junior": 1.0, "senior": 0.0}
    assert split_shares("九年一贯制学校", {}) == {"primary": 0.0, "junior": 0.0}


# ------------------------------------------------------------------ unit rule (§1.3, §9.3)


def _at(level: str, factors: dict[str, float] | None = None) -> dict[str, float | None]:
    """Values equal to factor × standard (default 1.0, i.e. exactly at the standard)."""
    factors = factors or {}
    return {key: factors.get(key, 1.0) * std for key, std in STANDARDS[level].items()}


@pytest.mark.parametrize("level", ["primary", "junior"])
def test_unit_rule_edges(level: str) -> None:
    stds = STANDARDS[level]
    sports = "sports_area_per_student"
    assert unit_passes(level, _at(level)) is True  # exactly at every standard: met
    floor_value = FLOOR * stds[sports]
    values = _at(level) | {sports: floor_value}
    assert unit_passes(level, values) is True  # 6 met, the 7th exactly at 85%
    values[sports] = math.nextafter(floor_value, 0.0)
    assert unit_passes(level, values) is False  # 6 met, the 7th just below 85%
    values[sports] = math.nextafter(stds[sports], 0.0)
    assert unit_passes(level, values) is True  # 6 met, the 7th just below 100%
    two = _at(level, {sports: 0.99, "equipment_value_per_student": 0.99})
    assert unit_passes(level, two) is False  # two unmet, both above 85%: 5 met
    far_above = _at(level, dict.fromkeys(stds, 3.0)) | {sports: 0.5 * stds[sports]}
    assert unit_passes(level, far_above) is False  # 6 far above cannot make up for one below 85%
    missing = _at(level) | {sports: None}
    assert unit_passes(level, missing) is None


# ------------------------------------------------------------------ reference_evaluate


def _run(schools: list[dict[str, object]]) -> tuple[dict[Any, Any], dict[Any, Any]]:
    result = reference_evaluate(schools)
    return cast(dict[Any, Any], result["units"]), cast(dict[Any, Any], result["cv"])


def _school(code: str, school_type: str = "小学", **fields: object) -> dict[str, object]:
    row: dict[str, object] = {"county": "甲县", "school_code": code, "school_type": school_type}
    row.update(fields)
    return row


GOOD_PRIMARY: dict[str, object] = {
    "students_primary": 1000,
    "teachers_above_degree_primary": 50,
    "backbone_teachers_primary": 12,
    "pe_art_teachers_primary": 10,
    "teaching_area": 5000.0,
    "sports_area": 8000.0,
    "equipment_value": 2_200_000.0,
    "multimedia_rooms": 25,
}


def test_values_and_pass_for_a_simple_primary_school() -> None:
    units, cv = _run([_school("1", **GOOD_PRIMARY)])
    unit = units[("甲县", "1", "primary")]
    assert unit["excluded"] is False
    assert unit["passed"] is True
    assert unit["values"] == pytest.approx(
        {
            "teachers_above_degree_per100": 5.0,
            "backbone_teachers_per100": 1.2,
            "pe_art_teachers_per100": 1.0,
            "teaching_area_per_student": 5.0,
            "sports_area_per_student": 8.0,
            "equipment_value_per_student": 2200.0,
            "multimedia_rooms_per100": 2.5,
        }
    )
    assert cv == dict.fromkeys([("甲县", "primary", key) for key in STANDARDS["primary"]], 0.0)


def test_nine_year_school_is_split_into_two_units() -> None:
    school = _school(
        "9",
        "九年一贯制学校",
        students_primary=166,
        students_junior=210,
        teachers_above_degree_primary=10,
        teachers_above_degree_junior=15,
        backbone_teachers_primary=2,
        backbone_teachers_junior=3,
        pe_art_teachers_primary=2,
        pe_art_teachers_junior=2,
        teaching_area=23226.0,
        sports_area=6000.0,
        equipment_value=1_000_000.0,
        multimedia_rooms=10,
    )
    units, _ = _run([school])
    primary = units[("甲县", "9", "primary")]
    junior = units[("甲县", "9", "junior")]
    assert primary["values"]["teaching_area_per_student"] * 166 == pytest.approx(9711.6, abs=0.05)
    assert junior["values"]["teaching_area_per_student"] * 210 == pytest.approx(13514.4, abs=0.05)
    # per weighted student: junior pupils get 1.1 times the primary pupils' share
    ratio = (
        junior["values"]["sports_area_per_student"] / primary["values"]["sports_area_per_student"]
    )
    assert ratio == pytest.approx(1.1)
    assert junior["values"]["teachers_above_degree_per100"] == pytest.approx(100 * 15 / 210)


def test_complete_middle_school_gives_senior_its_share_but_no_unit() -> None:
    school = _school(
        "C",
        "完全中学",
        students_junior=1000,
        students_senior=500,
        teaching_area=16000.0,
    )
    units, _ = _run([school])
    assert set(units) == {("甲县", "C", "junior")}
    junior = units[("甲县", "C", "junior")]
    assert junior["values"]["teaching_area_per_student"] == pytest.approx(
        16000 * 1000 / 1600 / 1000
    )
    assert junior["values"]["backbone_teachers_per100"] is None  # numerator missing
    assert junior["passed"] is None


def test_twelve_year_school_weights() -> None:
    school = _school(
        "T",
        "十二年一贯制学校",
        students_primary=100,
        students_junior=100,
        students_senior=100,
        equipment_value=342_000.0,
    )
    units, _ = _run([school])
    p = units[("甲县", "T", "primary")]["values"]["equipment_value_per_student"]
    j = units[("甲县", "T", "junior")]["values"]["equipment_value_per_student"]
    assert p == pytest.approx(1000.0)
    assert j == pytest.approx(1100.0)


def test_exclusions_and_private_schools() -> None:
    schools = [
        _school("P49", "教学点", **(GOOD_PRIMARY | {"students_primary": 49})),
        _school("P50", "教学点", **(GOOD_PRIMARY | {"students_primary": 50})),
        _school("S", "特殊教育学校", **(GOOD_PRIMARY | {"students_junior": 30})),
        _school("V", "职业学校", students_senior=800),
        _school("M", "小学", ownership="民办", **GOOD_PRIMARY),
    ]
    units, _ = _run(schools)
    assert units[("甲县", "P49", "primary")]["excluded"] is True
    assert units[("甲县", "P50", "primary")]["excluded"] is False
    assert units[("甲县", "S", "primary")]["excluded"] is True
    assert units[("甲县", "S", "junior")]["excluded"] is True
    assert units[("甲县", "M", "primary")]["excluded"] is False
    assert not any(code == "V" for _, code, _ in units)


def test_excluded_and_empty_units_stay_out_of_the_cv() -> None:
    rich = GOOD_PRIMARY | {"teaching_area": 50000.0}
    schools = [
        _school("A", **GOOD_PRIMARY),
        _school("B", **(GOOD_PRIMARY | {"students_primary": 3000})),
        _school("P", "教学点", **(rich | {"students_primary": 30})),
        _school("S", "特殊教育学校", **rich),
        _school("Z", **(GOOD_PRIMARY | {"students_primary": 0})),
        _school("N", **(GOOD_PRIMARY | {"students_primary": None})),
    ]
    units, cv = _run(schools)
    for code in ("Z", "N"):
        unit = units[("甲县", code, "primary")]
        assert unit["passed"] is None
        assert all(v is None for v in unit["values"].values())
    a_area = 5.0
    b_area = 5000.0 / 3000
    expected = weighted_cv([(1000.0, a_area), (3000.0, b_area)])
    assert cv[("甲县", "primary", "teaching_area_per_student")] == pytest.approx(expected)
    assert ("甲县", "junior", "teaching_area_per_student") not in cv


def test_cv_skips_undefined_values_and_reports_zero_mean_as_none() -> None:
    schools = [
        _school("A", **(GOOD_PRIMARY | {"backbone_teachers_primary": 0})),
        _school("B", **(GOOD_PRIMARY | {"backbone_teachers_primary": 0, "sports_area": None})),
    ]
    units, cv = _run(schools)
    assert cv[("甲县", "primary", "backbone_teachers_per100")] is None
    assert cv[("甲县", "primary", "sports_area_per_student")] == 0.0
    assert units[("甲县", "A", "primary")]["passed"] is False
    assert units[("甲县", "B", "primary")]["passed"] is None


def test_counties_are_kept_apart() -> None:
    schools = [
        _school("A", **GOOD_PRIMARY),
        {**_school("B", **(GOOD_PRIMARY | {"sports_area": 16000.0})), "county": "乙县"},
    ]
    _, cv = _run(schools)
    assert cv[("甲县", "primary", "sports_area_per_student")] == 0.0
    assert cv[("乙县", "primary", "sports_area_per_student")] == 0.0
