"""Who must act: the addressees ("Kính gửi", or the "điện:" line of a công điện) as agency groups
and codes, minus the superiors "Nơi nhận" only informs; who is asked to act besides. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from dondoc.reading.agencies import AgencyIndex, Match, ordered
from dondoc.reading.blocks import Blocks
from dondoc.reading.review import Note, Review
from dondoc.reading.text import fold


@dataclass(frozen=True)
class Parties:
    addressees: tuple[str, ...]
    exclude: tuple[str, ...]
    to_act: tuple[str, ...]


def read_parties(blocks: Blocks, index: AgencyIndex, issuer: str | None, review: Review) -> Parties:
    home = _home_province(index, issuer)
    entries = list(blocks.addressees)
    if not entries:
        entries = [e.text for e in blocks.distribution if e.role in ("plain", "act")]
        if entries:
            review.add(
                "addressees",
                Note(
                    "no 'Kính gửi': addressees read from 'Nơi nhận'",
                    "không có dòng 'Kính gửi': nơi nhận thực hiện được đọc từ 'Nơi nhận'",
                ),
            )
    matches = [index.match(e, home) for e in entries]
    names: list[str] = []
    for m in matches:
        names += [*m.groups, *m.codes]
        review.add("addressees", *m.notes, sentence=m.entry)
        if m.unmatched and (m.groups or m.codes):
            named = ", ".join((*m.groups, *m.codes))
            review.add(
                "addressees", Note(
                    f"'{m.entry}' read as {named}; the rest is not tracked",
                    f"'{m.entry}' được đọc là {named}; phần còn lại không được theo dõi",
                ),
                sentence=m.entry,
            )  # fmt: skip
        elif m.unmatched:
            review.add(
                "addressees", Note(
                    f"'{m.entry}' matches no agency group or code: not tracked",
                    f"'{m.entry}' không khớp nhóm hay mã cơ quan nào: không được theo dõi",
                ),
                sentence=m.entry,
            )  # fmt: skip
    groups = [n for n in names if not index.agencies.get(n)]
    covered = set().union(*(index.members(g) for g in groups)) if groups else set()
    addressees = ordered([n for n in names if n in groups or n not in covered])
    if not addressees:
        review.add(
            "addressees",
            Note(
                "no addressee could be mapped to agencies.yaml: fill in",
                "không đối chiếu được nơi nhận nào với danh mục cơ quan: cần điền",
            ),
            sentence="; ".join(entries) or None,
        )
    chosen = set().union(*(index.members(n) for n in addressees)) if addressees else set()
    exclude = _informed(blocks, index, home, chosen, review)
    to_act = _asked_to_act(blocks, index, home, addressees, review)
    for e in blocks.distribution:
        if e.role == "as_article":
            review.add(
                "addressees",
                Note(
                    f"Nơi nhận '{e.written}': check the article's addressees",
                    f"Nơi nhận '{e.written}': cần kiểm tra các đối tượng thực hiện của điều khoản",
                ),
                sentence=e.written,
            )
    return Parties(addressees, exclude, to_act)


def _home_province(index: AgencyIndex, issuer: str | None) -> str | None:
    if issuer is None:
        return None
    folded = fold(issuer)
    for name, code in (*index.names, *index.renamed):
        if name == folded and index.agencies[code].kind == "provincial_committee":
            return code
    return None


def _informed(
    blocks: Blocks, index: AgencyIndex, home: str | None, chosen: set[str], review: Review
) -> tuple[str, ...]:
    """Agencies "(để báo cáo)" that a group in the addressees would otherwise bring in."""
    out: list[str] = []
    for e in blocks.distribution:
        if e.role != "informed":
            continue
        m: Match = index.match(e.text, home)
        excluded = [code for code in m.codes if code in chosen]
        out += excluded
        for _ in excluded:
            review.add(
                "exclude",
                Note(
                    f"'{e.written}' is informed, not asked to act",
                    f"'{e.written}' chỉ nhận để biết/báo cáo, không phải thực hiện",
                ),
                sentence=e.written,
            )
        if excluded:
            review.add("exclude", *m.notes, sentence=e.written)
    return tuple(dict.fromkeys(out))


def _asked_to_act(
    blocks: Blocks,
    index: AgencyIndex,
    home: str | None,
    addressees: tuple[str, ...],
    review: Review,
) -> tuple[str, ...]:
    out: list[str] = []
    for e in blocks.distribution:
        if e.role != "act" or not blocks.addressees:
            continue
        m = index.match(e.text, home)
        extra = [n for n in (*m.groups, *m.codes) if n not in addressees]
        out.append(e.written)
        if extra:
            review.add(
                "addressees",
                Note(
                    f"Nơi nhận '{e.written}' is asked to act but is not in 'Kính gửi': not added; "
                    f"add {', '.join(extra)} to track it separately (the bundled spec tracks the "
                    "People's Committees, whose departments do the work)",
                    f"Nơi nhận '{e.written}' được giao thực hiện nhưng không có trong 'Kính gửi': "
                    f"chưa thêm; thêm {', '.join(extra)} nếu cần theo dõi riêng (cấu hình mặc định "
                    "theo dõi Ủy ban nhân dân, nơi các sở thực hiện công việc)",
                ),
                sentence=e.written,
            )
    return tuple(out)
