"""Operator tools: dry run, the weekly digest, run forms with dropdowns, roll-over."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dondoc.config.settings import get_settings
from dondoc.context import make_context
from dondoc.service import import_contacts_file, init

VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def seeded(workdir: Path) -> Path:
    settings = get_settings()
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    csv = workdir / "contacts.csv"
    csv.write_text("agency,channel,target\n01,email,vt@hanoi.test\n79,email,vt@hcm.test\n", "utf-8")
    import_contacts_file(settings, csv, replace=False)
    return workdir


def test_dry_run_lists_what_would_go_and_changes_nothing(seeded: Path, cli: Any) -> None:
    before = cli("status", "--format", "json").out
    dry = cli("sweep", "--dry-run", "--at", "2026-11-25T08:30+07:00")
    assert dry.code == 0, dry.err
    assert "vt@hanoi.test" in dry.out and "before-14" in dry.out
    assert "would send 2 reminder(s)" in dry.out
    assert cli("status", "--format", "json").out == before
    assert not (seeded / "outbox").exists()
    real = cli("sweep", "--at", "2026-11-25T08:30+07:00")
    assert real.out.startswith("sweep as of 25/11/2026 08:30 (Asia/Ho_Chi_Minh)\n"), real.out
    assert "reminders queued: 2" in real.out
    assert real.err == ""  # piped: no progress bar
    assert len(list((seeded / "outbox").glob("*.eml"))) == 2


def test_weekly_digest_lists_every_overdue_agency(
    seeded: Path, cli: Any, smtp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DONDOC_SMTP_URL", smtp_server.url)
    monkeypatch.setenv("DONDOC_COORDINATOR_CONTACTS", "dauvmoi@ptdt.test")
    submitted = cli("submit", "--agency", "01", "--obligation", "annual-report", "--period",
                    "2026", "--document", "3/BC-UBND", "--received-on", "2026-12-01",
                    "--allow-future")  # fmt: skip
    assert submitted.code == 0, submitted.err
    assert cli("sweep", "--at", "2026-12-14T08:00+07:00").code == 0
    result = cli("digest", "--at", "2026-12-14T08:00+07:00")
    assert result.code == 0, result.err
    [mail] = [m for m in smtp_server.messages if m.recipients == ("dauvmoi@ptdt.test",)]
    board = json.loads(cli("status", "--format", "json", "--period", "2026").out)
    overdue = {r["agency_name"] for r in board if r["status"] == "overdue"}
    assert len(overdue) == 49
    assert all(name in mail.body_text for name in overdue)
    assert "Ủy ban nhân dân thành phố Hà Nội" not in mail.body_text
    assert "[Tổng hợp tuần] 49 nhiệm vụ quá hạn" in mail.subject_text
    assert "quá hạn 5 ngày" in mail.body_text


def test_digest_without_coordinator_is_an_error(seeded: Path, cli: Any) -> None:
    result = cli("digest")
    assert result.code != 0 and "DONDOC_COORDINATOR_CONTACTS" in result.err


def test_submission_form_offers_agencies_and_obligations_as_dropdowns(seeded: Path) -> None:
    from dondoc.flows.deployments import build_deployments

    deployments = {d.name: d for d in build_deployments()}
    schema = deployments["record-submission"]._parameter_openapi_schema.properties
    assert "01 - Ủy ban nhân dân thành phố Hà Nội" in schema["agency"]["enum"]
    assert len(schema["agency"]["enum"]) == 50
    assert any(o.startswith("annual-report - ") for o in schema["obligation"]["enum"])
    assert schema["received_on"]["format"] == "date"
    schedules = {
        name: [(s.schedule.cron, s.schedule.timezone) for s in d.schedules]
        for name, d in deployments.items()
    }
    assert schedules["daily-sweep"] == [("0 8 * * *", "Asia/Ho_Chi_Minh")]
    assert schedules["weekly-digest"] == [("0 8 * * 1", "Asia/Ho_Chi_Minh")]
    assert set(deployments) >= {"send-reminders-now", "period-rollover", "load-directive"}


def test_dropdown_values_and_bare_codes_mean_the_same(seeded: Path) -> None:
    from dondoc.flows.forms import code_of, resolve_choice

    options = [
        "01 - Ủy ban nhân dân thành phố Hà Nội",
        "79 - Ủy ban nhân dân Thành phố Hồ Chí Minh",
    ]
    assert resolve_choice("01", options) == options[0]
    assert code_of(options[1]) == "79" and code_of("79") == "79"
    assert resolve_choice("99", options) == "99"  # left for the server to refuse


def test_no_deployment_takes_a_recorder_or_an_arbitrary_path(seeded: Path) -> None:
    from dondoc.flows.deployments import build_deployments

    schemas = {d.name: d._parameter_openapi_schema.properties for d in build_deployments()}
    assert "recorded_by" not in schemas["record-submission"]
    assert {"yaml", "path"} <= set(schemas["load-directive"])
    assert {"text", "path"} <= set(schemas["import-dispatch"])


def _has_diacritics(text: str) -> bool:
    return any(not c.isascii() and c.isalpha() for c in text)


def test_every_run_form_field_has_a_vietnamese_title_and_help(seeded: Path) -> None:
    """The Prefect run forms (PRODUCT.md §7): Vietnamese labels, no "None" toggles, dates as
    date pickers, instants as date-time pickers left empty for "now"."""
    from dondoc.flows.deployments import build_deployments

    schemas = {d.name: d._parameter_openapi_schema.properties for d in build_deployments()}
    for deployment, properties in schemas.items():
        for key, spec in properties.items():
            where = f"{deployment}.{key}: {spec}"
            assert spec["title"] != key and _has_diacritics(spec["title"]), where
            assert _has_diacritics(spec.get("description", "")), where
            kinds = [spec.get("type")] + [s.get("type") for s in spec.get("anyOf", [])]
            assert "null" not in kinds and spec.get("default", "") is not None, where
    submission = schemas["record-submission"]
    assert submission["agency"]["title"] == "Cơ quan"
    assert submission["received_on"]["title"] == "Ngày nhận"
    assert (submission["received_on"]["type"], submission["received_on"]["format"]) == (
        "string",
        "date",
    )
    assert submission["note"]["default"] == "" and submission["directive"]["default"] == ""
    assert "24/CT-TTg/2016" in schemas["annual-synthesis"]["directive"]["enum"]
    for deployment in ("daily-sweep", "send-reminders-now", "period-rollover", "import-dispatch"):
        at = schemas[deployment]["at"]
        assert at["format"] == "date-time" and "default" not in at  # empty: as of now


def _on_terminal(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Run `dondoc ARGS` with standard error on a terminal (a pty), standard output piped."""
    main, child = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "dondoc.cli", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=child)  # fmt: skip
    os.close(child)
    seen = b""
    while True:  # read as it comes: a full pty would block the command
        ready, _, _ = select.select([main], [], [], 60)
        try:
            chunk = os.read(main, 65536) if ready else b""
        except OSError:  # EIO: the command closed its end
            chunk = b""
        if not chunk:
            break
        seen += chunk
    os.close(main)
    out = proc.stdout.read() if proc.stdout else b""
    return proc.wait(timeout=60), out.decode(), seen.decode(errors="replace")


def test_a_sweep_on_a_terminal_shows_its_progress_and_a_piped_one_does_not(
    seeded: Path,
) -> None:
    code, out, terminal = _on_terminal("sweep", "--at", "2026-11-25T08:30+07:00", cwd=seeded)
    assert code == 0, out + terminal
    assert "sending reminders" in terminal and "2/2" in terminal, terminal
    assert out.startswith("sweep as of 25/11/2026 08:30 (Asia/Ho_Chi_Minh)\n")
    assert "messages: 2 " in out and "\x1b" not in out  # the summary itself stays plain


def test_dondoc_run_parameters_are_typed_by_the_vietnamese_forms(seeded: Path) -> None:
    """`dondoc run -p ...` against the forms' schemas: codes pick dropdown options, booleans
    are booleans, and `at=null` leaves the instant out (the run acts as of now)."""
    from dondoc.cli.remote import _resolve, parse_params
    from dondoc.flows.deployments import build_deployments

    schemas = {d.name: d._parameter_openapi_schema.model_dump() for d in build_deployments()}
    sent = _resolve(parse_params(["at=null", "dry_run=false"]), schemas["send-reminders-now"])
    assert sent == {"dry_run": False}
    pairs = ["agency=01", "received_on=2026-11-24", "note="]
    assert _resolve(parse_params(pairs), schemas["record-submission"]) == {
        "agency": "01 - Ủy ban nhân dân thành phố Hà Nội",
        "received_on": "2026-11-24",
        "note": "",
    }
