"""Run forms a non-programmer can fill: agencies and obligations as dropdowns.

Prefect renders a JSON-schema ``enum`` as a dropdown. The options read "CODE - name" so the
form is legible; flows accept either that or the bare code.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import col

from dondoc.config.settings import get_settings
from dondoc.db import engine_for, transaction
from dondoc.models import Agency, Assignment, Document, Obligation, Task
from dondoc.reports.directive_ref import directive_ref
from dondoc.reports.directives import directive_choices as stored_directives

SEPARATOR = " - "


def code_of(value: str) -> str:
    return value.split(SEPARATOR, 1)[0].strip()


def choice(code: str, label: str) -> str:
    return f"{code}{SEPARATOR}{label}"


def agency_choices() -> list[str]:
    """Agencies a submission may name: bound by an obligation and existing, or the origin of a
    task (a dissolved province whose report its successor still owes)."""
    bound = select(col(Assignment.agency_id)).distinct()
    assigned = select(col(Task.origin_agency_id)).distinct()
    query = (
        select(Agency)
        .where(
            or_(
                and_(col(Agency.id).in_(bound), col(Agency.dissolved_on).is_(None)),
                col(Agency.id).in_(assigned),
            )
        )
        .order_by(col(Agency.code))
    )
    with transaction(engine_for(get_settings())) as session:
        return [choice(a.code, a.name) for a in session.execute(query).scalars()]


def obligation_choices() -> list[str]:
    """One option per obligation of each directive: "annual-report - Báo cáo ...
    [24/CT-TTg/2016]"; two directives may share a code (directive_in_choice reads it back)."""
    query = (
        select(
            col(Obligation.code), col(Document.number), col(Document.year), col(Obligation.title)
        )
        .join(Document, col(Document.id) == col(Obligation.directive_id))
        .order_by(col(Document.number), col(Document.year), col(Obligation.code))
    )
    with transaction(engine_for(get_settings())) as session:
        found = session.execute(query).tuples().all()
    return [
        choice(code, f"{title} [{directive_ref(number, year)}]")
        for code, number, year, title in found
    ]


def directive_in_choice(value: str) -> str | None:
    """The directive an obligation option names ("... [24/CT-TTg/2016]"), or None."""
    found = re.search(r"\[([^\[\]]+)\]\s*$", value) if SEPARATOR in value else None
    return found[1].strip() if found else None


def directive_choices() -> list[str]:
    """Every directive as --directive takes it, "24/CT-TTg/2016", by number then year."""
    with transaction(engine_for(get_settings())) as session:
        return [c.ref for c in stored_directives(session)]


def with_choices(deployment: Any, choices: dict[str, list[str]]) -> Any:
    """Add dropdown options to a deployment's parameter schema (only non-empty lists)."""
    properties = deployment._parameter_openapi_schema.properties
    for name, options in choices.items():
        if options and name in properties:
            properties[name]["enum"] = options
            properties[name].pop("anyOf", None)
            properties[name]["type"] = "string"
            if properties[name].get("default", options[0]) not in options:
                del properties[name]["default"]  # a default the form could not show
    return deployment


def resolve_choice(value: str, options: list[str]) -> str:
    """What `dondoc run -p agency=01` means on a form whose options read "01 - ...", and
    `-p directive=24/CT-TTg` on one whose options read "24/CT-TTg/2016" (while only one year of
    that number is offered)."""
    if not options or value in options:
        return value
    matches = [o for o in options if value in (code_of(o), re.sub(r"/\d{4}$", "", o))]
    return matches[0] if len(matches) == 1 else value
