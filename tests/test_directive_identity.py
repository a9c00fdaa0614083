"""A directive is its number/symbol AND its year (issue #15): Chỉ thị 24/CT-TTg of 2012 loaded
beside the bundled 24/CT-TTg of 2016 keeps its own tasks, board, synthesis, history and
calendar; the CLI, the board and the services take "24/CT-TTg/2012" or "24/CT-TTg" with a year,
and refuse the bare number (naming both) instead of picking one."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from icalendar import Calendar
from starlette.testclient import TestClient

from dondoc.config.settings import Settings
from dondoc.context import make_context
from dondoc.db import engine_for, transaction
from dondoc.errors import InputError, NotFoundError
from dondoc.reports.board import board_rows
from dondoc.reports.directive_ref import directive_label, directive_ref, parse_directive
from dondoc.reports.feeds import directive_feed, refresh_feeds
from dondoc.reports.history import task_histories
from dondoc.reports.summary import next_deadlines, period_summaries
from dondoc.reports.synthesis import build_synthesis
from dondoc.reports.synthesis_md import render_markdown, title
from dondoc.service import init, load_spec
from tests.inprocess import run_main

VN = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2026, 11, 20, 9, tzinfo=VN)
SPEC_2012 = Path(__file__).parent / "fixtures" / "directives" / "24-CT-TTg-2012.yaml"
OLD, NEW = "24/CT-TTg/2012", "24/CT-TTg/2016"
DUE_OLD, DUE_NEW = dt.date(2026, 11, 30), dt.date(2026, 12, 9)


def _settings(url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=url, outbox_dir=tmp_path / "outbox")


def _two_years(url: str, tmp_path: Path) -> Settings:
    """The bundled 24/CT-TTg of 2016 (init) and the 2012 one of the same number."""
    settings = _settings(url, tmp_path)
    ctx = make_context(settings, AT)
    init(settings, ctx)
    loaded = load_spec(settings, ctx, SPEC_2012)
    assert (loaded.directive, loaded.directive_year, loaded.directive_ref) == (
        "24/CT-TTg",
        2012,
        OLD,
    )
    return settings


@pytest.fixture
def two_years(database_url: str, tmp_path: Path) -> Settings:
    return _two_years(database_url, tmp_path)


def _env(settings: Settings) -> dict[str, str | None]:
    return {"DONDOC_DATABASE_URL": settings.database_url, "DONDOC_OUTBOX_DIR": None}


# --- the reference as typed -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "canonical", "candidates"),
    [
        ("24/CT-TTg/2016", None, NEW, [("24/CT-TTg/2016", None), ("24/CT-TTg", 2016)]),
        ("24/CT-TTg", 2016, NEW, [("24/CT-TTg", 2016)]),
        ("24/CT-TTg", "2016", NEW, [("24/CT-TTg", 2016)]),
        (" 24/CT-TTg / 2016 ", None, NEW, [("24/CT-TTg/2016", None), ("24/CT-TTg", 2016)]),
        ("24/CT-TTg", None, "24/CT-TTg", [("24/CT-TTg", None)]),
        ("09/2019/NĐ-CP", None, "09/2019/NĐ-CP", [("09/2019/NĐ-CP", None)]),
        # NFD input (combining accents) is read as NFC.
        ("09/2019/N\u0110-CP", None, "09/2019/NĐ-CP", [("09/2019/NĐ-CP", None)]),
    ],
)
def test_a_reference_is_a_number_and_a_year_given_either_way(
    text: str, year: int | str | None, canonical: str, candidates: list[tuple[str, int | None]]
) -> None:
    ref = parse_directive(text, year)
    assert ref is not None and str(ref) == canonical
    assert list(ref.candidates()) == candidates


@pytest.mark.parametrize(
    ("text", "year", "named"),
    [
        (OLD, 2016, "names the year 2012 but --year says 2016"),
        ("24/CT-TTg", 12, "--year '12' is not a year"),
        (None, 2016, "--year 2016 needs --directive"),
        ("24/CT\x01TTg", None, "--directive contains the control character U+0001"),
    ],
)
def test_a_bad_reference_is_refused_naming_the_option(
    text: str | None, year: int | None, named: str
) -> None:
    with pytest.raises(InputError, match=re.escape(named)):
        parse_directive(text, year)


def test_labels_tell_the_years_apart_and_a_number_with_its_year_needs_none() -> None:
    assert directive_ref("24/CT-TTg", 2012) == OLD
    assert directive_label("24/CT-TTg", 2012) == "24/CT-TTg (2012)"
    assert directive_ref("09/2019/NĐ-CP", 2019) == "09/2019/NĐ-CP"
    assert directive_label("09/2019/NĐ-CP", 2019) == "09/2019/NĐ-CP"


# --- tasks, board, synthesis, history and calendars stay apart --------------------------------


def test_two_years_of_one_number_keep_their_tasks_board_synthesis_history_and_feeds_apart(
    two_years: Settings, tmp_path: Path
) -> None:
    settings = two_years
    with transaction(engine_for(settings)) as session:
        old = board_rows(session=session, directive=OLD, period="2026")
        new = board_rows(session=session, directive=NEW, period="2026")
        with pytest.raises(InputError, match=re.escape(f"several directives: {OLD}, {NEW}")):
            board_rows(session=session, directive="24/CT-TTg", period="2026")
        with pytest.raises(NotFoundError, match=re.escape(f"known: {OLD}, {NEW}")):
            board_rows(session=session, directive="24/CT-TTg/2013")
        histories = task_histories(session, agency="01", tz=settings.timezone, directive=OLD)
        summaries = {(s.directive_ref, s.period): s for s in period_summaries(session)}
        deadlines = next_deadlines(session, AT.date())
        syntheses = {
            ref: build_synthesis(session=session, directive=ref, period="2026", as_of=AT.date())
            for ref in (OLD, NEW)
        }
    # Tasks: the 2012 directive binds the provinces only, due 30/11; the 2016 one also the
    # ministries, due 09/12 (its own deadline rule).
    old_agencies = {r.agency for r in old if r.obligation == "annual-report"}
    new_agencies = {r.agency for r in new if r.obligation == "annual-report"}
    assert "01" in old_agencies and "BXD" not in old_agencies and "BXD" in new_agencies
    assert {(r.directive, r.directive_year) for r in old} == {("24/CT-TTg", 2012)}
    assert {(r.directive, r.directive_year) for r in new} == {("24/CT-TTg", 2016)}
    assert {r.due_date for r in old if r.obligation == "annual-report"} == {DUE_OLD}
    assert {r.due_date for r in new if r.obligation == "annual-report"} == {DUE_NEW}
    assert {r.obligation for r in old} == {"annual-report"}  # quarterly-report starts 2026-Q4
    assert not {r.task_id for r in old} & {r.task_id for r in new}
    # History: the agency's tasks of the 2012 directive only, each naming its year.
    assert histories and {(h.directive_year, h.due_date) for h in histories if
                          h.period == "2026"} == {(2012, "30/11/2026")}  # fmt: skip
    # Tổng quan: one card per directive-period, linking with the year.
    assert summaries[(OLD, "2026")].total == len(old_agencies)
    assert summaries[(NEW, "2026")].counts != summaries[(OLD, "2026")].counts
    assert summaries[(OLD, "2026")].directive_label == "24/CT-TTg (2012)"
    assert (DUE_OLD, "24/CT-TTg (2012)", "Báo cáo tình hình quản lý trật tự xây dựng đô thị",
            len(old_agencies)) in deadlines  # fmt: skip
    # The synthesis: title and citation name the directive's date; rows of its own tasks.
    s_old, s_new = syntheses[OLD], syntheses[NEW]
    assert title(s_old) == "TỔNG HỢP TÌNH HÌNH THỰC HIỆN CHỈ THỊ SỐ 24/CT-TTg NGÀY 28/08/2012"
    assert title(s_new) == "TỔNG HỢP TÌNH HÌNH THỰC HIỆN CHỈ THỊ SỐ 24/CT-TTg NGÀY 02/08/2016"
    assert s_old.directive_ref == OLD and s_new.directive_ref == NEW
    assert {r.due_date for r in s_old.rows} == {DUE_OLD} and s_old.total == len(old_agencies)
    assert {r.due_date for r in s_new.rows} == {DUE_NEW} and s_new.total == len(new_agencies)
    assert "ngày 28/08/2012 của Thủ tướng Chính phủ" in render_markdown(s_old)
    # Calendars: each directive's feed holds its own events, named with its date.
    ctx = make_context(settings, AT)
    feeds = {ref: directive_feed(engine_for(settings), ctx, ref) for ref in (OLD, NEW)}
    old_cal, new_cal = (Calendar.from_ical(feeds[ref][0]) for ref in (OLD, NEW))
    assert str(old_cal["x-wr-calname"]).endswith("Chỉ thị số 24/CT-TTg ngày 28/08/2012")
    assert str(new_cal["x-wr-calname"]).endswith("Chỉ thị số 24/CT-TTg ngày 02/08/2016")
    old_uids = {str(e["uid"]) for e in old_cal.walk("VEVENT")}
    new_uids = {str(e["uid"]) for e in new_cal.walk("VEVENT")}
    assert old_uids and all(u.startswith("24-ct-ttg-2012.") for u in old_uids)
    assert new_uids and all(u.startswith("24-ct-ttg-2016.") for u in new_uids)
    assert "Văn bản: Chỉ thị số 24/CT-TTg ngày 28/08/2012" in str(
        next(iter(old_cal.walk("VEVENT")))["description"]
    )
    written = {p.name for p in refresh_feeds(engine_for(settings), ctx, tmp_path / "feeds")}
    assert {"directive-24-ct-ttg-2012.ics", "directive-24-ct-ttg-2016.ics"} <= written


# --- the CLI ---------------------------------------------------------------------------------


def _status(settings: Settings, agency: str = "01") -> dict[tuple[int, str, str], str]:
    with transaction(engine_for(settings)) as session:
        rows = board_rows(session=session, agency=agency, period="2026")
    return {(r.directive_year or 0, r.obligation, r.period): r.status for r in rows}


SUBMIT = ("submit", "--agency", "01", "--obligation", "annual-report", "--period", "2026",
          "--document", "15/BC-UBND", "--received-on", "19/11/2026",
          "--at", "2026-11-20T09:00+07:00")  # fmt: skip


def test_submit_names_the_directive_with_its_year_and_closes_that_task_only(
    two_years: Settings,
) -> None:
    env = _env(two_years)
    before = _status(two_years)
    # Neither the bare number nor no directive at all: both refused, naming the two choices.
    bare = run_main(*SUBMIT, "--directive", "24/CT-TTg", env=env)
    assert bare.code == 2 and bare.out == ""
    assert bare.err.startswith(
        f"lỗi: Số hiệu «24/CT-TTg» ứng với nhiều chỉ thị: {OLD}, {NEW}. "
        f"Hãy ghi rõ năm ban hành, ví dụ {NEW}."
    )
    none = run_main(*SUBMIT, env=env)
    assert none.code == 2 and f"có ở nhiều chỉ thị ({OLD}, {NEW})" in none.err
    clash = run_main(*SUBMIT, "--directive", OLD, "--year", "2016", env=env)
    assert clash.code == 2 and "--year says 2016" in clash.err
    assert _status(two_years) == before
    # "24/CT-TTg/2012": the 2012 task closes, the 2016 one stays open.
    done = run_main(*SUBMIT, "--directive", OLD, env=env)
    assert done.code == 0, done.err
    after = _status(two_years)
    assert after[(2012, "annual-report", "2026")] == "done_on_time"
    assert after[(2016, "annual-report", "2026")] == before[(2016, "annual-report", "2026")]
    assert after[(2016, "annual-report", "2026")] in ("pending", "due_soon")
    # Withdraw it (by number and --year), then record it again the same way.
    back = run_main("withdraw", "--agency", "01", "--obligation", "annual-report", "--period",
                    "2026", "--reason", "nhầm kỳ", "--directive", "24/CT-TTg", "--year", "2012",
                    "--at", "2026-11-20T09:30+07:00", env=env)  # fmt: skip
    assert back.code == 0, back.err
    assert _status(two_years) == before
    again = run_main(*SUBMIT, "--directive", "24/CT-TTg", "--year", "2012", env=env)
    assert again.code == 0, again.err
    final = _status(two_years)
    assert final[(2012, "annual-report", "2026")] == "done_on_time"
    assert final[(2016, "annual-report", "2026")] == before[(2016, "annual-report", "2026")]


def test_every_directive_option_takes_the_year_and_refuses_the_shared_number(
    two_years: Settings, tmp_path: Path
) -> None:
    env = _env(two_years)
    shown = run_main("status", "--directive", "24/CT-TTg", "--year", "2012", "--period", "2026",
                     "--format", "json", env=env)  # fmt: skip
    assert shown.code == 0, shown.err
    assert '"directive_year": 2012' in shown.out and '"directive_year": 2016' not in shown.out
    mixed = run_main("status", "--agency", "01", env=env)
    assert "24/CT-TTg (2012)" in mixed.out and "24/CT-TTg (2016)" in mixed.out
    out = tmp_path / "tong-hop.xlsx"
    for command in (
        ("status", "--directive", "24/CT-TTg"),
        ("report", "--directive", "24/CT-TTg", "--period", "2026", "--out", str(out)),
        ("history", "--agency", "01", "--directive", "24/CT-TTg"),
        ("ics", "--directive", "24/CT-TTg"),
    ):
        refused = run_main(*command, env=env)
        assert refused.code == 2, command
        assert refused.err == (
            f"error: --directive '24/CT-TTg' names several directives: {OLD}, {NEW};"
            f" add the year ({NEW})\n"
        ), command
    assert not out.exists()
    wrote = run_main("report", "--directive", OLD, "--period", "2026", "--out", str(out), env=env)
    assert wrote.code == 0 and wrote.out.startswith(f"wrote {out}: ")
    history = run_main("history", "--agency", "01", "--directive", NEW, env=env)
    assert history.code == 0 and "24/CT-TTg (2016) · annual-report" in history.out
    assert "(2012)" not in history.out
    feed = run_main("ics", "--directive", "24/CT-TTg", "--year", "2012", env=env)
    assert feed.code == 0 and "24-ct-ttg-2012." in feed.out and "24-ct-ttg-2016." not in feed.out
    unknown = run_main("status", "--directive", "24/CT-TTg/2013", env=env)
    assert unknown.code == 2 and f"known: {OLD}, {NEW}" in unknown.err
    alone = run_main("status", "--year", "2012", env=env)
    assert alone.code == 2 and "--year 2012 needs --directive" in alone.err


def test_a_number_loaded_for_one_year_only_still_works_alone(
    database_url: str, tmp_path: Path
) -> None:
    settings = _settings(database_url, tmp_path)
    init(settings, make_context(settings, AT))
    env = _env(settings)
    shown = run_main("status", "--directive", "24/CT-TTg", "--period", "2026", env=env)
    assert shown.code == 0 and "Ủy ban nhân dân thành phố Hà Nội" in shown.out
    done = run_main(*SUBMIT, "--directive", "24/CT-TTg", env=env)
    assert done.code == 0, done.err
    assert _status(settings)[(2016, "annual-report", "2026")] == "done_on_time"


# --- the board -------------------------------------------------------------------------------


@pytest.fixture
def board(tmp_path: Path) -> Iterator[tuple[TestClient, Settings]]:
    """The web app over the two directives, a coordinator signed in."""
    import time_machine

    from dondoc.web.accounts import add_user
    from tests.test_web_app import PASSWORD, login, make_client

    settings = _two_years(f"sqlite:///{tmp_path / 'dondoc.db'}", tmp_path)
    with transaction(engine_for(settings)) as session:
        add_user(session, name="lan", password=PASSWORD, role="coordinator", actor="test")
    with time_machine.travel(AT + dt.timedelta(hours=1), tick=True):
        client = make_client(settings.database_url)
        assert login(client).status_code == 303
        yield client, settings


def _dues(html: str) -> set[str]:
    return set(re.findall(r'data-label="Hạn">([0-9/]+)<', html))


def _task(settings: Settings, year: int) -> int:
    """Hà Nội's 2026 annual report under the directive of ``year``."""
    from sqlalchemy import select
    from sqlmodel import col

    from dondoc.models import Agency, Document, Obligation, Task

    with transaction(engine_for(settings)) as session:
        return int(
            session.execute(
                select(col(Task.id))
                .join(Agency, col(Agency.id) == col(Task.origin_agency_id))
                .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
                .join(Document, col(Document.id) == col(Obligation.directive_id))
                .where(col(Agency.code) == "01", col(Obligation.code) == "annual-report")
                .where(col(Task.period) == "2026", col(Document.year) == year)
            ).scalar_one()
        )


def test_the_board_lists_each_year_apart_and_its_links_carry_the_year(
    board: tuple[TestClient, Settings],
) -> None:
    client, _ = board
    html = client.get("/bang-theo-doi", params={"directive": OLD, "period": "2026"}).text
    assert f'<option value="{OLD}" selected>24/CT-TTg (2012)</option>' in html
    assert f'<option value="{NEW}">24/CT-TTg (2016)</option>' in html
    assert _dues(html) == {"30/11/2026"}
    assert f"directive={quote(OLD, safe='')}&amp;period=2026&amp;format=csv" in html
    # The year given apart is folded into the reference.
    apart = client.get(
        "/bang-theo-doi", params={"directive": "24/CT-TTg", "year": "2016", "period": "2026"}
    ).text
    assert f'<option value="{NEW}" selected>' in apart and _dues(apart) == {"09/12/2026"}
    # The bare number is refused on the page, naming both; nothing is picked for the user.
    bare = client.get("/bang-theo-doi", params={"directive": "24/CT-TTg", "period": "2026"}).text
    assert (
        f"Số hiệu «24/CT-TTg» ứng với nhiều chỉ thị: {OLD}, {NEW}. "
        f"Hãy ghi rõ năm ban hành, ví dụ {NEW}."
    ) in bare
    assert " selected>24/CT-TTg (" not in bare
    # Without a directive, each row names its directive and its year.
    mixed = client.get("/bang-theo-doi", params={"period": "2026", "q": "ha noi"}).text
    assert "24/CT-TTg (2012)</td>" in mixed and "24/CT-TTg (2016)</td>" in mixed
    assert _dues(mixed) == {"30/11/2026", "09/12/2026"}
    # The CSV of the 2012 board: its rows only, each with its year.
    csv = client.get("/bang-theo-doi", params={"directive": OLD, "period": "2026", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    header, *lines = csv.text.splitlines()
    year = header.split(",").index("directive_year")
    assert lines and {line.split(",")[year] for line in lines} == {"2012"}
    # Tổng quan, an agency's page and Tải về name each directive with its year.
    overview = client.get("/").text
    assert f"/bang-theo-doi?directive={quote(OLD, safe='/')}&amp;period=2026" in overview
    assert "24/CT-TTg (2012) · kỳ 2026" in overview and "24/CT-TTg (2016) · kỳ 2026" in overview
    agency = client.get("/co-quan/01").text
    assert "24/CT-TTg (2012)</td>" in agency and "24/CT-TTg (2016)</td>" in agency
    downloads = client.get("/tai-ve", params={"directive": OLD}).text
    assert "24/CT-TTg ngày 28/08/2012 · kỳ" in downloads
    assert f"/tai-ve/lich.ics?directive={quote(OLD, safe='/')}" in downloads
    xlsx = client.get("/tai-ve/tong-hop.xlsx", params={"directive": OLD, "period": "2026"})
    assert xlsx.status_code == 200 and "24-CT-TTg-2012-2026" in xlsx.headers["content-disposition"]
    refused = client.get(
        "/tai-ve/tong-hop.xlsx", params={"directive": "24/CT-TTg", "period": "2026"}
    )
    assert refused.status_code == 404 and f"ứng với nhiều chỉ thị: {OLD}, {NEW}" in refused.text
    ics = client.get("/tai-ve/lich.ics", params={"directive": NEW})
    assert ics.status_code == 200 and "24-ct-ttg-2012." not in ics.text


def test_recording_on_a_task_page_closes_that_years_task_only(
    board: tuple[TestClient, Settings],
) -> None:
    from tests.test_web_app import record

    client, settings = board
    before = _status(settings)
    done = record(client, _task(settings, 2012), "19/11/2026")
    assert done.status_code == 303, done.text
    after = _status(settings)
    assert after[(2012, "annual-report", "2026")] == "done_on_time"
    assert after[(2016, "annual-report", "2026")] == before[(2016, "annual-report", "2026")]


# --- the flows' run forms ---------------------------------------------------------------------


def test_run_forms_offer_each_year_apart_and_a_choice_carries_its_directive(
    workdir: Path,
) -> None:
    from dondoc.config.settings import get_settings
    from dondoc.flows.forms import code_of, directive_choices, directive_in_choice
    from dondoc.flows.forms import obligation_choices as choices

    _two_years(get_settings().database_url, workdir)
    assert directive_choices() == [OLD, NEW]
    annual = [o for o in choices() if code_of(o) == "annual-report"]
    assert [directive_in_choice(o) for o in annual] == [OLD, NEW]
    assert annual[0] == (
        f"annual-report - Báo cáo tình hình quản lý trật tự xây dựng đô thị [{OLD}]"
    )
    assert directive_in_choice("annual-report") is None


def test_dondoc_run_takes_a_bare_number_while_one_year_is_offered() -> None:
    from dondoc.flows.forms import resolve_choice

    assert resolve_choice("24/CT-TTg", [NEW, "351/CT-TTg/2017"]) == NEW
    assert resolve_choice("24/CT-TTg", [OLD, NEW]) == "24/CT-TTg"  # the flow refuses it
    assert resolve_choice(OLD, [OLD, NEW]) == OLD


def test_reminders_cite_each_directive_with_its_date(two_years: Settings, tmp_path: Path) -> None:
    from email import message_from_bytes, policy

    from dondoc.service import import_contacts_file
    from dondoc.tracking.sweep import run_sweep

    csv = tmp_path / "contacts.csv"
    csv.write_text("agency,channel,target\n01,email,vanthu@hanoi.test\n", "utf-8")
    import_contacts_file(two_years, csv, replace=False)
    # 23/11/2026: 7 days before 30/11 (the 2012 report); 16 days before 09/12 (2016).
    at = dt.datetime(2026, 11, 23, 8, tzinfo=VN)
    run_sweep(engine_for(two_years), make_context(two_years, at))
    texts = []
    for path in sorted((tmp_path / "outbox").glob("*.eml")):
        mail = message_from_bytes(path.read_bytes(), policy=policy.default)
        texts.append(str(mail.get_body(("plain",)).get_content()))  # type: ignore[union-attr]
    # One message per agency lists all it owes: here both directives' reports, each cited by
    # its date, so "24/CT-TTg" alone never leaves the reader guessing which.
    [text] = [t for t in texts if "quản lý trật tự xây dựng đô thị" in t]
    assert "Chỉ thị số 24/CT-TTg ngày 28/08/2012 của Thủ tướng Chính phủ" in text
    assert "triển khai Chỉ thị số 24/CT-TTg ngày 02/08/2016 của Thủ tướng Chính phủ" in text
    assert "Chỉ thị số 24/CT-TTg của" not in text
