"""The directive spec: the YAML a coordinator writes (or reviews) to register a directive.

The models here are the contract; `load_spec_file` (in `config/spec_loader.py`) turns a file
into a validated `DirectiveSpec` or raises `SpecError` naming file, line and field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

Recurrence = Literal["once", "monthly", "quarterly", "half-yearly", "yearly"]

PERIOD_PATTERNS: dict[str, str] = {
    "once": r"once",
    "monthly": r"\d{4}-(0[1-9]|1[0-2])",
    "quarterly": r"\d{4}-Q[1-4]",
    "half-yearly": r"\d{4}-H[12]",
    "yearly": r"\d{4}",
}
MONTHS_IN_PERIOD = {"quarterly": 3, "half-yearly": 6, "yearly": 12}
ObligationKind = Literal["plan", "inspection", "report"]
DECREE_09 = "decree-09"  # the cut-off shorthand: Decree 09/2019/NĐ-CP, Art. 12
UNREAD_DEADLINE = "UNREAD"  # what an imported draft writes for a deadline it could not read

# What the engine computes with: every date and day count of a spec stays well inside Python's
# date range (year 1-9999) even after reminders, shifts and "năm sau" are applied, so no valid
# spec can make a sweep overflow. A real spec is far inside these bounds.
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_DAYS = 366  # reminders before, first overdue notice, overdue repeat: at most a year
MAX_ESCALATE_DAYS = 3660  # leaders copied from this many days overdue: at most ten years
MAX_REMINDERS = 30
MAX_OBLIGATIONS = 200
MAX_ADDRESSEES = 200  # entries of addressees (or exclude): groups or agency codes
SpecDate = Annotated[dt.date, Field(ge=dt.date(FIRST_YEAR, 1, 1), le=dt.date(LAST_YEAR, 12, 31))]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentSpec(_Strict):
    number: str = Field(min_length=3, description="Số, ký hiệu, e.g. 24/CT-TTg")
    doc_type: str = Field(description="Type code (CT, QĐ, ...) or 'CV' for a công văn")
    issuer: str
    issued_on: SpecDate
    subject: str
    unit: str | None = Field(default=None, description="Drafting unit, e.g. Cục PTĐT")
    implements: str | None = Field(default=None, description="Number of the directive it applies")
    source_file: str | None = Field(default=None, description="Text it came from, relative to spec")


class DeadlineSpec(_Strict):
    """Where the deadline of one period falls; see docs/spec-format.md."""

    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    date: SpecDate | None = None
    inclusive: bool = Field(
        description="false: 'trước ngày D' (last day D-1); true: 'chậm nhất ngày D'"
    )
    year_offset: int = Field(default=0, ge=0, le=1, description="1 for '... năm sau'")
    shift_to_working_day: bool = True
    chosen_by: Literal["document", "coordinator"] = "document"


class CutoffSpec(_Strict):
    """The last day of data a period's report covers (Decree 09/2019/NĐ-CP, Art. 12), placed
    like the deadline: ``month`` within the period (absent for monthly), ``day`` of that month.
    The data of a period run from the day after the previous period's cut-off to this day."""

    month: int | None = Field(default=None, ge=1, le=12)
    day: int = Field(ge=1, le=31)


class ReminderSpec(_Strict):
    before_days: tuple[Annotated[int, Field(ge=0, le=MAX_DAYS)], ...] = Field(
        default=(30, 14, 7, 3, 1), max_length=MAX_REMINDERS
    )
    overdue_first_day: int = Field(default=1, ge=1, le=MAX_DAYS)
    overdue_every_days: int = Field(default=7, ge=1, le=MAX_DAYS)
    escalate_after_days: int = Field(default=7, ge=1, le=MAX_ESCALATE_DAYS)

    @field_validator("before_days")
    @classmethod
    def _unique_days(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        twice = sorted({n for n in days if days.count(n) > 1})
        if twice:
            raise ValueError(f"each day once: {', '.join(map(str, twice))} given twice")
        return days


class ObligationSpec(_Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: ObligationKind
    title: str
    phrase: str = Field(description="The original Vietnamese words the rule came from")
    recurrence: Recurrence
    deadline: DeadlineSpec | None = Field(
        default=None, description="null: the document sets no date; tracked without reminders"
    )
    first_period: str | None = Field(default=None, description="First period tracked, e.g. 2017")
    cutoff: CutoffSpec | Literal["decree-09"] | None = Field(
        default=None, description="Data cut-off: {month, day} or decree-09 (the Art. 12 default)"
    )
    reminders: ReminderSpec = ReminderSpec()
    note: str | None = None
    addressees: tuple[str, ...] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_ADDRESSEES,
        description="Who must act on this obligation: groups or codes, each within the "
        "directive's addressees; absent: all of them",
    )

    @field_validator("deadline", mode="before")
    @classmethod
    def _deadline_written(cls, value: object) -> object:
        # A draft writes UNREAD_DEADLINE where the text states a date it could not read.
        if isinstance(value, str):
            raise ValueError(
                "the text states a deadline that was not read: write it as {date: YYYY-MM-DD, "
                "inclusive: ...} or {month: M, day: D, inclusive: ...}, or null if the "
                "document truly sets none"
            )
        return value

    @field_validator("cutoff", mode="wrap")
    @classmethod
    def _cutoff_shape(cls, value: object, handler: ValidatorFunctionWrapHandler) -> object:
        # One branch at a time, so an error names the field, not each member of the union.
        if isinstance(value, dict):
            return CutoffSpec.model_validate(value)
        if value is not None and value != DECREE_09:
            raise ValueError(f"write {{month: M, day: D}} or {DECREE_09}")
        return handler(value)

    @model_validator(mode="after")
    def _cutoff_fits_recurrence(self) -> ObligationSpec:
        c = self.cutoff
        if c is None:
            return self
        if self.recurrence == "once":
            raise ValueError("cutoff: a data cut-off needs a recurring obligation")
        if not isinstance(c, CutoffSpec):
            return self
        limit = MONTHS_IN_PERIOD.get(self.recurrence)
        if limit is None and c.month is not None:
            raise ValueError("cutoff.month is not used for a monthly obligation: give the day")
        if limit is not None and (c.month is None or c.month > limit):
            raise ValueError(
                f"cutoff.month is the month within the period: 1 to {limit} for a "
                f"{self.recurrence} obligation"
            )
        return self

    @field_validator("first_period")
    @classmethod
    def _first_period_fits_recurrence(cls, value: str | None, info: ValidationInfo) -> str | None:
        recurrence = info.data.get("recurrence")
        if value is None or recurrence is None:  # a bad recurrence is reported on its own
            return value
        if not re.fullmatch(PERIOD_PATTERNS[recurrence], value):
            raise ValueError(f"not a {recurrence} period (e.g. 2026, 2026-H1, 2026-Q3, 2026-05)")
        if recurrence != "once" and not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
            raise ValueError(f"the year must be from {FIRST_YEAR} to {LAST_YEAR}")
        return value

    @model_validator(mode="after")
    def _deadline_fits_recurrence(self) -> ObligationSpec:
        d = self.deadline
        if d is None:
            return self
        limit = MONTHS_IN_PERIOD.get(self.recurrence)
        if limit is not None and d.month is not None and d.month > limit:
            raise ValueError(
                f"deadline.month {d.month} is the month within the period: at most {limit} "
                f"for a {self.recurrence} obligation"
            )
        if self.recurrence == "once":
            if d.date is None:
                raise ValueError("deadline.date is required for a 'once' obligation")
        elif d.day is None:
            raise ValueError("deadline.day is required for a recurring obligation")
        elif self.recurrence != "monthly" and d.month is None:
            raise ValueError(f"deadline.month is required for a '{self.recurrence}' obligation")
        return self


class DirectiveSpec(_Strict):
    directive: DocumentSpec
    dispatch: DocumentSpec | None = None
    report_to: str | None = Field(default=None, description="Where agencies send their reports")
    addressees: tuple[str, ...] = Field(
        min_length=1, max_length=MAX_ADDRESSEES, description="Agency groups or codes"
    )
    exclude: tuple[str, ...] = Field(default=(), max_length=MAX_ADDRESSEES)
    obligations: tuple[ObligationSpec, ...] = Field(min_length=1, max_length=MAX_OBLIGATIONS)

    @model_validator(mode="after")
    def _unique_obligation_codes(self) -> DirectiveSpec:
        codes = [o.code for o in self.obligations]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"duplicate obligation code(s): {', '.join(duplicates)}")
        return self
