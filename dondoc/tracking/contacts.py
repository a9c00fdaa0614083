"""Import agencies' contacts from CSV: all rows or none, every error named by line and field."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlmodel import Session, col

from dondoc.db import rows_affected
from dondoc.errors import InputError
from dondoc.models import Agency, Contact, ContactCreate
from dondoc.models.text import first_problem
from dondoc.notifications.channels import normalise_target, validate_target

REQUIRED = ("agency", "channel", "target")
OPTIONAL = ("role", "name")
CHANNELS = ("email", "zalo", "zns", "apprise")
ROLES = ("focal", "leader")
MAX_REPORTED = 20
# A contacts file of every agency's focal points and leaders is a few hundred kB; 250,000 rows
# fit in about 20 MB. Anything bigger is a mistake (or an attack) and is read whole otherwise.
MAX_BYTES = 20 * 2**20


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    deactivated: int


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _decode(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"{path.name}: {size} bytes, more than a contacts file may hold "
            f"({MAX_BYTES // 2**20} MB); split it and import the parts",
            field="file",
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path.name}:{line}: not UTF-8 (byte {raw[exc.start]:#04x}); save the file as UTF-8",
            field="encoding",
        ) from exc


def _records(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank CSV record with the line it starts on (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(text))
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{path.name}:{start}: {_csv_problem(exc)}", field="row") from None
        if record:
            yield start, record
        start = reader.line_num + 1


def _csv_problem(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"field too large (more than {csv.field_size_limit()} characters)"
    return f"not valid CSV ({exc})"


def _check_header(path: Path, header: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    twice = sorted({c for c in header if header.count(c) > 1})
    problems = [f"missing column(s) {', '.join(missing)}"] if missing else []
    problems += [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
    problems += [f"duplicate column(s) {', '.join(twice)}"] if twice else []
    if problems:
        raise InputError(
            f"{path.name}:1: bad header ({'; '.join(problems)}); expected "
            f"{','.join(REQUIRED)} with optional {','.join(OPTIONAL)}, each once",
            field="header",
        )


def parse_contacts_csv(path: Path, agency_codes: set[str]) -> list[ContactCreate]:
    records = _records(path, _decode(path))
    first = next(records, None)
    header = [h.strip() for h in first[1]] if first else []
    _check_header(path, header)
    contacts, errors = [], []
    seen: dict[tuple[str, str, str], int] = {}
    for line, record in records:
        row = {k: nfc(v.strip()) for k, v in zip(header, record, strict=False)}
        try:
            contact = _contact(row, agency_codes)
        except ValueError as exc:
            errors.append(f"{path.name}:{line}: {exc}")
            continue
        key = (contact.agency, contact.channel, contact.target)
        if key in seen:
            errors.append(
                f"{path.name}:{line}: duplicate of line {seen[key]} (agency {contact.agency}, "
                f"{contact.channel} {contact.target})"
            )
            continue
        seen[key] = line
        contacts.append(contact)
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
    try:
        return ContactCreate(
            agency=agency,
            channel=channel,
            target=normalise_target(channel, target),
            role=role,
            name=row.get("name") or None,
        )
    except ValidationError as exc:
        raise ValueError(first_problem(exc)) from None


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
