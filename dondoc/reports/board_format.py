"""Render the compliance board as a table for people, or as JSON / CSV for programs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from collections import Counter
from collections.abc import Sequence

from dondoc.reports.board import STATUS_LABELS_VI, BoardRow
from dondoc.reports.cell_text import csv_field
from dondoc.reports.directive_ref import directive_label

COLUMNS_VI = (
    ("agency", "Mã"),
    ("agency_name", "Cơ quan"),
    ("obligation", "Nhiệm vụ"),
    ("period", "Kỳ"),
    ("due_date", "Hạn"),
    ("cutoff_window", "Kỳ số liệu"),
    ("status_label", "Tình trạng"),
    ("submitted_on", "Ngày nhận"),
    ("document", "Số văn bản"),
    ("reminders_sent", "Đã nhắc"),
    ("reminders_waiting", "Chờ gửi"),
)

# Shown after "Cơ quan" only when some row holds a task taken over from another agency.
LINEAGE_COLUMN = ("inherited_from", "Kế thừa từ")


# Shown last only when some message was given up; the reasons follow the table.
GIVEN_UP_COLUMN = ("reminders_given_up", "Ngừng gửi")

# Shown first when the rows come from several directives (two years of 24/CT-TTg among them).
DIRECTIVE_COLUMN = ("directive_label", "Chỉ thị")


def row_directive(row: BoardRow) -> str:
    """The row's directive as a label that tells years apart: "24/CT-TTg (2016)"."""
    if row.directive_year is None:
        return row.directive
    return directive_label(row.directive, row.directive_year)


def several_directives(rows: Sequence[BoardRow]) -> bool:
    return len({(r.directive, r.directive_year) for r in rows}) > 1


def columns_for(rows: Sequence[BoardRow]) -> tuple[tuple[str, str], ...]:
    """The table's columns: COLUMNS_VI, with the lineage column when any row needs it and
    the given-up column when any message was given up."""
    columns: tuple[tuple[str, str], ...] = COLUMNS_VI
    if any(r.inherited_from for r in rows):
        at = [key for key, _ in COLUMNS_VI].index("agency_name") + 1
        columns = (*COLUMNS_VI[:at], LINEAGE_COLUMN, *COLUMNS_VI[at:])
    if any(r.reminders_given_up for r in rows):
        columns = (*columns, GIVEN_UP_COLUMN)
    if several_directives(rows):
        columns = (DIRECTIVE_COLUMN, *columns)
    return columns


def cell_value(row: BoardRow, key: str) -> object:
    return row_directive(row) if key == DIRECTIVE_COLUMN[0] else getattr(row, key)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return unicodedata.normalize("NFC", str(value))


def _table(rows: Sequence[BoardRow]) -> str:
    if not rows:
        return "Không có nhiệm vụ nào phù hợp.\n"
    columns = columns_for(rows)
    cells = [[_cell(cell_value(r, key)) for key, _ in columns] for r in rows]
    headers = [label for _, label in columns]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    counts = Counter(r.status for r in rows)
    summary = "; ".join(f"{STATUS_LABELS_VI[s]}: {n}" for s, n in sorted(counts.items()))
    lines += ["", f"Tổng số: {len(rows)} — {summary}"]
    waiting = sum(r.reminders_waiting for r in rows)
    if waiting:
        lines.append(f"Thông báo đang chờ gửi lại: {waiting}")
    lines += [
        f"Ngừng gửi thông báo ({r.agency} {r.obligation} {r.period}, {r.reminders_given_up}):"
        f" {_cell(r.given_up_reason)}"
        for r in rows
        if r.reminders_given_up
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _json(rows: Sequence[BoardRow]) -> str:
    return (
        json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=2) + "\n"
    )


def _csv(rows: Sequence[BoardRow]) -> str:
    """One line per row, "\\n"-terminated; a field holding a CR or LF is quoted (Python 3.11's
    writer quotes only the terminator's characters, hence the "\\r\\n" cut off each line), and
    a field that could start a formula is written as text (dondoc.reports.cell_text)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(BoardRow.model_fields), lineterminator="\r\n")
    lines = []
    for r in [None, *rows]:
        out.seek(0)
        out.truncate()
        if r is None:
            writer.writeheader()
        else:
            writer.writerow({k: csv_field(v) for k, v in r.model_dump(mode="json").items()})
        lines.append(out.getvalue().removesuffix("\r\n"))
    return "\n".join(lines) + "\n"


def render_board(rows: Sequence[BoardRow], fmt: str) -> str:
    return {"table": _table, "json": _json, "csv": _csv}[fmt](rows)
