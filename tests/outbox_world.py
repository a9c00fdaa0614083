"""Shared set-up for the delivery tests: a database with the seed directive, a few contacts,
reminders queued (not sent) at the 14-day stage of the 2026 annual report, and reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from dondoc.config.settings import Settings
from dondoc.context import RunContext, make_context
from dondoc.db import engine_for, transaction
from dondoc.engine.deadlines import local_date
from dondoc.models import Notification, SubmissionCreate, Task
from dondoc.service import import_contacts_file, init, submit
from dondoc.tracking.sweep import plan_step, queue_step

VN = dt.timezone(dt.timedelta(hours=7))
T14 = dt.datetime(2026, 11, 25, 8, 30, tzinfo=VN)  # 14 days before 09/12/2026, a Wednesday


def make_world(database_url: str, tmp_path: Path, contacts: str, **extra: Any) -> Settings:
    """``contacts``: CSV rows ``agency,channel,target,role``."""
    settings = Settings(database_url=database_url, outbox_dir=tmp_path / "outbox", **extra)
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    csv = tmp_path / "contacts.csv"
    csv.write_text("agency,channel,target,role\n" + contacts, encoding="utf-8")
    import_contacts_file(settings, csv, replace=False)
    return settings


def queue_only(settings: Settings, at: dt.datetime = T14) -> tuple[Engine, RunContext]:
    """What a sweep does before delivering: plan, then queue the due reminders."""
    engine, ctx = engine_for(settings), make_context(settings, at)
    plan_step(engine, ctx)
    assert queue_step(engine, ctx) > 0
    return engine, ctx


def report(settings: Settings, at: dt.datetime, agency: str) -> Task:
    """Record the 2026 annual report of ``agency``, received on ``at``'s day."""
    ctx = make_context(settings, at)
    data = SubmissionCreate(
        agency=agency,
        obligation="annual-report",
        period="2026",
        document_number=f"9/BC-{agency}",
        received_on=local_date(ctx.now, ctx.tz),
    )
    return submit(settings, ctx, data)


def outbox(settings: Settings) -> list[Notification]:
    with transaction(engine_for(settings)) as session:
        return list(session.execute(select(Notification).order_by(Notification.id)).scalars())
