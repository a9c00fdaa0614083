"""Every number and date of a spec is bounded to what the engine computes, every configuration
file is capped (size, YAML depth, values), and a first_period far back needs --confirm-history:
each refusal is one line naming file, line and field, exit 2, the database unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from dondoc.config.calendar import load_calendar_overrides
from dondoc.config.settings import Settings
from dondoc.config.spec_loader import SpecError, load_agencies, load_spec_file
from dondoc.context import make_context
from dondoc.db import engine_for, transaction
from dondoc.models import Document, Event, Obligation, Task
from dondoc.service import init, load_spec

VN = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 11, 20, 9, tzinfo=VN)
# Line numbers matter: the cases below name them.
SPEC = """\
directive:
  number: 98/CT-TEST
  doc_type: CT
  issuer: Thủ tướng Chính phủ
  issued_on: {issued_on}
  subject: Thử nghiệm giới hạn
addressees: [provincial-committees]
obligations:
  - code: report
    kind: report
    title: Báo cáo
    phrase: chậm nhất ngày 01/12
    recurrence: {recurrence}
    deadline: {deadline}
    first_period: {first_period}
    reminders:
      before_days: {before_days}
      overdue_first_day: {overdue_first_day}
      overdue_every_days: {overdue_every_days}
      escalate_after_days: {escalate_after_days}
"""
DEFAULTS = {
    "issued_on": "2026-01-05",
    "recurrence": "yearly",
    "deadline": "{month: 12, day: 1, inclusive: true}",
    "first_period": '"2026"',
    "before_days": "[30, 7, 1]",
    "overdue_first_day": "1",
    "overdue_every_days": "7",
    "escalate_after_days": "7",
}
ONCE = {"recurrence": "once", "first_period": "null"}
MAX_366 = "Input should be less than or equal to 366"

# case: (changes, the error after "error: ")
BOUNDS: dict[str, tuple[dict[str, str], str]] = {
    "overdue_first_day huge": (
        {"overdue_first_day": "1000000000"},
        f"s.yaml:18: obligations[0].reminders.overdue_first_day: {MAX_366} (got 1000000000)",
    ),
    "before_days huge": (
        {"before_days": "[30, 800000]"},
        f"s.yaml:17: obligations[0].reminders.before_days[1]: {MAX_366} (got 800000)",
    ),
    "before_days negative": (
        {"before_days": "[-1]"},
        "s.yaml:17: obligations[0].reminders.before_days[0]: Input should be greater than or "
        "equal to 0 (got -1)",
    ),
    "before_days twice": (
        {"before_days": "[7, 3, 7]"},
        "s.yaml:17: obligations[0].reminders.before_days: each day once: 7 given twice",
    ),
    "overdue_every_days 0": (
        {"overdue_every_days": "0"},
        "s.yaml:19: obligations[0].reminders.overdue_every_days: Input should be greater than "
        "or equal to 1 (got 0)",
    ),
    "overdue_every_days 367": (
        {"overdue_every_days": "367"},
        f"s.yaml:19: obligations[0].reminders.overdue_every_days: {MAX_366} (got 367)",
    ),
    "escalate_after_days 3661": (
        {"escalate_after_days": "3661"},
        "s.yaml:20: obligations[0].reminders.escalate_after_days: Input should be less than "
        "or equal to 3660 (got 3661)",
    ),
    "once date 9999-12-31": (
        {**ONCE, "deadline": "{date: 9999-12-31, inclusive: true}"},
        "s.yaml:14: obligations[0].deadline.date: Input should be less than or equal to "
        "2100-12-31 (got '9999-12-31')",
    ),
    "once date 0001-01-01": (
        {**ONCE, "deadline": "{date: 0001-01-01, inclusive: true}"},
        "s.yaml:14: obligations[0].deadline.date: Input should be greater than or equal to "
        "2000-01-01 (got '0001-01-01')",
    ),
    "issued_on 9999-12-31": (
        {"issued_on": "9999-12-31"},
        "s.yaml:5: directive.issued_on: Input should be less than or equal to 2100-12-31 "
        "(got '9999-12-31')",
    ),
    "first_period 0001": (
        {"first_period": '"0001"'},
        "s.yaml:15: obligations[0].first_period: the year must be from 2000 to 2100 (got '0001')",
    ),
    "first_period 9999-Q1": (
        {"recurrence": "quarterly", "deadline": "{month: 3, day: 5, inclusive: true}",
         "first_period": '"9999-Q1"'},
        "s.yaml:15: obligations[0].first_period: the year must be from 2000 to 2100 "
        "(got '9999-Q1')",
    ),
}  # fmt: skip


def _spec(tmp_path: Path, changes: dict[str, str], name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(SPEC.format(**{**DEFAULTS, **changes}), encoding="utf-8")
    return path


def _obligations(count: int) -> str:
    one = (
        "  - {{code: r{0}, kind: report, title: B, phrase: p, recurrence: yearly,\n"
        "     deadline: {{month: 12, day: 1, inclusive: true}}}}\n"
    )
    head = SPEC.split("obligations:")[0].format(**DEFAULTS)
    return head + "obligations:\n" + "".join(one.format(i) for i in range(count))


def _nested(depth: int) -> str:
    return SPEC.format(**DEFAULTS) + "note: " + "[" * depth + "]" * depth + "\n"


def _alias_bomb() -> str:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 8):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


# case: (file text, the error after "error: ")
CAPS: dict[str, tuple[str, str]] = {
    "201 obligations": (
        _obligations(201),
        "s.yaml:8: obligations: Tuple should have at most 200 items after validation, not 201",
    ),
    "nested 25 levels": (_nested(25), "s.yaml:21: YAML beyond the caps: nested more than 20"),
    "nested 100,000 levels": (_nested(100_000), "s.yaml:21: YAML beyond the caps: nested"),
    "alias bomb": (_alias_bomb(), "s.yaml:1: YAML beyond the caps: more than 100,000 values"),
    "larger than 1 MB": (
        SPEC.format(**DEFAULTS) + "# " + "x" * (1 << 20) + "\n",
        "s.yaml: the file is larger than 1 MB; a real one is a few KB",
    ),
}


@pytest.mark.parametrize("case", list(BOUNDS))
def test_every_number_and_date_is_bounded(tmp_path: Path, case: str) -> None:
    changes, message = BOUNDS[case]
    with pytest.raises(SpecError) as caught:
        load_spec_file(_spec(tmp_path, changes))
    assert str(caught.value) == message


@pytest.mark.parametrize("case", list(CAPS))
def test_spec_files_are_capped(tmp_path: Path, case: str) -> None:
    text, message = CAPS[case]
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec_file(path)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_the_largest_valid_spec_loads(tmp_path: Path) -> None:
    limits = {"before_days": "[" + ", ".join(map(str, range(366, 336, -1))) + "]",
              "overdue_first_day": "366", "overdue_every_days": "366",
              "escalate_after_days": "3660", "first_period": '"2100"',
              "deadline": "{month: 12, day: 31, inclusive: true, year_offset: 1}"}  # fmt: skip
    spec = load_spec_file(_spec(tmp_path, limits))
    assert spec.obligations[0].reminders.before_days[0] == 366
    path = tmp_path / "many.yaml"
    path.write_text(_obligations(200), encoding="utf-8")
    assert len(load_spec_file(path).obligations) == 200


def test_agency_and_calendar_files_are_capped_too(tmp_path: Path) -> None:
    big = tmp_path / "agencies.yaml"
    big.write_text("agencies: []\n# " + "x" * (1 << 20) + "\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"^agencies\.yaml: the file is larger than 1 MB"):
        load_agencies(big)
    calendar = tmp_path / "calendar.yaml"
    calendar.write_text("days_off: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"calendar\.yaml: not valid YAML: .*nested more than 20"):
        load_calendar_overrides(calendar)
    calendar.write_text("days_off: []\n# " + "x" * (1 << 20) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"calendar\.yaml: the file is larger than 1 MB"):
        load_calendar_overrides(calendar)


# --- first_period far back: --confirm-history ------------------------------------------------


def _counts(settings: Settings) -> tuple[int, ...]:
    with transaction(engine_for(settings)) as session:
        return tuple(
            int(session.execute(select(func.count()).select_from(m)).scalar_one())
            for m in (Document, Obligation, Task, Event)
        )


def test_a_first_period_far_back_needs_confirming(database_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=database_url, outbox_dir=tmp_path / "outbox")
    ctx = make_context(settings, NOW)
    init(settings, ctx)  # the bundled seed needs no confirmation
    before = _counts(settings)
    path = _spec(tmp_path, {"first_period": '"2010"'})
    with pytest.raises(SpecError) as caught:
        load_spec(settings, ctx, path)
    assert str(caught.value) == (
        "s.yaml:15: obligations[0].first_period: more than 10 years before today (2026): it "
        "would make 17 periods of tasks, up to 1071 tasks for 63 agencies, nearly all overdue; "
        "give --confirm-history to load that history (got '2010')"
    )
    assert _counts(settings) == before
    loaded = load_spec(settings, ctx, path, confirm_history=True)
    assert loaded.tasks_created == 1047  # 2010-2027: 63 provinces until the 2025 merger, then 34


def test_a_first_period_far_ahead_is_refused(tmp_path: Path, workdir: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}", outbox_dir=tmp_path)
    ctx = make_context(settings, NOW)
    init(settings, ctx)
    future = _spec(tmp_path, {"first_period": '"2062"'})
    with pytest.raises(SpecError) as caught:
        load_spec(settings, ctx, future, confirm_history=True)
    assert str(caught.value) == (
        "s.yaml:15: obligations[0].first_period: more than 10 years after today (2026); a typo? "
        "(got '2062')"
    )


# --- the command: one line, exit 2, database unchanged ---------------------------------------


def test_dondoc_load_refuses_each_with_one_line_and_changes_nothing(
    cli: Any, workdir: Path
) -> None:
    assert cli("init", "--at", NOW.isoformat()).code == 0
    settings = Settings(database_url=f"sqlite:///{workdir / 'data' / 'dondoc.db'}")
    before = _counts(settings)
    history = "s.yaml:15: obligations[0].first_period: more than 10 years before today"
    cases = [BOUNDS["overdue_first_day huge"], BOUNDS["once date 9999-12-31"]]
    cases.append(({"first_period": '"2010"'}, history))
    for changes, message in cases:
        result = cli("load", str(_spec(workdir, changes)), "--at", NOW.isoformat())
        assert (result.code, result.out) == (2, ""), result.err
        assert result.err.startswith(f"error: {message}") and result.err.count("\n") == 1
        assert _counts(settings) == before
    deep = workdir / "deep.yaml"
    deep.write_text(_nested(100_000), encoding="utf-8")
    result = cli("load", str(deep), "--at", NOW.isoformat())
    assert (result.code, result.err) == (
        2, "error: deep.yaml:21: YAML beyond the caps: nested more than 20 levels deep\n"
    )  # fmt: skip
    old = _spec(workdir, {"first_period": '"2010"'})
    confirmed = cli("load", str(old), "--at", NOW.isoformat(), "--confirm-history")
    assert confirmed.code == 0, confirmed.err
    assert "loaded 98/CT-TEST/2026: 1 obligations, 1047 new tasks" in confirmed.out
