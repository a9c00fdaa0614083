"""The `dondoc` command (PRODUCT.md §7): the Typer app, one module per command group.
Imports are local to each command so that quick commands such as `status` start fast."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable

# dondoc uses no pydantic plugins, and looking for them reads every installed package's entry
# points on each start (~6 ms of a quick command; docs/performance.md, "Commands"). A value the
# caller set wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from dondoc.cli import (
    backup,
    calendar,
    dispatch,
    history,
    ics,
    reports,
    server,
    setup,
    tracking,
    users,
    web,
)
from dondoc.cli.common import use_prefect
from dondoc.errors import DondocError

app = typer.Typer(
    help="dondoc: track, remind and close the obligations that government directives assign.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
contacts_app = typer.Typer(help="Manage agencies' contacts.", no_args_is_help=True)
app.add_typer(contacts_app, name="contacts")
users_app = typer.Typer(help="Manage the web board's accounts.", no_args_is_help=True)

# In the order `dondoc --help` lists them.
app.command()(setup.init)
app.command()(setup.load)
contacts_app.command("import")(setup.contacts_import)
app.command()(tracking.sweep)
app.command()(tracking.submit)
app.command()(tracking.withdraw)
app.command()(reports.status)
app.command()(server.serve)
app.command("run")(server.run_deployment)
app.command()(reports.digest)
app.command()(reports.report)
app.command("export")(backup.export_)
app.command("import")(backup.import_)
app.command()(server.up)
app.command("web")(web.web)
app.add_typer(users_app, name="users")
users_app.command("add")(users.add)
users_app.command("list")(users.list_)
users_app.command("disable")(users.disable)
app.command("calendar")(calendar.calendar_command)
app.command("ics")(ics.ics_command)
app.command("history")(history.history_command)
app.command("import-dispatch")(dispatch.import_dispatch)


# The commands people run many times a day. Typer turns every registered command's signature
# into a Click command on each start; for these, `main` builds only the one invoked.
QUICK: dict[str, Callable[..., None]] = {"status": reports.status, "submit": tracking.submit}


def _quick_group() -> None:
    """dondoc: one quick command."""


def quick_and_short(args: list[str]) -> bool:
    """A quick command run in-process: with PREFECT_API_URL set it is a tracked flow run."""
    return bool(args) and args[0] in QUICK and not use_prefect()


def app_for(args: list[str]) -> typer.Typer:
    """The whole app, or for a quick command a group holding just it (same usage and errors)."""
    if not args or args[0] not in QUICK:
        return app
    one = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    one.callback()(_quick_group)  # a group still, so `dondoc status ...` parses as before
    one.command(args[0])(QUICK[args[0]])
    return one


def main() -> None:
    if quick_and_short(sys.argv[1:]):
        # Importing the ORM, pydantic and the table classes makes hundreds of thousands of
        # objects that the cyclic collector walks again and again (~15% of a quick command);
        # a quick command is short and its garbage is freed by reference counting. Long-running
        # commands (sweep, up, web, import ...) keep the collector.
        gc.disable()
    try:
        app_for(sys.argv[1:])()
    except Exception as exc:
        from dondoc.cli.errors import user_message

        message = user_message(exc)
        if message is None:
            raise
        typer.echo(f"error: {message}", err=True)
        sys.exit(exc.exit_code if isinstance(exc, DondocError) else 2)
