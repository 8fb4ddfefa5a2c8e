"""Reading and writing the input tables: school base data, county items, the template."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
import xlsxwriter
from openpyxl.utils import get_column_letter

from dudao.engine.spec import Framework, load_framework
from dudao.engine.tables import (
    COUNTY_SHEET,
    GUIDE_SHEET,
    MAX_ERRORS,
    SCHOOLS_SHEET,
    InputError,
    InputErrors,
    read_county_items,
    read_schools,
    write_template,
)

MANDATORY_HEADERS = ["学校标识码", "学校名称", "区县", "学校类型", "办学性质"]


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework("yzjh-2017")


def write_xlsx(path: Path, rows: list[list[Any]], sheet: str = SCHOOLS_SHEET) -> Path:
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    book.close()
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def school(code: str, school_type: str = "小学") -> list[Any]:
    """The five mandatory cells of a school row (callers append the other columns)."""
    return [code, f"学校{code}", "青川县", school_type, "公办"]


def basic_rows(*extra_headers: str) -> list[list[Any]]:
    headers = [
        *MANDATORY_HEADERS,
        "教学及辅助用房面积（平方米）",
        "体育运动场馆面积（平方米）",
        "教学仪器设备值（元）",
        "网络多媒体教室数（间）",
        *extra_headers,
    ]
    return [headers]


def locations(exc: pytest.ExceptionInfo[InputErrors]) -> set[tuple[int | None, str | None]]:
    return {(e.row, e.column) for e in exc.value.errors}


def small_frame(fw: Framework) -> pl.DataFrame:
    rows = [
        {"school_code": "A1", "school_type": "小学", "students_primary": 320.0},
        {"school_code": "A2", "school_type": "初中", "students_junior": 610.0},
        {
            "school_code": "A3",
            "school_type": "九年一贯制学校",
            "students_primary": 400.0,
            "students_junior": 250.0,
            "teachers_primary": 30.0,
            "teachers_above_degree_primary": 29.0,
            "teachers_junior": 24.0,
        },
    ]
    schema = {
        k: pl.String if f.scope == "info" else pl.Float64 for f, k, _l, _v in fw.field_columns()
    }
    frame = pl.DataFrame({k: [r.get(k) for r in rows] for k in schema}, schema=schema)
    return frame.with_columns(
        school_name=pl.format("第{}学校", "school_code"),
        county=pl.lit("青川县"),
        ownership=pl.Series(["公办", "民办", "公办"]),
        township=pl.Series(["城关镇", None, "石桥镇"]),
        teaching_area=pl.Series([1500.5, 3800.0, 4100.25]),
        sports_area=pl.Series([2400.0, None, 6000.0]),
        equipment_value=pl.Series([812345.67, 1500000.0, 2000000.0]),
        multimedia_rooms=pl.Series([8.0, 15.0, 17.0]),
        min_art_room_area=pl.Series([0.125, None, 96.0]),
    )


def expected_after_read(frame: pl.DataFrame, fw: Framework) -> pl.DataFrame:
    """read_schools sets the level columns of levels a school does not serve to 0."""
    served = {"小学": ("primary",), "初中": ("junior",), "九年一贯制学校": ("primary", "junior")}
    exprs = []
    for _f, key, _label, level in fw.field_columns():
        if level is None:
            continue
        not_serving = [t for t, levels in served.items() if level not in levels]
        exprs.append(
            pl.when(pl.col("school_type").is_in(not_serving))
            .then(0.0)
            .otherwise(pl.col(key))
            .alias(key)
        )
    return frame.with_columns(exprs)


# ---------------------------------------------------------------- errors as text


def test_an_input_error_reads_as_a_located_chinese_sentence() -> None:
    error = InputError(SCHOOLS_SHEET, 5, "教学及辅助用房面积（平方米）", "abc", "不是有效的数字")
    expected = (
        "工作表“学校基础数据”第 5 行，列“教学及辅助用房面积（平方米）”，值“abc”：不是有效的数字"
    )
    assert str(error) == expected
    assert str(InputError(SCHOOLS_SHEET, None, "学校类型", None, "缺少必填列")) == (
        "工作表“学校基础数据”，列“学校类型”：缺少必填列"
    )
    assert (
        str(InputError("a.csv", 3, None, None, "CSV 格式错误"))
        == "文件“a.csv”第 3 行：CSV 格式错误"
    )


def test_input_errors_summarise_the_count_and_the_first_lines() -> None:
    errors = [InputError(SCHOOLS_SHEET, r, "学校类型", "x", "应为以下之一") for r in range(3, 10)]
    text = str(InputErrors(errors))
    assert text.startswith("共 7 处错误：\n工作表“学校基础数据”第 3 行")
    assert text.endswith("……")


# ---------------------------------------------------------------- template round trip


def test_a_small_frame_round_trips_through_the_template(tmp_path: Path, fw: Framework) -> None:
    frame = small_frame(fw)
    path = tmp_path / "t.xlsx"
    write_template(fw, path, schools=frame.with_columns(extra=pl.lit("ignored")))
    back = read_schools(path, fw)
    assert back.columns == ["_sheet", "_row", *[k for _f, k, _l, _lv in fw.field_columns()]]
    assert back["_row"].to_list() == [3, 4, 5]
    assert back["_sheet"].unique().to_list() == [SCHOOLS_SHEET]
    assert back.drop("_sheet", "_row").equals(expected_after_read(frame, fw))


def test_a_blank_template_reads_as_zero_rows(tmp_path: Path, fw: Framework) -> None:
    path = tmp_path / "blank.xlsx"
    write_template(fw, path)
    schools = read_schools(path, fw)
    assert schools.height == 0
    assert schools.schema["students_primary"] == pl.Float64
    assert schools.schema["school_code"] == pl.String
    assert read_county_items(path, fw) == {}


def test_county_values_round_trip_through_the_template(tmp_path: Path, fw: Framework) -> None:
    values: dict[str, dict[str, float | bool | None]] = {
        "青川县": {"basic_balance_years": 5.0, "layout_reasonable": True, "rotation_rate": 12.5},
        "河西区": {"basic_balance_years": 2.0, "veto_key_schools": False},
    }
    path = tmp_path / "t.xlsx"
    write_template(fw, path, county_values=values)
    back = read_county_items(path, fw)
    assert set(back) == {"青川县", "河西区"}
    for county, given in values.items():
        assert {k: v for k, v in back[county].items() if v is not None} == given
        assert set(back[county]) == {c.key for c in fw.county_fields}


def test_the_template_carries_validations_comments_and_a_guide(
    tmp_path: Path, fw: Framework
) -> None:
    path = tmp_path / "t.xlsx"
    write_template(fw, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [SCHOOLS_SHEET, COUNTY_SHEET, GUIDE_SHEET]
    ws = book[SCHOOLS_SHEET]
    columns = fw.field_columns()
    labels = [ws.cell(1, j + 1).value for j in range(len(columns))]
    keys = [ws.cell(2, j + 1).value for j in range(len(columns))]
    assert keys == [key for _f, key, _l, _lv in columns]
    assert labels[0] == "学校标识码"
    assert "教学及辅助用房面积（平方米）" in labels
    assert "在校学生数（小学）（人）" in labels
    assert ws.freeze_panes == "C3"
    assert ws.cell(1, labels.index("教学仪器设备值（元）") + 1).comment is not None
    validations = ws.data_validations.dataValidation
    by_range = {str(v.sqref): v for v in validations}
    type_col = get_column_letter(labels.index("学校类型") + 1)
    school_type = by_range[f"{type_col}3:{type_col}10002"]
    assert school_type.type == "list"
    assert "九年一贯制学校" in school_type.formula1
    assert {v.type for v in validations} == {"list", "whole", "decimal"}
    assert all(v.error for v in validations)
    area_col = get_column_letter(labels.index("教学及辅助用房面积（平方米）") + 1)
    assert by_range[f"{area_col}3:{area_col}10002"].type == "decimal"
    county = book[COUNTY_SHEET]
    assert [c.value for c in county[1]] == ["区县", "字段键", "指标", "单位", "填写值", "说明"]
    assert county.max_row == 1 + len(fw.county_fields)
    assert any(v.type == "list" for v in county.data_validations.dataValidation)
    guide = book[GUIDE_SHEET]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "每所学校填一行" in text
    assert "不要填 0" in text
    assert "万元" in text
    assert "九年一贯制" in text
    assert "teaching_area" in text


# ---------------------------------------------------------------- headers and number forms


def test_it_reads_a_gb18030_csv_with_chinese_headers(tmp_path: Path, fw: Framework) -> None:
    rows = basic_rows("在校学生数（小学）", "专任教师数(小学)(人)")
    rows.append([*school("G1"), 1200, 3000.5, 480000, 12, 520, 31])
    rows.append([*school("G2"), 800, 2000, 300000, 8, 260, 18])
    path = write_csv(tmp_path / "学校.csv", rows, encoding="gb18030")
    got = read_schools(path, fw)
    assert got["_sheet"].to_list() == ["学校.csv", "学校.csv"]
    assert got["_row"].to_list() == [2, 3]
    assert got["school_name"].to_list() == ["学校G1", "学校G2"]
    assert got["sports_area"].to_list() == [3000.5, 2000.0]
    assert got["students_primary"].to_list() == [520.0, 260.0]
    assert got["teachers_primary"].to_list() == [31.0, 18.0]
    assert got["students_junior"].to_list() == [0.0, 0.0]  # a 小学 does not serve junior
    assert got["computers"].to_list() == [None, None]  # optional column absent


def test_it_reads_key_headers_and_a_utf8_bom(tmp_path: Path, fw: Framework) -> None:
    rows = [
        [
            *("school_code", "school_name", "county", "school_type", "ownership"),
            *("teaching_area", "sports_area", "equipment_value", "multimedia_rooms"),
            *("students_junior", "未知列"),
        ],
        [*school("K1", "初中"), 1, 2, 3, 4, 500, "随便写"],
    ]
    got = read_schools(write_csv(tmp_path / "k.csv", rows, encoding="utf-8-sig"), fw)
    assert got["school_code"].to_list() == ["K1"]
    assert got["students_junior"].to_list() == [500.0]
    assert got["students_primary"].to_list() == [0.0]


def test_a_wan_yuan_header_is_converted_to_yuan(tmp_path: Path, fw: Framework) -> None:
    rows = [
        [
            *MANDATORY_HEADERS,
            *("教学及辅助用房面积", "体育运动场馆面积", "教学仪器设备值(万元)", "网络多媒体教室数"),
        ],
        [*school("W1"), 1, 1, 2.5, 1],
        [*school("W2"), 1, 1, "12345.6789", 1],
        [*school("W3"), 1, 1, "1，234．5", 1],
    ]
    got = read_schools(write_xlsx(tmp_path / "w.xlsx", rows), fw)
    assert got["equipment_value"].to_list() == [25000.0, 123456789.0, 12345000.0]


def test_wan_yuan_on_a_field_without_it_is_an_error(tmp_path: Path, fw: Framework) -> None:
    rows = basic_rows()
    rows[0][5] = "教学及辅助用房面积（万元）"
    rows.append([*school("W1"), 1, 1, 1, 1])
    with pytest.raises(InputErrors) as exc:
        read_schools(write_xlsx(tmp_path / "w.xlsx", rows), fw)
    assert locations(exc) == {(1, "教学及辅助用房面积（万元）")}


def test_it_accepts_numbers_written_as_text(tmp_path: Path, fw: Framework) -> None:
    rows = basic_rows("计算机台数", "图书册数")
    rows.append([*school("T1"), "1,234.5", " 2000 ", "１２３．５", "１２", "1，234", "-"])
    rows.append([*school("T2"), "12,345,678", "—", "", "0", "   ", "1e3"])
    got = read_schools(write_xlsx(tmp_path / "t.xlsx", rows), fw)
    assert got["teaching_area"].to_list() == [1234.5, 12345678.0]
    assert got["sports_area"].to_list() == [2000.0, None]
    assert got["equipment_value"].to_list() == [123.5, None]
    assert got["multimedia_rooms"].to_list() == [12.0, 0.0]
    assert got["computers"].to_list() == [1234.0, None]
    assert got["books"].to_list() == [None, 1000.0]


def test_a_title_row_above_the_header_is_allowed(tmp_path: Path, fw: Framework) -> None:
    rows = [["青川县学校基础数据表"], [], *basic_rows(), [*school("H1"), 1, 2, 3, 4]]
    got = read_schools(write_xlsx(tmp_path / "h.xlsx", rows), fw)
    assert got["_row"].to_list() == [4]


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path: Path, fw: Framework) -> None:
    rows = basic_rows()
    rows += [[*school("B1"), 1, 2, 3, 4], [], ["", "  ", None, ""], [*school("B2"), 1, 2, 3, 4]]
    got = read_schools(write_xlsx(tmp_path / "b.xlsx", rows), fw)
    assert got["school_code"].to_list() == ["B1", "B2"]
    assert got["_row"].to_list() == [2, 5]


def test_no_header_is_one_clear_error(tmp_path: Path, fw: Framework) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", [["名字", "数量"], ["a", 1]])
    with pytest.raises(InputErrors) as exc:
        read_schools(path, fw)
    assert len(exc.value.errors) == 1
    assert "找不到表头" in exc.value.errors[0].reason


def test_another_sheet_can_be_chosen_and_a_wrong_name_is_reported(
    tmp_path: Path, fw: Framework
) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [*basic_rows(), [*school("S1"), 1, 2, 3, 4]], "二〇二五")
    assert read_schools(path, fw)["_sheet"].to_list() == ["二〇二五"]
    assert read_schools(path, fw, sheet="二〇二五").height == 1
    with pytest.raises(InputErrors) as exc:
        read_schools(path, fw, sheet="没有")
    assert "二〇二五" in exc.value.errors[0].reason


# ---------------------------------------------------------------- all errors at once


def test_every_error_is_reported_with_its_location(tmp_path: Path, fw: Framework) -> None:
    headers = [
        "学校标识码",
        "学校名称",
        "区县",
        "学校类型",  # 办学性质 is missing
        "教学及辅助用房面积（平方米）",
        "体育运动场馆面积（平方米）",
        "教学仪器设备值（元）",
        "网络多媒体教室数（间）",
        "在校学生数（小学）",
        "在校学生数（初中）",
        "专任教师数（小学）",
        "高于规定学历专任教师数（小学）",
    ]

    def row(code: str, kind: str = "小学", **cells: Any) -> list[Any]:
        base = dict.fromkeys(headers[4:], None)
        base.update({"教学及辅助用房面积（平方米）": 1000, "网络多媒体教室数（间）": 4})
        base.update({headers[int(k[1:])]: v for k, v in cells.items()})
        return [code, f"学校{code}", "青川县", kind, *base.values()]

    rows = [
        headers,
        row("E1", c4="abc"),  # row 2: not a number
        row("E2", c5=-5),  # row 3: negative
        row("E3", c10=12.5),  # row 4: fractional teachers
        [],  # row 5: blank, skipped
        row("E4", "小学校"),  # row 6: unknown school type
        row("E1"),  # row 7: duplicate code (of row 2)
        row("E5", c9=100),  # row 8: junior data in a 小学
        row("E6", c10=20, c11=30),  # row 9: above-degree teachers > teachers
        row("E7", "九年一贯制学校", c8=300, c9=200, c10=40, c11=40),  # row 10: fine
    ]
    with pytest.raises(InputErrors) as exc:
        read_schools(write_xlsx(tmp_path / "e.xlsx", rows), fw)
    assert locations(exc) == {
        (None, "办学性质"),
        (2, "教学及辅助用房面积（平方米）"),
        (3, "体育运动场馆面积（平方米）"),
        (4, "专任教师数（小学）"),
        (6, "学校类型"),
        (7, "学校标识码"),
        (8, "在校学生数（初中）"),
        (9, "高于规定学历专任教师数（小学）"),
    }
    assert all(e.sheet == SCHOOLS_SHEET for e in exc.value.errors)
    by_row = {e.row: e for e in exc.value.errors}
    assert by_row[2].value == "abc"
    assert "不是有效的数字" in by_row[2].reason
    assert by_row[3].reason == "不能为负数"
    assert by_row[4].reason == "应为整数"
    assert "九年一贯制学校" in by_row[6].reason
    assert "第 2 行" in by_row[7].reason
    assert by_row[8].reason.startswith("该校类型为小学，不应填写初中学段数据")
    assert (
        by_row[9].reason == "高于规定学历专任教师数（小学）（30）不能大于专任教师数（小学）（20）"
    )
    assert [e.row for e in exc.value.errors] == [None, 2, 3, 4, 6, 7, 8, 9]


def test_a_field_mapped_twice_and_blank_mandatory_cells_are_errors(
    tmp_path: Path, fw: Framework
) -> None:
    rows = basic_rows("teaching_area")
    rows.append(["", "某校", "", "小学", "", 1, 1, 1, 1, 1])
    with pytest.raises(InputErrors) as exc:
        read_schools(write_xlsx(tmp_path / "d.xlsx", rows), fw)
    assert locations(exc) == {
        (1, "teaching_area"),
        (2, "学校标识码"),
        (2, "区县"),
        (2, "办学性质"),
    }


def test_errors_are_capped_with_a_count_of_the_rest(tmp_path: Path, fw: Framework) -> None:
    rows = basic_rows()
    rows += [[*school(f"C{i}"), "x", 1, 1, 1] for i in range(MAX_ERRORS + 200)]
    with pytest.raises(InputErrors) as exc:
        read_schools(write_csv(tmp_path / "c.csv", rows), fw)
    assert len(exc.value.errors) == MAX_ERRORS + 1
    assert exc.value.total == MAX_ERRORS + 200
    assert exc.value.errors[-1].reason == "还有 200 处错误未列出"


# ---------------------------------------------------------------- county items


def test_it_reads_county_items_in_long_format(tmp_path: Path, fw: Framework) -> None:
    path = tmp_path / "county.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(COUNTY_SHEET)
    rows: list[list[Any]] = [
        ["区县", "字段键", "指标", "填写值", "说明"],
        ["青川县", "rotation_rate", "", "12.5%", "备注"],
        ["", "layout_reasonable", "", "是"],  # county continues from above
        ["", "four_unified", "", "否"],
        ["", "", "留守儿童关爱体系健全", "√"],  # by label
        ["", "recognition_rate", "", ""],  # blank → None
        ["河西区", "basic_balance_years", "", "１０"],
        ["河西区", "veto_key_schools", "", "FALSE"],
    ]
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    ws.write(8, 0, "河西区")
    ws.write(8, 1, "junior_retention_rate")
    ws.write_number(8, 3, 0.965, book.add_format({"num_format": "0.0%"}))  # shows 96.5%
    book.close()
    assert read_county_items(path, fw) == {
        "青川县": {
            "rotation_rate": 12.5,
            "layout_reasonable": True,
            "four_unified": False,
            "left_behind_care": True,
            "recognition_rate": None,
        },
        "河西区": {
            "basic_balance_years": 10.0,
            "veto_key_schools": False,
            "junior_retention_rate": 96.5,
        },
    }


def test_county_items_report_every_error(tmp_path: Path, fw: Framework) -> None:
    rows = [
        ["county", "key", "value", "单位"],
        ["青川县", "no_such_key", "1", ""],
        ["青川县", "layout_reasonable", "也许", ""],
        ["青川县", "rotation_rate", "十二", "%"],
        ["青川县", "rotation_rate", "12", "%"],
        ["青川县", "rotation_rate", "13", "%"],
    ]
    with pytest.raises(InputErrors) as exc:
        read_county_items(write_csv(tmp_path / "c.csv", rows), fw)
    assert locations(exc) == {(2, "key"), (3, "value"), (4, "value"), (5, "key"), (6, "key")}
    assert "第 4 行" in exc.value.errors[-1].reason
    assert "no_such_key" in exc.value.errors[0].reason


def test_county_values_without_a_county_are_an_error(tmp_path: Path, fw: Framework) -> None:
    rows = [["区县", "字段键", "填写值"], ["", "rotation_rate", "12"], ["", "four_unified", ""]]
    with pytest.raises(InputErrors) as exc:
        read_county_items(write_csv(tmp_path / "c.csv", rows), fw)
    assert locations(exc) == {(2, "区县")}


# ---------------------------------------------------------------- size


@pytest.mark.slow  # about 7 s, nearly all of it xlsxwriter writing the file
def test_fifty_thousand_rows_round_trip(tmp_path: Path, fw: Framework) -> None:
    n = 50_000
    base = small_frame(fw)
    frame = pl.concat([base] * (n // base.height + 1)).head(n)
    frame = frame.with_columns(school_code=pl.int_range(n).cast(pl.String))
    path = tmp_path / "big.xlsx"
    write_template(fw, path, schools=frame)
    assert read_schools(path, fw).height == n
