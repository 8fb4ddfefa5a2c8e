"""The shipped framework files load, match the domain reference, and bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from dudao.engine.spec import (
    Framework,
    FrameworkError,
    available_frameworks,
    framework_dir,
    load_framework,
)

SHIPPED = ("jbjh-2012", "lzpj-example", "xqph-2020", "yzjh-2017")


def test_every_shipped_framework_loads() -> None:
    names = available_frameworks()
    assert set(SHIPPED) <= set(names)
    for name in names:
        fw = load_framework(name)
        assert fw.code == name
        assert fw.title
        assert len(fw.digest) == 64


def test_a_framework_loads_by_path_as_well_as_by_code(tmp_path: Path) -> None:
    source = load_framework("jbjh-2012")
    copy = tmp_path / "my-province-jbjh.toml"
    copy.write_bytes((framework_dir() / "jbjh-2012.toml").read_bytes())
    assert load_framework(copy).digest == source.digest
    assert load_framework(str(copy)).code == "jbjh-2012"


# ---------------------------------------------------------------- yzjh-2017

# Status per item as the domain reference gives it (§1.7–§1.9): interpretations and wording
# that were not seen in a source are UNCONFIRMED.
YZJH_UNCONFIRMED_ITEMS = {
    "gov03_music_rooms",  # ceil(classes / 12) is an interpretation
    "gov03_art_rooms",
    "gov07_special_ed_funding",  # 6000 vs 8000, exact wording
    "gov15_left_behind",  # whether the two halves form one item
    "gov15_migrant",
}
YZJH_VETO_STATUS = {
    "exam_admission": "CONFIRMED",
    "school_choice": "CONFIRMED",
    "key_schools": "CONFIRMED",
    "unfilled_posts": "UNCONFIRMED",
    "major_incident": "UNCONFIRMED",
    "falsification": "UNCONFIRMED",
}


@pytest.fixture(scope="module")
def yzjh() -> Framework:
    return load_framework("yzjh-2017")


def test_yzjh_has_seven_indicators_with_six_of_seven_rule(yzjh: Framework) -> None:
    assert len(yzjh.indicators) == 7
    assert yzjh.unit_rule is not None
    assert (yzjh.unit_rule.min_met, yzjh.unit_rule.floor) == (6, 0.85)
    assert yzjh.balance is not None
    assert yzjh.balance.mode == "each"
    assert yzjh.balance.limit == {"primary": 0.50, "junior": 0.45}


def test_yzjh_item_groups_and_numbering(yzjh: Framework) -> None:
    groups = {i.group for i in yzjh.items}
    assert groups == {"申报条件", "政府保障程度", "教育质量", "社会认可度"}
    gov = {i.key[:5] for i in yzjh.items if i.group == "政府保障程度"}
    quality = {i.key.split("_")[0] for i in yzjh.items if i.group == "教育质量"}
    assert gov == {f"gov{n:02d}" for n in range(1, 16)}  # 15 items, some split in halves
    assert quality == {f"q{n}" for n in range(1, 10)}  # 9 items


def test_yzjh_item_statuses_follow_the_reference(yzjh: Framework) -> None:
    for item in yzjh.items:
        expected = "UNCONFIRMED" if item.key in YZJH_UNCONFIRMED_ITEMS else "CONFIRMED"
        assert item.status == expected, item.key
    assert {v.key: v.status for v in yzjh.vetoes} == YZJH_VETO_STATUS
    assert yzjh.units.status == "UNCONFIRMED"


# ---------------------------------------------------------------- jbjh-2012


def test_jbjh_has_eight_indicators_and_a_composite_cv() -> None:
    fw = load_framework("jbjh-2012")
    assert [i.label for i in fw.indicators] == [
        "生均教学及辅助用房面积",
        "生均体育运动场馆面积",
        "生均教学仪器设备值",
        "每百名学生拥有计算机台数",
        "生均图书册数",
        "师生比",
        "生均高于规定学历教师数",
        "生均中级及以上专业技术职务教师数",
    ]
    assert all(i.standard == {} and i.gap is None for i in fw.indicators)
    assert fw.unit_rule is None
    assert fw.balance is not None
    assert fw.balance.mode == "composite"
    assert fw.balance.limit == {"primary": 0.65, "junior": 0.55}
    ratio = next(i for i in fw.indicators if i.key == "teacher_student_ratio")
    assert ratio.formula.evaluate({"teachers": 49, "students": 1000}) == pytest.approx(0.049)


def test_jbjh_excludes_teaching_points_and_private_schools() -> None:
    units = load_framework("jbjh-2012").units
    assert "教学点" in units.exclude_types
    assert units.include_private is False
    assert units.status == "UNCONFIRMED"


def test_jbjh_county_items_need_85_points_and_85_percent() -> None:
    items = {i.key: i for i in load_framework("jbjh-2012").items}
    assert (items["gov_work"].op, items["gov_work"].threshold) == (">=", 85.0)
    assert (items["satisfaction"].op, items["satisfaction"].threshold) == (">=", 85.0)


def test_jbjh_shares_field_keys_and_labels_with_yzjh(yzjh: Framework) -> None:
    jbjh = load_framework("jbjh-2012")
    labels = {f.key: f.label for f in yzjh.fields}
    for f in jbjh.fields:
        assert f.key in labels, f.key
        assert f.label == labels[f.key], f.key
    wan = {f.key for f in jbjh.fields if f.wan_convertible}
    assert wan == {"equipment_value"}


# ---------------------------------------------------------------- xqph-2020


def test_xqph_is_county_only_with_three_vetoes() -> None:
    fw = load_framework("xqph-2020")
    assert fw.levels == ()
    assert fw.fields == () and fw.indicators == ()
    assert [v.key for v in fw.vetoes] == ["clearly_failing", "complaints", "falsification"]
    assert all(v.status == "CONFIRMED" for v in fw.vetoes)


def test_xqph_thresholds() -> None:
    items = {i.key: i for i in load_framework("xqph-2020").items}
    expected = {
        "gross_enrolment": (">=", 85.0),
        "inclusive_coverage": (">=", 80.0),
        "public_share": (">=", 50.0),
        "children_per_teacher": ("<=", 15.0),
        "certified": (">=", 100.0),
        "class_size": (">=", 85.0),
        "building_area_new": (">=", 100.0),
        "building_area_old": (">=", 50.0),
        "recognition": (">=", 85.0),
    }
    for key, (op, threshold) in expected.items():
        assert (items[key].op, items[key].threshold) == (op, threshold), key
    assert items["building_area_new"].status == "UNCONFIRMED"  # the 2017 split is a reading
    assert items["gross_enrolment"].status == "CONFIRMED"


def test_xqph_ratios_are_computed_from_counts() -> None:
    items = {i.key: i for i in load_framework("xqph-2020").items}
    county = {
        "enrolled_children": 9000,
        "age_3_5_population": 10000,
        "public_kg_children": 4800,
        "inclusive_private_children": 2700,
        "fulltime_teachers": 600,
    }
    assert items["gross_enrolment"].formula.evaluate(county) == pytest.approx(90.0)
    assert items["inclusive_coverage"].formula.evaluate(county) == pytest.approx(83.333333)
    assert items["public_share"].formula.evaluate(county) == pytest.approx(53.333333)
    assert items["children_per_teacher"].formula.evaluate(county) == pytest.approx(15.0)
    assert items["gross_enrolment"].formula.evaluate({**county, "age_3_5_population": 0}) is None


# ---------------------------------------------------------------- lzpj-example


def test_lzpj_example_is_a_template_of_100_points() -> None:
    fw = load_framework("lzpj-example")
    assert fw.status == "TEMPLATE"
    assert "示例" in fw.notes
    assert fw.scoring is not None
    assert sum(p.points for p in fw.scoring.points) == 100
    assert 8 <= len(fw.scoring.points) <= 12
    assert [g for g, _ in fw.scoring.bands] == ["优秀", "良好", "合格", "不合格"]
    assert fw.scoring.bonus_cap == 5


# ---------------------------------------------------------------- loader errors

VALID = """
code = "test"
title = "测试体系"
version = "1"
levels = ["primary"]

[[fields]]
key = "students"
label = "在校学生数"
scope = "level"

[[fields]]
key = "books"
label = "图书册数"

[[indicators]]
key = "books_per_student"
label = "生均图书册数"
formula = "books / students"
standard = { primary = 10 }

[unit_rule]
min_met = 1
floor = 0.85
"""

SCORED = """
code = "scored"
title = "计分测试"
version = "1"

[[county_fields]]
key = "loss"
label = "失分"

[scoring]
bands = [{ grade = "优秀", min = 90 }, { grade = "合格", min = 60 }]
point_grades = [{ grade = "A", min_share = 0.9 }, { grade = "C", min_share = 0 }]

[[points]]
key = "p1"
label = "测评点1"
points = 100

[[points.deductions]]
key = "d1"
reason = "失{n}分"
formula = "loss"
per = 1
"""


def _load(tmp_path: Path, text: str) -> Framework:
    path = tmp_path / "province.toml"
    path.write_text(text, encoding="utf-8")
    return load_framework(path)


def _error(tmp_path: Path, text: str) -> FrameworkError:
    with pytest.raises(FrameworkError) as info:
        _load(tmp_path, text)
    err = info.value
    assert err.source == "province.toml"
    assert "province.toml" in str(err) and err.key in str(err) and err.reason in str(err)
    return err


def test_the_test_fixtures_are_valid(tmp_path: Path) -> None:
    assert len(_load(tmp_path, VALID).indicators) == 1
    assert _load(tmp_path, SCORED).scoring is not None


def test_it_names_a_missing_key(tmp_path: Path) -> None:
    err = _error(tmp_path, VALID.replace('title = "测试体系"\n', ""))
    assert (err.key, err.reason) == ("title", "缺少必填项")


def test_it_names_a_missing_key_inside_a_table(tmp_path: Path) -> None:
    err = _error(tmp_path, VALID.replace('label = "图书册数"\n', ""))
    assert err.key == 'fields[1]（key = "books"）.label'


def test_it_names_a_wrong_type(tmp_path: Path) -> None:
    err = _error(tmp_path, VALID.replace('version = "1"', "version = 1"))
    assert err.key == "version"
    assert "文本" in err.reason


def test_it_reports_a_bad_formula_with_its_position(tmp_path: Path) -> None:
    err = _error(tmp_path, VALID.replace('"books / students"', '"books / (students"'))
    assert err.key == 'indicators[0]（key = "books_per_student"）.formula'
    assert "公式错误" in err.reason
    assert "第 9 个字符" in err.reason  # the unclosed "("


def test_it_rejects_a_formula_naming_an_unknown_field(tmp_path: Path) -> None:
    err = _error(tmp_path, VALID.replace('"books / students"', '"books / pupils"'))
    assert err.key == 'indicators[0]（key = "books_per_student"）.formula'
    assert "pupils" in err.reason


def test_it_rejects_an_unknown_level(tmp_path: Path) -> None:
    err = _error(tmp_path, VALID.replace('levels = ["primary"]', 'levels = ["primary", "college"]'))
    assert err.key == "levels"
    assert "college" in err.reason


def test_it_rejects_a_duplicate_key(tmp_path: Path) -> None:
    extra = '\n[[fields]]\nkey = "books"\nlabel = "图书"\n'
    text = VALID.replace("[[indicators]]", extra + "\n[[indicators]]", 1)
    err = _error(tmp_path, text)
    assert err.key == "fields[2].key"
    assert "books" in err.reason and "重复" in err.reason


def test_it_rejects_min_met_out_of_range(tmp_path: Path) -> None:
    err = _error(tmp_path, VALID.replace("min_met = 1", "min_met = 2"))
    assert err.key == "unit_rule.min_met"
    assert "1 到 1" in err.reason


def test_it_rejects_bands_not_best_first(tmp_path: Path) -> None:
    text = SCORED.replace(
        '[{ grade = "优秀", min = 90 }, { grade = "合格", min = 60 }]',
        '[{ grade = "合格", min = 60 }, { grade = "优秀", min = 90 }]',
    )
    err = _error(tmp_path, text)
    assert err.key == "scoring.bands"


def test_it_rejects_a_grade_rule_with_an_unknown_grade(tmp_path: Path) -> None:
    text = SCORED + '\n[[grade_rules]]\nlabel = "x"\nwhen = "loss > 5"\ngrade = "良好"\n'
    err = _error(tmp_path, text)
    assert err.key == "grade_rules[0].grade"


def test_it_rejects_a_deduction_naming_an_unknown_county_field(tmp_path: Path) -> None:
    err = _error(tmp_path, SCORED.replace('formula = "loss"', 'formula = "losses"'))
    assert err.key == 'points[0]（key = "p1"）.deductions[0].formula'


def test_it_rejects_text_that_is_not_toml(tmp_path: Path) -> None:
    err = _error(tmp_path, VALID + "\nthis is not toml\n")
    assert err.key == "(文件)"


def test_it_names_the_unknown_code() -> None:
    with pytest.raises(FrameworkError) as info:
        load_framework("no-such-framework")
    assert "yzjh-2017" in info.value.reason
