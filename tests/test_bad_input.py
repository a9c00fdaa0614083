"""Bad input: a clear message naming the bad value, a non-zero exit, and no partial write."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from dondoc.cli import main
from dondoc.config.settings import get_settings
from dondoc.db import get_engine
from dondoc.models import metadata

GOOD_SPEC = """\
directive: {number: "5/CT-TTg", doc_type: CT, issuer: "Thủ tướng Chính phủ",
            issued_on: 2026-03-01, subject: "Về việc thử nghiệm"}
addressees: [provincial-committees]
obligations:
  - code: quarterly-report
    kind: report
    title: "Báo cáo quý"
    phrase: "trước ngày 20 của tháng cuối quý"
    recurrence: quarterly
    deadline: {month: 3, day: 20, inclusive: false}
"""

SUBMIT = [
    "submit",
    "--agency",
    "01",
    "--obligation",
    "annual-report",
    "--period",
    "2026",
    "--document",
    "1/BC-UBND",
    "--received-on",
    "2026-12-01",
]


def _replace(args: list[str], flag: str, value: str) -> list[str]:
    out = list(args)
    out[out.index(flag) + 1] = value
    return out


CASES: list[tuple[str, list[str], dict[str, bytes], str]] = [
    ("unknown agency", _replace(SUBMIT, "--agency", "99"), {}, "'99'"),
    ("impossible date", _replace(SUBMIT, "--received-on", "2026-02-30"), {}, "2026-02-30"),
    ("duplicate submission", SUBMIT, {}, "already closed"),
    ("bad period label", _replace(SUBMIT, "--period", "2026-Q5"), {}, "2026-Q5"),
    ("unknown obligation", _replace(SUBMIT, "--obligation", "bao-cao"), {}, "bao-cao"),
    ("empty document", _replace(SUBMIT, "--document", " "), {}, "--document"),
    ("bad --at", ["sweep", "--at", "25/11/2026"], {}, "25/11/2026"),
    ("impossible --at", ["sweep", "--at", "2026-02-30T08:00"], {}, "2026-02-30T08:00"),
    (
        "withdraw without a submission",
        [
            "withdraw",
            "--agency",
            "79",
            "--obligation",
            "annual-report",
            "--period",
            "2026",
            "--reason",
            "nhầm",
        ],
        {},
        "no submission",
    ),
    (
        "report of an unknown directive",
        ["report", "--directive", "99/CT-TTg", "--period", "2026", "--out", "x.xlsx"],
        {},
        "99/CT-TTg",
    ),
    ("empty contacts file", ["contacts", "import", "c.csv"], {"c.csv": b""}, "c.csv"),
    (
        "spec duplicate obligation codes",
        ["load", "s.yaml"],
        {"s.yaml": (GOOD_SPEC + GOOD_SPEC[GOOD_SPEC.index("  - code") :]).encode()},
        "quarterly-report",
    ),
    ("bad --format", ["status", "--format", "xml"], {}, "xml"),
    ("yaml syntax", ["load", "s.yaml"], {"s.yaml": b"directive: [unclosed\n"}, "s.yaml:"),
    (
        "spec missing field",
        ["load", "s.yaml"],
        {"s.yaml": GOOD_SPEC.replace('    title: "Báo cáo quý"\n', "").encode()},
        "title",
    ),
    (
        "spec unknown group",
        ["load", "s.yaml"],
        {"s.yaml": GOOD_SPEC.replace("[provincial-committees]", "[provinces]").encode()},
        "provinces",
    ),
    (
        "spec month beyond the quarter",
        ["load", "s.yaml"],
        {"s.yaml": GOOD_SPEC.replace("month: 3", "month: 4").encode()},
        "deadline.month 4",
    ),
    (
        "spec unknown kind",
        ["load", "s.yaml"],
        {"s.yaml": GOOD_SPEC.replace("kind: report", "kind: memo").encode()},
        "memo",
    ),
    (
        "spec impossible date",
        ["load", "s.yaml"],
        {"s.yaml": GOOD_SPEC.replace("2026-03-01", "2026-02-30").encode()},
        "2026-02-30",
    ),
    ("spec missing file", ["load", "nowhere.yaml"], {}, "nowhere.yaml"),
    (
        "csv bad header",
        ["contacts", "import", "c.csv"],
        {"c.csv": b"agency,kenh,target\n01,email,a@b.vn\n"},
        "kenh",
    ),
    (
        "csv unknown agency after a good row",
        ["contacts", "import", "c.csv"],
        {"c.csv": b"agency,channel,target\n01,email,a@hanoi.test\n97,email,b@x.test\n"},
        "c.csv:3",
    ),
    (
        "csv invalid email",
        ["contacts", "import", "c.csv"],
        {"c.csv": b"agency,channel,target\n01,email,vanthu-at-hanoi\n"},
        "vanthu-at-hanoi",
    ),
    (
        "csv invalid phone",
        ["contacts", "import", "c.csv"],
        {"c.csv": b"agency,channel,target\n01,zns,12345\n"},
        "12345",
    ),
    (
        "csv bad role",
        ["contacts", "import", "c.csv"],
        {"c.csv": b"agency,channel,target,role\n01,email,a@hanoi.test,boss\n"},
        "boss",
    ),
    (
        "csv not utf-8",
        ["contacts", "import", "c.csv"],
        {"c.csv": "agency,channel,target,role,name\n01,email,a@h.test,focal,Hà\n".encode("cp1258")},
        "UTF-8",
    ),
]


def _run(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: Any) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["dondoc", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    engine = get_engine(get_settings().database_url)
    with engine.connect() as conn:
        return {
            name: [tuple(r) for r in conn.execute(select(table).order_by(text("1")))]
            for name, table in metadata.tables.items()
        }


@pytest.fixture
def loaded(workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> Path:
    assert _run(["init", "--at", "2026-11-20T09:00+07:00"], monkeypatch, capsys)[0] == 0
    (workdir / "ok.csv").write_text("agency,channel,target\n01,email,vt@hanoi.test\n", "utf-8")
    assert _run(["contacts", "import", "ok.csv"], monkeypatch, capsys)[0] == 0
    assert _run(SUBMIT, monkeypatch, capsys)[0] == 0
    return workdir


@pytest.mark.parametrize(("name", "args", "files", "named"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_changes_nothing(
    name: str,
    args: list[str],
    files: dict[str, bytes],
    named: str,
    loaded: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    for filename, content in files.items():
        (loaded / filename).write_bytes(content)
    before = _snapshot()
    code, output = _run(args, monkeypatch, capsys)
    assert code != 0, output
    assert named in output
    assert "Traceback" not in output
    assert _snapshot() == before


FLOW_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("unknown agency", {"agency": "99"}, "99"),
    ("impossible date", {"received_on": "2026-02-30"}, "received_on"),
    ("period of another recurrence", {"period": "2026-05"}, "2026-05"),
    ("dropdown option of an unknown agency", {"agency": "97 - Không tồn tại"}, "97"),
]


@pytest.mark.parametrize(("name", "change", "named"), FLOW_CASES, ids=[c[0] for c in FLOW_CASES])
def test_bad_run_parameters_are_refused_and_change_nothing(
    name: str, change: dict[str, Any], named: str, loaded: Path, prefect_api: None
) -> None:
    """The same refusals for a flow run started with bad parameters (UI form, `dondoc run`)."""
    from dondoc.flows.submission import record_submission_flow

    params: dict[str, Any] = {
        "agency": "79", "obligation": "annual-report", "period": "2026",
        "document": "4/BC-UBND", "received_on": "2026-12-01",
    }  # fmt: skip
    params.update(change)
    before = _snapshot()
    with pytest.raises(Exception) as caught:
        record_submission_flow(**params)
    assert named in str(caught.value)
    assert _snapshot() == before
