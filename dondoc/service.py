"""Application services: each user action as one function and one transaction.

The CLI and the Prefect flows both call these, so both behave the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import Session, col

from dondoc.config.settings import Settings
from dondoc.context import RunContext
from dondoc.db import engine_for, in_transaction, transaction, upgrade_database
from dondoc.engine.deadlines import local_date
from dondoc.errors import InputError
from dondoc.models import Agency, Document, Event, Obligation, SubmissionCreate, Task, utcnow
from dondoc.output_files import check_output
from dondoc.tracking.submissions import record_submission, withdraw_submission

# Each action imports the modules only it needs inside its function, so `dondoc submit` starts
# without the spec loader, contacts (Apprise), digests (Jinja2) or the synthesis; their types
# are named here for annotations only.
if TYPE_CHECKING:
    from dondoc.config.spec import DirectiveSpec
    from dondoc.reports.synthesis import Synthesis
    from dondoc.tracking.contacts import ImportResult


@dataclass(frozen=True)
class LoadResult:
    directive: str  # its number/symbol, "24/CT-TTg"
    obligations: int
    tasks_created: int
    # Problems that do not stop the load, e.g. a deadline before the data cut-off.
    warnings: tuple[str, ...] = ()
    directive_year: int | None = None  # numbers restart yearly: 24/CT-TTg of 2012 or 2016

    @property
    def directive_ref(self) -> str:
        """ "24/CT-TTg/2016", as --directive and the board's URL take it."""
        from dondoc.reports.directive_ref import directive_ref

        if self.directive_year is None:
            return self.directive
        return directive_ref(self.directive, self.directive_year)


def init(settings: Settings, ctx: RunContext, *, bundled: bool = True) -> list[LoadResult]:
    """Create or upgrade the schema, refresh bundled agencies, and load each bundled directive
    the database does not have yet (a coordinator's later edits are never overwritten).
    ``bundled=False`` loads no directive (e.g. to load an imported draft on its own)."""
    from dondoc.config.spec_loader import bundled_spec_paths, load_spec_file
    from dondoc.config.successions import load_directory
    from dondoc.tracking.loading import upsert_agencies
    from dondoc.tracking.planning import ensure_tasks
    from dondoc.tracking.status_refresh import refresh_statuses
    from dondoc.tracking.succession import transfer_open_tasks

    upgrade_database(settings.database_url)
    engine = engine_for(settings)
    records = load_directory()
    results = []
    with transaction(engine) as session:
        upsert_agencies(session=session, records=records)
        known = {(d.number, d.year) for d in session.execute(select(Document)).scalars()}
    for path in bundled_spec_paths() if bundled else []:
        spec = load_spec_file(path)
        if (spec.directive.number, spec.directive.issued_on.year) not in known:
            # Bundled specs are reviewed data: their first_period needs no confirmation.
            results.append(load_spec(settings, ctx, path, confirm_history=True))
    with transaction(engine) as session:
        # An obligation whose stored rules fail is skipped; the next sweep reports it.
        ensure_tasks(session=session, ctx=ctx, full=True, failures=[])
        transfer_open_tasks(session=session, ctx=ctx)
        refresh_statuses(session=session, ctx=ctx)
    return results


def load_spec(
    settings: Settings,
    ctx: RunContext,
    path: Path,
    *,
    spec: DirectiveSpec | None = None,
    confirm_history: bool = False,
    actor: str = "cli",
    within: Callable[[Session], None] | None = None,
) -> LoadResult:
    """``spec``: already read from ``path`` and checked by the caller (the load-directive flow
    replaces its ``source_file`` names with checked copies). ``confirm_history``: accept a
    first_period more than ten years back (spec_checks.check_first_periods). ``within``: called
    first in the load's transaction (a check or a write that commits or fails with the load)."""
    from dondoc.config.spec_loader import load_spec_file, resolve_addressees
    from dondoc.config.successions import load_directory
    from dondoc.tracking.isolation import describe
    from dondoc.tracking.loading import load_directive
    from dondoc.tracking.planning import ObligationFailure, ensure_tasks, retime_open_tasks
    from dondoc.tracking.spec_checks import check_first_periods, cutoff_warnings
    from dondoc.tracking.status_refresh import refresh_statuses
    from dondoc.tracking.succession import transfer_open_tasks

    spec = load_spec_file(path) if spec is None else spec
    agencies, today = load_directory(), local_date(ctx.now, ctx.tz)
    addressed = len(resolve_addressees(spec, agencies, source=path))
    check_first_periods(spec, path, agencies=addressed, today=today, confirmed=confirm_history)
    failures: list[ObligationFailure] = []
    with transaction(engine_for(settings)) as session:
        if within is not None:
            within(session)
        obligations = load_directive(session=session, spec=spec, agencies=agencies, spec_path=path)
        for obligation in obligations:
            retime_open_tasks(session=session, ctx=ctx, obligation=obligation)
        created = ensure_tasks(session=session, ctx=ctx, full=True, failures=failures)
        transfer_open_tasks(session=session, ctx=ctx)
        refresh_statuses(session=session, ctx=ctx)
        session.add(Event(at=ctx.now, kind="load", actor=actor, detail=f"{path.name}"))
        skipped = describe(session=session, failures=failures)
    warnings = cutoff_warnings(spec, path, ctx.calendar, today)
    warnings += [f"obligation skipped (load its spec again): {o.line()}" for o in skipped]
    return LoadResult(
        spec.directive.number,
        len(obligations),
        created,
        tuple(warnings),
        directive_year=spec.directive.issued_on.year,
    )


def import_contacts_file(settings: Settings, path: Path, *, replace: bool) -> ImportResult:
    from dondoc.tracking.contacts import import_contacts, parse_contacts_csv

    with transaction(engine_for(settings)) as session:
        codes = set(session.execute(select(col(Agency.code))).scalars())
        if not codes:
            raise InputError("no agencies in the database: run `dondoc init` first")
        rows = parse_contacts_csv(path, codes)
        result = import_contacts(session=session, rows=rows, replace=replace)
        detail = f"{path.name}: {result.created} new, {result.updated} updated"
        session.add(Event(at=utcnow(), kind="contacts_import", actor="cli", detail=detail))
        return result


def submit(
    settings: Settings, ctx: RunContext, data: SubmissionCreate, *, allow_future: bool = False
) -> Task:
    """``allow_future``: accept a received date after ctx.now's day (rehearsals with --at)."""
    # closing the task cancels its queued reminders, rows a sender may be updating right now
    # in another order: on PostgreSQL one side of such a deadlock is rolled back and run again
    return in_transaction(
        engine_for(settings),
        lambda session: record_submission(
            session=session, ctx=ctx, data=data, allow_future=allow_future
        ),
    )


def withdraw(
    settings: Settings,
    ctx: RunContext,
    *,
    agency: str,
    obligation: str,
    period: str,
    reason: str,
    actor: str,
    directive: str | None = None,
) -> Task:
    """Withdraw a recorded submission (a correction) and reopen its task, as ``actor``."""
    with transaction(engine_for(settings)) as session:
        return withdraw_submission(
            session=session,
            ctx=ctx,
            agency=agency,
            obligation=obligation,
            period=period,
            reason=reason,
            directive=directive,
            actor=actor,
        )


def directive_of(settings: Settings, task: Task) -> str:
    """The directive a task belongs to, "24/CT-TTg/2016" (for labels, tags and links)."""
    from dondoc.reports.directive_ref import directive_ref

    query = (
        select(col(Document.number), col(Document.year))
        .join(Obligation, col(Obligation.directive_id) == col(Document.id))
        .where(col(Obligation.id) == task.obligation_id)
    )
    with transaction(engine_for(settings)) as session:
        number, year = session.execute(query).tuples().one()
        return directive_ref(number, year)


def directive_named(settings: Settings, directive: str) -> str:
    """The stored directive ``directive`` names, as "24/CT-TTg/2016" (a bare number of one
    loaded year gains its year; a number of several years is refused, naming them)."""
    from dondoc.reports.directive_ref import directive_ref
    from dondoc.reports.directives import find_directive

    with transaction(engine_for(settings)) as session:
        found = find_directive(session, directive, option="directive")
        return directive_ref(found.number, found.year)


def write_report(
    settings: Settings,
    directive: str,
    period: str,
    out: Path,
    *,
    obligation: str | None = None,
    as_of: dt.date | None = None,
) -> Synthesis:
    """Build the synthesis (one read-only transaction) and write it as an XLSX workbook."""
    from dondoc.reports.synthesis import build_synthesis, today
    from dondoc.reports.xlsx import write_synthesis_xlsx  # openpyxl: only when a report is made

    check_output(out, option="--out")  # a target that will be refused, before any work
    with transaction(engine_for(settings)) as session:
        synthesis = build_synthesis(
            session=session,
            directive=directive,
            period=period,
            obligation=obligation,
            as_of=as_of or today(settings.timezone),
        )
    write_synthesis_xlsx(synthesis, out)
    return synthesis


def register_directive(
    settings: Settings,
    ctx: RunContext,
    spec: DirectiveSpec,
    *,
    source_text: str,
    actor: str,
    confirm_history: bool = False,
    within: Callable[[Session], None] | None = None,
) -> LoadResult:
    """Load a spec made on the board's *Đăng ký văn bản* form, with the text it was read from
    kept as its document's source: `load_spec`'s path and checks, in its one transaction.
    ``within`` runs first in that transaction (the board refuses a directive already loaded
    and marks its draft registered there)."""
    import tempfile

    from dondoc.reading.text import slug

    block = "dispatch" if spec.dispatch is not None else "directive"
    stem = slug(getattr(spec, block).number)  # "351-BXD-PTDT": names the load event
    document = getattr(spec, block).model_copy(update={"source_file": f"{stem}.txt"})
    spec = spec.model_copy(update={block: document})
    with tempfile.TemporaryDirectory(prefix="dondoc-register-") as folder:
        (Path(folder) / f"{stem}.txt").write_text(source_text, encoding="utf-8")
        path = Path(folder) / f"{stem}.yaml"  # only names the spec in messages and events
        return load_spec(
            settings,
            ctx,
            path,
            spec=spec,
            confirm_history=confirm_history,
            actor=actor,
            within=within,
        )
