"""The pre-2025 provinces and the unit each became (config/data/provinces-2025.yaml).

Resolution 202/2025/QH15 merged 63 provincial-level units into 34 from 1 July 2025; the new
units' codes (Decision 19/2025/QĐ-TTg) are each the code of one pre-2025 province, whose agency
record continues (under its new name when it changed). The others become dissolved agencies with
a successor. Errors are `SpecError`s with the file, line and field, like every config file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from pydantic import BaseModel, ConfigDict, Field

from dondoc.config.settings import DATA_DIR
from dondoc.config.spec_loader import AgencyRecord, Loc, _load_model, _raise_at, load_agencies

PROVINCES_BEFORE = 63
UNITS_AFTER = 34
DEPARTMENT_SUFFIX = "-SXD"
_COMMITTEE_PREFIX = "Ủy ban nhân dân "
_DEPARTMENT_PREFIX = "Sở Xây dựng "
_Fail = Callable[[Loc, str, object], NoReturn]


class ProvinceRecord(BaseModel):
    """One pre-2025 province: its code, its People's Committee's name then, its successor."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^\d{2}$")
    name: str = Field(pattern=r"^Ủy ban nhân dân ")
    short_name: str = Field(min_length=1)
    successor: str = Field(pattern=r"^\d{2}$")
    renamed_on: dt.date | None = None


class _ProvinceFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    merged_on: dt.date
    provinces: tuple[ProvinceRecord, ...] = Field(min_length=1)


def provinces_path() -> Path:
    return DATA_DIR / "provinces-2025.yaml"


def load_directory(path: Path | None = None) -> list[AgencyRecord]:
    """Every agency dondoc knows: today's (agencies.yaml, continuing ones with their former
    name) followed by the dissolved pre-2025 provinces and their Departments of Construction."""
    return load_successions(load_agencies(), path)


def load_successions(
    current: Sequence[AgencyRecord], path: Path | None = None
) -> list[AgencyRecord]:
    """``current`` with the successions of ``path`` (default: the bundled provinces-2025.yaml)
    applied; raises `SpecError` naming the file, line and field of any inconsistency."""
    path = provinces_path() if path is None else path
    data, root = _load_model(path, _ProvinceFile)
    by_code = {a.code: a for a in current}

    def fail(loc: Loc, problem: str, value: object) -> NoReturn:
        _raise_at(path, root, loc, problem, value)

    _check_counts(data, fail)
    continuing = {p.code for p in data.provinces if p.code == p.successor}
    renamed: dict[str, AgencyRecord] = {}
    dissolved: list[AgencyRecord] = []
    for i, province in enumerate(data.provinces):
        _check_province(i, province, by_code, continuing, fail)
        if province.code == province.successor:
            renamed.update(_renamed(province, by_code, data.merged_on))
        else:
            dissolved += _dissolved(province, data.merged_on)
    return [renamed.get(a.code, a) for a in current] + dissolved


def _check_counts(data: _ProvinceFile, fail: _Fail) -> None:
    codes = [p.code for p in data.provinces]
    for i, code in enumerate(codes):
        if code in codes[:i]:
            fail(("provinces", i, "code"), "duplicate province code", code)
    if len(codes) != PROVINCES_BEFORE:
        fail(("provinces",), f"expected the {PROVINCES_BEFORE} pre-2025 provinces", len(codes))
    successors = {p.successor for p in data.provinces}
    if len(successors) != UNITS_AFTER:
        fail(("provinces",), f"expected {UNITS_AFTER} distinct successors", len(successors))


def _check_province(
    i: int,
    province: ProvinceRecord,
    by_code: dict[str, AgencyRecord],
    continuing: set[str],
    fail: _Fail,
) -> None:
    successor = by_code.get(province.successor)
    if successor is None or successor.kind != "provincial_committee" or successor.dissolved_on:
        problem = "not a current provincial committee"
        fail(("provinces", i, "successor"), problem, province.successor)
    elif province.successor not in continuing:
        problem = "a new unit keeps a pre-2025 province's code: list it as its own successor"
        fail(("provinces", i, "successor"), problem, province.successor)
    elif province.code != province.successor and province.code in by_code:
        problem = "code taken by a current agency: a continuing province is its own successor"
        fail(("provinces", i, "code"), problem, province.code)
    elif province.successor + DEPARTMENT_SUFFIX not in by_code:
        problem = "the successor has no Department of Construction in agencies.yaml"
        fail(("provinces", i, "successor"), problem, province.successor)


def _renamed(
    province: ProvinceRecord, by_code: dict[str, AgencyRecord], merged_on: dt.date
) -> dict[str, AgencyRecord]:
    """The continuing committee and department, with their former names if they changed."""
    committee = by_code[province.code]
    if committee.name == province.name:
        return {}
    department = by_code[province.code + DEPARTMENT_SUFFIX]
    since = province.renamed_on or merged_on
    return {
        committee.code: committee.model_copy(
            update={
                "former_name": province.name,
                "former_short_name": province.short_name,
                "renamed_on": since,
            }
        ),
        department.code: department.model_copy(
            update={
                "former_name": _department_name(province),
                "former_short_name": province.short_name,
                "renamed_on": since,
            }
        ),
    }


def _dissolved(province: ProvinceRecord, merged_on: dt.date) -> list[AgencyRecord]:
    committee = AgencyRecord(
        code=province.code,
        name=province.name,
        short_name=province.short_name,
        kind="provincial_committee",
        groups=("provincial-committees",),
        dissolved_on=merged_on,
        successor=province.successor,
    )
    department = AgencyRecord(
        code=province.code + DEPARTMENT_SUFFIX,
        name=_department_name(province),
        kind="department",
        parent=province.code,
        groups=("construction-departments",),
        dissolved_on=merged_on,
        successor=province.successor + DEPARTMENT_SUFFIX,
    )
    return [committee, department]


def _department_name(province: ProvinceRecord) -> str:
    """'Ủy ban nhân dân tỉnh Hà Giang' -> 'Sở Xây dựng tỉnh Hà Giang'."""
    return _DEPARTMENT_PREFIX + province.name.removeprefix(_COMMITTEE_PREFIX)
