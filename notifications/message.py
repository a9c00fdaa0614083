"""What a reminder message says (the tasks an agency owes, to whom, from whom) and what
rendering it makes of it: plain data, shared by the renderer, the ZNS parameters and delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TaskLine:
    obligation_code: str
    obligation_title: str  # "Báo cáo kết quả thực hiện Chỉ thị số 24/CT-TTg"
    directive_number: str  # "24/CT-TTg"
    dispatch_number: str | None  # "351/BXD-PTĐT"
    dispatch_date: date | None
    period_label: str  # "2026"
    due_day: date  # last acceptable day
    days_left: int  # >0 days left, 0 = due today, <0 = days late
    phrase: str  # "trước ngày 10 tháng 12 hàng năm"
    report_to: str | None  # where to send the report
    # A task taken over from a dissolved agency: "Ủy ban nhân dân tỉnh Hà Giang (đến 30/06/2025)"
    inherited_from: str | None = None
    # The directive's date of issue: numbers restart yearly, so the date tells 24/CT-TTg of
    # 2016 from that of 2012 ("Chỉ thị số 24/CT-TTg ngày 02/08/2016").
    directive_date: date | None = None


@dataclass(frozen=True)
class MessageContext:
    agency_code: str
    agency_name: str  # "Ủy ban nhân dân thành phố Hà Nội"
    recipient_name: str | None
    lines: tuple[TaskLine, ...]  # all the agency owes in this message
    today: date  # local date of the sweep
    sender_name: str  # "Cục Phát triển đô thị - Bộ Xây dựng"
    escalation: bool = False  # leaders copied (7+ days overdue)


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str
    compact: str = ""  # the whole message for chat apps (Zalo), <= render.COMPACT_LIMIT characters
    # ZNS template parameters (zns_data.template_data), as pairs so the message stays hashable
    template_data: tuple[tuple[str, str], ...] = ()
