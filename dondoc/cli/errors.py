"""How the `dondoc` command turns an error into the one line a user reads (exit 2), and which
errors it leaves as tracebacks (bugs)."""

from __future__ import annotations

from dondoc.errors import DondocError

BUSY = (
    "the database is busy (another dondoc command is writing); nothing was recorded, try again "
    "(DONDOC_SQLITE_BUSY_SECONDS sets how long to wait)"
)
UNREACHABLE = "cannot reach the database named by DONDOC_DATABASE_URL"
PREFECT_UNREACHABLE = "cannot reach the Prefect server named by PREFECT_API_URL"


class PrefectUnreachable(Exception):
    """A command that would run as a tracked flow run found the Prefect server down
    (dondoc.flows.prefect_probe): one line and exit 2, as for a database it cannot reach."""

    def __init__(self, api_url: str, reason: str) -> None:
        super().__init__(
            f"{PREFECT_UNREACHABLE} ({_no_password(api_url)}): {reason}; nothing was done"
        )


def user_message(exc: BaseException) -> str | None:
    """The one-line message for an error caused by input, settings or the database's state;
    None for a bug, which keeps its traceback."""
    if isinstance(exc, DondocError | PrefectUnreachable):
        return str(exc)
    if isinstance(exc, ValueError | OSError):  # spec/CSV/settings validation, unreadable files
        return _one_line(exc)
    from sqlalchemy.exc import OperationalError

    from dondoc.db import is_busy_error

    if is_busy_error(exc):
        return BUSY
    if isinstance(exc, OperationalError) and _is_connection_error(exc):
        return f"{UNREACHABLE}: {_first_line(exc.orig)}"
    return None


def _is_connection_error(exc: BaseException) -> bool:
    """The server is down, refuses us, or the database does not exist (psycopg raises these
    before any statement runs; the message names host and port, never the password)."""
    orig = getattr(exc, "orig", None)
    text = str(orig).lower()
    return "connection" in text and ("failed" in text or "refused" in text)


def _first_line(orig: object) -> str:
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def _one_line(exc: Exception) -> str:
    """A settings error names the variable (DONDOC_TIMEZONE), not pydantic's model dump."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return str(exc)
    from dondoc.config.settings import Settings
    from dondoc.models.text import first_problem

    names = {name: f"DONDOC_{name.upper()}" for name in Settings.model_fields}
    return first_problem(exc, names if exc.title == "Settings" else None)


def _no_password(url: str) -> str:
    """The URL as a user may read it: a password in it (``user:secret@``) is masked."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{parts.username}:***@{host}").geturl()
