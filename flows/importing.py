"""Import a dispatch's text as a draft directive spec (the `dondoc import-dispatch` command as
a flow run): the draft goes to the drafts folder and the dashboard shows it with its review
points."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from dondoc.actors import api_actor, local_actor, serving_auth_string
from dondoc.config.settings import get_settings
from dondoc.errors import InputError
from dondoc.flows.artifacts import artifact_key, board_url
from dondoc.flows.common import context_at
from dondoc.flows.inputs import Folder, content_bytes, one_of, read_confined
from dondoc.flows.params import At, blank_to_none, vi
from dondoc.flows.run_names import import_run_name
from dondoc.output_files import write_output_text
from dondoc.reading.draft import DispatchDraft
from dondoc.reading.importing import ImportedDraft, draft_from_text, draft_name, write_draft
from dondoc.reading.sources import document_text
from dondoc.reading.text import DispatchTextError
from dondoc.registration import keep_draft

_SUFFIX = ".draft.yaml"
_USAGE = "text (the dispatch's text) or path (the name of a .txt file in DONDOC_DRAFTS_DIR)"


def _free_stem(folder: Path, stem: str, *, with_text: bool) -> str:
    """``stem``, or ``stem-2``, ``stem-3``...: a draft already there may have been reviewed.
    ``with_text``: the text is copied next to the draft as ``stem.txt``, which must be free too."""
    n, candidate = 1, stem

    def taken(name: str) -> bool:
        # lexists: a dangling link planted under a free-looking name counts as taken.
        return os.path.lexists(folder / f"{name}{_SUFFIX}") or (
            with_text and os.path.lexists(folder / f"{name}.txt")
        )

    while taken(candidate):
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def _dispatch_text(folder: Folder, text: str | None, path: str | None) -> tuple[str, Path | None]:
    """The text, and the file it was read from when named (it stays the draft's source)."""
    if one_of({"text": text, "path": path}, _USAGE) == "text":
        content_bytes(text or "", "text")
        return text or "", None
    target, data = read_confined(folder, path or "", "parameter path")
    try:
        return document_text(data, target.name), target
    except DispatchTextError as exc:
        raise InputError(f"parameter path: {target.name}: {exc}", field="path") from None


def _review_line(review_page: str | None) -> str:
    if review_page is None:
        return (
            "Chưa có cơ sở dữ liệu (`dondoc init`): bản nháp chưa được lưu để rà soát trên "
            "bảng theo dõi."
        )
    return f"Rà soát và đăng ký trên bảng theo dõi: [{review_page}]({review_page})"


def _recorded_by() -> str:
    from prefect.runtime import deployment

    if deployment.id is None:  # called in this process
        return local_actor()
    return api_actor(serving_auth_string())


def _markdown(draft: DispatchDraft, result: ImportedDraft, review_page: str | None) -> str:
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
            _review_line(review_page),
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


@flow(name="import-dispatch", flow_run_name=import_run_name)
def import_dispatch_flow(
    text: Annotated[
        str,
        vi(
            "Nội dung văn bản",
            "Dán toàn bộ nội dung công văn, chỉ thị hoặc quyết định (văn bản thuần); để trống "
            "nếu chọn tệp ở ô Tên tệp văn bản.",
        ),
    ] = "",
    filename: Annotated[
        str,
        vi("Tên lưu văn bản", "Tên tệp .txt để lưu nội dung đã dán vào thư mục bản nháp."),
    ] = "dispatch.txt",
    at: At = None,
    path: Annotated[
        str,
        vi(
            "Tên tệp văn bản",
            "Tên một tệp .txt trong thư mục bản nháp trên máy chủ (DONDOC_DRAFTS_DIR, mặc định "
            "./drafts); để trống nếu đã dán nội dung.",
        ),
    ] = "",
) -> dict[str, object]:
    """Read the plain text of a dispatch (công văn), directive or decision, pasted (`text`) or
    named in the drafts folder DONDOC_DRAFTS_DIR (`path`), and write a DRAFT directive spec to
    the drafts folder, with '# REVIEW:' comments where the text was not read with confidence.
    Review the draft, then load it (`dondoc load` or load-directive), or review and register it
    on the board's Đăng ký văn bản page, where the draft is kept too (its link is in the
    artifact) once the database is made."""
    settings = get_settings()
    now = context_at(at, settings).now
    folder = settings.drafts_dir
    folder.mkdir(parents=True, exist_ok=True)
    drafts = Folder(folder, "DONDOC_DRAFTS_DIR", "drafts")
    text, named = _dispatch_text(drafts, blank_to_none(text), blank_to_none(path))
    filename = named.name if named else filename
    draft = draft_from_text(text, Path(filename).name, settings, now)
    stem = draft_name(draft, filename).removesuffix(_SUFFIX)
    stem = _free_stem(folder, stem, with_text=named is None)
    source = named or folder / f"{stem}.txt"
    if named is None:
        write_output_text(source, text, option="DONDOC_DRAFTS_DIR", force=False)
    result = write_draft(draft, source=source, output=folder / f"{stem}{_SUFFIX}")
    kept = keep_draft(
        settings, draft, source_name=filename, source_text=text, actor=_recorded_by(), now=now
    )
    review_page = None if kept is None else board_url(f"/dang-ky-van-ban/{kept}", None, settings)
    where = f": [rà soát trên bảng theo dõi]({review_page})" if review_page else ""
    create_markdown_artifact(
        key=artifact_key("import-dispatch", stem),
        markdown=_markdown(draft, result, review_page),
        description=f"Bản nháp đặc tả nhập từ {filename}: cần rà soát trước khi nạp{where}",
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
        "review_page": review_page,
    }
