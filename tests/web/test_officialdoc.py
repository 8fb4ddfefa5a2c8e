"""The official-document DOCX builder: layout choices a clerk checks, and its text round-trip."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from dudao.core.officialdoc import (
    BODY_FONT,
    TITLE_FONT,
    OfficialDocument,
    chinese_date,
    document_text,
)


def _sample() -> bytes:
    doc = OfficialDocument(
        "关于第一次调度情况的通报", issuer="青川县教育局", number="青教〔2026〕3号"
    )
    doc.addressee("局机关各股室、局属各单位：")
    doc.heading("一、总体情况")
    doc.paragraph("本次调度共报送任务 12 项。")
    doc.heading("（一）滞后任务", level=2)
    doc.table(["序号", "任务", "进度"], [[1, "推进集团化办学", None]], caption="滞后任务表")
    doc.closing("青川县教育局", date(2026, 3, 5))
    return doc.to_bytes()


def test_a_date_is_written_the_way_official_documents_write_it():
    assert chinese_date(date(2026, 11, 5)) == "2026年11月5日"


def test_the_text_of_a_document_reads_back_in_order_with_its_table():
    lines = document_text(_sample()).splitlines()
    assert lines[0] == "青川县教育局文件"
    assert "青教〔2026〕3号" in lines
    title = lines.index("关于第一次调度情况的通报")
    assert title < lines.index("局机关各股室、局属各单位：") < lines.index("一、总体情况")
    assert "2026年3月5日" in lines
    assert "序号 | 任务 | 进度" in lines
    assert "1 | 推进集团化办学 | " in lines


def test_the_page_is_a4_with_official_margins_and_chinese_fonts():
    doc = Document(io.BytesIO(_sample()))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37
    title = next(p for p in doc.paragraphs if p.text == "关于第一次调度情况的通报")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.name == TITLE_FONT
    assert title.runs[0].font.size == Pt(22)
    body = next(p for p in doc.paragraphs if p.text.startswith("本次调度"))
    assert body.runs[0].font.name == BODY_FONT
    assert body.paragraph_format.first_line_indent == Pt(32)


def test_a_document_without_issuer_still_shows_its_number_above_the_title():
    doc = OfficialDocument("整改通知书", number="青督〔2026〕1号")
    doc.paragraph("请于期限内整改。")
    lines = document_text(doc.to_bytes()).splitlines()
    assert lines[:2] == ["青督〔2026〕1号", "整改通知书"]
    assert not any(line.endswith("文件") for line in lines)
