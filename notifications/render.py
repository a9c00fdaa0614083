"""Render one reminder message (subject, plain text, HTML, and a compact form for chat apps).

Formal Vietnamese, NFC-normalised, dates as dd/mm/yyyy. The templates live next to this module in
``templates/`` and are loaded from the file system relative to it, so an installed wheel works.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .message import MessageContext, RenderedMessage
from .wording import citation, days_phrase, nfc, vn_date
from .zns_data import template_data

TEMPLATES = Path(__file__).resolve().parent / "templates"
COMPACT_LIMIT = 2000  # Zalo Bot Platform: text is 1-2000 characters
ESCALATION_DAYS = 7


@dataclass(frozen=True)
class _Line:
    """One task as the templates show it."""

    index: int
    title: str
    period: str
    due: str
    status: str
    phrase: str
    report_to: str | None
    late: bool
    inherited_from: str | None = None


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def _lines(ctx: MessageContext) -> list[_Line]:
    return [
        _Line(
            index=number,
            title=nfc(line.obligation_title).strip(),
            period=nfc(line.period_label).strip(),
            due=vn_date(line.due_day),
            status=days_phrase(line.days_left),
            phrase=nfc(line.phrase).strip(),
            report_to=nfc(line.report_to).strip() if line.report_to else None,
            late=line.days_left < 0,
            inherited_from=nfc(line.inherited_from).strip() if line.inherited_from else None,
        )
        for number, line in enumerate(ctx.lines, start=1)
    ]


def _citations(ctx: MessageContext) -> str:
    seen: list[str] = []
    for line in ctx.lines:
        text = citation(
            line.directive_number, line.dispatch_number, line.dispatch_date, line.directive_date
        )
        if text not in seen:
            seen.append(text)
    return "; ".join(seen)


def _intro(ctx: MessageContext, late: bool) -> str:
    which = "nhiệm vụ sau" if len(ctx.lines) == 1 else "các nhiệm vụ sau"
    ask = (
        "khẩn trương thực hiện và gửi báo cáo" if late else "thực hiện và gửi báo cáo đúng thời hạn"
    )
    basis = _citations(ctx)
    lead = f"Thực hiện {basis}, " if basis else ""
    return f"{lead}{nfc(ctx.sender_name)} trân trọng đề nghị Quý cơ quan {ask} đối với {which}:"


def _subject(lines: list[_Line]) -> str:
    late = sum(1 for line in lines if line.late)
    tag = "[Quá hạn]" if late else "[Nhắc hạn]"
    if len(lines) == 1:
        return f"{tag} {lines[0].title} - hạn {lines[0].due}"
    if late == len(lines):
        return f"{tag} {len(lines)} nhiệm vụ đã quá hạn"
    if late:
        return f"{tag} {len(lines)} nhiệm vụ cần báo cáo, trong đó {late} nhiệm vụ đã quá hạn"
    return f"{tag} {len(lines)} nhiệm vụ sắp đến hạn - hạn gần nhất {lines[0].due}"


def _variables(ctx: MessageContext) -> dict[str, Any]:
    if not ctx.lines:
        raise ValueError("a message needs at least one task line")
    ordered = replace(ctx, lines=tuple(sorted(ctx.lines, key=lambda line: line.due_day)))
    lines = _lines(ordered)
    late = any(line.late for line in lines)
    return {
        "agency_name": nfc(ctx.agency_name).strip(),
        "recipient_name": nfc(ctx.recipient_name).strip() if ctx.recipient_name else None,
        "intro": _intro(ordered, late),
        "lines": lines,
        "late": late,
        "headline": _subject(lines),
        "escalation": ctx.escalation,
        "escalation_days": ESCALATION_DAYS,
        "sender_name": nfc(ctx.sender_name).strip(),
        "today": vn_date(ctx.today),
    }


def _render(name: str, variables: dict[str, Any]) -> str:
    return nfc(_environment().get_template(name).render(**variables))


def render_message(ctx: MessageContext) -> RenderedMessage:
    """Subject, plain text and HTML (the same content; HTML escaped) for one recipient."""
    variables = _variables(ctx)
    subject = " ".join(_render("reminder_subject.txt.j2", variables).split())
    variables["subject"] = subject
    return RenderedMessage(
        subject=subject,
        text=_render("reminder.txt.j2", variables).strip() + "\n",
        html=_render("reminder.html.j2", variables).strip() + "\n",
        compact=_compact(variables, COMPACT_LIMIT),
        template_data=tuple(template_data(ctx).items()),
    )


def render_compact(ctx: MessageContext, limit: int = COMPACT_LIMIT) -> str:
    """Plain text for Zalo, at most ``limit`` characters; the task list is cut short with
    "… và N nhiệm vụ khác" when it does not fit."""
    return _compact(_variables(ctx), limit)


def _compact(variables: dict[str, Any], limit: int) -> str:
    lines: list[_Line] = variables["lines"]
    head = [variables["headline"], f"Kính gửi: {variables['agency_name']}", variables["intro"]]
    tail = [
        "Nếu Quý cơ quan đã gửi báo cáo, xin vui lòng bỏ qua thông báo này.",
        variables["sender_name"],
    ]
    items = [
        f"{line.index}. {line.title} - kỳ {line.period}"
        + (f" (kế thừa từ {line.inherited_from})" if line.inherited_from else "")
        + f": hạn {line.due} ({line.status})"
        for line in lines
    ]

    def more(shown: int) -> str:
        return f"… và {len(items) - shown} nhiệm vụ khác"

    fixed = sum(len(part) + 1 for part in head + tail) - 1
    prefix = [0]
    for item in items:
        prefix.append(prefix[-1] + len(item) + 1)
    shown = len(items)
    while shown > 0:
        extra = 0 if shown == len(items) else len(more(shown)) + 1
        if fixed + prefix[shown] + extra <= limit:
            break
        shown -= 1
    body = items[:shown] + ([more(shown)] if shown < len(items) else [])
    text = "\n".join(head + body + tail)
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def render_named(name: str, *, subject: str, **variables: Any) -> RenderedMessage:
    """Another message with an HTML template ``templates/<name>.html.j2`` (e.g. the digest);
    its text form is what Apprise derives from the HTML, as for email."""
    html = _render(f"{name}.html.j2", {"subject": subject, **variables}).strip() + "\n"
    text = apprise_text(html)
    return RenderedMessage(subject=nfc(subject), text=text, html=html, compact=text[:COMPACT_LIMIT])


def apprise_text(html: str) -> str:
    from apprise import NotifyFormat
    from apprise.conversion import convert_between

    converted = convert_between(NotifyFormat.HTML, NotifyFormat.TEXT, html)  # type: ignore[no-untyped-call]
    return nfc(str(converted))
