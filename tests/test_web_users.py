"""`dondoc users add|list|disable`: the web board's accounts (issue #14). The password comes
from standard input, is stored as an argon2 hash only, and a disabled account cannot log in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import run_dondoc

INIT_AT = "2026-11-27T09:00+07:00"


def users(
    workdir: Path, *args: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dondoc.cli", "users", *args],
        input=password,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=dict(os.environ),
        cwd=workdir,
        timeout=120,
        check=False,
    )


@pytest.fixture
def initialised(workdir: Path) -> Path:
    done = run_dondoc("init", "--at", INIT_AT, cwd=workdir)
    assert done.code == 0, done.err
    return workdir


def rows(workdir: Path) -> list[tuple[str, str, str, object]]:
    engine = create_engine(os.environ["DONDOC_DATABASE_URL"])
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT name, password_hash, role, disabled_at FROM app_user ORDER BY name")
        ).all()
    engine.dispose()
    return [tuple(r) for r in found]  # type: ignore[misc]


def test_add_reads_the_password_from_stdin_and_stores_an_argon2_hash(initialised: Path) -> None:
    added = users(initialised, "add", "lan", "--role", "coordinator", password="mật-khẩu-dài\n")
    assert added.returncode == 0, added.stderr
    [(name, hashed, role, disabled)] = rows(initialised)
    assert (name, role, disabled) == ("lan", "coordinator", None)
    assert hashed.startswith("$argon2id$") and "mật-khẩu-dài" not in hashed
    listed = users(initialised, "list")
    assert listed.returncode == 0 and "lan\tcoordinator" in listed.stdout
    assert "active" in listed.stdout


@pytest.mark.parametrize("password", ["", "\n", "ngan\n"])
def test_an_empty_or_short_password_is_refused_and_nothing_is_stored(
    initialised: Path, password: str
) -> None:
    added = users(initialised, "add", "lan", "--role", "viewer", password=password)
    assert added.returncode == 2
    assert "at least 8 characters" in added.stderr
    assert rows(initialised) == []


def test_the_password_is_never_an_argument(initialised: Path) -> None:
    added = users(initialised, "add", "lan", "--role", "viewer", "--password", "mat-khau-dai")
    assert added.returncode == 2
    assert rows(initialised) == []


def test_a_bad_role_a_bad_name_and_a_duplicate_are_refused(initialised: Path) -> None:
    assert (
        users(initialised, "add", "lan", "--role", "admin", password="mat-khau-dai\n").returncode
        == 2
    )
    assert (
        users(initialised, "add", "a b", "--role", "viewer", password="mat-khau-dai\n").returncode
        == 2
    )
    assert (
        users(initialised, "add", "lan", "--role", "viewer", password="mat-khau-dai\n").returncode
        == 0
    )
    again = users(initialised, "add", "lan", "--role", "coordinator", password="khac-hoan-toan\n")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert [(r[0], r[2]) for r in rows(initialised)] == [("lan", "viewer")]


def test_disable_marks_the_account_and_an_unknown_name_is_refused(initialised: Path) -> None:
    assert (
        users(initialised, "add", "lan", "--role", "viewer", password="mat-khau-dai\n").returncode
        == 0
    )
    done = users(initialised, "disable", "lan")
    assert done.returncode == 0, done.stderr
    [(_, _, _, disabled)] = rows(initialised)
    assert disabled is not None
    assert "disabled" in users(initialised, "list").stdout
    assert users(initialised, "disable", "nobody").returncode == 2


def test_users_refuses_an_uninitialised_database(workdir: Path) -> None:
    added = users(workdir, "add", "lan", "--role", "viewer", password="mat-khau-dai\n")
    assert added.returncode == 2 and "dondoc init" in added.stderr
