"""What the draft form shows: each field's value as the coordinator types it (dates dd/mm/yyyy),
the agency checkboxes grouped by kind, and each review point or error beside its field."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dondoc.config.spec_loader import AgencyRecord
from dondoc.web.common import GROUPS_VI
from dondoc.web.registering_form import DOC_FIELDS, Errors

KINDS_VI = {
    "ministry": "Các bộ",
    "ministerial_agency": "Cơ quan ngang bộ, cơ quan thuộc Chính phủ",
    "provincial_committee": "Ủy ban nhân dân các tỉnh, thành phố",
    "department": "Sở Xây dựng các tỉnh, thành phố",
}
OBLIGATION_KINDS_VI = {
    "report": "Báo cáo",
    "plan": "Kế hoạch, việc cần làm",
    "inspection": "Kiểm tra",
}
RECURRENCES_VI = {
    "once": "Một lần",
    "monthly": "Hằng tháng",
    "quarterly": "Hằng quý",
    "half-yearly": "6 tháng một lần",
    "yearly": "Hằng năm",
}
# The parts of an obligation a review point or error is shown beside.
OBLIGATION_PATHS = (
    "", "code", "kind", "title", "phrase", "recurrence", "first_period", "deadline",
    "deadline.date", "deadline.month", "deadline.day", "deadline.inclusive", "cutoff",
    "cutoff.month", "cutoff.day", "addressees",
)  # fmt: skip


@dataclass(frozen=True)
class Point:
    message: str
    sentence: str | None


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass
class Notes:
    """Review points and errors by field path; what no field shows is listed at the top."""

    points: dict[str, list[Point]] = field(default_factory=dict)
    errors: Errors = field(default_factory=dict)

    def review(self, where: str) -> list[Point]:
        return self.points.get(where, [])

    def error(self, where: str) -> list[str]:
        return self.errors.get(where, [])

    def elsewhere(self, paths: Sequence[str]) -> list[tuple[str, Point | str]]:
        """Points and errors of a path no field of the form shows."""
        out: list[tuple[str, Point | str]] = []
        for where, points in self.points.items():
            out += [(where, p) for p in points if where not in paths]
        for where, messages in self.errors.items():
            out += [(where, m) for m in messages if where not in paths]
        return out


def notes_of(review_json: str, errors: Errors) -> Notes:
    points: dict[str, list[Point]] = {}
    for item in json.loads(review_json or "[]"):
        points.setdefault(str(item["where"]), []).append(
            # drafts saved before the Vietnamese texts have only the English message
            Point(str(item.get("message_vi") or item["message"]), item.get("sentence"))
        )
    return Notes(points, errors)


def form_paths(content: dict[str, Any]) -> list[str]:
    """Every field path the form shows, for `Notes.elsewhere`."""
    paths = ["directive", "dispatch", "report_to", "addressees", "exclude", "obligations"]
    for block in ("directive", "dispatch"):
        paths += [f"{block}.{name}" for name in DOC_FIELDS]
    for i in range(len(content.get("obligations") or [])):
        at = f"obligations[{i}]"
        paths += [f"{at}.{p}" if p else at for p in OBLIGATION_PATHS]
    return paths


def shown_day(value: object) -> str:
    """An ISO date as dd/mm/yyyy; anything else (a value typed wrong) as it is."""
    if value is None:
        return ""
    try:
        return f"{dt.date.fromisoformat(str(value)):%d/%m/%Y}"
    except ValueError:
        return str(value)


def agency_choices(agencies: Sequence[AgencyRecord]) -> list[tuple[str, list[Choice]]]:
    """The agencies by kind, each kind with its agencies by name as in agencies.yaml."""
    out: list[tuple[str, list[Choice]]] = []
    for kind, label in KINDS_VI.items():
        members = [Choice(a.code, a.name) for a in agencies if a.kind == kind and _current(a)]
        if members:
            out.append((label, members))
    return out


def _current(agency: AgencyRecord) -> bool:
    return agency.dissolved_on is None


def group_choices(agencies: Sequence[AgencyRecord]) -> list[Choice]:
    groups = dict.fromkeys(g for a in agencies for g in a.groups)
    return [Choice(g, GROUPS_VI.get(g, g)) for g in groups]


def other_codes(chosen: Sequence[str], agencies: Sequence[AgencyRecord]) -> str:
    """Entries of ``addressees`` that are neither a group nor a current agency's code."""
    known = {a.code for a in agencies if _current(a)} | {g for a in agencies for g in a.groups}
    return ", ".join(c for c in chosen if c not in known)


def carried(ob: dict[str, Any]) -> str:
    """The obligation's keys the form does not show (reminders, note), kept in a hidden field."""
    return json.dumps({k: ob[k] for k in ("reminders", "note") if k in ob}, ensure_ascii=False)


def renumber_review(review_json: str, removed: int) -> str:
    """The review points once obligation ``removed`` is taken out: its points go, the later
    obligations' points move up by one."""
    out = []
    prefix = "obligations["
    for item in json.loads(review_json or "[]"):
        where = str(item["where"])
        if where.startswith(prefix):
            index_text, _, rest = where[len(prefix) :].partition("]")
            if index_text.isdigit():
                index = int(index_text)
                if index == removed:
                    continue
                if index > removed:
                    item = {**item, "where": f"{prefix}{index - 1}]{rest}"}
        out.append(item)
    return json.dumps(out, ensure_ascii=False)


_BLOCKS_VI = {"directive": "Văn bản", "dispatch": "Công văn triển khai"}
_FIELDS_VI = {
    "number": "số, ký hiệu",
    "doc_type": "loại văn bản",
    "issued_on": "ngày ban hành",
    "issuer": "cơ quan ban hành",
    "unit": "đơn vị soạn thảo",
    "implements": "thực hiện văn bản số",
    "subject": "trích yếu",
    "code": "mã nhiệm vụ",
    "kind": "loại",
    "recurrence": "lặp lại",
    "first_period": "kỳ đầu tiên theo dõi",
    "title": "tên nhiệm vụ",
    "phrase": "câu trong văn bản",
    "deadline": "thời hạn",
    "deadline.date": "thời hạn: ngày cụ thể",
    "deadline.month": "thời hạn: tháng trong kỳ",
    "deadline.day": "thời hạn: ngày",
    "cutoff": "chốt số liệu",
    "cutoff.month": "chốt số liệu: tháng",
    "cutoff.day": "chốt số liệu: ngày",
    "addressees": "cơ quan thực hiện",
}
_TOP_VI = {
    "addressees": "Cơ quan phải thực hiện",
    "exclude": "Loại trừ",
    "report_to": "Nơi gửi báo cáo",
    "obligations": "Nhiệm vụ",
}


def path_vi(where: str) -> str:
    """A field path as the form names it: "obligations[2].deadline.month" -> "Nhiệm vụ 3,
    thời hạn: tháng trong kỳ"."""
    if where in _TOP_VI:
        return _TOP_VI[where]
    block, _, rest = where.partition(".")
    if block in _BLOCKS_VI:
        return f"{_BLOCKS_VI[block]}, {_FIELDS_VI.get(rest, rest)}" if rest else _BLOCKS_VI[block]
    if where.startswith("obligations["):
        index, _, rest = where.removeprefix("obligations[").partition("]")
        rest = rest.removeprefix(".")
        head = f"Nhiệm vụ {int(index) + 1}" if index.isdigit() else "Nhiệm vụ"
        return f"{head}, {_FIELDS_VI.get(rest, rest)}" if rest else head
    return where
