"""Record an agency's submission as a tracked Prefect flow run."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from dondoc.actors import api_actor, local_actor, serving_auth_string
from dondoc.config.settings import get_settings
from dondoc.flows.common import context_at, tag_current_run
from dondoc.flows.forms import code_of
from dondoc.models import SubmissionCreate
from dondoc.service import directive_of, submit


def _run_name() -> str:
    """Named by codes even when the form sent "01 - Ủy ban nhân dân ..." options."""
    from prefect.runtime import flow_run

    p = flow_run.parameters
    agency, obligation = code_of(str(p.get("agency"))), code_of(str(p.get("obligation")))
    return f"submission {agency} {obligation} {p.get('period')}"


def _recorded_by() -> str:
    from prefect.runtime import deployment

    if deployment.id is None:  # called in this process, e.g. by `dondoc submit`
        return local_actor()
    return api_actor(serving_auth_string())


@flow(
    name="record-submission",
    flow_run_name=_run_name,
    validate_parameters=True,
)
def record_submission_flow(
    agency: str,
    obligation: str,
    period: str,
    document: str,
    received_on: dt.date,
    note: str | None = None,
    directive: str | None = None,
    allow_future: bool = False,
) -> dict[str, object]:
    """Record the report an agency sent and close its task (on time or late). Who recorded it
    is not a parameter: it is the API's authenticated user (or "không xác thực") for a
    deployment run, the operating-system user for a run started in-process (`dondoc submit`)."""
    settings = get_settings()
    data = SubmissionCreate(
        agency=code_of(agency),
        obligation=code_of(obligation),
        period=period,
        directive=directive,
        document_number=document,
        received_on=received_on,
        note=note,
        recorded_by=_recorded_by(),
    )
    task = submit(settings, context_at(None, settings), data, allow_future=allow_future)
    tag_current_run(
        f"agency:{data.agency}",
        f"obligation:{data.obligation}",
        f"period:{task.period}",
        f"directive:{directive_of(settings, task)}",
    )
    return {
        "agency": agency,
        "obligation": obligation,
        "period": task.period,
        "status": task.status,
    }
