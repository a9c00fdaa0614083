"""Bad input: a clear message naming the bad value, a non-zero exit, and no partial write."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from dondoc.config.settings import get_settings
from dondoc.db import get_engine
from dondoc.models import metadata
from tests.inprocess import run_main

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
    "--at",
    "2026-12-01T09:00+07:00",
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

# Hà Nội (01) has reported in the fixture; Hồ Chí Minh City (79) has not.
HCM = _replace(SUBMIT, "--agency", "79")
WITHDRAW = ["withdraw", "--agency", "01", "--obligation", "annual-report", "--period", "2026",
            "--reason", "nhầm số", "--at", "2026-12-02"]  # fmt: skip
CSV = "agency,channel,target,name\n"
GOOD_ROW = "01,email,vt2@hanoi.test,Văn thư\n"
FIELD_1MB = "x" * 1_000_000

# Issue #12, cases 7 and 9: control characters, bounds, duplicates; each through the CLI.
CASES += [
    ("control character in --document", _replace(HCM, "--document", "5/BC\x01"), {}, "U+0001"),
    ("escape sequence in --note", [*HCM, "--note", "đã nhận\x1b[2J"], {}, "--note"),
    ("C1 control in --agency", _replace(HCM, "--agency", "79\x85"), {}, "U+0085"),
    ("received in the future", _replace(HCM, "--received-on", "2026-12-02"), {}, "--allow-future"),
    (
        "received before the directive",
        _replace(HCM, "--received-on", "2015-06-01"),
        {},
        "before directive 24/CT-TTg was issued (2016-08-02)",
    ),
    ("period 0001", _replace(HCM, "--period", "0001"), {}, "--period 0001 is outside"),
    ("period 1900", _replace(HCM, "--period", "1900"), {}, "(2026 to 2027)"),
    ("period 9999", _replace(HCM, "--period", "9999"), {}, "--period 9999 is outside"),
    ("period beyond the periods ahead", _replace(HCM, "--period", "2028"), {}, "(2026 to 2027)"),
    ("withdraw for period 9999", _replace(WITHDRAW, "--period", "9999"), {}, "(2026 to 2027)"),
    ("control character in --reason", _replace(WITHDRAW, "--reason", "x\x1b"), {}, "--reason"),
    (
        "csv NUL in a name",
        ["contacts", "import", "c.csv"],
        {"c.csv": (CSV + GOOD_ROW + "79,email,vt@hcm.test,Nguyễn\x00 Văn A\n").encode()},
        "c.csv:3: name: contains the control character U+0000",
    ),
    (
        "csv DEL in a target",
        ["contacts", "import", "c.csv"],
        {"c.csv": (CSV + "79,apprise,json://hcm.test/\x7f,\n").encode()},
        "c.csv:2: target",
    ),
    (
        "csv duplicate columns",
        ["contacts", "import", "c.csv"],
        {"c.csv": b"agency,channel,target,name,target\n01,email,a@hanoi.test,A,b@hanoi.test\n"},
        "duplicate column(s) target",
    ),
    (
        "csv duplicate contact rows",
        ["contacts", "import", "c.csv"],
        {"c.csv": (CSV + GOOD_ROW + "79,email,vt@hcm.test,\n01,EMAIL,VT2@hanoi.test,B\n").encode()},
        "c.csv:4: duplicate of line 2",
    ),
    (
        "csv field of 1 MB",
        ["contacts", "import", "c.csv"],
        {"c.csv": (CSV + GOOD_ROW + f"79,email,vt@hcm.test,{FIELD_1MB}\n").encode()},
        "c.csv:3: field too large",
    ),
    (
        "csv error in a multi-line record names its first line",
        ["contacts", "import", "c.csv"],
        {"c.csv": (CSV + GOOD_ROW + '79,email,vt@hcm.test,"Tên\nhai\ndòng"\n').encode()},
        "c.csv:3: name: contains the control character U+000A",
    ),
]


def _run(args: list[str]) -> tuple[int, str]:
    result = run_main(*args)
    return result.code, result.out + result.err


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    engine = get_engine(get_settings().database_url)
    with engine.connect() as conn:
        return {
            name: [tuple(r) for r in conn.execute(select(table).order_by(text("1")))]
            for name, table in metadata.tables.items()
        }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database every case starts from, made once: bundled data, a contact, Hà Nội's
    report (each case gets a copy of the file, so the cases stay fast)."""
    base = tmp_path_factory.mktemp("loaded")
    url = f"sqlite:///{base / 'data' / 'dondoc.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(base)
        for key in list(os.environ):
            if key.startswith("DONDOC_") or key == "PREFECT_API_URL":
                mp.delenv(key)
        mp.setenv("DONDOC_DATABASE_URL", url)
        mp.setenv("DONDOC_OUTBOX_DIR", str(base / "outbox"))
        assert _run(["init", "--at", "2026-11-20T09:00+07:00"])[0] == 0
        (base / "ok.csv").write_text("agency,channel,target\n01,email,vt@hanoi.test\n", "utf-8")
        assert _run(["contacts", "import", "ok.csv"])[0] == 0
        assert _run(SUBMIT)[0] == 0
        get_engine(url).dispose()  # the last connection checkpoints the WAL into the file
    return base / "data" / "dondoc.db"


@pytest.fixture
def loaded(workdir: Path, template: Path) -> Path:
    (workdir / "data").mkdir()
    shutil.copyfile(template, workdir / "data" / "dondoc.db")
    return workdir


@pytest.mark.parametrize(("name", "args", "files", "named"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_changes_nothing(
    name: str,
    args: list[str],
    files: dict[str, bytes],
    named: str,
    loaded: Path,
) -> None:
    for filename, content in files.items():
        (loaded / filename).write_bytes(content)
    before = _snapshot()
    code, output = _run(args)
    assert code != 0, output
    assert named in output
    assert "Traceback" not in output
    assert _snapshot() == before


FLOW_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("unknown agency", {"agency": "99"}, "99"),
    ("impossible date", {"received_on": "2026-02-30"}, "received_on"),
    ("period of another recurrence", {"period": "2026-05"}, "2026-05"),
    ("dropdown option of an unknown agency", {"agency": "97 - Không tồn tại"}, "97"),
    ("received in the future", {"received_on": "2099-01-02"}, "--allow-future"),
    ("received before the directive", {"received_on": "2001-01-02"}, "before directive"),
    ("period before the first tracked", {"period": "1900"}, "outside the periods tracked"),
    ("period far ahead", {"period": "9999"}, "outside the periods tracked"),
    ("NUL in the document number", {"document": "4/BC\x00"}, "U+0000"),
    ("control character in the note", {"note": "đã nhận\x1b[2J"}, "U+001B"),
]


@pytest.mark.parametrize(("name", "change", "named"), FLOW_CASES, ids=[c[0] for c in FLOW_CASES])
def test_bad_run_parameters_are_refused_and_change_nothing(
    name: str, change: dict[str, Any], named: str, loaded: Path, prefect_api: None
) -> None:
    """The same refusals for a flow run started with bad parameters (UI form, `dondoc run`)."""
    from dondoc.flows.submission import record_submission_flow

    params: dict[str, Any] = {
        "agency": "79", "obligation": "annual-report", "period": "2026",
        "document": "4/BC-UBND", "received_on": "2026-11-24",
    }  # fmt: skip
    params.update(change)
    before = _snapshot()
    with pytest.raises(Exception) as caught:
        record_submission_flow(**params)
    assert named in str(caught.value)
    assert _snapshot() == before


# Issue #14: `dondoc submit` refuses like the web form, in Vietnamese naming the value (then the
# English), run as a user runs it (a separate process).
VI_CASES: list[tuple[str, list[str], str]] = [
    ("period never assigned", _replace(HCM, "--period", "1999"),
     "Kỳ 1999 không thuộc các kỳ chỉ thị giao cho cơ quan này. Các kỳ đang theo dõi: từ 2026 "
     "đến 2027."),
    ("received in the future", _replace(HCM, "--received-on", "02/12/2026"),
     "Ngày nhận 02/12/2026 sau ngày hôm nay (01/12/2026): không thể nhận báo cáo trong tương "
     "lai. Nếu đúng là vậy (diễn tập), hãy thêm --allow-future."),
    ("received before the directive", _replace(HCM, "--received-on", "2015-06-01"),
     "Ngày nhận 01/06/2015 trước ngày ban hành chỉ thị (02/08/2016)"),
    ("duplicate", SUBMIT,
     "Nhiệm vụ annual-report kỳ 2026 của cơ quan 01 đã có báo cáo được ghi nhận (hoàn thành "
     "đúng hạn)"),
    ("unknown agency", _replace(SUBMIT, "--agency", "99"), "Không có cơ quan nào mang mã «99»."),
    ("unknown obligation", _replace(HCM, "--obligation", "bao-cao"),
     "Không có nhiệm vụ nào mang mã «bao-cao»."),
]  # fmt: skip


@pytest.mark.parametrize(("name", "args", "said"), VI_CASES, ids=[c[0] for c in VI_CASES])
def test_submit_refuses_in_vietnamese_naming_the_value(
    name: str, args: list[str], said: str, loaded: Path, cli: Any
) -> None:
    before = _snapshot()
    result = cli(*args)
    assert result.code == 2, result.out + result.err
    line = result.err.strip()
    assert line.startswith("lỗi: ") and said in line, line
    assert line.endswith(")") and "Traceback" not in line  # the English follows in brackets
    assert result.out == "" and _snapshot() == before


def test_submit_takes_the_received_date_as_dd_mm_yyyy(loaded: Path, cli: Any) -> None:
    result = cli(*_replace(HCM, "--received-on", "24/11/2026"))
    assert result.code == 0, result.err
    assert result.out == "recorded 1/BC-UBND for 79 annual-report 2026: done_on_time\n"
    board = json.loads(cli("status", "--format", "json", "--period", "2026").out)
    hcm = next(r for r in board if r["agency"] == "79" and r["obligation"] == "annual-report")
    assert hcm["submitted_on"] == "2026-11-24"
