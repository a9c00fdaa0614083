"""SQLModel tables. Schema changes go through Alembic migrations only."""

from sqlmodel import SQLModel

from dondoc.models.accounts import ROLES, AppUser
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
from dondoc.models.drafts import DraftRecord
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

metadata = SQLModel.metadata

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
