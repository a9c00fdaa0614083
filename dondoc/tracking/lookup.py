"""What a submission or a withdrawal names: the agency by its code, the obligation by its code
and, when two directives share a code (annual-report of 24/CT-TTg of 2012 and of 2016), its
directive ("24/CT-TTg/2016")."""

from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlmodel import Session, col

from dondoc.errors import InputError, NotFoundError
from dondoc.models import Agency, Document, Obligation
from dondoc.reports.directive_ref import directive_ref
from dondoc.reports.directives import resolve_directive
from dondoc.tracking.submission_bounds import check_line


def find_agency(session: Session, code: str) -> Agency:
    code = check_line(unicodedata.normalize("NFC", code.strip()), "--agency")
    agency: Agency | None = session.execute(
        select(Agency).where(col(Agency.code) == code)
    ).scalar_one_or_none()
    if agency is None:
        raise NotFoundError(f"unknown agency code {code!r}", field="agency", value=code)
    return agency


def find_obligation(session: Session, code: str, directive: str | None) -> Obligation:
    """The obligation ``code`` of ``directive`` ("24/CT-TTg/2016"; the number alone when only
    one year of it is loaded); without a directive, the one obligation of that code."""
    check_line(code, "--obligation")
    if directive:
        check_line(directive, "--directive")
    document = resolve_directive(session, directive)
    query = select(Obligation).where(col(Obligation.code) == code)
    if document is not None:
        query = query.where(col(Obligation.directive_id) == document.id)
    found: list[Obligation] = list(session.execute(query).scalars())
    if not found:
        where = ""
        if document is not None:
            where = f" for directive {directive_ref(document.number, document.year)!r}"
        raise NotFoundError(f"unknown obligation {code!r}{where}", field="obligation", value=code)
    if len(found) > 1:
        raise InputError(
            f"obligation {code!r} exists in several directives ({_owners(session, found)}):"
            " name one with --directive",
            field="directive",
            value=None,
        )
    return found[0]


def _owners(session: Session, obligations: list[Obligation]) -> str:
    """ "24/CT-TTg/2012, 24/CT-TTg/2016": the directives that assign an obligation code."""
    ids = [o.directive_id for o in obligations]
    found = session.execute(
        select(col(Document.number), col(Document.year)).where(col(Document.id).in_(ids))
    ).tuples()
    return ", ".join(sorted(directive_ref(number, year) for number, year in found))
