"""The coordinator's weekly digest: every overdue and due-soon task, across directives."""

from __future__ import annotations

from dataclasses import dataclass

from dondoc.context import RunContext
from dondoc.db import engine_for, transaction
from dondoc.engine.deadlines import days_between, local_date
from dondoc.notifications.channels import apprise_url_for, configured_secrets, privacy_url
from dondoc.notifications.deliver import DeliveryResult, deliver
from dondoc.notifications.message import RenderedMessage
from dondoc.notifications.render import render_named
from dondoc.notifications.wording import vn_date
from dondoc.reports.board import BoardRow, board_rows
from dondoc.reports.board_format import row_directive


@dataclass(frozen=True)
class DigestLine:
    agency: str
    agency_name: str
    obligation_title: str
    period: str
    due: str
    days_late: int
    reminders_sent: int
    directive: str = ""  # "24/CT-TTg (2016)": two years of one number stay apart


def _line(row: BoardRow, ctx: RunContext) -> DigestLine:
    assert row.due_date is not None
    late = max(0, days_between(row.due_date, local_date(ctx.now, ctx.tz)))
    return DigestLine(row.agency, row.agency_name, row.obligation_title, row.period,
                      vn_date(row.due_date), late, row.reminders_sent,
                      row_directive(row))  # fmt: skip


def digest_lines(ctx: RunContext) -> tuple[list[DigestLine], list[DigestLine]]:
    with transaction(engine_for(ctx.settings)) as session:
        rows = board_rows(session=session)
    overdue = [_line(r, ctx) for r in rows if r.status == "overdue"]
    soon = [_line(r, ctx) for r in rows if r.status == "due_soon"]
    overdue.sort(key=lambda line: (-line.days_late, line.agency))
    return overdue, soon


def render_digest(ctx: RunContext) -> RenderedMessage:
    overdue, soon = digest_lines(ctx)
    today = vn_date(local_date(ctx.now, ctx.tz))
    subject = f"[Tổng hợp tuần] {len(overdue)} nhiệm vụ quá hạn, {len(soon)} sắp đến hạn - {today}"
    return render_named(
        "digest",
        subject=subject,
        today=today,
        overdue=overdue,
        due_soon=soon,
        sender_name=ctx.settings.sender_name,
    )


def coordinator_targets(ctx: RunContext) -> list[str]:
    raw = ctx.settings.coordinator_contacts
    return [t.strip() for t in raw.split(",") if t.strip()]


def send_to_coordinator(
    ctx: RunContext, message: RenderedMessage
) -> list[tuple[str, DeliveryResult]]:
    """``message`` to each coordinator contact (an email address or an Apprise URL), each
    shown as it may be printed (an Apprise URL only through its privacy form)."""
    results = []
    for target in coordinator_targets(ctx):
        channel = "apprise" if "://" in target else "email"
        url = apprise_url_for(channel, target, ctx.settings)
        shown = privacy_url(target) if channel == "apprise" else target
        results.append((shown, deliver(url, message, secrets=configured_secrets(ctx.settings))))
    return results


def send_digest(ctx: RunContext) -> list[tuple[str, DeliveryResult]]:
    return send_to_coordinator(ctx, render_digest(ctx))
