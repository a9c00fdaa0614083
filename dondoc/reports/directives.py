"""The directive a reference names (dondoc.reports.directive_ref), and the directives to choose
from: a number shared by two years is never settled silently, the choices are named instead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select
from sqlmodel import Session, col

from dondoc.errors import InputError, NotFoundError
from dondoc.models import Document, Obligation
from dondoc.reports.directive_ref import (
    DirectiveRef,
    directive_label,
    directive_ref,
    parse_directive,
)

__all__ = [
    "DirectiveChoice",
    "directive_choices",
    "find_directive",
    "resolve_directive",
]


@dataclass(frozen=True)
class DirectiveChoice:
    """A stored directive as a page or a form offers it."""

    id: int
    number: str
    year: int
    issued_on: dt.date
    doc_type: str
    ref: str  # "24/CT-TTg/2016": what a URL or --directive carries
    label: str  # "24/CT-TTg (2016)"


def _is_directive() -> ColumnElement[bool]:
    return col(Document.id).in_(select(col(Obligation.directive_id)))


def directive_choices(session: Session) -> list[DirectiveChoice]:
    """Every directive (a document that assigns obligations), by number then year."""
    found = session.execute(
        select(Document).where(_is_directive()).order_by(col(Document.number), col(Document.year))
    ).scalars()
    return [_choice(d) for d in found]


def _choice(d: Document) -> DirectiveChoice:
    return DirectiveChoice(
        id=d.id or 0,
        number=d.number,
        year=d.year,
        issued_on=d.issued_on,
        doc_type=d.doc_type,
        ref=directive_ref(d.number, d.year),
        label=directive_label(d.number, d.year),
    )


def find_directive(
    session: Session, ref: DirectiveRef | str, *, option: str = "--directive"
) -> Document:
    """The one directive ``ref`` names. Unknown: NotFoundError naming the years stored under
    that number; a number of several years without one: InputError naming each choice."""
    if isinstance(ref, str):
        parsed = parse_directive(ref, option=option)
        if parsed is None:
            raise InputError(f"{option} must not be empty", field="directive", value=ref)
        ref = parsed
    matches = [
        and_(col(Document.number) == number, *([col(Document.year) == year] if year else []))
        for number, year in ref.candidates()
    ]
    query = select(Document).where(or_(*matches), _is_directive()).order_by(col(Document.year))
    found = list(session.execute(query).scalars())
    if len(found) == 1:
        only: Document = found[0]
        return only
    if found:
        choices = ", ".join(directive_ref(d.number, d.year) for d in found)
        raise InputError(
            f"{option} {ref.text!r} names several directives: {choices}; add the year"
            f" ({directive_ref(found[-1].number, found[-1].year)})",
            field="directive",
            value=ref.text,
        )
    raise NotFoundError(_unknown(session, ref, option), field="directive", value=str(ref))


def _unknown(session: Session, ref: DirectiveRef, option: str) -> str:
    numbers = {number for number, _ in ref.candidates()}
    others = session.execute(
        select(Document).where(col(Document.number).in_(numbers), _is_directive())
    ).scalars()
    known = ", ".join(sorted(directive_ref(d.number, d.year) for d in others))
    return f"unknown directive {str(ref)!r} ({option})" + (f"; known: {known}" if known else "")


def resolve_directive(
    session: Session, ref: DirectiveRef | str | None, *, option: str = "--directive"
) -> Document | None:
    """find_directive, or None when no directive is named."""
    if ref is None or (isinstance(ref, str) and not ref.strip()):
        return None
    return find_directive(session, ref, option=option)
