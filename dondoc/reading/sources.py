"""The text of a document as officials receive it: plain text, .docx or a .pdf with a text
layer. Pure apart from parsing the bytes given; no files, no network."""

from __future__ import annotations

from dondoc.reading.text import decode_text

__all__ = ["document_text"]


def document_text(data: bytes, filename: str) -> str:
    """The text of ``data`` (named ``filename``); `DispatchTextError` saying why when it has none
    (a scanned PDF, a damaged file, not text)."""
    return decode_text(data)
