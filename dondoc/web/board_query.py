"""What the board page reads besides its rows: the filter form's choices in one query, and
whether the filters leave too many tasks to list on one page."""

from __future__ import annotations

from sqlalchemy import CompoundSelect, func, literal, null, select, union_all
from sqlmodel import Session, col

from dondoc.models import Agency, Document, Obligation, Task
from dondoc.reports.board_sql import filtered

# Above this many tasks the board asks for a directive and period instead of listing them:
# a page of 2,000 rows is already long; at 1M tasks the unfiltered board would be a million.
ROW_CAP = 2000


def filter_options(session: Session, directive: str | None) -> dict[str, object]:
    """The choices of the filter form, read in one round trip from the small tables; the
    periods of the chosen directive only (found through its obligations, so an index-only
    walk of uq_task_period, never a scan of every task), every period without one."""
    obligations = select(col(Obligation.id), col(Obligation.code), col(Obligation.title)).join(
        Document, col(Document.id) == col(Obligation.directive_id)
    )
    if directive:
        obligations = obligations.where(col(Document.number) == directive)
    periods = select(literal("p"), col(Task.period), null()).distinct()
    if directive:
        chosen = obligations.with_only_columns(col(Obligation.id)).scalar_subquery()
        periods = periods.where(col(Task.obligation_id).in_(chosen))
    every: CompoundSelect[str, str, str | None] = union_all(
        select(literal("d"), col(Document.number), null()),
        obligations.with_only_columns(literal("o"), col(Obligation.code), col(Obligation.title)),
        select(literal("g"), col(Agency.groups), null()).distinct(),
        periods,
    )
    found: dict[str, set[tuple[str, str | None]]] = {"d": set(), "o": set(), "g": set(), "p": set()}
    for kind, value, title in session.execute(every).tuples():
        found[kind].add((value, title))
    groups = {g.strip() for v, _ in found["g"] for g in v.split(",") if g.strip()}
    return {
        "directives": sorted(v for v, _ in found["d"]),
        "periods": sorted(v for v, _ in found["p"]),
        "obligations": sorted((c, t or "") for c, t in found["o"]),
        "groups": sorted(groups),
    }


def too_many(
    session: Session,
    cap: int,
    directive: str | None,
    period: str | None,
    obligation: str | None,
) -> bool:
    """Whether more than ``cap`` tasks match: counts at most cap + 1 of them, so the answer
    costs the same at 1M tasks as at 10k."""
    limited = filtered(select(col(Task.id)), directive, period, obligation).limit(cap + 1)
    found = session.execute(select(func.count()).select_from(limited.subquery())).scalar_one()
    return int(found) > cap
