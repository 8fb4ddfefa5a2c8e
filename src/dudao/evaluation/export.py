"""Exporting a run: the command line's result workbook, or the stored JSON when it cannot be.

The workbook is regenerated from the stored inputs by re-running the engine with the run's
framework — but only if the framework file on disk still has the digest stored with the run,
and the re-run gives exactly the stored result. Otherwise (the framework file was changed or
removed, or the engine now computes differently) the workbook would no longer match the run,
so the stored JSON result is exported as it is, and the results page says so beforehand.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from dudao.engine.report import to_json_dict
from dudao.engine.spec import Framework, FrameworkError, load_framework
from dudao.engine.workbook import write_result_workbook
from dudao.evaluation.models import Run
from dudao.evaluation.services import plain_json
from dudao.evaluation.snapshot import evaluate_snapshot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str
    workbook: bool
    ascii_name: str  # fallback for clients that do not read RFC 5987 names


def current_framework(run: Run) -> Framework | None:
    """The run's framework as the file is now, or None if it is gone or its digest differs."""
    try:
        fw = load_framework(run.framework)
    except FrameworkError:
        return None
    return fw if fw.digest == run.framework_digest else None


def export_run(run: Run) -> Export:
    """The result workbook (regenerated), or the stored JSON result when it cannot be."""
    base = f"{run.period.county.name}{run.period.name}评估结果-{run.pk}"
    fw = current_framework(run)
    if fw is not None:
        result = evaluate_snapshot(fw, run.inputs)
        if plain_json(to_json_dict(result)) == run.result:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "result.xlsx"
                write_result_workbook(result, path)
                content = path.read_bytes()
            return Export(content, f"{base}.xlsx", XLSX, True, f"evaluation-{run.pk}.xlsx")
    text = json.dumps(run.result, ensure_ascii=False, indent=2).encode("utf-8")
    return Export(text, f"{base}.json", JSON, False, f"evaluation-{run.pk}.json")


def content_disposition(export: Export) -> str:
    """`attachment` with an ASCII fallback name and the real (Chinese) name per RFC 5987."""
    name = quote(export.filename, safe="")
    return f"attachment; filename=\"{export.ascii_name}\"; filename*=UTF-8''{name}"
