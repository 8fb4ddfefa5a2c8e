"""What the template and the readers agree on: sheet names, mandatory fields, part/whole pairs,
column titles and the levels a school type does not serve."""

from __future__ import annotations

from dudao.engine.schooltypes import TYPE_LEVELS
from dudao.engine.spec import FieldSpec

SCHOOLS_SHEET = "学校基础数据"
COUNTY_SHEET = "县级指标"
GUIDE_SHEET = "填表说明"
TEMPLATE_ROWS = 10_000  # data rows of the template that carry Excel data validation
MANDATORY_INFO = ("school_code", "school_name", "county", "school_type", "ownership")
NON_BLANK_INFO = ("school_code", "county", "school_type", "ownership")
#: (part, whole) field pairs: the part may not exceed the whole (per level for level fields).
#: A framework that lacks either field skips the pair.
PART_WHOLE: tuple[tuple[str, str], ...] = (
    ("teachers_above_degree", "teachers"),
    ("backbone_teachers", "teachers"),
    ("pe_art_teachers", "teachers"),
    ("senior_title_teachers", "teachers"),
)
WAN = "万元"

CountyValues = dict[str, dict[str, float | bool | None]]


def _must(f: FieldSpec) -> bool:
    """Whether a field's column must be present (and, for key info, filled)."""
    return f.key in MANDATORY_INFO or f.required


def _title(label: str, unit: str) -> str:
    return f"{label}（{unit}）" if unit else label


def _not_serving(level: str) -> list[str]:
    """Known school types that do not serve a level."""
    return [t for t, levels in TYPE_LEVELS.items() if level not in levels]
