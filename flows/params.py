"""How a deployment's parameters read on Prefect's run form: a Vietnamese title and help for
every field, dates as date pickers, and no "None" toggle on a field a coordinator fills.

Prefect builds the form's JSON schema from the flow's signature and titles every field with its
Python name (its own ``Field(title=name)`` overrides a title given in ``Annotated``); a
``json_schema_extra`` is merged after that, so the Vietnamese title goes there.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema


def vi(title: str, description: str) -> Any:
    """The form's label and help text for one parameter (use inside ``Annotated``)."""
    return Field(json_schema_extra={"title": title, "description": description})


# "As of when": a date-time picker left empty for "now". The null branch is kept out of the
# schema (SkipJsonSchema), so the form shows a picker rather than a type toggle.
At = Annotated[
    dt.datetime | SkipJsonSchema[None],
    vi(
        "Thời điểm thực hiện",
        "Để trống: thực hiện ngay bây giờ. Chỉ điền khi cần chạy lại hoặc diễn tập cho một "
        "thời điểm khác (giờ Việt Nam).",
    ),
]


def blank_to_none(value: str) -> str | None:
    """A text field left empty (or blank) on the form means "not given"."""
    return value if value.strip() else None


def readable(deployment: Any) -> Any:
    """Drop the ``default: null`` Prefect writes for a parameter whose schema has no null type
    (``At``): the form then leaves the field empty and sends nothing, which means "now"."""
    for spec in deployment._parameter_openapi_schema.properties.values():
        if "default" in spec and spec["default"] is None:
            del spec["default"]
    return deployment
