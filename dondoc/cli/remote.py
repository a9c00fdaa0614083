"""`dondoc run`: trigger a served deployment on the Prefect server, as the UI's form would."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from dondoc.errors import InputError, NotFoundError
from dondoc.flows.forms import resolve_choice


def parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"-p {pair!r}: expected key=value", field="param", value=pair)
        params[key.strip()] = raw
    return params


def _typed(key: str, raw: str, spec: dict[str, Any]) -> Any:
    """A shell string as the form's field type: true/false for booleans, numbers for numbers."""
    kinds = {spec.get("type")} | {s.get("type") for s in spec.get("anyOf", [])}
    if raw == "null" and "null" in kinds:
        return None
    if kinds & {"boolean", "integer", "number"}:
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"-p {key}={raw!r}: not a {'/'.join(map(str, kinds))}") from exc
    return resolve_choice(raw, spec.get("enum", []))


async def _find(name: str) -> tuple[str, dict[str, Any]]:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        for deployment in await client.read_deployments():
            flow = await client.read_flow(deployment.flow_id)
            full = f"{flow.name}/{deployment.name}"
            if name in (deployment.name, full):
                return full, dict(deployment.parameter_openapi_schema or {})
    raise NotFoundError(f"no deployment named {name!r} on the Prefect server", field="deployment")


def _resolve(params: dict[str, str], schema: dict[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties", {})
    unknown = sorted(set(params) - set(properties))
    if unknown:
        raise InputError(
            f"unknown parameter(s) {', '.join(unknown)}; this deployment takes "
            f"{', '.join(properties) or 'none'}",
            field="param",
        )
    # `-p at=null` on a field whose form has no null (an empty date-time picker means "now"):
    # leave it out, so the flow's default applies.
    optional = set(properties) - set(schema.get("required", []))
    given = {k: v for k, v in params.items() if not (v == "null" and k in optional)}
    return {key: _typed(key, value, properties[key]) for key, value in given.items()}


def run(name: str, pairs: list[str], *, timeout: float, tags: list[str]) -> tuple[str, str]:
    """Returns (flow run name, final state name); waits up to ``timeout`` seconds."""
    from prefect.client.schemas.objects import FlowRun
    from prefect.deployments import run_deployment

    full, schema = asyncio.run(_find(name))
    params = _resolve(parse_params(pairs), schema)
    flow_run = run_deployment(name=full, parameters=params, timeout=timeout, tags=tags)
    assert isinstance(flow_run, FlowRun)  # the sync call returns the run, not a coroutine
    state = flow_run.state.name if flow_run.state else "UNKNOWN"
    return str(flow_run.name), str(state)
