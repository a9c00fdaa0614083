"""What is owed: obligations, the agencies they bind, tasks per period, and submissions."""

from __future__ import annotations

import datetime as dt

from pydantic import field_validator
from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from dondoc.models.base import DEFERRED, UTCDateTime, utcnow
from dondoc.models.text import clean_line, clean_note


class ObligationBase(SQLModel):
    model_config = DEFERRED  # validators built on first use, not at import
    code: str = Field(max_length=64)
    kind: str = Field(max_length=16, description="plan, inspection or report")
    title: str = Field(sa_type=Text)
    phrase: str = Field(sa_type=Text, description="The original Vietnamese wording")
    recurrence: str = Field(max_length=16)
    first_period: str | None = Field(default=None, max_length=16)
    report_to: str | None = Field(default=None, sa_type=Text)
    note: str | None = Field(default=None, sa_type=Text)


class Obligation(ObligationBase, table=True):
    __table_args__ = (UniqueConstraint("directive_id", "code", name="uq_obligation_code"),)
    id: int | None = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="document.id", index=True)
    dispatch_id: int | None = Field(default=None, foreign_key="document.id")
    # The deadline rule (see config/spec.py DeadlineSpec); all null when no date is set.
    has_deadline: bool = False
    deadline_month: int | None = None
    deadline_day: int | None = None
    deadline_date: dt.date | None = None
    deadline_inclusive: bool = False
    deadline_year_offset: int = 0
    deadline_shift: bool = True
    deadline_chosen_by: str = Field(default="document", max_length=16)
    # The last period whose tasks a daily sweep has made for every assigned agency: the sweep
    # checks only later periods. A load (which may change assignments) re-checks them all.
    tasks_made_through: str | None = Field(default=None, max_length=16)
    # The reminder policy, stored so a sweep needs no spec file.
    before_days: str = Field(default="30,14,7,3,1", max_length=64)
    overdue_first_day: int = 1
    overdue_every_days: int = 7
    escalate_after_days: int = 7
    # The data cut-off (Decree 09/2019/NĐ-CP): the last day of data a period's report covers,
    # placed like the deadline (month within the period, day); null when none is set.
    cutoff_month: int | None = None
    cutoff_day: int | None = None
    active: bool = True


class Assignment(SQLModel, table=True):
    """An agency bound by an obligation (the resolved addressees)."""

    model_config = DEFERRED  # validators built on first use, not at import

    obligation_id: int = Field(foreign_key="obligation.id", primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", primary_key=True)


class TaskBase(SQLModel):
    model_config = DEFERRED  # validators built on first use, not at import
    period: str = Field(max_length=16)
    due_day: dt.date | None = Field(default=None, description="Last acceptable day, local")
    due_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: str = Field(default="pending", max_length=16)


class Task(TaskBase, table=True):
    __table_args__ = (
        UniqueConstraint("obligation_id", "origin_agency_id", "period", name="uq_task_period"),
        Index("ix_task_next_stage_at", "next_stage_at"),
        Index("ix_task_status_due_at", "status", "due_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: uq_task_period leads with obligation_id and serves every lookup.
    obligation_id: int = Field(foreign_key="obligation.id")
    # The agency that holds the task now (is reminded, reports, shows on the board) ...
    agency_id: int = Field(foreign_key="agency.id", index=True)
    # ... and the one it was assigned to: they differ once a successor inherits an open task.
    origin_agency_id: int = Field(foreign_key="agency.id", index=True)
    remind_from_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When the next reminder stage falls due: the sweep reads only rows with this <= now.
    next_stage_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    waived_reason: str | None = Field(default=None, sa_type=Text)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SubmissionBase(SQLModel):
    model_config = DEFERRED  # validators built on first use, not at import
    document_number: str = Field(max_length=64, description="The agency's số, ký hiệu")
    document_date: dt.date | None = None
    received_on: dt.date
    file_ref: str | None = Field(default=None, max_length=1024)
    note: str | None = Field(default=None, sa_type=Text)
    recorded_by: str = Field(default="coordinator", max_length=255)


class Submission(SubmissionBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    recorded_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # A correction withdraws a submission instead of deleting it: the audit trail keeps both.
    withdrawn_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_reason: str | None = Field(default=None, sa_type=Text)


class SubmissionCreate(SubmissionBase):
    agency: str
    obligation: str
    period: str
    directive: str | None = None

    @field_validator(
        "agency", "obligation", "period", "directive", "document_number", "file_ref",
        "recorded_by",
    )  # fmt: skip
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        return None if value is None else clean_line(value)

    @field_validator("note")
    @classmethod
    def _free_text(cls, value: str | None) -> str | None:
        return None if value is None else clean_note(value)
