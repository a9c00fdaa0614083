"""The import-dispatch flow: the draft lands in the drafts folder next to a copy of the text,
loads with the spec loader, and the dashboard gets it with its review points as an artifact."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from dondoc.config.spec_loader import load_spec_file

FIXTURES = Path(__file__).parent / "fixtures" / "dispatches"
VN = dt.timezone(dt.timedelta(hours=7))


def _artifacts() -> dict[str, Any]:
    from prefect.client.orchestration import get_client

    async def latest() -> Any:
        async with get_client() as client:
            return await client.read_latest_artifacts()

    return {a.key: a for a in asyncio.run(latest())}


def test_import_dispatch_flow_writes_a_draft_and_an_artifact(
    prefect_api: None, workdir: Path
) -> None:
    from dondoc.flows.importing import import_dispatch_flow

    text = (FIXTURES / "351-BXD-PTDT.txt").read_text(encoding="utf-8")
    at = dt.datetime(2026, 11, 20, 9, tzinfo=VN)
    out = import_dispatch_flow(text=text, filename="351-BXD-PTDT.txt", at=at)
    draft = workdir / "drafts" / "351-BXD-PTDT.draft.yaml"
    assert out["path"] == str(draft) and out["loads"] is True and out["obligations"] == 3
    spec = load_spec_file(draft)
    assert spec.dispatch is not None and spec.dispatch.source_file == "351-BXD-PTDT.txt"
    assert (workdir / "drafts" / "351-BXD-PTDT.txt").read_text(encoding="utf-8") == text
    review = out["review"]
    assert isinstance(review, list) and any("tracking starts with 2026" in r for r in review)

    artifact = _artifacts()["import-dispatch-351-bxd-ptdt"]
    assert "351/BXD-PTĐT" in artifact.data and "```yaml" in artifact.data
    assert "tracking starts with 2026" in artifact.data

    again = import_dispatch_flow(text=text, filename="351-BXD-PTDT.txt", at=at)
    assert again["path"] == str(workdir / "drafts" / "351-BXD-PTDT-2.draft.yaml")
