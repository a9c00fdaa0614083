"""The header of an official document (Decree 30/2020/NĐ-CP, Art. 8 and Appendix I): issuing
body, Số/ký hiệu, place and date, the type name (CHỈ THỊ, QUYẾT ĐỊNH, ...) and the trích yếu
("V/v ..." for a công văn, the line under the type name otherwise). Pure functions over the
normalised text (`text.normalise`); the trích yếu itself is read by `trich_yeu`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dondoc.reading.symbols import SYMBOL, TYPE_WORDS
from dondoc.reading.text import cells, fold, in_capitals, is_upper_line, squash
from dondoc.reading.trich_yeu import (
    BODY_START,
    DATE,
    MOTTO,
    SEPARATOR,
    title_subject,
    vv_subject,
)

_NUMBER = re.compile(r"(?<!\w)Số\s*(?:,\s*ký hiệu)?\s*:?\s*(?P<sym>" + SYMBOL + r"|\S*)", re.I)
_TITLE_WORDS = {fold(word): code for word, code in TYPE_WORDS.items()}
_TITLE_THEN_SUBJECT = re.compile(
    "^(" + "|".join(sorted(map(re.escape, _TITLE_WORDS), key=len, reverse=True)) + r") vê "
)
# A line of an issuer's name printed over two lines that carries on the line above it ("BẢO
# HIỂM XÃ HỘI" / "VIỆT NAM", "ỦY BAN NHÂN DÂN" / "TỈNH LÀO CAI", "BỘ NÔNG NGHIỆP" / "VÀ PHÁT
# TRIỂN NÔNG THÔN"); a line naming a body of its own ("CỤC ...", "SỞ ...") does not.
_CARRIES_ON = re.compile(
    r"^(?:VIỆT NAM|TỈNH|THÀNH PHỐ|TP\b|TRUNG ƯƠNG|NHÀ NƯỚC|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|VÀ\b|[-&,])"
)
_MOTTO_AFTER = re.compile(r"(?<=\S)\s+(?=CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\b|Độc\s+lập\b|ĐỘC\s+LẬP\b)")
_OPEN_END = re.compile(r"(?:\bVÀ|[-&,])$")


@dataclass(frozen=True)
class Header:
    number: str | None
    number_raw: str | None  # what followed "Số:" when it is not a number/symbol
    issued_on: dt.date | None
    date_text: str | None
    place: str | None
    issuer_lines: tuple[str, ...]  # upper-case header lines naming the issuing body
    title_code: str | None  # type from the type-name line ("CHỈ THỊ" -> CT)
    subject: str | None  # as printed, on one line (upper case when printed so)
    is_vv: bool  # the subject is a công văn's "V/v ..." line
    number_line: str | None = None  # the lines each value was read from, for review
    date_line: str | None = None
    subject_lines: str | None = None  # the type name and the subject
    issuer_source: str | None = None

    @property
    def subject_upper(self) -> bool:
        return self.subject is not None and in_capitals(self.subject)


def read_header(text: str) -> Header:
    lines = text.split("\n")
    number, raw, number_line = _number(lines)
    issued_on, date_text, place = _date(text)
    title_code, title_line, title_rest = _title(lines)
    issuer_lines = _issuer_lines(lines[: number_line if number_line >= 0 else 8])
    subject, is_vv, where = vv_subject(lines)
    if is_vv and title_rest:  # "KẾ HOẠCH VỀ ..." carrying on a "V/V ..." line: not a type name
        title_code = title_line = None
    if subject is None and title_line is not None:
        subject, where = title_subject(lines, title_line, issuer_lines, title_rest)
    return Header(
        number=number,
        number_raw=raw,
        issued_on=issued_on,
        date_text=date_text,
        place=place,
        issuer_lines=tuple(issuer_lines),
        title_code=title_code,
        subject=subject,
        is_vv=is_vv,
        number_line=squash(lines[number_line]) if number_line >= 0 else None,
        date_line=_line_of(lines, date_text),
        subject_lines="\n".join(squash(line) for line in where) if where else None,
        issuer_source="\n".join(issuer_lines) if issuer_lines else None,
    )


def _line_of(lines: list[str], found: str | None) -> str | None:
    if not found:
        return None
    tail = found[-12:]
    return next((squash(line) for line in lines[:60] if tail in squash(line)), found)


def _number(lines: list[str]) -> tuple[str | None, str | None, int]:
    for i, line in enumerate(lines[:40]):
        m = _NUMBER.search(re.sub(r"(?<=\d)\s+/\s*|\s*/\s+(?=[A-ZĐ\d])", "/", line))
        if m is None or BODY_START.match(line):
            continue
        sym = m["sym"].rstrip(".,;")
        if re.fullmatch(SYMBOL, sym):
            return sym, None, i
        return None, sym or "(blank)", i
    return None, None, -1


def _date(text: str) -> tuple[dt.date | None, str | None, str | None]:
    for m in DATE.finditer(text[:4000]):
        place = _place(m["place"])
        if place is None:
            continue
        month, year = m["m"] or m["m2"], m["y"] or m["y2"]
        written = squash(m.group()[len(m["place"]) :].lstrip(", "))
        if m["d"] is None:
            return None, written, place
        try:
            return dt.date(int(year), int(month), int(m["d"])), written, place
        except ValueError:
            return None, written, place
    return None, None, None


def _place(before: str) -> str | None:
    """The capitalised words just before ", ngày": "Hà Nội", "Lào Cai", "TP. Hồ Chí Minh"."""
    words = before.split()
    taken: list[str] = []
    for word in reversed(words):
        if not word[:1].isupper() and word not in ("phố",):
            break
        taken.insert(0, word)
    if not taken or taken[0].rstrip(":") in ("Số", "V/v"):
        return None
    return " ".join(taken[-5:])


def _issuer_lines(lines: list[str]) -> list[str]:
    """The upper-case names above the number, each name on one line even when printed over
    two: the governing body first when there is one ("BỘ XÂY DỰNG", "CỤC PHÁT TRIỂN ĐÔ THỊ")."""
    out: list[str] = []
    joinable = motto_open = False
    for line in lines:
        for cell in cells(line):
            cell = _MOTTO_AFTER.split(cell)[0]  # columns apart by one or two spaces only
            folded = fold(cell)
            if any(folded.startswith(m) for m in MOTTO):
                continue
            if len(folded) > 15 and MOTTO[0].startswith(folded):  # the motto over two lines
                motto_open = True
                continue
            if SEPARATOR.match(cell) or not is_upper_line(cell) or _NUMBER.match(cell):
                joinable = joinable and not SEPARATOR.match(cell)
                continue
            if motto_open and folded == "viêt nam":  # the motto's second line
                motto_open = False
                continue
            name = squash(cell)
            if out and joinable and (_CARRIES_ON.match(name) or _OPEN_END.search(out[-1])):
                out[-1] = f"{out[-1]} {name}"
            else:
                out.append(name)
            joinable = True
    return out


def _title(lines: list[str]) -> tuple[str | None, int | None, str]:
    """The type name's code, its line, and what follows it on that line when the subject
    starts there ("CHỈ THỊ VỀ VIỆC ...")."""
    for i, line in enumerate(lines[:60]):
        if BODY_START.match(line):
            break
        for cell in cells(line):
            if not is_upper_line(cell):
                continue
            folded = fold(cell).rstrip(":").strip()
            code = _TITLE_WORDS.get(folded)
            if code is not None:
                return code, i, ""
            if m := _TITLE_THEN_SUBJECT.match(folded):
                words = squash(cell).split()
                return _TITLE_WORDS[m[1]], i, " ".join(words[len(m[1].split()) :])
            if folded.startswith("cong đien"):  # "CÔNG ĐIỆN KHẨN", "CÔNG ĐIỆN HỎA TỐC"
                return "CĐ", i, ""
    return None, None, ""
