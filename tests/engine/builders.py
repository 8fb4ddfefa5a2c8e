"""Build school frames for engine tests without going through a spreadsheet."""

from __future__ import annotations

from typing import Any

import polars as pl

from dudao.engine.schooltypes import levels_of
from dudao.engine.spec import Framework

INFO = {"school_code", "school_name", "county", "school_type", "ownership", "township", "area_type"}

# A primary school that meets every yzjh-2017 standard comfortably (1000 students).
GOOD_PRIMARY: dict[str, Any] = {
    "students_primary": 1000,
    "classes_primary": 24,
    "max_class_size_primary": 44,
    "teachers_primary": 70,
    "teachers_above_degree_primary": 50,  # 5.0 per 100 (standard 4.2)
    "backbone_teachers_primary": 12,  # 1.2 (1.0)
    "pe_art_teachers_primary": 10,  # 1.0 (0.9)
    "senior_title_teachers_primary": 30,
    "teaching_area": 5000.0,  # 5.0 (4.5)
    "sports_area": 8000.0,  # 8.0 (7.5)
    "equipment_value": 2_100_000.0,  # 2100 (2000)
    "multimedia_rooms": 25,  # 2.5 (2.3)
    "music_rooms": 2,
    "min_music_room_area": 100.0,
    "art_rooms": 2,
    "min_art_room_area": 95.0,
}


def school(fw: Framework, code: str, school_type: str = "小学", **values: Any) -> dict[str, Any]:
    """One school row: every framework column, levels not served set to 0."""
    row: dict[str, Any] = {c: None for _, c, _, _ in fw.field_columns()}
    row.update(
        school_code=code,
        school_name=f"学校{code}",
        county="测试县",
        school_type=school_type,
        ownership="公办",
    )
    served = levels_of(school_type)
    for _, col, _, level in fw.field_columns():
        if level is not None and level not in served:
            row[col] = 0.0
    row.update(values)
    return row


def frame(fw: Framework, rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = {c: (pl.Utf8 if c in INFO else pl.Float64) for _, c, _, _ in fw.field_columns()}
    return pl.DataFrame(rows, schema=schema)


def scaled(students: float) -> dict[str, Any]:
    """GOOD_PRIMARY resized to `students`: the same indicator values, so CVs stay 0."""
    k = students / GOOD_PRIMARY["students_primary"]
    out = {key: v * k for key, v in GOOD_PRIMARY.items()}
    out["max_class_size_primary"] = GOOD_PRIMARY["max_class_size_primary"]
    out["min_music_room_area"] = GOOD_PRIMARY["min_music_room_area"]
    out["min_art_room_area"] = GOOD_PRIMARY["min_art_room_area"]
    return out
