"""`dondoc serve`, `run` and `up`: the Prefect side (deployments, ad-hoc runs, the main job)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from dondoc.cli.common import load_settings, require_prefect, use_prefect
from dondoc.errors import InputError


def serve() -> None:
    """Serve every deployment with its schedule against the Prefect API (PREFECT_API_URL)."""
    if not use_prefect():
        raise InputError("PREFECT_API_URL is not set: start a Prefect server or use `dondoc up`")
    require_prefect(load_settings().prefect_probe_seconds)
    from dondoc.flows.deployments import serve_all

    serve_all()


def run_deployment(
    deployment: Annotated[str, typer.Argument(help="Deployment name, e.g. record-submission.")],
    param: Annotated[
        list[str] | None, typer.Option("-p", "--param", help="key=value, repeatable.")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the run to finish.")] = 300,
) -> None:
    """Run a served deployment on the Prefect server (PREFECT_API_URL) and wait for it."""
    if not use_prefect():
        raise InputError("PREFECT_API_URL is not set: `dondoc run` needs the Prefect server")
    require_prefect(load_settings().prefect_probe_seconds)
    from dondoc.cli.remote import run

    name, state = run(deployment, param or [], timeout=timeout, tags=["dondoc", "cli"])
    typer.echo(f"{name}: {state}")
    if state != "Completed":
        raise typer.Exit(1)


def up(
    host: Annotated[str, typer.Option(help="Address the dashboard listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Dashboard and API port.")] = 4200,
    web_port: Annotated[int, typer.Option(help="Port of the web board (Bảng theo dõi).")] = 8080,
    insecure: Annotated[
        bool,
        typer.Option(
            "--insecure",
            help="Serve beyond loopback without PREFECT_SERVER_API_AUTH_STRING (not advised).",
        ),
    ] = False,
) -> None:
    """The main job: the web board (its address printed first), a local Prefect server
    (dashboard) and `dondoc serve`. Beyond loopback it needs
    PREFECT_SERVER_API_AUTH_STRING=user:password (basic auth)."""
    from dondoc.cli.platform import check_exposure, run_main_job

    warning = check_exposure(host, insecure=insecure, env=os.environ)
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    from dondoc.cli.common import ready_settings

    ready_settings()  # the web board needs the database: "run dondoc init", before any start
    raise typer.Exit(run_main_job(host, port, web_port))
