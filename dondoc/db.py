"""Engine, sessions and migrations. Every change runs in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import CursorResult, Engine, Result, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

from dondoc.errors import InputError

if TYPE_CHECKING:
    from alembic.config import Config

    from dondoc.config.settings import Settings

T = TypeVar("T")

# How long a SQLite writer waits for another one (DONDOC_SQLITE_BUSY_SECONDS) by default.
DEFAULT_BUSY_SECONDS = 60.0


def _sqlite_pragmas(busy_seconds: float) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        cursor.close()

    return on_connect


# Without it SQLAlchemy 2.1 reports -1 for an INSERT ... SELECT on PostgreSQL, so counts of
# tasks made (sweep summaries, `dondoc init`) would be wrong there.
_COUNTED = {"preserve_rowcount": True}


@lru_cache(maxsize=8)
def get_engine(url: str, busy_seconds: float = DEFAULT_BUSY_SECONDS) -> Engine:
    """``busy_seconds``: how long a SQLite write waits for another writer before it gives up
    with "database is locked" (bounded, so a command never hangs behind a long import)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": busy_seconds}, execution_options=_COUNTED
        )
        event.listen(engine, "connect", _sqlite_pragmas(busy_seconds))
        return engine
    if parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(False))
    return create_engine(url, pool_pre_ping=True, execution_options=_COUNTED)


def engine_for(settings: Settings) -> Engine:
    """The engine of the configured database, with the configured SQLite busy wait."""
    busy = settings.sqlite_busy_seconds
    if busy == DEFAULT_BUSY_SECONDS:  # the same cached engine as get_engine(url)
        return get_engine(settings.database_url)
    return get_engine(settings.database_url, busy)


def require_schema(url: str) -> None:
    """Refuse a database that `dondoc init` has not made, creating nothing (SQLite would create
    an empty file on connect, and the command would then fail on a missing table)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        ready = _sqlite_has_schema(parsed.database)
    else:
        ready = sa_inspect(get_engine(url)).has_table("alembic_version")
    if not ready:
        safe = parsed.render_as_string(hide_password=True)
        raise InputError(
            f"{safe}: no dondoc database there yet; run `dondoc init` first",
            field="database_url",
        )


def _sqlite_has_schema(database: str | None) -> bool:
    if not database or database == ":memory:" or database.startswith("file:"):
        return True  # nothing on disk to check; the command's own queries will tell
    if not Path(database).is_file():
        return False
    conn = sqlite3.connect(database)
    try:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
    finally:
        conn.close()
    return found is not None


def is_busy_error(exc: BaseException) -> bool:
    """SQLite gave up waiting for another writer (after the bounded busy timeout)."""
    from sqlalchemy.exc import OperationalError

    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed whole on success, rolled back whole on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back
# whole and may simply be run again.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
TRANSACTION_ATTEMPTS = 3


def is_retryable(error: BaseException) -> bool:
    """Whether ``error`` is a conflict PostgreSQL resolved by rolling this transaction back."""
    state = getattr(getattr(error, "orig", None), "sqlstate", None)
    return isinstance(error, DBAPIError) and state in RETRYABLE_SQLSTATES


def in_transaction(engine: Engine, work: Callable[[Session], T]) -> T:
    """``work`` in one transaction, run again (up to TRANSACTION_ATTEMPTS in all) when
    PostgreSQL rolled it back whole for a deadlock or a serialization failure. ``work`` must
    only read and write the database: running it again must repeat nothing else."""
    for attempt in range(1, TRANSACTION_ATTEMPTS + 1):
        try:
            with transaction(engine) as session:
                return work(session)
        except DBAPIError as error:
            if not is_retryable(error) or attempt == TRANSACTION_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def rows_affected(result: Result[*tuple[Any, ...]]) -> int:
    """Rows an UPDATE/INSERT/DELETE touched (0 when the driver cannot tell).

    ``Session.execute`` is typed as returning a plain ``Result``; for DML statements it is a
    ``CursorResult``, the class that carries ``rowcount``.
    """
    return max(0, int(cast(CursorResult[*tuple[Any, ...]], result).rowcount or 0))


# Alembic (with Mako and Pygments) is imported only by the commands that migrate or dump:
# quick read-only commands such as `dondoc status` never need it.
def alembic_config(url: str) -> Config:
    from alembic.config import Config

    script_location = str(files("dondoc.migrations"))
    cfg = Config()
    cfg.set_main_option("script_location", script_location)
    # ConfigParser interpolation would choke on '%' in passwords.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_database(url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(url), revision)
