"""Calendar feeds (iCalendar, RFC 5545): one all-day event per task on its last acceptable day,
with the reminder policy as alarms. Pure: the events come in, the bytes go out.

Closed tasks stay in the feed as events marked "(đã hoàn thành)" rather than VTODOs or
cancelled events: calendar apps that subscribe to feeds show VEVENTs everywhere (many ignore
VTODO), and a cancelled event would read as "the deadline was withdrawn"."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Alarm, Calendar, Event, vDuration

from dondoc.engine.deadlines import OPEN_STATUSES
from dondoc.engine.periods import period_label_vi
from dondoc.reports.board import STATUS_LABELS_VI
from dondoc.reports.synthesis_md import DOC_TYPES_VI

__all__ = ["FeedEvent", "build_feed", "directive_citation", "event_uid", "sequence_of", "slug"]

PRODID = "-//dondoc//Theo doi nhiem vu chi thi//VI"
REFRESH = dt.timedelta(hours=6)  # how often subscribed apps should fetch the feed again
_SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
_MARKS = {
    "done_on_time": " (đã hoàn thành)",
    "done_late": " (đã hoàn thành)",
    "waived": " (không phải thực hiện)",
    "overdue": " (quá hạn)",
}


@dataclass(frozen=True)
class FeedEvent:
    """One task with a due date, and what a calendar entry says about it."""

    directive: str
    directive_year: int
    directive_type: str
    dispatch: str | None
    obligation: str
    title: str
    phrase: str
    report_to: str | None
    chosen_by: str
    agency: str  # the holder: reminded, reports
    agency_name: str
    origin: str  # the agency the task was assigned to (a predecessor, after a merger)
    origin_name: str
    period: str
    due_day: dt.date
    cutoff_window: str | None
    status: str
    before_days: tuple[int, ...]
    updated_at: dt.datetime
    directive_issued_on: dt.date | None = None


def slug(text: str) -> str:
    """'24/CT-TTg' -> '24-ct-ttg', 'BGDĐT' -> 'bgddt': ASCII for UIDs and file names."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def event_uid(e: FeedEvent) -> str:
    """Stable across exports and databases (no row ids), so a re-export updates the event."""
    parts = (f"{slug(e.directive)}-{e.directive_year}", e.obligation, slug(e.origin), e.period)
    return ".".join(parts) + "@dondoc"


def sequence_of(updated_at: dt.datetime) -> int:
    """Minutes since 2020 of the task's last change: grows with every change, as RFC 5545
    asks of SEQUENCE, without storing a counter (and fits a 32-bit integer for 4000 years)."""
    return max(0, int((updated_at - _SEQUENCE_EPOCH).total_seconds()) // 60)


def directive_citation(doc_type: str, number: str, issued_on: dt.date | None) -> str:
    """'Chỉ thị số 24/CT-TTg ngày 02/08/2016': the date tells two years' 24/CT-TTg apart."""
    text = f"{DOC_TYPES_VI.get(doc_type, 'Văn bản')} số {number}"
    return f"{text} ngày {issued_on:%d/%m/%Y}" if issued_on else text


def _document(e: FeedEvent) -> str:
    text = directive_citation(e.directive_type, e.directive, e.directive_issued_on)
    return f"{text} (triển khai theo văn bản số {e.dispatch})" if e.dispatch else text


def _summary(e: FeedEvent, with_agency: bool) -> str:
    text = f"Hạn nộp: {e.title} ({period_label_vi(e.period)})"
    if with_agency:
        text += f" — {e.agency_name}"
    return text + _MARKS.get(e.status, "")


def _description(e: FeedEvent) -> str:
    lines = [
        f"Nhiệm vụ: {e.title}",
        f"Văn bản: {_document(e)}",
        f"Cơ quan thực hiện: {e.agency_name} ({e.agency})",
    ]
    if e.origin != e.agency:
        lines.append(f"Giao ban đầu cho: {e.origin_name} ({e.origin})")
    lines += [
        f"Kỳ báo cáo: {period_label_vi(e.period)}",
        f"Hạn nộp (ngày cuối cùng được chấp nhận): {e.due_day:%d/%m/%Y}",
        f"Căn cứ: “{e.phrase}”",
    ]
    if e.chosen_by == "coordinator":
        lines.append("Hạn do cơ quan điều phối ấn định (văn bản không nêu ngày).")
    if e.cutoff_window:
        lines.append(f"Kỳ số liệu: {e.cutoff_window}")
    if e.report_to:
        lines.append(f"Nơi nhận báo cáo: {e.report_to}")
    lines.append(f"Tình trạng: {STATUS_LABELS_VI.get(e.status, e.status)}")
    return "\n".join(lines)


def _alarm(e: FeedEvent, days: int, send_hour: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    # Relative to the all-day start (00:00 local): the reminder hour, `days` days before.
    alarm.add("trigger", dt.timedelta(days=-days, hours=send_hour))
    when = "Hôm nay là hạn nộp" if days == 0 else f"Còn {days} ngày đến hạn nộp"
    alarm.add("description", f"{when}: {e.title} ({period_label_vi(e.period)})")
    return alarm


def _event(e: FeedEvent, now: dt.datetime, with_agency: bool, send_hour: int) -> Event:
    event = Event()
    event.add("uid", event_uid(e))
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", e.due_day)
    event.add("dtend", e.due_day + dt.timedelta(days=1))
    event.add("summary", _summary(e, with_agency))
    event.add("description", _description(e))
    event.add("sequence", sequence_of(e.updated_at))
    event.add("last-modified", e.updated_at.astimezone(dt.UTC))
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy that day
    if e.status in OPEN_STATUSES:
        for days in sorted(set(e.before_days), reverse=True):
            event.add_component(_alarm(e, days, send_hour))
    return event


def build_feed(
    name: str,
    events: Iterable[FeedEvent],
    *,
    now: dt.datetime,
    timezone: str,
    with_agency: bool,
    send_hour: int = 8,
) -> bytes:
    """The whole feed, events in date order; ``now`` is the DTSTAMP of every event."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", f"{name}: hạn nộp theo dõi bởi dondoc")
    cal.add("x-wr-timezone", timezone)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    for e in sorted(events, key=lambda e: (e.due_day, event_uid(e))):
        cal.add_component(_event(e, now, with_agency, send_hour))
    return bytes(cal.to_ical())
