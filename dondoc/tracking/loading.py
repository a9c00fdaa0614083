"""Load bundled or user-supplied configuration into the database (idempotent upserts)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlmodel import Session, col, delete, select

from dondoc.config.spec import DirectiveSpec, DocumentSpec, ObligationSpec
from dondoc.config.spec_loader import AgencyRecord, resolve_addressees
from dondoc.config.spec_scopes import obligation_agencies
from dondoc.engine.cutoff import cutoff_rule
from dondoc.models import Agency, Assignment, Document, Obligation


def upsert_agencies(*, session: Session, records: Sequence[AgencyRecord]) -> int:
    """Create or update agencies by code; returns how many were new."""
    existing = {a.code: a for a in session.exec(select(Agency)).all()}
    created = 0
    for record in records:
        agency = existing.get(record.code)
        if agency is None:
            agency = Agency(code=record.code, name=record.name, kind=record.kind)
            existing[record.code] = agency
            created += 1
        agency.name = record.name
        agency.short_name = record.short_name
        agency.kind = record.kind
        agency.groups = ",".join(record.groups)
        agency.dissolved_on = record.dissolved_on
        agency.former_name, agency.former_short_name = record.former_name, record.former_short_name
        agency.renamed_on = record.renamed_on
        session.add(agency)
    session.flush()
    for record in records:
        agency = existing[record.code]
        agency.parent_id = _id_of(existing, record.parent)
        agency.successor_id = _id_of(existing, record.successor)
    session.flush()
    return created


def _id_of(agencies: dict[str, Agency], code: str | None) -> int | None:
    found = agencies.get(code) if code else None
    return found.id if found else None


def _upsert_document(
    *, session: Session, spec: DocumentSpec, source_text: str | None, implements: Document | None
) -> Document:
    year = spec.issued_on.year
    doc = session.exec(
        select(Document).where(Document.number == spec.number, Document.year == year)
    ).first()
    if doc is None:
        doc = Document(
            number=spec.number,
            year=year,
            doc_type=spec.doc_type,
            issuer=spec.issuer,
            issued_on=spec.issued_on,
            subject=spec.subject,
        )
    doc.doc_type, doc.issuer, doc.unit = spec.doc_type, spec.issuer, spec.unit
    doc.issued_on, doc.subject = spec.issued_on, spec.subject
    doc.implements_id = implements.id if implements else None
    if source_text is not None:
        doc.source_text = source_text
    session.add(doc)
    session.flush()
    return doc


def _apply_obligation(obligation: Obligation, spec: ObligationSpec, report_to: str | None) -> None:
    obligation.kind, obligation.title, obligation.phrase = spec.kind, spec.title, spec.phrase
    obligation.recurrence, obligation.first_period = spec.recurrence, spec.first_period
    obligation.report_to, obligation.note = report_to, spec.note
    d = spec.deadline
    obligation.has_deadline = d is not None
    obligation.deadline_month = d.month if d else None
    obligation.deadline_day = d.day if d else None
    obligation.deadline_date = d.date if d else None
    obligation.deadline_inclusive = d.inclusive if d else False
    obligation.deadline_year_offset = d.year_offset if d else 0
    obligation.deadline_shift = d.shift_to_working_day if d else True
    obligation.deadline_chosen_by = d.chosen_by if d else "document"
    cut = cutoff_rule(spec.cutoff, spec.recurrence)
    obligation.cutoff_month = cut.month if cut else None
    obligation.cutoff_day = cut.day if cut else None
    r = spec.reminders
    obligation.before_days = ",".join(str(n) for n in r.before_days)
    obligation.overdue_first_day = r.overdue_first_day
    obligation.overdue_every_days = r.overdue_every_days
    obligation.escalate_after_days = r.escalate_after_days
    obligation.active = True


def _read_source(spec: DocumentSpec, spec_path: Path | None) -> str | None:
    if spec.source_file is None or spec_path is None:
        return None
    return (spec_path.parent / spec.source_file).read_text(encoding="utf-8")


def load_directive(
    *,
    session: Session,
    spec: DirectiveSpec,
    agencies: Sequence[AgencyRecord],
    spec_path: Path | None = None,
) -> list[Obligation]:
    """Upsert the directive, its dispatch, obligations and addressees. Tasks come from sweeps."""
    addressees = resolve_addressees(spec, agencies, source=spec_path)
    directive = _upsert_document(
        session=session,
        spec=spec.directive,
        source_text=_read_source(spec.directive, spec_path),
        implements=None,
    )
    dispatch = None
    if spec.dispatch is not None:
        dispatch = _upsert_document(
            session=session,
            spec=spec.dispatch,
            source_text=_read_source(spec.dispatch, spec_path),
            implements=directive,
        )
    # Each obligation binds its own addressees, else all the directive's; a reload replaces
    # the assignments as for a change of the directive's addressees.
    scopes = obligation_agencies(spec, agencies, addressees, source=spec_path)
    codes = [a.code for a in addressees]
    rows = session.exec(select(Agency.code, Agency.id).where(col(Agency.code).in_(codes))).all()
    ids = {code: agency_id for code, agency_id in rows}
    obligations = []
    for ob_spec, scope in zip(spec.obligations, scopes, strict=True):
        obligation = _obligation_for(session, directive.id, ob_spec.code)
        _apply_obligation(obligation, ob_spec, spec.report_to)
        obligation.dispatch_id = dispatch.id if dispatch else None
        session.add(obligation)
        session.flush()
        agency_ids = [i for a in scope if (i := ids.get(a.code)) is not None]
        _replace_assignments(session, obligation, agency_ids)
        obligations.append(obligation)
    return obligations


def _obligation_for(session: Session, directive_id: int | None, code: str) -> Obligation:
    assert directive_id is not None
    found = session.exec(
        select(Obligation).where(Obligation.directive_id == directive_id, Obligation.code == code)
    ).first()
    return found or Obligation(
        directive_id=directive_id, code=code, kind="", title="", phrase="", recurrence=""
    )


def _replace_assignments(session: Session, obligation: Obligation, agency_ids: list[int]) -> None:
    assert obligation.id is not None
    session.execute(delete(Assignment).where(col(Assignment.obligation_id) == obligation.id))
    session.add_all(Assignment(obligation_id=obligation.id, agency_id=i) for i in agency_ids)
    session.flush()
