"""The annual synthesis as a Prefect flow: the workbook for the report to the Prime Minister,
and the same figures on the dashboard (a markdown and a table artifact under stable keys)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from dondoc.config.settings import get_settings
from dondoc.engine.periods import period_label_vi
from dondoc.flows.artifacts import artifact_key, board_url
from dondoc.flows.params import blank_to_none, vi
from dondoc.flows.run_names import synthesis_run_name
from dondoc.reports.synthesis import Synthesis
from dondoc.reports.synthesis_md import render_markdown, table_rows, title
from dondoc.service import directive_named, write_report


def report_path(directive: str, period: str, out_dir: str | None = None) -> Path:
    """`<out_dir>/tong-hop-24-ct-ttg-2016-2026.xlsx` for directive "24/CT-TTg/2016" and period
    2026; by default in `reports/` beside the outbox."""
    folder = Path(out_dir) if out_dir else get_settings().outbox_dir.parent / "reports"
    return folder / f"{artifact_key('tong-hop', directive, period)}.xlsx"


@task(name="write synthesis workbook", cache_policy=NO_CACHE)
def write_workbook(directive: str, period: str, path: Path) -> Synthesis:
    return write_report(get_settings(), directive, period, path)


@task(name="publish synthesis", cache_policy=NO_CACHE)
def publish_synthesis(synthesis: Synthesis) -> list[str]:
    named = synthesis.directive_ref  # "24/CT-TTg/2016": the year keeps 2012's apart
    keys = [
        artifact_key("synthesis", named, synthesis.period),
        artifact_key("synthesis-table", named, synthesis.period),
    ]
    page = board_url("/bang-theo-doi", {"directive": named, "period": synthesis.period})
    about = (
        f"{title(synthesis)}, kỳ báo cáo {period_label_vi(synthesis.period)}. "
        f"[Mở trên bảng theo dõi]({page})"
    )
    create_markdown_artifact(key=keys[0], markdown=render_markdown(synthesis), description=about)
    create_table_artifact(key=keys[1], table=table_rows(synthesis), description=about)
    return keys


@flow(name="annual-synthesis", flow_run_name=synthesis_run_name)
def synthesis_flow(
    directive: Annotated[
        str, vi("Chỉ thị", "Số hiệu chỉ thị cần tổng hợp, kèm năm ban hành: 24/CT-TTg/2016.")
    ] = "24/CT-TTg/2016",
    period: Annotated[
        str, vi("Kỳ báo cáo", "Kỳ cần tổng hợp, ví dụ 2026 (năm) hoặc 2026-Q1 (quý).")
    ] = "2026",
    out_dir: Annotated[
        str,
        vi(
            "Thư mục lưu tệp Excel",
            "Thư mục trên máy chủ để lưu bảng tính; để trống: thư mục reports/ cạnh hộp thư đi.",
        ),
    ] = "",
) -> dict[str, object]:
    """Tổng hợp tình hình thực hiện một chỉ thị trong một kỳ: bảng tính Excel và bảng trên
    giao diện (mỗi cơ quan một dòng; số lượng theo tình trạng; tỷ lệ hoàn thành đúng hạn)."""
    directive = directive_named(get_settings(), directive)  # "24/CT-TTg/2016"
    path = report_path(directive, period, blank_to_none(out_dir))
    synthesis = write_workbook(directive, period, path)
    publish_synthesis(synthesis)
    return {
        "path": str(path),
        "total": synthesis.total,
        "on_time_rate": synthesis.on_time_rate,
        "done_rate": synthesis.done_rate,
    }
