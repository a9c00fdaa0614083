"""The text of a document as officials receive it: plain text, .docx or a .pdf with a text
layer. The kind is read from the bytes (a .docx is a zip holding word/document.xml, a PDF starts
with "%PDF-"), the name only words the messages. Pure apart from parsing the bytes given; no
files, no network. Sizes are bounded before anything is unpacked (a zip bomb is refused)."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dondoc.reading.text import DispatchTextError, decode_text

__all__ = ["MAX_INPUT_BYTES", "document_text"]

MAX_INPUT_BYTES = 20_000_000
_MAX_UNPACKED = 60_000_000  # all the parts of a .docx, uncompressed
_MAX_PAGES = 300
_MAX_CHARS = 2_000_000
_MIN_LETTERS = 40  # fewer letters than a header has: the PDF is an image of the text
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Word (.doc) and Excel files
_SCAN = (
    "a scanned PDF (pages are images, no text layer): send the dispatch's text (.txt) or its "
    "Word file (.docx), or a PDF exported from Word"
)


def document_text(data: bytes, filename: str) -> str:
    """The text of ``data`` (named ``filename``); `DispatchTextError` saying why when it has none
    (a scanned PDF, a damaged file, not text)."""
    name = filename.lower()
    if len(data) > MAX_INPUT_BYTES:
        raise DispatchTextError(
            f"the file is larger than {MAX_INPUT_BYTES // 1_000_000} MB: a dispatch is at most "
            f"{MAX_INPUT_BYTES // 1_000_000} MB"
        )
    if data.startswith(b"%PDF-"):
        return _bounded(_pdf_text(data))
    if data.startswith(b"PK\x03\x04"):
        return _bounded(_docx_text(data))
    if data.lstrip().startswith(b"{\\rtf"):
        raise DispatchTextError("a Rich Text (.rtf) file: save it as .docx or plain text")
    if data.startswith(_OLE):
        raise DispatchTextError(
            "an old binary Word/Excel file (.doc/.xls): save it as .docx or plain text"
        )
    if name.endswith(".pdf"):
        raise DispatchTextError("named .pdf but it is not a PDF (the file is damaged?)")
    if name.endswith((".docx", ".docm")):
        raise DispatchTextError("named .docx but it is not a Word file (the file is damaged?)")
    return _bounded(decode_text(data))


def _bounded(text: str) -> str:
    if len(text) > _MAX_CHARS:
        raise DispatchTextError(f"more than {_MAX_CHARS:,} characters of text: not a dispatch")
    return text


def _docx_text(data: bytes) -> str:
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DispatchTextError(f"a damaged Word (.docx) file: {exc}") from None
    if "word/document.xml" not in names and "content.xml" in names:
        raise DispatchTextError("an OpenDocument (.odt) file: save it as .docx or plain text")
    if "word/document.xml" not in names:
        raise DispatchTextError(
            "a zip archive but not a Word (.docx) document (no word/document.xml)"
        )
    if unpacked > _MAX_UNPACKED:
        raise DispatchTextError(
            f"the Word file unpacks to {unpacked / 1e6:.0f} MB; at most "
            f"{_MAX_UNPACKED // 1_000_000} MB are read"
        )
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_block_lines(document.element.body))
    except Exception as exc:  # python-docx and lxml raise many kinds for a damaged part
        raise DispatchTextError(f"a damaged Word (.docx) file: {exc}") from None
    text = "\n".join(lines)
    if not text.strip():
        raise DispatchTextError("the Word file has no text")
    return text


def _block_lines(parent: Any) -> Iterator[str]:
    """The lines of paragraphs and tables in document order. A table row's cells go side by
    side, line by line, separated by a tab: the header of an official document is a two-column
    table (issuer, number, "V/v ..." | motto, place and date), read as a two-column text."""
    from docx.oxml.ns import qn

    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            yield _paragraph_text(child)
            for box in _text_boxes(child):
                yield from _block_lines(box)
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                yield from _row_lines(row)
        elif child.tag == qn("w:sdt"):  # content controls wrap ordinary blocks
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _block_lines(content)


def _text_boxes(paragraph: Any) -> Iterator[Any]:
    """Text boxes anchored in a paragraph (some templates print the number or the date in one),
    each once: Word stores a box twice, as a drawing and as its legacy fallback."""
    from docx.oxml.ns import qn

    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    for box in paragraph.iter(qn("w:txbxContent")):
        if not any(a.tag == fallback for a in box.iterancestors()):
            yield box


def _row_lines(row: Any) -> Iterator[str]:
    from docx.oxml.ns import qn

    columns = [list(_block_lines(cell)) for cell in row.iterchildren(qn("w:tc"))]
    # A line break inside a paragraph (Shift+Enter) is a line of its own, as printed.
    columns = [
        [part for line in col for part in line.split("\n") if part.strip()] for col in columns
    ]
    for i in range(max((len(c) for c in columns), default=0)):
        yield "\t".join(col[i] if i < len(col) else "" for col in columns).rstrip("\t")


def _paragraph_text(paragraph: Any) -> str:
    """Runs, tabs, line breaks and hyperlinks' text, as python-docx reads a paragraph."""
    return str(paragraph.text)


@contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """pypdf logs what it repairs in a damaged file; the refusal says it once."""
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def _pdf_text(data: bytes) -> str:
    try:
        with _quiet("pypdf"):
            return _pdf_pages(data)
    except DispatchTextError:
        raise
    except Exception as exc:  # pypdf raises many kinds (NotImplementedError, ...) on damage
        raise DispatchTextError(f"a damaged PDF file: {exc}") from None


def _pdf_pages(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise DispatchTextError("the PDF is protected by a password: send it unprotected")
    if len(reader.pages) > _MAX_PAGES:
        raise DispatchTextError(f"{len(reader.pages)} pages; a dispatch has at most {_MAX_PAGES}")
    # Plain mode reads the header's columns one after the other; layout mode keeps them side
    # by side but also spreads justified body lines with runs of spaces, which would read as
    # columns.
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    if sum(c.isalpha() for c in text) < _MIN_LETTERS:
        raise DispatchTextError(_SCAN)
    return text
