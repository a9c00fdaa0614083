"""Vietnamese wording shared by the templates: dates, days left, and how a document is cited.

Document symbols follow Decree 30/2020/NĐ-CP (Appendix III): ``number[/year]/TYPE-ISSUER`` for
typed documents (``24/CT-TTg``, ``09/2019/NĐ-CP``) and ``number/ISSUER-UNIT`` for a công văn
(``351/BXD-PTĐT``), which has no type code.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from dondoc.config.documents import DOCUMENT_TYPES, ISSUERS


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def vn_date(day: date) -> str:
    """dd/mm/yyyy, days and months zero-padded (Decree 30 writes dates this way)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def days_phrase(days_left: int) -> str:
    if days_left > 0:
        return f"còn {days_left} ngày"
    if days_left == 0:
        return "hạn chót là hôm nay"
    return f"đã quá hạn {-days_left} ngày"


def _symbol_parts(number: str) -> list[str]:
    """``24/CT-TTg`` -> ``["CT", "TTg"]``; ``09/2019/NĐ-CP`` -> ``["NĐ", "CP"]``."""
    symbol = nfc(number).strip().rsplit("/", 1)[-1]
    return [part for part in symbol.split("-") if part]


def document_kind(number: str) -> str:
    """The document type named by its symbol; a symbol without a type code is a công văn."""
    parts = _symbol_parts(number)
    if len(parts) >= 2 and parts[0] in DOCUMENT_TYPES:
        return DOCUMENT_TYPES[parts[0]]
    return "Công văn"


def document_issuer(number: str) -> str | None:
    parts = _symbol_parts(number)
    if not parts:
        return None
    code = parts[1] if len(parts) >= 2 and parts[0] in DOCUMENT_TYPES else parts[0]
    return ISSUERS.get(code)


def cite(number: str, issued_on: date | None = None, *, with_issuer: bool = True) -> str:
    """``Công văn số 351/BXD-PTĐT ngày 27/02/2017 của Bộ Xây dựng``."""
    text = f"{document_kind(number)} số {nfc(number).strip()}"
    if issued_on is not None:
        text += f" ngày {vn_date(issued_on)}"
    issuer = document_issuer(number) if with_issuer else None
    if issuer:
        text += f" của {issuer}"
    return text


def citation(
    directive: str,
    dispatch: str | None,
    dispatch_date: date | None,
    directive_date: date | None = None,
) -> str:
    """How a reminder cites its basis: the dispatch implementing the directive, if any; the
    directive with its date (two years may share its number)."""
    if dispatch:
        return (
            f"{cite(dispatch, dispatch_date)} về việc triển khai {cite(directive, directive_date)}"
        )
    return cite(directive, directive_date)
