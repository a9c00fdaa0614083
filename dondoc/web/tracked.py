"""The board's record and withdrawal: in this process, or, when a Prefect API is configured
(PREFECT_API_URL), as tracked flow runs on it (dondoc.flows.board_actions) whose dashboard page
the result links to. Without the variable nothing imports Prefect, so no temporary server starts.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from dondoc.config.settings import Settings
from dondoc.context import RunContext
from dondoc.errors import DondocError
from dondoc.flows.prefect_probe import prefect_down
from dondoc.models import SubmissionCreate
from dondoc.service import submit, withdraw

if TYPE_CHECKING:
    from dondoc.flows.board_actions import Tracked


@dataclass(frozen=True)
class Outcome:
    """The task after the action; ``run_url``: its flow run in the Prefect UI, if tracked."""

    status: str
    due_day: dt.date | None
    run_url: str | None = None


@dataclass(frozen=True)
class TaskKey:
    """A task as the services name it: the origin agency's code, obligation, period, directive."""

    agency: str
    obligation: str
    period: str
    directive: str  # with its year, "24/CT-TTg/2016": a number may be loaded for two years

    def as_params(self) -> dict[str, str]:
        return {
            "agency": self.agency,
            "obligation": self.obligation,
            "period": self.period,
            "directive": self.directive,
        }


def use_prefect() -> bool:
    """Tracked flow runs only when a Prefect API is configured (as `dondoc up` does)."""
    return bool(os.environ.get("PREFECT_API_URL"))


def flow_run_url(flow_run_id: str) -> str:
    """``<ui>/runs/flow-run/<id>``: Prefect's PREFECT_UI_URL, which Prefect derives from the API
    URL (dropping ``/api``) when unset."""
    from prefect.settings import PREFECT_API_URL, PREFECT_UI_URL

    ui = PREFECT_UI_URL.value() or str(PREFECT_API_URL.value() or "").removesuffix("/api")
    return f"{str(ui).rstrip('/')}/runs/flow-run/{flow_run_id}"


async def record_report(
    settings: Settings,
    ctx: RunContext,
    data: SubmissionCreate,
    *,
    allow_future: bool,
) -> Outcome:
    if not use_prefect():
        task = submit(settings, ctx, data, allow_future=allow_future)
        return Outcome(task.status, task.due_day)
    await _reachable(settings)
    from dondoc.flows.board_actions import record_tracked

    params: dict[str, Any] = {
        "agency": data.agency,
        "obligation": data.obligation,
        "period": data.period,
        "directive": data.directive,
        "document": data.document_number,
        "received_on": data.received_on,
        "note": data.note,
        "actor": data.recorded_by,
        "source": "web",
        "allow_future": allow_future,
    }
    return await _tracked(record_tracked, settings, params)


async def withdraw_report(
    settings: Settings, ctx: RunContext, *, actor: str, where: TaskKey, reason: str
) -> Outcome:
    if not use_prefect():
        task = withdraw(settings, ctx, **where.as_params(), reason=reason, actor=actor)
        return Outcome(task.status, task.due_day)
    await _reachable(settings)
    from dondoc.flows.board_actions import withdraw_tracked

    params: dict[str, Any] = {
        **where.as_params(),
        "reason": reason,
        "actor": actor,
        "source": "web",
    }
    return await _tracked(withdraw_tracked, settings, params)


UNREACHABLE_VI = (
    "Không thực hiện được qua máy chủ Prefect ({problem}). Hãy tải lại trang nhiệm vụ để xem "
    "tình trạng hiện tại trước khi thử lại, hoặc báo cho người quản trị hệ thống."
)


async def _reachable(settings: Settings) -> None:
    """A Prefect server that cannot answer is a 503 within seconds, before Prefect is imported
    (its own client would wait minutes: dondoc.flows.prefect_probe)."""
    api_url = os.environ["PREFECT_API_URL"]
    problem = await prefect_down(api_url, settings.prefect_probe_seconds)
    if problem is not None:
        raise HTTPException(503, UNREACHABLE_VI.format(problem=problem.vi))


async def _tracked(
    action: Callable[..., Tracked], settings: Settings, params: dict[str, Any]
) -> Outcome:
    """A refusal (DondocError) goes to the form as it would in-process; anything else (e.g. the
    server not answering, when the flow never started) is a Vietnamese error page, not a bare
    500."""
    try:
        done = await run_in_threadpool(action, settings, **params)
    except DondocError:
        raise
    except Exception as exc:
        raise HTTPException(503, UNREACHABLE_VI.format(problem=type(exc).__name__)) from exc
    return Outcome(done.status, done.due_day, flow_run_url(done.flow_run_id))
