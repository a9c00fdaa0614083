"""Read directive specs and the agency list from YAML, reporting errors by file, line and field.

Every problem (unreadable bytes, YAML syntax, a wrong field, an unknown agency) is a `SpecError`
such as ``24-CT-TTg.yaml:31: obligations[2].deadline.month: Input should be less than or equal
to 12 (got 13)``. The format is described in docs/spec-format.md.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, NoReturn, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from dondoc.config.config_yaml import CappedComposer, SpecError, read_config_text, yaml_error
from dondoc.config.settings import DATA_DIR
from dondoc.config.spec import DirectiveSpec, SpecDate

AgencyKind = Literal["ministry", "ministerial_agency", "provincial_committee", "department"]
Loc = tuple[int | str, ...]
_M = TypeVar("_M", bound=BaseModel)
_MAX_ERRORS = 10  # further validation errors are counted, not listed
_PROBLEMS = {  # clearer words than pydantic's for a coordinator editing YAML
    "extra_forbidden": "unknown key (see docs/spec-format.md for the keys allowed here)",
    "missing": "required key is missing",
}


class AgencyRecord(BaseModel):
    """One agency as listed in agencies.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1, pattern=r"^\S+$")
    name: str = Field(min_length=1)
    short_name: str | None = None
    kind: AgencyKind
    parent: str | None = None
    groups: tuple[str, ...] = ()
    # Succession (config/successions.py): no longer exists from `dissolved_on`, its open tasks
    # pass to `successor`; or continues under a new name from `renamed_on`.
    dissolved_on: SpecDate | None = None
    successor: str | None = None
    former_name: str | None = None
    former_short_name: str | None = None
    renamed_on: SpecDate | None = None


class _AgencyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    agencies: tuple[AgencyRecord, ...] = Field(min_length=1)


class _Loader(CappedComposer):
    """SafeLoader that refuses duplicate keys and leaves dates as strings for pydantic to check
    (so an impossible date is reported with its line and field)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                if key.value in seen:
                    problem = f"duplicate key {key.value!r}"
                    raise yaml.constructor.ConstructorError(None, None, problem, key.start_mark)
                seen.add(key.value)
        return super().construct_mapping(node, deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_spec_file(path: Path) -> DirectiveSpec:
    """Read and validate one directive spec; raises `SpecError` on any problem."""
    return _load_model(path, DirectiveSpec)[0]


def load_agencies(path: Path | None = None) -> list[AgencyRecord]:
    """The agencies in ``path`` (default: the bundled agencies.yaml), in file order."""
    path = DATA_DIR / "agencies.yaml" if path is None else path
    agency_file, root = _load_model(path, _AgencyFile)
    records = list(agency_file.agencies)
    seen: set[str] = set()
    for i, record in enumerate(records):
        if record.code in seen:
            _raise_at(path, root, ("agencies", i, "code"), "duplicate agency code", record.code)
        seen.add(record.code)
    for i, record in enumerate(records):
        parent = record.parent
        if parent is not None and (parent not in seen or parent == record.code):
            _raise_at(path, root, ("agencies", i, "parent"), "unknown parent agency", parent)
        successor = record.successor
        if successor is not None and (successor not in seen or successor == record.code):
            loc = ("agencies", i, "successor")
            _raise_at(path, root, loc, "unknown successor agency", successor)
    return records


def bundled_spec_paths() -> list[Path]:
    """The directive specs shipped with dondoc (config/data/directives/*.yaml), sorted by name."""
    folder = DATA_DIR / "directives"
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def spec_location(path: Path, loc: Loc) -> str:
    """Where a field is, as errors name it: ``24-CT-TTg.yaml:72: obligations[2].cutoff`` (for
    warnings about a spec that loaded)."""
    root: yaml.Node | None = None
    with contextlib.suppress(SpecError):
        root, _ = _parse(path)
    line = _line_of(root, loc)
    where = path.name if line is None else f"{path.name}:{line}"
    return f"{where}: {_field(loc)}"


def resolve_addressees(
    spec: DirectiveSpec, agencies: Sequence[AgencyRecord], *, source: Path | None = None
) -> list[AgencyRecord]:
    """The agencies a spec addresses: groups and codes in ``addressees`` expanded, those in
    ``exclude`` (groups or codes) removed, sorted by code. ``source`` (the spec's file) only
    improves error messages with a file name and line."""
    by_code = {a.code: a for a in agencies}
    by_group: dict[str, list[AgencyRecord]] = {}
    for agency in agencies:
        for group in agency.groups:
            by_group.setdefault(group, []).append(agency)

    def expand(name: str, field: str, index: int) -> list[AgencyRecord]:
        if name in by_group:
            return by_group[name]
        if name in by_code:
            return [by_code[name]]
        problem = f"unknown agency group or code; the groups are {', '.join(sorted(by_group))}"
        raise_for_spec(spec, source, (field, index), problem, name)

    chosen: dict[str, AgencyRecord] = {}
    for i, name in enumerate(spec.addressees):
        chosen.update((a.code, a) for a in expand(name, "addressees", i))
    for i, name in enumerate(spec.exclude):
        for agency in expand(name, "exclude", i):
            chosen.pop(agency.code, None)
    if not chosen:
        raise_for_spec(spec, source, ("addressees",), "no agency left after exclude", spec.exclude)
    return [chosen[code] for code in sorted(chosen)]


def _load_model(path: Path, model: type[_M]) -> tuple[_M, yaml.Node]:
    root, data = _parse(path)
    try:
        return model.model_validate(data), root
    except ValidationError as exc:
        raise _from_validation(path, root, exc) from None


def _parse(path: Path) -> tuple[yaml.Node, object]:
    """Decode (UTF-8, optional BOM), NFC-normalise, then compose and construct the YAML."""
    name = path.name
    loader = _Loader(read_config_text(path, name))
    try:
        root = loader.get_capped_node()
        if root is None:
            raise SpecError(name, None, None, "the file is empty", show_value=False)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        raise yaml_error(name, exc) from None
    except yaml.YAMLError as exc:
        raise SpecError(name, None, None, f"YAML error: {exc}", show_value=False) from None
    finally:
        loader.dispose()
    return root, data


def _line_of(root: yaml.Node | None, loc: Loc) -> int | None:
    """The line of the value (a scalar) or key (a collection) at ``loc``; for a missing key,
    the line of its parent. Loc parts that match nothing (pydantic union tags) are skipped."""
    if root is None:
        return None
    node, line = root, root.start_mark.line + 1
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, yaml.MappingNode):
            match = [(k, v) for k, v in node.value if getattr(k, "value", None) == str(part)]
            if not match:
                continue
            key, value = match[-1]
            if last and isinstance(value, yaml.ScalarNode):
                return int(value.start_mark.line) + 1
            node, line = value, key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _field(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _from_validation(path: Path, root: yaml.Node | None, exc: ValidationError) -> SpecError:
    """The first error, with up to ``_MAX_ERRORS`` further ones listed in the message."""
    errors = exc.errors(include_url=False)
    locs = [tuple(e["loc"]) for e in errors]
    # A container's error (e.g. "too short") caused by its items' errors adds nothing.
    errors = [
        e for e, a in zip(errors, locs, strict=True) if not any(b[: len(a)] == a != b for b in locs)
    ]
    errors.sort(key=lambda e: _line_of(root, tuple(e["loc"])) or 0)  # in file order
    more = [str(_one_error(path, root, e)) for e in errors[1:_MAX_ERRORS]]
    if len(errors) > _MAX_ERRORS:
        more.append(f"... and {len(errors) - _MAX_ERRORS} more errors")
    return _one_error(path, root, errors[0], more)


def _one_error(
    path: Path, root: yaml.Node | None, err: ErrorDetails, more: Sequence[str] = ()
) -> SpecError:
    loc, missing = tuple(err["loc"]), err["type"] == "missing"
    value = None if missing else err["input"]
    problem = _PROBLEMS.get(err["type"], err["msg"].removeprefix("Value error, "))
    show = not missing and not isinstance(value, dict | list)
    at, field = _line_of(root, loc), _field(loc) or None
    return SpecError(path.name, at, field, problem, value, show_value=show, more=more)


def _raise_at(path: Path, root: yaml.Node | None, loc: Loc, msg: str, value: object) -> NoReturn:
    raise SpecError(path.name, _line_of(root, loc), _field(loc), msg, value)


def raise_for_spec(
    spec: DirectiveSpec, source: Path | None, loc: Loc, problem: str, value: object
) -> NoReturn:
    """`SpecError` at ``loc`` of ``source`` (its line found again), or of the directive."""
    if source is None:
        label = f"directive {spec.directive.number}"
        raise SpecError(label, None, _field(loc), problem, value)
    root: yaml.Node | None = None
    with contextlib.suppress(SpecError):
        root, _ = _parse(source)
    _raise_at(source, root, loc, problem, value)
