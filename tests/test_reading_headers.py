"""Headers as printed (issue #15, pattern 5): upper-case trích yếu under the type name, issuers
printed over two lines in two-column headers (tabs or spaces) or in one column, pre-2025
ministries read as today's successors with a note, "Đề án" in a subject, the drafting unit
without its copy count, and a document's year. Whole documents in fixtures/dispatches/headers
(CRLF, NFD, tabs, spaces), each review point with the header line(s) it came from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from dondoc.config.spec_loader import AgencyRecord
from dondoc.reading.agencies import AgencyIndex
from dondoc.reading.blocks import Entry, archive_unit
from dondoc.reading.draft import DispatchDraft, DocumentDraft, parse_dispatch
from dondoc.reading.text import decode_text

HEADERS = Path(__file__).parent / "fixtures" / "dispatches" / "headers"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (HEADERS / "expected.yaml").read_text(encoding="utf-8")
)
TODAY = dt.date(2026, 6, 1)
_HEADER_FIELDS = ("number", "issued_on", "doc_type", "issuer", "subject", "unit")


def _read(text: str, agencies: list[AgencyRecord]) -> DispatchDraft:
    return parse_dispatch(text, agencies, today=TODAY)


def _fixture(name: str) -> str:
    return decode_text((HEADERS / name).read_bytes())


def test_every_header_fixture_has_expectations() -> None:
    assert {p.name for p in HEADERS.glob("*.txt")} == set(EXPECTED)
    assert len(EXPECTED) >= 9


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_header_is_read_as_printed(name: str, agencies: list[AgencyRecord]) -> None:
    want, draft = EXPECTED[name], _read(_fixture(name), agencies)
    doc = draft.document
    got = {key: getattr(doc, key) for key in (*_HEADER_FIELDS, "year")}
    assert got == {key: want[key] for key in (*_HEADER_FIELDS, "year")}
    assert set(draft.addressees) == set(want["addressees"])
    for where, words in want["review"].items():
        points = [p for p in draft.review if p.where == where]
        said = " ".join(f"{p.message} {p.sentence or ''}" for p in points)
        for word in words:
            assert word in said, (where, word, said)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_header_review_point_shows_its_line(name: str, agencies: list[AgencyRecord]) -> None:
    draft = _read(_fixture(name), agencies)
    header_points = [
        p
        for p in draft.review
        if p.where.split(".")[-1] in _HEADER_FIELDS or p.where.endswith("doc_type")
    ]
    for point in header_points:
        assert point.sentence, point
    for point in draft.review:
        if "named as before" in point.message:
            assert point.sentence, point


def _columns(text: str, gap: str) -> str:
    return "\n".join(line.replace("\t", gap) for line in text.split("\n"))


def _column_after_column(text: str) -> str:
    """The header as a PDF's text layer gives it: the left column, then the right one."""
    lines = text.split("\n")
    end = next(i for i, line in enumerate(lines) if line.startswith("Kính gửi"))
    left = [line.split("\t")[0] for line in lines[:end]]
    right = [line.split("\t")[1] for line in lines[:end] if "\t" in line]
    return "\n".join([*left, *right, *lines[end:]])


@pytest.mark.parametrize("name", ["nhnn-nfd-old-ministry.txt", "cuc-ptdt-two-line-issuer.txt"])
def test_the_same_header_in_any_layout_reads_the_same(
    name: str, agencies: list[AgencyRecord]
) -> None:
    text = _fixture(name)
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    want = {key: getattr(_read(text, agencies).document, key) for key in _HEADER_FIELDS}
    for variant in (
        _columns(text, "        "),
        _columns(text, "  "),
        _columns(text, " \u00a0  "),
        _column_after_column(text),
        text.replace("\n", "\r\n"),
    ):
        doc = _read(variant, agencies).document
        assert {key: getattr(doc, key) for key in _HEADER_FIELDS} == want


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        (
            'PHÊ DUYỆT ĐỀ ÁN "PHÁT TRIỂN NHÀ Ở XÃ HỘI GIAI ĐOẠN 2021 - 2030"',
            'Phê duyệt Đề án "Phát triển nhà ở xã hội giai đoạn 2021 - 2030"',
        ),
        (
            "VỀ VIỆC TRIỂN KHAI CHỈ THỊ SỐ 24/CT-TTG TẠI TỈNH YÊN BÁI",
            "Về việc triển khai Chỉ thị số 24/CT-TTg tại tỉnh Yên Bái",
        ),
        (
            "BAN HÀNH QUY CHẾ PHỐI HỢP CỦA BỘ KẾ HOẠCH VÀ ĐẦU TƯ VỚI NGÂN HÀNG NHÀ NƯỚC VIỆT NAM",
            "Ban hành Quy chế phối hợp của Bộ Kế hoạch và Đầu tư với Ngân hàng Nhà nước Việt Nam",
        ),
        (
            "VỀ VIỆC GIAO NHIỆM VỤ CHO\nỦY BAN NHÂN DÂN CÁC TỈNH, THÀNH PHỐ",
            "Về việc giao nhiệm vụ cho Ủy ban nhân dân các tỉnh, thành phố",
        ),
        (
            "KẾT LUẬN CỦA PHÓ THỦ TƯỚNG CHÍNH PHỦ VỀ ĐÔ THỊ LOẠI II",
            "Kết luận của Phó Thủ tướng Chính phủ về đô thị loại II",
        ),
    ],
)
def test_a_subject_in_capitals_is_read_in_sentence_case(
    printed: str, read: str, agencies: list[AgencyRecord]
) -> None:
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n---------------\n\nSố: 1289/QĐ-TTg\n\n"
        "Hà Nội, ngày 01 tháng 11 năm 2023\n\n \n\nQUYẾT ĐỊNH\n\n"
        f"{printed}\n\nTHỦ TƯỚNG CHÍNH PHỦ\n\nCăn cứ Luật Tổ chức Chính phủ;\n\n"
        "QUYẾT ĐỊNH:\n\nĐiều 1. Phê duyệt./.\n\nNơi nhận:\n- Các bộ, cơ quan ngang bộ;\n"
        "- Lưu: VT, CN (2b).\n"
    )
    draft = _read(text, agencies)
    assert (draft.doc_type, draft.subject) == ("QĐ", read)
    [point] = [p for p in draft.review if p.where == "directive.subject"]
    assert point.sentence is not None and printed in point.sentence


def test_upper_case_subject_stops_at_who_decides(agencies: list[AgencyRecord]) -> None:
    text = (
        "BỘ XÂY DỰNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/QĐ-BXD\tHà Nội, ngày 02 tháng 01 năm 2026\n\nQUYẾT ĐỊNH\n"
        "VỀ VIỆC BAN HÀNH QUY CHẾ PHỐI HỢP THỰC HIỆN CHẾ ĐỘ BÁO CÁO\n"
        "BỘ TRƯỞNG BỘ XÂY DỰNG\n"
        "Căn cứ Nghị định số 33/2025/NĐ-CP;\n\nQUYẾT ĐỊNH:\n"
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp./.\n\n"
        "Nơi nhận:\n- Như Điều 1;\n- Lưu: VT, VP.\n"
    )
    doc = _read(text, agencies).document
    assert doc.subject == "Về việc ban hành Quy chế phối hợp thực hiện chế độ báo cáo"
    assert doc.doc_type == "QĐ"


def test_an_upper_case_v_v_line_is_a_subject(agencies: list[AgencyRecord]) -> None:
    text = (
        "BỘ XÂY DỰNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 77/BXD-PTĐT\tHà Nội, ngày 02 tháng 01 năm 2026\n"
        "V/V TRIỂN KHAI CHỈ THỊ SỐ 24/CT-TTG\nCỦA THỦ TƯỚNG CHÍNH PHỦ\n\n"
        "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương\n\n"
        "Bộ Xây dựng đề nghị báo cáo trước ngày 15/12/2026./.\n\nNơi nhận:\n- Như trên;\n"
        "- Lưu: VT, PTĐT.\n"
    )
    draft = _read(text, agencies)
    assert draft.subject == "V/v triển khai Chỉ thị số 24/CT-TTg của Thủ tướng Chính phủ"
    assert draft.directive is not None and draft.directive.number == "24/CT-TTg"
    assert any(p.where == "dispatch.subject" and p.sentence for p in draft.review)


def test_a_symbol_in_mixed_case_inside_a_subject_in_capitals(
    agencies: list[AgencyRecord],
) -> None:
    text = _fixture("ke-hoach-bldtbxh-nfd.txt").replace("24/CT-TTG", "24/CT-TTg")
    want = EXPECTED["ke-hoach-bldtbxh-nfd.txt"]["subject"]
    assert _read(text, agencies).subject == want


def test_a_type_word_carrying_on_a_v_v_line_is_not_the_type(
    agencies: list[AgencyRecord],
) -> None:
    text = (
        "BỘ XÂY DỰNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 78/BXD-PTĐT\tHà Nội, ngày 02 tháng 01 năm 2026\n"
        "V/V GÓP Ý DỰ THẢO\nKẾ HOẠCH VỀ PHÁT TRIỂN ĐÔ THỊ\n\n"
        "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương\n\n"
        "Đề nghị góp ý trước ngày 15/12/2026./.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT, PTĐT.\n"
    )
    draft = _read(text, agencies)
    assert (draft.doc_type, draft.subject) == (
        "CV", "V/v góp ý dự thảo kế hoạch về phát triển đô thị",
    )  # fmt: skip


def test_a_subject_on_the_type_name_line(agencies: list[AgencyRecord]) -> None:
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 24/CT-TTg\tHà Nội, ngày 02 tháng 8 năm 2016\n\n"
        "CHỈ THỊ VỀ VIỆC TĂNG CƯỜNG CÔNG TÁC QUẢN LÝ\nPHÁT TRIỂN ĐÔ THỊ\n\n"
        "Thời gian qua, công tác phát triển đô thị còn bất cập.\n"
        "1. Các Bộ báo cáo trước ngày 15/12 hằng năm./.\n\n"
        "Nơi nhận:\n- Các Bộ, cơ quan ngang Bộ;\n- Lưu: VT, CN (3b).\n"
    )
    draft = _read(text, agencies)
    assert (draft.doc_type, draft.subject, draft.document.year) == (
        "CT", "Về việc tăng cường công tác quản lý phát triển đô thị", 2016,
    )  # fmt: skip
    assert not any(p.where == "directive.doc_type" for p in draft.review)


def test_a_cong_dien_with_its_subject_on_the_type_name_line(
    agencies: list[AgencyRecord],
) -> None:
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 95/CĐ-TTg\tHà Nội, ngày 21 tháng 9 năm 2024\n\n"
        "CÔNG ĐIỆN VỀ VIỆC TẬP TRUNG KHẮC PHỤC\nHẬU QUẢ BÃO SỐ 3\n-------\n"
        "THỦ TƯỚNG CHÍNH PHỦ điện:\n"
        "- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.\n\n"
        "1. Báo cáo trước ngày 30/9/2024./.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT, NN (2).\n"
    )
    draft = _read(text, agencies)
    assert (draft.doc_type, draft.subject, draft.addressees) == (
        "CĐ", "Về việc tập trung khắc phục hậu quả bão số 3", ("provincial-committees",),
    )  # fmt: skip


def test_an_informed_former_ministry_is_excluded_as_its_successor(
    agencies: list[AgencyRecord],
) -> None:
    text = (
        "BỘ XÂY DỰNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 88/BXD-KTXD\tHà Nội, ngày 10 tháng 01 năm 2024\n"
        "V/v báo cáo tình hình thực hiện\n\n"
        "Kính gửi: Các Bộ, cơ quan ngang Bộ\n\n"
        "Đề nghị các Bộ báo cáo trước ngày 15/02/2024./.\n\nNơi nhận:\n- Như trên;\n"
        "- Bộ Kế hoạch và Đầu tư (để b/c);\n- Lưu: VT, KTXD (02b).\n"
    )
    draft = _read(text, agencies)
    assert draft.exclude == ("BTC",)
    [note] = [p for p in draft.review if "named as before" in p.message]
    assert note.where == "exclude" and "(BTC)" in note.message
    assert note.sentence == "Bộ Kế hoạch và Đầu tư (để b/c)"
    assert draft.document.unit == "KTXD"


@pytest.mark.parametrize(
    ("entry", "codes"),
    [
        ("Bộ Kế hoạch và Đầu tư", ("BTC",)),
        ("Bộ KH&ĐT", ("BTC",)),
        ("Bộ Giao thông vận tải", ("BXD",)),
        ("Bộ GTVT", ("BXD",)),
        ("Bộ Thông tin và Truyền thông", ("BKHCN",)),
        ("Bộ TN&MT", ("BNNMT",)),
        ("Bộ Nông nghiệp và Phát triển nông thôn", ("BNNMT",)),
        ("Bộ Lao động, Thương binh và Xã hội", ("BNV",)),
        ("Ủy ban Dân tộc", ("BDTTG",)),
        ("Bộ trưởng các Bộ: Kế hoạch và Đầu tư, Tài chính", ("BTC",)),
        ("Bộ Nông nghiệp và Môi trường", ("BNNMT",)),  # today's name: no note
    ],
)
def test_former_names_map_to_successors_with_a_note(
    entry: str, codes: tuple[str, ...], agencies: list[AgencyRecord]
) -> None:
    match = AgencyIndex(agencies).match(entry)
    assert set(match.codes) == set(codes) and not match.unmatched
    former = "Môi trường" not in entry or "Tài nguyên" in entry or "TN&MT" in entry
    assert any("named as before 01/3/2025" in n for n in match.notes) == former


@pytest.mark.parametrize(
    ("entry", "codes", "note"),
    [
        ("UBND tỉnh Yên Bái", ("15",), "read as Ủy ban nhân dân tỉnh Lào Cai (15)"),
        ("Sở Xây dựng tỉnh Yên Bái", ("15-SXD",), "renamed on 01/07/2025"),
        ("Sở Xây dựng tỉnh Cao Bằng", ("04-SXD",), None),  # one department, not the group
    ],
)
def test_renamed_provinces_and_one_department(
    entry: str, codes: tuple[str, ...], note: str | None, agencies: list[AgencyRecord]
) -> None:
    match = AgencyIndex(agencies).match(entry)
    assert (match.groups, match.codes, match.unmatched) == ((), codes, False)
    assert [n for n in match.notes if note and note in n] or (note is None and not match.notes)


def test_an_issuer_as_it_was_named_before_a_merger(agencies: list[AgencyRecord]) -> None:
    text = (
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH YÊN BÁI\tĐộc lập - Tự do - Hạnh phúc\n-------\t---------------\n"
        "Số: 2150/UBND-XD\tYên Bái, ngày 12 tháng 9 năm 2024\n"
        "V/v triển khai thực hiện chế độ báo cáo\n\n"
        "Kính gửi:\n- Sở Xây dựng;\n- Ủy ban nhân dân các huyện, thị xã, thành phố.\n\n"
        "Ủy ban nhân dân tỉnh đề nghị Sở Xây dựng báo cáo trước ngày 30/9/2024./.\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT, XD (02b).\n"
    )
    draft = _read(text, agencies)
    assert draft.issuer == "Ủy ban nhân dân tỉnh Yên Bái"
    assert any("renamed" in p.message for p in draft.review if p.where.endswith(".issuer"))
    assert "15-SXD" in draft.addressees


def test_a_task_naming_a_former_ministry_finds_its_successor(
    agencies: list[AgencyRecord],
) -> None:
    index = AgencyIndex(agencies)
    sentence = "3. Bộ Thông tin và Truyền thông chủ trì, phối hợp với Bộ Kế hoạch và Đầu tư ..."
    found = index.successors(sentence)
    assert [code for code, _ in found] == ["BKHCN", "BTC"]
    assert "Bộ Khoa học và Công nghệ (BKHCN)" in found[0][1]
    assert index.successors("3. Bộ Khoa học và Công nghệ chủ trì ...") == ()


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("Lưu: VT, TCCV (5).", "TCCV"),
        ("Lưu: VT, PTĐT(02b).", "PTĐT"),
        ("Lưu: VT, Cục PTĐT (03 bản).", "Cục PTĐT"),
        ("Lưu: VT, KT2.", "KT2"),
        ("Lưu: Văn thư, Vụ KHTC; NTH (2b)", "Vụ KHTC"),
        ("Lưu: VT.", None),
    ],
)
def test_drafting_unit_without_its_copy_count(written: str, unit: str | None) -> None:
    text = written.split(":", 1)[1].strip()
    assert archive_unit((Entry(text, "archive", written),)) == unit


@pytest.mark.parametrize(
    ("number", "issued_on", "year"),
    [
        ("24/CT-TTg", dt.date(2016, 8, 2), 2016),
        ("24/CT-TTg", dt.date(2012, 8, 2), 2012),
        ("09/2019/NĐ-CP", dt.date(2019, 1, 24), 2019),
        ("15/2026/QĐ-TTg", dt.date(2025, 12, 30), 2026),  # the year in the number names it
        ("351/BXD-PTĐT", None, None),
        (None, dt.date(2026, 1, 2), 2026),
    ],
)
def test_a_document_is_its_number_and_year(
    number: str | None, issued_on: dt.date | None, year: int | None
) -> None:
    doc = DocumentDraft(number, "CT", None, issued_on, None)
    assert doc.year == year


def test_only_the_header_and_signature_gaps_become_columns() -> None:
    from dondoc.reading.text import normalise

    body = "Thời gian qua,   công tác phát triển nhà ở xã hội còn chậm " * 4
    text = (
        "BỘ XÂY DỰNG        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\r\n"
        "Số: 12/BXD-QLN     Hà Nội, ngày 02 tháng 01 năm 2026\r\n\r\nCHỈ THỊ\r\n\r\n"
        f"{body}\r\n1. Báo cáo   trước ngày 15/12.\r\n\r\n"
        "Nơi nhận:          KT. BỘ TRƯỞNG\r\n- Lưu: VT, QLN.    THỨ TRƯỞNG\r\n"
    )
    lines = normalise(text).split("\n")
    assert lines[0] == "BỘ XÂY DỰNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert lines[1] == "Số: 12/BXD-QLN\tHà Nội, ngày 02 tháng 01 năm 2026"
    assert "\t" not in lines[5] and "1. Báo cáo trước ngày 15/12." in lines
    assert lines[-3:-1] == ["Nơi nhận:\tKT. BỘ TRƯỞNG", "- Lưu: VT, QLN.\tTHỨ TRƯỞNG"]
