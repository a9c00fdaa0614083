"""The other lifecycle steps: send now (with a dry run), period roll-over, the weekly digest
and loading a directive spec."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from dondoc.config.settings import get_settings
from dondoc.db import engine_for
from dondoc.flows.artifacts import board_url, publish_boards
from dondoc.flows.common import context_at, local_time
from dondoc.flows.params import At, blank_to_none, vi
from dondoc.flows.run_names import (
    digest_run_name,
    load_run_name,
    rollover_run_name,
    send_now_run_name,
)
from dondoc.flows.spec_input import load_spec_parameter
from dondoc.flows.sweep import sweep_flow
from dondoc.reports.digest import coordinator_targets, digest_lines, send_digest
from dondoc.tracking.sweep import PlannedMessage, plan_step, preview


def _preview_markdown(planned: list[PlannedMessage], at: dt.datetime) -> str:
    lines = [f"# Dự kiến gửi ({len(planned)} lượt nhắc) — {at:%d/%m/%Y %H:%M}", ""]
    if planned:
        lines += [
            "| Mã | Cơ quan | Nhiệm vụ | Kỳ | Mốc | Kênh | Người nhận |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {p.agency} | {p.agency_name} | {p.obligation} | {p.period} | {p.stage} "
            f"| {p.channel} | {p.recipient} |"
            for p in planned
        ]
    else:
        lines.append("Không có nhắc hạn nào đến hạn gửi.")
    return "\n".join(lines) + "\n"


@flow(name="send-reminders-now", flow_run_name=send_now_run_name)
def send_now_flow(
    dry_run: Annotated[
        bool,
        vi(
            "Chạy thử (không gửi)",
            "Bật: chỉ xem trước ai sẽ nhận nhắc hạn nào, không gửi, không lưu gì. Tắt: gửi thật.",
        ),
    ] = True,
    at: At = None,
) -> dict[str, object]:
    """Send the reminders that are due now. With a dry run (the default) nothing is sent or
    stored: the run shows who would get what."""
    ctx = context_at(at)
    if not dry_run:
        return sweep_flow(at=ctx.now)
    planned = preview(engine_for(ctx.settings), ctx)
    local = local_time(ctx.now)
    create_markdown_artifact(
        key="send-now-preview", markdown=_preview_markdown(planned, local),
        description="Xem trước: những gì sẽ được gửi nếu chạy thật. "
        f"[Mở bảng theo dõi]({board_url()})",
    )  # fmt: skip
    publish_boards(ctx.now)
    return {"dry_run": True, "would_send": len(planned)}


@flow(name="period-rollover", flow_run_name=rollover_run_name)
def rollover_flow(at: At = None) -> dict[str, object]:
    """Make the coming periods' tasks, refresh statuses and hand dissolved agencies' open tasks
    to their successors (no messages)."""
    ctx = context_at(at)
    plan = plan_step(engine_for(ctx.settings), ctx)
    return {
        "tasks_created": plan.created,
        "status_changes": plan.changes,
        "tasks_transferred": plan.transferred,
    }


@flow(name="weekly-digest", flow_run_name=digest_run_name)
def digest_flow(at: At = None) -> dict[str, object]:
    """The coordinator's digest of overdue and due-soon tasks, by email and as an artifact."""
    ctx = context_at(at)
    overdue, soon = digest_lines(ctx)
    results = send_digest(ctx)
    for target, result in results:
        if not result.ok:
            get_run_logger().warning("digest to %s failed: %s", target, result.error)
    if not coordinator_targets(ctx):
        get_run_logger().warning("DONDOC_COORDINATOR_CONTACTS is empty: the digest went nowhere")
    rows = "\n".join(
        f"| {o.agency} | {o.agency_name} | {o.obligation_title} | {o.period} | {o.due} "
        f"| {o.days_late} |"
        for o in overdue
    )
    create_markdown_artifact(
        key="weekly-digest",
        markdown=(
            f"# Tổng hợp tuần: {len(overdue)} quá hạn, {len(soon)} sắp đến hạn\n\n"
            "| Mã | Cơ quan | Nhiệm vụ | Kỳ | Hạn | Số ngày quá hạn |\n|---|---|---|---|---|---|\n"
            f"{rows}\n"
        ),
        description="Nhiệm vụ quá hạn và sắp đến hạn. [Các nhiệm vụ quá hạn trên bảng theo dõi]"
        f"({board_url('/bang-theo-doi', {'status': 'overdue'})})",
    )
    return {"overdue": len(overdue), "due_soon": len(soon), "sent_to": [t for t, _ in results]}


@flow(name="load-directive", flow_run_name=load_run_name)
def load_directive_flow(
    yaml: Annotated[
        str,
        vi(
            "Nội dung đặc tả (YAML)",
            "Dán toàn bộ nội dung tệp đặc tả chỉ thị; để trống nếu chọn tệp ở ô dưới.",
        ),
    ] = "",
    path: Annotated[
        str,
        vi(
            "Tên tệp đặc tả",
            "Tên một tệp trong thư mục đặc tả trên máy chủ (DONDOC_SPECS_DIR, mặc định ./specs), "
            "ví dụ 24-CT-TTg.yaml; để trống nếu đã dán nội dung.",
        ),
    ] = "",
) -> dict[str, object]:
    """Load or update a directive spec: paste its YAML (`yaml`), or give the name of a spec
    file in the specs folder DONDOC_SPECS_DIR (`path`); no other file can be read."""
    settings = get_settings()
    result = load_spec_parameter(
        settings, context_at(None, settings), yaml=blank_to_none(yaml), path=blank_to_none(path)
    )
    for warning in result.warnings:
        get_run_logger().warning("warning: %s", warning)
    return {"directive": result.directive, "directive_year": result.directive_year,
            "obligations": result.obligations, "tasks_created": result.tasks_created,
            "warnings": list(result.warnings)}  # fmt: skip
