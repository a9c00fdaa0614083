"""Map the names in "Kính gửi" and "Nơi nhận" to the agency groups and codes of agencies.yaml.

Matching is on `fold`ed text (case, tone placement "hoà"/"hòa", "UBND"/"Ủy ban nhân dân",
"TP"/"thành phố" do not matter). Whatever is left of an entry once the known names are taken
out, apart from connecting words and titles, makes the entry "unmatched" for review. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dondoc.config.spec_loader import AgencyRecord
from dondoc.reading.former import FORMER, Former, bare_names, former_in
from dondoc.reading.review import Note
from dondoc.reading.text import fold, fold_pattern

MINISTRIES, MINISTERIAL, COMMITTEES, DEPARTMENTS = (
    "ministries",
    "ministerial-agencies",
    "provincial-committees",
    "construction-departments",
)
_GROUP_ORDER = (MINISTRIES, MINISTERIAL, COMMITTEES, DEPARTMENTS)
_PROVINCES = r"tỉnh,? (?:thành phố|tp)(?: trực thuộc (?:trung ương|tw))?"
# (groups, pattern, note): more specific patterns first.
_GROUP_PATTERNS: tuple[tuple[tuple[str, ...], re.Pattern[str], str | None], ...] = tuple(
    (groups, fold_pattern(pattern), note)
    for groups, pattern, note in (
        ((DEPARTMENTS,), r"(?:các )?sở xây dựng (?:các )?" + _PROVINCES, None),
        # "Sở Xây dựng tỉnh Cao Bằng" is one department, not the group.
        ((DEPARTMENTS,), r"các sở xây dựng (?:các )?tỉnh(?:,? thành phố)?", None),
        ((DEPARTMENTS,), r"sở xây dựng các tỉnh(?:,? thành phố)?", None),
        ((DEPARTMENTS,), r"các sở xây dựng", None),
        ((COMMITTEES,), r"ủy ban nhân dân (?:các )?" + _PROVINCES, None),
        ((COMMITTEES,), r"ủy ban nhân dân các tỉnh(?:,? thành phố)?", None),
        (
            (COMMITTEES,),
            r"(?:các )?địa phương",
            Note(
                "'các địa phương' (the localities) read as the provincial People's Committees",
                "'các địa phương' được đọc là Ủy ban nhân dân các tỉnh, thành phố",
            ),
        ),
        ((MINISTRIES, MINISTERIAL), r"(?:các )?bộ,? (?:các )?cơ quan ngang bộ", None),
        ((MINISTRIES, MINISTERIAL), r"(?:các )?bộ,? ngành(?: trung ương)?", None),
        ((MINISTERIAL,), r"(?:các )?cơ quan ngang bộ", None),
        ((MINISTRIES,), r"các bộ(?!\s*:)", None),
    )
)
_NAMED_MINISTRIES = fold_pattern(r"các bộ\s*:\s*(?P<names>[^;]+)")
# Titles and connecting words that may surround a name ("Bộ trưởng Bộ Tài chính", "và").
_FILLER = fold_pattern(
    r"\b(?:và|các|cac|đồng chí|bộ trưởng|thứ trưởng|chủ tịch|thủ trưởng|giám đốc|lãnh đạo"
    r"|như trên|kính gửi|quý cơ quan|cơ quan)\b|[-–+•,;:.()/]"
)


@dataclass(frozen=True)
class Match:
    """What one entry ("Các Bộ, ngành và UBND các tỉnh, ...") names."""

    entry: str
    groups: tuple[str, ...]
    codes: tuple[str, ...]
    unmatched: bool
    notes: tuple[str, ...] = ()


class AgencyIndex:
    """Agencies by folded name (longest first), for matching free text."""

    def __init__(self, agencies: Sequence[AgencyRecord]) -> None:
        self.agencies = {a.code: a for a in agencies}
        names: dict[str, str] = {}
        for a in agencies:
            for alias in _aliases(a):
                names.setdefault(alias, a.code)
        self.names = sorted(names.items(), key=lambda kv: len(kv[0]), reverse=True)
        renamed = {alias: a.code for a in agencies if a.former_name and a.renamed_on
                   for alias in _aliases(a, former=True) if alias not in names}  # fmt: skip
        # Names a continuing agency bore before it was renamed ("Ủy ban nhân dân tỉnh Yên Bái").
        self.renamed = sorted(renamed.items(), key=lambda kv: len(kv[0]), reverse=True)
        self.ministries = {fold(a.name).removeprefix("bô "): a.code for a in agencies
                           if a.kind == "ministry"}  # fmt: skip
        self.former_ministries = {
            bare: f for bare, f in bare_names().items() if f.successor in self.agencies
        }

    def successors(self, text: str) -> tuple[tuple[str, str], ...]:
        """(today's code, a note) for each body ``text`` names as before 2025 ("Bộ Kế hoạch và
        Đầu tư" -> BTC): for a task that names its agency, like `match` does for an entry."""
        return tuple((f.successor, self.note(f)) for f, _ in former_in(fold(text))
                     if f.successor in self.agencies)  # fmt: skip

    def note(self, former: Former) -> Note:
        return former.note(self.agencies[former.successor].name)

    def renamed_note(self, code: str) -> Note:
        a = self.agencies[code]
        day = f" on {a.renamed_on:%d/%m/%Y}" if a.renamed_on else ""
        day_vi = f" ngày {a.renamed_on:%d/%m/%Y}" if a.renamed_on else ""
        return Note(
            f"'{a.former_name}' was renamed{day}: read as {a.name} ({code})",
            f"'{a.former_name}' đã đổi tên{day_vi}: đọc là {a.name} ({code})",
        )

    def proper_names(self) -> tuple[str, ...]:
        """Names that keep their capitals in a sentence: agencies, former bodies, provinces."""
        records = self.agencies.values()
        names = [n for a in records for n in (a.name, a.former_name) if n]
        names += [n for a in records if a.kind == "provincial_committee"
                  for n in (a.short_name, a.former_short_name) if n]  # fmt: skip
        return tuple(dict.fromkeys([*names, *(f.name for f in FORMER)]))

    def members(self, group_or_code: str) -> set[str]:
        if group_or_code in self.agencies:
            return {group_or_code}
        return {c for c, a in self.agencies.items() if group_or_code in a.groups}

    def match(self, entry: str, home: str | None = None) -> Match:
        """The groups and codes one entry names; ``home`` is the issuing province's code, for
        a bare "Sở Xây dựng" in a provincial dispatch."""
        text = fold(entry)
        groups: list[str] = []
        codes: list[str] = []
        notes: list[str] = []
        if named := _NAMED_MINISTRIES.search(text):
            found = [(n, c) for n, c in self.ministries.items() if n in named["names"]]
            codes += [c for _, c in found]
            for bare, former in self.former_ministries.items():
                if bare in named["names"]:
                    codes.append(former.successor)
                    notes.append(self.note(former))
            text = text[: named.start()] + " " * len(named.group()) + text[named.end() :]
        for former, hit in former_in(text):
            if former.successor in self.agencies:
                text = text[: hit.start()] + " " * len(hit.group()) + text[hit.end() :]
                codes.append(former.successor)
                notes.append(self.note(former))
        for found_groups, pattern, note in _GROUP_PATTERNS:
            text, hits = pattern.subn(" ", text)
            if hits:
                groups += [g for g in found_groups if g not in groups]
                notes += [note] if note else []
        for name, code in self.names:
            text, hits = re.subn(r"(?<!\w)" + re.escape(name) + r"(?!\w)", " ", text)
            codes += [code] * bool(hits)
        for name, code in self.renamed:
            text, hits = re.subn(r"(?<!\w)" + re.escape(name) + r"(?!\w)", " ", text)
            codes += [code] * bool(hits)
            notes += [self.renamed_note(code)] * bool(hits)
        if home is not None and re.search(r"\bsơ xây dưng\b", text):
            text = re.sub(r"\bsơ xây dưng\b", " ", text)
            codes.append(f"{home}-SXD")
            notes.append(
                Note(
                    f"'Sở Xây dựng' read as the issuing province's department ({home}-SXD)",
                    f"'Sở Xây dựng' được đọc là Sở Xây dựng của tỉnh ban hành ({home}-SXD)",
                )
            )
        leftover = _FILLER.sub(" ", text).strip()
        return Match(
            entry, tuple(groups), tuple(dict.fromkeys(codes)), bool(leftover), tuple(notes)
        )


def _aliases(agency: AgencyRecord, *, former: bool = False) -> list[str]:
    name = fold((agency.former_name if former else agency.name) or "")
    short_name = agency.former_short_name if former else agency.short_name
    out = [name]
    if name.endswith(" viêt nam"):
        out.append(name.removesuffix(" viêt nam"))
    if short_name:
        short = fold(short_name)
        if agency.kind == "provincial_committee":
            out += [f"uy ban nhân dân {short}", f"uy ban nhân dân tinh {short}",
                    f"uy ban nhân dân thanh phô {short}"]  # fmt: skip
    return out


def ordered(names: Sequence[str]) -> tuple[str, ...]:
    """Groups in their usual order, then codes in order of appearance, without repeats."""
    groups = [g for g in _GROUP_ORDER if g in names]
    return tuple(groups + [n for n in dict.fromkeys(names) if n not in _GROUP_ORDER])
