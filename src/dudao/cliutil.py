"""Shared pieces of the `dudao` command: exit codes, consoles, usage errors, progress bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class UsageError(Exception):
    """A command-line mistake (exit code 2)."""


def existing(path: Path) -> Path:
    if not path.exists():
        raise UsageError(f"找不到文件：{path}")
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise UsageError(f"只支持 .xlsx 或 .csv 文件：{path}")
    return path


def output(path: Path, suffix: str) -> Path:
    if path.suffix.lower() != suffix:
        raise UsageError(f"输出文件应以 {suffix} 结尾：{path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def progress(total: int) -> Iterator[Callable[[str], None]]:
    """A step progress bar on the terminal (stderr); silent when not a terminal."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with bar:
        task = bar.add_task("准备", total=total)

        def step(description: str) -> None:
            bar.update(task, description=description, advance=1)

        yield step
