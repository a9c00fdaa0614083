"""prefect.yaml (scale-out mode, docs/scale-out.md): every deployment points at a real flow,
runs on the `dondoc` process pool, and schedules in Vietnam's time zone."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from prefect import Flow

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = {
    "daily-sweep",
    "period-rollover",
    "weekly-digest",
    "send-reminders-now",
    "record-submission",
    "annual-synthesis",
    "load-directive",
    "import-dispatch",
}


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_prefect_accepts_the_file(config: dict[str, Any]) -> None:
    from prefect.cli.deploy._models import PrefectYamlModel

    model = PrefectYamlModel.model_validate(config)
    assert {d.name for d in model.deployments} == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_deployment(config: dict[str, Any], name: str) -> None:
    (d,) = [d for d in config["deployments"] if d["name"] == name]
    path, func = d["entrypoint"].split(":")
    assert (ROOT / path).is_file(), path
    assert path.startswith("flows/") and path.endswith(".py")
    module = importlib.import_module(f"dondoc.flows.{Path(path).stem}")
    assert isinstance(getattr(module, func), Flow)
    assert d["work_pool"]["name"] == "dondoc"
    for schedule in d.get("schedules") or []:
        assert schedule["timezone"] == "Asia/Ho_Chi_Minh"
        assert len(schedule["cron"].split()) == 5
    if name == "daily-sweep":
        assert d["schedules"] == [{"cron": "0 8 * * *", "timezone": "Asia/Ho_Chi_Minh"}]
