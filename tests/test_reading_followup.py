"""Issue #15, the lead's follow-up on patterns 1-4: shapes the merged reader still read wrong.
The fixtures are whole dispatches in fixtures/dispatches/patterns/ (read against expected.yaml
by test_reading_work_patterns.py); these tests add what a reviewer must see beside them: a task
the reader leaves out is named in a review point with its sentence, never dropped silently."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dondoc.config.calendar import load_calendar_overrides
from dondoc.config.spec_loader import AgencyRecord
from dondoc.config.successions import load_directory
from dondoc.engine.deadlines import WorkCalendar, work_calendar
from dondoc.reading.draft import DispatchDraft, parse_dispatch
from dondoc.reading.text import decode_text

PATTERNS = Path(__file__).parent / "fixtures" / "dispatches" / "patterns"
TODAY = dt.date(2026, 3, 10)


@pytest.fixture(scope="module")
def agencies() -> list[AgencyRecord]:
    return load_directory()


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return work_calendar(range(2000, 2031), load_calendar_overrides())


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
