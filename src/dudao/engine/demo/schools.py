"""The demo school table: its columns, and one county after another drawn into them."""

from __future__ import annotations

import random

import polars as pl

from dudao.engine.demo.figures import _draw_school
from dudao.engine.demo.names import county_name
from dudao.engine.demo.plan import _plan_county

_INFO_COLUMNS = (
    "school_code",
    "school_name",
    "county",
    "school_type",
    "ownership",
    "township",
    "area_type",
)
_LEVEL_FIELDS = (
    "classes",
    "max_class_size",
    "teachers",
    "teachers_above_degree",
    "backbone_teachers",
    "pe_art_teachers",
    "senior_title_teachers",
)
_SCHOOL_FIELDS = (
    "teaching_area",
    "sports_area",
    "equipment_value",
    "multimedia_rooms",
    "computers",
    "books",
    "music_rooms",
    "min_music_room_area",
    "art_rooms",
    "min_art_room_area",
)
COLUMNS: tuple[str, ...] = (
    *_INFO_COLUMNS,
    "students_primary",
    "students_junior",
    "students_senior",
    *(f"{key}_{level}" for key in _LEVEL_FIELDS for level in ("primary", "junior")),
    *_SCHOOL_FIELDS,
)
_SCHEMA: dict[str, pl.DataType] = {
    name: (pl.Utf8() if name in _INFO_COLUMNS else pl.Float64()) for name in COLUMNS
}


def demo_schools(counties: int = 1, schools_per_county: int = 40, seed: int = 2026) -> pl.DataFrame:
    """One row per school: the info columns (Utf8) and every numeric field (Float64), see COLUMNS.

    Per-level fields exist for primary and junior (students also for senior); levels a school's
    type does not serve are 0.0, and counts are whole numbers. A county of 40 schools has about 24
    小学, 2–4 教学点 (one under 50 pupils, one of 50–100), 9 初中, 1–2 九年一贯制学校, one 完全中学
    and one 特殊教育学校; sometimes a 十二年一贯制学校 and a 民办 school. School codes are
    ``"21" + county index (4 digits) + school number (4 digits)``, hence the 9999 limits.
    """
    if not 0 <= counties <= 9999 or not 0 <= schools_per_county <= 9999:
        raise ValueError("demo_schools: counties and schools_per_county must be in 0..9999")
    columns: list[list[str | float]] = [[] for _ in COLUMNS]
    for index in range(counties):
        rng = random.Random(f"dudao-demo:{seed}:{index}")
        name = county_name(index)
        # The first county shows every kind of finding: a CV over its limit, a private school.
        hotspot = index == 0 or rng.random() < 0.25
        plan = _plan_county(rng, name, schools_per_county, hotspot, showcase=index == 0)
        prefix = f"21{index:04d}"
        rows = [
            _draw_school(rng.random, f"{prefix}{number:04d}", name, school)
            for number, school in enumerate(plan, start=1)
        ]
        # Transpose county by county, so no list of all row tuples is ever held.
        # (An empty county yields no columns at all, hence strict=False.)
        for column, values in zip(columns, zip(*rows, strict=True), strict=False):
            column.extend(values)
    return pl.DataFrame(dict(zip(COLUMNS, columns, strict=True)), schema=_SCHEMA)
