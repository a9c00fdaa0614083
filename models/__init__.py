"""SQLModel tables. Schema changes go through Alembic migrations only.

The board's accounts and the registering drafts are imported on first use (`__getattr__`):
the quick commands never touch them, and each table class costs ~5 ms to build
(docs/performance.md, "Commands"). `metadata` is whole whenever it is asked for."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from sqlmodel import SQLModel

from dondoc.models.base import UTCDateTime, table_of, utcnow
from dondoc.models.directory import (
    Agency,
    AgencyBase,
    Contact,
    ContactBase,
    ContactCreate,
    Document,
    DocumentBase,
)
from dondoc.models.messaging import NOTIFICATION_STATUSES, Event, Notification
from dondoc.models.tracking import (
    Assignment,
    Obligation,
    ObligationBase,
    Submission,
    SubmissionBase,
    SubmissionCreate,
    Task,
    TaskBase,
)

if TYPE_CHECKING:
    from sqlalchemy import MetaData

    from dondoc.models.accounts import ROLES, AppUser
    from dondoc.models.drafts import DraftRecord

    metadata: MetaData

_ON_FIRST_USE = {"ROLES": "accounts", "AppUser": "accounts", "DraftRecord": "drafts"}


def __getattr__(name: str) -> object:
    if name == "metadata":
        for module in set(_ON_FIRST_USE.values()):
            importlib.import_module(f"dondoc.models.{module}")
        return SQLModel.metadata
    if name in _ON_FIRST_USE:
        return getattr(importlib.import_module(f"dondoc.models.{_ON_FIRST_USE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "NOTIFICATION_STATUSES",
    "ROLES",
    "Agency",
    "AgencyBase",
    "AppUser",
    "Assignment",
    "Contact",
    "ContactBase",
    "ContactCreate",
    "Document",
    "DocumentBase",
    "DraftRecord",
    "Event",
    "Notification",
    "Obligation",
    "ObligationBase",
    "Submission",
    "SubmissionBase",
    "SubmissionCreate",
    "Task",
    "TaskBase",
    "UTCDateTime",
    "metadata",
    "table_of",
    "utcnow",
]
