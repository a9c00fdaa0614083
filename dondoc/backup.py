"""Portable backups: one JSON document (gzip when the name ends with ``.gz``) that moves a
dondoc database between SQLite and PostgreSQL.

The dump holds a format marker and version, the Alembic revision of the source database and
every table of ``dondoc.models.metadata`` in dependency order, each with its column names and
its rows as lists (ordered by primary key). Instants are ISO-8601 with their UTC offset, dates
ISO, booleans JSON booleans.

Import checks the whole file before touching the database, requires an empty database at the
dump's Alembic revision (a database with no schema yet is first upgraded to that revision),
and inserts every row in one transaction, keeping primary keys. On PostgreSQL each id sequence
is then moved past the largest id so new rows do not collide.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Boolean, Column, Date, DateTime, Integer, String, Table, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import TypeDecorator

from dondoc.config.settings import Settings
from dondoc.db import alembic_config, engine_for, upgrade_database
from dondoc.dump_checks import integer_problem, key_problem, strict_json, text_problem
from dondoc.errors import ConflictError, InputError
from dondoc.models import metadata

FORMAT = "dondoc-dump"
FORMAT_VERSION = 1
BATCH_SIZE = 500


# --- values ------------------------------------------------------------------------------


def _base_type(column: Column[Any]) -> Any:
    col_type = column.type
    return col_type.impl if isinstance(col_type, TypeDecorator) else col_type


def _to_json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} in the database")
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot export a {type(value).__name__} value")


def _from_json(column: Column[Any], value: Any) -> Any:
    """The Python value for ``column`` from its JSON form; ValueError says what is wrong."""
    if value is None:
        if not column.nullable:
            raise ValueError("null in a NOT NULL column")
        return None
    base = _base_type(column)
    if isinstance(base, DateTime):
        if not isinstance(value, str):
            raise ValueError(f"expected an ISO-8601 instant, got {value!r}")
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError(f"instant {value!r} has no UTC offset")
        try:
            return parsed.astimezone(dt.UTC)
        except OverflowError:
            raise ValueError(f"instant {value!r} is out of range") from None
    if isinstance(base, Date):
        if not isinstance(value, str):
            raise ValueError(f"expected an ISO date, got {value!r}")
        return dt.date.fromisoformat(value)
    if isinstance(base, Boolean):
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if isinstance(base, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer, got {value!r}")
        problem = integer_problem(base, value)
    elif isinstance(base, String):
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {value!r}")
        if base.length is not None and len(value) > base.length:
            raise ValueError(f"longer than {base.length} characters")
        problem = text_problem(column, base, value)
    else:
        raise ValueError(f"unsupported column type {column.type!r}")
    if problem:
        raise ValueError(problem)
    return value


# --- the database side ---------------------------------------------------------------------


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _order(table: Table) -> list[Column[Any]]:
    return list(table.primary_key.columns) or list(table.columns)


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see one consistent state of the database."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn
            return
        # pysqlite only opens a transaction before a write: open one for the reads.
        conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def export_database(settings: Settings, out: Path) -> dict[str, int]:
    """Write the whole database to ``out``; returns the row count of each table."""
    engine = _engine(settings)
    revision = current_revision(engine)
    if revision is None:
        raise InputError(
            f"{_safe(settings.database_url)}: no dondoc schema to export (run `dondoc init`)",
            field="database_url",
        )
    tables: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    with _snapshot(engine) as conn:
        for table in metadata.sorted_tables:
            names = [c.name for c in table.columns]
            rows = [
                [_to_json(v) for v in row]
                for row in conn.execute(select(*table.columns).order_by(*_order(table)))
            ]
            tables.append({"name": table.name, "columns": names, "rows": rows})
            counts[table.name] = len(rows)
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "alembic_revision": revision,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "source_dialect": engine.dialect.name,
        "tables": tables,
    }
    _write(out, document)
    return counts


def _write(out: Path, document: dict[str, Any]) -> None:
    """Write all or nothing, private (0600: the dump holds every contact), never into a special
    file or through a link (dondoc.output_files): a half-written dump never replaces a good one."""
    from dondoc.output_files import PRIVATE, write_output

    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if out.name.endswith(".gz"):
        data = gzip.compress(data)
    write_output(out, data, option="", mode=PRIVATE)


# --- reading and checking a dump -----------------------------------------------------------


def _read(src: Path) -> Any:
    if not src.is_file():
        raise InputError(f"{src}: no such file", field="file")
    try:
        raw = src.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return strict_json(raw.decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        problem = f"not a dondoc dump (unreadable JSON: {exc})"
        raise InputError(f"{src}: {problem}", field="file") from exc


def _parse(src: Path, document: Any) -> tuple[str, dict[str, list[dict[str, Any]]]]:
    """The dump's revision and each table's rows as column→value dicts, fully checked."""

    def bad(problem: str) -> InputError:
        return InputError(f"{src}: {problem}", field="file")

    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise bad(f'not a dondoc dump (no "format": "{FORMAT}")')
    version = document.get("version")
    if version != FORMAT_VERSION:
        raise bad(f"format version {version!r} is not supported (expected {FORMAT_VERSION})")
    revision = document.get("alembic_revision")
    if not isinstance(revision, str) or not revision:
        raise bad("no alembic_revision")
    entries = document.get("tables")
    if not isinstance(entries, list):
        raise bad('"tables" is not a list')
    known = {t.name: t for t in metadata.sorted_tables}
    parsed: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise bad("a table entry without a name")
        name = entry["name"]
        if name not in known:
            raise bad(f"unknown table {name!r}")
        if name in parsed:
            raise bad(f"table {name!r} appears twice")
        table = known[name]
        columns = entry.get("columns")
        rows = entry.get("rows")
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            raise bad(f'table {name}: "columns" is not a list of names')
        if not isinstance(rows, list):
            raise bad(f'table {name}: "rows" is not a list')
        for c in columns:
            if c not in table.columns:
                raise bad(f"table {name}: unknown column {c!r}")
        missing = [c.name for c in table.columns if c.name not in columns]
        if missing or len(set(columns)) != len(columns):
            raise bad(f"table {name}: columns differ from the schema (missing {missing})")
        out: list[dict[str, Any]] = []
        for i, row in enumerate(rows, start=1):
            if not isinstance(row, list) or len(row) != len(columns):
                raise bad(f"table {name} row {i}: expected {len(columns)} values")
            values: dict[str, Any] = {}
            for c, v in zip(columns, row, strict=True):
                try:
                    values[c] = _from_json(table.columns[c], v)
                except ValueError as exc:
                    raise bad(f"table {name} row {i} column {c}: {exc}") from exc
            out.append(values)
        parsed[name] = out
    absent = [n for n in known if n not in parsed]
    if absent:
        raise bad(f"tables missing from the dump: {', '.join(absent)}")
    problem = key_problem(parsed)
    if problem:
        raise bad(problem)
    return revision, parsed


# --- import --------------------------------------------------------------------------------


def _lock_for_import(conn: Connection) -> None:
    """Keep other writers out between the emptiness check and the commit."""
    if conn.dialect.name == "postgresql":
        prep = conn.dialect.identifier_preparer
        names = ", ".join(prep.quote(t.name) for t in metadata.sorted_tables)
        conn.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    # A row may point at a row of its own table inserted later: insert those links as null
    # and set them once every row is in.
    selfref = _self_references(table)
    first = [{**r, **dict.fromkeys(selfref)} for r in rows] if selfref else rows
    for start in range(0, len(first), BATCH_SIZE):
        conn.execute(table.insert(), first[start : start + BATCH_SIZE])
    pk = list(table.primary_key.columns)
    for name in selfref:
        links = [r for r in rows if r[name] is not None]
        for r in links:
            where = [c == r[c.name] for c in pk]
            conn.execute(table.update().where(*where).values({name: r[name]}))


def _insert_checked(src: Path, conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """A rule the checks before cannot see (a unique key) names the table, not a traceback."""
    try:
        _insert(conn, table, rows)
    except IntegrityError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "a constraint failed"
        raise InputError(
            f"{src}: table {table.name}: the rows break a rule of the schema ({reason})",
            field="file",
        ) from None


def _reset_sequences(conn: Connection) -> None:
    prep = conn.dialect.identifier_preparer
    for table in metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(_base_type(pk[0]), Integer):
            continue
        t, c = prep.quote(table.name), prep.quote(pk[0].name)
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{t}', '{pk[0].name}'), "
            f"COALESCE(MAX({c}), 1), MAX({c}) IS NOT NULL) FROM {t} "
            f"WHERE pg_get_serial_sequence('{t}', '{pk[0].name}') IS NOT NULL"
        )


def import_database(settings: Settings, src: Path) -> dict[str, int]:
    """Load a dump into an empty database; returns the rows inserted per table."""
    revision, parsed = _parse(src, _read(src))
    url = settings.database_url
    script = ScriptDirectory.from_config(alembic_config(url))
    try:
        script.get_revision(revision)
    except Exception as exc:
        raise InputError(
            f"{src}: Alembic revision {revision!r} is unknown to this dondoc version",
            field="file",
        ) from exc
    engine = _engine(settings)
    current = current_revision(engine)
    if current is None:
        existing = set(sa_inspect(engine).get_table_names())
        clash = sorted(existing & {t.name for t in metadata.sorted_tables})
        if clash:
            raise ConflictError(
                f"{_safe(url)}: has dondoc tables ({', '.join(clash)}) but no Alembic revision; "
                "import needs an empty database"
            )
        upgrade_database(url, revision)
        current = current_revision(engine)
    if current != revision:
        raise ConflictError(
            f"{_safe(url)} is at Alembic revision {current}, the dump {src} at {revision}: "
            f"import into a database at revision {revision} (then upgrade it)"
        )
    counts: dict[str, int] = {}
    with engine.connect() as conn, conn.begin():
        _lock_for_import(conn)
        filled = {
            t.name: n
            for t in metadata.sorted_tables
            if (n := int(conn.execute(select(func.count()).select_from(t)).scalar_one()))
        }
        if filled:
            listed = ", ".join(f"{k} ({v} rows)" for k, v in filled.items())
            raise ConflictError(
                f"{_safe(url)} is not empty: {listed}; import needs an empty database"
            )
        for table in metadata.sorted_tables:
            rows = parsed[table.name]
            if rows:
                _insert_checked(src, conn, table, rows)
            counts[table.name] = len(rows)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
    return counts


def _engine(settings: Settings) -> Engine:
    # with the bounded SQLite busy timeout
    return engine_for(settings)


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
