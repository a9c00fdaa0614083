"""What the board page reads besides its rows: the filter form's choices in one query, and
whether the filters leave too many tasks to list on one page."""

from __future__ import annotations

from sqlalchemy import CompoundSelect, String, cast, func, literal, null, select, union_all
from sqlmodel import Session, col

from dondoc.models import Agency, Document, Obligation, Task
from dondoc.reports.board_sql import filtered
from dondoc.reports.directive_ref import directive_label, directive_ref

# Above this many tasks the board asks for a directive and period instead of listing them:
# a page of 2,000 rows is already long; at 1M tasks the unfiltered board would be a million.
ROW_CAP = 2000


def filter_options(session: Session, directive: int | None) -> dict[str, object]:
    """The choices of the filter form, read in one round trip from the small tables: each
    directive as (its reference "24/CT-TTg/2016", its label "24/CT-TTg (2016)"), the
    obligations and periods of the chosen directive (its id) only (periods found through its
    obligations, so an index-only walk of uq_task_period, never a scan of every task), every
    period without one."""
    obligations = select(col(Obligation.id), col(Obligation.code), col(Obligation.title))
    if directive:
        obligations = obligations.where(col(Obligation.directive_id) == directive)
    periods = select(literal("p"), col(Task.period), null()).distinct()
    if directive:
        chosen = obligations.with_only_columns(col(Obligation.id)).scalar_subquery()
        periods = periods.where(col(Task.obligation_id).in_(chosen))
    assigning = col(Document.id).in_(select(col(Obligation.directive_id)))
    every: CompoundSelect[str, str, str | None] = union_all(
        select(literal("d"), col(Document.number), cast(col(Document.year), String)).where(
            assigning
        ),
        obligations.with_only_columns(literal("o"), col(Obligation.code), col(Obligation.title)),
        select(literal("g"), col(Agency.groups), null()).distinct(),
        periods,
    )
    found: dict[str, set[tuple[str, str | None]]] = {"d": set(), "o": set(), "g": set(), "p": set()}
    for kind, value, title in session.execute(every).tuples():
        found[kind].add((value, title))
    groups = {g.strip() for v, _ in found["g"] for g in v.split(",") if g.strip()}
    directives = sorted((number, int(year or 0)) for number, year in found["d"])
    return {
        "directives": [(directive_ref(n, y), directive_label(n, y)) for n, y in directives],
        "periods": sorted(v for v, _ in found["p"]),
        "obligations": sorted((c, t or "") for c, t in found["o"]),
        "groups": sorted(groups),
    }


def too_many(
    session: Session,
    cap: int,
    directive: int | None,
    period: str | None,
    obligation: str | None,
) -> bool:
    """Whether more than ``cap`` tasks match: counts at most cap + 1 of them, so the answer
    costs the same at 1M tasks as at 10k."""
    limited = filtered(select(col(Task.id)), directive, period, obligation).limit(cap + 1)
    found = session.execute(select(func.count()).select_from(limited.subquery())).scalar_one()
    return int(found) > cap
