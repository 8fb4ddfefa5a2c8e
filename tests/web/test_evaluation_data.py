"""Approved figures for the evaluation tests, and the snapshot a run takes of them."""

from __future__ import annotations

from typing import Any

from conftest import Cast

from dudao.collection.models import Period, Submission
from dudao.engine.spec import load_framework
from dudao.evaluation.snapshot import as_bool, as_number, schools_frame, take_snapshot
from dudao.orgs.models import Institution

# A primary school that meets every yzjh-2017 standard comfortably (as tests/engine/builders.py).
GOOD_PRIMARY: dict[str, Any] = {
    "students_primary": 1000,
    "classes_primary": 24,
    "max_class_size_primary": 44,
    "teachers_primary": 70,
    "teachers_above_degree_primary": 50,
    "backbone_teachers_primary": 12,
    "pe_art_teachers_primary": 10,
    "senior_title_teachers_primary": 30,
    "teaching_area": 5000.0,
    "sports_area": 8000.0,
    "equipment_value": 2_100_000.0,
    "multimedia_rooms": 25,
    "music_rooms": 2,
    "min_music_room_area": 100.0,
    "art_rooms": 2,
    "min_art_room_area": 95.0,
}
# A junior school that meets every yzjh-2017 standard (5.3, 1.0, 0.9, 5.8, 10.2, 2500, 2.4).
GOOD_JUNIOR: dict[str, Any] = {
    "students_junior": 1000,
    "classes_junior": 20,
    "max_class_size_junior": 48,
    "teachers_junior": 80,
    "teachers_above_degree_junior": 60,
    "backbone_teachers_junior": 12,
    "pe_art_teachers_junior": 10,
    "senior_title_teachers_junior": 40,
    "teaching_area": 6000.0,
    "sports_area": 11000.0,
    "equipment_value": 2_600_000.0,
    "multimedia_rooms": 25,
    "music_rooms": 2,
    "min_music_room_area": 100.0,
    "art_rooms": 2,
    "min_art_room_area": 95.0,
}
# Sports ground at 6.0 m² per pupil against 7.5: below 85 %, so the school fails.
POOR_PRIMARY = GOOD_PRIMARY | {"sports_area": 6000.0}


def submit(
    period: Period,
    institution: Institution | None,
    values: dict[str, Any],
    status: str = "approved",
) -> Submission:
    """A submission stored directly (the collection app's review is not under test here)."""
    return Submission.objects.create(
        period=period, institution=institution, status=status, values=values
    )


def test_the_snapshot_holds_approved_schools_only_in_code_order(cast: Cast) -> None:
    submit(cast.period, cast.school_b, GOOD_JUNIOR)
    submit(cast.period, cast.school_a, GOOD_PRIMARY, status="submitted")
    fw = load_framework("yzjh-2017")
    snapshot = take_snapshot(cast.period, fw)
    assert [row["school_code"] for row in snapshot.inputs["schools"]] == [cast.school_b.code]
    assert snapshot.missing == [
        {"name": cast.school_a.name, "code": cast.school_a.code, "status": "已提交"}
    ]


def test_a_school_row_carries_the_institution_and_zero_for_levels_it_does_not_serve(
    cast: Cast,
) -> None:
    submit(cast.period, cast.school_a, GOOD_PRIMARY)
    row = take_snapshot(cast.period, load_framework("yzjh-2017")).inputs["schools"][0]
    assert row["school_name"] == "石桥镇中心小学"
    assert row["county"] == "青川县"
    assert row["township"] == "石桥镇"
    assert row["area_type"] == "镇区"
    assert row["students_primary"] == 1000.0
    assert row["students_junior"] == 0.0
    assert row["computers"] is None


def test_the_engine_frame_has_every_framework_column_typed(cast: Cast) -> None:
    submit(cast.period, cast.school_a, GOOD_PRIMARY)
    fw = load_framework("yzjh-2017")
    frame = schools_frame(fw, take_snapshot(cast.period, fw).inputs)
    assert frame.columns == [column for _, column, _, _ in fw.field_columns()]
    assert str(frame.schema["township"]) == "String"
    assert str(frame.schema["students_primary"]) == "Float64"


def test_the_county_items_count_only_when_approved(cast: Cast) -> None:
    fw = load_framework("yzjh-2017")
    items = submit(cast.period, None, {"basic_balance_years": 4, "layout_reasonable": True})
    inputs = take_snapshot(cast.period, fw).inputs
    assert inputs["county_values"] == {
        "青川县": {"basic_balance_years": 4.0, "layout_reasonable": True}
    }
    Submission.objects.filter(pk=items.pk).update(status="returned")
    inputs = take_snapshot(cast.period, fw).inputs
    assert inputs["county_values"] == {"青川县": {}}
    assert inputs["county_items_status"] == "已退回"


def test_figures_are_read_as_numbers_and_yes_no_leniently() -> None:
    assert as_number("1,200") == 1200.0
    assert as_number("abc") is None
    assert as_number(True) is None
    assert as_number(float("nan")) is None
    assert as_bool("是") is True
    assert as_bool(0) is False
    assert as_bool("也许") is None
