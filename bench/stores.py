"""Built databases, cached between runs, and a fresh copy of one for every measurement.

SQLite: one file per shape under ``bench/.data/``, copied for each run. PostgreSQL: one template
database per shape (``bench_tpl_*``), cloned with ``CREATE DATABASE ... TEMPLATE`` for each run
(``bench_run_*``, dropped after). Every build starts from an empty schema made once per
migration head by dondoc's migrations, and is made under a temporary name and renamed when
complete, so an interrupted build is never mistaken for a cached one.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from bench.build import build
from bench.shape import Shape
from dondoc.db import alembic_config, get_engine, upgrade_database

DATA_DIR = Path(os.environ.get("DONDOC_BENCH_DATA", Path(__file__).parent / ".data"))
POSTGRES_URL = os.environ.get(
    "DONDOC_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def schema_head() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    return (head or "none").lower()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftover(name: str) -> bool:
    """A partial build or a run copy (``bench_partial_PID``, ``bench_run_PID_*``) of a
    benchmark process that no longer runs."""
    parts = name.split("_")
    return len(parts) >= 3 and parts[2].isdigit() and not _alive(int(parts[2]))


class SQLiteStore:
    name = "sqlite"

    def __init__(self, root: Path = DATA_DIR) -> None:
        self.root = root

    def _path(self, stem: str) -> Path:
        return self.root / f"{stem}_{schema_head()}.db"

    def ensure(self, shape: Shape) -> bool:
        path = self._path(shape.key)
        if path.exists():
            return False
        partial = self.root / f"bench_partial_{os.getpid()}.db"
        shutil.copyfile(self._schema(), partial)
        url = f"sqlite:///{partial}"
        build(url, shape)
        with get_engine(url).connect() as conn:  # one file is the whole database
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        get_engine(url).dispose()
        os.replace(partial, path)
        _remove_sqlite(partial)
        return True

    def _schema(self) -> Path:
        path = self._path("schema")
        if not path.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            partial = self.root / f"bench_partial_{os.getpid()}.db"
            upgrade_database(f"sqlite:///{partial}")
            get_engine(f"sqlite:///{partial}").dispose()
            os.replace(partial, path)
            _remove_sqlite(partial)
        return path

    @contextmanager
    def fresh_copy(self, shape: Shape) -> Iterator[str]:
        run = self.root / f"bench_run_{os.getpid()}_{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(self._path(shape.key), run)
        with run.open("rb+") as copied:  # written back now, not during the measurement
            os.fsync(copied.fileno())
        try:
            yield f"sqlite:///{run}"
        finally:
            _remove_sqlite(run)

    def prepare(self) -> None:
        for path in self.root.glob("bench_*.db") if self.root.exists() else []:
            if _leftover(path.stem):
                _remove_sqlite(path)

    def clean(self) -> int:
        found = list(self.root.glob("*.db")) if self.root.exists() else []
        for path in found:
            _remove_sqlite(path)
        return len(found)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgresStore:
    name = "postgresql"

    def __init__(self, admin_url: str = POSTGRES_URL) -> None:
        self.base = admin_url.rsplit("/", 1)[0]
        self.admin = create_engine(
            admin_url.replace("postgresql://", "postgresql+psycopg://", 1),
            isolation_level="AUTOCOMMIT",
        )

    def _exists(self, name: str) -> bool:
        return name in self._databases(name)

    def _databases(self, prefix: str) -> list[str]:
        with self.admin.connect() as conn:
            found = conn.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": f"{prefix}%"}
            )
            return [str(row[0]) for row in found]

    def ensure(self, shape: Shape) -> bool:
        template = f"bench_tpl_{shape.key}_{schema_head()}"
        if self._exists(template):
            return False
        partial = self._clone(self._schema())
        url = f"{self.base}/{partial}"
        build(url, shape)
        engine = get_engine(url)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum does after a bulk load
        engine.dispose()
        self._publish(partial, template)
        return True

    def _schema(self) -> str:
        template = f"bench_schema_{schema_head()}"
        if not self._exists(template):
            partial = self._clone(None)
            upgrade_database(f"{self.base}/{partial}")
            get_engine(f"{self.base}/{partial}").dispose()
            self._publish(partial, template)
        return template

    def _clone(self, template: str | None) -> str:
        name = f"bench_partial_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        source = f' TEMPLATE "{template}"' if template else ""
        self._sql(f'CREATE DATABASE "{name}"{source}')
        return name

    def _publish(self, partial: str, name: str) -> None:
        if self._exists(name):  # another run built it meanwhile
            self._sql(f'DROP DATABASE "{partial}" WITH (FORCE)')
        else:
            self._sql(f'ALTER DATABASE "{partial}" RENAME TO "{name}"')

    @contextmanager
    def fresh_copy(self, shape: Shape) -> Iterator[str]:
        run = f"bench_run_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        template = f"bench_tpl_{shape.key}_{schema_head()}"
        # FILE_COPY (checkpointed, fsynced) rather than 15's default of copying through the WAL,
        # which would leave the server writing gigabytes back during the measurement.
        self._sql(f'CREATE DATABASE "{run}" TEMPLATE "{template}"{self._file_copy()}')
        try:
            yield f"{self.base}/{run}"
        finally:
            self._sql(f'DROP DATABASE IF EXISTS "{run}" WITH (FORCE)')

    def _file_copy(self) -> str:
        with self.admin.connect() as conn:
            version = int(conn.exec_driver_sql("SHOW server_version_num").scalar_one())
        return " STRATEGY = FILE_COPY" if version >= 150000 else ""

    def prepare(self) -> None:
        """Fails when the server is unreachable; drops what dead benchmark runs left."""
        leftovers = [n for n in self._databases("bench_") if _leftover(n)]
        self._sql(*(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in leftovers))

    def clean(self) -> int:
        found = self._databases("bench_")
        self._sql(*(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in found))
        return len(found)

    def _sql(self, *statements: str) -> None:
        with self.admin.connect() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)


def store_for(backend: str) -> SQLiteStore | PostgresStore:
    if backend == "sqlite":
        return SQLiteStore()
    if backend == "postgresql":
        return PostgresStore()
    raise ValueError(f"unknown backend {backend!r} (sqlite, postgresql)")
