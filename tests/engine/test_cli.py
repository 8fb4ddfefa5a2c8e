"""The `dudao` command: every command and exit code, on real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dudao.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, main

DATA = Path(__file__).parent / "data"


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main([*args, "--format", "json"]) == EXIT_OK
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    assert (
        main(["demo-data", "--counties", "2", "--schools-per-county", "30", "-o", str(path)]) == 0
    )
    return path


def test_frameworks_lists_the_shipped_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frameworks"]) == EXIT_OK
    out = capsys.readouterr().out
    for code in ("yzjh-2017", "jbjh-2012", "xqph-2020", "lzpj-example"):
        assert code in out
    assert "模板" in out


def test_template_writes_a_workbook_with_instructions(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    assert main(["template", "yzjh-2017", "-o", str(path)]) == EXIT_OK
    wb = openpyxl.load_workbook(path)
    assert {"学校基础数据", "县级指标", "填表说明"} <= set(wb.sheetnames)
    keys = [c.value for c in wb["学校基础数据"][2]]
    assert "teaching_area" in keys and "students_primary" in keys


def test_evaluate_writes_the_five_sheet_workbook(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "结果.xlsx"
    assert main(["evaluate", "yzjh-2017", str(demo), "-o", str(out)]) == EXIT_OK
    assert openpyxl.load_workbook(out).sheetnames == [
        "总体结论",
        "学校达标情况",
        "差异系数",
        "差距测算",
        "数据问题",
    ]
    text = capsys.readouterr().out
    assert "青川县" in text and "差距测算" in text


def test_evaluate_json_follows_the_documented_shape(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_json(capsys, "evaluate", "yzjh-2017", str(demo))
    assert result["framework"]["code"] == "yzjh-2017"
    county = result["counties"][0]
    for key in ("county", "verdict", "reasons", "cv", "cv_limits", "cv_passed", "composite_cv"):
        assert key in county
    assert county["verdict"] in ("pass", "fail", "incomplete")
    assert county["cv_limits"] == {"primary": 0.5, "junior": 0.45}
    assert set(county["cv"]["primary"]) == {
        "teachers_above_degree_per100",
        "backbone_teachers_per100",
        "pe_art_teachers_per100",
        "teaching_area_per_student",
        "sports_area_per_student",
        "equipment_value_per_student",
        "multimedia_rooms_per100",
    }
    unit = result["units"][0]
    for key in ("county", "school_code", "level", "students", "excluded", "exclusion_reason"):
        assert key in unit
    assert set(unit["values"]) == set(county["cv"]["primary"])
    assert {u["county"] for u in result["units"]} == {c["county"] for c in result["counties"]}


def test_evaluate_json_is_reproducible_to_the_byte(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["evaluate", "yzjh-2017", str(demo), "--format", "json"])
    first = capsys.readouterr().out
    main(["evaluate", "yzjh-2017", str(demo), "--format", "json"])
    assert capsys.readouterr().out == first


def test_evaluate_reproduces_the_book_worked_example(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "evaluate", "jbjh-2012", str(DATA / "books-example.csv"))
    cv = result["counties"][0]["cv"]["primary"]["books_per_student"]
    assert round(cv, 3) == 0.515


def test_evaluate_reproduces_the_split_worked_example(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "evaluate", "jbjh-2012", str(DATA / "split-example.csv"))
    books = {u["level"]: u["values"]["books_per_student"] * u["students"] for u in result["units"]}
    assert round(books["primary"], 1) == 9711.6
    assert round(books["junior"], 1) == 13514.4


def test_evaluate_with_input_errors_exits_1_lists_them_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "school_code,school_name,county,school_type,ownership,students_primary,"
        "teaching_area,sports_area,equipment_value,multimedia_rooms\n"
        "A,甲小学,测试县,小学,公办,abc,100,100,100,1\n"
        "B,乙小学,测试县,大学,公办,100,-5,100,100,1\n",
        encoding="utf-8",
    )
    out = tmp_path / "result.xlsx"
    assert main(["evaluate", "yzjh-2017", str(bad), "-o", str(out)]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "3 处错误" in err
    assert "abc" in err and "大学" in err and "-5" in err
    assert not out.exists()


def test_evaluate_reads_county_items_from_a_separate_file(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = tmp_path / "items.csv"
    items.write_text("区县,字段键,填写值\n青川县,recognition_rate,70%\n", encoding="utf-8")
    result = run_json(capsys, "evaluate", "yzjh-2017", str(demo), "--county-items", str(items))
    county = next(c for c in result["counties"] if c["county"] == "青川县")
    recognition = next(i for i in county["items"] if i["key"] == "recognition")
    assert recognition["value"] == 70.0 and recognition["passed"] is False


def test_county_only_frameworks_take_the_county_table_as_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = tmp_path / "xqph.csv"
    items.write_text("区县,字段键,填写值\n测试县,veto_falsification,是\n", encoding="utf-8")
    result = run_json(capsys, "evaluate", "xqph-2020", str(items))
    assert result["counties"][0]["verdict"] == "fail"
    assert result["units"] == []


def test_price_override_changes_the_cost(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = run_json(capsys, "evaluate", "yzjh-2017", str(demo))
    dear = run_json(capsys, "evaluate", "yzjh-2017", str(demo), "--price", "building_per_m2=6000")
    assert base["prices"]["building_per_m2"] == 3000.0
    assert dear["prices"]["building_per_m2"] == 6000.0


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "no-such-framework", "x.xlsx"],
        ["evaluate", "yzjh-2017", "missing.xlsx"],
        ["evaluate", "yzjh-2017", "README.md"],
        ["template", "yzjh-2017", "-o", "out.txt"],
        ["demo-data", "--counties", "0", "-o", "x.xlsx"],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == EXIT_USAGE
    assert "用法错误" in capsys.readouterr().err


def test_a_bad_price_is_a_usage_error(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for price in ("nothing", "building_per_m2=abc", "unknown=5", "building_per_m2=-1"):
        assert main(["evaluate", "yzjh-2017", str(demo), "--price", price]) == EXIT_USAGE
    assert "--price" in capsys.readouterr().err


def test_argparse_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["evaluate"])
    assert exc.value.code == EXIT_USAGE


def test_a_bad_framework_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('code = "x"\ntitle = "x"\nversion = "1"\nlevels = ["college"]\n', "utf-8")
    assert main(["template", str(bad), "-o", str(tmp_path / "t.xlsx")]) == EXIT_INPUT
    assert "bad.toml" in capsys.readouterr().err


def test_the_installed_console_script_reports_exit_codes(demo: Path) -> None:
    script = Path(sys.executable).parent / "dudao"
    ok = subprocess.run(
        [script, "evaluate", "yzjh-2017", str(demo)], capture_output=True, check=False
    )
    usage = subprocess.run(
        [script, "evaluate", "nothing", str(demo)], capture_output=True, check=False
    )
    assert (ok.returncode, usage.returncode) == (EXIT_OK, EXIT_USAGE)
    assert "青川县" in ok.stdout.decode()
