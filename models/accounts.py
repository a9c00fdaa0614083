"""Who may use the web board: coordinators (may record) and viewers (read only)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from dondoc.models.base import DEFERRED, UTCDateTime, utcnow

ROLES = ("coordinator", "viewer")


class AppUser(SQLModel, table=True):
    model_config = DEFERRED  # validators built on first use, not at import
    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    # argon2id, PHC string ("$argon2id$v=19$..."): never the password itself.
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=16, description="coordinator or viewer")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # A disabled account cannot log in; it stays so the audit trail's names keep their meaning.
    disabled_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
