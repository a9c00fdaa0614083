"""Bodies named as before 2025 and today's successor (Resolution 176/2025/QH15, from 1/3/2025;
DOMAIN.md "Pre-2025 names and their successors"): older texts still name them, as issuer, in
"Kính gửi", in "Nơi nhận" and in the tasks. Each is read as its successor, with a note. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dondoc.reading.review import Note
from dondoc.reading.text import fold, fold_pattern

SUCCESSION_DAY = "01/3/2025"


@dataclass(frozen=True)
class Former:
    name: str  # as it was: "Bộ Kế hoạch và Đầu tư"
    code: str  # its symbol abbreviation then: "BKHĐT"
    successor: str  # today's agency code: "BTC"
    pattern: re.Pattern[str]  # the name in `fold`ed text
    caveat: str = ""

    def note(self, successor_name: str) -> Note:
        return Note(
            f"'{self.name}' is named as before {SUCCESSION_DAY}: read as its successor "
            f"{successor_name} ({self.successor}){self.caveat}",
            f"'{self.name}' là tên trước ngày {SUCCESSION_DAY}: đọc là cơ quan kế nhiệm "
            f"{successor_name} ({self.successor}){_CAVEAT_VI.get(self.code, '')}",
        )


_CAVEAT_VI = {
    "BLĐTBXH": "; mảng giáo dục nghề nghiệp đã chuyển sang BGDĐT, mảng bảo trợ xã hội và chăm "
    "sóc trẻ em đã chuyển sang BYT: cần kiểm tra văn bản nói về mảng nào",
}


_AND = r"\s*(?:và|,|-|&)?\s*"
FORMER: tuple[Former, ...] = tuple(
    Former(name, code, successor, fold_pattern(r"(?<!\w)" + pattern + r"(?!\w)"), caveat)
    for name, code, successor, pattern, caveat in (
        ("Bộ Kế hoạch và Đầu tư", "BKHĐT", "BTC",
         r"bộ (?:kế hoạch" + _AND + r"đầu tư|kh" + _AND + r"đt)", ""),
        ("Bộ Giao thông vận tải", "BGTVT", "BXD", r"bộ (?:giao thông,? vận tải|gtvt)", ""),
        ("Bộ Thông tin và Truyền thông", "BTTTT", "BKHCN",
         r"bộ (?:thông tin" + _AND + r"truyền thông|tt" + _AND + r"tt)", ""),
        ("Bộ Tài nguyên và Môi trường", "BTNMT", "BNNMT",
         r"bộ (?:tài nguyên" + _AND + r"môi trường|tn" + _AND + r"mt)", ""),
        ("Bộ Nông nghiệp và Phát triển nông thôn", "BNNPTNT", "BNNMT",
         r"bộ (?:nông nghiệp" + _AND + r"phát triển nông thôn|nn" + _AND + r"ptnt)", ""),
        ("Bộ Lao động - Thương binh và Xã hội", "BLĐTBXH", "BNV",
         r"bộ (?:lao động" + _AND + r"thương binh" + _AND + r"xã hội|lđ" + _AND + r"tb"
         + _AND + r"xh)",
         "; its vocational education went to BGDĐT and its social protection and child care "
         "to BYT: check which the text is about"),
        ("Ủy ban Dân tộc", "UBDT", "BDTTG", r"ủy ban dân tộc", ""),
    )
)  # fmt: skip
_BARE = {fold(f.name).removeprefix("bô "): f for f in FORMER if f.name.startswith("Bộ ")}
_BY_CODE = {f.code: f for f in FORMER}


def former_in(folded: str) -> list[tuple[Former, re.Match[str]]]:
    """The former bodies named in ``folded`` (text passed through `fold`), in order."""
    found = [(f, m) for f in FORMER for m in f.pattern.finditer(folded)]
    return sorted(found, key=lambda pair: pair[1].start())


def former_named(name: str) -> Former | None:
    """The former body ``name`` is, as a whole ("BỘ KẾ HOẠCH VÀ ĐẦU TƯ", "Bộ GTVT" is not)."""
    folded = fold(name)
    return next((f for f in FORMER if f.pattern.fullmatch(folded)), None)


def former_by_code(code: str | None) -> Former | None:
    """The former body of a symbol's abbreviation ("BKHĐT")."""
    return _BY_CODE.get(code or "")


def bare_names() -> dict[str, Former]:
    """ "kê hoach va đâu tư" -> Bộ Kế hoạch và Đầu tư: a ministry in "các Bộ: Kế hoạch và Đầu
    tư, Tài chính" (folded, without "bộ")."""
    return dict(_BARE)
