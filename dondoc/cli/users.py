"""`dondoc users add|list|disable`: the web board's accounts. A password is read from standard
input (one line), never from an argument, which `ps` and shell history would show."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from dondoc.cli.common import ready_settings


def dondoc_command() -> str:
    """How to type `dondoc` here: the bare name when PATH finds this installation, else the
    path of the script beside this Python (".venv/bin/dondoc" after `make run`)."""
    script = Path(sys.executable).parent / "dondoc"
    found = shutil.which("dondoc")
    if not script.exists() or (found and Path(found).resolve() == script.resolve()):
        return "dondoc"
    try:
        return str(script.relative_to(Path.cwd()))  # inside this folder: .venv/bin/dondoc
    except ValueError:
        return str(script)


def first_account_hint(settings: Any) -> str | None:
    """When the database has no account yet: the command that makes the first coordinator
    (a placeholder password, never a real one), else None."""
    from dondoc.db import engine_for, transaction
    from dondoc.web.accounts import has_users

    with transaction(engine_for(settings)) as session:
        if has_users(session):
            return None
    return (
        "Chưa có tài khoản nào. Tạo tài khoản điều phối viên đầu tiên bằng lệnh sau "
        "(thay TEN và MAT-KHAU; mật khẩu ít nhất 8 ký tự):\n"
        f"  echo 'MAT-KHAU' | {dondoc_command()} users add TEN --role coordinator"
    )


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Mật khẩu: ")
    return sys.stdin.readline().rstrip("\r\n")


def add(
    name: Annotated[str, typer.Argument(help="Login name, e.g. nguyenvana.")],
    role: Annotated[str, typer.Option(help="coordinator (may record) or viewer (read only).")],
) -> None:
    """Add an account; its password is read from standard input (one line)."""
    from dondoc.actors import local_actor
    from dondoc.db import engine_for, transaction
    from dondoc.web.accounts import add_user, check_name, check_password, check_role

    check_name(name)
    check_role(role)
    password = check_password(_read_password())
    settings = ready_settings()
    with transaction(engine_for(settings)) as session:
        add_user(session, name=name, password=password, role=role, actor=local_actor())
    typer.echo(f"added {name} ({role})")


def list_() -> None:
    """List the accounts: name, role, created, disabled."""
    from dondoc.db import engine_for, transaction
    from dondoc.web.accounts import list_users

    with transaction(engine_for(ready_settings())) as session:
        users = list_users(session)
    if not users:
        typer.echo("no users: add one with `dondoc users add NAME --role coordinator`")
    for u in users:
        state = "disabled" if u.disabled else "active"
        typer.echo(f"{u.name}\t{u.role}\t{u.created_at}\t{state}")


def disable(name: Annotated[str, typer.Argument(help="The account to disable.")]) -> None:
    """Disable an account: it can no longer log in (its name stays in the audit trail)."""
    from dondoc.actors import local_actor
    from dondoc.db import engine_for, transaction
    from dondoc.web.accounts import disable_user

    with transaction(engine_for(ready_settings())) as session:
        disable_user(session, name=name, actor=local_actor())
    typer.echo(f"disabled {name}")
