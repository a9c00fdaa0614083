"""Importing a dispatch's text as a draft spec, in process: each fixture against the expected
values in fixtures/dispatches/expected.yaml, the deadline phrase table of DOMAIN.md, text
hygiene (BOM, CRLF, NFD), and the drafts loading with the spec loader."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from dondoc.config.spec_loader import AgencyRecord, SpecError, load_spec_file
from dondoc.engine.deadlines import WorkCalendar
from dondoc.reading.deadline_rules import read_deadline
from dondoc.reading.draft import DispatchDraft, NotADispatchError, parse_dispatch
from dondoc.reading.draft_yaml import render_draft
from dondoc.reading.text import DispatchTextError, decode_text

FIXTURES = Path(__file__).parent / "fixtures" / "dispatches"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "expected.yaml").read_text(encoding="utf-8")
)
TODAY = dt.date(2026, 3, 10)
ISSUED = dt.date(2026, 3, 5)  # a Thursday


def _parse(raw: bytes, agencies: list[AgencyRecord], calendar: WorkCalendar) -> DispatchDraft:
    return parse_dispatch(decode_text(raw), agencies, today=TODAY, calendar=calendar)


def _draft(name: str, agencies: list[AgencyRecord], calendar: WorkCalendar) -> DispatchDraft:
    return _parse((FIXTURES / name).read_bytes(), agencies, calendar)


def tuple_or_none(names: list[str] | None) -> tuple[str, ...] | None:
    return None if names is None else tuple(names)


def _rule(deadline: Any) -> dict[str, Any] | None:
    return None if deadline is None else deadline.model_dump(exclude_defaults=True)


def test_there_are_enough_fixtures() -> None:
    assert len(EXPECTED) >= 9
    assert {p.name for p in FIXTURES.glob("*.txt")} >= set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_is_read_as_expected(
    name: str, agencies: list[AgencyRecord], calendar: WorkCalendar
) -> None:
    want, draft = EXPECTED[name], _draft(name, agencies, calendar)
    assert (draft.number, draft.doc_type, draft.issuer, draft.issued_on) == (
        want["number"], want["doc_type"], want["issuer"], want["issued_on"],
    )  # fmt: skip
    assert (draft.directive or draft.document).number == want["directive"]
    assert set(draft.addressees) == set(want["addressees"])
    assert set(draft.exclude) == set(want["exclude"])
    for key in ("report_to", "subject"):
        if key in want:
            assert getattr(draft, key) == want[key]
    assert len(draft.obligations) == len(want["obligations"])
    for i, (got, expected) in enumerate(zip(draft.obligations, want["obligations"], strict=True)):
        assert (got.code, got.kind, got.recurrence) == (
            expected["code"], expected["kind"], expected["recurrence"],
        ), i  # fmt: skip
        if expected["deadline"] == "flagged":
            assert got.deadline is None
            assert any(p.where == f"obligations[{i}].deadline" for p in draft.review), i
        else:
            assert _rule(got.deadline) == expected["deadline"], i
        if "first_period" in expected:
            assert got.first_period == expected["first_period"], i
        assert got.addressees == tuple_or_none(expected.get("addressees")), i
    messages = "\n".join(str(p) for p in draft.review)
    for words in want.get("review", []):
        assert words in messages


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_draft_loads_with_the_spec_loader(
    name: str, agencies: list[AgencyRecord], calendar: WorkCalendar, tmp_path: Path
) -> None:
    want, draft = EXPECTED[name], _draft(name, agencies, calendar)
    text = render_draft(draft, source_name=name, source_file=name)
    path = tmp_path / "draft.yaml"
    path.write_text(text, encoding="utf-8")
    assert text.count("# REVIEW:") == len(draft.review)
    if not want["loads"]:
        with pytest.raises(SpecError) as failure:
            load_spec_file(path)
        assert failure.value.field == want["load_error"] and failure.value.line is not None
        return
    spec = load_spec_file(path)
    assert spec.directive.number == want["directive"]
    assert set(spec.addressees) == set(want["addressees"])
    assert set(spec.exclude) == set(want["exclude"])
    loaded = [(o.code, o.kind, o.recurrence, o.deadline, o.first_period, o.addressees)
              for o in spec.obligations]  # fmt: skip
    drafted = [(o.code, o.kind, o.recurrence, o.deadline, o.first_period, o.addressees)
               for o in draft.obligations]  # fmt: skip
    assert loaded == drafted
    dispatch = spec.dispatch or spec.directive
    assert (dispatch.number, dispatch.issued_on) == (want["number"], want["issued_on"])


def test_the_seed_draft_matches_the_bundled_spec(
    agencies: list[AgencyRecord], calendar: WorkCalendar, tmp_path: Path
) -> None:
    from dondoc.config.settings import DATA_DIR

    bundled = load_spec_file(DATA_DIR / "directives" / "24-CT-TTg.yaml")
    draft = _draft("351-BXD-PTDT.txt", agencies, calendar)
    path = tmp_path / "seed.yaml"
    path.write_text(render_draft(draft, source_name="s", source_file="s"), encoding="utf-8")
    spec = load_spec_file(path)
    assert spec.directive.model_dump() == bundled.directive.model_dump()
    assert spec.dispatch is not None and bundled.dispatch is not None
    assert spec.dispatch.model_dump(exclude={"source_file"}) == bundled.dispatch.model_dump(
        exclude={"source_file"}
    )
    assert (spec.report_to, spec.addressees, spec.exclude) == (
        bundled.report_to, bundled.addressees, bundled.exclude,
    )  # fmt: skip
    assert [(o.code, o.kind, o.recurrence, o.deadline, o.phrase) for o in spec.obligations] == [
        (o.code, o.kind, o.recurrence, o.deadline, o.phrase) for o in bundled.obligations
    ]


def test_bom_crlf_and_nfd_read_the_same(
    agencies: list[AgencyRecord], calendar: WorkCalendar
) -> None:
    plain = (FIXTURES / "351-BXD-PTDT.txt").read_text(encoding="utf-8")
    mangled = unicodedata.normalize("NFD", plain).replace("\n", "\r\n")
    raw = b"\xef\xbb\xbf" + mangled.encode("utf-8")
    assert _parse(raw, agencies, calendar) == _parse(plain.encode(), agencies, calendar)


def _on(year: int, month: int, day: int, inclusive: bool) -> dict[str, Any]:
    return {"date": dt.date(year, month, day), "inclusive": inclusive}


def _each(day: int, inclusive: bool, month: int | None = None, **more: int) -> dict[str, Any]:
    return {**({"month": month} if month else {}), "day": day, "inclusive": inclusive, **more}


@pytest.mark.parametrize(
    ("phrase", "recurrence", "rule"),
    [
        ("trước ngày 10 tháng 12 hàng năm", "yearly", _each(10, False, 12)),
        ("trước ngày 10/12 hằng năm", "yearly", _each(10, False, 12)),
        ("trước ngày 10-12 hằng năm", "yearly", _each(10, False, 12)),
        ("trước ngày 10.12 hàng năm", "yearly", _each(10, False, 12)),
        ("trước ngày 15/12/2026", "once", _on(2026, 12, 15, False)),
        ("chậm nhất ngày 20/6/2026", "once", _on(2026, 6, 20, True)),
        ("đến ngày 20/6/2026", "once", _on(2026, 6, 20, True)),
        ("chậm nhất vào ngày 25 hằng tháng", "monthly", _each(25, True)),
        ("trước ngày 20 của tháng cuối quý", "quarterly", _each(20, False, 3)),
        ("trước ngày 15 tháng 6 và ngày 15 tháng 12 hằng năm", "half-yearly", _each(15, False, 6)),
        ("trước ngày 20/3, 20/6, 20/9 và 20/12", "quarterly", _each(20, False, 3)),
        ("hằng năm, trước ngày 15 tháng 01 năm sau", "yearly", _each(15, False, 1, year_offset=1)),
        ("trong quý I/2026", "once", _on(2026, 3, 31, True)),
        ("hoàn thành trong tháng 6/2026", "once", _on(2026, 6, 30, True)),
        # Civil Code 2015, Art. 147(2): the day of signing is not counted.
        ("trong thời hạn 30 ngày kể từ ngày ký", "once", _on(2026, 4, 4, True)),
        ("hằng năm báo cáo trước 31/3", "yearly", _each(31, False, 3)),
        ("hằng tháng, trước ngày 25, báo cáo", "monthly", _each(25, False)),
    ],
)
def test_phrase_table(phrase: str, recurrence: str, rule: dict[str, Any]) -> None:
    reading = read_deadline(f"Hoàn thành, gửi báo cáo {phrase}.", ISSUED)
    assert (reading.recurrence, _rule(reading.deadline)) == (recurrence, rule)
    assert reading.notes == ()


@pytest.mark.parametrize(
    ("phrase", "recurrence", "date", "note"),
    [
        # 5 working days after Thursday 5/3/2026: Fri 6, Mon 9 ... Thu 12.
        ("trong 05 ngày làm việc kể từ ngày nhận được", "once", dt.date(2026, 3, 12), "nhận"),
        ("trước 31/3", "once", dt.date(2026, 3, 31), "no year"),
        ("trước 17h00 ngày 20/3/2026", "once", dt.date(2026, 3, 20), "time of day"),
        ("định kỳ 6 tháng", "half-yearly", None, "how often"),
        ("hằng quý", "quarterly", None, "how often"),
        ("thường xuyên", "once", None, "no date"),
        ("khi có yêu cầu", "once", None, "no date"),
        ("đột xuất", "once", None, "no date"),
        ("", "once", None, "no deadline"),
        ("trước ngày 31/2/2026", "once", None, "impossible"),
    ],
)  # fmt: skip
def test_phrases_read_with_a_review_note(
    phrase: str, recurrence: str, date: dt.date | None, note: str, calendar: WorkCalendar
) -> None:
    reading = read_deadline(f"Tổng hợp, báo cáo {phrase}.", ISSUED, calendar)
    assert reading.recurrence == recurrence
    assert (reading.deadline.date if reading.deadline else None) == date
    assert any(note in n for n in reading.notes), reading.notes


def test_a_data_period_is_not_a_deadline() -> None:
    reading = read_deadline(
        "số liệu từ ngày 15/12/2025 đến ngày 14/12/2026, gửi trước ngày 20/12/2026", ISSUED
    )
    assert _rule(reading.deadline) == {"date": dt.date(2026, 12, 20), "inclusive": False}


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"", "empty"),
        (b"\x00\x01binary", "binary"),
        ((FIXTURES / "windows-1258.txt").read_bytes(), "not UTF-8"),
    ],
)
def test_unusable_bytes_are_refused(raw: bytes, problem: str) -> None:
    with pytest.raises(DispatchTextError, match=problem):
        decode_text(raw)


def test_a_text_that_is_not_a_dispatch_is_refused(
    agencies: list[AgencyRecord], calendar: WorkCalendar
) -> None:
    with pytest.raises(NotADispatchError, match=re.escape("'Số:' number/symbol")):
        _draft("not-a-dispatch.txt", agencies, calendar)


def test_two_column_header_and_a_lone_kinh_gui_line(
    agencies: list[AgencyRecord], calendar: WorkCalendar
) -> None:
    text = (
        "BỘ XÂY DỰNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 351 /BXD-PTĐT\n"
        "V/v triển khai Chỉ thị số 24/CT-TTg\tHà Nội, ngày 27 tháng 02 năm 2017\n"
        "của Thủ tướng Chính phủ\n\n"
        "Kính gửi:\nCác Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ\n\n"
        "Bộ Xây dựng đề nghị:\n1. Báo cáo kết quả trước ngày 15/12 hằng năm.\n"
        "Nơi nhận:\tKT. BỘ TRƯỞNG\n- Như trên;\tTHỨ TRƯỞNG\n- Lưu: VT, PTĐT.\n"
    )
    draft = _parse(text.encode(), agencies, calendar)
    assert (draft.number, draft.issued_on) == ("351/BXD-PTĐT", dt.date(2017, 2, 27))
    assert draft.subject == "V/v triển khai Chỉ thị số 24/CT-TTg của Thủ tướng Chính phủ"
    assert draft.directive is not None and draft.directive.number == "24/CT-TTg"
    assert draft.addressees == ("ministries", "ministerial-agencies")
    assert any("cơ quan thuộc Chính phủ" in p.message for p in draft.review)
    (report,) = draft.obligations
    assert (report.code, report.title) == ("annual-report", "Báo cáo kết quả")
