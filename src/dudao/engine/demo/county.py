"""Demo county-level inputs (政府保障程度, 教育质量, 社会认可度, vetoes)."""

from __future__ import annotations

import random

from dudao.engine.demo.names import county_name

COUNTY_FIELD_KEYS: tuple[str, ...] = (
    "basic_balance_years",
    "layout_reasonable",
    "four_unified",
    "small_school_funding",
    "special_ed_funding_per_student",
    "teacher_pay_not_below_civil",
    "training_360_rate",
    "staffing_overall",
    "rotation_rate",
    "rotation_backbone_share",
    "certified_teacher_rate",
    "zoned_enrolment_primary",
    "zoned_enrolment_junior",
    "quota_allocation_rate",
    "left_behind_care",
    "migrant_public_rate",
    "junior_retention_rate",
    "disabled_enrolment_rate",
    "charter_and_ict",
    "training_funds_5pct",
    "ict_teaching",
    "moral_education_good",
    "curriculum_complete",
    "no_excess_burden",
    "monitoring_level_3",
    "monitoring_between_school_ratio",
    "recognition_rate",
    "veto_exam_admission",
    "veto_school_choice",
    "veto_key_schools",
    "veto_unfilled_posts",
    "veto_major_incident",
    "veto_falsification",
)

# Failing values a later county may show on one item (about one county in seven).
_COUNTY_SLIPS: tuple[tuple[str, float], ...] = (
    ("rotation_rate", 9.2),
    ("rotation_backbone_share", 17.5),
    ("zoned_enrolment_junior", 93.6),
    ("migrant_public_rate", 82.4),
    ("junior_retention_rate", 94.1),
    ("recognition_rate", 84.3),
)


def demo_county_values(
    counties: int = 1, seed: int = 2026
) -> dict[str, dict[str, float | bool | None]]:
    """County-level inputs (政府保障程度, 教育质量, 社会认可度, vetoes) for each demo county.

    Percentages are 0–100 numbers. The first county misses two items (rotation 8.5%, recognition
    83.2%); later counties mostly pass, about one in seven misses one item; no veto is set.
    """
    result: dict[str, dict[str, float | bool | None]] = {}
    for index in range(counties):
        rng = random.Random(f"dudao-demo-county:{seed}:{index}")

        def pct(lo: float, hi: float, rng: random.Random = rng) -> float:
            return round(lo + (hi - lo) * rng.random(), 1)

        values: dict[str, float | bool | None] = {
            "basic_balance_years": float(rng.randint(3, 9)),
            "layout_reasonable": True,
            "four_unified": True,
            "small_school_funding": True,
            "special_ed_funding_per_student": float(rng.choice((6000, 6500, 7000, 8000, 9000))),
            "teacher_pay_not_below_civil": True,
            "training_360_rate": 100.0,
            "staffing_overall": True,
            "rotation_rate": pct(10.5, 18.0),
            "rotation_backbone_share": pct(21.0, 36.0),
            "certified_teacher_rate": 100.0,
            "zoned_enrolment_primary": 100.0,
            "zoned_enrolment_junior": pct(95.5, 100.0),
            "quota_allocation_rate": pct(50.5, 65.0),
            "left_behind_care": True,
            "migrant_public_rate": pct(86.0, 98.5),
            "junior_retention_rate": pct(95.6, 99.6),
            "disabled_enrolment_rate": pct(95.5, 99.8),
            "charter_and_ict": True,
            "training_funds_5pct": True,
            "ict_teaching": True,
            "moral_education_good": True,
            "curriculum_complete": True,
            "no_excess_burden": True,
            "monitoring_level_3": True,
            "monitoring_between_school_ratio": round(0.05 + 0.09 * rng.random(), 3),
            "recognition_rate": pct(86.5, 96.5),
            "veto_exam_admission": False,
            "veto_school_choice": False,
            "veto_key_schools": False,
            "veto_unfilled_posts": False,
            "veto_major_incident": False,
            "veto_falsification": False,
        }
        if index == 0:
            values["rotation_rate"] = 8.5
            values["recognition_rate"] = 83.2
        elif rng.random() < 0.15:
            key, bad = rng.choice(_COUNTY_SLIPS)
            values[key] = bad
        result[county_name(index)] = values
    return result
