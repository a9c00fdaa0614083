"""The operator's calendar overrides (``data/calendar.yaml``); dondoc.engine.deadlines's
``work_calendar`` makes the work calendar of them.

``holidays.VN`` knows the Labour Code 2019 (Art. 111-112) holidays and most swaps, but not every
yearly decision of the Government; the overrides file lists what it misses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dondoc.config.config_yaml import compose_capped, read_capped

from .settings import DATA_DIR

__all__ = ["CalendarOverrides", "load_calendar_overrides"]

_LISTS = ("days_off", "working_days", "not_days_off")
_REQUIRED = ("date", "reason", "source")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NULL = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class CalendarOverrides:
    days_off: frozenset[dt.date] = frozenset()
    working_days: frozenset[dt.date] = frozenset()
    not_days_off: frozenset[dt.date] = frozenset()
    # "reason — source" of every listed day, for people (`dondoc calendar`); not compared.
    reasons: Mapping[dt.date, str] = field(default_factory=dict, compare=False)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: yaml.Node | None, where: str, problem: str) -> ValueError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return ValueError(f"{self.path}{line}: {where}: {problem}")

    def mapping(self, node: yaml.Node, where: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, where, "expected a mapping")
        out: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.fail(key, where, "keys must be plain words")
            if key.value in out:
                raise self.fail(key, f"{where}.{key.value}", "given twice")
            out[key.value] = value
        return out

    def entries(self, node: yaml.Node, name: str) -> list[tuple[dt.date, yaml.Node, str]]:
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, name, "expected a list of {date, reason, source} entries")
        return [self.entry(item, f"{name}[{i}]") for i, item in enumerate(node.value)]

    def entry(self, node: yaml.Node, where: str) -> tuple[dt.date, yaml.Node, str]:
        fields = self.mapping(node, where)
        for key, value in fields.items():
            if key not in _REQUIRED:
                raise self.fail(value, f"{where}.{key}", f"unknown field (allowed: {_REQUIRED})")
        for key in _REQUIRED:
            if key not in fields:
                raise self.fail(node, f"{where}.{key}", "missing")
            value = fields[key]
            if not isinstance(value, yaml.ScalarNode) or value.tag == _NULL or not value.value:
                raise self.fail(value, f"{where}.{key}", "must be a non-empty value")
        text = str(fields["date"].value).strip()
        try:
            day = dt.date.fromisoformat(text) if _DATE.fullmatch(text) else None
        except ValueError:
            day = None
        if day is None:
            raise self.fail(fields["date"], f"{where}.date", f"{text!r} is not a YYYY-MM-DD date")
        reason = f"{str(fields['reason'].value).strip()} — {str(fields['source'].value).strip()}"
        return day, fields["date"], reason

    def read(self) -> CalendarOverrides:
        try:
            # Capped like every configuration file: size, nesting depth, number of values.
            root = compose_capped(read_capped(self.path, str(self.path)).decode("utf-8"))
        except OSError as exc:
            raise ValueError(f"{self.path}: cannot read the calendar file: {exc}") from exc
        except yaml.YAMLError as exc:
            raise ValueError(f"{self.path}: not valid YAML: {exc}") from exc
        if root is None:
            return CalendarOverrides()
        top = self.mapping(root, "top level")
        for key, value in top.items():
            if key not in _LISTS:
                raise self.fail(value, key, f"unknown section (allowed: {', '.join(_LISTS)})")
        found: dict[str, dict[dt.date, yaml.Node]] = {}
        reasons: dict[dt.date, str] = {}
        for name in _LISTS:
            found[name] = {}
            listed = self.entries(top[name], name) if name in top else []
            for i, (day, node, reason) in enumerate(listed):
                if day in found[name]:
                    raise self.fail(node, f"{name}[{i}].date", f"{day} is listed twice")
                found[name][day] = node
                reasons[day] = reason
        self.check(found)
        return CalendarOverrides(
            frozenset(found["days_off"]),
            frozenset(found["working_days"]),
            frozenset(found["not_days_off"]),
            reasons=reasons,
        )

    def check(self, found: dict[str, dict[dt.date, yaml.Node]]) -> None:
        for day, node in found["working_days"].items():
            if day.weekday() < 5:
                raise self.fail(
                    node, "working_days", f"{day} is a {day:%A}; list only worked weekend days"
                )
        off = found["days_off"]
        for other in ("working_days", "not_days_off"):
            for day, node in found[other].items():
                if day in off:
                    raise self.fail(node, other, f"{day} is also listed under days_off")


def load_calendar_overrides(path: Path | None = None) -> CalendarOverrides:
    """Read the overrides file (the bundled one when ``path`` is None); ``ValueError`` names the
    file, the line and the field of any mistake."""
    return _Reader(path if path is not None else DATA_DIR / "calendar.yaml").read()
