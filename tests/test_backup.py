"""Portable backups: SQLite → PostgreSQL → SQLite with equal data, bad files, guards."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from dondoc.backup import FORMAT_VERSION, export_database, import_database
from dondoc.config.settings import Settings
from dondoc.context import make_context
from dondoc.db import engine_for, transaction, upgrade_database
from dondoc.errors import ConflictError, InputError
from dondoc.models import (
    Agency,
    Contact,
    Event,
    Notification,
    Submission,
    SubmissionCreate,
    Task,
    metadata,
)
from dondoc.service import import_contacts_file, init, submit
from dondoc.tracking.sweep import run_sweep

VN = dt.timezone(dt.timedelta(hours=7))
T14 = dt.datetime(2026, 11, 25, 8, 30, tzinfo=VN)


def _settings(url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=url, outbox_dir=tmp_path / "outbox")


def _build(settings: Settings, tmp_path: Path) -> None:
    """A realistic database: bundled data, contacts, a sweep that sent mail, a submission."""
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    csv = tmp_path / "contacts.csv"
    csv.write_text(
        "agency,channel,target,role,name\n"
        "01,email,vanthu@hanoi.test,focal,Văn thư Hà Nội\n"
        "79,email,vt@hcm.test,focal,\n"
        "79,email,lanhdao@hcm.test,leader,Lãnh đạo\n",
        encoding="utf-8",
    )
    import_contacts_file(settings, csv, replace=False)
    summary = run_sweep(engine_for(settings), make_context(settings, T14))
    assert summary.delivery.sent == 2
    data = SubmissionCreate(
        agency="01",
        obligation="annual-report",
        period="2026",
        document_number="5/BC-UBND",
        received_on=dt.date(2026, 11, 25),
        note="Bản chính gửi qua trục liên thông",
    )
    assert submit(settings, make_context(settings, T14), data).status == "done_on_time"


def _tables(path: Path) -> list[Any]:
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return list(json.loads(raw)["tables"])


def _count(settings: Settings, model: Any) -> int:
    with transaction(engine_for(settings)) as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


@pytest.mark.postgres
def test_round_trip_sqlite_postgres_sqlite(tmp_path: Path, postgres_url: str) -> None:
    lite = _settings(f"sqlite:///{tmp_path / 'a.db'}", tmp_path)
    _build(lite, tmp_path)
    first = tmp_path / "a.json.gz"
    counts = export_database(lite, first)
    assert gzip.decompress(first.read_bytes())  # gzip because of the name
    assert counts["task"] > 50 and counts["notification"] == 2 and counts["submission"] == 1
    doc = json.loads(gzip.decompress(first.read_bytes()))
    assert doc["version"] == FORMAT_VERSION and doc["alembic_revision"]
    assert [t["name"] for t in doc["tables"]] == [t.name for t in metadata.sorted_tables]
    task = next(t for t in doc["tables"] if t["name"] == "task")
    created = task["rows"][0][task["columns"].index("created_at")]
    assert created.endswith("+00:00")
    agency = next(t for t in doc["tables"] if t["name"] == "agency")
    assert agency["rows"][0][agency["columns"].index("active")] is True

    pg = _settings(postgres_url, tmp_path)
    assert import_database(pg, first) == counts  # a fresh database: schema made, rows in
    second = tmp_path / "b.json"
    assert export_database(pg, second) == counts
    assert _tables(second) == _tables(first)

    # Sequences were reset: new rows on PostgreSQL take fresh ids.
    with transaction(engine_for(pg)) as session:
        max_event = session.execute(select(func.max(Event.id))).scalar_one()
    data = SubmissionCreate(
        agency="79",
        obligation="annual-report",
        period="2026",
        document_number="9/BC-UBND",
        received_on=dt.date(2026, 11, 25),
    )
    assert submit(pg, make_context(pg, T14), data).status == "done_on_time"
    csv = tmp_path / "more.csv"
    csv.write_text("agency,channel,target\n48,email,vt@danang.test\n", encoding="utf-8")
    assert import_contacts_file(pg, csv, replace=False).created == 1
    later = run_sweep(engine_for(pg), make_context(pg, dt.datetime(2026, 12, 2, 8, 30, tzinfo=VN)))
    assert later.queued >= 1 and later.delivery.sent >= 1
    assert _count(pg, Submission) == 2
    with transaction(engine_for(pg)) as session:
        assert session.execute(select(func.max(Event.id))).scalar_one() > max_event

    # And back: PostgreSQL → a fresh SQLite file.
    third = tmp_path / "c.json"
    pg_counts = export_database(pg, third)
    back = _settings(f"sqlite:///{tmp_path / 'back.db'}", tmp_path)
    assert import_database(back, third) == pg_counts
    fourth = tmp_path / "d.json"
    export_database(back, fourth)
    assert _tables(fourth) == _tables(third)
    assert _count(back, Notification) == pg_counts["notification"]


def test_cli_export_import_on_sqlite(cli: Any, workdir: Path) -> None:
    assert cli("init", "--at", "2026-11-20").code == 0
    out = cli("export", "dump.json")
    assert out.code == 0, out.err
    assert "exported" in out.out
    fresh = {"DONDOC_DATABASE_URL": f"sqlite:///{workdir / 'fresh.db'}"}
    done = cli("import", "dump.json", env=fresh)
    assert done.code == 0, done.err
    again = cli("export", "again.json", env=fresh)
    assert again.code == 0
    assert _tables(workdir / "again.json") == _tables(workdir / "dump.json")
    refused = cli("import", "dump.json", env=fresh)
    assert refused.code != 0 and "not empty" in refused.err


@pytest.fixture
def dump(tmp_path: Path) -> tuple[Settings, Path]:
    settings = _settings(f"sqlite:///{tmp_path / 'src.db'}", tmp_path)
    _build(settings, tmp_path)
    path = tmp_path / "dump.json"
    export_database(settings, path)
    return settings, path


def _target(database_url: str, tmp_path: Path) -> Settings:
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{tmp_path / 'target.db'}"
    return _settings(database_url, tmp_path)


def _edit(path: Path, change: Any) -> Path:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    bad = path.with_name("bad.json")
    bad.write_text(json.dumps(doc), encoding="utf-8")
    return bad


def _set_version(doc: dict[str, Any]) -> None:
    doc["version"] = 99


def _unknown_table(doc: dict[str, Any]) -> None:
    doc["tables"].append({"name": "payroll", "columns": [], "rows": []})


def _unknown_column(doc: dict[str, Any]) -> None:
    doc["tables"][0]["columns"][0] = "nickname"


def _naive_instant(doc: dict[str, Any]) -> None:
    task = next(t for t in doc["tables"] if t["name"] == "task")
    task["rows"][-1][task["columns"].index("created_at")] = "2026-11-20T09:00:00"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_set_version, "format version 99"),
        (_unknown_table, "unknown table 'payroll'"),
        (_unknown_column, "unknown column 'nickname'"),
        (_naive_instant, "column created_at"),
    ],
)
def test_bad_dump_is_refused_and_nothing_written(
    dump: tuple[Settings, Path], database_url: str, tmp_path: Path, change: Any, problem: str
) -> None:
    _, path = dump
    target = _target(database_url, tmp_path)
    bad = _edit(path, change)
    with pytest.raises(InputError, match=problem) as err:
        import_database(target, bad)
    assert str(bad) in str(err.value)
    with engine_for(target).connect() as conn:  # no schema was even created
        assert not conn.dialect.has_table(conn, "agency")


def test_not_json_is_refused(tmp_path: Path, workdir: Path) -> None:
    target = _settings(f"sqlite:///{tmp_path / 'target.db'}", tmp_path)
    for name, content in [("x.json", b"{not json"), ("y.json.gz", b"\x1f\x8bnope"), ("z", b"[1]")]:
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(InputError, match=name):
            import_database(target, path)
    with pytest.raises(InputError, match="no such file"):
        import_database(target, tmp_path / "missing.json")


def test_import_into_non_empty_database_is_refused(
    dump: tuple[Settings, Path], database_url: str, tmp_path: Path
) -> None:
    _, path = dump
    target = _target(database_url, tmp_path)
    init(target, make_context(target, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    before = {m.__name__: _count(target, m) for m in (Agency, Contact, Task, Event)}
    with pytest.raises(ConflictError, match="not empty"):
        import_database(target, path)
    assert {m.__name__: _count(target, m) for m in (Agency, Contact, Task, Event)} == before


def test_import_at_another_revision_is_refused(
    dump: tuple[Settings, Path], database_url: str, tmp_path: Path
) -> None:
    _, path = dump
    target = _target(database_url, tmp_path)
    upgrade_database(target.database_url, "0001")
    with pytest.raises(ConflictError, match="revision 0001"):
        import_database(target, path)
    bad = _edit(path, lambda doc: doc.update(alembic_revision="9999"))
    with pytest.raises(InputError, match="9999"):
        import_database(target, bad)


# --- crafted dumps (issue #12, cases 7 and 8): refused before the database is touched --------


@pytest.fixture(scope="module")
def source_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("source")
    settings = _settings(f"sqlite:///{base / 'src.db'}", base)
    _build(settings, base)
    export_database(settings, base / "dump.json")
    return base / "dump.json"


def _cell(table: str, column: str, value: Any, row: int = 0) -> Any:
    def change(doc: dict[str, Any]) -> None:
        entry = next(t for t in doc["tables"] if t["name"] == table)
        entry["rows"][row][entry["columns"].index(column)] = value

    return change


def _duplicate_row(table: str, new_id: int | None = None) -> Any:
    def change(doc: dict[str, Any]) -> None:
        entry = next(t for t in doc["tables"] if t["name"] == table)
        copy = list(entry["rows"][0])
        if new_id is not None:
            copy[entry["columns"].index("id")] = new_id
        entry["rows"].append(copy)

    return change


CRAFTED: list[tuple[str, Any, str]] = [
    ("NUL in a contact's name", _cell("contact", "name", "Văn thư\x00 Hà Nội"),
     "table contact row 1 column name: contains the control character U+0000"),
    ("escape in an agency code", _cell("agency", "code", "01\x1b[0m"),
     "table agency row 1 column code: contains the control character U+001B"),
    ("NUL in a long text", _cell("event", "detail", "nhận\x00"), "column detail"),
    ("C1 control in a document number", _cell("submission", "document_number", "5/BC\x9b"),
     "U+009B"),
    ("dangling foreign key", _cell("contact", "agency_id", 99999),
     "table contact row 1 column agency_id: no agency row with id 99999"),
    ("duplicate primary key", _duplicate_row("agency"), "table agency row "),
    ("integer out of range", _cell("contact", "agency_id", 2**40), "out of range"),
    ("boolean as text", _cell("contact", "active", "yes"), "expected true or false"),
    ("number as text", _cell("contact", "target", 5), "expected a string"),
    ("instant out of range", _cell("task", "created_at", "0001-01-01T00:00:00+07:00"),
     "out of range"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "change", "problem"), CRAFTED, ids=[c[0] for c in CRAFTED])
def test_crafted_dump_is_refused_naming_table_row_column(
    source_dump: Path, database_url: str, tmp_path: Path, name: str, change: Any, problem: str
) -> None:
    target = _target(database_url, tmp_path)
    bad = _edit(source_dump, change)
    bad = bad.rename(tmp_path / bad.name)
    with pytest.raises(InputError) as err:
        import_database(target, bad)
    assert str(bad) in str(err.value) and problem in str(err.value)
    with engine_for(target).connect() as conn:  # no schema was even created
        assert not conn.dialect.has_table(conn, "agency")


RAW: list[tuple[str, Any, str]] = [
    ("duplicate key", lambda text: text.replace('"version":', '"version":1,"version":', 1),
     "the key 'version' appears twice"),
    ("deep nesting", lambda text: "[" * 200_000 + "]" * 200_000, "JSON nested too deeply"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "change", "problem"), RAW, ids=[c[0] for c in RAW])
def test_unreadable_dump_is_refused(
    source_dump: Path, tmp_path: Path, name: str, change: Any, problem: str
) -> None:
    target = _settings(f"sqlite:///{tmp_path / 'target.db'}", tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(change(source_dump.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        import_database(target, bad)
    assert not (tmp_path / "target.db").exists()


def test_a_unique_key_broken_in_a_dump_is_named_and_nothing_kept(
    source_dump: Path, database_url: str, tmp_path: Path
) -> None:
    target = _target(database_url, tmp_path)
    bad = _edit(source_dump, _duplicate_row("contact", new_id=999))
    bad = bad.rename(tmp_path / bad.name)
    with pytest.raises(InputError, match="table contact: the rows break a rule of the schema"):
        import_database(target, bad)
    assert all(_count(target, m) == 0 for m in (Agency, Contact, Task, Event))


@pytest.mark.postgres
def test_cli_import_of_a_dump_with_nul_into_postgres_is_one_line(
    source_dump: Path, postgres_url: str, workdir: Path
) -> None:
    """The reported case: a NUL stored on SQLite, then `dondoc import` into PostgreSQL."""
    from tests.inprocess import run_main

    bad = _edit(source_dump, _cell("contact", "name", "Văn thư\x00"))
    result = run_main("import", str(bad), env={"DONDOC_DATABASE_URL": postgres_url})
    assert result.code == 2, result.out + result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "table contact row 1 column name" in result.err and "U+0000" in result.err
