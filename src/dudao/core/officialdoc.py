"""DOCX documents in official-document style (公文, after GB/T 9704), built with python-docx.

One builder for every notice the platform writes (调度通报, 整改通知书, 双随机公示, ...):

    doc = OfficialDocument("关于……的通报", issuer="青川县教育局", number="青教督〔2026〕3号")
    doc.addressee("各股室、局属各单位：")
    doc.paragraph("……")
    doc.heading("一、总体情况")
    doc.table(["序号", "任务", "责任股室"], rows, caption="滞后任务")
    doc.closing("青川县教育局", date(2026, 11, 25))
    data = doc.to_bytes()

Fonts are named, never embedded: the reader's Word or WPS supplies them (no download at run time).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(12)  # 小四
LINE = Pt(28)  # fixed line spacing of the body
RED = RGBColor(0xC0, 0x00, 0x00)


def chinese_date(day: date) -> str:
    """A date as official documents write it: 2026年11月25日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _font(run: Run, name: str, size: Pt, *, bold: bool = False) -> Run:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    return run


class OfficialDocument:
    """A notice, report or list in official-document layout, written to DOCX bytes."""

    def __init__(self, title: str, *, issuer: str = "", number: str = "") -> None:
        self.title = title
        self._doc = Document()
        self._page()
        if issuer:
            self._masthead(issuer, number)
        elif number:
            self._centered(number, BODY_FONT, BODY_SIZE)
        self._centered(title, TITLE_FONT, TITLE_SIZE, space_after=Pt(16))

    # ------------------------------------------------------------ layout

    def _page(self) -> None:
        section = self._doc.sections[0]
        section.page_height, section.page_width = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self._doc.styles["Normal"]
        normal.font.name = BODY_FONT  # type: ignore[attr-defined]
        normal.font.size = BODY_SIZE  # type: ignore[attr-defined]
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        self._page_number(section.footer.paragraphs[0])

    def _page_number(self, paragraph: Paragraph) -> None:
        """ "— 1 —" centred in the footer, as official documents number their pages."""
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(paragraph.add_run("— "), BODY_FONT, Pt(14))
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        number = _font(paragraph.add_run("1"), BODY_FONT, Pt(14))
        field.append(number._element)
        paragraph._p.append(field)
        _font(paragraph.add_run(" —"), BODY_FONT, Pt(14))

    def _masthead(self, issuer: str, number: str) -> None:
        head = self._centered(f"{issuer}文件", TITLE_FONT, Pt(36), space_after=Pt(12))
        head.runs[0].font.color.rgb = RED
        if number:
            self._centered(number, BODY_FONT, BODY_SIZE)
        rule = self._doc.add_paragraph()
        border = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("val", "single"), ("sz", "18"), ("space", "1"), ("color", "C00000")):
            bottom.set(qn(f"w:{key}"), value)
        border.append(bottom)
        rule._p.get_or_add_pPr().append(border)

    def _centered(
        self, text: str, font: str, size: Pt, *, space_after: Pt | None = None
    ) -> Paragraph:
        paragraph = self._doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if space_after is not None:
            paragraph.paragraph_format.space_after = space_after
        _font(paragraph.add_run(text), font, size)
        return paragraph

    def _body(self, text: str, font: str = BODY_FONT, *, indent: bool = True) -> Paragraph:
        paragraph = self._doc.add_paragraph()
        form = paragraph.paragraph_format
        form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        form.line_spacing = LINE
        form.space_after = Pt(0)
        if indent:
            form.first_line_indent = Pt(32)  # two characters of 三号
        _font(paragraph.add_run(text), font, BODY_SIZE)
        return paragraph

    # ------------------------------------------------------------ content

    def addressee(self, text: str) -> None:
        """The main recipients (主送机关), flush left: 各股室、局属各单位："""
        self._body(text, indent=False)

    def heading(self, text: str, level: int = 1) -> None:
        """Level 1 in 黑体 ("一、……"), level 2 in 楷体 ("（一）……")."""
        self._body(text, HEADING_FONT if level == 1 else SUBHEADING_FONT)

    def paragraph(self, text: str) -> None:
        self._body(text)

    def table(
        self, headers: Sequence[str], rows: Sequence[Sequence[object]], *, caption: str = ""
    ) -> None:
        """A bordered table with a bold header row; None prints as an empty cell."""
        if caption:
            self._centered(caption, HEADING_FONT, Pt(14))
        table = self._doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            _font(cell.paragraphs[0].add_run(text), HEADING_FONT, TABLE_SIZE, bold=True)
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                text = "" if value is None else str(value)
                _font(cell.paragraphs[0].add_run(text), BODY_FONT, TABLE_SIZE)
        self._doc.add_paragraph()

    def closing(self, issuer: str, day: date) -> None:
        """The issuing body and date (落款), right-aligned below the body."""
        self._doc.add_paragraph()
        for text in (issuer, chinese_date(day)):
            paragraph = self._body(text, indent=False)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = Pt(64)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._doc.save(buffer)
        return buffer.getvalue()


def document_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, one per line (for tests and previews)."""
    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)
