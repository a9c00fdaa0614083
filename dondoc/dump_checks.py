"""What `dondoc import` checks in a dump beyond its shape (dondoc.backup): strict JSON, text
and integers every engine can store, and keys that hold together, so that a crafted or damaged
dump is refused with the table, row and column at fault before the database is touched."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import BigInteger, Column, String, Table

from dondoc.models import metadata
from dondoc.models.text import control_problem

# PostgreSQL's INTEGER and BIGINT; SQLite stores up to the BIGINT range.
_INT4 = 2**31
_INT8 = 2**63


def strict_json(text: str) -> Any:
    """``json.loads`` that refuses an object with a key twice (the second would silently win)
    and says so when the nesting is too deep to read."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} appears twice in one JSON object")
        out[key] = value
    return out


def text_problem(column: Column[Any], base: String, value: str) -> str | None:
    """NUL (PostgreSQL cannot store it) and other control characters; a long-text column (no
    length) may hold tabs and line breaks, a short one (a code, a name) none."""
    return control_problem(value, multiline=base.length is None)


def integer_problem(base: Any, value: int) -> str | None:
    bound = _INT8 if isinstance(base, BigInteger) else _INT4
    if not -bound <= value < bound:
        return f"{value} is out of range for an integer column"
    return None


def key_problem(parsed: dict[str, list[dict[str, Any]]]) -> str | None:
    """The first duplicate primary key or reference to a row the dump does not hold."""
    for table in metadata.sorted_tables:
        problem = _duplicate_key(table, parsed[table.name]) or _dangling(table, parsed)
        if problem:
            return problem
    return None


def _duplicate_key(table: Table, rows: list[dict[str, Any]]) -> str | None:
    names = [c.name for c in table.primary_key.columns]
    seen: set[tuple[Any, ...]] = set()
    for i, row in enumerate(rows, start=1):
        key = tuple(row[n] for n in names)
        if key in seen:
            shown = ", ".join(f"{n} {v}" for n, v in zip(names, key, strict=True))
            return f"table {table.name} row {i}: duplicate primary key ({shown})"
        seen.add(key)
    return None


def _dangling(table: Table, parsed: dict[str, list[dict[str, Any]]]) -> str | None:
    for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
        target = fk.column.table.name
        present = {r[fk.column.name] for r in parsed[target]}
        for i, row in enumerate(parsed[table.name], start=1):
            value = row[fk.parent.name]
            if value is not None and value not in present:
                return (
                    f"table {table.name} row {i} column {fk.parent.name}: no {target} row "
                    f"with {fk.column.name} {value!r} in the dump"
                )
    return None
