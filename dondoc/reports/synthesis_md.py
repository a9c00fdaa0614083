"""The synthesis in Vietnamese words: titles, period labels, the dashboard's markdown and table."""

from __future__ import annotations

import datetime as dt

from dondoc.engine.periods import period_label_vi
from dondoc.reports.board import STATUS_LABELS_VI
from dondoc.reports.lineage_notes import note_vi
from dondoc.reports.synthesis import Synthesis, SynthesisRow, Tally

# The columns of the synthesis, as the workbook and the dashboard table head them.
HEADERS_VI = (
    "STT",
    "Mã cơ quan",
    "Tên cơ quan",
    "Nhiệm vụ",
    "Hạn",
    "Tình trạng",
    "Số, ký hiệu văn bản",
    "Ngày nhận",
    "Số ngày chậm",
)
DOC_TYPES_VI = {
    "CT": "Chỉ thị",
    "QĐ": "Quyết định",
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "KH": "Kế hoạch",
    "CV": "Công văn",
}
# Added after HEADERS_VI only when some row holds a task taken over from another agency.
LINEAGE_HEADER_VI = "Kế thừa từ"
NOTES_VI = "Ghi chú về kế thừa nhiệm vụ sau sắp xếp đơn vị hành chính"
ON_TIME_VI = "Tỷ lệ hoàn thành đúng hạn"
DONE_VI = "Tỷ lệ đã hoàn thành (đúng hạn và quá hạn)"


def has_lineage(s: Synthesis) -> bool:
    return any(r.inherited_from for r in s.rows)


def headers_for(s: Synthesis) -> tuple[str, ...]:
    """HEADERS_VI, plus "Kế thừa từ" when a row needs it."""
    return (*HEADERS_VI, LINEAGE_HEADER_VI) if has_lineage(s) else HEADERS_VI


def lineage_lines(s: Synthesis) -> list[str]:
    """The notes on agencies merged or renamed, one sentence each."""
    return [note_vi(note) for note in s.lineage]


def row_cells(row: SynthesisRow, index: int, *, lineage: bool = False) -> tuple[object, ...]:
    """One row under HEADERS_VI (and the lineage column if asked), numbered from 1; dates stay
    dates."""
    cells = _base_cells(row, index)
    return (*cells, row.inherited_from) if lineage else cells


def _base_cells(row: SynthesisRow, index: int) -> tuple[object, ...]:
    return (
        index,
        row.agency,
        row.agency_name,
        row.obligation_title,
        row.due_date,
        row.status_label,
        row.document,
        row.submitted_on,
        row.days_late,
    )


def scope_vi(s: Synthesis) -> str:
    """'Kỳ báo cáo: năm 2026', plus the obligation when the synthesis covers only one."""
    text = f"Kỳ báo cáo: {period_label_vi(s.period)}"
    if s.obligation is not None:
        titles = [ob.title for ob in s.obligations if ob.code == s.obligation]
        text += f" — Nhiệm vụ: {titles[0] if titles else s.obligation}"
    return text


def cutoff_vi(s: Synthesis) -> str:
    """'Kỳ số liệu: 15/12/2025–14/12/2026' (per obligation when they differ; Decree 09/2019,
    Art. 12), or '' when no obligation has a data cut-off."""
    present = {ob.code for ob in s.obligations}
    windows = {code: w for code, w in s.cutoffs.items() if code in present}
    if not windows:
        return ""
    if len(set(windows.values())) == 1 and len(windows) == len(s.obligations):
        return f"Kỳ số liệu: {next(iter(windows.values()))}"
    parts = [f"{ob.title}: {windows[ob.code]}" for ob in s.obligations if ob.code in windows]
    return "Kỳ số liệu: " + "; ".join(parts)


def document_name(s: Synthesis) -> str:
    """'Chỉ thị số 24/CT-TTg'."""
    kind = DOC_TYPES_VI.get(s.doc_type or "", "văn bản").capitalize()
    return f"{kind} số {s.directive}"


def title(s: Synthesis) -> str:
    """'TỔNG HỢP TÌNH HÌNH THỰC HIỆN CHỈ THỊ SỐ 24/CT-TTg NGÀY 02/08/2016' (the number keeps
    its case; the date tells 24/CT-TTg of 2016 from that of 2012)."""
    kind = DOC_TYPES_VI.get(s.doc_type or "", "văn bản").upper()
    if s.issued_on:
        when = f" NGÀY {date_vi(s.issued_on)}"
    else:
        when = f" NĂM {s.directive_year}" if s.directive_year else ""
    return f"TỔNG HỢP TÌNH HÌNH THỰC HIỆN {kind} SỐ {s.directive}{when}"


def citation(s: Synthesis) -> str:
    """'Chỉ thị số 24/CT-TTg ngày 02/08/2016 của Thủ tướng Chính phủ về việc ...'."""
    parts = [document_name(s)]
    if s.issued_on:
        parts.append(f"ngày {date_vi(s.issued_on)}")
    if s.issuer:
        parts.append(f"của {s.issuer}")
    if s.subject:
        parts.append(s.subject[:1].lower() + s.subject[1:])
    return " ".join(parts)


def date_vi(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def percent_vi(value: float) -> str:
    """0.125 -> '12,5%' (Vietnamese decimal comma)."""
    return f"{value * 100:.1f}".replace(".", ",") + "%"


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = date_vi(value) if isinstance(value, dt.date) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _tally_lines(t: Tally) -> list[str]:
    lines = [f"- Tổng số nhiệm vụ: **{t.total}**"]
    lines += [
        f"- {STATUS_LABELS_VI.get(status, status)}: {n}" for status, n in t.counts.items() if n
    ]
    lines.append(f"- {ON_TIME_VI}: **{percent_vi(t.on_time_rate)}** ({t.done_on_time}/{t.total})")
    lines.append(
        f"- {DONE_VI}: **{percent_vi(t.done_rate)}** ({t.done_on_time + t.done_late}/{t.total})"
    )
    return lines


def render_markdown(s: Synthesis) -> str:
    """The dashboard's markdown artifact: heading, counts, rates, the table of agencies."""
    out = [
        f"# {title(s)}",
        "",
        f"{citation(s)}.",
        "",
        f"{scope_vi(s)} · Ngày lập: {date_vi(s.generated_on)}",
        *(["", cutoff_vi(s)] if cutoff_vi(s) else []),
        "",
        "## Kết quả chung",
        *_tally_lines(s.tally),
    ]
    if len(s.obligations) > 1:
        for ob in s.obligations:
            out += ["", f"### {ob.title}", *_tally_lines(ob.tally)]
    out += ["", "## Danh sách cơ quan", ""]
    headers, lineage = headers_for(s), has_lineage(s)
    out.append("| " + " | ".join(headers) + " |")
    out.append("|" + "|".join("---" for _ in headers) + "|")
    for i, row in enumerate(s.rows, 1):
        out.append("| " + " | ".join(_cell(c) for c in row_cells(row, i, lineage=lineage)) + " |")
    if s.lineage:
        out += ["", f"## {NOTES_VI}", "", *(f"- {line}" for line in lineage_lines(s))]
    return "\n".join(out) + "\n"


def table_rows(s: Synthesis) -> list[dict[str, object]]:
    """The dashboard's table artifact: one dict per row, keyed by the Vietnamese headings."""
    out: list[dict[str, object]] = []
    headers, lineage = headers_for(s), has_lineage(s)
    for i, row in enumerate(s.rows, 1):
        cells = row_cells(row, i, lineage=lineage)
        out.append(
            {
                h: date_vi(c) if isinstance(c, dt.date) else ("" if c is None else c)
                for h, c in zip(headers, cells, strict=True)
            }
        )
    return out
