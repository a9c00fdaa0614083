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
from dondoc.reading.deadline_notes import note as note_
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
from dondoc.reading.review import period_vi

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
        note = note_("loose", quote=_quote(text, loose[0]))
        return DeadlineReading(said, None, _quote(text, loose[0]), (note,), stated=True)
    if recurrences:
        return _undated(text, recurrences)
    for word in no_date_hits(low):
        note = note_("no_date_word", quote=_quote(text, word))
        return DeadlineReading("once", None, _quote(text, word), (note,))
    return DeadlineReading("once", None, None, (note_("none"),))


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
        note = note_("work_period", quote=" ".join(words.split()))
        return replace(reading, notes=(*reading.notes, note), stated=True)
    return None


def _quote(text: str, hit: WordHit | DateHit | DaysHit) -> str:
    return " ".join(text[hit.start : hit.end].split())


def _rule(hit: DateHit, **fields: object) -> tuple[DeadlineSpec, list[str]]:
    notes: list[str] = []
    inclusive = not hit.mark.startswith("trước") or hit.mark.startswith("trước hoặc")
    if hit.mark.startswith("chậm nhất") and "trước" in hit.mark:
        inclusive = False
        notes.append(note_("mixed_mark", mark=hit.mark))
    if hit.time:
        inclusive = True
        notes.append(note_("time", time=hit.time))
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
        notes.append(note_("more_dates", others=others, quote=_quote(text, hit)))
    if len(words - {"unknown"}) > 1 and known is None:
        named = sorted(words)
        named_vi = ", ".join(period_vi(w) for w in named)
        notes.append(note_("recurrences", named=", ".join(named), named_vi=named_vi))
    try:
        recurrence, deadline, more_notes = _dated_rule(hit, said, issued_on)
    except ValueError as exc:
        recurrence, deadline, more_notes = (
            said or "once",
            None,
            [note_("impossible", exc=exc, quote=_quote(text, hit))],
        )
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
            notes.append(note_("after_content"))
        return "once", rule.model_copy(update={"inclusive": True}), notes
    assert hit.day is not None
    if hit.kind == "quarter_end":
        rule, notes = _rule(hit, month=3, day=hit.day)
        return "quarterly", rule, notes
    if hit.kind == "quarter_next":
        return "quarterly", None, [note_("quarter_next")]
    if hit.next_month:
        note = note_("next_month", day=hit.day)
        return said or "monthly", None, [note]
    if hit.kind == "monthly" or (hit.kind == "bare_day" and said == "monthly"):
        rule, notes = _rule(hit, day=hit.day)
        return "monthly", rule, notes
    if hit.kind == "bare_day":
        return said or "once", None, [note_("bare_day", mark=hit.mark, day=hit.day)]
    assert hit.month is not None
    if hit.year is not None:
        rule, notes = _rule(hit, date=dt.date(hit.year, hit.month, hit.day))
        if said is not None:
            notes.append(note_("dated_one_off", said=said, said_vi=period_vi(said)))
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
        return "monthly", rule, [*notes, note_("month_in_monthly")]
    if issued_on is None:
        return "once", None, [note_("no_year_no_issue")]
    year = issued_on.year + (dt.date(issued_on.year, month, hit.day) < issued_on)
    rule, notes = _rule(hit, date=dt.date(year, month, hit.day))
    note = note_("no_year", day=hit.day, month=month)
    return "once", rule, [*notes, note]


def _in_period(
    hit: DateHit, month: int, said: Recurrence | None, span: int
) -> tuple[Recurrence, DeadlineSpec | None, list[str]]:
    assert hit.day is not None and said is not None
    pairs = [(hit.day, month), *hit.more]
    within = {m - span * ((m - 1) // span) for _, m in pairs}
    if len({d for d, _ in pairs}) > 1 or len(within) > 1:
        return said, None, [note_("not_repeating", pairs=pairs, span=span, dates=_dates(pairs))]
    rule, notes = _rule(hit, month=within.pop(), day=hit.day)
    if len(pairs) < 12 // span:
        notes.append(note_("not_every", said=said, said_vi=period_vi(said)))
    return said, rule, notes


def _dates(pairs: list[tuple[int, int]]) -> str:
    return ", ".join(f"{d:02d}/{m:02d}" for d, m in pairs)


def _from_days(
    text: str, hit: DaysHit, issued_on: dt.date | None, cal: WorkCalendar
) -> DeadlineReading:
    phrase = _quote(text, hit)
    if issued_on is None:
        return DeadlineReading("once", None, phrase, (note_("issue_date_unread"),))
    notes: list[str] = []
    if "ký" not in hit.source and "ban hành" not in hit.source:
        notes.append(note_("counted_from", source=hit.source, issued=issued_on))
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
        note = note_("no_period", quote=quoted)
    else:
        note = note_("how_often", quote=quoted)
    return DeadlineReading(recurrence, None, quoted, (note,))
