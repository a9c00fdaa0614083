"""What the dashboard shows: the compliance board per directive and period, as artifacts."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from urllib.parse import quote, urlencode

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from sqlalchemy import select
from sqlmodel import col

from dondoc.config.settings import Settings, get_settings
from dondoc.db import engine_for, transaction
from dondoc.flows.common import context_at, local_time
from dondoc.models import Document, Obligation, Task
from dondoc.reports.board import BoardRow, board_rows
from dondoc.reports.board_format import cell_value, columns_for, row_directive
from dondoc.reports.directive_ref import directive_ref
from dondoc.tracking.delivery import DeliveryTally

WINDOW = dt.timedelta(days=400)


def board_url(
    path: str = "/", query: Mapping[str, str] | None = None, settings: Settings | None = None
) -> str:
    """A page of the web board (settings.web_url), its query URL-encoded. Prefect renders an
    artifact's description as markdown, so a link there is clickable in the dashboard."""
    encoded = f"?{urlencode(query, quote_via=quote)}" if query else ""
    return f"{(settings or get_settings()).web_url}{path}{encoded}"


def artifact_key(*parts: str) -> str:
    """Prefect keys allow lowercase letters, digits and dashes: '24/CT-TTg' -> '24-ct-ttg'."""
    text = "-".join(parts).replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _current_boards(at: dt.datetime) -> dict[tuple[str, str], list[BoardRow]]:
    """The board of each directive ("24/CT-TTg/2016": numbers restart yearly) and period."""
    ctx = context_at(at)
    near = (col(Task.due_at) >= ctx.now - WINDOW) & (col(Task.due_at) <= ctx.now + WINDOW)
    query = (
        select(col(Document.id), col(Document.number), col(Document.year), col(Task.period))
        .join(Obligation, col(Obligation.directive_id) == col(Document.id))
        .join(Task, col(Task.obligation_id) == col(Obligation.id))
        .where(near)
        .distinct()
    )
    boards: dict[tuple[str, str], list[BoardRow]] = defaultdict(list)
    with transaction(engine_for(ctx.settings)) as session:
        for doc_id, number, year, period in session.execute(query).tuples():
            rows = board_rows(session=session, directive_id=doc_id, period=period)
            boards[(directive_ref(number, year), period)] = rows
    return boards


def _table(rows: list[BoardRow]) -> list[dict[str, object]]:
    columns = columns_for(rows)
    return [{label: _cell(cell_value(r, key)) for key, label in columns} for r in rows]


def _cell(value: object) -> object:
    return f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else value


@task(name="publish compliance boards", cache_policy=NO_CACHE)
def publish_boards(at: dt.datetime) -> list[str]:
    keys = []
    for (directive, period), rows in sorted(_current_boards(at).items()):
        key = artifact_key("board", directive, period)
        page = board_url("/bang-theo-doi", {"directive": directive, "period": period})
        named = row_directive(rows[0]) if rows else directive  # "24/CT-TTg (2016)"
        create_table_artifact(
            key=key,
            table=_table(rows),
            description=(
                f"Tình hình thực hiện {named}, kỳ {period}. [Mở trên bảng theo dõi]({page})"
            ),
        )
        keys.append(key)
    return keys


@task(name="publish sweep summary", cache_policy=NO_CACHE)
def publish_summary(at: dt.datetime, queued: int, tally: DeliveryTally) -> None:
    recipients = "\n".join(f"- {r}" for r in sorted(set(tally.recipients))) or "- (không có)"
    create_markdown_artifact(
        key="sweep-summary",
        markdown=(
            f"# Kết quả rà soát ngày {local_time(at):%d/%m/%Y %H:%M}\n\n"
            f"- Nhắc hạn đã xếp hàng: {queued}\n- Thư đã gửi: {tally.messages}\n"
            f"- Đã gửi thành công: {tally.sent}; chờ gửi lại: {tally.failed}; "
            f"ngừng gửi: {tally.given_up}; đã hủy: {tally.cancelled}\n\n"
            f"## Người nhận\n{recipients}\n\n[Mở bảng theo dõi]({board_url()})\n"
        ),
        description=(
            "Những gì lần rà soát này đã gửi (địa chỉ kênh đã che thông tin bí mật). "
            f"[Mở bảng theo dõi]({board_url()})"
        ),
    )
