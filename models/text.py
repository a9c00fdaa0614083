"""Text hygiene for everything a user or a file hands in: no control characters.

PostgreSQL cannot store NUL in text, and the other C0/C1 controls (and DEL) have no place in a
name, a code, a target or a document number: they come from broken exports or from someone
probing. Notes and reasons may span lines, so they keep tab, line feed and carriage return.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

ALLOWED_IN_NOTES = frozenset("\t\n\r")


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F


def control_problem(value: str, *, multiline: bool = False) -> str | None:
    """What is wrong with ``value`` (its first control character and where), or None."""
    for position, char in enumerate(value, start=1):
        if _is_control(char) and not (multiline and char in ALLOWED_IN_NOTES):
            allowed = " (only tabs and line breaks are allowed)" if multiline else ""
            where = f"at position {position}{allowed}"
            return f"contains the control character U+{ord(char):04X} {where}"
    return None


def clean_line(value: str) -> str:
    """A pydantic validator: one line of text, no control character at all."""
    problem = control_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def clean_note(value: str) -> str:
    """A pydantic validator: free text that may span lines."""
    problem = control_problem(value, multiline=True)
    if problem:
        raise ValueError(problem)
    return value


def first_problem(exc: ValidationError, labels: Mapping[str, str] | None = None) -> str:
    """One line for a pydantic error: the first field at fault (under its user-facing label,
    e.g. ``--document`` for ``document_number``) and what is wrong with it."""
    errors = exc.errors()
    first = errors[0]
    field = ".".join(str(part) for part in first["loc"])
    label = (labels or {}).get(field, field)
    message = str(first["msg"]).removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    if not label or message.startswith(label):
        return f"{message}{more}"
    return f"{label}: {message}{more}"
