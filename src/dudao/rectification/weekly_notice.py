"""The weekly notice (周通报) of a county's rectification work, as DOCX."""

from __future__ import annotations

from datetime import date

from dudao.core.officialdoc import OfficialDocument, chinese_date
from dudao.rectification.models import Rectification
from dudao.rectification.weekly import COLUMNS, VISIT_HEADERS, Weekly

OVERDUE_HEADERS = ["序号", "责任单位", "问题", "责任人", "整改时限", "逾期天数"]


def weekly_title(summary: Weekly) -> str:
    return f"关于{summary.year}年第{summary.week}周整改工作情况的通报"


def weekly_notice(summary: Weekly, *, today: date) -> bytes:
    """Statistics of the week, the table per responsible unit, and the overdue items by name."""
    issuer = summary.county.supervision_office
    doc = OfficialDocument(weekly_title(summary), issuer=issuer)
    doc.addressee("各学校、局机关各股室：")
    total = summary.total
    span = f"{chinese_date(summary.monday)}至{chinese_date(summary.sunday)}"
    doc.heading("一、本周整改情况")
    doc.paragraph(
        f"{span}，全县新增整改事项 {total.created} 项，反馈 {total.responded} 项，"
        f"核验销号 {total.closed} 项，退回重改 {total.returned} 项。截至本周末，"
        f"未销号 {total.open_at_end} 项，其中已逾期 {total.overdue_at_end} 项。"
    )
    rows = [[r.label, *r.values()] for r in [*summary.rows, total]]
    doc.table(["责任单位", *(label for _, label in COLUMNS)], rows, caption="各单位整改情况")
    doc.heading("二、本周检查情况")
    if summary.visits:
        found = sum(v.findings for v in summary.visits)
        doc.paragraph(f"{span}，全县开展督导检查 {len(summary.visits)} 次，发现问题 {found} 项。")
        visited = [
            [n, v.school, chinese_date(v.visited_on), v.inspectors, v.score, v.findings]
            for n, v in enumerate(summary.visits, 1)
        ]
        doc.table(VISIT_HEADERS, visited, caption="本周检查记录")
    else:
        doc.paragraph("本周没有督导检查记录。")
    doc.heading("三、逾期未整改事项")
    if summary.overdue:
        late = [_overdue_row(n, item, summary.sunday) for n, item in enumerate(summary.overdue, 1)]
        doc.table(OVERDUE_HEADERS, late, caption="逾期事项清单")
        doc.paragraph(
            "以上单位要立即整改，三日内将整改情况报县督导室；逾期仍未整改的，将按规定问责。"
        )
    else:
        doc.paragraph("本周末没有逾期未整改的事项。")
    doc.heading("四、下周要求")
    doc.paragraph(
        "各单位要对照问题清单、措施清单、责任清单、时限清单逐项整改，按时反馈，确保清零销号。"
    )
    doc.closing(issuer, today)
    return doc.to_bytes()


def _overdue_row(n: int, item: Rectification, sunday: date) -> list[object]:
    """An overdue item (it always has a deadline: see `weekly_summary`)."""
    deadline = item.deadline or sunday
    days = (sunday - deadline).days
    return [n, item.owner_label, item.problem, item.responsible, chinese_date(deadline), days]
