"""Why a report was not recorded (or withdrawn), in Vietnamese and naming the value: what the
web board's task page shows and what `dondoc submit` prints before the English message.

The checks themselves (dondoc.tracking.submissions, submission_bounds) raise English errors with
``field`` and ``value``; this module only words them for the coordinator. Figures the error does
not carry as attributes (the directive's issue date, the tracked range, a successor) are read
back from its English text, which the tests of both wordings pin together.
"""

from __future__ import annotations

import datetime as dt
import re

from dondoc.errors import ConflictError, DondocError, InputError, NotFoundError

WEB_CONFIRM = "Nếu đúng là vậy (diễn tập), hãy đánh dấu ô xác nhận."
CLI_CONFIRM = "Nếu đúng là vậy (diễn tập), hãy thêm --allow-future."

FIELD_LABELS_VI = {
    "agency": "Mã cơ quan",
    "obligation": "Mã nhiệm vụ",
    "period": "Kỳ báo cáo",
    "directive": "Số hiệu chỉ thị",
    "year": "Năm ban hành",
    "document": "Số, ký hiệu văn bản",
    "document_number": "Số, ký hiệu văn bản",
    "note": "Ghi chú",
    "reason": "Lý do",
}
CLOSED_VI = {
    "done_on_time": "hoàn thành đúng hạn",
    "done_late": "hoàn thành quá hạn",
    "waived": "không phải thực hiện",
}


def dmy(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def parse_day(text: str) -> dt.date:
    """A received date typed as dd/mm/yyyy (as officials write it) or YYYY-MM-DD."""
    value = text.strip()
    try:
        if "/" in value:
            day, month, year = (int(p) for p in value.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"received-on {value!r} is not a real date in dd/mm/yyyy or YYYY-MM-DD form",
            field="received_on",
            value=value,
        ) from None


def _found(pattern: str, text: str) -> re.Match[str] | None:
    return re.search(pattern, text)


def _received(
    exc: DondocError, received: dt.date | None, today: dt.date, issued: dt.date | None, hint: str
) -> str | None:
    text = str(exc)
    if "not a real date" in text:
        return f"Ngày nhận «{exc.value}» không phải là một ngày hợp lệ (dd/mm/yyyy)."
    if received is None:
        return None
    if "after today" in text:
        return (
            f"Ngày nhận {dmy(received)} sau ngày hôm nay ({dmy(today)}): không thể nhận "
            f"báo cáo trong tương lai. {hint}"
        )
    if "before directive" in text:
        if issued is None and (m := _found(r"was issued \((\d{4}-\d\d-\d\d)\)", text)):
            issued = dt.date.fromisoformat(m[1])
        when = f" ({dmy(issued)})" if issued else ""
        return f"Ngày nhận {dmy(received)} trước ngày ban hành chỉ thị{when}: không được ghi nhận."
    return None


def _period(exc: DondocError) -> str | None:
    text = str(exc)
    if "outside the periods" in text:
        said = f"Kỳ {exc.value} không thuộc các kỳ chỉ thị giao cho cơ quan này."
        if m := _found(r"\((\S+) to (\S+)\)$", text):
            said += f" Các kỳ đang theo dõi: từ {m[1]} đến {m[2]}."
        return said
    if "already closed" in text:
        m = _found(r"^(\S+) (\S+) (\S+) is already closed \((\w+)\)", text)
        if m is None:
            return "Nhiệm vụ này đã có báo cáo được ghi nhận: hãy rút báo cáo cũ trước khi sửa."
        closed = CLOSED_VI.get(m[4], m[4])
        return (
            f"Nhiệm vụ {m[2]} kỳ {m[3]} của cơ quan {m[1]} đã có báo cáo được ghi nhận "
            f"({closed}): hãy rút báo cáo cũ trước khi sửa."
        )
    return (
        f"Kỳ «{exc.value}» không đúng dạng kỳ của nhiệm vụ này "
        "(ví dụ 2026 cho năm, 2026-Q1 cho quý, 2026-05 cho tháng, once cho một lần)."
    )


def _agency(exc: DondocError) -> str | None:
    text = str(exc)
    if "unknown agency" in text:
        return f"Không có cơ quan nào mang mã «{exc.value}»."
    if m := _found(r"is not bound by obligation '(.+)'", text):
        return f"Chỉ thị không giao nhiệm vụ «{m[1]}» cho cơ quan «{exc.value}»."
    if m := _found(r"ceased to exist on (\S+) and owes no task for period '(.+?)'", text):
        said = f"Cơ quan «{exc.value}» đã thôi hoạt động từ ngày {m[1]}, không nợ báo cáo kỳ {m[2]}"
        heir = _found(r"its successor '(.+?)' owes it", text)
        return said + (f"; cơ quan kế thừa «{heir[1]}» báo cáo thay." if heir else ".")
    return None


def _obligation(exc: DondocError) -> str | None:
    if not isinstance(exc, NotFoundError):
        return None
    m = _found(r"for directive '(.+)'", str(exc))
    where = f" trong chỉ thị {m[1]}" if m else ""
    return f"Không có nhiệm vụ nào mang mã «{exc.value}»{where}."


def _directive(exc: DondocError) -> str | None:
    """A directive named by its number alone when several years share it, or not at all."""
    text = str(exc)
    if m := _found(r"names several directives: (.+); add the year \((.+)\)$", text):
        return (
            f"Số hiệu «{exc.value}» ứng với nhiều chỉ thị: {m[1]}. "
            f"Hãy ghi rõ năm ban hành, ví dụ {m[2]}."
        )
    if m := _found(r"^unknown directive '(.+?)'", text):
        said = f"Không có chỉ thị nào mang số hiệu «{m[1]}»."
        known = _found(r"; known: (.+)$", text)
        return said + (f" Các chỉ thị cùng số hiệu: {known[1]}." if known else "")
    if m := _found(r"obligation '(.+?)' exists in several directives \((.+)\)", text):
        return (
            f"Mã nhiệm vụ «{m[1]}» có ở nhiều chỉ thị ({m[2]}): "
            "hãy nêu số hiệu chỉ thị kèm năm ban hành."
        )
    if m := _found(r"obligation '(.+?)'", text):
        return f"Mã nhiệm vụ «{m[1]}» có ở nhiều chỉ thị: hãy nêu số hiệu chỉ thị."
    if "needs" in text:
        return "Năm ban hành đi kèm số hiệu chỉ thị: hãy nêu cả số hiệu chỉ thị."
    return None


def _year(exc: DondocError) -> str | None:
    text = str(exc)
    if m := _found(r"names the year (\d+) but .+ says (\d+)", text):
        return (
            f"Số hiệu chỉ thị ghi năm {m[1]} nhưng năm ban hành nêu riêng là {m[2]}:"
            " hãy ghi năm một lần."
        )
    if "is not a year" in text:
        return f"Năm ban hành «{exc.value}» không hợp lệ."
    return None


def _control(exc: DondocError) -> str | None:
    m = _found(r"control character (U\+[0-9A-F]{4})", str(exc))
    if m is None:
        return None
    field = exc.field or ""
    if field not in FIELD_LABELS_VI and (named := _found(r"--([a-z-]+)", str(exc))):
        field = named[1]  # a pydantic refusal of the CLI names its option
    label = FIELD_LABELS_VI.get(field, "Nội dung")
    return f"{label} chứa ký tự điều khiển {m[1]}, không được phép."


def message_vi(
    exc: DondocError,
    received: dt.date | None,
    today: dt.date,
    issued: dt.date | None = None,
    *,
    confirm_hint: str = WEB_CONFIRM,
) -> str:
    """The known errors of a record or withdrawal in Vietnamese, naming the value; any other
    error's own text. ``confirm_hint`` says how to accept a future date where it was typed."""
    text = str(exc)
    said = _control(exc)
    if said is None and exc.field == "received_on":
        said = _received(exc, received, today, issued, confirm_hint)
    elif said is None and exc.field == "period":
        said = _period(exc)
    elif said is None and exc.field == "agency":
        said = _agency(exc)
    elif said is None and exc.field == "obligation":
        said = _obligation(exc)
    elif said is None and exc.field == "directive":
        said = _directive(exc)
    elif said is None and exc.field == "year":
        said = _year(exc)
    if said is not None:
        return said
    if isinstance(exc, ConflictError) and "no submission to withdraw" in text:
        return "Nhiệm vụ này chưa có báo cáo nào để rút."
    if exc.field in ("document", "document_number"):
        if not str(exc.value or "").strip():
            return "Hãy nhập số, ký hiệu văn bản báo cáo."
        return f"Số, ký hiệu văn bản «{exc.value}» không hợp lệ."
    if exc.field in ("note", "reason"):
        return "Nội dung có ký tự điều khiển không hợp lệ."
    return text
