"""The template data of a ZNS message (``RenderedMessage.template_data``): one fixed mapping,
so the template approved by Zalo declares exactly these parameters.

* ``agency_name``: the agency reminded ("Ủy ban nhân dân thành phố Hà Nội");
* ``obligation``: the most urgent task (earliest last day), with "(và N nhiệm vụ khác)" added
  when the message covers more ("Báo cáo kết quả thực hiện Chỉ thị số 24/CT-TTg");
* ``period``: that task's period ("2026");
* ``due_date``: its last acceptable day, dd/mm/yyyy ("09/12/2026");
* ``days_left``: days left as a number, 0 on the day and once overdue ("14");
* ``status_text``: the same in words ("còn 14 ngày", "hạn chót là hôm nay", "đã quá hạn 3 ngày").

Every value is an NFC string of at most ``VALUE_MAX`` characters (cut with "…"); an approved
template's own parameter limits may be lower, so keep its parameters at least this long.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .wording import days_phrase, nfc, vn_date

if TYPE_CHECKING:
    from .message import MessageContext

KEYS = ("agency_name", "obligation", "period", "due_date", "days_left", "status_text")
VALUE_MAX = 100


def _fit(text: str, limit: int = VALUE_MAX) -> str:
    text = " ".join(nfc(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def template_data(ctx: MessageContext) -> dict[str, str]:
    """The ZNS template data for one reminder (see the table above)."""
    if not ctx.lines:
        raise ValueError("a message needs at least one task line")
    first = min(ctx.lines, key=lambda line: line.due_day)
    others = len(ctx.lines) - 1
    suffix = f" (và {others} nhiệm vụ khác)" if others else ""
    obligation = _fit(first.obligation_title, VALUE_MAX - len(suffix)) + suffix
    return {
        "agency_name": _fit(ctx.agency_name),
        "obligation": obligation,
        "period": _fit(first.period_label),
        "due_date": vn_date(first.due_day),
        "days_left": str(max(first.days_left, 0)),
        "status_text": _fit(days_phrase(first.days_left)),
    }
