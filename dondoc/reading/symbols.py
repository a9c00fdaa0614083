"""Số, ký hiệu (number/symbol) of Vietnamese official documents, and the documents a text cites.

Decree 30/2020/NĐ-CP on clerical work, Appendix III (type codes) and Art. 8 (the symbol: the
type code then the issuer's abbreviation; a công văn has no type code, so its symbol is the
issuer then the drafting unit). Legal normative documents add the year: ``09/2019/NĐ-CP``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dondoc.config.documents import ISSUERS

# Decree 30/2020/NĐ-CP Appendix III, plus the legal normative types (Law 80/2015/QH13:
# nghị định, thông tư) and codes of the earlier Circular 01/2011/TT-BNV still seen in old texts.
TYPE_WORDS: dict[str, str] = {
    "nghị quyết": "NQ",
    "quyết định": "QĐ",
    "chỉ thị": "CT",
    "quy chế": "QC",
    "quy định": "QyĐ",
    "thông cáo": "TC",
    "thông báo": "TB",
    "hướng dẫn": "HD",
    "chương trình": "CTr",
    "kế hoạch": "KH",
    "phương án": "PA",
    "đề án": "ĐA",
    "dự án": "DA",
    "báo cáo": "BC",
    "biên bản": "BB",
    "tờ trình": "TTr",
    "hợp đồng": "HĐ",
    "công điện": "CĐ",
    "giấy ủy quyền": "GUQ",
    "giấy mời": "GM",
    "giấy giới thiệu": "GGT",
    "nghị định": "NĐ",
    "thông tư liên tịch": "TTLT",
    "thông tư": "TT",
}
TYPE_CODES = frozenset(TYPE_WORDS.values()) | {"GN", "TTh", "UQ", "NP"}
_TYPE_BY_UPPER = {c.upper(): c for c in TYPE_CODES}

# Issuer abbreviations (the part after the type code, or the first part of a công văn's symbol).
# The 2025 ministries (Resolution 176/2025/QH15) and those they replaced, for older texts.
ISSUER_CODES: dict[str, str] = {
    **ISSUERS,
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BGTVT": "Bộ Giao thông vận tải",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "UBDT": "Ủy ban Dân tộc",
}
_QUOC_HOI = re.compile(r"QH\d{0,2}")

SYMBOL = r"\d{1,6}(?:/\d{4})?/[A-ZĐ][\w]*(?:-\w+)*"
_CITATION = re.compile(
    r"\b(?P<word>"
    + "|".join(sorted(TYPE_WORDS, key=len, reverse=True))
    + r"|luật|công văn|văn bản)"
    r"\s+(?:số\s*:?\s*)?(?P<number>" + SYMBOL + ")",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Symbol:
    """The parts of a number/symbol such as ``09/2019/NĐ-CP``."""

    number: str
    seq: int
    year: int | None
    type_code: str | None
    issuer_code: str | None
    unit_code: str | None


@dataclass(frozen=True)
class Citation:
    word: str  # as written, e.g. "Chỉ thị"
    number: str
    start: int
    end: int


def parse_symbol(number: str) -> Symbol | None:
    """Split ``24/CT-TTg`` into its parts; None when it is not a number/symbol."""
    number = number.replace("–", "-").strip().rstrip(".,;")
    if not re.fullmatch(SYMBOL, number):
        return None
    seq, *middle, code = number.split("/")
    year = int(middle[0]) if middle else None
    parts = code.split("-")
    type_code = _TYPE_BY_UPPER.get(parts[0].upper())
    if type_code is not None and len(parts) > 1:
        unit = parts[2] if len(parts) > 2 else None
        return Symbol(number, int(seq), year, type_code, parts[1], unit)
    unit = parts[1] if len(parts) > 1 else None
    return Symbol(number, int(seq), year, None, parts[0], unit)


_CODE_CASE = {c.upper(): c for c in (*TYPE_CODES, *ISSUER_CODES)}


def restore_symbols(text: str) -> str:
    """ "CHỈ THỊ SỐ 24/CT-TTG" printed in capitals -> "24/CT-TTg": each part of a symbol
    found in the text takes the case of the known type or issuer code it spells."""

    def fixed(m: re.Match[str]) -> str:
        head, _, code = m.group().rpartition("/")
        parts = [_CODE_CASE.get(p.upper(), p) for p in code.split("-")]
        return f"{head}/{'-'.join(parts)}"

    return re.sub(r"(?<![\w/])" + SYMBOL, fixed, text)


def issuer_name(code: str | None) -> str | None:
    """The body an issuer abbreviation stands for, when it is unambiguous."""
    if code is None:
        return None
    if _QUOC_HOI.fullmatch(code):
        return "Quốc hội"
    return ISSUER_CODES.get(code)


def type_of_word(word: str) -> str | None:
    """ "Chỉ thị" -> "CT"; "Công văn"/"Văn bản" -> "CV"."""
    low = " ".join(word.lower().split())
    if low in ("công văn", "văn bản"):
        return "CV"
    return TYPE_WORDS.get(low)


def citations(text: str) -> list[Citation]:
    """Documents cited as "<type word> (số) <number>", in order of appearance."""
    return [
        Citation(m["word"], m["number"].replace("–", "-"), m.start(), m.end())
        for m in _CITATION.finditer(text)
    ]
