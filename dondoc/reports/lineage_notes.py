"""The synthesis's notes on agency lineage: for each agency listed, the agencies merged into it
and its former name, in formal Vietnamese ("Ủy ban nhân dân tỉnh Tuyên Quang (mã 08) kế thừa
nhiệm vụ của Ủy ban nhân dân tỉnh Hà Giang (mã 02) từ ngày 01/07/2025.")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import select
from sqlmodel import Session

from dondoc.models import Agency


@dataclass(frozen=True)
class Predecessor:
    code: str
    name: str
    dissolved_on: dt.date


@dataclass(frozen=True)
class LineageNote:
    """An agency with what it took over: the agencies dissolved into it, its former name."""

    agency: str
    agency_name: str
    predecessors: tuple[Predecessor, ...] = ()
    former_name: str | None = None
    renamed_on: dt.date | None = None


def lineage_notes(session: Session, codes: Iterable[str]) -> tuple[LineageNote, ...]:
    """Notes for those of ``codes`` that have predecessors or a former name, by code."""
    agencies = list(session.execute(select(Agency)).scalars())
    by_id = {a.id: a for a in agencies}
    merged: dict[str, list[Predecessor]] = {}
    for a in agencies:
        heir = by_id.get(a.successor_id) if a.successor_id else None
        if heir is not None and a.dissolved_on is not None:
            merged.setdefault(heir.code, []).append(Predecessor(a.code, a.name, a.dissolved_on))
    wanted = set(codes)
    notes = [
        LineageNote(
            agency=a.code,
            agency_name=a.name,
            predecessors=tuple(sorted(merged.get(a.code, []), key=lambda p: p.code)),
            former_name=a.former_name if a.renamed_on else None,
            renamed_on=a.renamed_on if a.former_name else None,
        )
        for a in agencies
        if a.code in wanted and (a.code in merged or (a.former_name and a.renamed_on))
    ]
    return tuple(sorted(notes, key=lambda n: n.agency))


def note_vi(note: LineageNote) -> str:
    """One note as a sentence, dates dd/mm/yyyy."""
    text = f"{note.agency_name} (mã {note.agency})"
    if note.former_name and note.renamed_on:
        text += f", trước ngày {note.renamed_on:%d/%m/%Y} là {note.former_name}"
        text += "," if note.predecessors else ""
    ordered = sorted(note.predecessors, key=lambda p: p.dissolved_on)
    by_day = groupby(ordered, lambda p: p.dissolved_on)
    parts = [
        f"{_joined(f'{p.name} (mã {p.code})' for p in group)} từ ngày {day:%d/%m/%Y}"
        for day, group in by_day
    ]
    if parts:
        text += " kế thừa nhiệm vụ của " + "; ".join(parts)
    return text + "."


def _joined(names: Iterable[str]) -> str:
    """'A', 'A và B', 'A, B và C'."""
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]
