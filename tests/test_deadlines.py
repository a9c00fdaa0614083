"""The pure deadline engine, the periods and the calendar overrides file.

Every weekday in the examples was checked against a real calendar.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dondoc.config.calendar import CalendarOverrides, load_calendar_overrides
from dondoc.config.spec import DeadlineSpec, Recurrence, ReminderSpec
from dondoc.engine.deadlines import (
    Period,
    ReminderPolicy,
    Stage,
    WorkCalendar,
    closing_status,
    days_between,
    end_of_day_utc,
    is_send_time,
    last_acceptable_day,
    local_date,
    next_period,
    next_stage_after,
    nominal_deadline,
    open_status,
    parse_period,
    period_containing,
    periods_between,
    reminder_window_start,
    stage_due,
    vietnam_calendar,
    work_calendar,
)

TZ = "Asia/Ho_Chi_Minh"
VN = dt.timezone(dt.timedelta(hours=7))
D = dt.date
CAL = work_calendar(range(2015, 2033), load_calendar_overrides())
POLICY = ReminderPolicy()
DEC_10 = DeadlineSpec(month=12, day=10, inclusive=False)  # trước ngày 10 tháng 12 hàng năm
RECURRENCES: tuple[Recurrence, ...] = ("monthly", "quarterly", "half-yearly", "yearly")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


# --- calendar ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 17), False),  # Tết
        (D(2026, 1, 1), False),
        (D(2026, 1, 2), False),  # Friday off, 12729/VPCP-KGVX (override)
        (D(2026, 1, 10), True),  # Saturday worked, 12729/VPCP-KGVX (override)
        (D(2026, 8, 22), True),  # Saturday worked, a swap holidays.VN knows
        (D(2026, 8, 31), False),
        (D(2026, 4, 27), False),  # compensatory day for Hùng Kings on Sunday 26/4
        (D(2026, 12, 12), False),  # an ordinary Saturday
        (D(2026, 12, 9), True),
    ],
)
def test_vietnam_work_calendar(day: dt.date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_not_days_off_cancels_a_holiday_and_calendars_are_cached() -> None:
    culture_day = D(2026, 11, 24)  # listed by holidays.VN; legal status unverified
    assert not vietnam_calendar([2026]).is_working_day(culture_day)
    assert vietnam_calendar([2026], not_days_off=[culture_day]).is_working_day(culture_day)
    assert vietnam_calendar([2026, 2027]) is vietnam_calendar((2027, 2026))


def test_working_days() -> None:
    cal = WorkCalendar(days_off=[D(2026, 12, 7)], working_days=[D(2026, 12, 12)])
    assert cal.next_working_day(D(2026, 12, 6)) == D(2026, 12, 8)
    assert cal.next_working_day(D(2026, 12, 12)) == D(2026, 12, 12)
    # "05 ngày làm việc kể từ ngày nhận được": received Friday 13/2/2026, Tết 16-20/2 skipped.
    assert CAL.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert CAL.add_working_days(D(2026, 2, 27), -5) == D(2026, 2, 13)
    assert CAL.add_working_days(D(2026, 2, 15), 0) == D(2026, 2, 15)


# --- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "recurrence", "start", "end"),
    [
        ("2026-Q4", "quarterly", D(2026, 10, 1), D(2026, 12, 31)),
        ("2026-H1", "half-yearly", D(2026, 1, 1), D(2026, 6, 30)),
        ("2028-02", "monthly", D(2028, 2, 1), D(2028, 2, 29)),
        ("2026", "yearly", D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_parse_period(label: str, recurrence: Recurrence, start: dt.date, end: dt.date) -> None:
    p = parse_period(label, recurrence)
    assert (p.label, p.start, p.end) == (label, start, end)


@pytest.mark.parametrize(
    ("label", "recurrence"),
    [("2026-13", "monthly"), ("2026-Q5", "quarterly"), ("abc", "yearly"), ("2026", "once")],
)
def test_parse_period_errors_name_the_label(label: str, recurrence: Recurrence) -> None:
    with pytest.raises(ValueError, match=repr(label)):
        parse_period(label, recurrence)


def test_once_and_period_sequences() -> None:
    assert (
        period_containing(D(2026, 5, 4), "once")
        == Period("once", 0, 0)
        == parse_period("once", "once")
    )
    assert next_period(parse_period("2026-Q4", "quarterly")).label == "2027-Q1"
    months = periods_between(parse_period("2025-11", "monthly"), parse_period("2026-02", "monthly"))
    assert [p.label for p in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert periods_between(parse_period("2027", "yearly"), parse_period("2026", "yearly")) == []


periods = st.builds(
    lambda r, day: period_containing(day, r),
    st.sampled_from(RECURRENCES),
    st.dates(D(1990, 1, 1), D(2090, 12, 31)),
)


@given(periods)
def test_period_properties(p: Period) -> None:
    assert parse_period(p.label, p.recurrence) == p
    assert period_containing(p.start, p.recurrence) == p == period_containing(p.end, p.recurrence)
    following = next_period(p)
    assert following.start == p.end + dt.timedelta(days=1) and following > p
    assert periods_between(p, following) == [p, following]


# --- deadlines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "last_day"),
    [(2026, D(2026, 12, 9)), (2027, D(2027, 12, 9)), (2028, D(2028, 12, 11))],  # 9/12/2028: Sat
)
def test_before_10_december(year: int, last_day: dt.date) -> None:
    assert last_acceptable_day(DEC_10, Period("yearly", year, 1), CAL) == last_day


def test_due_instant_is_the_end_of_the_local_day() -> None:
    assert end_of_day_utc(D(2026, 12, 9), TZ) == utc(2026, 12, 9, 17)
    assert local_date(vn(2026, 12, 9, 23, 59), TZ) == D(2026, 12, 9)
    assert local_date(utc(2026, 12, 9, 17), TZ) == D(2026, 12, 10)
    with pytest.raises(ValueError, match="time zone"):
        local_date(dt.datetime(2026, 12, 9), TZ)


@pytest.mark.parametrize(
    ("rule", "period", "nominal", "last_day"),
    [
        # trước ngày 20 của tháng cuối quý
        (dict(month=3, day=20, inclusive=False), "2026-Q2", D(2026, 6, 20), D(2026, 6, 19)),
        # chậm nhất vào ngày 25 hằng tháng: 25/1/2026 is a Sunday
        (dict(day=25, inclusive=True), "2026-01", D(2026, 1, 25), D(2026, 1, 26)),
        (dict(day=25, inclusive=True, shift_to_working_day=False), "2026-01", None, D(2026, 1, 25)),
        # day 31 in April is the 30th, a holiday; 1/5 too, then a weekend
        (dict(day=31, inclusive=True), "2026-04", D(2026, 4, 30), D(2026, 5, 4)),
        (dict(day=31, inclusive=True), "2028-02", D(2028, 2, 29), D(2028, 2, 29)),
        (dict(month=6, day=15, inclusive=True), "2026-H2", D(2026, 12, 15), D(2026, 12, 15)),
        # trước ngày 15 tháng 01 năm sau
        (dict(month=1, day=15, inclusive=False, year_offset=1), "2026", None, D(2027, 1, 14)),
        # chậm nhất ngày 20/6/2026 is a Saturday
        (dict(date=D(2026, 6, 20), inclusive=True), "once", None, D(2026, 6, 22)),
    ],
)
def test_deadline_rules(
    rule: dict[str, Any], period: str, nominal: dt.date | None, last_day: dt.date
) -> None:
    spec = DeadlineSpec(**rule)
    p = parse_period(period, _recurrence_of(period))
    if nominal is not None:
        assert nominal_deadline(spec, p) == nominal
    assert last_acceptable_day(spec, p, CAL) == last_day


def _recurrence_of(label: str) -> Recurrence:
    if label == "once":
        return "once"
    if len(label) == 4:
        return "yearly"
    if label[5] == "H":
        return "half-yearly"
    return "quarterly" if label[5] == "Q" else "monthly"


def test_month_outside_the_period_is_rejected() -> None:
    with pytest.raises(ValueError, match="month 4"):
        nominal_deadline(DeadlineSpec(month=4, day=1, inclusive=True), Period("quarterly", 2026, 1))


days_off_sets = st.frozensets(st.dates(D(2026, 1, 1), D(2026, 3, 31)), max_size=40)
calendars = st.one_of(st.just(CAL), st.builds(WorkCalendar, days_off_sets))


@given(
    periods.filter(lambda p: 2000 <= p.year <= 2080),
    st.integers(1, 6),
    st.integers(1, 31),
    st.booleans(),
    calendars,
)
def test_shifted_deadline_is_the_first_working_day_on_or_after(
    p: Period, month: int, day: int, inclusive: bool, cal: WorkCalendar
) -> None:
    month = min(month, {"yearly": 12, "half-yearly": 6, "quarterly": 3}.get(p.recurrence, 12))
    rule = DeadlineSpec(month=month, day=day, inclusive=inclusive)
    unshifted = nominal_deadline(rule, p) - dt.timedelta(days=0 if inclusive else 1)
    assert p.start <= nominal_deadline(rule, p) <= p.end
    assert last_acceptable_day(rule.model_copy(update={"shift_to_working_day": False}), p, cal) == (
        unshifted
    )
    shifted = last_acceptable_day(rule, p, cal)
    assert shifted >= unshifted and cal.is_working_day(shifted)
    skipped = (unshifted + dt.timedelta(days=i) for i in range(days_between(unshifted, shifted)))
    assert not any(cal.is_working_day(d) for d in skipped)


@given(st.dates(D(2025, 6, 1), D(2031, 6, 1)), st.integers(-30, 30))
def test_add_working_days_counts_working_days(day: dt.date, n: int) -> None:
    end = CAL.add_working_days(day, n)
    if n == 0:
        assert end == day
        return
    # Counted: the working days after `day` up to `end` (before `day` down to `end` when n < 0).
    step = 1 if n > 0 else -1
    span = [day + dt.timedelta(days=step * i) for i in range(1, abs(days_between(day, end)) + 1)]
    assert CAL.is_working_day(end) and sum(CAL.is_working_day(d) for d in span) == abs(n)


# --- reminder stages --------------------------------------------------------------------------

DUE = D(2026, 12, 9)


def test_default_stages_for_10_december() -> None:
    expected = [
        ("before-30", D(2026, 11, 9)),
        ("before-14", D(2026, 11, 25)),
        ("before-7", D(2026, 12, 2)),
        ("before-3", D(2026, 12, 7)),  # 6/12 is a Sunday
        ("before-1", D(2026, 12, 8)),
        ("overdue-1", D(2026, 12, 10)),
        ("overdue-8", D(2026, 12, 17)),
        ("overdue-15", D(2026, 12, 24)),
    ]
    stages = _walk(DUE, POLICY, CAL, utc(2026, 11, 1), len(expected))
    assert [(s.key, s.send_at) for s in stages] == [
        (key, utc(day.year, day.month, day.day, 1)) for key, day in expected
    ]
    assert [s.escalate for s in stages] == [False] * 6 + [True] * 2
    assert reminder_window_start(DUE, POLICY, CAL, TZ) == utc(2026, 11, 9, 1)
    no_reminders = ReminderPolicy(before_days=())
    assert reminder_window_start(DUE, no_reminders, CAL, TZ) == utc(2026, 12, 8, 17)


@pytest.mark.parametrize(
    ("now", "key"),
    [
        (vn(2026, 11, 25, 8, 30), "before-14"),  # catch-up: before-30 is not sent any more
        (vn(2026, 11, 25, 7, 59), "before-30"),
        (vn(2026, 12, 10, 8, 0), "overdue-1"),
        (vn(2026, 12, 2, 8, 30), "before-7"),
        (vn(2027, 3, 1, 9, 0), "overdue-78"),
        (vn(2026, 11, 9, 7, 59), None),
    ],
)
def test_stage_due(now: dt.datetime, key: str | None) -> None:
    stage = stage_due(DUE, POLICY, CAL, TZ, now)
    assert (stage.key if stage else None) == key


def test_stages_landing_together_send_only_the_latest() -> None:
    # Due Monday 23/2/2026: before-7 (16/2, Tết) and before-3 (20/2, Tết) and before-1 (Sunday)
    # all move to 23/2 08:00.
    due = D(2026, 2, 23)
    first = next_stage_after(due, POLICY, CAL, TZ, vn(2026, 2, 13, 9))
    assert first is not None and first.key == "before-7"
    assert _key(stage_due(due, POLICY, CAL, TZ, first.send_at)) == "before-1"
    # Without Art. 148 shifting a Sunday deadline's before-1 (Saturday) meets overdue-1 (Monday).
    sunday = D(2026, 12, 13)
    assert _key(stage_due(sunday, POLICY, CAL, TZ, vn(2026, 12, 14, 8))) == "overdue-1"


def test_policy_from_spec() -> None:
    assert ReminderPolicy.from_spec(ReminderSpec()) == POLICY
    custom = ReminderSpec(before_days=(10,), overdue_every_days=3)
    assert ReminderPolicy.from_spec(custom, send_hour=9) == ReminderPolicy((10,), 1, 3, 7, 9)
    with pytest.raises(ValueError):
        ReminderPolicy(overdue_every_days=0)


def _key(stage: Stage | None) -> str | None:
    return stage.key if stage else None


def _walk(
    due: dt.date, policy: ReminderPolicy, cal: WorkCalendar, start: dt.datetime, count: int
) -> list[Stage]:
    out: list[Stage] = []
    now = start
    for _ in range(count):
        stage = next_stage_after(due, policy, cal, TZ, now)
        assert stage is not None
        out.append(stage)
        now = stage.send_at
    return out


policies = st.builds(
    ReminderPolicy,
    before_days=st.lists(st.integers(0, 40), max_size=6).map(tuple),
    overdue_first_day=st.integers(1, 10),
    overdue_every_days=st.integers(1, 14),
    escalate_after_days=st.integers(1, 30),
    send_hour=st.integers(0, 23),
)
due_days = st.dates(D(2026, 1, 1), D(2026, 3, 31))
offsets = st.timedeltas(dt.timedelta(days=-60), dt.timedelta(days=120))


def _at(due: dt.date, offset: dt.timedelta) -> dt.datetime:
    return dt.datetime.combine(due, dt.time(), tzinfo=dt.UTC) + offset


@settings(max_examples=150)
@given(due_days, policies, calendars, offsets, offsets)
def test_stage_properties(
    due: dt.date, policy: ReminderPolicy, cal: WorkCalendar, a: dt.timedelta, b: dt.timedelta
) -> None:
    early, late = sorted((_at(due, a), _at(due, b)))
    first, second = (stage_due(due, policy, cal, TZ, t) for t in (early, late))
    nxt = next_stage_after(due, policy, cal, TZ, early)
    assert nxt is not None and nxt.send_at > early
    assert first is None or first.send_at <= early
    # Monotone in now: a later instant never goes back to an earlier stage.
    if first is not None:
        assert second is not None and _order(first) <= _order(second)
    # Nothing changes until the next stage; at its instant it (or a later tie) is due.
    assert stage_due(due, policy, cal, TZ, nxt.send_at - dt.timedelta(microseconds=1)) == first
    at_next = stage_due(due, policy, cal, TZ, nxt.send_at)
    assert at_next is not None and at_next.send_at == nxt.send_at
    assert _order(at_next) >= _order(nxt)
    for stage in (s for s in (first, nxt) if s is not None):
        local = stage.send_at.astimezone(VN)
        assert cal.is_working_day(local.date()) and local.hour == policy.send_hour
        assert is_send_time(stage.send_at, cal, TZ, policy.send_hour)
        assert stage.escalate == (
            stage.kind == "overdue" and stage.days >= policy.escalate_after_days
        )


def _order(stage: Stage) -> tuple[dt.datetime, int, int]:
    if stage.kind == "reminder":
        return (stage.send_at, 0, -stage.days)
    return (stage.send_at, 1, stage.days)


# --- statuses and send times ------------------------------------------------------------------


def test_statuses_for_10_december() -> None:
    due_at = end_of_day_utc(DUE, TZ)
    window = reminder_window_start(DUE, POLICY, CAL, TZ)
    assert open_status(due_at, window, vn(2026, 11, 9, 7, 59)) == "pending"
    assert open_status(due_at, window, vn(2026, 11, 9, 8)) == "due_soon"
    assert open_status(due_at, window, vn(2026, 12, 9, 23, 59)) == "due_soon"
    assert open_status(due_at, window, vn(2026, 12, 10, 0, 0)) == "overdue"
    assert open_status(None, None, vn(2030, 1, 1)) == "pending"
    assert closing_status(DUE, D(2026, 12, 9)) == "done_on_time"
    assert closing_status(DUE, D(2026, 12, 10)) == "done_late"
    assert closing_status(None, D(2030, 1, 1)) == "done_on_time"
    assert days_between(D(2026, 12, 9), D(2026, 12, 17)) == 8


@given(due_days, offsets)
def test_overdue_exactly_when_the_local_day_has_passed(due: dt.date, offset: dt.timedelta) -> None:
    now = _at(due, offset)
    overdue = open_status(end_of_day_utc(due, TZ), None, now) == "overdue"
    assert overdue == (local_date(now, TZ) > due)
    assert overdue == (closing_status(due, local_date(now, TZ)) == "done_late")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (vn(2026, 12, 9, 8), True),
        (vn(2026, 12, 9, 7, 59), False),
        (vn(2026, 1, 10, 8), True),  # worked Saturday
        (vn(2026, 1, 2, 9), False),  # day off
        (vn(2026, 12, 12, 9), False),  # Saturday
    ],
)
def test_is_send_time(now: dt.datetime, expected: bool) -> None:
    assert is_send_time(now, CAL, TZ, 8) is expected


# --- calendar overrides file ------------------------------------------------------------------


def test_bundled_overrides() -> None:
    assert load_calendar_overrides() == CalendarOverrides(
        days_off=frozenset({D(2026, 1, 2)}), working_days=frozenset({D(2026, 1, 10)})
    )


GOOD = '{date: 2026-01-10, reason: "làm bù", source: "12729/VPCP-KGVX"}'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"working_days:\n  - {GOOD}\n  - {{date: 2026-13-01, reason: x, source: y}}\n",
         r":3: working_days\[1\]\.date: '2026-13-01' is not a YYYY-MM-DD date"),
        ("days_off:\n  - {date: 2026-01-02, source: y}\n", r":2: days_off\[0\]\.reason: missing"),
        ("days_off:\n  - {date: 2026-01-02, reason: x, source: y, why: z}\n", r"\[0\]\.why"),
        ("holidays: []\n", ":1: holidays: unknown section"),
        ("working_days:\n  - {date: 2026-01-09, reason: x, source: y}\n", "2026-01-09 is a Friday"),
        (f"days_off:\n  - {GOOD}\nworking_days:\n  - {GOOD}\n", ":4: working_days: 2026-01-10"),
        ("days_off: 2026-01-02\n", ":1: days_off: expected a list"),
        ("days_off: [\n", "not valid YAML"),
    ],
)  # fmt: skip
def test_bad_overrides_name_file_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as caught:
        load_calendar_overrides(path)
    assert str(path) in str(caught.value)


def test_overrides_file_edge_cases(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert load_calendar_overrides(empty) == CalendarOverrides()
    with pytest.raises(ValueError, match=r"missing\.yaml"):
        load_calendar_overrides(tmp_path / "missing.yaml")
    culture = tmp_path / "culture.yaml"
    culture.write_text(f"not_days_off:\n  - {GOOD.replace('01-10', '11-24')}\n", encoding="utf-8")
    cal = work_calendar([2026], load_calendar_overrides(culture))
    assert cal.is_working_day(D(2026, 11, 24)) and not cal.is_working_day(D(2026, 1, 1))
