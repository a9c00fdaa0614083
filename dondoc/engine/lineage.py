"""Agency succession, pure: who owes a period's task, who holds a dissolved agency's open tasks,
and how an agency is named at a given time. No I/O and no clock (``today`` is passed in).

The rules (docs/succession.md): an agency owes a task for a period whose last acceptable day
falls before it was dissolved (the obligation fell due while it existed); a period with no date
is owed when the whole period passed before then, and a one-off obligation with no date only by
agencies that exist today. Open tasks of a dissolved agency are held by its
successor, or the successor's successor when that one is dissolved too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the rows' plain attributes only; no database at run time
    from dondoc.models import Agency


_ONE_DAY = dt.timedelta(days=1)


def ownership_day(
    due_day: dt.date | None, today: dt.date, period_end: dt.date | None = None
) -> dt.date:
    """The day an agency must still exist on to owe a period's task: the period's last
    acceptable day; without a date, the period's last day (so a yearly task made ahead of time
    does not go to a province that ceases within that year); for a one-off obligation with
    neither (``period_end`` None or ``date.max``), today."""
    if due_day is not None:
        return due_day
    if period_end is not None and period_end != dt.date.max:
        return period_end
    return today


def owes_task(
    dissolved_on: dt.date | None,
    due_day: dt.date | None,
    today: dt.date,
    period_end: dt.date | None = None,
) -> bool:
    """Whether an agency dissolved on ``dissolved_on`` (None: it exists) owes the task of a
    period ending ``period_end`` whose last acceptable day is ``due_day`` (None: no date set),
    as of ``today``.

    The SQL of `dondoc.tracking.planning` asks the same: ``dissolved_on IS NULL OR dissolved_on >
    ownership_day(due_day, today, period_end)``.
    """
    return dissolved_on is None or ownership_day(due_day, today, period_end) < dissolved_on


@dataclass(frozen=True)
class Link:
    """One agency's place in the succession: its id, successor and dissolution day."""

    agency_id: int
    successor_id: int | None
    dissolved_on: dt.date | None


def holders(links: Iterable[Link], today: dt.date) -> dict[int, int]:
    """For every agency dissolved by ``today`` that has a successor, the agency that holds its
    open tasks now: the first one down the chain that is not dissolved by ``today``. A chain
    that loops, or ends in a dissolved agency without a successor, holds nothing."""
    by_id = {link.agency_id: link for link in links}

    def gone(link: Link) -> bool:
        return link.dissolved_on is not None and link.dissolved_on <= today

    out: dict[int, int] = {}
    for link in by_id.values():
        if not gone(link) or link.successor_id is None:
            continue
        seen, current = {link.agency_id}, by_id.get(link.successor_id)
        while current is not None and gone(current) and current.agency_id not in seen:
            seen.add(current.agency_id)
            current = by_id.get(current.successor_id) if current.successor_id else None
        if current is not None and not gone(current):
            out[link.agency_id] = current.agency_id
    return out


def renamed_after(agency: Agency, day: dt.date) -> bool:
    """Whether ``agency`` still bore its former name on ``day``."""
    return bool(agency.former_name and agency.renamed_on and day < agency.renamed_on)


def name_at(agency: Agency, day: dt.date) -> str:
    """The agency's official name on ``day`` ("Ủy ban nhân dân tỉnh Yên Bái" for 15 in 2024)."""
    return (agency.former_name or agency.name) if renamed_after(agency, day) else agency.name


def short_name_at(agency: Agency, day: dt.date) -> str:
    """The plain place name on ``day``, or the official name when there is none."""
    if renamed_after(agency, day) and agency.former_short_name:
        return agency.former_short_name
    return agency.short_name or name_at(agency, day)


def until_label(end: dt.date) -> str:
    """'(đến 30/06/2025)' for an agency dissolved or renamed on 01/07/2025."""
    return f"(đến {end - _ONE_DAY:%d/%m/%Y})"


def inherited_from(
    holder: Agency, origin: Agency, day: dt.date, *, official: bool = False
) -> str | None:
    """The lineage shown beside a task the holder took over: "Hà Giang (đến 30/06/2025)" for a
    dissolved origin, "Yên Bái (đến 30/06/2025)" for a task of the record's former self; None
    for the holder's own task. ``day`` is when the task fell due (or was made, without a date);
    ``official`` gives the official name ("Ủy ban nhân dân tỉnh Hà Giang (đến 30/06/2025)").
    """
    name = name_at(origin, day) if official else short_name_at(origin, day)
    if holder.id != origin.id:
        end = origin.dissolved_on
        return f"{name} {until_label(end)}" if end else name
    if renamed_after(origin, day) and origin.renamed_on is not None:
        return f"{name} {until_label(origin.renamed_on)}"
    return None


def task_day(due_day: dt.date | None, created_on: dt.date) -> dt.date:
    """The day that decides which name a task was owed under: its last acceptable day, or the
    day it was made for a task without a date."""
    return due_day if due_day is not None else created_on
