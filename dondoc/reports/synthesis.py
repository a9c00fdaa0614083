"""The annual synthesis: for one directive and period, every agency with its status, document,
dates and days late, the counts per status and the on-time rate (the table attached to the
report to the Prime Minister). Built from the compliance board; the counting is pure."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session, col

from dondoc.errors import NotFoundError
from dondoc.models import Agency, Obligation
from dondoc.reports.board import STATUS_LABELS_VI, BoardRow, board_rows
from dondoc.reports.directive_ref import DirectiveRef, directive_ref
from dondoc.reports.directives import find_directive
from dondoc.reports.lineage_notes import LineageNote, lineage_notes

# Ministries, then ministerial-level agencies, then provinces (PRODUCT.md: agencies' kinds).
KIND_ORDER = {"ministry": 0, "ministerial_agency": 1, "provincial_committee": 2, "department": 3}
DEFAULT_TZ = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class SynthesisRow:
    agency: str
    agency_name: str
    agency_kind: str
    obligation: str
    obligation_title: str
    due_date: dt.date | None
    status: str
    status_label: str
    document: str | None
    submitted_on: dt.date | None
    days_late: int | None
    # Lineage (see BoardRow): the agency the task was assigned to, and "Hà Giang (đến
    # 30/06/2025)" when the agency listed took it over.
    origin_agency_code: str | None = None
    origin_agency: str | None = None
    inherited_from: str | None = None


@dataclass(frozen=True)
class Tally:
    """Counts per status (every status, zeros included, in STATUS_LABELS_VI order) and rates:
    on time / total, and done (on time or late) / total."""

    counts: Mapping[str, int]
    total: int
    done_on_time: int
    done_late: int
    on_time_rate: float
    done_rate: float


@dataclass(frozen=True)
class ObligationSummary:
    code: str
    title: str
    tally: Tally


@dataclass(frozen=True)
class Synthesis:
    directive: str  # its number/symbol, "24/CT-TTg"
    doc_type: str | None
    subject: str | None
    issuer: str | None
    issued_on: dt.date | None
    period: str
    obligation: str | None  # the filter, when the synthesis covers one obligation only
    generated_on: dt.date
    rows: tuple[SynthesisRow, ...]
    obligations: tuple[ObligationSummary, ...]
    tally: Tally
    # Obligation code -> its data cut-off window for the period ("15/12/2025–14/12/2026").
    cutoffs: Mapping[str, str] = field(default_factory=dict)
    # The agencies listed that took over others (the 2025 merger of provinces) or were renamed.
    lineage: tuple[LineageNote, ...] = ()
    # Numbers restart every year: 24/CT-TTg of 2012 is not 24/CT-TTg of 2016.
    directive_year: int | None = None

    @property
    def directive_ref(self) -> str:
        """ "24/CT-TTg/2016": how a URL, a file name or --directive names it."""
        if self.directive_year is None:
            return self.directive
        return directive_ref(self.directive, self.directive_year)

    @property
    def counts(self) -> Mapping[str, int]:
        return self.tally.counts

    @property
    def total(self) -> int:
        return self.tally.total

    @property
    def on_time_rate(self) -> float:
        return self.tally.on_time_rate

    @property
    def done_rate(self) -> float:
        return self.tally.done_rate


# --- pure functions -------------------------------------------------------------------------


def rate(part: int, total: int) -> float:
    """part / total, 0.0 when there is nothing to count."""
    return part / total if total else 0.0


def count_statuses(statuses: Iterable[str]) -> dict[str, int]:
    """Every known status with its count (zeros included), then any unknown one."""
    seen = Counter(statuses)
    counts = {status: seen.pop(status, 0) for status in STATUS_LABELS_VI}
    counts.update(sorted(seen.items()))
    return counts


def tally(statuses: Iterable[str]) -> Tally:
    counts = count_statuses(statuses)
    total, on_time, late = sum(counts.values()), counts["done_on_time"], counts["done_late"]
    return Tally(counts, total, on_time, late, rate(on_time, total), rate(on_time + late, total))


def days_late(
    status: str, due: dt.date | None, submitted: dt.date | None, as_of: dt.date
) -> int | None:
    """Days past the last acceptable day: to the receipt for a late submission, to `as_of` for a
    task still overdue; None when the task is not late."""
    if due is None:
        return None
    if status == "done_late" and submitted is not None:
        late = (submitted - due).days
    elif status == "overdue":
        late = (as_of - due).days
    else:
        return None
    return late if late > 0 else None


def agency_sort_key(kind: str, code: str) -> tuple[int, str]:
    return KIND_ORDER.get(kind, len(KIND_ORDER)), code


def order_rows(rows: Iterable[SynthesisRow], obligations: Sequence[str]) -> list[SynthesisRow]:
    """By obligation (in the directive's order), then agency kind, then agency code."""
    rank = {code: i for i, code in enumerate(obligations)}
    return sorted(
        rows,
        key=lambda r: (
            rank.get(r.obligation, len(rank)),
            r.obligation,
            agency_sort_key(r.agency_kind, r.agency),
        ),
    )


def summarise(
    rows: Sequence[SynthesisRow], titles: Mapping[str, str]
) -> tuple[ObligationSummary, ...]:
    """One tally per obligation present in the rows, in the order of `titles`."""
    present = {r.obligation for r in rows}
    return tuple(
        ObligationSummary(code, title, tally(r.status for r in rows if r.obligation == code))
        for code, title in titles.items()
        if code in present
    )


def today(timezone: str = DEFAULT_TZ) -> dt.date:
    return dt.datetime.now(ZoneInfo(timezone)).date()


# --- from the database ----------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


_BOARD_FIELDS = {f.name for f in fields(SynthesisRow)} - {"agency_kind", "days_late"}


def _synthesis_row(row: BoardRow, kind: str, as_of: dt.date) -> SynthesisRow:
    late = days_late(row.status, row.due_date, row.submitted_on, as_of)
    # The board's other columns (reminders, the cut-off stated once per obligation) stay out.
    kept = row.model_dump(include=_BOARD_FIELDS)
    return SynthesisRow(**kept, agency_kind=kind, days_late=late)


def build_synthesis(
    *,
    session: Session,
    directive: DirectiveRef | str,
    period: str,
    obligation: str | None = None,
    as_of: dt.date | None = None,
) -> Synthesis:
    """The synthesis of one directive for one period (optionally one obligation). Statuses are
    those stored by the last sweep, init, load or submission; days overdue run to `as_of`."""
    as_of = as_of or today()
    period = _nfc(period)
    document = find_directive(session, directive)
    named = directive_ref(document.number, document.year)
    titles = dict(
        session.execute(
            select(col(Obligation.code), col(Obligation.title))
            .where(col(Obligation.directive_id) == document.id)
            .order_by(col(Obligation.id))
        )
        .tuples()
        .all()
    )
    if obligation is not None:
        obligation = _nfc(obligation)
        if obligation not in titles:
            raise NotFoundError(
                f"unknown obligation {obligation!r} for directive {named!r}",
                field="obligation",
                value=obligation,
            )
    board = board_rows(
        session=session, directive_id=document.id, period=period, obligation=obligation
    )
    if obligation is None:
        # Without a chosen obligation the synthesis covers those with a deadline: an undated
        # one has nothing to be on time for, and each agency then stands once per obligation.
        dated = set(
            session.execute(
                select(col(Obligation.code)).where(
                    col(Obligation.directive_id) == document.id, col(Obligation.has_deadline)
                )
            ).scalars()
        )
        board = [r for r in board if r.obligation in dated] if dated else board
        titles = {code: t for code, t in titles.items() if not dated or code in dated}
    if not board:
        raise NotFoundError(
            f"no tasks for directive {named!r} in period {period!r}",
            field="period",
            value=period,
        )
    kinds = dict(session.execute(select(col(Agency.code), col(Agency.kind))).tuples().all())
    rows = order_rows(
        (_synthesis_row(r, kinds.get(r.agency, ""), as_of) for r in board), list(titles)
    )
    return Synthesis(
        directive=document.number,
        directive_year=document.year,
        doc_type=document.doc_type,
        subject=document.subject,
        issuer=document.issuer,
        issued_on=document.issued_on,
        period=period,
        obligation=obligation,
        generated_on=as_of,
        rows=tuple(rows),
        obligations=summarise(rows, titles),
        tally=tally(r.status for r in rows),
        cutoffs={r.obligation: r.cutoff_window for r in board if r.cutoff_window},
        lineage=lineage_notes(session, (r.agency for r in rows)),
    )
