"""The bundled agencies and seed spec load; bad spec files fail with file, line and field."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from dondoc.config.settings import DATA_DIR
from dondoc.config.spec import DirectiveSpec
from dondoc.config.spec_loader import (
    AgencyRecord,
    SpecError,
    bundled_spec_paths,
    load_agencies,
    load_spec_file,
    resolve_addressees,
)

SEED = DATA_DIR / "directives" / "24-CT-TTg.yaml"
VIETNAMESE = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")

# A small valid spec; the bad cases below change one line of it. Line numbers matter.
GOOD = """\
directive:
  number: "24/CT-TTg"
  doc_type: CT
  issuer: "Thủ tướng Chính phủ"
  issued_on: 2016-08-02
  subject: "Về việc tăng cường phát triển hệ thống dịch vụ xã hội đô thị"
addressees: [ministries, provincial-committees]
obligations:
  - code: annual-report
    kind: report
    title: "Báo cáo kết quả thực hiện Chỉ thị số 24/CT-TTg"
    phrase: "trước ngày 10 tháng 12 hàng năm"
    recurrence: yearly
    deadline:
      month: 12
      day: 10
      inclusive: false
"""


def _write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _replace_line(number: int, new: str) -> str:
    lines = GOOD.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def agencies() -> list[AgencyRecord]:
    records: list[AgencyRecord] = load_agencies()
    return records


def test_bundled_agencies_counts(agencies: list[AgencyRecord]) -> None:
    kinds = [a.kind for a in agencies]
    assert kinds.count("provincial_committee") == 34
    assert kinds.count("department") == 34
    assert kinds.count("ministry") == 14
    assert kinds.count("ministerial_agency") == 3
    assert len({a.code for a in agencies}) == len(agencies)
    codes = {a.code for a in agencies}
    assert {"BXD", "BQP", "BNNMT", "NHNN", "TTCP", "VPCP", "01", "79", "96"} <= codes


def test_every_committee_has_its_construction_department(agencies: list[AgencyRecord]) -> None:
    by_code = {a.code: a for a in agencies}
    committees = [a for a in agencies if a.kind == "provincial_committee"]
    for committee in committees:
        assert committee.code.isdigit() and len(committee.code) == 2
        assert committee.groups == ("provincial-committees",)
        assert committee.short_name and committee.name.endswith(committee.short_name)
        department = by_code[f"{committee.code}-SXD"]
        assert department.kind == "department" and department.parent == committee.code
        assert department.groups == ("construction-departments",)
        assert department.name.startswith("Sở Xây dựng ")
        assert department.name.endswith(committee.short_name)
    cities = {a.short_name for a in committees if "hành phố" in a.name}
    assert cities == {"Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
    assert all(
        a.name.startswith("Ủy ban nhân dân tỉnh ") for a in committees if a.short_name not in cities
    )


def test_agency_names_are_nfc_with_diacritics(agencies: list[AgencyRecord]) -> None:
    for agency in agencies:
        for text in (agency.name, agency.short_name or ""):
            assert unicodedata.is_normalized("NFC", text), text
        assert set(agency.name.lower()) & VIETNAMESE, agency.name
    names = {a.code: a.name for a in agencies}
    assert names["BNNMT"] == "Bộ Nông nghiệp và Môi trường"
    assert names["NHNN"] == "Ngân hàng Nhà nước Việt Nam"
    assert names["38"] == "Ủy ban nhân dân tỉnh Thanh Hóa"
    assert names["56"] == "Ủy ban nhân dân tỉnh Khánh Hòa"
    assert names["66"] == "Ủy ban nhân dân tỉnh Đắk Lắk"
    assert names["46"] == "Ủy ban nhân dân thành phố Huế"


def test_seed_spec_loads_and_resolves_to_50_agencies(agencies: list[AgencyRecord]) -> None:
    assert SEED in bundled_spec_paths()
    spec = load_spec_file(SEED)
    assert isinstance(spec, DirectiveSpec)
    assert spec.directive.number == "24/CT-TTg"
    assert spec.dispatch is not None and spec.dispatch.number == "351/BXD-PTĐT"
    assert [o.code for o in spec.obligations] == ["plan", "inspection", "annual-report"]
    report = spec.obligations[2]
    assert report.deadline is not None and (report.deadline.month, report.deadline.day) == (12, 10)
    assert report.deadline.inclusive is False
    assert spec.obligations[0].deadline is None and spec.obligations[1].deadline is None
    assert spec.dispatch.source_file is not None
    source = SEED.parent / spec.dispatch.source_file
    assert spec.dispatch.subject in source.read_text(encoding="utf-8")

    resolved = resolve_addressees(spec, agencies)
    kinds = [a.kind for a in resolved]
    assert len(resolved) == 50
    assert kinds.count("ministry") == 14 and kinds.count("provincial_committee") == 34
    assert {a.code for a in resolved if a.kind == "ministerial_agency"} == {"NHNN", "TTCP"}
    assert [a.code for a in resolved] == sorted(a.code for a in resolved)


def test_good_spec_loads(tmp_path: Path) -> None:
    spec = load_spec_file(_write(tmp_path, GOOD))
    assert spec.obligations[0].deadline is not None
    assert str(spec.directive.issued_on) == "2016-08-02"


def _error(path: Path) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_spec_file(path)
    return info.value


@pytest.mark.parametrize(
    ("line", "new", "field", "value", "words"),
    [
        (10, "    kind: meeting", "obligations[0].kind", "meeting", "'plan', 'inspection'"),
        (15, "      month: 13", "obligations[0].deadline.month", 13, "less than or equal to 12"),
        (5, "  issued_on: 2026-02-30", "directive.issued_on", "2026-02-30", "valid date"),
        (
            13,
            "    recurrence: yearly\n    colour: red",
            "obligations[0].colour",
            "red",
            "unknown key",
        ),
    ],
)
def test_bad_value_names_file_line_field(
    tmp_path: Path, line: int, new: str, field: str, value: object, words: str
) -> None:
    err = _error(_write(tmp_path, _replace_line(line, new)))
    line += new.count("\n")  # the new key, if one was added, is on the last line
    assert (err.file, err.line, err.field, err.value) == ("bad.yaml", line, field, value)
    assert words in str(err)
    assert str(err).startswith(f"bad.yaml:{line}: {field}: ")


def test_month_13_message(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, _replace_line(15, "      month: 13"), "24-CT-TTg.yaml"))
    assert str(err) == (
        "24-CT-TTg.yaml:15: obligations[0].deadline.month: "
        "Input should be less than or equal to 12 (got 13)"
    )


def test_typo_key_reports_both_in_file_order(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, _replace_line(13, "    recurence: yearly")))
    assert (err.line, err.field) == (9, "obligations[0].recurrence")
    assert "bad.yaml:13: obligations[0].recurence: unknown key" in str(err)


def test_missing_field(tmp_path: Path) -> None:
    text = GOOD.replace('    title: "Báo cáo kết quả thực hiện Chỉ thị số 24/CT-TTg"\n', "")
    err = _error(_write(tmp_path, text))
    assert (err.line, err.field) == (9, "obligations[0].title")  # the obligation's first line
    assert "missing" in str(err)


def test_yaml_syntax_error(tmp_path: Path) -> None:
    err = _error(
        _write(tmp_path, _replace_line(7, "addressees: [ministries, provincial-committees"))
    )
    assert (err.file, err.line, err.field) == ("bad.yaml", 8, None)
    assert "YAML syntax error" in str(err)


def test_duplicate_key(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, _replace_line(16, "      month: 11")))
    assert err.line == 16 and "duplicate key 'month'" in str(err)


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "cp1258.yaml"
    # cp1258 (Windows Vietnamese) writes "ộ" as "ô" plus a combining dot below.
    comment = "# Hà N\u00f4\u0323i\n".encode("cp1258")
    path.write_bytes(GOOD.replace("Thủ tướng", "Thu tuong").encode("utf-8") + comment)
    err = _error(path)
    assert err.file == "cp1258.yaml" and err.line == 18
    assert "UTF-8" in str(err) and str(err).startswith("cp1258.yaml:18: ")
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes("directive: Hà\n".encode("latin-1"))
    assert _error(latin).line == 1


def test_empty_file(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, "# nothing here\n"))
    assert "empty" in str(err)


def test_unknown_addressee_group(tmp_path: Path, agencies: list[AgencyRecord]) -> None:
    path = _write(tmp_path, _replace_line(7, "addressees: [ministries, tinh-thanh]"))
    spec = load_spec_file(path)
    with pytest.raises(SpecError) as info:
        resolve_addressees(spec, agencies, source=path)
    err = info.value
    assert (err.file, err.line, err.field, err.value) == (
        "bad.yaml",
        7,
        "addressees[1]",
        "tinh-thanh",
    )
    assert "unknown agency group or code" in str(err)
    with pytest.raises(SpecError, match=r"addressees\[1\].*'tinh-thanh'"):
        resolve_addressees(spec, agencies)  # without the file: still names field and value


def test_exclude_and_codes(tmp_path: Path, agencies: list[AgencyRecord]) -> None:
    text = _replace_line(7, 'addressees: [ministries, "01", "01-SXD"]\nexclude: [BXD, BQP]')
    spec = load_spec_file(_write(tmp_path, text))
    codes = [a.code for a in resolve_addressees(spec, agencies)]
    assert len(codes) == 14 and "BXD" not in codes and codes[:2] == ["01", "01-SXD"]
    bad = load_spec_file(_write(tmp_path, _replace_line(7, "addressees: [BXD]\nexclude: [XYZ]")))
    with pytest.raises(SpecError, match=r"exclude\[0\]"):
        resolve_addressees(bad, agencies)


def test_agency_file_errors(tmp_path: Path) -> None:
    head = "agencies:\n"
    one = '  - {code: "01", name: "Ủy ban nhân dân thành phố Hà Nội", kind: provincial_committee}\n'
    with pytest.raises(SpecError) as info:
        load_agencies(_write(tmp_path, head + one + one, "agencies.yaml"))
    assert (info.value.line, info.value.field, info.value.value) == (3, "agencies[1].code", "01")
    orphan = '  - {code: "02-SXD", name: "Sở Xây dựng", kind: department, parent: "02"}\n'
    with pytest.raises(SpecError) as info:
        load_agencies(_write(tmp_path, head + one + orphan, "agencies.yaml"))
    assert (info.value.line, info.value.field, info.value.value) == (3, "agencies[1].parent", "02")
    bad_kind = '  - {code: "BXD", name: "Bộ Xây dựng", kind: bo}\n'
    with pytest.raises(SpecError) as info:
        load_agencies(_write(tmp_path, head + bad_kind, "agencies.yaml"))
    assert (info.value.line, info.value.field) == (2, "agencies[0].kind")


def test_spec_error_pickles(tmp_path: Path) -> None:
    import pickle

    err = _error(_write(tmp_path, _replace_line(15, "      month: 13")))
    copy = pickle.loads(pickle.dumps(err))
    assert (str(copy), copy.file, copy.line, copy.field, copy.value) == (
        str(err),
        "bad.yaml",
        15,
        "obligations[0].deadline.month",
        13,
    )
