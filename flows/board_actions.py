"""Recording and withdrawing a report as tracked Prefect flow runs, for the web board and
`dondoc withdraw` when a Prefect API is configured (PREFECT_API_URL).

These flows are never served as deployments: they take who acted (``actor``) as a parameter,
which a deployment must not (docs/hardening.md), because only this machine's processes call
them, each with the user it has authenticated: the board's signed-in account, or the
operating-system user of the command line. Each run publishes a markdown artifact that links
back to the task's page on the board.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from prefect import flow, tags
from prefect.artifacts import create_markdown_artifact

from dondoc.actors import COMMAND_LINE
from dondoc.config.settings import Settings, get_settings
from dondoc.context import make_context
from dondoc.flows.artifacts import board_url
from dondoc.flows.common import tag_current_run
from dondoc.models import SubmissionCreate, Task
from dondoc.reports.board import STATUS_LABELS_VI
from dondoc.service import directive_of, submit, withdraw

SOURCES_VI = {"web": "bảng theo dõi", "cli": "dòng lệnh"}
# The caller's settings (the web app may be made with its own), kept out of the parameters so
# that the database URL never reaches the Prefect server.
_SETTINGS: ContextVar[Settings | None] = ContextVar("dondoc_action_settings", default=None)


@dataclass(frozen=True)
class Tracked:
    """What a flow run did: the task as it is now, and the run's id on the Prefect server."""

    task_id: int
    status: str
    due_day: dt.date | None
    flow_run_id: str


def _settings() -> Settings:
    return _SETTINGS.get() or get_settings()


def _run_name(verb: str) -> Callable[[], str]:
    def name() -> str:
        from prefect.runtime import flow_run

        p = flow_run.parameters
        who = str(p.get("actor")).removesuffix(f" ({COMMAND_LINE})")
        where = SOURCES_VI.get(str(p.get("source")), str(p.get("source")))
        what = f"{p.get('agency')} · {p.get('obligation')} · {p.get('period')}"
        return f"{verb}: {what} ({who}, {where})"

    return name


def _published(task: Task, verb: str) -> dict[str, object]:
    """Tag the run with the task's directive, link it to the board, and say what it did."""
    settings = _settings()
    directive = directive_of(settings, task)
    tag_current_run(f"directive:{directive}")
    page = board_url(f"/nhiem-vu/{task.id}", settings=settings)
    label = STATUS_LABELS_VI.get(task.status, task.status)
    create_markdown_artifact(
        key=f"task-{task.id}",
        markdown=f"# {verb}\n\n{directive}, kỳ {task.period}: {label}.\n\n"
        f"[Mở nhiệm vụ trên bảng theo dõi]({page})\n",
        description=f"{verb}: [nhiệm vụ trên bảng theo dõi]({page})",
    )
    return {"task_id": task.id, "status": task.status, "due_day": task.due_day}


@flow(name="board-record-report", flow_run_name=_run_name("Ghi nhận báo cáo"))
def record_report_flow(
    agency: str,
    obligation: str,
    period: str,
    document: str,
    received_on: dt.date,
    actor: str,
    source: str,
    directive: str | None = None,
    note: str | None = None,
    allow_future: bool = False,
    at: dt.datetime | None = None,
) -> dict[str, object]:
    """Record the report an agency sent and close its task, as ``actor`` (never served)."""
    settings = _settings()
    data = SubmissionCreate(
        agency=agency,
        obligation=obligation,
        period=period,
        directive=directive,
        document_number=document,
        received_on=received_on,
        note=note,
        recorded_by=actor,
    )
    task = submit(settings, make_context(settings, at), data, allow_future=allow_future)
    return _published(task, "Ghi nhận báo cáo")


@flow(name="board-withdraw-report", flow_run_name=_run_name("Rút báo cáo"))
def withdraw_report_flow(
    agency: str,
    obligation: str,
    period: str,
    reason: str,
    actor: str,
    source: str,
    directive: str | None = None,
    at: dt.datetime | None = None,
) -> dict[str, object]:
    """Withdraw a recorded report (a correction) and reopen the task, as ``actor``."""
    settings = _settings()
    task = withdraw(
        settings,
        make_context(settings, at),
        agency=agency,
        obligation=obligation,
        period=period,
        reason=reason,
        directive=directive,
        actor=actor,
    )
    return _published(task, "Rút báo cáo")


@contextmanager
def _using(settings: Settings) -> Iterator[None]:
    token = _SETTINGS.set(settings)
    try:
        yield
    finally:
        _SETTINGS.reset(token)


def _tags(params: dict[str, Any]) -> list[str]:
    found = [f"{k}:{params[k]}" for k in ("agency", "obligation", "period", "source")]
    return [*found, f"directive:{params['directive']}"] if params.get("directive") else found


def _tracked(state: Any) -> Tracked:
    """The run's outcome; a refusal (DondocError) raised in the flow is raised again here."""
    out = state.result()
    return Tracked(
        int(out["task_id"]),
        str(out["status"]),
        out["due_day"],
        str(state.state_details.flow_run_id),
    )


def record_tracked(settings: Settings, **params: Any) -> Tracked:
    """``record_report_flow(**params)`` as a flow run on the configured Prefect API."""
    with _using(settings), tags(*_tags(params)):
        return _tracked(record_report_flow(**params, return_state=True))


def withdraw_tracked(settings: Settings, **params: Any) -> Tracked:
    """``withdraw_report_flow(**params)`` as a flow run on the configured Prefect API."""
    with _using(settings), tags(*_tags(params)):
        return _tracked(withdraw_report_flow(**params, return_state=True))
