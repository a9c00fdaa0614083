"""The reader's review points carry a Vietnamese text for the board (the CLI keeps printing the
English): every point the reader makes on every dispatch fixture has one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from dondoc.config.spec_loader import AgencyRecord
from dondoc.engine.deadlines import WorkCalendar
from dondoc.reading.draft import parse_dispatch
from dondoc.reading.review import Note, Review
from dondoc.reading.text import DispatchTextError, decode_text

DISPATCHES = Path(__file__).parent / "fixtures" / "dispatches"
FIXTURES = sorted(p.relative_to(DISPATCHES).as_posix() for p in DISPATCHES.rglob("*.txt"))
# A letter only Vietnamese writes: a message in English has none of them.
_VIETNAMESE = re.compile(r"[ạảãàáâậầấẩẫăắằặẳẵêếềệểễẹẻẽèéôốồộổỗơớờợởỡọỏõòóưứừựửữụủũùúịỉĩìíđ]")


def test_a_note_is_its_english_text_and_carries_the_vietnamese() -> None:
    review = Review()
    review.add("dispatch.subject", Note("no subject", "chưa đọc được trích yếu"), "plain text")
    assert [p.message for p in review.points] == ["no subject", "plain text"]
    assert [p.message_vi for p in review.points] == ["chưa đọc được trích yếu", None]
    assert str(review.points[0]) == "dispatch.subject: no subject"


@pytest.mark.parametrize("today", [dt.date(2026, 6, 1), dt.date(2029, 12, 31)])
@pytest.mark.parametrize("name", FIXTURES)
def test_every_review_point_has_a_vietnamese_text(
    name: str, today: dt.date, agencies: list[AgencyRecord], calendar: WorkCalendar
) -> None:
    try:
        text = decode_text((DISPATCHES / name).read_bytes())
        draft = parse_dispatch(text, agencies, today=today, calendar=calendar)
    except DispatchTextError:
        return  # not a dispatch, or not UTF-8: the reader says so, with no review points
    for point in draft.review:
        assert point.message_vi, f"{point.where}: {point.message}"
        assert _VIETNAMESE.search(point.message_vi), point.message_vi
        assert point.message_vi != point.message
