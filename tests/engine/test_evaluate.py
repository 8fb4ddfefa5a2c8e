"""Evaluation rules of yzjh-2017 and jbjh-2012 on hand-built counties (no spreadsheet)."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from builders import GOOD_PRIMARY, frame, scaled, school

from dudao.engine.evaluate import evaluate
from dudao.engine.results import BELOW, FAIL, INCOMPLETE, MET, NEAR, PASS, status_col, value_col
from dudao.engine.spec import Framework, load_framework

YZJH = load_framework("yzjh-2017")
JBJH = load_framework("jbjh-2012")


def all_passing_values(fw: Framework) -> dict[str, float | bool | None]:
    """County inputs that pass every item and trigger no veto."""
    values: dict[str, float | bool | None] = {}
    for f in fw.county_fields:
        values[f.key] = (not f.key.startswith("veto_")) if f.kind == "bool" else 100.0
    values["monitoring_between_school_ratio"] = 0.1
    values["basic_balance_years"] = 5.0
    values["special_ed_funding_per_student"] = 7000.0
    return values


def run(rows: list[dict[str, Any]], values: dict[str, Any] | None = None, fw: Framework = YZJH):
    county_values = {"测试县": all_passing_values(fw) if values is None else values}
    return evaluate(fw, frame(fw, rows), county_values)


def unit(result: Any, code: str, level: str = "primary") -> dict[str, Any]:
    rows = result.units.filter((pl.col("school_code") == code) & (pl.col("level") == level))
    assert rows.height == 1
    return rows.row(0, named=True)


# ------------------------------------------------------------------ the unit rule at its edges


def test_a_unit_meeting_all_seven_passes() -> None:
    r = run([school(YZJH, "A", **GOOD_PRIMARY)])
    u = unit(r, "A")
    assert u["passed"] is True and u["met_count"] == 7
    assert u[value_col("teachers_above_degree_per100")] == pytest.approx(5.0)


def test_six_met_and_the_seventh_at_exactly_85_percent_passes() -> None:
    # 0.85 × 4.5 m² = 3.825 m² per student
    r = run([school(YZJH, "A", **{**GOOD_PRIMARY, "teaching_area": 3825.0})])
    u = unit(r, "A")
    assert u[status_col("teaching_area_per_student")] == NEAR
    assert u["passed"] is True


def test_six_met_and_the_seventh_just_below_85_percent_fails() -> None:
    r = run([school(YZJH, "A", **{**GOOD_PRIMARY, "teaching_area": 3824.0})])
    u = unit(r, "A")
    assert u[status_col("teaching_area_per_student")] == BELOW
    assert u["passed"] is False
    assert r.counties[0].verdict == FAIL
    assert any("学校A（小学）未达标" in x.message for x in r.counties[0].reasons)


def test_five_met_fails_even_when_both_unmet_are_near() -> None:
    values = {**GOOD_PRIMARY, "teaching_area": 4400.0, "sports_area": 7000.0}
    r = run([school(YZJH, "A", **values)])
    u = unit(r, "A")
    assert u["met_count"] == 5
    assert u[status_col("sports_area_per_student")] == NEAR
    assert u["passed"] is False


def test_a_county_where_everything_is_met_passes() -> None:
    r = run([school(YZJH, "A", **GOOD_PRIMARY), school(YZJH, "B", **GOOD_PRIMARY)])
    c = r.counties[0]
    assert c.verdict == PASS, [x.message for x in c.reasons]


# ------------------------------------------------------------------ levels and enrolment


def test_a_level_with_one_unit_has_cv_zero_and_is_flagged() -> None:
    r = run([school(YZJH, "A", **GOOD_PRIMARY)])
    cv = r.cv.filter(pl.col("level") == "primary")
    assert cv["cv"].to_list() == [0.0] * 7
    assert any("只有 1 个参评单位" in x.message for x in r.counties[0].reasons)


def test_a_level_with_no_units_is_not_applicable_rather_than_passed() -> None:
    r = run([school(YZJH, "A", **GOOD_PRIMARY)])
    junior = next(lv for lv in r.counties[0].levels if lv.level == "junior")
    assert junior.applicable is False
    assert r.cv.filter(pl.col("level") == "junior").height == 0
    assert any(x.kind == "level" and "初中" in x.message for x in r.counties[0].reasons)


@pytest.mark.parametrize("students", [0, None])
def test_zero_or_missing_enrolment_makes_the_unit_and_county_incomplete(students: Any) -> None:
    bad = school(YZJH, "B", **{**GOOD_PRIMARY, "students_primary": students})
    r = run([school(YZJH, "A", **GOOD_PRIMARY), bad])
    u = unit(r, "B")
    assert u["passed"] is None
    assert all(u[value_col(i.key)] is None for i in YZJH.indicators)
    c = r.counties[0]
    assert c.verdict == INCOMPLETE
    assert any("学校B（小学）" in x.message and "学生数" in x.message for x in c.reasons)


def test_a_missing_numerator_is_never_zero() -> None:
    r = run([school(YZJH, "A", **{**GOOD_PRIMARY, "backbone_teachers_primary": None})])
    u = unit(r, "A")
    assert u[value_col("backbone_teachers_per100")] is None
    assert u["passed"] is None
    assert r.counties[0].verdict == INCOMPLETE


def test_a_unit_already_failing_is_failed_even_with_missing_data() -> None:
    values = {**GOOD_PRIMARY, "backbone_teachers_primary": None, "teaching_area": 1000.0}
    r = run([school(YZJH, "A", **values)])
    assert unit(r, "A")["passed"] is False


# ------------------------------------------------------------------ sections and exclusions


def test_nine_year_school_is_split_with_weights_1_to_1_1() -> None:
    # Worked example: 166 primary + 210 junior students, 23 226 books.
    row = school(
        YZJH, "D", "九年一贯制学校", students_primary=166, students_junior=210, books=23226
    )
    r = run([row])
    assert unit(r, "D", "primary")["books"] == pytest.approx(9711.627, abs=1e-3)
    assert unit(r, "D", "junior")["books"] == pytest.approx(13514.373, abs=1e-3)
    assert round(unit(r, "D", "primary")["books"]) == 9712
    assert int(unit(r, "D", "junior")["books"] + 0.5) == 13514


def test_complete_middle_school_gives_its_junior_section_one_share_in_2_2() -> None:
    row = school(
        YZJH, "M", "完全中学", students_junior=1000, students_senior=1000, sports_area=22000
    )
    r = run([row])
    assert unit(r, "M", "junior")["sports_area"] == pytest.approx(10000.0)
    assert r.units.filter(pl.col("school_code") == "M").height == 1


def test_teaching_points_under_50_and_special_schools_are_excluded_with_reasons() -> None:
    rows = [
        school(YZJH, "A", **GOOD_PRIMARY),
        school(YZJH, "T", "教学点", **{**scaled(30), "teaching_area": 10.0}),
        school(YZJH, "U", "教学点", **scaled(50)),
        school(YZJH, "S", "特殊教育学校", students_primary=80, students_junior=40),
    ]
    r = run(rows)
    assert unit(r, "T")["excluded"] is True
    assert "不足50人" in unit(r, "T")["exclusion_reason"]
    assert unit(r, "U")["excluded"] is False
    assert unit(r, "S", "junior")["exclusion_reason"] == "特殊教育学校不参加资源配置评估"
    assert set(r.cv.filter(pl.col("level") == "primary")["n"].to_list()) == {2}
    assert not any(x.kind in ("unit", "cv") for x in r.counties[0].reasons)


def test_private_schools_can_be_left_out_by_the_framework() -> None:
    rows = [school(YZJH, "P", ownership="民办", **GOOD_PRIMARY)]
    assert unit(run(rows, fw=JBJH), "P")["excluded"] is True
    assert unit(run(rows), "P")["excluded"] is False


# ------------------------------------------------------------------ CVs


def test_cv_over_the_limit_fails_the_county_with_its_value() -> None:
    rows = [
        school(YZJH, "A", **GOOD_PRIMARY),
        school(YZJH, "B", **{**GOOD_PRIMARY, "sports_area": 30000.0}),
    ]
    r = run(rows)
    row = r.cv.filter(pl.col("indicator") == "sports_area_per_student").row(0, named=True)
    # values 8 and 30, equal weights: mean 19, S 11 → CV 0.5789
    assert row["cv"] == pytest.approx(11 / 19)
    assert row["passed"] is False
    assert r.counties[0].verdict == FAIL
    assert any("0.579 超过标准 0.50" in x.message for x in r.counties[0].reasons)


def test_book_worked_example_through_jbjh_gives_0_515() -> None:
    books = [(45, 279), (37, 137), (89, 935), (76, 160), (55, 402)]
    rows = [
        school(JBJH, f"S{i}", students_primary=p, books=b, teaching_area=p * 5.0)
        for i, (p, b) in enumerate(books)
    ]
    r = evaluate(JBJH, frame(JBJH, rows))
    cv = r.cv.filter(pl.col("indicator") == "books_per_student")["cv"][0]
    assert round(cv, 3) == 0.515
    assert r.cv.filter(pl.col("indicator") == "teaching_area_per_student")["cv"][0] == 0.0


def test_sports_area_own_example_gives_0_2706_and_status_per_school() -> None:
    rows = [
        school(YZJH, "A", **{**GOOD_PRIMARY, "students_primary": 600, "sports_area": 3600}),
        school(YZJH, "B", **{**GOOD_PRIMARY, "students_primary": 300, "sports_area": 3000}),
        school(YZJH, "C", **{**GOOD_PRIMARY, "students_primary": 100, "sports_area": 500}),
    ]
    r = run(rows)
    cv = r.cv.filter(pl.col("indicator") == "sports_area_per_student")["cv"][0]
    assert cv == pytest.approx(0.27065, abs=1e-4)
    statuses = [unit(r, c)[status_col("sports_area_per_student")] for c in "ABC"]
    assert statuses == [BELOW, MET, BELOW]


def test_composite_cv_is_the_mean_of_the_eight() -> None:
    rows = [
        school(JBJH, "A", **GOOD_PRIMARY, computers=100, books=30000),
        school(JBJH, "B", **{**GOOD_PRIMARY, "sports_area": 30000.0}, computers=90, books=25000),
    ]
    r = evaluate(JBJH, frame(JBJH, rows))
    level = next(lv for lv in r.counties[0].levels if lv.level == "primary")
    cvs = r.cv.filter(pl.col("level") == "primary")["cv"].to_list()
    assert len(cvs) == 8
    assert level.composite_cv == pytest.approx(sum(cvs) / 8)


# ------------------------------------------------------------------ county items and vetoes


def test_missing_county_items_make_the_county_incomplete_not_passed() -> None:
    r = run([school(YZJH, "A", **GOOD_PRIMARY)], values={})
    c = r.counties[0]
    assert c.verdict == INCOMPLETE
    assert any("社会认可度" in x.message and x.kind == "missing" for x in c.reasons)


def test_an_item_below_threshold_fails_with_its_value_and_standard() -> None:
    values = {**all_passing_values(YZJH), "rotation_rate": 8.5}
    c = run([school(YZJH, "A", **GOOD_PRIMARY)], values=values).counties[0]
    assert c.verdict == FAIL
    msg = next(x.message for x in c.reasons if x.kind == "item")
    assert "8.5" in msg and "≥ 10" in msg


def test_a_veto_fails_the_county_whatever_else() -> None:
    values = {**all_passing_values(YZJH), "veto_key_schools": True}
    c = run([school(YZJH, "A", **GOOD_PRIMARY)], values=values).counties[0]
    assert c.verdict == FAIL
    assert any(x.kind == "veto" and "重点学校" in x.message for x in c.reasons)


def test_school_size_item_lists_the_oversized_school() -> None:
    big = {**GOOD_PRIMARY, "students_primary": 2100, "teaching_area": 10500.0}
    big |= {"sports_area": 16800.0, "equipment_value": 4.41e6, "multimedia_rooms": 53}
    big |= {"teachers_above_degree_primary": 105, "backbone_teachers_primary": 25}
    big |= {"pe_art_teachers_primary": 21, "classes_primary": 48}
    big |= {"music_rooms": 4, "art_rooms": 4}
    c = run([school(YZJH, "A", **GOOD_PRIMARY), school(YZJH, "Z", **big)]).counties[0]
    item = next(i for i in c.items if i.key == "gov04_school_size")
    assert item.passed is False
    assert "学校Z" in item.detail and "学校A" not in item.detail


def test_several_counties_are_evaluated_separately() -> None:
    a = school(YZJH, "A", **GOOD_PRIMARY)
    b = school(YZJH, "B", **{**GOOD_PRIMARY, "teaching_area": 1000.0}) | {"county": "另一县"}
    values = {"测试县": all_passing_values(YZJH), "另一县": all_passing_values(YZJH)}
    r = evaluate(YZJH, frame(YZJH, [a, b]), values)
    verdicts = {c.county: c.verdict for c in r.counties}
    assert verdicts == {"测试县": PASS, "另一县": FAIL}


# ------------------------------------------------------------------ gaps


def test_gap_is_the_missing_resource_and_its_cost() -> None:
    values = {**GOOD_PRIMARY, "teaching_area": 4000.0, "teachers_above_degree_primary": 41}
    r = run([school(YZJH, "A", **values)])
    gaps = {g["indicator"]: g for g in r.gaps.iter_rows(named=True)}
    area = gaps["teaching_area_per_student"]
    assert area["missing"] == pytest.approx(500.0)  # (4.5 − 4.0) × 1000
    assert area["cost"] == pytest.approx(500.0 * 3000)
    teachers = gaps["teachers_above_degree_per100"]
    assert teachers["missing"] == pytest.approx(1.0)  # (4.2 − 4.1) × 1000 / 100
    assert teachers["missing_whole"] == 1.0


def test_prices_given_on_the_command_line_override_the_framework() -> None:
    values = {**GOOD_PRIMARY, "teaching_area": 4000.0}
    r = evaluate(YZJH, frame(YZJH, [school(YZJH, "A", **values)]), {}, {"building_per_m2": 5000})
    assert r.gaps["cost"][0] == pytest.approx(500.0 * 5000)


def test_contributors_name_the_unit_that_pulls_the_cv_up() -> None:
    rows = [school(YZJH, c, **GOOD_PRIMARY) for c in "ABC"]
    rows.append(school(YZJH, "Z", **{**GOOD_PRIMARY, "sports_area": 40000.0}))
    r = run(rows)
    top = r.contributors.filter(pl.col("indicator") == "sports_area_per_student").row(0, named=True)
    assert top["school_code"] == "Z"
