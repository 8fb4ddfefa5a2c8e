"""`dudao tasks preview`: table and JSON output, exit codes 0/1/2, no database."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from dudao.cli import main
from dudao.cliutil import EXIT_INPUT, EXIT_OK, EXIT_USAGE

HEADER = ("类别", "序号", "重点工作任务", "责任领导", "责任股室", "协办股室（单位）")
LONG_TASK = "乡镇学校内部每年交流教师10%—15%，城区学校向乡村学校交流骨干教师不少于交流总数的20%"


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], merges: Sequence[str] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "分解表"
    for row in rows:
        sheet.append(list(row))
    for merged in merges:
        sheet.merge_cells(merged)
    book.save(path)
    return path


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    rows = [
        ("2026年重点工作任务分解表",),
        HEADER,
        ("抓常规", 1, "规范办学行为", "张 三", "教育股", None),
        (None, 2, LONG_TASK, "李四、王五", "人事股", "教育股 财务室"),
        ("强队伍", 3, "师德建设", "局长办公会成员", "人事股", None),
    ]
    return write_xlsx(tmp_path / "计划.xlsx", rows, ["A1:F1", "A3:A4"])


@pytest.fixture
def flawed(tmp_path: Path) -> Path:
    rows = [
        HEADER,
        ("抓常规", 1, "规范办学行为", "张三", None),
        (None, 1, "课后服务", "李四", "教育股"),
    ]
    return write_xlsx(tmp_path / "有问题.xlsx", rows)


def test_preview_prints_categories_tasks_and_a_summary(
    clean: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tasks", "preview", str(clean)]) == EXIT_OK
    out = capsys.readouterr().out
    for text in ("抓常规", "强队伍", "规范办学行为", "张三", "李四、王五", "教育股、财务室"):
        assert text in out
    assert LONG_TASK[:8] in out
    assert LONG_TASK[-10:] not in out  # shortened with an ellipsis
    assert "…" in out
    assert "共 2 个类别、3 项任务，发现 0 个问题" in out


def test_preview_as_json_is_exactly_the_plan_dict(
    clean: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tasks", "preview", str(clean), "--format", "json"]) == EXIT_OK
    printed = capsys.readouterr().out
    data = json.loads(printed)
    assert data["sheet"] == "分解表"
    assert data["categories"] == ["抓常规", "强队伍"]
    assert [t["number"] for t in data["tasks"]] == ["1", "2", "3"]
    assert data["tasks"][0]["leaders"] == ["张三"]
    assert data["tasks"][1]["text"] == LONG_TASK
    assert data["problems"] == []
    assert printed == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_problems_are_listed_and_exit_with_one(
    flawed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tasks", "preview", str(flawed)]) == EXIT_INPUT
    out = capsys.readouterr().out
    assert "第 2 行，列“责任股室”：没有填写责任股室" in out
    assert "第 3 行，列“序号”：序号“1”在类别“抓常规”中重复（第 2 行）" in out
    assert "共 1 个类别、2 项任务，发现 2 个问题" in out


def test_problems_in_json_still_exit_with_one(
    flawed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tasks", "preview", str(flawed), "--format", "json"]) == EXIT_INPUT
    data = json.loads(capsys.readouterr().out)
    assert [(p["row"], p["column"]) for p in data["problems"]] == [(2, "责任股室"), (3, "序号")]
    assert len(data["tasks"]) == 2


def test_an_unreadable_file_exits_with_one_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"not a workbook")
    assert main(["tasks", "preview", str(path)]) == EXIT_INPUT
    message = capsys.readouterr().err
    assert "文件不是有效的 Excel（.xlsx）文件" in message
    assert "请用 Excel 另存为 .xlsx 后重新上传" in message
    assert "未读取任何任务" in message
    assert "未进行评估" not in message and "zip" not in message


def test_a_file_without_a_header_exits_with_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "无表头.csv"
    path.write_text("姓名,电话\n张三,123\n", encoding="utf-8")
    assert main(["tasks", "preview", str(path)]) == EXIT_INPUT
    assert "文件“无表头.csv”：前 20 行中找不到表头" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["没有这个文件.xlsx", "计划.docx"])
def test_a_missing_file_or_wrong_suffix_is_a_usage_error(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if name.endswith(".docx"):
        (tmp_path / name).write_bytes(b"x")
    assert main(["tasks", "preview", str(tmp_path / name)]) == EXIT_USAGE
    assert "用法错误" in capsys.readouterr().err


def test_a_missing_argument_or_bad_format_exits_with_two(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (
        ["tasks"],
        ["tasks", "preview"],
        ["tasks", "preview", "x.xlsx", "--format", "xml"],
    ):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == EXIT_USAGE
    capsys.readouterr()


def test_deadlines_targets_and_the_year_are_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        ("华容县教育体育局2026年重点工作任务分解表",),
        (*HEADER, "完成时限", "节点安排"),
        ("强队伍", 1, LONG_TASK, "张三", "人事股", None, "年底", "9月完成交流"),
    ]
    path = write_xlsx(tmp_path / "分解表.xlsx", rows)
    assert main(["tasks", "preview", str(path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "标题：华容县教育体育局2026年重点工作任务分解表（年度：2026）" in out
    assert "完成时限" in out and "年底" in out
    assert main(["tasks", "preview", str(path), "--format", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert (data["title"], data["year"]) == ("华容县教育体育局2026年重点工作任务分解表", 2026)
    (task,) = data["tasks"]
    assert (task["deadline"], task["milestones"]) == ("年底", "9月完成交流")
    assert task["targets"] == [
        "乡镇学校内部每年交流教师10%—15%",
        "城区学校向乡村学校交流骨干教师不少于交流总数的20%",
    ]


def test_an_unreadable_deadline_exits_with_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [(*HEADER, "完成时限"), ("抓常规", 1, "任务", "张三", "教育股", None, "尽快")]
    path = write_xlsx(tmp_path / "分解表.xlsx", rows)
    assert main(["tasks", "preview", str(path)]) == EXIT_INPUT
    assert "第 2 行，列“完成时限”：完成时限“尽快”无法识别为日期" in capsys.readouterr().out
