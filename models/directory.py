"""Who is who: documents, agencies and their contacts."""

from __future__ import annotations

import datetime as dt

from pydantic import field_validator
from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from dondoc.models.base import DEFERRED, UTCDateTime, utcnow
from dondoc.models.text import clean_line


class DocumentBase(SQLModel):
    model_config = DEFERRED  # validators built on first use, not at import
    number: str = Field(max_length=64, description="Số, ký hiệu, e.g. 351/BXD-PTĐT")
    year: int = Field(description="Numbers restart yearly: number + year identify a document")
    doc_type: str = Field(max_length=16)
    issuer: str = Field(max_length=255)
    unit: str | None = Field(default=None, max_length=255)
    issued_on: dt.date
    subject: str = Field(sa_type=Text)


class Document(DocumentBase, table=True):
    __table_args__ = (UniqueConstraint("number", "year", name="uq_document_number_year"),)
    id: int | None = Field(default=None, primary_key=True)
    implements_id: int | None = Field(default=None, foreign_key="document.id")
    source_text: str | None = Field(default=None, sa_type=Text)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AgencyBase(SQLModel):
    model_config = DEFERRED  # validators built on first use, not at import
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=255)
    short_name: str | None = Field(default=None, max_length=255)
    kind: str = Field(max_length=32)
    groups: str = Field(default="", max_length=255, description="Comma-separated group names")


class Agency(AgencyBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(default=None, foreign_key="agency.id")
    active: bool = True
    # Succession (e.g. the 2025 merger of provinces): from ``dissolved_on`` the agency no longer
    # exists; its open tasks pass to ``successor_id`` while its history stays with it.
    dissolved_on: dt.date | None = None
    successor_id: int | None = Field(default=None, foreign_key="agency.id")
    # A continuing agency renamed by the same reorganisation (15 Yên Bái became 15 Lào Cai):
    # its tasks due before ``renamed_on`` were the former agency's, shown under that name.
    former_name: str | None = Field(default=None, max_length=255)
    former_short_name: str | None = Field(default=None, max_length=255)
    renamed_on: dt.date | None = None


class ContactBase(SQLModel):
    model_config = DEFERRED  # validators built on first use, not at import
    channel: str = Field(max_length=16, description="email, zalo, zns or apprise")
    target: str = Field(max_length=1024)
    role: str = Field(default="focal", max_length=16, description="focal or leader")
    name: str | None = Field(default=None, max_length=255)


class Contact(ContactBase, table=True):
    __table_args__ = (
        UniqueConstraint("agency_id", "channel", "target", name="uq_contact_agency_target"),
    )
    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    active: bool = True
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Set when a channel says the recipient itself is wrong (unknown chat id, invalid phone):
    # nothing more is sent to it until the coordinator imports it again.
    flagged_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    flag_reason: str | None = Field(default=None, sa_type=Text)


class ContactCreate(ContactBase):
    agency: str = Field(description="Agency code")

    @field_validator("agency", "channel", "target", "role", "name")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        return None if value is None else clean_line(value)
