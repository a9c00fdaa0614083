"""Shared column types and helpers for the SQLModel tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig

UTC = dt.UTC
# Every table's root class takes this config: pydantic builds a model's validator when it is
# first used rather than when the module is imported; most commands (`status`, `submit`) never
# validate a row, and building them all cost quick commands ~10 ms (docs/performance.md).
DEFERRED = SQLModelConfig(defer_build=True)


def utcnow() -> dt.datetime:
    return dt.datetime.now(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """The Core ``Table`` of a ``table=True`` model.

    SQLModel does not declare ``__table__`` to type checkers; this is the one typed way in.
    """
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC instant on every engine.

    SQLite has no time zones: we store naive UTC there and re-attach UTC on the way out, so
    comparisons in SQL stay correct and Python never sees a naive datetime.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: dondoc stores aware UTC instants only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
