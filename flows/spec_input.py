"""The load-directive flow's input: the spec's YAML as a parameter, or the name of a spec file in
the specs folder (DONDOC_SPECS_DIR). The spec's ``source_file`` texts must be in that folder too.
"""

from __future__ import annotations

from pathlib import Path

from dondoc.config.settings import Settings
from dondoc.config.spec import DirectiveSpec, DocumentSpec
from dondoc.config.spec_loader import load_spec_file
from dondoc.context import RunContext
from dondoc.flows.inputs import (
    Folder,
    content_bytes,
    one_of,
    private_folder,
    read_confined,
    write_new,
)
from dondoc.service import LoadResult, load_spec

CONTENT_NAME = "<parameter yaml>"  # the spec's "file" name in messages when given as content
USAGE = "yaml (the spec's text) or path (the name of a spec file in DONDOC_SPECS_DIR)"


def specs_folder(settings: Settings) -> Folder:
    return Folder(settings.specs_dir, "DONDOC_SPECS_DIR", "specs")


def load_spec_parameter(
    settings: Settings, ctx: RunContext, *, yaml: str | None, path: str | None
) -> LoadResult:
    """Load the spec given as content or as a name in the specs folder; nothing outside that
    folder is ever opened."""
    folder = specs_folder(settings)
    if one_of({"yaml": yaml, "path": path}, USAGE) == "yaml":
        data, name, base = content_bytes(yaml or "", "yaml"), CONTENT_NAME, folder.path.resolve()
    else:
        target, data = read_confined(folder, path or "", "parameter path")
        name, base = target.name, target.parent
    with private_folder() as private:
        copy = write_new(private / name, data)
        spec = load_spec_file(copy)
        spec = _with_checked_sources(spec, folder, base=base, private=private, name=name)
        return load_spec(settings, ctx, copy, spec=spec)


def _with_checked_sources(
    spec: DirectiveSpec, folder: Folder, *, base: Path, private: Path, name: str
) -> DirectiveSpec:
    """Each ``source_file`` read from the specs folder (relative to the spec) into a private
    copy that the loader reads instead."""
    update: dict[str, DocumentSpec] = {}
    for key in ("directive", "dispatch"):
        document: DocumentSpec | None = getattr(spec, key)
        if document is None or document.source_file is None:
            continue
        what = f"{name}: {key}.source_file"
        _, data = read_confined(folder, document.source_file, what, base)
        (private / "sources").mkdir(exist_ok=True)
        write_new(private / "sources" / f"{key}.txt", data)
        update[key] = document.model_copy(update={"source_file": f"sources/{key}.txt"})
    return spec.model_copy(update=update) if update else spec
