"""Who must act on each obligation: its own `addressees` (groups or codes) within the agencies
the directive addresses, or all of those when it names none (docs/spec-format.md)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dondoc.config.spec import DirectiveSpec
from dondoc.config.spec_loader import AgencyRecord, raise_for_spec


def obligation_agencies(
    spec: DirectiveSpec,
    agencies: Sequence[AgencyRecord],
    addressed: Sequence[AgencyRecord],
    *,
    source: Path | None = None,
) -> list[list[AgencyRecord]]:
    """For each obligation in order, the agencies it binds, sorted by code. An entry that is
    no group or code, or that covers none of the directive's agencies (``addressed``, after
    ``exclude``), is a `SpecError` naming ``obligations[i].addressees[j]``."""
    by_code = {a.code: a for a in addressed}
    known = {a.code for a in agencies} | {g for a in agencies for g in a.groups}
    out: list[list[AgencyRecord]] = []
    for i, ob in enumerate(spec.obligations):
        if ob.addressees is None:
            out.append(list(addressed))
            continue
        chosen: dict[str, AgencyRecord] = {}
        for j, name in enumerate(ob.addressees):
            loc = ("obligations", i, "addressees", j)
            if name not in known:
                raise_for_spec(spec, source, loc, "unknown agency group or code", name)
            inside = [a for a in by_code.values() if a.code == name or name in a.groups]
            if not inside:
                problem = (
                    "names no agency the directive addresses (addressees minus exclude): "
                    "add it to the top-level addressees, or remove it here"
                )
                raise_for_spec(spec, source, loc, problem, name)
            chosen.update((a.code, a) for a in inside)
        out.append([chosen[code] for code in sorted(chosen)])
    return out
