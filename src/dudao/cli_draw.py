"""`dudao draw ...`: re-run a published random draw (双随机) from its seed and candidate lists.

Exit codes: 0 drawn, 1 the CSV files have errors or the draw is impossible (too few inspectors,
more schools asked for than candidates, duplicate codes), 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from rich.table import Table

from dudao.cliutil import EXIT_INPUT, EXIT_OK, UsageError, err, existing, out
from dudao.engine.draw import (
    ALGORITHM_VERSION,
    DrawError,
    DrawResult,
    InspectorCandidate,
    SchoolCandidate,
    draw,
    read_conflicts_csv,
    read_inspectors_csv,
    read_schools_csv,
    result_to_dict,
)
from dudao.engine.tables.errors import InputError, InputErrors

T = TypeVar("T")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's sub-commands to the `dudao` parser."""
    p = sub.add_parser(
        "draw",
        help="复核双随机抽查结果（按公开的种子和名单重新抽签）",
        description=(
            "按公开的随机种子和候选名单（CSV）重新抽取学校和督学，结果与平台公示的记录一致。"
            "算法见 docs/random-draw.md。"
        ),
        epilog="退出码：0 已抽签，1 名单有错误或无法抽签，2 命令用法错误。",
    )
    p.add_argument("--seed", required=True, help="公开的随机种子（原样使用，区分大小写和空格）")
    p.add_argument("--schools", type=Path, required=True, help="候选学校名单（.csv）")
    p.add_argument("--inspectors", type=Path, required=True, help="督学名单（.csv）")
    p.add_argument("--count", type=int, required=True, help="抽取学校数 N")
    p.add_argument("--per-school", type=int, required=True, help="每校督学人数 M")
    p.add_argument("--conflicts", type=Path, help="回避名单（.csv，可选）")
    p.add_argument(
        "--format", choices=("table", "json"), default="table", help="输出格式（默认 table）"
    )
    p.set_defaults(func=cmd_draw)


def cmd_draw(args: argparse.Namespace) -> int:
    if not args.seed.strip():
        raise UsageError("--seed 不能为空")
    if args.count < 1 or args.per_school < 1:
        raise UsageError("--count 和 --per-school 都应至少为 1")
    schools_file, inspectors_file = _csv(args.schools), _csv(args.inspectors)
    conflicts_file = _csv(args.conflicts) if args.conflicts else None
    errors: list[InputError] = []
    schools = _collect(read_schools_csv, schools_file, errors)
    inspectors = _collect(read_inspectors_csv, inspectors_file, errors)
    conflicts = _collect(read_conflicts_csv, conflicts_file, errors) if conflicts_file else []
    if errors:
        err.print(f"名单有 {len(errors)} 处错误，未抽签：")
        for e in errors:
            err.print(f"  - {e}")
        return EXIT_INPUT
    try:
        result = draw(args.seed, schools, inspectors, args.count, args.per_school, conflicts)
    except DrawError as exc:
        err.print(f"无法抽签：{exc}")
        return EXIT_INPUT
    if args.format == "json":
        sys.stdout.write(json.dumps(result_to_dict(result), ensure_ascii=False, indent=2) + "\n")
    else:
        print_result(result, schools, inspectors)
        _warn_unknown(conflicts, schools, inspectors)
    return EXIT_OK


def _csv(path: Path) -> Path:
    existing(path)
    if path.suffix.lower() != ".csv":
        raise UsageError(f"只支持 .csv 文件（Excel 中另存为“CSV UTF-8”）：{path}")
    return path


def _collect(read: Callable[[Path], list[T]], path: Path, errors: list[InputError]) -> list[T]:
    """Read one file, adding its errors to `errors` so that all files are checked at once."""
    try:
        return read(path)
    except InputErrors as exc:
        errors.extend(exc.errors)
        return []


def print_result(
    result: DrawResult, schools: list[SchoolCandidate], inspectors: list[InspectorCandidate]
) -> None:
    """The digest and seed, the drawn schools with their inspectors, the conflicts applied."""
    out.print(f"种子摘要（SHA-256）：{result.seed_digest}")
    out.print(f"随机种子：{result.seed}")
    out.print(
        f"算法：{ALGORITHM_VERSION}；候选学校 {len(schools)} 所，督学 {len(inspectors)} 名；"
        f"抽取 {len(result.picks)} 所学校"
    )
    table = Table(expand=False, show_lines=True)
    for header in ("序号", "学校代码", "学校名称", "督学"):
        table.add_column(header, overflow="fold", no_wrap=header != "学校名称")
    for n, pick in enumerate(result.picks, start=1):
        names = "\n".join(f"{i.name}（{i.code}）" for i in pick.inspectors)
        table.add_row(str(n), pick.school.code, pick.school.name, names)
    out.print(table)
    out.print(f"已排除回避关系 {len(result.excluded)} 对（含督学所在学校）")


def _warn_unknown(
    conflicts: list[tuple[str, str]],
    schools: list[SchoolCandidate],
    inspectors: list[InspectorCandidate],
) -> None:
    school_codes = {s.code for s in schools}
    inspector_codes = {i.code for i in inspectors}
    unknown = [(i, s) for i, s in conflicts if i not in inspector_codes or s not in school_codes]
    if unknown:
        err.print(f"注意：回避名单中有 {len(unknown)} 对的督学或学校不在名单中，已忽略")
