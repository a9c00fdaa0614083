"""A recipient that a channel rejects for good (unknown chat id, invalid phone) is flagged:
nothing more goes to it, the coordinator is told, and the other recipients are unaffected."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col

from dondoc.context import RunContext
from dondoc.db import rows_affected, transaction
from dondoc.engine.deadlines import local_date
from dondoc.models import Agency, Contact, Event
from dondoc.notifications.channels import privacy_url
from dondoc.notifications.render import render_named
from dondoc.notifications.wording import vn_date
from dondoc.reports.digest import send_to_coordinator

CHANNEL_NAMES_VI = {"email": "thư điện tử", "zalo": "Zalo", "zns": "Zalo ZNS", "apprise": "Apprise"}


def display_target(contact: Contact) -> str:
    """A recipient as it may be shown: an Apprise URL target can hold a token."""
    return privacy_url(contact.target) if contact.channel == "apprise" else contact.target


def flag_contact(
    engine: Engine, ctx: RunContext, contact: Contact, agency: Agency, reason: str
) -> bool:
    """Flag the contact once; returns whether this call flagged it (and so alerted)."""
    with transaction(engine) as session:
        won = rows_affected(
            session.execute(
                update(Contact)
                .where(col(Contact.id) == contact.id, col(Contact.flagged_at).is_(None))
                .values(flagged_at=ctx.now, flag_reason=reason)
            )
        )
        if won:
            session.add(
                Event(
                    at=ctx.now,
                    kind="contact_flagged",
                    agency_id=agency.id,
                    detail=f"{contact.channel}:{display_target(contact)}: {reason}",
                )
            )
    if won:
        alert_coordinator(ctx, contact, agency, reason)
    return bool(won)


def alert_coordinator(ctx: RunContext, contact: Contact, agency: Agency, reason: str) -> None:
    subject = f"[Cảnh báo] Không gửi được thông báo tới {agency.name}"
    message = render_named(
        "alert",
        subject=subject,
        sender_name=ctx.settings.sender_name,
        agency_name=agency.name,
        agency_code=agency.code,
        channel=CHANNEL_NAMES_VI.get(contact.channel, contact.channel),
        target=display_target(contact),
        reason=reason,
        today=vn_date(local_date(ctx.now, ctx.tz)),
    )
    send_to_coordinator(ctx, message)
