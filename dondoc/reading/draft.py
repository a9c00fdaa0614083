"""Read the plain text of a dispatch (công văn), directive or decision into a `DispatchDraft`:
the fields of a directive spec plus the points a coordinator must review. Pure: text, the agency
list, "today" and a work calendar in; no files, no clock (docs/import-dispatch.md)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dondoc.config.spec_loader import AgencyRecord
from dondoc.engine.deadlines import WorkCalendar
from dondoc.reading.agencies import AgencyIndex
from dondoc.reading.blocks import archive_unit, read_blocks
from dondoc.reading.document import (
    DocumentDraft,
    archive_line,
    directive_draft,
    document_review,
    line_with,
)
from dondoc.reading.header import Header, read_header
from dondoc.reading.identity import (
    doc_type,
    expand_unit,
    issuer,
    subject,
    symbol_codes,
)
from dondoc.reading.parties import Parties, read_parties
from dondoc.reading.review import Note, Review, ReviewPoint
from dondoc.reading.symbols import Citation, citations, parse_symbol
from dondoc.reading.text import DispatchTextError, normalise
from dondoc.reading.work import ObligationDraft, read_obligations

__all__ = ["DispatchDraft", "DocumentDraft", "NotADispatchError", "ObligationDraft",
           "ReviewPoint", "parse_dispatch"]  # fmt: skip


class NotADispatchError(DispatchTextError):
    """The text has too few parts of an official document to be one."""


@dataclass(frozen=True)
class DispatchDraft:
    document: DocumentDraft  # the document the text is
    directive: DocumentDraft | None  # the directive a công văn implements, when it names one
    cites: tuple[str, ...]
    report_to: str | None
    addressees: tuple[str, ...]
    exclude: tuple[str, ...]
    to_act: tuple[str, ...]  # Nơi nhận entries "(để thực hiện)"
    obligations: tuple[ObligationDraft, ...]
    review: tuple[ReviewPoint, ...]
    as_of: dt.date

    @property
    def role(self) -> str:
        """Where the document goes in the spec: a công văn under its directive is `dispatch`."""
        return "dispatch" if self.directive is not None else "directive"

    @property
    def number(self) -> str | None:
        return self.document.number

    @property
    def year(self) -> int | None:
        """With `number`, the document's identity (`DocumentDraft.year`)."""
        return self.document.year

    @property
    def doc_type(self) -> str | None:
        return self.document.doc_type

    @property
    def issuer(self) -> str | None:
        return self.document.issuer

    @property
    def issued_on(self) -> dt.date | None:
        return self.document.issued_on

    @property
    def subject(self) -> str | None:
        return self.document.subject


def parse_dispatch(
    text: str,
    agencies: Sequence[AgencyRecord],
    *,
    today: dt.date,
    calendar: WorkCalendar | None = None,
) -> DispatchDraft:
    """The draft for ``text``; `NotADispatchError` when it is not an official document."""
    text = normalise(text)
    lines = text.split("\n")
    header = read_header(text)
    blocks = read_blocks(lines, _header_end(lines, header))
    _require_document(header, bool(blocks.addressee_source or blocks.distribution))
    review, index = Review(), AgencyIndex(agencies)
    sym = parse_symbol(header.number) if header.number else None
    typed = doc_type(header, sym)
    issuer_code, unit_code = symbol_codes(sym, typed.value)
    body = "\n".join(blocks.body)
    about = subject(header, index)
    cites = [c for c in citations(f"{about.value or ''}\n{body}") if c.number != header.number]
    target, structural = _implements(about.value or "", body, cites, typed.value)
    role = "dispatch" if structural else "directive"
    cited = line_with(blocks.body, target.number) if target else None
    if target is not None and not structural:
        review.add(
            "directive.implements",
            Note(
                f"the body says it implements {target.word} {target.number}; if this dispatch "
                "assigns that document's tasks, put that document under 'directive:' and this "
                "one under 'dispatch:'",
                f"nội dung nêu văn bản triển khai {target.word} {target.number}; nếu công văn "
                "này giao nhiệm vụ của văn bản đó, hãy ghi văn bản đó vào mục văn bản chỉ đạo "
                "và văn bản này vào mục công văn triển khai",
            ),
            sentence=cited,
        )
    elif target is not None and target.start > len(about.value or ""):
        review.add(
            "dispatch.implements",
            Note(
                "read from the body ('triển khai'): check",
                "đọc từ nội dung văn bản ('triển khai'): cần kiểm tra",
            ),
            sentence=cited,
        )
    who = issuer(header, issuer_code, index)
    unit = expand_unit(archive_unit(blocks.distribution), unit_code, text)
    document = DocumentDraft(
        number=header.number,
        doc_type=typed.value,
        issuer=who.value,
        issued_on=header.issued_on,
        subject=about.value,
        unit=unit.value,
        implements=target.number if target else None,
    )
    document_review(review, role, header, document)
    review.add(
        f"{role}.doc_type", *typed.notes, sentence=header.subject_lines or header.number_line
    )
    review.add(f"{role}.subject", *about.notes, sentence=header.subject_lines)
    review.add(f"{role}.issuer", *who.notes, sentence=header.issuer_source or header.number_line)
    review.add(f"{role}.unit", *unit.notes, sentence=archive_line(blocks))
    directive = directive_draft(target, text, cited, review) if target and structural else None
    parties: Parties = read_parties(blocks, index, who.value, review)
    work = read_obligations(blocks.body, header.issued_on, today, calendar, review,
                            index=index, addressees=parties.addressees,
                            issuer=who.value)  # fmt: skip
    return DispatchDraft(
        document=document,
        directive=directive,
        cites=tuple(dict.fromkeys(c.number for c in cites)),
        report_to=work.report_to,
        addressees=parties.addressees,
        exclude=parties.exclude,
        to_act=parties.to_act,
        obligations=work.obligations,
        review=tuple(review.points),
        as_of=today,
    )


def _header_end(lines: list[str], header: Header) -> int:
    """The line after the subject (or, failing that, after the number or date line)."""
    marks = [header.subject or "", header.date_text or "", header.number or ""]
    found = 0
    for mark in (m for m in marks if m):
        tail = mark[-15:]
        for i, line in enumerate(lines[:60]):
            if tail in " ".join(line.split()):
                found = max(found, i + 1)
                break
    return found


def _require_document(header: Header, has_recipients: bool) -> None:
    parts = {
        "a 'Số:' number/symbol": header.number or header.number_raw,
        "a place and date line ('Hà Nội, ngày ...')": header.date_text,
        "a subject ('V/v ...') or type name ('CHỈ THỊ', ...)": header.subject or header.title_code,
        "'Kính gửi' or 'Nơi nhận'": has_recipients,
    }
    if sum(bool(v) for v in parts.values()) >= 2 and (header.number_raw or header.date_text
                                                       or header.number):  # fmt: skip
        return
    missing = "; ".join(k for k, v in parts.items() if not v)
    raise NotADispatchError(f"does not look like an official document; missing: {missing}")


def _implements(
    subject: str, body: str, cites: list[Citation], own_type: str | None
) -> tuple[Citation | None, bool]:
    """The document a công văn implements, and whether the spec should be filed under it
    (``True``: the subject says "triển khai/thực hiện X", or the body "triển khai X"). A body's
    "Thực hiện X, ..." usually gives the basis of the request, so it is only noted."""
    if own_type != "CV":
        return None, False
    offset = len(subject) + 1  # `cites` were read from subject + "\n" + body
    for text, shift, verbs in (
        (subject, 0, r"triển khai|thực hiện|hướng dẫn|chấp hành"),
        (body, offset, r"triển khai"),
        (body, offset, r"thực hiện"),
    ):
        for cite in citations(text):
            if re.search(verbs, text[max(0, cite.start - 60) : cite.start].lower()):
                found = Citation(cite.word, cite.number, cite.start + shift, cite.end + shift)
                return found, verbs != r"thực hiện"
    return None, False
