"""Engine, sessions and migrations. Every change runs in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import CursorResult, Engine, Result, make_url
from sqlmodel import Session, create_engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# Without it SQLAlchemy 2.1 reports -1 for an INSERT ... SELECT on PostgreSQL, so counts of
# tasks made (sweep summaries, `dondoc init`) would be wrong there.
_COUNTED = {"preserve_rowcount": True}


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, execution_options=_COUNTED)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(False))
    return create_engine(url, pool_pre_ping=True, execution_options=_COUNTED)


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


def rows_affected(result: Result[*tuple[Any, ...]]) -> int:
    """Rows an UPDATE/INSERT/DELETE touched (0 when the driver cannot tell).

    ``Session.execute`` is typed as returning a plain ``Result``; for DML statements it is a
    ``CursorResult``, the class that carries ``rowcount``.
    """
    return max(0, int(cast(CursorResult[*tuple[Any, ...]], result).rowcount or 0))


def alembic_config(url: str) -> Config:
    script_location = str(files("dondoc.migrations"))
    cfg = Config()
    cfg.set_main_option("script_location", script_location)
    # ConfigParser interpolation would choke on '%' in passwords.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_database(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)
