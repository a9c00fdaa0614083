"""The document a text is, or the one a công văn implements: its identity (number/symbol and
year) and the review points on its header fields, each with the line it was read from. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dondoc.reading.blocks import Blocks
from dondoc.reading.header import Header
from dondoc.reading.identity import implemented
from dondoc.reading.review import Note, Review
from dondoc.reading.symbols import Citation, parse_symbol


@dataclass(frozen=True)
class DocumentDraft:
    number: str | None
    doc_type: str | None
    issuer: str | None
    issued_on: dt.date | None
    subject: str | None
    unit: str | None = None
    implements: str | None = None

    @property
    def year(self) -> int | None:
        """The year that, with the number, names the document: the one in the number
        ("09/2019/NĐ-CP"), else the year of issue (24/CT-TTg of 2012 is not that of 2016)."""
        sym = parse_symbol(self.number) if self.number else None
        if sym is not None and sym.year is not None:
            return sym.year
        return self.issued_on.year if self.issued_on else None


def line_with(lines: Sequence[str], number: str) -> str | None:
    return next((line for line in lines if number in line), None)


def archive_line(blocks: Blocks) -> str | None:
    return next((e.written for e in blocks.distribution if e.role == "archive"), None)


def document_review(review: Review, role: str, header: Header, doc: DocumentDraft) -> None:
    if doc.number is None:
        got = f" (got {header.number_raw!r})" if header.number_raw else ""
        got_vi = f" (đọc được «{header.number_raw}»)" if header.number_raw else ""
        review.add(
            f"{role}.number",
            Note(f"no number/symbol read{got}", f"chưa đọc được số, ký hiệu{got_vi}"),
            sentence=header.number_line,
        )
    if doc.issued_on is None:
        got = f" (got {header.date_text!r})" if header.date_text else ""
        got_vi = f" (đọc được «{header.date_text}»)" if header.date_text else ""
        review.add(
            f"{role}.issued_on",
            Note(f"no date of issue read{got}", f"chưa đọc được ngày ban hành{got_vi}"),
            sentence=header.date_line,
        )
    if doc.subject is None:
        review.add(
            f"{role}.subject",
            Note(
                "no subject ('V/v ...' or the line under the type name)",
                "chưa đọc được trích yếu (dòng 'V/v ...' hoặc dòng dưới tên loại văn bản)",
            ),
        )


def directive_draft(cite: Citation, text: str, cited: str | None, review: Review) -> DocumentDraft:
    """The document a công văn implements, as its body describes it; ``cited``: the body line
    naming it (the subject's line when only the subject does)."""
    found = implemented(cite, text)
    line = cited or line_with(text.split("\n"), cite.number)
    if found.issued_on is None:
        review.add(
            "directive.issued_on",
            Note(
                f"the date of {cite.number} is not in the text",
                f"văn bản không nêu ngày ban hành của {cite.number}",
            ),
            sentence=line,
        )
    if found.subject is None:
        review.add(
            "directive.subject",
            Note(
                f"the subject of {cite.number} is not in the text",
                f"văn bản không nêu trích yếu của {cite.number}",
            ),
            sentence=line,
        )
    if found.issuer is None:
        review.add(
            "directive.issuer",
            Note(
                f"the issuer of {cite.number} is not known",
                f"chưa xác định được cơ quan ban hành {cite.number}",
            ),
            sentence=line,
        )
    if found.issued_on or found.subject:
        review.add(
            "directive",
            Note(
                f"read from the dispatch's citation of {cite.number}: check",
                f"đọc từ trích dẫn {cite.number} trong công văn: cần kiểm tra",
            ),
            sentence=line,
        )
    return DocumentDraft(
        number=found.number,
        doc_type=found.doc_type,
        issuer=found.issuer,
        issued_on=found.issued_on,
        subject=found.subject,
    )
