"""Errors a user can act on. The CLI prints them and exits non-zero; nothing is half-written."""

from __future__ import annotations


class DondocError(Exception):
    """Base for errors caused by input or state, not by a bug."""

    exit_code = 2

    def __init__(self, message: str, *, field: str | None = None, value: object = None) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


class InputError(DondocError):
    """Malformed input: a file, a CSV row, an argument."""


class NotFoundError(DondocError):
    """An unknown agency, obligation, directive or period."""


class ConflictError(DondocError):
    """The request contradicts what is stored (e.g. a duplicate submission)."""
