"""The outbox (one row per task, stage and recipient) and the append-only audit trail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from dondoc.models.base import DEFERRED, UTCDateTime, utcnow

# queued -> sending (claimed by a sweeper, leased) -> delivering (handed to the channel now)
# -> sent, queued again (retry), given_up; cancelled when the task closed before delivering.
NOTIFICATION_STATUSES = ("queued", "sending", "delivering", "sent", "given_up", "cancelled")


class Notification(SQLModel, table=True):
    model_config = DEFERRED  # validators built on first use, not at import
    __table_args__ = (
        UniqueConstraint("task_id", "stage", "contact_id", name="uq_notification_once"),
        Index("ix_notification_status_next", "status", "next_attempt_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: uq_notification_once leads with task_id and serves every lookup.
    task_id: int = Field(foreign_key="task.id")
    stage: str = Field(max_length=32)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    status: str = Field(default="queued", max_length=16)
    attempts: int = 0
    queued_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    next_attempt_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # A claim is a lease: a worker that dies leaves it to expire and be taken over.
    claim_token: str | None = Field(default=None, max_length=64)
    claimed_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    message_ref: str | None = Field(default=None, max_length=255)


class Event(SQLModel, table=True):
    model_config = DEFERRED  # validators built on first use, not at import
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    kind: str = Field(max_length=32, description="status, submission, withdrawal, sent, ...")
    task_id: int | None = Field(default=None, foreign_key="task.id", index=True)
    agency_id: int | None = Field(default=None, foreign_key="agency.id")
    old_status: str | None = Field(default=None, max_length=16)
    new_status: str | None = Field(default=None, max_length=16)
    actor: str = Field(default="dondoc", max_length=255)
    detail: str | None = Field(default=None, sa_type=Text)
