"""`dudao tasks ...`: key-task decomposition tables (重点工作分解表), no database needed.

Exit codes of `dudao tasks preview`: 0 read without problems, 1 read with problems (the plan is
still printed) or the file cannot be read, 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.table import Table

from dudao.cliutil import EXIT_INPUT, EXIT_OK, err, existing, out
from dudao.engine.tables.errors import InputErrors
from dudao.engine.workplan import ParsedPlan, parse_task_table, plan_to_dict

TEXT_WIDTH = 40  # task text shown in the table, in characters


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's sub-commands to the `dudao` parser."""
    tasks = sub.add_parser("tasks", help="重点工作任务分解表（督办）")
    commands = tasks.add_subparsers(dest="tasks_command", required=True, metavar="子命令")
    preview = commands.add_parser(
        "preview",
        help="检查并预览重点工作任务分解表（.xlsx 或 .csv），不写入数据库",
        description=(
            "读取重点工作任务分解表，列出标题和年度、类别、任务、责任领导和股室、完成时限，"
            "以及发现的问题；--format json 还给出节点安排和从任务内容中识别的量化目标。"
        ),
        epilog="退出码：0 没有发现问题，1 发现问题或文件无法读取，2 命令用法错误。",
    )
    preview.add_argument("file", type=Path, help="分解表文件（.xlsx 或 .csv）")
    preview.add_argument(
        "--format", choices=("table", "json"), default="table", help="输出格式（默认 table）"
    )
    preview.set_defaults(func=cmd_preview)


def cmd_preview(args: argparse.Namespace) -> int:
    path = existing(args.file)
    try:
        plan = parse_task_table(path.read_bytes(), path.name)
    except InputErrors as exc:
        err.print(f"文件有 {len(exc.errors)} 处错误，未读取任何任务：")
        for e in exc.errors:
            err.print(f"  - {e}")
        return EXIT_INPUT
    if args.format == "json":
        sys.stdout.write(json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2) + "\n")
    else:
        print_plan(plan)
    return EXIT_INPUT if plan.problems else EXIT_OK


def _short(text: str, width: int = TEXT_WIDTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def print_plan(plan: ParsedPlan) -> None:
    """Categories with their tasks, then the problems, then a one-line count."""
    out.print(f"工作表：{plan.sheet}")
    if plan.title:
        year = f"（年度：{plan.year}）" if plan.year else "（标题中没有年度）"
        out.print(f"标题：{plan.title}{year}")
    timed = any(t.deadline for t in plan.tasks)  # the 完成时限 column only when the table has one
    for category in plan.categories:
        table = Table(title=category, title_justify="left", expand=False)
        for header in ("行", "序号", "重点工作任务", "责任领导", "责任股室", "协办股室"):
            table.add_column(header, overflow="fold")
        if timed:
            table.add_column("完成时限", overflow="fold")
        for t in plan.tasks:
            if t.category == category:
                table.add_row(
                    str(t.row),
                    t.number,
                    _short(t.text),
                    "、".join(t.leaders),
                    "、".join(t.lead_departments),
                    "、".join(t.co_departments),
                    *((t.deadline,) if timed else ()),
                )
        out.print(table)
    if plan.problems:
        out.print("发现的问题：")
        for p in plan.problems:
            where = f"第 {p.row} 行" if p.row is not None else "表格"
            column = f"，列“{p.column}”" if p.column else ""
            out.print(f"  - {where}{column}：{p.reason}")
    out.print(summary(plan))


def summary(plan: ParsedPlan) -> str:
    counts = len(plan.categories), len(plan.tasks), len(plan.problems)
    return "共 {} 个类别、{} 项任务，发现 {} 个问题".format(*counts)
