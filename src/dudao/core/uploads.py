"""The content check of uploaded evidence files, shared by every app that stores them.

An allowed extension (settings.EVIDENCE_EXTENSIONS) is not enough: the file's leading bytes
must be those of that type, so that e.g. a program renamed to .jpg is refused.
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile

ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0",)

# extension -> (accepted leading bytes, the type named to the user); None: a text type
SIGNATURES: dict[str, tuple[tuple[bytes, ...] | None, str]] = {
    ".jpg": ((b"\xff\xd8\xff",), "JPEG 图片"),
    ".jpeg": ((b"\xff\xd8\xff",), "JPEG 图片"),
    ".png": ((b"\x89PNG",), "PNG 图片"),
    ".gif": ((b"GIF8",), "GIF 图片"),
    ".pdf": ((b"%PDF",), "PDF 文件"),
    ".docx": (ZIP, "Word 文档"),
    ".xlsx": (ZIP, "Excel 表格"),
    ".pptx": (ZIP, "PowerPoint 演示文稿"),
    ".doc": (OLE, "Word 文档"),
    ".xls": (OLE, "Excel 表格"),
    ".txt": (None, "文本文件"),
    ".csv": (None, "CSV 文本文件"),
}

TEXT_ENCODINGS = ("utf-8", "gb18030")


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in TEXT_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def content_mismatch(uploaded: UploadedFile) -> str:
    """The Chinese refusal when the file's content is not of its extension's type, else ""."""
    name = Path(uploaded.name or "").name
    suffix = Path(name).suffix.lower()
    known = SIGNATURES.get(suffix)
    if known is None:
        return ""
    prefixes, label = known
    uploaded.seek(0)
    data = uploaded.read() if prefixes is None else uploaded.read(8)
    uploaded.seek(0)
    if _is_text(data) if prefixes is None else data.startswith(prefixes):
        return ""
    space = " " if label[0].isascii() else ""
    return f"“{name}”的内容与扩展名不符（不是{space}{label}），未上传"
