"""What every command shares: the ``--at`` option, settings, the run context and the
checks made before a command touches the database."""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated, Any

import typer

from dondoc.errors import InputError

AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="Act as of this ISO-8601 instant (e.g. 2026-11-25T08:30+07:00). Without an offset "
        "it is local time; a bare date means that day at the send hour.",
    ),
]


def load_settings() -> Any:
    from dondoc.config.settings import get_settings

    return get_settings()


def parse_at(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    from zoneinfo import ZoneInfo

    settings = load_settings()
    tz = ZoneInfo(settings.timezone)
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time(settings.send_hour), tzinfo=tz)
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--at {value!r} is not an ISO-8601 date or time", field="at") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def context(at: str | None = None) -> Any:
    from dondoc.context import make_context

    return make_context(load_settings(), parse_at(at))


def ready_settings() -> Any:
    """The settings, once the database is known to exist: every command but `init` and
    `import` refuses an uninitialised database (and creates nothing) with "run dondoc init"."""
    from dondoc.db import require_schema

    settings = load_settings()
    require_schema(settings.database_url)
    return settings


def ready_context(at: str | None = None) -> Any:
    from dondoc.context import make_context

    return make_context(ready_settings(), parse_at(at))


def use_prefect() -> bool:
    """Tracked flow runs only when a Prefect API is configured: never start a temporary one."""
    return bool(os.environ.get("PREFECT_API_URL"))


def tracked(settings: Any) -> bool:
    """Whether the command runs as a tracked flow run (PREFECT_API_URL set); if so, only once
    the server has answered: see ``require_prefect``."""
    if not use_prefect():
        return False
    require_prefect(settings.prefect_probe_seconds)
    return True


def require_prefect(seconds: float) -> None:
    """Raises PrefectUnreachable within ``seconds`` when the server of PREFECT_API_URL cannot
    answer, before Prefect is imported: its own client would retry for minutes
    (dondoc.flows.prefect_probe)."""
    from dondoc.cli.errors import PrefectUnreachable
    from dondoc.flows.prefect_probe import prefect_down_sync

    api_url = os.environ["PREFECT_API_URL"]
    down = prefect_down_sync(api_url, seconds)
    if down is not None:
        raise PrefectUnreachable(api_url, down.en)


def warn(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


def safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


DirectiveOption = Annotated[
    str | None,
    typer.Option(
        "--directive",
        help="Directive number/symbol with its year, e.g. 24/CT-TTg/2016 (or 24/CT-TTg with "
        "--year 2016); the number alone when only one year of it is loaded.",
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year", help="Year the directive was issued, when --directive gives the number only."
    ),
]


def directive_option(directive: str | None, year: int | None) -> str | None:
    """--directive and --year as one reference, "24/CT-TTg/2016" (None when neither is given);
    a bad value is refused here, naming the option, before any work."""
    from dondoc.reports.directive_ref import parse_directive

    ref = parse_directive(directive, year)
    return None if ref is None else str(ref)
