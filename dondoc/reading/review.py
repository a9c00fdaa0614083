"""Review points: what an imported draft could not read with confidence, by field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewPoint:
    where: str  # the draft's field: "dispatch.issuer", "obligations[1].deadline", ...
    message: str
    sentence: str | None = None  # the text the value was read from, shown beside the field
    message_vi: str | None = None  # the same message for the board, in Vietnamese

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class Note(str):
    """An English review message (what the CLI prints, and what compares equal) that also
    carries its Vietnamese text for the board. A `str`, so the readers' tuples of notes and
    every test that compares messages keep working unchanged."""

    vi: str

    def __new__(cls, en: str, vi: str) -> Note:
        note = super().__new__(cls, en)
        note.vi = vi
        return note


class NoteTable:
    """A module's review notes by key: an English and a Vietnamese template each, filled with
    the same fields (`note("how_often", quote=...)`)."""

    def __init__(self, texts: Mapping[str, tuple[str, str]]) -> None:
        self._texts = texts

    def __call__(self, key: str, /, **fields: object) -> Note:
        en, vi = self._texts[key]
        return Note(en.format(**fields), vi.format(**fields))


def vi_of(message: str) -> str | None:
    """The Vietnamese text of a message, when it carries one."""
    return message.vi if isinstance(message, Note) else None


def vi_text(message: str) -> str:
    """The Vietnamese text of a message, to build a longer one from; the message itself when
    it carries none."""
    return message.vi if isinstance(message, Note) else message


# The recurrences as an official names them, for the Vietnamese texts.
PERIOD_VI = {
    "once": "một lần",
    "monthly": "hằng tháng",
    "quarterly": "hằng quý",
    "half-yearly": "6 tháng một lần",
    "yearly": "hằng năm",
    "unknown": "định kỳ (không rõ kỳ)",  # "định kỳ" alone, in the deadline reader
}


def period_vi(recurrence: str) -> str:
    return PERIOD_VI.get(recurrence, recurrence)


class Review:
    """Collects review points as the parts of a text are read."""

    def __init__(self) -> None:
        self.points: list[ReviewPoint] = []

    def add(self, where: str, *messages: str, sentence: str | None = None) -> None:
        self.points += [ReviewPoint(where, str(m), sentence, vi_of(m)) for m in messages]
