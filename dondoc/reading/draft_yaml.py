"""Write a `DispatchDraft` as directive-spec YAML (docs/spec-format.md) with comments.

Hand-written rather than `yaml.dump` so that every review point sits as a ``# REVIEW:`` comment
above the value it concerns. Every string is double-quoted (codes such as "01" and periods such
as "2026" stay strings); a value that could not be read is written as ``null`` so that
`dondoc load` stops on it with the file, line and field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dondoc.config.spec import UNREAD_DEADLINE, CutoffSpec, DeadlineSpec
from dondoc.reading.draft import DispatchDraft, DocumentDraft, ObligationDraft
from dondoc.reading.review import ReviewPoint

_DOC_FIELDS = ("number", "doc_type", "issuer", "unit", "issued_on", "subject", "implements")
_REQUIRED = {"number", "doc_type", "issuer", "issued_on", "subject"}
_OBLIGATION_FIELDS = ("kind", "title", "phrase", "recurrence", "deadline", "first_period",
                      "cutoff", "addressees")  # fmt: skip
_OPTIONAL = {"first_period", "cutoff", "addressees"}


def quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'


def scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | int):
        return str(value)
    return quoted(str(value))


def cutoff_yaml(cut: CutoffSpec | None) -> str:
    if cut is None:
        return "null"
    return "{" + (f"month: {cut.month}, " if cut.month is not None else "") + f"day: {cut.day}}}"


def names_yaml(names: tuple[str, ...] | None) -> str:
    return "null" if names is None else "[" + ", ".join(quoted(n) for n in names) + "]"


def deadline_yaml(rule: DeadlineSpec | None) -> str:
    if rule is None:
        return "null"
    parts = [f"date: {rule.date}"] if rule.date else []
    parts += [f"month: {rule.month}"] if rule.month is not None else []
    parts += [f"day: {rule.day}"] if rule.day is not None else []
    parts.append(f"inclusive: {scalar(rule.inclusive)}")
    parts += [f"year_offset: {rule.year_offset}"] if rule.year_offset else []
    parts += ["shift_to_working_day: false"] if not rule.shift_to_working_day else []
    parts.append(f"chosen_by: {rule.chosen_by}")
    return "{" + ", ".join(parts) + "}"


class _Writer:
    def __init__(self, review: Iterable[ReviewPoint]) -> None:
        self.lines: list[str] = []
        self.pending = list(review)

    def reviews(self, where: str, indent: str) -> None:
        for point in [p for p in self.pending if p.where == where]:
            self.lines.append(f"{indent}# REVIEW: {' '.join(point.message.split())}")
            self.pending.remove(point)

    def key(self, where: str, indent: str, key: str, value: str, note: str = "") -> None:
        self.reviews(where, indent)
        self.lines.append(f"{indent}{key}: {value}{'  # ' + note if note else ''}")


def render_draft(draft: DispatchDraft, *, source_name: str, source_file: str | None) -> str:
    """The draft as YAML text; `load_spec_file` reads it once its nulls are filled in."""
    w = _Writer(draft.review)
    w.lines += [
        f"# DRAFT directive spec imported from {source_name} by `dondoc import-dispatch`",
        f"# (as of {draft.as_of}). Check every REVIEW comment against the text, then",
        "# load it with `dondoc load`. Format: docs/spec-format.md.",
    ]
    if draft.directive is not None:
        _document(w, "directive", draft.directive, None)
        w.lines.append("")
    _document(w, draft.role if draft.directive else "directive", draft.document, source_file)
    if draft.cites:
        w.lines.append(f"  # cites: {', '.join(draft.cites)}")
    w.lines.append("")
    if draft.report_to is not None or any(p.where == "report_to" for p in w.pending):
        w.key("report_to", "", "report_to", scalar(draft.report_to))
    names = ", ".join(quoted(n) for n in draft.addressees)
    w.key("addressees", "", "addressees", f"[{names}]" if names else "null")
    w.key("exclude", "", "exclude", "[" + ", ".join(quoted(n) for n in draft.exclude) + "]")
    for written in draft.to_act:
        w.lines.append(f"# Nơi nhận, asked to act: {written}")
    w.lines.append("")
    _obligations(w, draft.obligations)
    leftovers = [f"# REVIEW: {p}" for p in w.pending]
    head = 3
    return "\n".join([*w.lines[:head], *leftovers, *w.lines[head:]]) + "\n"


def _document(w: _Writer, block: str, doc: DocumentDraft, source_file: str | None) -> None:
    w.lines.append(f"{block}:")
    w.reviews(block, "  ")
    for field in _DOC_FIELDS:
        value = getattr(doc, field)
        if value is None and field not in _REQUIRED:
            w.reviews(f"{block}.{field}", "  ")
            continue
        w.key(f"{block}.{field}", "  ", field, scalar(value))
    if source_file is not None:
        w.key(f"{block}.source_file", "  ", "source_file", quoted(source_file))


def _obligations(w: _Writer, obligations: Iterable[ObligationDraft]) -> None:
    items = list(obligations)
    w.reviews("obligations", "")
    if not items:
        w.lines.append("obligations: null")
        return
    w.lines.append("obligations:")
    for i, ob in enumerate(items):
        where = f"obligations[{i}]"
        if i:
            w.lines.append("")
        w.reviews(where, "  ")
        w.lines.append(f"  - code: {quoted(ob.code)}  # task {ob.task}")
        values = {
            "kind": quoted(ob.kind),
            "title": quoted(ob.title),
            "phrase": quoted(ob.phrase),
            "recurrence": quoted(ob.recurrence),
            # `dondoc load` refuses UNREAD, naming the file, line and field.
            "deadline": quoted(UNREAD_DEADLINE)
            if ob.deadline_unread
            else deadline_yaml(ob.deadline),
            "first_period": scalar(ob.first_period),
            "cutoff": cutoff_yaml(ob.cutoff),
            "addressees": names_yaml(ob.addressees),
        }
        for field in _OBLIGATION_FIELDS:
            if field in _OPTIONAL and values[field] == "null":
                w.reviews(f"{where}.{field}", "    ")
                continue
            w.key(f"{where}.{field}", "    ", field, values[field])


def _deadline(ob: ObligationDraft) -> str:
    # `dondoc load` refuses UNREAD, naming the file, line and field: a stated date is not lost.
    return quoted(UNREAD_DEADLINE) if ob.deadline_unread else deadline_yaml(ob.deadline)
