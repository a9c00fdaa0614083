"""Every deployment, served by one process (`dondoc serve`)."""

from __future__ import annotations

from typing import Any

from prefect.schedules import Cron

from dondoc.config.settings import get_settings
from dondoc.flows.admin import digest_flow, load_directive_flow, rollover_flow, send_now_flow
from dondoc.flows.forms import (
    agency_choices,
    directive_choices,
    obligation_choices,
    with_choices,
)
from dondoc.flows.importing import import_dispatch_flow
from dondoc.flows.params import readable
from dondoc.flows.submission import record_submission_flow
from dondoc.flows.sweep import sweep_flow
from dondoc.flows.synthesis import synthesis_flow

TAGS = ["dondoc"]


def build_deployments() -> list[Any]:
    """Every deployment, its run form in Vietnamese (flows/params.py) with dropdowns."""
    return [readable(d) for d in _deployments()]


def _deployments() -> list[Any]:
    settings = get_settings()
    tz, hour = settings.timezone, settings.send_hour
    submission = record_submission_flow.to_deployment(
        name="record-submission",
        description="Ghi nhận báo cáo của một cơ quan và đóng nhiệm vụ (đúng hạn hoặc quá hạn).",
        tags=[*TAGS, "ad-hoc"],
    )
    synthesis = synthesis_flow.to_deployment(
        name="annual-synthesis",
        description="Tổng hợp tình hình thực hiện một chỉ thị trong một kỳ (Excel và bảng).",
        tags=[*TAGS, "ad-hoc"],
    )
    return [
        sweep_flow.to_deployment(
            name="daily-sweep",
            # Every day at the send hour; on a non-working day the flow sends nothing and says so.
            schedules=[Cron(f"0 {hour} * * *", timezone=tz)],
            description="Rà soát hằng ngày: tạo nhiệm vụ, cập nhật trạng thái, gửi nhắc hạn.",
            tags=[*TAGS, "scheduled"],
        ),
        rollover_flow.to_deployment(
            name="period-rollover",
            schedules=[Cron("5 0 1 * *", timezone=tz)],
            description="Tạo nhiệm vụ cho kỳ mới và cập nhật trạng thái (không gửi thư).",
            tags=[*TAGS, "scheduled"],
        ),
        digest_flow.to_deployment(
            name="weekly-digest",
            schedules=[Cron(f"0 {hour} * * 1", timezone=tz)],
            description="Tổng hợp hằng tuần gửi đơn vị đầu mối: nhiệm vụ quá hạn và sắp đến hạn.",
            tags=[*TAGS, "scheduled"],
        ),
        send_now_flow.to_deployment(
            name="send-reminders-now",
            description="Gửi ngay các nhắc hạn đến hạn; mặc định chạy thử (dry run), không gửi.",
            tags=[*TAGS, "ad-hoc"],
        ),
        with_choices(submission, {"agency": agency_choices(), "obligation": obligation_choices()}),
        with_choices(synthesis, {"directive": directive_choices()}),
        load_directive_flow.to_deployment(
            name="load-directive",
            description="Nạp hoặc cập nhật tệp đặc tả chỉ thị (YAML) trên máy chủ dondoc.",
            tags=[*TAGS, "ad-hoc"],
        ),
        import_dispatch_flow.to_deployment(
            name="import-dispatch",
            description="Đọc văn bản (công văn, chỉ thị) và lập bản nháp đặc tả để rà soát.",
            tags=[*TAGS, "ad-hoc"],
        ),
    ]


def serve_all() -> None:
    from prefect import serve

    serve(*build_deployments())
