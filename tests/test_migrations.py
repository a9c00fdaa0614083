"""The schema comes only from Alembic migrations, and they agree with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from dondoc.db import alembic_config, get_engine, upgrade_database
from dondoc.models import metadata


def test_migrations_build_exactly_the_models(database_url: str) -> None:
    upgrade_database(database_url)
    engine = get_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    assert set(inspect(engine).get_table_names()) >= set(metadata.tables)


def test_upgrade_is_idempotent(database_url: str) -> None:
    upgrade_database(database_url)
    upgrade_database(database_url)
    engine = get_engine(database_url)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() is not None


def test_upgrade_from_the_first_migration_keeps_every_row(database_url: str) -> None:
    from sqlalchemy import text

    upgrade_database(database_url, "0001")
    engine = get_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO agency (code, name, kind, groups, active)"
                " VALUES ('01', 'Ủy ban nhân dân thành phố Hà Nội', 'provincial_committee',"
                " 'provincial-committees', true)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO contact (channel, target, role, agency_id, active, created_at)"
                " SELECT 'email', 'vanthu@hanoi.gov.vn', 'focal', id, true, CURRENT_TIMESTAMP"
                " FROM agency"
            )
        )
    upgrade_database(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT a.name, c.target, c.flagged_at FROM contact c JOIN agency a"
                 " ON a.id = c.agency_id")
        ).all()  # fmt: skip
        head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
        assert MigrationContext.configure(conn).get_current_revision() == head
    assert [tuple(r) for r in rows] == [
        ("Ủy ban nhân dân thành phố Hà Nội", "vanthu@hanoi.gov.vn", None)
    ]
