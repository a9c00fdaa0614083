"""Reading any configuration file (directive specs, the agency lists, the calendar overrides)
within caps: its size, its YAML nesting depth and its number of values. Every problem is a
`SpecError` such as ``24-CT-TTg.yaml:31: obligations[2].deadline.month: problem (got 13)``."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

# Caps on any configuration file read here (and the calendar overrides): a real spec is a few
# KB, nested about six levels. PyYAML composes recursively, so depth is checked while composing.
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 20
MAX_NODES = 100_000  # counting each alias as the whole node it repeats


class SpecError(ValueError):
    """A configuration file is wrong: ``file:line: field: problem (got value)``."""

    def __init__(
        self,
        file: str,
        line: int | None,
        field: str | None,
        problem: str,
        value: object = None,
        *,
        show_value: bool = True,
        more: Sequence[str] = (),
    ) -> None:
        self.file, self.line, self.field, self.value = file, line, field, value
        self.problem = problem
        where = file if line is None else f"{file}:{line}"
        head = where if field is None else f"{where}: {field}"
        got = f" (got {_short_repr(value)})" if show_value else ""
        super().__init__("\n".join([f"{head}: {problem}{got}", *more]))

    def __reduce__(self) -> tuple[Any, ...]:  # picklable (Prefect may persist a failure)
        fields = (self.file, self.line, self.field, self.problem, self.value)
        return (type(self), fields, {"args": self.args})


class CapError(yaml.composer.ComposerError):
    """The YAML is well formed but beyond a cap (nesting depth, number of values)."""


class CappedComposer(yaml.SafeLoader):
    """SafeLoader that refuses nesting deeper than `MAX_DEPTH` before composing it (PyYAML's
    composer recurses once per level) and more than `MAX_NODES` values."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise CapError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_capped_node(self) -> yaml.Node | None:
        root = self.get_single_node()
        if root is not None and _weight(root, {}) > MAX_NODES:
            problem = f"more than {MAX_NODES:,} values (an alias counts as all it repeats)"
            raise CapError(None, None, problem, root.start_mark)
        return root


def read_capped(path: Path, name: str) -> bytes:
    """The bytes of a configuration file of at most `MAX_FILE_BYTES`; `SpecError` naming
    ``name`` when larger; `OSError` when unreadable."""
    with path.open("rb") as f:
        raw = f.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        problem = f"the file is larger than {MAX_FILE_BYTES // 2**20} MB; a real one is a few KB"
        raise SpecError(name, None, None, problem, show_value=False)
    return raw


def read_config_text(path: Path, name: str) -> str:
    """The UTF-8 text (BOM dropped, NFC) of a configuration file within `read_capped`'s cap;
    `SpecError` naming ``name`` otherwise."""
    try:
        raw = read_capped(path, name)
    except OSError as exc:
        problem = f"cannot read file: {exc.strerror}"
        raise SpecError(name, None, None, problem, show_value=False) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.end]
        problem = "not valid UTF-8 text; save the file as UTF-8"
        raise SpecError(name, line, None, problem, bad) from None
    return unicodedata.normalize("NFC", text)


def compose_capped(text: str | bytes) -> yaml.Node | None:
    """The YAML node tree of ``text`` (SafeLoader) within the caps; `yaml.YAMLError` (a
    `CapError` for a cap) otherwise."""
    loader = CappedComposer(text)
    try:
        return loader.get_capped_node()
    finally:
        loader.dispose()


def _weight(node: yaml.Node, seen: dict[int, int]) -> int:
    """Nodes under ``node``, each alias counted as the whole node it names (memoised: a tree
    of aliases of aliases is counted in linear time)."""
    if id(node) not in seen:
        seen[id(node)] = 1  # a recursive alias counts once; the constructor refuses it anyway
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        seen[id(node)] = 1 + sum(_weight(c, seen) for c in children)
    return seen[id(node)]


def yaml_error(name: str, exc: yaml.MarkedYAMLError) -> SpecError:
    mark = exc.problem_mark or exc.context_mark
    at = mark.line + 1 if mark is not None else None
    kind = "YAML beyond the caps: " if isinstance(exc, CapError) else "YAML syntax error: "
    problem = kind + ": ".join(p for p in (exc.context, exc.problem) if p)
    return SpecError(name, at, None, problem, show_value=False)


def _short_repr(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
