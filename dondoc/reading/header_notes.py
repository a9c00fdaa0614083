"""The header reader's review notes (type, issuer, subject, drafting unit): English (what
`dondoc import-dispatch` prints) and Vietnamese (what the board shows), by name."""

from __future__ import annotations

from dondoc.reading.review import Note, NoteTable, vi_text

_TEXTS: dict[str, tuple[str, str]] = {
    "symbol_says": ("the symbol says '{code}'", "ký hiệu ghi '{code}'"),
    "code_in_cv": (
        "the symbol starts with '{code}', a type code, but the text is a công văn "
        "(a 'V/v' subject, no type name): '{code}' read as the issuer's abbreviation",
        "ký hiệu bắt đầu bằng '{code}' (mã loại văn bản) nhưng đây là công văn (có trích yếu "
        "'V/v', không có tên loại): '{code}' được đọc là chữ viết tắt của cơ quan ban hành",
    ),
    "type_from_symbol": (
        "no type name line: the type comes from the symbol",
        "không có dòng tên loại văn bản: loại văn bản lấy theo ký hiệu",
    ),
    "read_as_cv": (
        "no 'V/v' line and no type code: read as a công văn",
        "không có dòng 'V/v' và không có mã loại văn bản: đọc là công văn",
    ),
    "no_type": (
        "the type is not readable (no symbol, no type name)",
        "chưa đọc được loại văn bản (không có ký hiệu, không có tên loại)",
    ),
    "read_under": (
        "read under '{above}': check",
        "đọc dưới tên cơ quan chủ quản '{above}': cần kiểm tra",
    ),
    "header_vs_code": (
        "the header says '{name}', the symbol's issuer code '{code}'",
        "phần đầu văn bản ghi '{name}', còn mã cơ quan trong ký hiệu là '{code}'",
    ),
    "province_from_place": (
        "no issuer header: the province is taken from the place '{place}'",
        "không có tên cơ quan ban hành: tỉnh được lấy theo địa danh '{place}'",
    ),
    "unknown_code": (
        "no issuer header and the symbol's issuer code {code!r} is unknown",
        "không có tên cơ quan ban hành và mã cơ quan '{code}' trong ký hiệu chưa có trong danh mục",
    ),
    "as_named": ("the issuer as it was named; {note}", "cơ quan ban hành theo tên cũ; {note_vi}"),
    "capitals_guessed": (
        "'{upper}' read as '{guess}': capitalisation guessed",
        "'{upper}' được đọc là '{guess}': cách viết hoa là phỏng đoán, cần kiểm tra",
    ),
    "sentence_case": (
        "printed in capitals: read in sentence case, check proper names",
        "trích yếu in hoa: đã chuyển sang chữ thường, cần kiểm tra các tên riêng",
    ),
    "unit_spelled_out": (
        "'{wanted}' spelled out from the text as '{name}': check",
        "'{wanted}' được viết đầy đủ theo văn bản là '{name}': cần kiểm tra",
    ),
    "unit_not_spelled_out": (
        "the drafting unit '{wanted}' is not spelled out in the text",
        "văn bản không ghi đầy đủ tên đơn vị soạn thảo '{wanted}'",
    ),
}


note = NoteTable(_TEXTS)


def as_named(former: str) -> Note:
    """An issuer read under its former name, with the note on that name."""
    return note("as_named", note=former, note_vi=vi_text(former))
