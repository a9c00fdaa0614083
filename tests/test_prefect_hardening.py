"""Issue 12, case 4: the Prefect side reads no file outside its configured folders, `dondoc up`
does not expose an unauthenticated API, and nobody chooses the `recorded_by` of a submission."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from dondoc.cli.platform import check_exposure, is_loopback
from dondoc.config.settings import DATA_DIR, get_settings
from dondoc.context import make_context
from dondoc.errors import InputError
from dondoc.service import init

VN = dt.timezone(dt.timedelta(hours=7))
BUNDLED = DATA_DIR / "directives"
# What /etc/shadow looks like: the old flow quoted such a line in its failed state message.
SECRET_LINE = "root:$6$Zq3Bf0SECRETHASH:19800:0:99999:7:::"


@pytest.fixture
def folders(workdir: Path) -> Path:
    """An initialised database, a specs folder with the bundled spec and its text, and a secret
    file next to (outside) it."""
    settings = get_settings()
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)), bundled=False)
    specs = workdir / "specs"
    specs.mkdir()
    for name in ("24-CT-TTg.yaml", "351-BXD-PTDT.txt"):
        shutil.copy(BUNDLED / name, specs / name)
    (workdir / "secret.txt").write_text(SECRET_LINE + "\n", encoding="utf-8")
    return specs


def _failure(state: Any) -> str:
    assert state.is_failed(), state
    return str(state.message)


def _refused_names(workdir: Path, specs: Path) -> list[str]:
    (specs / "link.yaml").symlink_to(workdir / "secret.txt")
    (specs / "up").symlink_to(workdir)
    os.mkfifo(specs / "pipe.yaml")
    (specs / "big.yaml").write_bytes(b"#" * (1024 * 1024 + 1))
    return [
        str(workdir / "secret.txt"),  # an absolute path
        "../secret.txt",  # a way out
        "link.yaml",  # a symlink inside pointing out
        "up/secret.txt",  # a symlinked folder pointing out
        "pipe.yaml",  # would block a reader forever
        "big.yaml",  # over the size cap
        "missing.yaml",
        "/etc/shadow",
    ]


def test_load_directive_refuses_every_name_that_is_not_a_file_in_the_specs_folder(
    prefect_api: None, folders: Path, workdir: Path
) -> None:
    from dondoc.flows.admin import load_directive_flow

    for name in _refused_names(workdir, folders):
        message = _failure(load_directive_flow(path=name, return_state=True))
        assert message.count("\n") == 0, message
        assert "parameter path" in message and str(folders.resolve()) in message, message
        assert "DONDOC_SPECS_DIR" in message and "SECRET" not in message, message


def test_load_directive_loads_pasted_yaml_or_a_name_in_the_specs_folder(
    prefect_api: None, folders: Path, cli: Any
) -> None:
    from dondoc.flows.admin import load_directive_flow

    text = (folders / "24-CT-TTg.yaml").read_text(encoding="utf-8")
    pasted = load_directive_flow(yaml=text)
    assert pasted["directive"] == "24/CT-TTg" and pasted["tasks_created"] > 0
    named = load_directive_flow(path="24-CT-TTg.yaml")
    assert named["directive"] == "24/CT-TTg" and named["tasks_created"] == 0
    board = json.loads(cli("status", "--format", "json", "--period", "2026").out)
    assert any(r["agency"] == "01" and r["obligation"] == "annual-report" for r in board)

    bad = _failure(load_directive_flow(yaml=text.replace("issued_on: 2016", "issued_on: x2016"),
                                       return_state=True))  # fmt: skip
    assert "SpecError: <parameter yaml>:8: directive.issued_on: " in bad, bad
    both = _failure(load_directive_flow(yaml=text, path="24-CT-TTg.yaml", return_state=True))
    assert "exactly one of the parameters yaml or path" in both


def test_a_spec_source_file_outside_the_specs_folder_is_refused(
    prefect_api: None, folders: Path
) -> None:
    from dondoc.flows.admin import load_directive_flow

    text = (folders / "24-CT-TTg.yaml").read_text(encoding="utf-8")
    leaking = text.replace('source_file: "351-BXD-PTDT.txt"', 'source_file: "../secret.txt"')
    (folders / "leaking.yaml").write_text(leaking, encoding="utf-8")
    for state in (
        load_directive_flow(yaml=leaking, return_state=True),
        load_directive_flow(path="leaking.yaml", return_state=True),
    ):
        message = _failure(state)
        assert "dispatch.source_file" in message and "not inside the folder" in message, message
        assert "SECRET" not in message


def test_import_dispatch_reads_a_name_in_the_drafts_folder_only(
    prefect_api: None, workdir: Path
) -> None:
    from dondoc.flows.importing import import_dispatch_flow

    drafts = workdir / "drafts"
    drafts.mkdir()
    shutil.copy(BUNDLED / "351-BXD-PTDT.txt", drafts / "cv-351.txt")
    (workdir / "secret.txt").write_text(SECRET_LINE + "\n", encoding="utf-8")
    at = dt.datetime(2026, 11, 20, 9, tzinfo=VN)
    out = import_dispatch_flow(path="cv-351.txt", at=at)
    assert out["path"] == str(drafts / "351-BXD-PTDT.draft.yaml") and out["loads"] is True
    assert out["source"] == str(drafts / "cv-351.txt")
    for name in (str(workdir / "secret.txt"), "../secret.txt", "/etc/passwd"):
        message = _failure(import_dispatch_flow(path=name, at=at, return_state=True))
        assert "parameter path" in message and "DONDOC_DRAFTS_DIR" in message, message
        assert str(drafts.resolve()) in message and "SECRET" not in message, message


def _actors(cli: Any, agency: str) -> list[str]:
    found = cli("history", "--agency", agency, "--obligation", "annual-report", "--period",
                "2026", "--format", "json")  # fmt: skip
    assert found.code == 0, found.err
    return [e["actor"] for h in json.loads(found.out) for e in h["entries"]
            if e["kind"] == "submission"]  # fmt: skip


def test_a_submission_run_in_process_is_recorded_as_the_os_user(
    prefect_api: None, folders: Path, cli: Any
) -> None:
    import getpass

    from dondoc.flows.admin import load_directive_flow
    from dondoc.flows.submission import record_submission_flow

    load_directive_flow(path="24-CT-TTg.yaml")
    params = {"agency": "01", "obligation": "annual-report", "period": "2026",
              "document": "5/BC-UBND", "received_on": dt.date(2026, 11, 24)}  # fmt: skip
    record_submission_flow(**params)
    assert _actors(cli, "01") == [f"{getpass.getuser()} (dòng lệnh)"]
    offline = cli("submit", "--agency", "79", "--obligation", "annual-report", "--period",
                  "2026", "--document", "6/BC-UBND", "--received-on", "2026-11-24")  # fmt: skip
    assert offline.code == 0, offline.err
    assert _actors(cli, "79") == [f"{getpass.getuser()} (dòng lệnh)"]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True),
     ("localhost", True), ("0.0.0.0", False), ("::", False), ("192.168.1.20", False),
     ("dondoc.example.gov.vn", False)],
)  # fmt: skip
def test_only_loopback_hosts_count_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    if loopback:
        assert check_exposure(host, insecure=False, env={}) is None
    else:
        with pytest.raises(InputError, match="PREFECT_SERVER_API_AUTH_STRING"):
            check_exposure(host, insecure=False, env={})
        assert (
            check_exposure(host, insecure=False, env={"PREFECT_SERVER_API_AUTH_STRING": "a:b"})
            is None
        )
        warning = check_exposure(host, insecure=True, env={})
        assert warning and "no authentication" in warning


def test_up_beyond_loopback_without_an_auth_string_exits_before_starting(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DONDOC_"))}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", "up", "--host", "0.0.0.0", "--port", "4999"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --host 0.0.0.0 is not loopback")
    assert "PREFECT_SERVER_API_AUTH_STRING" in lines[0] and "--insecure" in lines[0]
    assert list(tmp_path.iterdir()) == [] and time.monotonic() - started < 30  # no .prefect
