"""Who must act on one task: the agency or group a numbered item names at its start ("3. Bộ
Khoa học và Công nghệ chủ trì ...", "2. Giao Bộ Công an ...", "4. Ủy ban nhân dân các tỉnh,
thành phố ...:", "Các Bộ, ngành: a) ..."), matched with the agency list (`AgencyIndex`). None
when the task names nobody or everybody the directive addresses. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dondoc.reading.agencies import AgencyIndex, ordered
from dondoc.reading.review import Note

_OPENING = re.compile(r"^(?:[-+•*]\s*)?(?:giao(?: cho)?|đề nghị|yêu cầu|phân công)\s+", re.I)
# Where the name ends: the verb that follows it (lower case: "Ban Chỉ đạo" is a name).
_VERB = re.compile(
    r"\s(?:chủ trì|chỉ đạo|có trách nhiệm|chịu trách nhiệm|phối hợp|khẩn trương|tổ chức"
    r"|thực hiện|triển khai|rà soát|xây dựng|nghiên cứu|hướng dẫn|ban hành|báo cáo|tăng cường"
    r"|kiểm tra|đẩy mạnh|tiếp tục|hoàn thành|tập trung|căn cứ|theo dõi|đôn đốc|quán triệt|bố trí"
    r"|cân đối|sửa đổi|trình|gửi|lập|đề xuất|quản lý|thường xuyên|nghiêm túc|bảo đảm|đảm bảo"
    r"|nâng cao|giao|cung cấp|tổng hợp|định kỳ|h[ằà]ng (?:năm|quý|tháng)|khẩn|chủ động|ưu tiên"
    r"|xác định|cập nhật|công bố|thanh tra|phổ biến|tuyên truyền|hoàn thiện|nắm|được|là|cần"
    r"|phải|sớm|trong|theo|để|về|với|(?P<speaks>đề nghị|yêu cầu|trân trọng|xin|kính))\b"
)
# A name starts with a capital ("Ban Chỉ đạo", not "Ban hành"), or "các Bộ" after "Giao".
_NAME_START = re.compile(
    r"^(?:[Cc]ác\s+)?(?:Bộ|bộ|Ủy ban|Uỷ ban|ủy ban|UBND|Sở|sở|Ngân hàng|Văn phòng|Cục|Tổng cục"
    r"|(?:Ban|Thanh tra|Kiểm toán|Hội đồng|Viện|Đài|Bảo hiểm|Tập đoàn|Tổng công ty)\s+[A-ZĐÂ]"
    r"|Cơ quan|cơ quan|[Đđ]ịa phương|ngành)"
)
_MAX_NAME = 160
# The issuer's own units, named in its dispatch: "Cục Phát triển đô thị", "Vụ Pháp chế".
_UNIT = re.compile(r"^(?:Cục|Vụ|Văn phòng Bộ|Thanh tra Bộ|Tổng cục)\s")
_MONITORS = re.compile(r"^[\s,]*(?:chủ trì\s*,?\s*)?(?:theo dõi|đôn đốc)\b")
# The issuer speaking to the addressees: "xin gửi dự thảo ... để Quý cơ quan có ý kiến".
_ASKS_OTHERS = re.compile(r"\b(?:đề nghị|yêu cầu|xin gửi|gửi kèm|quý (?:cơ quan|bộ|ủy ban|uỷ ban"
                          r"|đơn vị|sở|địa phương))\b", re.I)  # fmt: skip
# "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Bộ ...": no ask.
_IF_STUCK = re.compile(r"vướng mắc|khó khăn|phát sinh", re.I)
_SENTENCES = re.compile(r"(?<=[.;])\s+")


@dataclass(frozen=True)
class Scope:
    names: tuple[str, ...] | None  # groups and codes; None: every addressee
    notes: tuple[str, ...] = ()


def task_scope(words: str, index: AgencyIndex, addressees: tuple[str, ...]) -> Scope:
    """``words``: the item's own text (its lead for a lettered point or bullet)."""
    who = _subject(words)
    if who is None:
        return Scope(None)
    who = _longest_name(who, index)
    m = index.match(who)
    named = ordered([*m.groups, *m.codes])
    everyone = _members(index, addressees)
    if not named and len(everyone) == 1:
        return Scope(None)  # one addressee: whoever the task names works for it
    if not named:
        return Scope(
            None,
            (
                Note(
                    f"'{who}' may name who must act but matches no agency: check",
                    f"'{who}' có thể chỉ đơn vị thực hiện nhưng không khớp cơ quan nào: "
                    "cần kiểm tra",
                ),
            ),
        )
    covers = _members(index, named)
    notes = list(m.notes)
    if m.unmatched:
        notes.append(
            Note(
                f"'{who}' read as {', '.join(named)}: check who must act",
                f"'{who}' được đọc là {', '.join(named)}: cần kiểm tra đơn vị thực hiện",
            )
        )
    parents = {_parent(index, c, everyone) for c in covers}
    mapped = bool(everyone) and not covers <= everyone and parents <= everyone
    if mapped:
        # "Sở Xây dựng các tỉnh": the People's Committees addressed answer for their departments.
        covers, named = parents, _as_groups(index, parents, everyone)
        notes.append(
            Note(
                f"'{who}' read as the addressees they belong to: {', '.join(named)}",
                f"'{who}' được đọc là các nơi nhận chủ quản: {', '.join(named)}",
            )
        )
    if everyone and covers >= everyone:  # everyone the directive addresses
        return Scope(None, tuple(notes) if m.unmatched or mapped else ())
    if everyone and not covers <= everyone:
        outside = ", ".join(sorted(covers - everyone)[:8])
        notes.append(
            Note(
                f"'{who}' names agencies the directive does not address ({outside}): add them "
                "to 'addressees', or change this obligation's addressees",
                f"'{who}' nêu cơ quan không có trong nơi nhận của văn bản ({outside}): thêm vào "
                "nơi nhận, hoặc sửa đơn vị thực hiện của nghĩa vụ này",
            )
        )
    return Scope(named, tuple(notes))


@dataclass(frozen=True)
class IssuersPart:
    """A task whose subject is the issuer, one of its units, or a body the directive does not
    address that only follows the work up ("Văn phòng Chính phủ theo dõi, đôn đốc")."""

    who: str
    asks_others: bool  # the issuer asks the addressees ("xin gửi ... để Quý cơ quan ...")

    @property
    def left_out(self) -> Note:
        return Note(
            f"'{self.who}' is the issuer itself, one of its units or a body not addressed that "
            "follows the work up: not read as an obligation of the addressees; add it by hand "
            "if it is one",
            f"'{self.who}' là cơ quan ban hành, đơn vị thuộc cơ quan ban hành hoặc cơ quan theo "
            "dõi, đôn đốc không thuộc nơi nhận: không đọc là nghĩa vụ của nơi nhận; nhập tay "
            "nếu đúng là nghĩa vụ",
        )

    @property
    def scope(self) -> Scope:
        """Who acts on a dated task the issuer names itself in: the addressees it asks ("xin
        gửi ... để Quý cơ quan có ý kiến"); flagged when it asks nobody."""
        if self.asks_others:
            return Scope(None)
        return Scope(None, (
            Note(
                f"'{self.who}' is the issuer or one of its units: read as every addressee; check",
                f"'{self.who}' là cơ quan ban hành hoặc đơn vị thuộc cơ quan ban hành: đọc là "
                "mọi nơi nhận; cần kiểm tra",
            ),
        ))  # fmt: skip


def issuers_part(
    words: str, index: AgencyIndex | None, issuer: str | None, addressees: tuple[str, ...]
) -> IssuersPart | None:
    if index is None or not addressees:
        return None
    text = _OPENING.sub("", words.strip())
    who = _subject(text)
    if who is None:
        return None
    who = _longest_name(who, index)
    m = index.match(who)
    codes = set(m.codes)
    mine = index.match(issuer).codes if issuer else ()
    everyone = _members(index, addressees)
    own = bool(codes) and codes <= set(mine)  # "các Bộ" addressed leaves out the issuer
    unit = not codes and not m.groups and bool(mine) and bool(_UNIT.match(who))
    rest = text[text.find(who) + len(who) :] if who in text else ""
    outside = bool(codes) and not codes & everyone and bool(_MONITORS.match(rest))
    if not (own or unit or outside):
        return None
    asks = any(_ASKS_OTHERS.search(s) and not _IF_STUCK.search(s) for s in _SENTENCES.split(text))
    return IssuersPart(who, asks)


def _parent(index: AgencyIndex, code: str, everyone: set[str]) -> str:
    parent = index.agencies[code].parent
    return parent if code not in everyone and parent is not None else code


def _as_groups(index: AgencyIndex, codes: set[str], everyone: set[str]) -> tuple[str, ...]:
    """Codes written as the groups they fill (within the addressees), then single codes."""
    names: list[str] = []
    left = set(codes)
    for group in sorted({g for c in codes for g in index.agencies[c].groups}):
        members = index.members(group) & everyone
        if members and members <= codes:
            names.append(group)
            left -= members
    return ordered([*names, *sorted(left)])


def _longest_name(who: str, index: AgencyIndex) -> str:
    """The longest opening of ``who`` that names agencies and nothing else ("Ủy ban nhân dân
    các tỉnh ... Trung ương" of "... Trung ương kiện toàn Ban Chỉ huy"), else ``who``."""
    words = who.split()
    for n in range(len(words), 0, -1):
        m = index.match(" ".join(words[:n]).rstrip(" ,;"))
        if not m.unmatched and (m.groups or m.codes):
            return " ".join(words[:n]).rstrip(" ,;")
    return who


def names_someone(words: str) -> bool:
    """Whether the words open with the name of who acts ("Các Bộ, ngành:", "Bộ Công an")."""
    return _subject(words) is not None


def _members(index: AgencyIndex, names: tuple[str, ...]) -> set[str]:
    return set().union(*(index.members(n) for n in names)) if names else set()


def _subject(words: str) -> str | None:
    text = _OPENING.sub("", words.strip())
    heading, said, rest = text.partition(": ")
    if not _NAME_START.match(text) and said and len(heading) <= 80:
        text = _OPENING.sub("", rest)  # "Báo cáo năm: Ủy ban nhân dân các tỉnh ... báo cáo"
    # "Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, Chủ tịch ...": the minister's title is the Bộ.
    text = re.sub(r"^(?:Các\s+)?Bộ trưởng(?:\s+các Bộ)?(?=\s*,|\s+và\b)", "Các Bộ", text)
    if not _NAME_START.match(text):
        return None
    head = text[:_MAX_NAME]
    colon = head.find(":")
    if colon > 0:
        head = head[:colon]
    if verb := _VERB.search(head):
        if verb["speaks"]:  # "Bộ Xây dựng đề nghị ...": the issuer speaking, not acting
            return None
        head = head[: verb.start()]
    head = head.strip(" ,;.")
    return head or None
