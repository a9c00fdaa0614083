"""Dispatches as officials receive them (issue #15, inputs): a Word file whose header is a
two-column table, a PDF with a text layer (printed by Chromium, `make browser`), read like the
same dispatch's plain text; a scanned PDF, a damaged file, a zip bomb refused with a message
saying why, the file named, exit 2 and nothing written."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from dondoc.config.successions import load_directory
from dondoc.reading.draft import DispatchDraft, parse_dispatch
from dondoc.reading.sources import document_text
from dondoc.reading.text import DispatchTextError
from tests.chromium import launched_chromium
from tests.conftest import run_dondoc

AT = "2026-05-01T09:00+07:00"
TODAY = dt.date(2026, 5, 1)
LEFT = ["BỘ XÂY DỰNG", "CỤC PHÁT TRIỂN ĐÔ THỊ", "-------", "Số: 215/PTĐT-QHKT",
        "V/v đôn đốc báo cáo thực hiện Đề án", "phát triển đô thị thông minh"]  # fmt: skip
RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "---------------",
         "Hà Nội, ngày 12 tháng 4 năm 2026"]  # fmt: skip
BODY = [
    "Kính gửi: Sở Xây dựng các tỉnh, thành phố trực thuộc Trung ương",
    "Thực hiện Đề án phát triển đô thị thông minh bền vững Việt Nam giai đoạn 2018 - 2025, Cục "
    "Phát triển đô thị đề nghị Sở Xây dựng các tỉnh, thành phố trực thuộc Trung ương:",
    "1. Báo cáo kết quả thực hiện năm 2025, gửi về Cục Phát triển đô thị trước ngày 30/4/2026.",
    "2. Định kỳ hằng quý, báo cáo tiến độ các dự án trước ngày 20 của tháng cuối quý.",
    "Trân trọng./.",
]
SIGNED_LEFT = ["Nơi nhận:", "- Như trên;", "- Lưu: VT, PTĐT(02b)."]
SIGNED_RIGHT = ["KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "", "Nguyễn Văn An"]


def _text() -> str:
    rows = [f"{a}\t{b}" for a, b in zip(LEFT, RIGHT, strict=False)] + LEFT[len(RIGHT) :]
    signed = [f"{a}\t{b}" for a, b in zip(SIGNED_LEFT, SIGNED_RIGHT, strict=False)]
    return "\n".join([*rows, "", *BODY, "", *signed, "\t" + SIGNED_RIGHT[-1]]) + "\n"


def _docx() -> bytes:
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    _fill(header.cell(0, 0), LEFT)
    _fill(header.cell(0, 1), RIGHT)
    for line in BODY:
        document.add_paragraph(line)
    signature = document.add_table(rows=1, cols=2)
    _fill(signature.cell(0, 0), SIGNED_LEFT)
    _fill(signature.cell(0, 1), SIGNED_RIGHT)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _fill(cell: docx.table._Cell, lines: list[str]) -> None:
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _pdf() -> bytes:
    """The dispatch laid out as printed (a two-column header table), printed to PDF."""

    def column(lines: list[str]) -> str:
        return "<br>".join(html.escape(line) for line in lines)

    page = (
        "<!doctype html><meta charset='utf-8'><style>body{font:13pt serif}"
        "td{vertical-align:top;text-align:center;width:50%}p{text-align:justify}</style>"
        f"<table style='width:100%'><tr><td>{column(LEFT)}</td><td>{column(RIGHT)}</td></tr>"
        "</table>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in BODY)
        + f"<table style='width:100%'><tr><td style='text-align:left'>{column(SIGNED_LEFT)}</td>"
        f"<td>{column(SIGNED_RIGHT)}</td></tr></table>"
    )
    with launched_chromium(60_000) as browser:
        tab = browser.new_page()
        tab.set_content(page)
        return tab.pdf(format="A4")


def _read(text: str) -> DispatchDraft:
    return parse_dispatch(text, load_directory(), today=TODAY)


def _seen(draft: DispatchDraft) -> tuple[object, ...]:
    doc = draft.document
    rules = tuple((o.kind, o.recurrence, o.deadline) for o in draft.obligations)
    fields = (doc.number, doc.doc_type, doc.issuer, doc.issued_on, doc.subject, doc.unit)
    return (*fields, draft.addressees, rules)


@pytest.fixture(scope="module")
def from_text() -> tuple[object, ...]:
    seen = _seen(_read(_text()))
    assert seen[:4] == ("215/PTĐT-QHKT", "CV", "Cục Phát triển đô thị", dt.date(2026, 4, 12))
    return seen


def test_a_word_file_reads_like_its_text(from_text: tuple[object, ...]) -> None:
    text = document_text(_docx(), "215-PTDT.docx")
    assert "BỘ XÂY DỰNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert _seen(_read(text)) == from_text


_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps">'
    "<w:drawing><wps:wsp><wps:txbx><w:txbxContent>{lines}</w:txbxContent></wps:txbx></wps:wsp>"
    "</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{lines}"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def test_a_header_in_text_boxes_is_read_once(from_text: tuple[object, ...]) -> None:
    """Some templates print the issuer block and the motto block in two text boxes."""
    from docx.oxml import parse_xml

    document = docx.Document()
    anchor = document.add_paragraph()
    for column in (LEFT, RIGHT):
        lines = "".join(f"<w:p><w:r><w:t>{html.escape(line)}</w:t></w:r></w:p>" for line in column)
        anchor._p.append(parse_xml(_BOX.format(lines=lines)))
    for line in BODY:
        document.add_paragraph(line)
    for line in SIGNED_LEFT:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    text = document_text(out.getvalue(), "hop-van-ban.docx")
    assert text.count("Số: 215/PTĐT-QHKT") == 1
    assert _seen(_read(text)) == from_text


def test_a_pdf_with_a_text_layer_reads_like_its_text(from_text: tuple[object, ...]) -> None:
    assert _seen(_read(document_text(_pdf(), "215-PTDT.pdf"))) == from_text


def test_the_content_decides_not_the_name(from_text: tuple[object, ...]) -> None:
    assert _seen(_read(document_text(_docx(), "cong-van.txt"))) == from_text
    with pytest.raises(DispatchTextError, match=r"named \.pdf but it is not a PDF"):
        document_text(_text().encode(), "cong-van.pdf")
    with pytest.raises(DispatchTextError, match=r"named \.docx but it is not a Word file"):
        document_text(_text().encode(), "cong-van.docx")


def _blank_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "name", "problem"),
    [
        (_blank_pdf, "scan.pdf", "a scanned PDF"),
        (lambda: _pdf_cut(), "cut.pdf", "damaged PDF"),
        (lambda: _docx()[:3000], "cut.docx", "damaged Word"),
        (lambda: _zip({"a.txt": b"x"}), "other.docx", "not a Word (.docx) document"),
        (
            lambda: _zip({"word/document.xml": b"<w/>", "word/big.bin": bytes(70_000_000)}),
            "bomb.docx",
            "unpacks to 70 MB",
        ),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.doc", "old binary Word"),
        (lambda: b"{\\rtf1\\ansi S\\'f4: 12/BXD}", "cv.rtf", "Rich Text (.rtf)"),
        (lambda: _zip({"mimetype": b"x", "content.xml": b"<x/>"}), "cv.odt", "OpenDocument"),
        (lambda: b"%PDF-1.4\n" + b"x" * 21_000_000, "huge.pdf", "at most 20 MB"),
    ],
)
def test_unreadable_files_are_refused_saying_why(make: object, name: str, problem: str) -> None:
    assert callable(make)
    with pytest.raises(DispatchTextError, match=re.escape(problem)):
        document_text(make(), name)


def _pdf_cut() -> bytes:
    data = _blank_pdf()
    return data[: len(data) // 3]


def test_import_dispatch_reads_word_and_refuses_a_scan(workdir: Path) -> None:
    (workdir / "cv.docx").write_bytes(_docx())
    made = run_dondoc("import-dispatch", "cv.docx", "--at", AT, cwd=workdir)
    assert made.code == 0, made.err
    draft = (workdir / "215-PTDT-QHKT.draft.yaml").read_text(encoding="utf-8")
    assert "215/PTĐT-QHKT" in draft and "Cục Phát triển đô thị" in draft

    (workdir / "scan.pdf").write_bytes(_blank_pdf())
    refused = run_dondoc("import-dispatch", "scan.pdf", "--at", AT, cwd=workdir)
    assert refused.code == 2
    assert refused.err.startswith("error: scan.pdf: a scanned PDF"), refused.err
    assert "(.docx)" in refused.err
    assert sorted(p.name for p in workdir.glob("*.yaml")) == ["215-PTDT-QHKT.draft.yaml"]
