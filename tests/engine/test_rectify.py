"""Rectification findings from an evaluation result: keys, texts, counts, order."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from builders import GOOD_PRIMARY, frame, school

from dudao.engine.demo import demo_county_values, demo_schools
from dudao.engine.evaluate import evaluate
from dudao.engine.rectify import Finding, findings_from_result
from dudao.engine.report import to_json_dict
from dudao.engine.spec import Framework, available_frameworks, load_framework

YZJH = load_framework("yzjh-2017")
JBJH = load_framework("jbjh-2012")


def passing_values(fw: Framework) -> dict[str, float | bool | None]:
    values: dict[str, float | bool | None] = {}
    for f in fw.county_fields:
        values[f.key] = (not f.key.startswith("veto_")) if f.kind == "bool" else 100.0
    values["monitoring_between_school_ratio"] = 0.1
    values["basic_balance_years"] = 5.0
    values["special_ed_funding_per_student"] = 7000.0
    return values


def county_result(**county_values: Any) -> dict[str, Any]:
    """A county with one passing school, one failing, one with missing data, a failing CV."""
    rows = [
        school(YZJH, "A", **GOOD_PRIMARY),
        school(YZJH, "B", **{**GOOD_PRIMARY, "teaching_area": 4000.0, "sports_area": 7000.0}),
        school(YZJH, "C", **{**GOOD_PRIMARY, "backbone_teachers_primary": None}),
        school(YZJH, "D", **{**GOOD_PRIMARY, "equipment_value": 10_000_000.0}),
    ]
    values = {"测试县": {**passing_values(YZJH), **county_values}}
    return to_json_dict(evaluate(YZJH, frame(YZJH, rows), values))


def by_key(findings: list[Finding]) -> dict[str, Finding]:
    return {f.key: f for f in findings}


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    schools = demo_schools(1, 40, 2026)
    return to_json_dict(evaluate(YZJH, schools, demo_county_values(1, 2026)))


def test_each_unmet_indicator_of_a_failing_school_is_a_finding_with_its_gap() -> None:
    found = by_key(findings_from_result(county_result()))
    area = found["indicator:B:primary:teaching_area_per_student"]
    assert area.institution_code == "B" and area.level == "primary"
    assert area.problem == "学校B（小学）生均教学及辅助用房面积 4 平方米，未达到 4.5 平方米的标准"
    assert area.measures == "需增加教学及辅助用房约 500 平方米，约 150 万元"  # 500 m² × 3000 元
    sports = found["indicator:B:primary:sports_area_per_student"]
    assert "生均体育运动场馆面积 7 平方米，未达到 7.5 平方米的标准" in sports.problem
    assert not [k for k in found if k.startswith("indicator:A:")]


def test_a_school_with_missing_data_is_one_data_finding_not_an_unmet_indicator() -> None:
    found = by_key(findings_from_result(county_result()))
    data = found["data:C:primary"]
    assert data.problem == "学校C（小学）数据不全，无法评估：缺少每百名学生拥有县级以上骨干教师数"
    assert data.measures == "补齐数据后重新评估"
    assert not [k for k in found if k.startswith("indicator:C:")]


def test_a_failing_cv_names_the_schools_that_pull_it_up() -> None:
    found = by_key(findings_from_result(county_result()))
    cv = found["cv:primary:equipment_value_per_student"]
    assert cv.institution_code is None and cv.level == "primary"
    assert cv.problem.startswith("小学生均教学仪器设备值的差异系数 ")
    assert cv.problem.endswith("超过标准 0.50")
    assert cv.measures.startswith("重点缩小学校D")


def test_failing_items_and_triggered_vetoes_are_county_findings() -> None:
    findings = findings_from_result(county_result(rotation_rate=8.5, veto_key_schools=True))
    found = by_key(findings)
    item = found["item:gov11_rotation"]
    assert (item.institution_code, item.level) == (None, None)
    assert "未达标：8.5（标准 ≥ 10）" in item.problem
    veto = next(f for f in findings if f.key.startswith("veto:"))
    assert veto.problem.startswith("一票否决：") and "重点学校" in veto.problem
    assert findings[-1] == veto  # units, data, CVs, items, vetoes


def test_the_same_data_gives_the_same_findings_and_keys_twice_and_through_json() -> None:
    first = findings_from_result(county_result())
    second = findings_from_result(json.loads(json.dumps(county_result(), ensure_ascii=False)))
    assert first == second
    assert len({f.key for f in first}) == len(first)
    assert [f.key for f in first] == [
        "indicator:B:primary:teaching_area_per_student",
        "indicator:B:primary:sports_area_per_student",
        "data:C:primary",
        "cv:primary:equipment_value_per_student",
    ]


def test_demo_findings_match_the_results_own_numbers(demo: dict[str, Any]) -> None:
    findings = findings_from_result(demo)
    kinds = Counter(f.key.split(":")[0] for f in findings)
    units = [u for u in demo["units"] if not u["excluded"] and u["passed"] is not None]
    unmet = sum(s in ("near", "below") for u in units for s in u["status"].values())
    county = demo["counties"][0]
    assert kinds["indicator"] == unmet == len(county["gaps"]["units"])  # every yzjh gap is priced
    failing = {(u["school_code"], u["level"]) for u in units if u["passed"] is False}
    assert sum(lv["failed"] for lv in county["levels"]) == len(failing)
    assert failing <= {
        (f.institution_code, f.level) for f in findings if f.key.startswith("indicator:")
    }
    incomplete = sum(lv["incomplete"] for lv in county["levels"])
    assert kinds["data"] == incomplete
    reasons = Counter(r["kind"] for r in county["reasons"] if r["failing"])
    assert kinds["cv"] == reasons["cv"]
    assert kinds["item"] + kinds["veto"] == reasons["item"] + reasons["veto"]
    assert len({f.key for f in findings}) == len(findings)
    assert all(f.problem for f in findings)
    assert findings == findings_from_result(demo)


def test_the_demo_file_written_by_the_cli_gives_the_same_findings(
    demo: dict[str, Any], tmp_path: Path
) -> None:
    stored = tmp_path / "result.json"
    stored.write_text(json.dumps(demo, ensure_ascii=False), encoding="utf-8")
    again = json.loads(stored.read_text(encoding="utf-8"))
    assert findings_from_result(again) == findings_from_result(demo)


def test_findings_can_be_restricted_to_one_county() -> None:
    a = school(YZJH, "A", **{**GOOD_PRIMARY, "teaching_area": 4000.0})
    b = school(YZJH, "B", **{**GOOD_PRIMARY, "teaching_area": 1000.0}) | {"county": "另一县"}
    values = {"测试县": passing_values(YZJH), "另一县": passing_values(YZJH)}
    result = to_json_dict(evaluate(YZJH, frame(YZJH, [a, b]), values))
    assert {f.institution_code for f in findings_from_result(result)} == {"A", "B"}
    only = findings_from_result(result, county="另一县")
    assert [f.key for f in only] == ["indicator:B:primary:teaching_area_per_student"]


def test_a_failing_composite_cv_is_one_finding_per_level() -> None:
    big = {"sports_area": 80000.0, "teaching_area": 50000.0, "equipment_value": 21_000_000.0}
    big |= {"teachers_above_degree_primary": 500, "senior_title_teachers_primary": 300}
    rows = [
        school(JBJH, "A", **GOOD_PRIMARY, computers=100, books=30000),
        school(JBJH, "B", **{**GOOD_PRIMARY, **big}, computers=1000, books=300000),
    ]
    result = to_json_dict(evaluate(JBJH, frame(JBJH, rows)))
    level = next(lv for lv in result["counties"][0]["levels"] if lv["level"] == "primary")
    assert level["composite_passed"] is False
    found = by_key(findings_from_result(result))
    assert [k for k in found if k.startswith("cv:")] == ["cv:primary:composite"]
    assert found["cv:primary:composite"].problem.startswith("小学综合差异系数 ")


def test_an_unknown_framework_falls_back_to_the_indicator_keys() -> None:
    result = county_result()
    result["framework"]["code"] = "no-such-framework"
    found = by_key(findings_from_result(result))
    problem = found["indicator:B:primary:teaching_area_per_student"].problem
    assert problem.startswith("学校B（小学）teaching_area_per_student 4")
    assert "未达到 4.5" in problem  # the standard comes from the gap estimate


def test_test_points_that_lost_points_are_findings_with_their_deductions() -> None:
    fw = load_framework("lzpj-example")
    values: dict[str, float | bool | None] = {
        c.key: False if c.kind == "bool" else 0.0 for c in fw.county_fields
    }
    values |= {"inclusive_coverage_rate": 85.0, "public_kg_share": 55.0, "rotation_rate": 12.0}
    values |= {"training_360_rate": 100.0, "satisfaction_rate": 90.0, "oversized_schools": 2}
    result = to_json_dict(evaluate(fw, None, {"测试县": values}))
    points = [f for f in findings_from_result(result) if f.key.startswith("point:")]
    assert [f.key for f in points] == ["point:p04_compulsory"]
    assert points[0].problem.endswith("扣 1 分：2所学校超过规模上限，扣1分")


@pytest.mark.parametrize("code", available_frameworks())
def test_every_shipped_framework_gives_unique_keys_per_county(code: str) -> None:
    fw = load_framework(code)
    schools = demo_schools(2, 20, 7) if fw.levels else None
    result = to_json_dict(evaluate(fw, schools, demo_county_values(2, 7)))
    for county in result["counties"]:
        findings = findings_from_result(result, county=county["county"])
        assert len({f.key for f in findings}) == len(findings)
        assert all(f.problem for f in findings)
