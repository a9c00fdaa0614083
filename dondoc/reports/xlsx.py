"""The synthesis as an Excel workbook, ready to attach to the report to the Prime Minister:
sheet "Tổng hợp" (one row per task) and sheet "Thống kê" (counts and rates)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from dondoc.output_files import write_output
from dondoc.reports.board import STATUS_LABELS_VI
from dondoc.reports.cell_text import starts_formula
from dondoc.reports.synthesis import Synthesis, Tally
from dondoc.reports.synthesis_md import (
    DONE_VI,
    NOTES_VI,
    ON_TIME_VI,
    citation,
    cutoff_vi,
    date_vi,
    has_lineage,
    headers_for,
    lineage_lines,
    row_cells,
    scope_vi,
    title,
)

SHEET_ROWS = "Tổng hợp"
SHEET_STATS = "Thống kê"
SHEET_NOTES = "Ghi chú"  # only when an agency listed took over others or was renamed
NOTES_WIDTH = 120
LINEAGE_WIDTH = 26
DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0.0%"
WIDTHS = (6, 12, 42, 40, 12, 26, 22, 12, 10)
DATE_COLUMNS = {5, 8}  # "Hạn", "Ngày nhận" (1-based)
HEADER_ROW = 6

BOLD = Font(bold=True)
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)


def _put(ws: Any, row: int, column: int, value: object) -> Any:
    """Set a cell; text is stored as text, never as a formula or an error value (openpyxl reads
    a str beginning with "=" as a formula and "#N/A" as an error). Text that could start a
    formula also gets Excel's quote prefix, so editing the cell keeps it text."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if starts_formula(value):
            cell.quotePrefix = True
    return cell


def _title_block(ws: Any, s: Synthesis, width: int, chars: int) -> None:
    """Four centred lines merged across `width` columns that hold about `chars` characters."""
    lines = [
        (title(s), Font(bold=True, size=14)),
        (citation(s), Font(italic=True)),
        (scope_vi(s), BOLD),
        (f"Ngày lập: {date_vi(s.generated_on)}", Font()),
    ]
    if cutoff_vi(s):  # row 5, above the header row
        lines.append((cutoff_vi(s), Font(italic=True)))
    last = get_column_letter(width)
    for row, (text, font) in enumerate(lines, 1):
        _put(ws, row, 1, text).font = font
        ws.cell(row=row, column=1).alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = 18 * (1 + int(len(text) * (font.sz or 11) / 11 / chars))


def _header(ws: Any, row: int, headers: tuple[str, ...] | list[str]) -> None:
    for column, text in enumerate(headers, 1):
        cell = _put(ws, row, column, text)
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, CENTER, BORDER


def _rows_sheet(ws: Any, s: Synthesis) -> None:
    headers, lineage = headers_for(s), has_lineage(s)
    widths = (*WIDTHS, LINEAGE_WIDTH) if lineage else WIDTHS
    _title_block(ws, s, len(headers), sum(widths))
    _header(ws, HEADER_ROW, headers)
    for i, row in enumerate(s.rows, 1):
        for column, value in enumerate(row_cells(row, i, lineage=lineage), 1):
            cell = _put(ws, HEADER_ROW + i, column, value)
            cell.border = BORDER
            cell.alignment = CENTER if column in DATE_COLUMNS or column in {1, 9} else WRAP
            if column in DATE_COLUMNS:
                cell.number_format = DATE_FORMAT
    for column, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(column)].width = width
    last_row = HEADER_ROW + max(len(s.rows), 1)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(headers))}{last_row}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _stats_sheet(ws: Any, s: Synthesis) -> None:
    """Statuses down, one column per obligation (and the total when there are several)."""
    columns: list[tuple[str, Tally]] = [(ob.title, ob.tally) for ob in s.obligations]
    if len(columns) != 1:
        columns.append(("Tổng cộng", s.tally))
    _title_block(ws, s, len(columns) + 1, 44 + 30 * len(columns))
    _header(ws, HEADER_ROW, ["Tình trạng", *(name for name, _ in columns)])
    labels = [(status, STATUS_LABELS_VI.get(status, status)) for status in s.counts]
    body: list[tuple[str, list[float | int], str | None]] = [
        (label, [t.counts.get(status, 0) for _, t in columns], None) for status, label in labels
    ]
    body.append(("Tổng số", [t.total for _, t in columns], None))
    body.append((ON_TIME_VI, [t.on_time_rate for _, t in columns], PERCENT_FORMAT))
    body.append((DONE_VI, [t.done_rate for _, t in columns], PERCENT_FORMAT))
    for r, (label, values, number_format) in enumerate(body, HEADER_ROW + 1):
        head = _put(ws, r, 1, label)
        head.border, head.alignment = BORDER, WRAP
        head.font = BOLD if number_format or label == "Tổng số" else Font()
        for c, value in enumerate(values, 2):
            cell = _put(ws, r, c, value)
            cell.border, cell.alignment = BORDER, CENTER
            if number_format:
                cell.number_format = number_format
    ws.column_dimensions["A"].width = 44
    for c in range(2, len(columns) + 2):
        ws.column_dimensions[get_column_letter(c)].width = 30
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)


def _notes_sheet(ws: Any, s: Synthesis) -> None:
    """The agencies listed that took over merged provinces or were renamed, one per row."""
    _title_block(ws, s, 2, 6 + NOTES_WIDTH)
    _header(ws, HEADER_ROW, ["STT", NOTES_VI])
    for i, line in enumerate(lineage_lines(s), 1):
        _put(ws, HEADER_ROW + i, 1, i).alignment = CENTER
        _put(ws, HEADER_ROW + i, 2, line).alignment = WRAP
        for column in (1, 2):
            ws.cell(row=HEADER_ROW + i, column=column).border = BORDER
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = NOTES_WIDTH


def build_workbook(s: Synthesis) -> Workbook:
    wb = Workbook()
    rows = wb.active
    assert rows is not None
    rows.title = SHEET_ROWS
    _rows_sheet(rows, s)
    _stats_sheet(wb.create_sheet(SHEET_STATS), s)
    if s.lineage:
        _notes_sheet(wb.create_sheet(SHEET_NOTES), s)
    wb.properties.title = title(s)
    wb.properties.creator = "dondoc"
    return wb


def write_synthesis_xlsx(synthesis: Synthesis, path: Path, *, option: str = "--out") -> Path:
    """Write the workbook all or nothing (dondoc.output_files): a reader never sees half a file,
    a failure leaves any previous workbook in place, and no special file or link is written to."""
    buffer = io.BytesIO()
    build_workbook(synthesis).save(buffer)
    return write_output(Path(path), buffer.getvalue(), option=option)
