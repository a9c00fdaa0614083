"""Plain-text hygiene for imported dispatches: decoding, NFC, line endings, and a folded form
for matching names regardless of case, tone-mark placement and common abbreviations.

Pure functions; the only error is `DispatchTextError` for bytes that are not usable text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Tone marks only: grave, acute, tilde, hook above, dot below. The vowel-shape marks (circumflex,
# breve, horn) stay, so "Hà Nam" and "Hà Nội" remain different while "hoà"/"hòa" and
# "Uỷ"/"Ủy" (old and new tone placement) fold to the same text.
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SPACES = re.compile(r"[ \u00a0\u2000-\u200b\u202f\u3000]+")
_CELL_BREAK = re.compile(r"\t+| {3,}")
_COLUMN_GAP = re.compile(r"(?<=\S)[ \u00a0]{3,}(?=\S)")
_BODY = re.compile(r"^\s*(?:Kính\s+gửi|Căn\s+cứ|\d{1,2}\s*[.)]\s|.{3,60}\sđiện\s*:)", re.I)
_SIGNED = re.compile(r"^\s*Nơi\s+nhận\b", re.I)
_WORD = re.compile(r"\w+", re.UNICODE)
# Abbreviations officials write for the same body, spelled out in folded form (see `fold`).
_ABBREVIATIONS = (
    (r"\bubnd\b", "ủy ban nhân dân"),
    (r"\bhđnd\b", "hội đồng nhân dân"),
    (r"\btp\.?\s*hcm\b", "thành phố hồ chí minh"),
    (r"\btp\b\.?", "thành phố"),
    (r"\btw\b", "trung ương"),
)


class DispatchTextError(ValueError):
    """The bytes are not a readable text (not UTF-8, binary, empty)."""


def decode_text(raw: bytes) -> str:
    """UTF-8 (a byte-order mark is allowed) to text; `DispatchTextError` otherwise."""
    if not raw.strip():
        raise DispatchTextError("the file is empty")
    if b"\x00" in raw:
        raise DispatchTextError("binary data, not plain text (save the dispatch as .txt)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DispatchTextError(
            f"line {line}: not UTF-8 text (got byte {raw[exc.start : exc.start + 1]!r}); "
            "save the dispatch as UTF-8"
        ) from None


def normalise(text: str) -> str:
    """NFC, LF line endings, no BOM; tabs survive (they separate the header's two columns), and
    so do wide gaps of spaces in the header and the signature block, as tabs: a two-column
    header typed or converted with spaces ("BỘ XÂY DỰNG        CỘNG HÒA ...")."""
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2013", "-")
    raw = text.split("\n")
    header_end = next(
        (i for i, line in enumerate(raw[:25]) if _BODY.match(line) or len(line) > 160), 25
    )
    signed = next((i for i, line in enumerate(raw) if _SIGNED.match(line)), len(raw))
    lines = (
        _SPACES.sub(" ", _COLUMN_GAP.sub("\t", line) if i < header_end or i >= signed else line)
        for i, line in enumerate(raw)
    )
    return "\n".join(line.rstrip().lstrip(" ") for line in lines)


def cells(line: str) -> list[str]:
    """The columns of one line: converted two-column headers separate them by tabs or runs of
    spaces ("Số: 351/BXD-PTĐT<TAB>Hà Nội, ngày ...")."""
    return [c.strip() for c in _CELL_BREAK.split(line) if c.strip()]


def squash(text: str) -> str:
    """One line, single spaces (tabs and line breaks become spaces)."""
    return " ".join(text.split())


def strip_tones(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))


def fold(text: str) -> str:
    """Lower case, no tone marks, abbreviations spelled out, single spaces: for matching."""
    out = strip_tones(squash(text)).casefold()
    for pattern, full in _FOLDED_ABBREVIATIONS:
        out = pattern.sub(full, out)
    return squash(out)


def fold_pattern(pattern: str) -> re.Pattern[str]:
    """A lower-case regular expression written in Vietnamese, compiled to match `fold`ed text
    (only the tone marks are removed, so escapes such as ``\\S`` keep their case)."""
    return re.compile(strip_tones(pattern))


_FOLDED_ABBREVIATIONS = tuple(
    (re.compile(pattern), strip_tones(full).casefold()) for pattern, full in _ABBREVIATIONS
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_upper_line(text: str) -> bool:
    """An all-capitals line such as "BỘ XÂY DỰNG" (the header's issuing body)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def in_capitals(text: str) -> bool:
    """A line printed in capitals, but for the symbols in it ("CHỈ THỊ SỐ 24/CT-TTg")."""
    return is_upper_line(" ".join(w for w in text.split() if not _SYMBOLIC.search(w)))


def sentence_case(upper: str) -> str:
    """ "SỞ XÂY DỰNG" -> "Sở Xây dựng": the usual form of a body's name (first word, and the
    name's first word, capitalised). Callers flag the result for review: proper names inside
    (provinces, "Công Thương") need capitals this cannot know."""
    parts = upper.lower().split()
    head = 2 if len(parts) > 1 else 1
    return " ".join(p.capitalize() if i < head else p for i, p in enumerate(parts))


# Names that keep their capitals inside a sentence-case text, beside the agencies' own names.
PROPER_NAMES = ("Thủ tướng Chính phủ", "Phó Thủ tướng", "Thủ tướng", "Chính phủ", "Quốc hội",
                "Việt Nam", "Trung ương", "Đảng", "Nhà nước Việt Nam", "Ủy ban nhân dân",
                "Hội đồng nhân dân")  # fmt: skip
_HEADS = ("ủy ban nhân dân", "uỷ ban nhân dân", "hội đồng nhân dân", "tổng cục", "chi cục",
          "cục", "vụ", "sở", "bộ", "ban", "viện", "văn phòng", "thanh tra", "kho bạc",
          "trung tâm", "phòng")  # fmt: skip
_DOCUMENTS = (
    r"chỉ thị|quyết định|nghị quyết|nghị định|thông tư|công điện|kế hoạch|công văn"
    r"|luật|thông báo|chương trình|đề án|quy chế|quy định|chiến lược|quy hoạch"
)
# A document named by its number, or as the object of "phê duyệt", "ban hành", ... ("Phê duyệt
# Đề án ...", "triển khai Chỉ thị số 24/CT-TTg"), is written with a capital.
_CITED = re.compile(
    r"\b(?:" + _DOCUMENTS + r")(?=\s+(?:số\s+)?\d)"
    r"|(?<=phê duyệt )(?:" + _DOCUMENTS + r")|(?<=ban hành )(?:" + _DOCUMENTS + r")"
    r"|(?<=triển khai )(?:" + _DOCUMENTS + r")|(?<=thực hiện )(?:" + _DOCUMENTS + r")"
)
# Numbers, years, symbols ("24/CT-TTg") and roman numerals after "loại", "quý", ... keep their
# case ("đô thị loại I", "quý III").
_SYMBOLIC = re.compile(r"[\d/]")
_KEPT = re.compile(
    r"\S*[\d/]\S*|\b(?:LOẠI|QUÝ|NHÓM|KHÓA|KHOÁ|HẠNG|CẤP|ĐỢT|PHẦN|CHƯƠNG|ĐOẠN) (?P<roman>[IVXL]+)\b"
)


def subject_case(upper: str, names: Iterable[str] = ()) -> str:
    """ "VỀ VIỆC TRIỂN KHAI CHỈ THỊ SỐ 24/CT-TTg CỦA THỦ TƯỚNG CHÍNH PHỦ" -> "Về việc triển
    khai Chỉ thị số 24/CT-TTg của Thủ tướng Chính phủ": a trích yếu printed in capitals, in
    sentence case; ``names`` (agencies, provinces) and `PROPER_NAMES` keep their capitals.
    Callers flag the result: other proper names need capitals this cannot know."""
    out = _restore(upper.lower(), upper, names)
    out = _CITED.sub(lambda m: m.group().capitalize(), out)
    out = re.sub(r"^V/V\b", "V/v", out)
    # A name in quotes starts with a capital: Đề án "Phát triển nhà ở xã hội ...".
    out = re.sub(r"([\"“«])(\w)", lambda m: m[1] + m[2].upper(), out)
    return out[:1].upper() + out[1:]


def name_case(upper: str, names: Iterable[str] = ()) -> str:
    """ "CỤC PHÁT TRIỂN ĐÔ THỊ" -> "Cục Phát triển đô thị", "BẢO HIỂM XÃ HỘI VIỆT NAM" ->
    "Bảo hiểm xã hội Việt Nam": a body's name (Decree 30/2020/NĐ-CP, Appendix II: the kind of
    body, then the first word of its own name, capitalised). Callers flag the result."""
    low = _restore(upper.lower(), upper, names)
    head = next((h for h in _HEADS if low == h or low.startswith(h + " ")), None)
    if head is not None and len(low) > len(head):
        rest = low[len(head) + 1 :]
        low = f"{head} {rest[:1].upper()}{rest[1:]}"
    return low[:1].upper() + low[1:]


def _restore(low: str, printed: str, names: Iterable[str]) -> str:
    for m in _KEPT.finditer(printed):
        start = m.start("roman") if m["roman"] else m.start()
        low = low[:start] + printed[start : m.end()] + low[m.end() :]
    for name in sorted({*names, *PROPER_NAMES}, key=len, reverse=True):
        pattern = r"(?<!\w)" + re.escape(name.lower()) + r"(?!\w)"
        low = re.sub(pattern, name.replace("\\", r"\\"), low, flags=re.I)
    return low


def title_case(upper: str) -> str:
    """ "LÀO CAI" -> "Lào Cai": place names capitalise every word."""
    return " ".join(p.capitalize() for p in upper.lower().split())


def slug(number: str) -> str:
    """ "351/BXD-PTĐT" -> "351-BXD-PTDT": a file name that keeps the symbol legible."""
    text = number.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-") or "dispatch"
