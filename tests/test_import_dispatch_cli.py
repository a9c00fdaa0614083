"""`dondoc import-dispatch` as a user runs it: the seed dispatch's draft, loaded into a fresh
database, makes the same tasks and due dates as the bundled spec; bad files are refused with
the file named, exit code 2 and nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_dondoc

FIXTURES = Path(__file__).parent / "fixtures" / "dispatches"
AT = "2026-11-20T09:00+07:00"


def _board(workdir: Path, db: str) -> set[tuple[Any, ...]]:
    env = {"DONDOC_DATABASE_URL": f"sqlite:///{workdir / db}"}
    result = run_dondoc("status", "--format", "json", env=env, cwd=workdir)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    return {(r["agency"], r["obligation"], r["period"], r["due_date"], r["status"]) for r in rows}


def test_seed_draft_makes_the_same_tasks_as_the_bundled_spec(workdir: Path) -> None:
    bundled = {"DONDOC_DATABASE_URL": f"sqlite:///{workdir / 'bundled.db'}"}
    imported = {"DONDOC_DATABASE_URL": f"sqlite:///{workdir / 'imported.db'}"}
    assert run_dondoc("init", "--at", AT, env=bundled, cwd=workdir).code == 0

    made = run_dondoc("import-dispatch", str(FIXTURES / "351-BXD-PTDT.txt"), "--at", AT,
                      cwd=workdir)  # fmt: skip
    assert made.code == 0, made.err
    draft = workdir / "351-BXD-PTDT.draft.yaml"
    assert f"wrote {draft.name}" in made.out and "review points: " in made.out
    assert "  1. " in made.out and "the draft loads as written" in made.out
    assert "# REVIEW:" in draft.read_text(encoding="utf-8")

    init = run_dondoc("init", "--no-bundled", "--at", AT, env=imported, cwd=workdir)
    assert init.code == 0 and "loaded" not in init.out, init.err
    load = run_dondoc("load", str(draft), "--at", AT, env=imported, cwd=workdir)
    assert load.code == 0, load.err

    expected = _board(workdir, "bundled.db")
    assert len(expected) == 250  # 50 agencies: plan (once), inspection and report 2026/2027
    assert _board(workdir, "imported.db") == expected


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("not-a-dispatch.txt", "does not look like an official document"),
        ("windows-1258.txt", "not UTF-8 text"),
        ("missing.txt", "cannot read the file"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(
    workdir: Path, name: str, problem: str
) -> None:
    result = run_dondoc("import-dispatch", str(FIXTURES / name), cwd=workdir)
    assert result.code == 2
    assert result.err.startswith(f"error: {FIXTURES / name}: ") and problem in result.err
    assert list(workdir.glob("*.yaml")) == []


def test_output_to_stdout_and_no_silent_overwrite(workdir: Path) -> None:
    source = str(FIXTURES / "bxd-quarterly-bom.txt")
    shown = run_dondoc("import-dispatch", source, "--output", "-", "--at", AT, cwd=workdir)
    assert shown.code == 0, shown.err
    assert shown.out.startswith("# DRAFT directive spec") and "review points:" in shown.err
    assert list(workdir.glob("*.yaml")) == []

    target = workdir / "drafts" / "q.yaml"
    target.parent.mkdir()
    target.write_text("reviewed\n", encoding="utf-8")
    refused = run_dondoc("import-dispatch", source, "-o", str(target), cwd=workdir)
    assert refused.code == 2 and "--force" in refused.err
    assert target.read_text(encoding="utf-8") == "reviewed\n"
    forced = run_dondoc("import-dispatch", source, "-o", str(target), "--force", cwd=workdir)
    assert forced.code == 0, forced.err
    assert 'source_file: "../' in target.read_text(encoding="utf-8")
