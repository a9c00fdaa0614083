"""Shared set-up for the multi-process tests: the seed directive and many email contacts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

INIT_AT = "2026-11-20T09:00+07:00"


def seed_with_contacts(
    cli: Any, workdir: Path, env: dict[str, str], *, per_agency: int, domain: str
) -> set[str]:
    """A fresh database with the seed directive and ``per_agency`` focal email contacts for
    each of the 50 agencies; returns the addresses."""
    done = cli("init", "--at", INIT_AT, env=env)
    assert done.code == 0, done.err
    board = cli(
        "status", "--format", "json", "--period", "2026", "--obligation", "annual-report", env=env
    )
    assert board.code == 0, board.err
    codes = sorted({row["agency"] for row in json.loads(board.out)})
    assert len(codes) == 50
    addresses = {  # agency codes may be Vietnamese (BGDĐT): number them for ASCII addresses
        f"vt{i}.a{n}@{domain}": code for n, code in enumerate(codes) for i in range(per_agency)
    }
    csv = workdir / "contacts.csv"
    csv.write_text(
        "agency,channel,target,role\n"
        + "".join(f"{code},email,{addr},focal\n" for addr, code in addresses.items()),
        encoding="utf-8",
    )
    imported = cli("contacts", "import", str(csv), "--replace", env=env)
    assert imported.code == 0, imported.err
    return set(addresses)
