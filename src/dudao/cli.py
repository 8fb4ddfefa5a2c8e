"""The `dudao` command: engine commands that work on spreadsheets alone.

Exit codes: 0 done (whatever the verdict), 1 input errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl
from fastexcel import read_excel

from dudao import cli_draw, cli_tasks
from dudao.cliutil import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    err,
    existing,
    out,
    output,
    progress,
)
from dudao.engine.demo import demo_county_values, demo_schools
from dudao.engine.evaluate import evaluate
from dudao.engine.report import to_json
from dudao.engine.spec import Framework, FrameworkError, available_frameworks, load_framework
from dudao.engine.summary import print_summary
from dudao.engine.tables import (
    InputError,
    InputErrors,
    read_county_items,
    read_schools,
    write_template,
)
from dudao.engine.workbook import write_result_workbook


def _framework(name: str) -> Framework:
    path = Path(name)
    if path.suffix == ".toml" and not path.exists():
        raise UsageError(f"找不到指标体系文件：{name}")
    if path.suffix != ".toml" and name not in available_frameworks():
        known = "、".join(available_frameworks())
        raise UsageError(f"没有指标体系“{name}”。可用的有：{known}")
    return load_framework(name)


# ---------------------------------------------------------------- commands


def cmd_frameworks(args: argparse.Namespace) -> int:
    for code in available_frameworks():
        fw = load_framework(code)
        tag = "（模板，需按本省文件填写）" if fw.status == "TEMPLATE" else ""
        out.print(f"{code}\t{fw.title}\t{fw.basis}{tag}")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    fw = _framework(args.framework)
    path = output(args.output, ".xlsx")
    write_template(fw, path)
    out.print(f"已生成填报模板：{path}（{fw.title}）")
    return EXIT_OK


def cmd_demo_data(args: argparse.Namespace) -> int:
    if args.counties < 1 or args.schools_per_county < 1:
        raise UsageError("区县数和每县学校数都应至少为 1")
    path = output(args.output, ".xlsx")
    fw = load_framework("yzjh-2017")
    with progress(3) as step:
        step("生成学校数据")
        schools = demo_schools(args.counties, args.schools_per_county, args.seed)
        step("生成县级指标")
        values = demo_county_values(args.counties, args.seed)
        step("写出工作簿")
        write_template(fw, path, schools=schools, county_values=values)
    out.print(f"已生成演示数据：{path}（{args.counties} 个区县，{schools.height} 所学校）")
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    fw = _framework(args.framework)
    source = existing(args.input)
    items_file = existing(args.county_items) if args.county_items else None
    prices = _prices(fw, args.price or [])
    target = output(args.output, ".xlsx") if args.output else None
    with progress(3 if target else 2) as step:
        step("读取数据")
        schools, values = _read_inputs(fw, source, items_file)
        step("计算指标与差异系数")
        result = evaluate(fw, schools, values, prices)
        if target:
            step("写出结果工作簿")
            write_result_workbook(result, target)
    if args.format == "json":
        sys.stdout.write(to_json(result) + "\n")
    else:
        print_summary(out, result)
        if target:
            out.print(f"\n结果工作簿：{target}")
    return EXIT_OK


def _prices(fw: Framework, pairs: Sequence[str]) -> dict[str, float]:
    prices: dict[str, float] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or fw.price(key) is None:
            known = "、".join(p.key for p in fw.prices) or "（该指标体系没有单价）"
            raise UsageError(f"--price 应写成 键=数值，键为：{known}（收到“{pair}”）")
        try:
            prices[key] = float(raw)
        except ValueError:
            raise UsageError(f"--price {key} 的值不是数字：“{raw}”") from None
        if prices[key] < 0:
            raise UsageError(f"--price {key} 不能为负数")
    return prices


CountyTable = dict[str, dict[str, float | bool | None]]


def _read_inputs(
    fw: Framework, source: Path, items_file: Path | None
) -> tuple[pl.DataFrame | None, CountyTable]:
    """Schools and county inputs; every error of both files is collected before failing."""
    errors: list[InputError] = []
    schools = None
    values: CountyTable = {}
    if fw.levels:
        try:
            schools = read_schools(source, fw)
        except InputErrors as exc:
            errors.extend(exc.errors)
    items_source = items_file or (source if not fw.levels or _has_items_sheet(source) else None)
    if items_source is not None and fw.county_fields:
        try:
            values = read_county_items(items_source, fw)
        except InputErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise InputErrors(errors)
    return schools, values


def _has_items_sheet(path: Path) -> bool:
    if path.suffix.lower() != ".xlsx":
        return False
    return "县级指标" in read_excel(str(path)).sheet_names


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dudao",
        description="督导：县域教育督导评估（只用表格即可计算）。",
        epilog="退出码：0 已完成（无论结论如何），1 输入数据有错误，2 命令用法错误。",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")
    sub.add_parser("frameworks", help="列出内置的指标体系").set_defaults(func=cmd_frameworks)

    t = sub.add_parser("template", help="生成空白填报模板（.xlsx）")
    t.add_argument("framework", help="指标体系代码（如 yzjh-2017）或 .toml 文件路径")
    t.add_argument("-o", "--output", type=Path, required=True, help="输出的 .xlsx 文件")
    t.set_defaults(func=cmd_template)

    e = sub.add_parser("evaluate", help="按指标体系评估学校数据")
    e.add_argument("framework", help="指标体系代码（如 yzjh-2017）或 .toml 文件路径")
    e.add_argument("input", type=Path, help="学校基础数据（.xlsx 或 .csv）")
    e.add_argument("--county-items", type=Path, help="县级指标数据（.xlsx 或 .csv）")
    e.add_argument("-o", "--output", type=Path, help="结果工作簿（.xlsx）")
    e.add_argument("--format", choices=("table", "json"), default="table", help="终端输出格式")
    e.add_argument(
        "--price", action="append", metavar="键=数值", help="覆盖测算单价，如 building_per_m2=3500"
    )
    e.set_defaults(func=cmd_evaluate)

    d = sub.add_parser("demo-data", help="生成演示用的模拟区县数据")
    d.add_argument("--counties", type=int, default=1, help="区县数（默认 1）")
    d.add_argument("--schools-per-county", type=int, default=40, help="每县学校数（默认 40）")
    d.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
    d.add_argument("-o", "--output", type=Path, required=True, help="输出的 .xlsx 文件")
    d.set_defaults(func=cmd_demo_data)
    cli_tasks.register(sub)
    cli_draw.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except UsageError as exc:
        err.print(f"用法错误：{exc}")
        return EXIT_USAGE
    except FrameworkError as exc:
        err.print(f"指标体系错误：{exc}")
        return EXIT_INPUT
    except InputErrors as exc:
        err.print(f"输入数据有 {len(exc.errors)} 处错误，未进行评估：")
        for e in exc.errors:
            err.print(f"  - {e}")
        return EXIT_INPUT
    return code


if __name__ == "__main__":
    sys.exit(main())
