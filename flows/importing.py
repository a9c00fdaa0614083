"""Import a dispatch's text as a draft directive spec (the `dondoc import-dispatch` command as
a flow run): the draft goes to the drafts folder and the dashboard shows it with its review
points."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from dondoc.config.settings import get_settings
from dondoc.dispatch_draft import DispatchDraft
from dondoc.dispatch_import import ImportedDraft, draft_from_text, draft_name, write_draft
from dondoc.flows.artifacts import artifact_key
from dondoc.flows.common import context_at

_SUFFIX = ".draft.yaml"


def _free_stem(folder: Path, stem: str) -> str:
    """``stem``, or ``stem-2``, ``stem-3``...: a draft already there may have been reviewed."""
    n, candidate = 1, stem
    while (folder / f"{candidate}{_SUFFIX}").exists() or (folder / f"{candidate}.txt").exists():
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def _markdown(draft: DispatchDraft, result: ImportedDraft) -> str:
    title = draft.number or "(chưa đọc được số, ký hiệu)"
    points = [f"{i}. {p}" for i, p in enumerate(draft.review, 1)] or ["Không có."]
    loads = (
        "Bản nháp nạp được ngay (`dondoc load`) sau khi rà soát."
        if result.load_error is None
        else f"Bản nháp **chưa nạp được**: `{result.load_error}`"
    )
    return "\n".join(
        [
            f"# Bản nháp đặc tả văn bản {title}",
            "",
            f"Tệp: `{result.path}` — {len(draft.obligations)} nhiệm vụ, "
            f"{len(draft.review)} điểm cần rà soát. {loads}",
            "",
            "## Cần rà soát (REVIEW)",
            *points,
            "",
            "## Bản nháp",
            "```yaml",
            result.yaml.rstrip("\n"),
            "```",
            "",
        ]
    )


@flow(name="import-dispatch", flow_run_name="import {filename}")
def import_dispatch_flow(
    text: str, filename: str = "dispatch.txt", at: dt.datetime | None = None
) -> dict[str, object]:
    """Read the plain text of a dispatch (công văn), directive or decision and write a DRAFT
    directive spec to the drafts folder, with '# REVIEW:' comments where the text was not
    read with confidence. Review the draft, then load it (`dondoc load` or load-directive)."""
    settings = get_settings()
    now = context_at(at, settings).now
    draft = draft_from_text(text, filename, settings, now)
    folder = settings.drafts_dir
    folder.mkdir(parents=True, exist_ok=True)
    stem = _free_stem(folder, draft_name(draft, filename).removesuffix(_SUFFIX))
    source = folder / f"{stem}.txt"
    source.write_text(text, encoding="utf-8")
    result = write_draft(draft, source=source, output=folder / f"{stem}{_SUFFIX}")
    create_markdown_artifact(
        key=artifact_key("import-dispatch", stem),
        markdown=_markdown(draft, result),
        description=f"Bản nháp đặc tả nhập từ {filename}: cần rà soát trước khi nạp",
    )
    for point in draft.review:
        get_run_logger().info("REVIEW %s", point)
    return {
        "path": str(result.path),
        "source": str(source),
        "number": draft.number,
        "obligations": len(draft.obligations),
        "review": [str(p) for p in draft.review],
        "loads": result.load_error is None,
    }
