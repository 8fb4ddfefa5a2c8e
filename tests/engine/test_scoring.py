"""Scoring a county with the 履行教育职责评价 example framework."""

from __future__ import annotations

from pathlib import Path

import pytest

from dudao.engine.scoring import PointResult, ScoreResult, format_number, score_county
from dudao.engine.spec import Framework, load_framework

County = dict[str, float | bool | None]


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework("lzpj-example")


def clean(fw: Framework, **changes: float | bool | None) -> County:
    """A county that loses no points, with `changes` applied."""
    values: County = {c.key: False if c.kind == "bool" else 0.0 for c in fw.county_fields}
    values.update(
        inclusive_coverage_rate=85.0,
        public_kg_share=55.0,
        rotation_rate=12.0,
        training_360_rate=100.0,
        satisfaction_rate=90.0,
    )
    values.update(changes)
    return values


def point(result: ScoreResult, key: str) -> PointResult:
    return next(p for p in result.points if p.key == key)


def test_a_clean_county_scores_full_marks(fw: Framework) -> None:
    result = score_county(fw, clean(fw))
    assert result.score == 100
    assert (result.base_grade, result.grade) == ("优秀", "优秀")
    assert all(p.grade == "A" and p.deductions == [] for p in result.points)
    assert result.missing == [] and result.rules_applied == [] and result.bonus == []


def test_two_oversized_schools_lose_one_point(fw: Framework) -> None:
    result = score_county(fw, clean(fw, oversized_schools=2))
    p = point(result, "p04_compulsory")
    assert p.score == 11
    [(reason, deducted)] = p.deductions
    assert deducted == 1
    assert "2" in reason
    assert reason == "2所学校超过规模上限，扣1分"
    assert result.score == 99


def test_a_proportional_deduction_formats_its_numbers(fw: Framework) -> None:
    result = score_county(fw, clean(fw, satisfaction_rate=79.62))
    [(reason, deducted)] = point(result, "p10_satisfaction").deductions
    assert deducted == pytest.approx(2.152)
    assert reason == "公众满意度低于85%（差5.38个百分点），扣2.152分"


def test_a_deduction_is_capped(fw: Framework) -> None:
    result = score_county(fw, clean(fw, oversized_schools=10))
    [(reason, deducted)] = point(result, "p04_compulsory").deductions
    assert deducted == 3  # 10 × 0.5 = 5, capped at 3
    assert reason.startswith("10所")


def test_a_point_never_goes_below_zero(fw: Framework) -> None:
    result = score_county(fw, clean(fw, rectification_overdue=7, legal_adviser_missing=True))
    p = point(result, "p09_rule_of_law")
    assert p.score == 0
    # 7 points for the first deduction, only 1 of the 3 is left for the second
    assert p.deductions == [
        ("7个督导问题逾期未整改，扣7分", 7.0),
        ("中小学法律顾问未全覆盖，扣1分", 1.0),
    ]
    assert sum(d for _, d in p.deductions) == p.points - p.score
    assert p.grade == "C"


def test_a_negative_value_never_adds_points(fw: Framework) -> None:
    result = score_county(fw, clean(fw, oversized_schools=-3))
    assert point(result, "p04_compulsory").score == 12


def test_bonus_is_capped_each_and_in_total(fw: Framework) -> None:
    values = clean(fw, national_awards=4, reform_promoted=3)
    values.update(safety_accidents=2, security_not_met=True)  # p07: −6 −4 = 0
    result = score_county(fw, values)
    assert result.bonus == [
        ("获国家级教育表彰或国家级改革试点4项，加3分", 3.0),
        ("教育改革经验被省级以上推广3项，加2分", 2.0),
    ]
    assert result.score == 95  # 90 + 5


def test_the_total_never_exceeds_full_marks(fw: Framework) -> None:
    result = score_county(fw, clean(fw, national_awards=3, oversized_schools=2))
    assert result.score == 100  # 99 + 3, capped at 100


def test_one_c_fails_the_county(fw: Framework) -> None:
    result = score_county(fw, clean(fw, inclusive_coverage_rate=70.0, public_kg_share=40.0))
    assert point(result, "p03_preschool").grade == "C"
    assert result.score == 90
    assert result.base_grade == "优秀"
    assert result.grade == "不合格"
    assert result.rules_applied == ["一项C或两项B不得评为合格以上"]


def test_two_bs_fail_the_county_but_one_does_not(fw: Framework) -> None:
    one_b = score_county(fw, clean(fw, performance_pay_not_full=True))  # p05: 8/10 → B
    assert point(one_b, "p05_teacher_pay").grade == "B"
    assert one_b.grade == "优秀"
    two_b = score_county(fw, clean(fw, performance_pay_not_full=True, ethics_cases=1))
    assert two_b.grade == "不合格"


def test_a_major_accident_caps_the_grade_at_good(fw: Framework) -> None:
    result = score_county(fw, clean(fw, major_safety_accident=True))
    assert (result.score, result.base_grade, result.grade) == (100, "优秀", "良好")
    assert result.rules_applied == ["发生重大学校安全责任事故的不得评为优秀"]


def test_a_cap_never_raises_the_grade(fw: Framework) -> None:
    values = clean(fw, major_safety_accident=True, satisfaction_rate=50.0)  # −12 on p10
    values.update(edu_spending_decreased=True)  # −6 on p02
    result = score_county(fw, values)
    assert result.score == 82
    assert result.grade == "不合格"  # the C rule wins; the 良好 cap does not lift it


def test_missing_input_makes_the_score_unknown(fw: Framework) -> None:
    values = clean(fw)
    del values["oversized_schools"]
    values["satisfaction_rate"] = None
    result = score_county(fw, values)
    assert point(result, "p04_compulsory").score is None
    assert point(result, "p04_compulsory").grade is None
    assert point(result, "p10_satisfaction").score is None
    assert result.score is None and result.base_grade is None and result.grade is None
    assert result.missing == ["超过规模上限的义务教育学校数", "公众满意度"]


def test_a_missing_bonus_input_is_missing_data(fw: Framework) -> None:
    result = score_county(fw, clean(fw, reform_promoted=None))
    assert result.score is None
    assert result.missing == ["教育改革经验被省级以上推广项数"]


def test_an_undecidable_grade_rule_is_listed(fw: Framework) -> None:
    result = score_county(fw, clean(fw, major_safety_accident=None))
    assert result.score == 100
    assert result.base_grade == "优秀"
    assert result.grade is None  # the accident rule could still lower it
    assert result.missing == ["近两年发生重大学校安全责任事故"]


def test_an_undecidable_rule_that_cannot_lower_the_grade_is_harmless(fw: Framework) -> None:
    result = score_county(fw, clean(fw, major_safety_accident=None, satisfaction_rate=60.0))
    assert result.score == 90  # −10 on p10 → C → 不合格 by rule
    assert result.grade == "不合格"
    assert result.missing == ["近两年发生重大学校安全责任事故"]


# Band edges on the example. The losses are chosen so that the totals are exact; the satisfaction
# deduction (0.4 points per percentage point below 85%) supplies the fractions. base_grade is the
# band alone (the C rule would fail every one of these counties).
LOSE_10 = {"per_student_spending_decreased": True, "security_not_met": True}
LOSE_35 = {
    "edu_spending_decreased": True,
    "per_student_spending_decreased": True,
    "teacher_pay_below_civil": True,
    "performance_pay_not_full": True,
    "inclusive_coverage_rate": 70.0,
    "public_kg_share": 40.0,
    "legal_adviser_missing": True,
}


@pytest.mark.parametrize(
    ("changes", "satisfaction", "total", "band"),
    [
        (LOSE_10, 90.0, 90.0, "优秀"),
        (LOSE_10, 84.975, 89.99, "良好"),
        (LOSE_35, 90.0, 65.0, "合格"),
        (LOSE_35, 84.75, 64.9, "不合格"),
    ],
)
def test_grade_band_edges(
    fw: Framework,
    changes: dict[str, float | bool],
    satisfaction: float,
    total: float,
    band: str,
) -> None:
    result = score_county(fw, clean(fw, **changes, satisfaction_rate=satisfaction))
    assert result.score == total
    assert result.base_grade == band


# ---------------------------------------------------------------- a minimal framework

MINIMAL = """
code = "mini"
title = "最小计分体系"
version = "1"

[[county_fields]]
key = "loss"
label = "失分"

[scoring]
bands = [
  { grade = "优秀", min = 90 },
  { grade = "良好", min = 80 },
  { grade = "合格", min = 65 },
  { grade = "不合格", min = 0 },
]
point_grades = [{ grade = "A", min_share = 0.9 }, { grade = "C", min_share = 0 }]

[[points]]
key = "p1"
label = "唯一测评点"
points = 100

[[points.deductions]]
key = "d1"
reason = "失{n}分"
formula = "loss"
per = 1
"""


@pytest.mark.parametrize(
    ("loss", "band"),
    [(10, "优秀"), (10.01, "良好"), (20, "良好"), (35, "合格"), (35.1, "不合格"), (100, "不合格")],
)
def test_band_edges_on_a_single_point(tmp_path: Path, loss: float, band: str) -> None:
    path = tmp_path / "mini.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    result = score_county(load_framework(path), {"loss": loss})
    assert result.score == pytest.approx(100 - loss)
    assert result.grade == band


def test_a_framework_without_scoring_is_refused() -> None:
    with pytest.raises(ValueError, match="计分"):
        score_county(load_framework("jbjh-2012"), {})


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (2.0, "2"),
        (0.5, "0.5"),
        (79.62, "79.62"),
        (5.379999999999995, "5.38"),
        (-0.0, "0"),
        (0, "0"),
    ],
)
def test_format_number(x: float, text: str) -> None:
    assert format_number(x) == text
