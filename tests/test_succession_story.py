"""Issue #6 acceptance: a 2024 task of the former Hà Giang province shows under Tuyên Quang in
2026 with its history. Through the `dondoc` command, a real SMTP server, SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SPEC = Path(__file__).parent / "fixtures" / "succession-report.yaml"
HA_GIANG, TUYEN_QUANG = "vanthu@hagiang.test", "vanthu@tuyenquang.test"
INHERITED = "Nhiệm vụ kế thừa từ: Ủy ban nhân dân tỉnh Hà Giang (đến 30/06/2025)"


def _ok(result: Any) -> str:
    assert result.code == 0, result.err
    return str(result.out)


def _json(cli: Any, *args: str) -> list[dict[str, Any]]:
    return list(json.loads(_ok(cli(*args, "--format", "json"))))


def _to(smtp: Any, start: int, address: str) -> list[Any]:
    return [m for m in smtp.messages[start:] if address in m.recipients]


@pytest.fixture
def merged(
    cli: Any,
    workdir: Path,
    smtp_server: Any,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Any:
    """The test directive from 2023, contacts for Hà Giang (02) and Tuyên Quang (08), and Hà
    Giang's 2023 report received on time."""
    monkeypatch.setenv("DONDOC_SMTP_URL", smtp_server.url)
    monkeypatch.setenv("DONDOC_DATABASE_URL", database_url)
    _ok(cli("init", "--at", "2023-11-20T09:00+07:00"))
    _ok(cli("load", str(SPEC), "--at", "2023-11-20T09:00+07:00"))
    contacts = workdir / "contacts.csv"
    contacts.write_text(
        f"agency,channel,target,role\n02,email,{HA_GIANG},focal\n08,email,{TUYEN_QUANG},focal\n",
        encoding="utf-8",
    )
    _ok(cli("contacts", "import", str(contacts)))
    report = ("--obligation", "yearly-report", "--document", "15/BC-UBND")
    _ok(cli("submit", "--agency", "02", "--period", "2023", *report,
            "--received-on", "2023-12-01", "--at", "2023-12-01T09:00+07:00"))  # fmt: skip
    return cli


def test_ha_giang_2024_task_shows_under_tuyen_quang_in_2026(merged: Any, smtp_server: Any) -> None:
    cli = merged
    _ok(cli("sweep", "--at", "2024-11-25"))
    reminders = _to(smtp_server, 0, HA_GIANG)
    assert len(reminders) == 1 and "09/12/2024" in reminders[0].body_text
    assert "kế thừa" not in reminders[0].body_text

    mark = len(smtp_server.messages)
    swept = _ok(cli("sweep", "--at", "2026-11-25"))
    assert "tasks transferred to successors" in swept
    assert _to(smtp_server, mark, HA_GIANG) == []  # a dissolved agency is no longer reminded
    [notice] = _to(smtp_server, mark, TUYEN_QUANG)
    assert notice.subject_text.startswith("[Quá hạn]")
    assert INHERITED in notice.body_text

    held = _json(cli, "status", "--agency", "08", "--obligation", "yearly-report")
    [inherited] = [r for r in held if r["origin_agency_code"] == "02"]
    assert (inherited["agency"], inherited["period"], inherited["status"]) == (
        "08",
        "2024",
        "overdue",
    )
    assert inherited["origin_agency"] == "Ủy ban nhân dân tỉnh Hà Giang"
    assert inherited["inherited_from"] == "Hà Giang (đến 30/06/2025)"
    assert {r["period"] for r in held if r["origin_agency_code"] == "08"} >= {"2024", "2026"}

    # History stays with Hà Giang: its closed 2023 task, and no task of its own after 2024.
    board = _json(cli, "status")
    own = [r for r in board if r["origin_agency_code"] == "02"]
    assert [(r["agency"], r["period"], r["status"]) for r in own if r["agency"] == "02"] == [
        ("02", "2023", "done_on_time")
    ]
    assert not [r for r in own if r["obligation"] == "yearly-report" and r["period"] >= "2025"]
    assert not [r for r in own if r["period"] == "2026"]

    [trail] = [
        h
        for h in _json(cli, "history", "--agency", "08", "--period", "2024")
        if h["obligation"] == "yearly-report" and h["origin_agency_code"] == "02"
    ]
    seen = [(e["local_time"], e["agency"], e["kind"], e["detail"] or "") for e in trail["entries"]]
    assert ("25/11/2024 08:00", "02", "notification_sent", f"before-14 → email:{HA_GIANG}") in seen
    [moved] = [s for s in seen if s[2] == "transferred"]
    assert moved[:2] == ("01/07/2025 00:00", "02")
    assert "08 Ủy ban nhân dân tỉnh Tuyên Quang" in moved[3]
    assert any(s[1] == "08" and s[2] == "notification_sent" and TUYEN_QUANG in s[3] for s in seen)

    # Tuyên Quang reports for Hà Giang under Hà Giang's code; Hà Giang owes nothing after 2024.
    report = ("--obligation", "yearly-report", "--document", "88/BC-UBND")
    done = _ok(cli("submit", "--agency", "02", "--period", "2024", *report,
                   "--received-on", "2026-11-26", "--at", "2026-11-26T09:00+07:00"))  # fmt: skip
    assert "done_late" in done
    refused = cli("submit", "--agency", "02", "--period", "2025", *report,
                  "--received-on", "2026-11-26")  # fmt: skip
    assert refused.code != 0
    assert "agency '02'" in refused.err and "--agency 08" in refused.err
    text = _ok(
        cli("history", "--agency", "02", "--period", "2024", "--obligation", "yearly-report")
    )
    assert "01/07/2025 00:00 | 02 Ủy ban nhân dân tỉnh Hà Giang | Chuyển giao" in text
    assert "Ghi nhận báo cáo | Quá hạn, chưa hoàn thành → Hoàn thành quá hạn | 88/BC-UBND" in text
