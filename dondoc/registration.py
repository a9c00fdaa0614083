"""Registering a directive from its text on the board (*Đăng ký văn bản*) and from the
import-dispatch flow: drafts kept between "Lưu nháp" and "Đăng ký", and the registration
itself through `service.register_directive` (one transaction with the draft's mark)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, select, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from dondoc.config.settings import Settings
from dondoc.context import RunContext
from dondoc.db import engine_for, rows_affected, transaction
from dondoc.errors import InputError
from dondoc.models import Agency, Document, DraftRecord, Obligation, Task
from dondoc.reading.draft import DispatchDraft
from dondoc.reading.draft_form import draft_content, review_points
from dondoc.reading.importing import draft_from_text
from dondoc.service import LoadResult, register_directive

if TYPE_CHECKING:
    from dondoc.config.spec import DirectiveSpec

LIST_LIMIT = 50


@dataclass(frozen=True)
class TaskMade:
    agency_code: str
    agency_name: str
    obligation_code: str
    obligation_title: str
    period: str
    due_day: dt.date | None
    remind_from: dt.datetime | None


@dataclass(frozen=True)
class Registered:
    result: LoadResult
    number: str
    year: int
    tasks: tuple[TaskMade, ...]


def read_draft(settings: Settings, text: str, source_name: str, now: dt.datetime) -> DispatchDraft:
    """The reader's draft of ``text``; `InputError` (naming ``source_name``) when it is not an
    official document."""
    return draft_from_text(text, source_name, settings, now)


def create_draft(
    settings: Settings,
    draft: DispatchDraft,
    *,
    source_name: str,
    source_text: str,
    actor: str,
    now: dt.datetime,
) -> int:
    """Keep the reader's draft as a draft row; its id."""
    content = draft_content(draft, source_name)
    record = DraftRecord(
        source_name=source_name[:255],
        source_text=source_text,
        content=json.dumps(content, ensure_ascii=False),
        review=json.dumps(review_points(draft), ensure_ascii=False),
        number=_number(content),
        subject=_subject(content),
        created_by=actor,
        created_at=now,
        updated_by=actor,
        updated_at=now,
    )
    with transaction(engine_for(settings)) as session:
        session.add(record)
        session.flush()
        assert record.id is not None
        return record.id


def keep_draft(
    settings: Settings,
    draft: DispatchDraft,
    *,
    source_name: str,
    source_text: str,
    actor: str,
    now: dt.datetime,
) -> int | None:
    """`create_draft` once the database is made (`dondoc init`); None before (the draft file
    of the import-dispatch flow does not need one)."""
    try:
        made = inspect(engine_for(settings)).has_table(DraftRecord.__tablename__)
    except OperationalError:
        return None
    if not made:
        return None
    return create_draft(
        settings, draft, source_name=source_name, source_text=source_text, actor=actor, now=now
    )


def get_draft(settings: Settings, draft_id: int) -> DraftRecord | None:
    with transaction(engine_for(settings)) as session:
        return session.get(DraftRecord, draft_id)


def list_drafts(settings: Settings) -> list[DraftRecord]:
    """The latest drafts, the most recently saved first."""
    query = select(DraftRecord).order_by(col(DraftRecord.updated_at).desc()).limit(LIST_LIMIT)
    with transaction(engine_for(settings)) as session:
        return list(session.execute(query).scalars())


def save_draft(
    settings: Settings,
    draft_id: int,
    content: dict[str, Any],
    *,
    actor: str,
    now: dt.datetime,
    review: str | None = None,
) -> None:
    """Keep the edited form (and ``review``, the review points renumbered when an obligation
    was removed); a registered draft is not changed any more."""
    values: dict[str, Any] = {
        "content": json.dumps(content, ensure_ascii=False),
        "number": _number(content),
        "subject": _subject(content),
        "updated_by": actor,
        "updated_at": now,
    }
    if review is not None:
        values["review"] = review
    with transaction(engine_for(settings)) as session:
        _require_open(session, draft_id)
        session.execute(update(DraftRecord).where(col(DraftRecord.id) == draft_id).values(values))


def register_draft(
    settings: Settings,
    ctx: RunContext,
    draft_id: int,
    spec: DirectiveSpec,
    content: dict[str, Any],
    *,
    actor: str,
) -> Registered:
    """Load ``spec`` (the draft's checked form) and mark the draft registered, all or nothing.
    Refused in Vietnamese when the draft is already registered or a directive of the same
    number and year is already loaded."""
    record = get_draft(settings, draft_id)
    if record is None:
        raise InputError(f"Không có bản nháp số {draft_id}.", field="draft")
    number, year = spec.directive.number, spec.directive.issued_on.year

    def mark(session: Session) -> None:
        _require_open(session, draft_id)
        loaded = select(col(Document.id)).where(
            col(Document.number) == number, col(Document.year) == year
        )
        if session.execute(loaded).first() is not None:
            raise InputError(
                f"Văn bản số {number} năm {year} đã được đăng ký trước đó; không đăng ký lại.",
                field="directive.number",
            )
        values = {
            "content": json.dumps(content, ensure_ascii=False),
            "number": number,
            "subject": spec.directive.subject,
            "registered_by": actor,
            "registered_at": ctx.now,
            "updated_by": actor,
            "updated_at": ctx.now,
        }
        claimed = session.execute(
            update(DraftRecord)
            .where(col(DraftRecord.id) == draft_id, col(DraftRecord.registered_at).is_(None))
            .values(values)
        )
        if rows_affected(claimed) != 1:
            raise InputError(_ALREADY, field="draft")

    result = register_directive(
        settings,
        ctx,
        spec,
        source_text=record.source_text,
        actor=actor,
        within=mark,
    )
    return Registered(result, number, year, tasks_made(settings, number, year))


_ALREADY = "Bản nháp này đã được đăng ký; không đăng ký lại."


def _require_open(session: Session, draft_id: int) -> None:
    record = session.get(DraftRecord, draft_id)
    if record is None:
        raise InputError(f"Không có bản nháp số {draft_id}.", field="draft")
    if record.registered_at is not None:
        raise InputError(_ALREADY, field="draft")


def tasks_made(settings: Settings, number: str, year: int) -> tuple[TaskMade, ...]:
    """The tasks of directive ``number`` of ``year``, by due date, obligation and agency."""
    query = (
        select(
            col(Agency.code),
            col(Agency.name),
            col(Obligation.code),
            col(Obligation.title),
            col(Task.period),
            col(Task.due_day),
            col(Task.remind_from_at),
        )
        .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
        .join(Document, col(Document.id) == col(Obligation.directive_id))
        .join(Agency, col(Agency.id) == col(Task.origin_agency_id))
        .where(col(Document.number) == number, col(Document.year) == year)
        .order_by(
            col(Task.due_day).is_(None), col(Task.due_day), col(Obligation.id), col(Agency.code)
        )
    )
    with transaction(engine_for(settings)) as session:
        return tuple(TaskMade(*row) for row in session.execute(query).all())


def _number(content: dict[str, Any]) -> str | None:
    doc = content.get("dispatch") or content.get("directive") or {}
    value = doc.get("number") if isinstance(doc, dict) else None
    return str(value)[:64] if value else None


def _subject(content: dict[str, Any]) -> str | None:
    doc = content.get("dispatch") or content.get("directive") or {}
    value = doc.get("subject") if isinstance(doc, dict) else None
    return str(value) if value else None
