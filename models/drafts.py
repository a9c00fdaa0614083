"""Drafts of directives being registered on the board (*Đăng ký văn bản*): the text read, the
form as last saved, its review points, who saved it and whether it was registered."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from dondoc.models.base import DEFERRED, UTCDateTime, utcnow


class DraftRecord(SQLModel, table=True):
    __tablename__ = "dispatch_draft"
    model_config = DEFERRED  # validators built on first use, not at import
    id: int | None = Field(default=None, primary_key=True)
    source_name: str = Field(max_length=255, description="The file or 'văn bản dán vào'")
    source_text: str = Field(sa_type=Text)
    # The spec-shaped form (JSON): what the YAML draft of `dondoc import-dispatch` holds.
    content: str = Field(sa_type=Text)
    # The reader's review points (JSON list of {where, message, sentence}).
    review: str = Field(default="[]", sa_type=Text)
    number: str | None = Field(default=None, max_length=64)
    subject: str | None = Field(default=None, sa_type=Text)
    created_by: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by: str = Field(max_length=64)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    registered_by: str | None = Field(default=None, max_length=64)
    registered_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
