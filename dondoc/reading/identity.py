"""Who issued a document, what type it is, which unit drafted it, and what the directive it
implements says about itself in the body. Pure; every uncertain reading returns a note."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dondoc.reading.agencies import AgencyIndex
from dondoc.reading.former import former_named
from dondoc.reading.header import Header
from dondoc.reading.header_notes import as_named, note
from dondoc.reading.symbols import (
    ISSUER_CODES,
    Citation,
    Symbol,
    issuer_name,
    restore_symbols,
    type_of_word,
)
from dondoc.reading.text import fold, name_case, squash, subject_case, title_case

_KNOWN_HEADERS = {fold(name): name for name in (*ISSUER_CODES.values(), "Sở Xây dựng")}
_COMMITTEE = re.compile(
    r"^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND)\s+(TỈNH|THÀNH PHỐ|TP\.?)\s+(.+)$"
)
_COMMITTEE_ALONE = re.compile(r"^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND)$")
_UNIT_STOP = {"để", "theo", "trước", "gửi", "về", "tại", "thuộc", "số", "có", "đã", "sẽ", "trong",
              "chủ", "phối", "tổng", "báo", "thực", "đề", "là", "được", "với", "Bộ"}  # fmt: skip
_DATE_NUMERIC = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
_DATE_WORDS = r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})"
_ON_DATE = re.compile(r"^\s*,?\s*(?:ký\s+)?ngày\s+(?:" + _DATE_NUMERIC + "|" + _DATE_WORDS + ")")
_DATE_FIRST = re.compile(
    r"(?:^|[.\n]\s*)Ngày\s+(?:" + _DATE_NUMERIC + "|" + _DATE_WORDS + ")[^.]*$"
)
# A subject ends at a bracket, a full stop, or a comma that starts a new clause ("..., Bộ Xây
# dựng đề nghị", "..., để có cơ sở"): commas inside a subject are followed by lower-case words.
_ABOUT = re.compile(
    r"^(?:\s+của\s+[^,;()]+?)??\s+(?P<s>về\s+.+?)"
    r"(?=\s*\(|[;:\n]|\.\s|\.$|$|,\s+(?:[A-ZĐÀ-Ỹ]|để|nhằm|theo|đồng thời|trong đó))"
)


@dataclass(frozen=True)
class Reading:
    value: str | None
    notes: tuple[str, ...] = ()


def doc_type(header: Header, sym: Symbol | None) -> Reading:
    """Decree 30/2020/NĐ-CP, Appendix III. The type name line wins over the symbol; a "V/v"
    subject with no type name is a công văn, whose symbol carries no type code ("CT" there
    is an issuer such as a Cục Thuế, not chỉ thị)."""
    code = sym.type_code if sym else None
    if header.title_code is not None:
        if code is not None and code != header.title_code:
            return Reading(header.title_code, (note("symbol_says", code=code),))
        return Reading(header.title_code)
    if header.is_vv:
        if code is not None:
            return Reading("CV", (note("code_in_cv", code=code),))
        return Reading("CV")
    if code is not None:
        return Reading(code, (note("type_from_symbol"),))
    if sym is not None:
        return Reading("CV", (note("read_as_cv"),))
    return Reading(None, (note("no_type"),))


def symbol_codes(sym: Symbol | None, doc_type: str | None) -> tuple[str | None, str | None]:
    """(issuer code, drafting-unit code) of the symbol, read as the type says."""
    if sym is None:
        return None, None
    if doc_type == "CV" and sym.type_code is not None:
        parts = sym.number.rsplit("/", 1)[1].split("-")
        return parts[0], parts[1] if len(parts) > 1 else None
    return sym.issuer_code, sym.unit_code


def issuer(header: Header, code: str | None, index: AgencyIndex) -> Reading:
    names = list(header.issuer_lines)
    joined = " ".join(names)
    if len(names) > 1 and _known(joined, index):
        names = [joined]  # one name over two lines: "NGÂN HÀNG NHÀ NƯỚC / VIỆT NAM"
    elif names and _COMMITTEE_ALONE.match(names[0]) and len(names) > 1:
        names[:2] = [f"{names[0]} {names[1]}"]
    if len(names) > 1 and names[-1].startswith("SỞ ") and (m := _COMMITTEE.match(names[-2])):
        names[-1] = f"{names[-1]} {m[1]} {m[2]}"  # a province's department: "Sở Xây dựng tỉnh X"
    if names:
        reading = _header_name(names[-1], index)
        if len(names) > 1 and not reading.notes:
            reading = Reading(reading.value, (note("read_under", above=" / ".join(names[:-1])),))
        by_code = issuer_name(code)
        if by_code and fold(by_code) != fold(reading.value or ""):
            differs = note("header_vs_code", name=names[-1], code=code)
            return Reading(reading.value, (*reading.notes, differs))
        return reading
    by_code = issuer_name(code)
    if by_code:
        return Reading(by_code)
    if code == "UBND" and header.place:
        return Reading(
            f"Ủy ban nhân dân tỉnh {header.place}",
            (note("province_from_place", place=header.place),),
        )
    return Reading(None, (note("unknown_code", code=code),))


def _known(upper: str, index: AgencyIndex) -> bool:
    folded = fold(upper)
    return folded in _KNOWN_HEADERS or any(name == folded for name, _ in index.names)


def _header_name(upper: str, index: AgencyIndex) -> Reading:
    folded = fold(upper)
    for name, _code in index.names:
        if name == folded:
            return Reading(index.agencies[_code].name)
    for name, code in index.renamed:
        if name == folded:
            renamed = index.agencies[code].former_name or upper
            return Reading(renamed, (as_named(index.renamed_note(code)),))
    if (former := former_named(upper)) is not None and former.successor in index.agencies:
        return Reading(former.name, (as_named(index.note(former)),))
    if folded in _KNOWN_HEADERS:
        return Reading(_KNOWN_HEADERS[folded])
    if m := _COMMITTEE.match(upper):
        level = "thành phố" if m[1].startswith(("THÀNH", "TP")) else "tỉnh"
        return Reading(f"Ủy ban nhân dân {level} {title_case(m[2])}")
    guess = name_case(upper, index.proper_names())
    return Reading(guess, (note("capitals_guessed", upper=upper, guess=guess),))


def subject(header: Header, index: AgencyIndex) -> Reading:
    """The trích yếu; one printed in capitals is put in sentence case, flagged."""
    if header.subject is None or not header.subject_upper:
        return Reading(header.subject)
    cased = restore_symbols(subject_case(header.subject, index.proper_names()))
    return Reading(cased, (note("sentence_case"),))


def expand_unit(abbreviation: str | None, code: str | None, text: str) -> Reading:
    """ "Cục PTĐT" (or the symbol's "PTĐT") -> "Cục Phát triển đô thị" when the text spells
    out a name whose initials are the abbreviation; otherwise the abbreviation, flagged."""
    wanted = abbreviation or code
    if wanted is None:
        return Reading(None)
    prefix, _, letters = wanted.rpartition(" ")
    for m in re.finditer(
        r"\b(Cục|Vụ|Văn phòng|Phòng|Ban|Viện|Thanh tra)((?:\s+[\wĐđ-]+){1,14})", text
    ):
        if prefix and m[1] != prefix:
            continue
        words = m[2].split()
        initials = "".join(w[0] for w in words[: len(letters)]).upper()
        if initials == letters.upper() and len(letters) > 1:
            name = f"{m[1]} {' '.join(_name_words(words, len(letters)))}"
            return Reading(name, (note("unit_spelled_out", wanted=wanted, name=name),))
    return Reading(wanted, (note("unit_not_spelled_out", wanted=wanted),))


def _name_words(words: list[str], initials: int) -> list[str]:
    """The words of a unit's name: those the initials stand for, then, as abbreviations drop
    "và ..." tails ("Cục QLN" = Cục Quản lý nhà và thị trường bất động sản), any words up to
    the end of the phrase."""
    name = words[:initials]
    for word in words[initials:]:
        if word.lower() in _UNIT_STOP or not word.isalpha():
            break
        name.append(word)
    return name if words[initials : initials + 1] in (["và"], ["các"]) else words[:initials]


@dataclass(frozen=True)
class Implemented:
    number: str
    doc_type: str | None
    issuer: str | None
    issued_on: dt.date | None
    subject: str | None


def implemented(cite: Citation, text: str) -> Implemented:
    """What the body says about the directive a dispatch implements: "Ngày 02/8/2016, Thủ
    tướng Chính phủ đã ban hành Chỉ thị số 24/CT-TTg về việc ..." or "Chỉ thị số 24/CT-TTg
    ngày 02/8/2016 của Thủ tướng Chính phủ về ..."."""
    from dondoc.reading.symbols import parse_symbol

    sym = parse_symbol(cite.number)
    seen = [_described(text, m.start(), m.end()) for m in re.finditer(re.escape(cite.number), text)]
    # The citation that gives a date is the one that describes the directive (the V/v line
    # only names it), so its subject is preferred.
    seen.sort(key=lambda pair: pair[0] is None)
    issued_on = seen[0][0] if seen else None
    subject = next((s for _, s in seen if s is not None), None)
    return Implemented(
        number=cite.number,
        doc_type=type_of_word(cite.word) or (sym.type_code if sym else None),
        issuer=issuer_name(sym.issuer_code if sym else None),
        issued_on=issued_on,
        subject=subject,
    )


def _described(text: str, start: int, end: int) -> tuple[dt.date | None, str | None]:
    after, before = text[end : end + 400], text[max(0, start - 200) : start]
    issued_on = None
    if date := _ON_DATE.search(after):
        issued_on, after = _date(date), after[date.end() :]
    elif date := _DATE_FIRST.search(before):
        issued_on = _date(date)
    about = _ABOUT.search(after)
    if about is None:
        return issued_on, None
    found = squash(about["s"])
    return issued_on, found[:1].upper() + found[1:]


def _date(m: re.Match[str]) -> dt.date | None:
    d, mo, y = (m["d"] or m["d2"]), (m["m"] or m["m2"]), (m["y"] or m["y2"])
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None
