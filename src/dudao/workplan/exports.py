"""XLSX export of any task list, with the same filters as the page (xlsxwriter, in memory)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone

from dudao.engine.workplan import LIGHT_LABELS, STATUS_LABELS
from dudao.workplan.presenters import Expected, RoundRow, TaskRow

HEADERS = [
    "类别",
    "序号",
    "重点工作任务",
    "责任领导",
    "责任股室",
    "协办股室（单位）",
    "完成时限",
    "最新进展",
    "完成进度（%）",
    "信号灯",
    "说明",
]
WIDTHS = [10, 6, 50, 14, 14, 18, 12, 10, 10, 8, 22]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows_xlsx(title: str, rows: Sequence[TaskRow]) -> bytes:
    """A workbook with a title line, the header and one line per task."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("任务清单")
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write(0, 0, title, bold)
    for col, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.write(1, col, header, bold)
        sheet.set_column(col, col, width, wrap)
    for line, row in enumerate(rows, start=2):
        report = row.report
        values = [
            row.task.category.name,
            row.task.number,
            row.task.text,
            "、".join(row.leaders),
            "、".join(row.lead),
            "、".join(row.co),
            row.deadline.isoformat(),
            STATUS_LABELS[report.status] if report else "未报送",
            report.percent if report and report.percent is not None else "",
            LIGHT_LABELS[str(row.signal.light)],
            row.signal.reason,
        ]
        for col, value in enumerate(values):
            sheet.write(line, col, value)
    sheet.freeze_panes(2, 0)
    book.close()
    return buffer.getvalue()


def xlsx_response(title: str, rows: Sequence[TaskRow]) -> HttpResponse:
    response = HttpResponse(rows_xlsx(title, rows), content_type=XLSX)
    name = quote(f"{title}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


ROUND_HEADERS = [
    "类别",
    "序号",
    "重点工作任务",
    "股室",
    "身份",
    "进展状态",
    "完成进度（%）",
    "已完成工作",
    "下一步打算",
    "需协调解决的问题",
    "报送时间",
    "是否逾期",
    "信号灯",
]
ROUND_WIDTHS = [10, 6, 40, 12, 6, 10, 10, 40, 30, 30, 17, 8, 18]


def round_xlsx(title: str, rows: Sequence[RoundRow]) -> bytes:
    """A round's reports: one line per task and expected department (未报送 when missing)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("报送情况")
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write(0, 0, title, bold)
    for col, (header, width) in enumerate(zip(ROUND_HEADERS, ROUND_WIDTHS, strict=True)):
        sheet.write(1, col, header, bold)
        sheet.set_column(col, col, width, wrap)
    line = 2
    for row in rows:
        for expected in row.expected:
            sheet.write_row(line, 0, _round_line(row, expected))
            line += 1
    sheet.freeze_panes(2, 0)
    book.close()
    return buffer.getvalue()


def _round_line(row: RoundRow, expected: Expected) -> list[object]:
    report = expected.report
    light = f"{LIGHT_LABELS[row.light]} {row.reason}".strip()
    head = [row.task.category.name, row.task.number, row.task.text, expected.department_name]
    head.append("牵头" if expected.role == "lead" else "协办")
    if report is None:
        return [*head, "未报送", "", "", "", "", "", "", light]
    submitted = timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")
    return [
        *head,
        STATUS_LABELS[report.status],
        report.percent if report.percent is not None else "",
        report.done,
        report.next_steps,
        report.problems,
        submitted,
        "是" if report.late else "否",
        light,
    ]


def round_response(title: str, rows: Sequence[RoundRow]) -> HttpResponse:
    response = HttpResponse(round_xlsx(title, rows), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title + '.xlsx')}"
    return response


def table_xlsx(title: str, headers: Sequence[str], lines: Sequence[Sequence[object]]) -> bytes:
    """A plain list as a workbook: the title line, the header, one line per row."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, title, bold)
    sheet.write_row(1, 0, list(headers), bold)
    sheet.set_column(0, len(headers) - 1, 16)
    for number, line in enumerate(lines, start=2):
        sheet.write_row(number, 0, list(line))
    sheet.freeze_panes(2, 0)
    book.close()
    return buffer.getvalue()


def table_response(
    title: str, headers: Sequence[str], lines: Sequence[Sequence[object]]
) -> HttpResponse:
    response = HttpResponse(table_xlsx(title, headers, lines), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title + '.xlsx')}"
    return response
