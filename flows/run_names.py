"""Flow-run names that say what a run does, in Vietnamese, on the dashboard's run list
("Ghi nhận báo cáo: 01 · annual-report · 2026", "Rà soát nhắc hạn 27/11/2026 08:00").

Each ``*_name(params)`` is pure (tested directly); the ``*_run_name`` callables are the flows'
``flow_run_name`` and read the run's parameters from Prefect's runtime.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from dondoc.flows.common import local_time
from dondoc.flows.forms import code_of

SEP = " · "


def _params() -> dict[str, Any]:
    from prefect.runtime import flow_run

    return dict(flow_run.parameters)


def _moment(value: object) -> str:
    """A run's ``at`` (absent, a datetime, or its ISO text from the API) as local dd/mm/yyyy
    HH:MM."""
    at = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{local_time(at if isinstance(at, dt.datetime) else None):%d/%m/%Y %H:%M}"


def sweep_name(p: dict[str, Any]) -> str:
    return f"Rà soát nhắc hạn {_moment(p.get('at'))}"


def send_now_name(p: dict[str, Any]) -> str:
    dry = " (chạy thử)" if p.get("dry_run", True) else ""
    return f"Gửi nhắc hạn ngay{dry} {_moment(p.get('at'))}"


def rollover_name(p: dict[str, Any]) -> str:
    return f"Tạo nhiệm vụ kỳ mới {_moment(p.get('at'))}"


def digest_name(p: dict[str, Any]) -> str:
    return f"Tổng hợp tuần {_moment(p.get('at'))}"


def submission_name(p: dict[str, Any]) -> str:
    """Named by codes even when the form sent "01 - Ủy ban nhân dân ..." options."""
    agency, obligation = code_of(str(p.get("agency"))), code_of(str(p.get("obligation")))
    return f"Ghi nhận báo cáo: {SEP.join([agency, obligation, str(p.get('period'))])}"


def synthesis_name(p: dict[str, Any]) -> str:
    return f"Tổng hợp kết quả: {p.get('directive')}{SEP}kỳ {p.get('period')}"


def load_name(p: dict[str, Any]) -> str:
    path = str(p.get("path") or "")
    if str(p.get("yaml") or "").strip() or not path.strip():
        return "Nạp chỉ thị: nội dung dán vào"
    return f"Nạp chỉ thị: {Path(path).name}"


def import_name(p: dict[str, Any]) -> str:
    named = str(p.get("path") or "").strip() or str(p.get("filename") or "dispatch.txt")
    return f"Nhập văn bản: {Path(named).name}"


def sweep_run_name() -> str:
    return sweep_name(_params())


def send_now_run_name() -> str:
    return send_now_name(_params())


def rollover_run_name() -> str:
    return rollover_name(_params())


def digest_run_name() -> str:
    return digest_name(_params())


def submission_run_name() -> str:
    return submission_name(_params())


def synthesis_run_name() -> str:
    return synthesis_name(_params())


def load_run_name() -> str:
    return load_name(_params())


def import_run_name() -> str:
    return import_name(_params())
