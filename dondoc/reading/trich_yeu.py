"""The trích yếu (subject) of an official document as printed: a công văn's "V/v ..." line(s),
or the line(s) under the type name, in sentence case or in capitals over two or three lines;
and the marks of the header's lines both it and `header` need. Pure."""

from __future__ import annotations

import re

from dondoc.reading.text import cells, fold, in_capitals, squash

DATE = re.compile(
    r"(?P<place>[^\n\t,]{0,60}),\s*ngày\s+(?P<d>\d{1,2})?[\s.…_]*"
    r"(?:tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})|[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4}))"
)
MOTTO = (fold("Cộng hòa xã hội chủ nghĩa Việt Nam"), fold("Độc lập - Tự do - Hạnh phúc"))
SEPARATOR = re.compile(r"^[-_=*.…\s]+$")
_SUBJECT_STOP = re.compile(r"^(?:Kính gửi|Căn cứ|Nơi nhận|Số\s*:|\d+\s*[.)]\s|[IVX]+\.\s)", re.I)
BODY_START = re.compile(r"^(?:Kính gửi|.{0,40}\sđiện\s*:|Căn cứ)", re.I)
_CONNECTIVE_END = re.compile(r"(?:\b(?:VÀ|CHO|CỦA|VỚI|TẠI|VỀ|ĐỐI VỚI|GIỮA)|[-&,])$")
# The line under a decision's subject naming who decides ("THỦ TƯỚNG CHÍNH PHỦ", "BỘ TRƯỞNG BỘ
# XÂY DỰNG", "ỦY BAN NHÂN DÂN TỈNH ..."): not part of an upper-case subject.
_AUTHORITY = re.compile(
    r"^(?:THỦ TƯỚNG|BỘ TRƯỞNG|CHỦ TỊCH|THỐNG ĐỐC|TỔNG GIÁM ĐỐC|GIÁM ĐỐC|CỤC TRƯỞNG|VỤ TRƯỞNG"
    r"|TỔNG CỤC TRƯỞNG|CHÁNH|TỔNG THANH TRA|TỔNG KIỂM TOÁN|CHÍNH PHỦ$|QUỐC HỘI$|HỘI ĐỒNG"
    r"|ỦY BAN|UỶ BAN|UBND|BAN THƯỜNG VỤ|BAN CHẤP HÀNH)"
)


def vv_subject(lines: list[str]) -> tuple[str | None, bool, list[str]]:
    for i, line in enumerate(lines[:40]):
        first = next(iter(cells(line)), "")
        if re.match(r"V/v\b", first, re.I):
            parts = [first]
            capitals = in_capitals(first)
            for nxt in lines[i + 1 : i + 4]:
                cell = next(iter(cells(nxt)), "")
                if not _continues(parts[-1], cell, capitals):
                    break
                parts.append(cell)
            return squash(" ".join(parts)), True, parts
    return None, False, []


def _continues(previous: str, cell: str, capitals: bool = False) -> bool:
    """Whether ``cell`` carries on a "V/v" subject; one printed in capitals goes on in capitals
    ("V/V TRIỂN KHAI THỰC HIỆN" / "CHỈ THỊ SỐ 24/CT-TTG")."""
    if not cell or _SUBJECT_STOP.match(cell) or DATE.search(cell) or SEPARATOR.match(cell):
        return False
    if in_capitals(cell) != capitals or (capitals and _not_subject(cell)):
        return False
    return cell[:1].islower() or capitals or not previous.rstrip().endswith((".", ";", ":"))


def _not_subject(cell: str) -> bool:
    folded = fold(cell)
    return (
        bool(_AUTHORITY.match(cell))
        or any(folded.startswith(m) for m in MOTTO)
        or (len(folded) > 15 and MOTTO[0].startswith(folded))
    )


def title_subject(
    lines: list[str], title_line: int, issuer_lines: list[str], rest: str = ""
) -> tuple[str | None, list[str]]:
    """The trích yếu under the type name, in sentence case ("Về việc ...") or, as often
    printed, in capitals over two or three lines; it ends at a blank line, a rule, or the line
    naming who decides ("THỦ TƯỚNG CHÍNH PHỦ")."""
    issuers = {fold(name) for name in issuer_lines}
    parts: list[str] = [rest] if rest else []
    used = [lines[title_line]]
    upper: bool | None = in_capitals(rest) if rest else None
    for line in lines[title_line + 1 : title_line + 8]:
        cell = next(iter(cells(line)), "")
        if not cell:
            if parts:
                break
            continue
        if SEPARATOR.match(cell) or _SUBJECT_STOP.match(cell) or BODY_START.match(cell):
            break
        capitals = in_capitals(cell)
        if upper is not None and capitals != upper:
            break
        carried = bool(parts) and bool(_CONNECTIVE_END.search(parts[-1]))
        if capitals and not carried and (_AUTHORITY.match(cell) or fold(cell) in issuers):
            break
        upper = capitals
        parts.append(cell)
        used.append(line)
    return (squash(" ".join(parts)), used) if parts else (None, [])
