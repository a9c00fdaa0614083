"""Nothing dondoc writes out carries a formula or can be redirected (issue #12, cases 5 and 6):
user text in the workbook and the board's CSV stays text, in openpyxl and in LibreOffice; every
output file replaces only a regular file, through a fresh temporary file, and leaves nothing
behind when it refuses."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dondoc.reports.board import BoardRow
from dondoc.reports.board_format import render_board
from dondoc.reports.lineage_notes import LineageNote, Predecessor
from dondoc.reports.synthesis import Synthesis, SynthesisRow, summarise, tally
from dondoc.reports.xlsx import write_synthesis_xlsx
from tests.conftest import CliResult, run_dondoc

CALC = "=cmd|' /C calc'!A0"  # the reported payload
TRIGGERS = ["=1+1", "+1+1", "-1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1", "\uff1d1+1"]
DISPATCH = Path(__file__).parent / "fixtures" / "dispatches" / "bxd-quarterly-bom.txt"
AT = "2026-11-20T09:00+07:00"


# --- formulas: the board's CSV ---------------------------------------------------------------


def _board_row(text: str) -> BoardRow:
    return BoardRow(
        agency=text,
        agency_name=text,
        directive="24/CT-TTg",
        obligation="annual-report",
        obligation_title=text,
        period="2026",
        due_date=dt.date(2026, 12, 9),
        status="done_late",
        status_label="Hoàn thành quá hạn",
        submitted_on=dt.date(2026, 12, 11),
        document=text,
        days_late=-2,  # a number dondoc writes stays a number, minus sign and all
        reminders_sent=3,
        inherited_from=text,
    )


@pytest.mark.parametrize("text", TRIGGERS)
def test_status_csv_writes_formula_like_fields_as_text(text: str) -> None:
    [row] = list(csv.DictReader(io.StringIO(render_board([_board_row(text)], "csv"))))
    for key in ("agency", "agency_name", "obligation_title", "document", "inherited_from"):
        assert row[key] == "'" + text, key
    assert (row["days_late"], row["reminders_sent"], row["period"]) == ("-2", "3", "2026")
    assert row["status_label"] == "Hoàn thành quá hạn" and row["due_date"] == "2026-12-09"


# --- formulas: the synthesis workbook --------------------------------------------------------

# Every piece of user data the workbook shows, each beginning like a formula.
USER_TEXT = {
    "agency": "+1+1",
    "agency_name": CALC,
    "obligation_title": "=1+1 (tiêu đề nhiệm vụ)",
    "document": "@SUM(1+1)*cmd|' /C calc'!A0",
    "inherited_from": "-2+3 (đến 30/06/2025)",
}
NOTE_AGENCY = '=HYPERLINK("http://x.test","bấm")'


def _synthesis() -> Synthesis:
    row = SynthesisRow(
        agency=USER_TEXT["agency"],
        agency_name=USER_TEXT["agency_name"],
        agency_kind="provincial_committee",
        obligation="annual-report",
        obligation_title=USER_TEXT["obligation_title"],
        due_date=dt.date(2026, 12, 9),
        status="done_late",
        status_label="Hoàn thành quá hạn",
        document=USER_TEXT["document"],
        submitted_on=dt.date(2026, 12, 11),
        days_late=-2,
        inherited_from=USER_TEXT["inherited_from"],
    )
    rows = (row,)
    return Synthesis(
        directive="=5+5",
        doc_type="CT",
        subject="-6+6",
        issuer="@Thủ tướng",
        issued_on=dt.date(2016, 8, 2),
        period="2026",
        obligation=None,
        generated_on=dt.date(2026, 12, 16),
        rows=rows,
        obligations=summarise(rows, {"annual-report": USER_TEXT["obligation_title"]}),
        tally=tally(r.status for r in rows),
        lineage=(
            LineageNote(
                agency="08",
                agency_name=NOTE_AGENCY,
                predecessors=(Predecessor("02", "=Hà Giang", dt.date(2025, 7, 1)),),
            ),
        ),
    )


def _cells(wb: Any) -> list[Any]:
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_workbook_stores_user_text_as_text_not_formulas(tmp_path: Path) -> None:
    out = write_synthesis_xlsx(_synthesis(), tmp_path / "tong-hop.xlsx")
    cells = _cells(openpyxl.load_workbook(out))
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    by_value = {c.value: c for c in cells}
    for name, text in USER_TEXT.items():
        cell = by_value[text]  # shown verbatim, as typed
        assert (cell.data_type, cell.quotePrefix) == ("s", True), name
    note = next(c for c in cells if str(c.value).startswith(NOTE_AGENCY))
    assert note.data_type == "s" and note.parent.title == "Ghi chú"
    stats_head = [c for c in cells if c.parent.title == "Thống kê" and c.value == USER_TEXT[
        "obligation_title"]]  # fmt: skip
    assert stats_head and stats_head[0].data_type == "s"
    numbers = {c.value: c.data_type for c in cells if not isinstance(c.value, str)}
    assert numbers[-2] == "n" and numbers[1] == "n"  # days late and counts stay numbers


def _libreoffice_csv(workbook: Path, folder: Path) -> list[list[str]]:
    """Every sheet as LibreOffice computes and shows it (a formula would show its result)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is part of the test set-up: run `make office`"
    target = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{folder / 'lo-profile'}",
         "--convert-to", target, "--outdir", str(folder / "lo"), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    sheets = sorted((folder / "lo").glob("*.csv"))
    assert len(sheets) == 3, sheets
    return [row for sheet in sheets for row in csv.reader(sheet.open(encoding="utf-8"))]


def test_libreoffice_shows_the_user_text_not_a_result(tmp_path: Path) -> None:
    out = write_synthesis_xlsx(_synthesis(), tmp_path / "tong-hop.xlsx")
    shown = [cell for row in _libreoffice_csv(out, tmp_path) for cell in row]
    for text in USER_TEXT.values():
        assert text in shown
    assert any(cell.startswith(NOTE_AGENCY) for cell in shown)
    assert "-2" in shown  # days late: a number, still shown as one
    assert not [c for c in shown if c.startswith(("Err:", "#NAME", "#VALUE", "#REF"))]


# --- output files: only a regular file is ever replaced --------------------------------------


@pytest.fixture(scope="module")
def initialised_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    db = folder / "dondoc.db"
    env = {"DONDOC_DATABASE_URL": f"sqlite:///{db}", "DONDOC_OUTBOX_DIR": str(folder / "o")}
    made = run_dondoc("init", "--at", AT, env=env, cwd=folder)
    assert made.code == 0, made.err
    return db


@pytest.fixture
def dondoc(workdir: Path, initialised_db: Path) -> Callable[..., CliResult]:
    (workdir / "data").mkdir()
    shutil.copyfile(initialised_db, workdir / "data" / "dondoc.db")
    return lambda *args: run_dondoc(*args, cwd=workdir)


COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "report": lambda t: ["report", "--directive", "24/CT-TTg", "--period", "2026", "--out", t],
    "export": lambda t: ["export", t],
    "ics": lambda t: ["ics", "--agency", "01", "--output", t],
    "import-dispatch": lambda t: ["import-dispatch", str(DISPATCH), "--at", AT, "-o", t, "--force"],
}
OPTION = {"report": "--out ", "export": "", "ics": "--output ", "import-dispatch": "--output "}


def _fifo(p: Path) -> str:
    os.mkfifo(p)
    return "named pipe"


def _dev_null_link(p: Path) -> str:
    p.symlink_to("/dev/null")
    return "symbolic link"


def _victim_link(p: Path) -> str:
    p.symlink_to(p.parent / "victim.txt")
    return "symbolic link"


def _directory(p: Path) -> str:
    p.mkdir()
    (p / "victim.txt").write_text("keep me\n", encoding="utf-8")
    return "is a directory"


TARGETS = {"fifo": _fifo, "devnull": _dev_null_link, "link": _victim_link, "dir": _directory}


def _snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every entry in the folder (links not followed): its kind and, for files, the text."""
    shown = {}
    for p in sorted(folder.rglob("*")):
        if "lo-profile" in p.parts or p.name == "dondoc.db":
            continue
        st = p.lstat()
        text = p.read_text(encoding="utf-8") if p.is_file() and not p.is_symlink() else ""
        link = os.readlink(p) if p.is_symlink() else ""
        shown[str(p.relative_to(folder))] = (st.st_mode >> 12, text + link)
    return shown


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_special_or_linked_target_is_refused(
    dondoc: Callable[..., CliResult], workdir: Path, command: str, target: str
) -> None:
    out = workdir / "out" / "target"
    out.parent.mkdir()
    (out.parent / "victim.txt").write_text("keep me\n", encoding="utf-8")
    problem = TARGETS[target](out)
    before = _snapshot(out.parent)
    result = dondoc(*COMMANDS[command](str(out)))
    assert result.code == 2, result.out + result.err
    assert result.err.startswith(f"error: {OPTION[command]}{out}: ") and problem in result.err
    assert len(result.err.splitlines()) == 1
    assert _snapshot(out.parent) == before  # the victim, the link and the folder untouched


def test_a_planted_partial_link_is_never_written_through(
    dondoc: Callable[..., CliResult], workdir: Path
) -> None:
    victim = workdir / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    out = workdir / "d" / "draft.yaml"
    out.parent.mkdir()
    (out.parent / "draft.yaml.partial").symlink_to(victim)  # where the old code wrote first
    made = dondoc(*COMMANDS["import-dispatch"](str(out)))
    assert made.code == 0, made.err
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert out.read_text(encoding="utf-8").startswith("# DRAFT directive spec")
    assert sorted(p.name for p in out.parent.iterdir()) == ["draft.yaml", "draft.yaml.partial"]


def test_an_existing_file_is_replaced_only_as_the_command_allows(
    dondoc: Callable[..., CliResult], workdir: Path
) -> None:
    draft, book = workdir / "draft.yaml", workdir / "tong-hop.xlsx"
    for path in (draft, book):
        path.write_text("reviewed\n", encoding="utf-8")
    refused = dondoc("import-dispatch", str(DISPATCH), "--at", AT, "-o", str(draft))
    assert refused.code == 2 and "use --force" in refused.err
    assert draft.read_text(encoding="utf-8") == "reviewed\n"
    assert dondoc(*COMMANDS["import-dispatch"](str(draft))).code == 0
    assert dondoc(*COMMANDS["report"](str(book))).code == 0  # `report` has no --force
    assert openpyxl.load_workbook(book).sheetnames[0] == "Tổng hợp"
    assert sorted(p.name for p in workdir.iterdir() if p.name.startswith(".")) == []


def test_feeds_folder_refuses_a_planted_pipe(
    dondoc: Callable[..., CliResult], workdir: Path
) -> None:
    folder = workdir / "feeds"
    folder.mkdir()
    os.mkfifo(folder / "agency-01.ics")
    result = dondoc("ics", "--all", str(folder), "--at", AT)
    assert result.code == 2
    pipe = folder / "agency-01.ics"
    assert result.err == f"error: --all {pipe}: is a named pipe (FIFO), not a regular file\n"
    assert pipe.is_fifo()
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
