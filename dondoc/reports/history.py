"""A task's audit trail (`dondoc history`): when it was assigned, every status change, transfer,
submission and message, each with the agency of the time, in local time."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlmodel import Session, col

from dondoc.engine.lineage import name_at, task_day
from dondoc.errors import NotFoundError
from dondoc.models import Agency, Document, Event, Obligation, Task
from dondoc.reports.board import STATUS_LABELS_VI
from dondoc.reports.directive_ref import DirectiveRef, directive_label
from dondoc.reports.directives import resolve_directive

KINDS_VI = {
    "assigned": "Giao nhiệm vụ",
    "status": "Chuyển trạng thái",
    "transferred": "Chuyển giao cho cơ quan kế thừa",
    "submission": "Ghi nhận báo cáo",
    "withdrawal": "Rút bản ghi báo cáo",
    "notification_sent": "Đã gửi thông báo",
    "notification_queued": "Gửi thông báo chưa thành công, sẽ gửi lại",
    "notification_given_up": "Ngừng gửi thông báo",
    "notification_cancelled": "Hủy thông báo",
}


@dataclass(frozen=True)
class Entry:
    at: str  # ISO-8601 UTC
    local_time: str  # dd/mm/yyyy HH:MM, local
    agency: str
    agency_name: str  # as the agency was named then
    kind: str
    kind_label: str
    old_status: str | None
    new_status: str | None
    actor: str
    detail: str | None


@dataclass(frozen=True)
class TaskHistory:
    agency: str  # the holder now
    agency_name: str
    origin_agency_code: str
    origin_agency: str
    directive: str
    obligation: str
    period: str
    due_date: str | None
    status: str
    entries: tuple[Entry, ...]
    directive_year: int | None = None  # numbers restart yearly: 24/CT-TTg of 2012 or 2016


def task_histories(
    session: Session,
    *,
    agency: str,
    tz: str,
    obligation: str | None = None,
    period: str | None = None,
    directive: DirectiveRef | str | None = None,
) -> list[TaskHistory]:
    """The tasks ``agency`` holds or was assigned, with their trails, oldest period first;
    ``directive`` ("24/CT-TTg/2016") narrows them to one directive."""
    found = session.execute(select(Agency).where(col(Agency.code) == agency)).scalar_one_or_none()
    if found is None:
        raise NotFoundError(f"unknown agency code {agency!r}", field="agency", value=agency)
    document = resolve_directive(session, directive)
    query = (
        select(Task, col(Obligation.code), col(Document.number), col(Document.year))
        .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
        .join(Document, col(Document.id) == col(Obligation.directive_id))
        .where(or_(col(Task.agency_id) == found.id, col(Task.origin_agency_id) == found.id))
        .order_by(
            col(Document.number),
            col(Document.year),
            col(Obligation.code),
            col(Task.period),
            col(Task.id),
        )
    )
    if document is not None:
        query = query.where(col(Document.id) == document.id)
    if obligation:
        query = query.where(col(Obligation.code) == obligation)
    if period:
        query = query.where(col(Task.period) == period)
    agencies = {a.id: a for a in session.execute(select(Agency)).scalars()}
    return [
        _history(session, task, ob, (number, year), agencies, tz)
        for task, ob, number, year in session.execute(query).tuples()
    ]


def _history(
    session: Session,
    task: Task,
    obligation: str,
    directive: tuple[str, int],
    agencies: dict[int | None, Agency],
    tz: str,
) -> TaskHistory:
    holder, origin = agencies[task.agency_id], agencies[task.origin_agency_id]
    events = session.execute(
        select(Event).where(col(Event.task_id) == task.id).order_by(col(Event.at), col(Event.id))
    ).scalars()
    assigned = Event(at=task.created_at, kind="assigned", agency_id=origin.id, actor="dondoc")
    entries = [_entry(e, agencies, tz) for e in (assigned, *events)]
    return TaskHistory(
        agency=holder.code,
        agency_name=holder.name,
        origin_agency_code=origin.code,
        origin_agency=name_at(origin, task_day(task.due_day, task.created_at.date())),
        directive=directive[0],
        directive_year=directive[1],
        obligation=obligation,
        period=task.period,
        due_date=f"{task.due_day:%d/%m/%Y}" if task.due_day else None,
        status=task.status,
        entries=tuple(entries),
    )


def _entry(event: Event, agencies: dict[int | None, Agency], tz: str) -> Entry:
    local = event.at.astimezone(ZoneInfo(tz))
    who = agencies.get(event.agency_id)
    return Entry(
        at=event.at.astimezone(dt.UTC).isoformat(),
        local_time=f"{local:%d/%m/%Y %H:%M}",
        agency=who.code if who else "",
        agency_name=name_at(who, local.date()) if who else "",
        kind=event.kind,
        kind_label=KINDS_VI.get(event.kind, event.kind),
        old_status=event.old_status,
        new_status=event.new_status,
        actor=event.actor,
        detail=event.detail,
    )


def render_history(histories: list[TaskHistory], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(h) for h in histories], ensure_ascii=False, indent=2) + "\n"
    if not histories:
        return "Không có nhiệm vụ nào phù hợp.\n"
    return "\n".join(_table(h) for h in histories)


def _table(h: TaskHistory) -> str:
    held = f"{h.agency} {h.agency_name}"
    if h.origin_agency_code != h.agency:
        held += f" (nhiệm vụ của {h.origin_agency_code} {h.origin_agency})"
    due = f", hạn {h.due_date}" if h.due_date else ""
    named = directive_label(h.directive, h.directive_year) if h.directive_year else h.directive
    lines = [
        f"{named} · {h.obligation} · kỳ {h.period}{due} · {STATUS_LABELS_VI[h.status]}",
        f"Cơ quan: {held}",
    ]
    for e in h.entries:
        change = _status_change(e)
        parts = [e.local_time, f"{e.agency} {e.agency_name}".strip(), e.kind_label, change]
        lines.append("  " + " | ".join(p for p in (*parts, e.detail or "") if p))
    return "\n".join(lines) + "\n"


def _status_change(e: Entry) -> str:
    if e.new_status is None or e.old_status == e.new_status:
        return ""
    old = STATUS_LABELS_VI.get(e.old_status or "", e.old_status or "")
    new = STATUS_LABELS_VI.get(e.new_status, e.new_status)
    return f"{old} → {new}" if old else new
