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


def record_hanoi_report(db_url: str, at: str) -> None:
    """Hà Nội's (01) 2026 annual report, 9/BC-UBND received 26/11/2026, recorded as of ``at``
    (ISO-8601): a report there is to withdraw."""
    import datetime as dt

    from dondoc.config.settings import Settings
    from dondoc.context import make_context
    from dondoc.models import SubmissionCreate
    from dondoc.service import submit

    settings = Settings(database_url=db_url)
    report = SubmissionCreate(
        agency="01",
        obligation="annual-report",
        period="2026",
        document_number="9/BC-UBND",
        received_on=dt.date(2026, 11, 26),
        recorded_by="test",
    )
    submit(settings, make_context(settings, dt.datetime.fromisoformat(at)), report)
