"""SQL over a list of row ids that a sweep has decided on, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    any_,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session

# likelihood() takes a constant, not a bound parameter.
_NEARLY_ALWAYS: ColumnElement[float] = literal_column("0.99")


def among(session: Session, column: ColumnElement[int], ids: list[int]) -> ColumnElement[bool]:
    """``column IN ids`` as one parameter, so the statement text is the same for every batch:
    a PostgreSQL array, a JSON array on SQLite. Neither driver re-parses a thousand
    placeholders, and SQLAlchemy does not rewrite the statement for each list."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, ids, type_=ARRAY(Integer)))
    values = func.json_each(bindparam(None, json.dumps(ids))).table_valued("value")
    return column.in_(select(values.c.value))


def nearly_always(session: Session, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """``condition``, marked for SQLite's planner as true for nearly every row. SQLite keeps no
    statistics (dondoc never runs ANALYZE) and would otherwise walk an index on a column the
    condition names (e.g. every open task through the status index) instead of the listed
    ids or the index the query is meant to go by."""
    if session.get_bind().dialect.name != "sqlite":
        return condition
    return func.likelihood(condition, _NEARLY_ALWAYS, type_=Boolean)


def chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    """``ids`` sorted (one lock order for concurrent sweepers), ``size`` at a time."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]
