"""Issue #15, the lead's follow-up on patterns 1-4: shapes the merged reader still read wrong.
The fixtures are whole dispatches in fixtures/dispatches/patterns/ (read against expected.yaml
by test_reading_work_patterns.py); these tests add what a reviewer must see beside them: a task
the reader leaves out is named in a review point with its sentence, never dropped silently."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dondoc.config.spec_loader import AgencyRecord
from dondoc.engine.deadlines import WorkCalendar
from dondoc.reading.draft import DispatchDraft, parse_dispatch
from dondoc.reading.text import decode_text

PATTERNS = Path(__file__).parent / "fixtures" / "dispatches" / "patterns"
TODAY = dt.date(2026, 3, 10)


def _draft(text: str, agencies: list[AgencyRecord], calendar: WorkCalendar) -> DispatchDraft:
    return parse_dispatch(text, agencies, today=TODAY, calendar=calendar)


def _file(name: str) -> str:
    return decode_text((PATTERNS / name).read_bytes())


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("p4-bxd-own-units-heading.txt", "Cục Phát triển đô thị"),
        ("p4-bxd-own-units-heading.txt", "Bộ Xây dựng"),
        ("p1-vpcp-kiem-tra-bao-cao.txt", "Văn phòng Chính phủ"),
    ],
)
def test_the_issuers_own_follow_up_is_flagged_not_an_obligation(
    name: str, who: str, agencies: list[AgencyRecord], calendar: WorkCalendar
) -> None:
    draft = _draft(_file(name), agencies, calendar)
    points = [p for p in draft.review if p.where == "obligations" and f"'{who}'" in p.message]
    assert points and all(p.sentence and p.sentence.startswith(who) for p in points)
    assert not any(o.title.startswith((who, "Tổ chức thực hiện")) for o in draft.obligations)


_DIRECTIVE = (
    "THỦ TƯỚNG CHÍNH PHỦ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\r\n"
    "-------\tĐộc lập - Tự do - Hạnh phúc\r\n"
    "Số: 31/CT-TTg\tHà Nội, ngày 12 tháng 10 năm 2026\r\n\r\n"
    "CHỈ THỊ\r\nVỀ TĂNG CƯỜNG QUẢN LÝ CHẤT LƯỢNG CÔNG TRÌNH XÂY DỰNG\r\n\r\n"
    "Để nâng cao chất lượng công trình, Thủ tướng Chính phủ chỉ thị:\r\n"
    "I. NHIỆM VỤ CHUNG\r\n"
    "1. Các Bộ, ngành, địa phương tăng cường công tác tuyên truyền, phổ biến pháp luật.\r\n"
    "2. Các Bộ, ngành, địa phương nâng cao năng lực của cơ quan quản lý nhà nước.\r\n"
    "II. TỔ CHỨC THỰC HIỆN\r\n"
    "1. Các Bộ, ngành, địa phương quán triệt, tổ chức thực hiện nghiêm Chỉ thị này.\r\n"
    "Các Bộ, ngành, địa phương báo cáo kết quả thực hiện Chỉ thị này về Bộ Xây dựng trước "
    "ngày 15/12/2026 để tổng hợp, báo cáo Thủ tướng Chính phủ./.\r\n\r\n"
    "Nơi nhận:\tTHỦ TƯỚNG\r\n- Các Bộ, cơ quan ngang Bộ;\r\n"
    "- UBND các tỉnh, thành phố trực thuộc trung ương;\r\n- Lưu: VT, CN.\t(Đã ký)\r\n"
)


def test_a_directives_standing_tasks_in_sections_are_not_dated_by_its_report(
    agencies: list[AgencyRecord], calendar: WorkCalendar
) -> None:
    draft = _draft(_DIRECTIVE, agencies, calendar)
    reports = [o for o in draft.obligations if o.kind == "report"]
    work = [o for o in draft.obligations if o.kind != "report"]
    assert [str(o.deadline.date) for o in reports if o.deadline] == ["2026-12-15"]
    assert work and all(o.deadline is None for o in work)
