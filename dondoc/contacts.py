"""Import agencies' contacts from CSV: all rows or none, every error named by line and field."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlmodel import Session, col

from dondoc.db import rows_affected
from dondoc.errors import InputError
from dondoc.models import Agency, Contact, ContactCreate
from dondoc.notifications.channels import normalise_target, validate_target

REQUIRED = ("agency", "channel", "target")
OPTIONAL = ("role", "name")
CHANNELS = ("email", "zalo", "zns", "apprise")
ROLES = ("focal", "leader")
MAX_REPORTED = 20


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    deactivated: int


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path.name}:{line}: not UTF-8 (byte {raw[exc.start]:#04x}); save the file as UTF-8",
            field="encoding",
        ) from exc


def parse_contacts_csv(path: Path, agency_codes: set[str]) -> list[ContactCreate]:
    reader = csv.DictReader(io.StringIO(_decode(path)))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unknown:
        problems = [f"missing column(s) {', '.join(missing)}"] if missing else []
        problems += [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        raise InputError(
            f"{path.name}:1: bad header ({'; '.join(problems)}); expected "
            f"{','.join(REQUIRED)} with optional {','.join(OPTIONAL)}",
            field="header",
        )
    contacts, errors = [], []
    for raw in reader:
        row = {k.strip(): nfc((v or "").strip()) for k, v in raw.items() if k is not None}
        line = reader.line_num
        try:
            contacts.append(_contact(row, agency_codes))
        except ValueError as exc:
            errors.append(f"{path.name}:{line}: {exc}")
    if errors:
        shown = errors[:MAX_REPORTED]
        more = f"\n... and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
        raise InputError("\n".join(shown) + more, field="row")
    if not contacts:
        raise InputError(f"{path.name}: no contact rows", field="row")
    return contacts


def _contact(row: dict[str, str], agency_codes: set[str]) -> ContactCreate:
    agency, channel = row.get("agency", ""), row.get("channel", "").lower()
    role = row.get("role") or "focal"
    if agency not in agency_codes:
        raise ValueError(f"agency: unknown agency code {agency!r}")
    if channel not in CHANNELS:
        raise ValueError(f"channel: {channel!r} is not one of {', '.join(CHANNELS)}")
    if role not in ROLES:
        raise ValueError(f"role: {role!r} is not one of {', '.join(ROLES)}")
    target = row.get("target", "")
    problem = validate_target(channel, target)
    if problem:
        raise ValueError(f"target: {problem}")
    return ContactCreate(
        agency=agency,
        channel=channel,
        target=normalise_target(channel, target),
        role=role,
        name=row.get("name") or None,
    )


def import_contacts(
    *, session: Session, rows: Sequence[ContactCreate], replace: bool = False
) -> ImportResult:
    """Upsert by (agency, channel, target). With ``replace`` the agencies named in the file
    keep only the contacts the file lists (the others are deactivated, never deleted)."""
    agencies = {a.code: a for a in session.execute(select(Agency)).scalars()}
    existing = {
        (c.agency_id, c.channel, c.target): c for c in session.execute(select(Contact)).scalars()
    }
    created = updated = 0
    kept: set[int] = set()
    for row in rows:
        agency_id = agencies[row.agency].id or 0
        contact = existing.get((agency_id, row.channel, row.target))
        if contact is None:
            contact = Contact(agency_id=agency_id, channel=row.channel, target=row.target)
            existing[(agency_id, row.channel, row.target)] = contact
            created += 1
        else:
            updated += 1
        contact.role, contact.name, contact.active = row.role, row.name, True
        contact.flagged_at, contact.flag_reason = None, None  # re-imported: checked again
        session.add(contact)
        session.flush()
        kept.add(contact.id or 0)
    deactivated = 0
    if replace:
        agency_ids = {agencies[r.agency].id for r in rows}
        result = session.execute(
            update(Contact)
            .where(col(Contact.agency_id).in_(agency_ids), col(Contact.id).not_in(kept))
            .values(active=False)
        )
        deactivated = rows_affected(result)
    return ImportResult(created=created, updated=updated, deactivated=deactivated)
