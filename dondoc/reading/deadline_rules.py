"""Turn the deadline phrases of one task into a recurrence and a deadline rule (pure).

The rules follow docs/spec-format.md and DOMAIN.md: "trước ngày D" excludes D, "chậm nhất ngày
D" includes it; periods counted from an event do not count its day (Civil Code 2015, Art.
147(2)); the shift off weekends and holidays (Art. 148(5)) is left to the deadline engine.
Anything read without certainty comes back as a note for the reviewer.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

from dondoc.config.spec import DeadlineSpec, Recurrence
from dondoc.engine.deadlines import WorkCalendar
from dondoc.reading.data_periods import data_periods
from dondoc.reading.deadline_phrases import (
    DateHit,
    DaysHit,
    WordHit,
    date_hits,
    days_hits,
    loose_dates,
    lowered,
    no_date_hits,
    recurrence_hits,
)

_RECURRENCE_NAMES: dict[str, Recurrence] = {
    "yearly": "yearly",
    "half-yearly": "half-yearly",
    "quarterly": "quarterly",
    "monthly": "monthly",
}
_PERIOD_MONTHS = {"half-yearly": 6, "quarterly": 3}
# "trước ngày 15/6 và 15/12 hằng năm": two dates a year are half-yearly, four are quarterly.
_BY_COUNT: dict[int, Recurrence] = {2: "half-yearly", 4: "quarterly"}


@dataclass(frozen=True)
class DeadlineReading:
    recurrence: Recurrence
    deadline: DeadlineSpec | None
    phrase: str | None  # the original words the rule came from
    notes: tuple[str, ...] = ()  # review points for the coordinator

    @property
    def dated(self) -> bool:
        return self.deadline is not None

    @property
    def unread(self) -> bool:
        """The text states a date here that could not be made a rule (a day without its
        month, an impossible date, dates that do not repeat): it must be filled in."""
        return self.deadline is None and self.phrase is not None and self.stated

    stated: bool = False  # a date phrase was found


def read_deadline(
    text: str,
    issued_on: dt.date | None,
    cal: WorkCalendar | None = None,
    *,
    recurrence: Recurrence | None = None,
) -> DeadlineReading:
    """The recurrence and deadline one task sentence states (see module doc). ``recurrence``:
    known from elsewhere ("báo cáo 9 tháng" beside "báo cáo năm" is a yearly report)."""
    low = lowered(text)
    recurrences = recurrence_hits(low)
    hits = date_hits(low)
    if hits:
        reading = _from_dates(text, hits, recurrences, issued_on, recurrence)
        return replace(reading, stated=True)
    days = days_hits(low)
    if days:
        return replace(_from_days(text, days[0], issued_on, cal or WorkCalendar()), stated=True)
    if (ends := _window_end(text, low, issued_on, recurrence)) is not None:
        return ends
    if loose := loose_dates(low):
        said = recurrence or _said(recurrences)
        note = f"'{_quote(text, loose[0])} ...' states a date that was not understood"
        return DeadlineReading(said, None, _quote(text, loose[0]), (note,), stated=True)
    if recurrences:
        return _undated(text, recurrences)
    for word in no_date_hits(low):
        note = f"'{_quote(text, word)}': no date (continuous, on demand or urgent)"
        return DeadlineReading("once", None, _quote(text, word), (note,))
    return DeadlineReading("once", None, None, ("no deadline stated",))


def _after_time_limit(text: str, hit: DateHit) -> bool:
    low = lowered(text[: hit.start])
    return low.rfind("thời hạn") > max(low.rfind(". "), low.rfind("; "), -1)


def _said(recurrences: list[WordHit]) -> Recurrence:
    named = [_RECURRENCE_NAMES[w.value] for w in recurrences if w.value in _RECURRENCE_NAMES]
    return named[0] if named else "once"


def _window_end(
    text: str, low: str, issued_on: dt.date | None, recurrence: Recurrence | None
) -> DeadlineReading | None:
    """ "Thời gian thực hiện: từ ngày 01/3/2026 đến ngày 30/6/2026": a period of work (not of
    data) whose end is the due date, inclusive; flagged."""
    for period in data_periods(low):
        if period.data:
            continue
        words = text[period.at : period.end]
        cut = max(lowered(words).rfind("đến"), lowered(words).rfind("tới"))
        end = words[cut:]
        if cut < 0 or not (hits := date_hits(lowered(end))):
            continue
        reading = _from_dates(end, hits, recurrence_hits(low), issued_on, recurrence)
        note = f"'{' '.join(words.split())}' is a period of work: its end is taken as the deadline"
        return replace(reading, notes=(*reading.notes, note), stated=True)
    return None


def _quote(text: str, hit: WordHit | DateHit | DaysHit) -> str:
    return " ".join(text[hit.start : hit.end].split())


def _rule(hit: DateHit, **fields: object) -> tuple[DeadlineSpec, list[str]]:
    notes: list[str] = []
    inclusive = not hit.mark.startswith("trước") or hit.mark.startswith("trước hoặc")
    if hit.mark.startswith("chậm nhất") and "trước" in hit.mark:
        inclusive = False
        notes.append(f"'{hit.mark}' mixes 'at the latest' and 'before': read as before (exclusive)")
    if hit.time:
        inclusive = True
        notes.append(f"a time of day ({hit.time}) is given; dondoc tracks whole days: day D kept")
    return DeadlineSpec.model_validate({"inclusive": inclusive, **fields}), notes


def _from_dates(
    text: str,
    hits: list[DateHit],
    recurrences: list[WordHit],
    issued_on: dt.date | None,
    known: Recurrence | None = None,
) -> DeadlineReading:
    # A marked date ("trước ngày", "chậm nhất") beats "trong quý ..." wherever it stands, and
    # one in a "Thời hạn ...:" sentence beats the others.
    hit = next((h for h in hits if _after_time_limit(text, h)), None) or next(
        (h for h in hits if h.kind != "within"), hits[0]
    )
    outside = [w for w in recurrences if not hit.start <= w.start < hit.end]
    words = {w.value for w in outside}
    said: Recurrence | None = known or next(
        (_RECURRENCE_NAMES[w.value] for w in outside if w.value in _RECURRENCE_NAMES), None
    )
    if hit.more and said not in _PERIOD_MONTHS:
        said = _BY_COUNT.get(len(hit.more) + 1, said)
    elif (hit.every_year or hit.next_year) and said not in _PERIOD_MONTHS:
        said = "yearly"
    notes: list[str] = []
    if len(hits) > 1:
        others = "; ".join(f"'{_quote(text, h)}'" for h in hits if h is not hit)
        notes.append(f"more dates in this task ({others}): '{_quote(text, hit)}' is used")
    if len(words - {"unknown"}) > 1 and known is None:
        notes.append(f"several recurrences named ({', '.join(sorted(words))})")
    try:
        recurrence, deadline, more_notes = _dated_rule(hit, said, issued_on)
    except ValueError as exc:
        recurrence, deadline, more_notes = said or "once", None, [f"impossible date: {exc}"]
    phrase = _quote(text, hit)
    return DeadlineReading(recurrence, deadline, phrase, tuple(notes + more_notes))


def _dated_rule(
    hit: DateHit, said: Recurrence | None, issued_on: dt.date | None
) -> tuple[Recurrence, DeadlineSpec | None, list[str]]:
    if hit.kind == "within":
        assert hit.month is not None and hit.year is not None
        last = calendar.monthrange(hit.year, hit.month)[1]
        rule, notes = _rule(hit, date=dt.date(hit.year, hit.month, last))
        if hit.after_content:
            notes.append("it follows 'kết quả'/'tình hình': it may name the period reported on")
        return "once", rule.model_copy(update={"inclusive": True}), notes
    assert hit.day is not None
    if hit.kind == "quarter_end":
        rule, notes = _rule(hit, month=3, day=hit.day)
        return "quarterly", rule, notes
    if hit.kind == "quarter_next":
        return "quarterly", None, ["due in the first month of the next quarter: set by hand"]
    if hit.next_month:
        note = (
            f"due on day {hit.day} of the month after the period; a monthly deadline falls in "
            "the period's own month: write the day to use, or null"
        )
        return said or "monthly", None, [note]
    if hit.kind == "monthly" or (hit.kind == "bare_day" and said == "monthly"):
        rule, notes = _rule(hit, day=hit.day)
        return "monthly", rule, notes
    if hit.kind == "bare_day":
        return said or "once", None, [f"'{hit.mark} {hit.day}' names a day but no month"]
    assert hit.month is not None
    if hit.year is not None:
        rule, notes = _rule(hit, date=dt.date(hit.year, hit.month, hit.day))
        if said is not None:
            notes.append(f"a dated one-off, though the text also says '{said}'")
        return "once", rule, notes
    return _day_month(hit, hit.month, said, issued_on)


def _day_month(
    hit: DateHit, month: int, said: Recurrence | None, issued_on: dt.date | None
) -> tuple[Recurrence, DeadlineSpec | None, list[str]]:
    assert hit.day is not None
    dt.date(2024, month, hit.day)  # a leap year: only truly impossible days fail
    if hit.next_year:
        rule, notes = _rule(hit, month=month, day=hit.day, year_offset=1)
        return "yearly", rule, notes
    span = _PERIOD_MONTHS.get(said or "")
    if span is not None:
        return _in_period(hit, month, said, span)
    if said == "yearly":
        rule, notes = _rule(hit, month=month, day=hit.day)
        return "yearly", rule, notes
    if said == "monthly":
        rule, notes = _rule(hit, day=hit.day)
        return "monthly", rule, [*notes, "a month is named in a monthly rule: only the day is used"]
    if issued_on is None:
        return "once", None, ["no year given and no issue date to count from"]
    year = issued_on.year + (dt.date(issued_on.year, month, hit.day) < issued_on)
    rule, notes = _rule(hit, date=dt.date(year, month, hit.day))
    note = f"no year given: read as the next {hit.day:02d}/{month:02d} on or after the issue date"
    return "once", rule, [*notes, note]


def _in_period(
    hit: DateHit, month: int, said: Recurrence | None, span: int
) -> tuple[Recurrence, DeadlineSpec | None, list[str]]:
    assert hit.day is not None and said is not None
    pairs = [(hit.day, month), *hit.more]
    within = {m - span * ((m - 1) // span) for _, m in pairs}
    if len({d for d, _ in pairs}) > 1 or len(within) > 1:
        return said, None, [f"the dates {pairs} do not repeat every {span} months"]
    rule, notes = _rule(hit, month=within.pop(), day=hit.day)
    if len(pairs) < 12 // span:
        notes.append(f"not every {said} date is written: the same day in each period is assumed")
    return said, rule, notes


def _from_days(
    text: str, hit: DaysHit, issued_on: dt.date | None, cal: WorkCalendar
) -> DeadlineReading:
    phrase = _quote(text, hit)
    if issued_on is None:
        return DeadlineReading("once", None, phrase, ("counted from the issue date, not read",))
    notes: list[str] = []
    if "ký" not in hit.source and "ban hành" not in hit.source:
        notes.append(
            f"counted from '{hit.source}', whose date is not in the text: counted from the "
            f"issue date {issued_on:%d/%m/%Y} instead"
        )
    # Civil Code 2015, Art. 147(2): the day of the event is not counted.
    if hit.working:
        due = cal.add_working_days(issued_on, hit.days)
    else:
        due = issued_on + dt.timedelta(days=hit.days)
    deadline = DeadlineSpec(date=due, inclusive=True)
    return DeadlineReading("once", deadline, phrase, tuple(notes))


def _undated(text: str, recurrences: list[WordHit]) -> DeadlineReading:
    word = recurrences[0]
    recurrence: Recurrence = _RECURRENCE_NAMES.get(word.value, "yearly")
    quoted = _quote(text, word)
    if word.value == "unknown":
        note = f"'{quoted}' without a period: yearly assumed, and no date"
    else:
        note = f"'{quoted}' says how often, not by when: no date"
    return DeadlineReading(recurrence, None, quoted, (note,))
