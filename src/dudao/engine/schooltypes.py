"""School types (学校类型) and the levels (学段) each one serves."""

from __future__ import annotations

PRIMARY, JUNIOR, SENIOR = "primary", "junior", "senior"

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
SCHOOL_TYPES = tuple(TYPE_LEVELS)
OWNERSHIPS = ("公办", "民办")

# Which weighted-enrolment split (units.split in a framework) applies to a school type.
SPLIT_KIND: dict[str, str] = {
    "九年一贯制学校": "nine_year",
    "十二年一贯制学校": "twelve_year",
    "完全中学": "complete_middle",
}
INTEGRATED_TYPES = ("九年一贯制学校", "十二年一贯制学校")
TEACHING_POINT = "教学点"
PRIVATE = "民办"


def levels_of(school_type: str) -> tuple[str, ...]:
    """Levels a school type serves; an unknown type serves none."""
    return TYPE_LEVELS.get(school_type, ())
