"""A `DispatchDraft` as the spec-shaped dict the board's form edits, and its review points.

The dict is what `dondoc import-dispatch` writes as YAML (one source of truth: the YAML text of
`render_draft`, read back), with dates as ISO strings so that it can be kept as JSON. Pure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from dondoc.reading.draft import DispatchDraft
from dondoc.reading.draft_yaml import render_draft


def draft_content(draft: DispatchDraft, source_name: str) -> dict[str, Any]:
    """The draft's spec fields: directive, dispatch (when there is one), report_to,
    addressees, exclude, obligations; a value the reader could not read is None."""
    loaded = yaml.safe_load(render_draft(draft, source_name=source_name, source_file=None))
    content: dict[str, Any] = _plain(loaded) if isinstance(loaded, dict) else {}
    content.setdefault("report_to", None)
    content["addressees"] = list(content.get("addressees") or [])
    content["exclude"] = list(content.get("exclude") or [])
    obligations = content.get("obligations") or []
    for ob, read in zip(obligations, draft.obligations, strict=False):
        if read.addressees is not None and "addressees" not in ob:
            ob["addressees"] = list(read.addressees)
        if read.cutoff is not None and "cutoff" not in ob:
            ob["cutoff"] = read.cutoff.model_dump(exclude_none=True)
    content["obligations"] = list(obligations)
    return content


def review_points(draft: DispatchDraft) -> list[dict[str, str | None]]:
    """The review points as plain data: where (the field path), message (English), message_vi
    (Vietnamese, when the reader gave one), sentence."""
    return [
        {"where": p.where, "message": p.message, "message_vi": p.message_vi, "sentence": p.sentence}
        for p in draft.review
    ]


def _plain(value: Any) -> Any:
    """Dates as ISO strings, mappings and sequences as dicts and lists (JSON-ready)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
