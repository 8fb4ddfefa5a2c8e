"""The rectification notice (整改通知书) of one school as DOCX, in official-document style."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dudao.core.officialdoc import OfficialDocument, chinese_date
from dudao.orgs.models import Institution
from dudao.rectification.models import Rectification

HEADERS = ["序号", "问题", "整改措施", "责任人", "整改时限"]


def issuer_of(institution: Institution) -> str:
    return institution.county.supervision_office


BLANK_NUMBER = "　"  # a notice not yet issued: the number line left blank, never invented


def rectification_notice(
    institution: Institution, items: Sequence[Rectification], *, number: str, today: date
) -> bytes:
    """The notice: addressed to the school, the open items in a table, the report-back rule.

    `number` is the issued number; "" (not yet issued) leaves the number line blank."""
    number = number or BLANK_NUMBER
    issuer = issuer_of(institution)
    doc = OfficialDocument(f"关于{institution.name}限期整改的通知", issuer=issuer, number=number)
    doc.addressee(f"{institution.name}：")
    sources = "、".join(dict.fromkeys(i.get_source_display() for i in items))
    doc.paragraph(
        f"根据{sources}情况，你校存在以下问题。现将问题清单、措施清单、责任清单和时限清单"
        "通知如下，请认真对照整改。"
    )
    rows = [
        [n, i.problem, i.measures, i.responsible, chinese_date(i.deadline) if i.deadline else ""]
        for n, i in enumerate(items, 1)
    ]
    doc.table(HEADERS, rows, caption="整改事项清单")
    doc.paragraph(
        "请你校于各项整改时限前完成整改，并将整改情况及佐证材料通过督导评估平台"
        "报送县督导室核验销号。逾期未整改或整改不到位的，将予以通报。"
    )
    doc.closing(issuer, today)
    return doc.to_bytes()
