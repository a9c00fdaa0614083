"""Where the parts of a dispatch are: the addressee block ("Kính gửi:" or, in a công điện,
"THỦ TƯỚNG CHÍNH PHỦ điện:"), the body, and the distribution list ("Nơi nhận:"), whose entries
carry roles (Decree 30/2020/NĐ-CP, Appendix I: "Như trên" = the addressees, "(để báo cáo)"
informs a superior, "(để thực hiện)" asks to act, "Lưu: VT, <unit>" is the archive copy)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from dondoc.reading.text import cells, fold, is_upper_line, squash

Role = Literal["as_above", "as_article", "informed", "act", "archive", "plain"]
_KINH_GUI = re.compile(r"^Kính\s+gửi\s*:?\s*(?P<rest>.*)$", re.I)
_DIEN = re.compile(r"^(?P<who>.{3,60}?)\s+điện\s*:\s*(?P<rest>.*)$")
_NOI_NHAN = re.compile(r"^Nơi\s+nhận\s*:?\s*(?P<rest>.*)$", re.I)
_BULLET = re.compile(r"^[-+•*]\s*")
_SIGNATURE = re.compile(r"^(?:KT|TM|TL|TUQ|Q|K\.T)\s*\.\s*\S|^\(Đã ký\)|^\./\.$", re.I)
_WRAPS = re.compile(r"(?:,|\bvà|\bcác|\bthành phố|\btỉnh)$", re.I)
_ROLE_IN_BRACKETS = re.compile(r"\((?P<role>[^)]*)\)")
_ROLES: tuple[tuple[Role, re.Pattern[str]], ...] = (
    ("informed", re.compile(r"bao cao|b/c|biêt|chi đao|theo doi|phôi hơp|p/h")),
    ("act", re.compile(r"thưc hiên|t/h|thi hanh|trien khai|triên khai")),
)


@dataclass(frozen=True)
class Entry:
    text: str  # without the bullet and the role in brackets
    role: Role
    written: str  # as written, for messages


@dataclass(frozen=True)
class Blocks:
    addressees: tuple[str, ...]
    addressee_source: str | None  # "Kính gửi" or "... điện"
    body: tuple[str, ...]
    distribution: tuple[Entry, ...]


def read_blocks(lines: list[str], header_end: int) -> Blocks:
    """``header_end``: the first line after the header (number, date, subject, title)."""
    source, entries, after = _addressee_block(lines, header_end)
    dist_at = next((i for i, line in enumerate(lines) if _NOI_NHAN.match(_first(line))), None)
    body_from = after if source is not None else header_end
    body_to = dist_at if dist_at is not None and dist_at >= body_from else len(lines)
    body: list[str] = []
    for line in lines[body_from:body_to]:
        first = _first(line)
        if _SIGNATURE.match(first):
            break
        body.append(first.removesuffix("./.").rstrip())
        if first.endswith("./."):
            break
    distribution = _distribution(lines, dist_at) if dist_at is not None else []
    return Blocks(tuple(entries), source, tuple(body), tuple(distribution))


def _first(line: str) -> str:
    return next(iter(cells(line)), "")


def _addressee_block(lines: list[str], header_end: int) -> tuple[str | None, list[str], int]:
    for i, line in enumerate(lines[: header_end + 40]):
        first = _first(line)
        m = _KINH_GUI.match(first)
        source = "Kính gửi"
        if m is None and (m := _DIEN.match(first)) is not None:
            if not is_upper_line(m["who"]):
                continue
            source = f"{squash(m['who'])} điện"
        if m is not None:
            entries, after = _bullets(lines, i + 1, m["rest"].strip())
            return source, entries, after
    return None, [], header_end


def _bullets(lines: list[str], i: int, rest: str) -> tuple[list[str], int]:
    """Entries from the text after the colon and the lines that follow: bullets, and lines
    that carry on a wrapped entry ("... thành phố" / "trực thuộc Trung ương")."""
    rest = _BULLET.sub("", rest)
    entries = [rest] if rest else []
    bulleted = False
    while i < len(lines):
        first = _first(lines[i])
        if not first:
            if entries and not (i + 1 < len(lines) and _BULLET.match(_first(lines[i + 1]))):
                break
            i += 1
            continue
        if _BULLET.match(first):
            entries.append(_BULLET.sub("", first))
            bulleted = True
        elif entries and _carries_on(entries[-1], first, bulleted):
            entries[-1] = f"{entries[-1]} {first}"
        elif not entries and not is_upper_line(first):  # "Kính gửi:" alone, then one line
            entries.append(first)
        else:
            break
        i += 1
    split = [p for e in entries for p in re.split(r";\s*", e)]
    return [squash(p).rstrip(" .;,") for p in split if p.strip(" .;,-")], i


def _carries_on(previous: str, line: str, bulleted: bool) -> bool:
    if is_upper_line(line) or _SIGNATURE.match(line) or _NOI_NHAN.match(line):
        return False
    ended = previous.rstrip().endswith((".", ";", ":"))
    return (
        line[:1].islower()
        or (bool(_WRAPS.search(previous.rstrip())) and not ended)
        or (bulleted and not ended and len(line) < 80)
    )


def _distribution(lines: list[str], at: int) -> list[Entry]:
    m = _NOI_NHAN.match(_first(lines[at]))
    assert m is not None
    raw, _ = _bullets(lines, at + 1, m["rest"].strip())
    return [_entry(text) for text in raw]


def _entry(written: str) -> Entry:
    folded = fold(written)
    if folded.startswith("lưu"):
        return Entry(re.sub(r"^Lưu\s*:?\s*", "", written, flags=re.I), "archive", written)
    if folded.startswith("như trên"):
        return Entry(written, "as_above", written)
    if folded.startswith("như điêu"):
        return Entry(written, "as_article", written)
    role: Role = "plain"
    for bracket in _ROLE_IN_BRACKETS.finditer(written):
        inner = fold(bracket["role"])
        role = next((r for r, p in _ROLES if p.search(inner)), role)
    text = squash(_ROLE_IN_BRACKETS.sub(" ", written)) if role != "plain" else written
    return Entry(text, role, written)


_COPIES = re.compile(r"\s*\(\s*\d+\s*(?:b|bản)?\s*\)\s*$|\s+\d+\s*(?:b|bản)$", re.I)
_CLERICAL = {"vt", "vp", "văn thư", "văn phòng", "hc", "vt-vp"}


def archive_unit(entries: tuple[Entry, ...]) -> str | None:
    """ "Lưu: VT, Cục PTĐT." -> "Cục PTĐT", "Lưu: VT, TCCV (5)." -> "TCCV" (the drafting unit
    keeps a copy; the bracket counts the copies kept)."""
    for e in entries:
        if e.role == "archive":
            parts = [p.strip(" .;") for p in re.split(r"[,;]", e.text)]
            # The clerical office's copy comes first (VT văn thư, VP văn phòng).
            units = [_COPIES.sub("", p).strip(" .") for p in parts[1:] if p]
            units = [u for u in units if u and u.lower() not in _CLERICAL]
            if units:
                return units[0]
    return None
