"""`dudao draw`: table and JSON output, the published record reproduced, exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dudao.cli import main
from dudao.cliutil import EXIT_INPUT, EXIT_OK, EXIT_USAGE
from dudao.engine.draw import (
    InspectorCandidate,
    SchoolCandidate,
    conflicts_csv,
    draw,
    inspectors_csv,
    read_conflicts_csv,
    read_inspectors_csv,
    read_schools_csv,
    result_to_dict,
    schools_csv,
    seed_digest,
)

DATA = Path(__file__).parent / "data"
SCHOOLS, INSPECTORS, CONFLICTS = (
    DATA / f"draw-{k}.csv" for k in ("schools", "inspectors", "conflicts")
)
SEED = "2026-青川"


def args(*extra: str, count: int = 4, per_school: int = 2) -> list[str]:
    return [
        "draw",
        "--seed",
        SEED,
        "--schools",
        str(SCHOOLS),
        "--inspectors",
        str(INSPECTORS),
        "--count",
        str(count),
        "--per-school",
        str(per_school),
        *extra,
    ]


def test_the_table_shows_the_digest_the_schools_with_inspectors_and_the_conflicts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(args("--conflicts", str(CONFLICTS))) == EXIT_OK
    printed = capsys.readouterr().out
    assert f"种子摘要（SHA-256）：{seed_digest(SEED)}" in printed
    expected = draw(
        SEED,
        read_schools_csv(SCHOOLS),
        read_inspectors_csv(INSPECTORS),
        4,
        2,
        read_conflicts_csv(CONFLICTS),
    )
    lines = printed.splitlines()
    position = 0
    for n, pick in enumerate(expected.picks, start=1):
        row = next(line for line in lines if pick.school.code in line)
        assert row.split()[1] == str(n)
        assert pick.school.name in row
        for text in (pick.school.code, *(f"{i.name}（{i.code}）" for i in pick.inspectors)):
            position = printed.index(text, position)  # in this order, one per line
    assert f"已排除回避关系 {len(expected.excluded)} 对" in printed


def test_the_json_output_is_the_published_record(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args("--conflicts", str(CONFLICTS), "--format", "json", count=5)) == EXIT_OK
    printed = json.loads(capsys.readouterr().out)
    expected = draw(
        SEED,
        read_schools_csv(SCHOOLS),
        read_inspectors_csv(INSPECTORS),
        5,
        2,
        read_conflicts_csv(CONFLICTS),
    )
    assert printed == result_to_dict(expected)
    assert len(printed["picks"]) == 5


def test_files_written_by_the_platform_give_the_platforms_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schools = [SchoolCandidate(f"S{k:02d}", f"第{k}小学") for k in range(1, 31)]
    inspectors = [
        InspectorCandidate(f"D{k}", f"督学{k}", "S03" if k == 1 else "") for k in range(8)
    ]
    conflicts = [("D2", "S07", "亲属任教")]
    stored = draw("a3f09c", schools, inspectors, 6, 3, [("D2", "S07")])
    for name, text in (
        ("s.csv", schools_csv(schools)),
        ("i.csv", inspectors_csv(inspectors)),
        ("c.csv", conflicts_csv(conflicts)),
    ):
        (tmp_path / name).write_bytes(text.encode("utf-8"))
    argv = ["draw", "--seed", "a3f09c", "--count", "6", "--per-school", "3", "--format", "json"]
    argv += ["--schools", str(tmp_path / "s.csv"), "--inspectors", str(tmp_path / "i.csv")]
    argv += ["--conflicts", str(tmp_path / "c.csv")]
    assert main(argv) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == result_to_dict(stored)


def test_errors_in_the_files_are_listed_together_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schools = tmp_path / "学校.csv"
    schools.write_text("学校代码,学校名称\nS1,一小\nS1,二小\n", encoding="utf-8")
    inspectors = tmp_path / "督学.csv"
    inspectors.write_text("督学编号,所在学校代码\nD1,S1\n", encoding="utf-8")
    argv = ["draw", "--seed", "x", "--schools", str(schools), "--inspectors", str(inspectors)]
    assert main([*argv, "--count", "1", "--per-school", "1"]) == EXIT_INPUT
    printed = capsys.readouterr().err
    assert "名单有 2 处错误，未抽签" in printed
    assert "文件“学校.csv”第 3 行" in printed
    assert "缺少列“姓名”" in printed


def test_an_impossible_draw_exits_1_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args(count=13)) == EXIT_INPUT
    assert "抽取学校数 13 超过了候选学校数 12" in capsys.readouterr().err
    assert main(args(per_school=6)) == EXIT_INPUT
    assert "可派督学不足每校 6 名" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--count": "0"}, "都应至少为 1"),
        ({"--per-school": "-1"}, "都应至少为 1"),
        ({"--seed": " "}, "--seed 不能为空"),
        ({"--schools": "nowhere.csv"}, "找不到文件"),
    ],
)
def test_usage_mistakes_exit_2(
    change: dict[str, str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = args()
    for flag, value in change.items():
        argv[argv.index(flag) + 1] = value
    assert main(argv) == EXIT_USAGE
    assert message in capsys.readouterr().err


def test_a_spreadsheet_instead_of_csv_is_a_usage_mistake(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "学校.xlsx"
    book.write_bytes(b"not really a workbook")
    argv = args()
    argv[argv.index("--schools") + 1] = str(book)
    assert main(argv) == EXIT_USAGE
    assert "只支持 .csv 文件" in capsys.readouterr().err


def test_unknown_codes_in_the_conflicts_are_reported_but_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conflicts = tmp_path / "回避.csv"
    conflicts.write_text("督学编号,学校代码\nDX999,2151000101\n", encoding="utf-8")
    assert main(args("--conflicts", str(conflicts))) == EXIT_OK
    captured = capsys.readouterr()
    assert "已排除回避关系" in captured.out
    assert "有 1 对的督学或学校不在名单中" in captured.err
