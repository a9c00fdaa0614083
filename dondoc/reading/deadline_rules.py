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
from dondoc.reading.review import Note, period_vi

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
        note = Note(
            f"'{_quote(text, loose[0])} ...' states a date that was not understood",
            f"'{_quote(text, loose[0])} ...' có nêu ngày nhưng chưa đọc được",
        )
        return DeadlineReading(said, None, _quote(text, loose[0]), (note,), stated=True)
    if recurrences:
        return _undated(text, recurrences)
    for word in no_date_hits(low):
        note = Note(
            f"'{_quote(text, word)}': no date (continuous, on demand or urgent)",
            f"'{_quote(text, word)}': không có thời hạn (thường xuyên, theo yêu cầu hoặc khẩn)",
        )
        return DeadlineReading("once", None, _quote(text, word), (note,))
    return DeadlineReading(
        "once", None, None, (Note("no deadline stated", "không thấy thời hạn trong văn bản"),)
    )


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
        said = " ".join(words.split())
        note = Note(
            f"'{said}' is a period of work: its end is taken as the deadline",
            f"'{said}' là thời gian thực hiện: ngày kết thúc được lấy làm thời hạn",
        )
        return replace(reading, notes=(*reading.notes, note), stated=True)
    return None


def _quote(text: str, hit: WordHit | DateHit | DaysHit) -> str:
    return " ".join(text[hit.start : hit.end].split())


def _rule(hit: DateHit, **fields: object) -> tuple[DeadlineSpec, list[str]]:
    notes: list[str] = []
    inclusive = not hit.mark.startswith("trước") or hit.mark.startswith("trước hoặc")
    if hit.mark.startswith("chậm nhất") and "trước" in hit.mark:
        inclusive = False
        notes.append(
            Note(
                f"'{hit.mark}' mixes 'at the latest' and 'before': read as before (exclusive)",
                f"'{hit.mark}' vừa là 'chậm nhất' vừa là 'trước': đọc là trước ngày (không "
                "tính ngày đó)",
            )
        )
    if hit.time:
        inclusive = True
        notes.append(
            Note(
                f"a time of day ({hit.time}) is given; dondoc tracks whole days: day D kept",
                f"có nêu giờ ({hit.time}); dondoc theo dõi theo ngày: giữ ngày D",
            )
        )
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
        notes.append(
            Note(
                f"more dates in this task ({others}): '{_quote(text, hit)}' is used",
                f"nhiệm vụ nêu nhiều ngày ({others}): dùng '{_quote(text, hit)}'",
            )
        )
    if len(words - {"unknown"}) > 1 and known is None:
        named = sorted(words)
        notes.append(
            Note(
                f"several recurrences named ({', '.join(named)})",
                f"văn bản nêu nhiều kỳ hạn ({', '.join(period_vi(w) for w in named)})",
            )
        )
    try:
        recurrence, deadline, more_notes = _dated_rule(hit, said, issued_on)
    except ValueError as exc:
        recurrence, deadline, more_notes = (
            said or "once",
            None,
            [Note(f"impossible date: {exc}", f"ngày không có thực: '{_quote(text, hit)}'")],
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
            notes.append(
                Note(
                    "it follows 'kết quả'/'tình hình': it may name the period reported on",
                    "đứng sau 'kết quả'/'tình hình': có thể là kỳ báo cáo chứ không phải thời hạn",
                )
            )
        return "once", rule.model_copy(update={"inclusive": True}), notes
    assert hit.day is not None
    if hit.kind == "quarter_end":
        rule, notes = _rule(hit, month=3, day=hit.day)
        return "quarterly", rule, notes
    if hit.kind == "quarter_next":
        return (
            "quarterly",
            None,
            [
                Note(
                    "due in the first month of the next quarter: set by hand",
                    "hạn trong tháng đầu của quý sau: cần nhập tay",
                )
            ],
        )
    if hit.next_month:
        note = Note(
            f"due on day {hit.day} of the month after the period; a monthly deadline falls in "
            "the period's own month: write the day to use, or null",
            f"hạn là ngày {hit.day} của tháng sau kỳ; thời hạn hằng tháng phải nằm trong tháng "
            "của kỳ: nhập ngày cần dùng, hoặc để trống",
        )
        return said or "monthly", None, [note]
    if hit.kind == "monthly" or (hit.kind == "bare_day" and said == "monthly"):
        rule, notes = _rule(hit, day=hit.day)
        return "monthly", rule, notes
    if hit.kind == "bare_day":
        return (
            said or "once",
            None,
            [
                Note(
                    f"'{hit.mark} {hit.day}' names a day but no month",
                    f"'{hit.mark} {hit.day}' nêu ngày nhưng không nêu tháng",
                )
            ],
        )
    assert hit.month is not None
    if hit.year is not None:
        rule, notes = _rule(hit, date=dt.date(hit.year, hit.month, hit.day))
        if said is not None:
            notes.append(
                Note(
                    f"a dated one-off, though the text also says '{said}'",
                    f"thời hạn một lần có ghi ngày, dù văn bản còn nêu '{period_vi(said)}'",
                )
            )
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
        return "monthly", rule, [*notes, _MONTH_IN_MONTHLY]
    if issued_on is None:
        return (
            "once",
            None,
            [
                Note(
                    "no year given and no issue date to count from",
                    "không nêu năm và không có ngày ban hành để tính",
                )
            ],
        )
    year = issued_on.year + (dt.date(issued_on.year, month, hit.day) < issued_on)
    rule, notes = _rule(hit, date=dt.date(year, month, hit.day))
    note = Note(
        f"no year given: read as the next {hit.day:02d}/{month:02d} on or after the issue date",
        f"không nêu năm: đọc là ngày {hit.day:02d}/{month:02d} gần nhất kể từ ngày ban hành",
    )
    return "once", rule, [*notes, note]


_MONTH_IN_MONTHLY = Note(
    "a month is named in a monthly rule: only the day is used",
    "quy định hằng tháng có nêu tháng: chỉ dùng ngày",
)


def _in_period(
    hit: DateHit, month: int, said: Recurrence | None, span: int
) -> tuple[Recurrence, DeadlineSpec | None, list[str]]:
    assert hit.day is not None and said is not None
    pairs = [(hit.day, month), *hit.more]
    within = {m - span * ((m - 1) // span) for _, m in pairs}
    if len({d for d, _ in pairs}) > 1 or len(within) > 1:
        return (
            said,
            None,
            [
                Note(
                    f"the dates {pairs} do not repeat every {span} months",
                    f"các ngày {', '.join(f'{d:02d}/{m:02d}' for d, m in pairs)} không lặp lại "
                    f"sau mỗi {span} tháng",
                )
            ],
        )
    rule, notes = _rule(hit, month=within.pop(), day=hit.day)
    if len(pairs) < 12 // span:
        notes.append(
            Note(
                f"not every {said} date is written: the same day in each period is assumed",
                f"văn bản không ghi đủ các ngày {period_vi(said)}: giả định cùng ngày đó ở mỗi kỳ",
            )
        )
    return said, rule, notes


def _from_days(
    text: str, hit: DaysHit, issued_on: dt.date | None, cal: WorkCalendar
) -> DeadlineReading:
    phrase = _quote(text, hit)
    if issued_on is None:
        return DeadlineReading(
            "once",
            None,
            phrase,
            (
                Note(
                    "counted from the issue date, not read",
                    "tính từ ngày ban hành, nhưng chưa đọc được ngày ban hành",
                ),
            ),
        )
    notes: list[str] = []
    if "ký" not in hit.source and "ban hành" not in hit.source:
        notes.append(
            Note(
                f"counted from '{hit.source}', whose date is not in the text: counted from the "
                f"issue date {issued_on:%d/%m/%Y} instead",
                f"tính từ '{hit.source}', nhưng văn bản không nêu ngày đó: tính từ ngày ban "
                f"hành {issued_on:%d/%m/%Y}",
            )
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
        note = Note(
            f"'{quoted}' without a period: yearly assumed, and no date",
            f"'{quoted}' không nêu kỳ: giả định hằng năm, không có thời hạn",
        )
    else:
        note = Note(
            f"'{quoted}' says how often, not by when: no date",
            f"'{quoted}' chỉ nêu tần suất, không nêu thời hạn",
        )
    return DeadlineReading(recurrence, None, quoted, (note,))
