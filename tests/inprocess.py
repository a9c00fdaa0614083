"""Run `dondoc` in this process with its own standard streams (typer's CliRunner isolation).

Not pytest's capsys: a library that first configures logging during a capsys test (Prefect's
console handler) keeps writing to capsys's stream after it is closed, which broke any later
in-process flow test. CliRunner's streams are private to one call and nothing here imports
Prefect, so the order of test files no longer matters.
"""

from __future__ import annotations

import sys

from typer.testing import CliRunner

from dondoc.cli import main
from dondoc.config.settings import get_settings
from tests.conftest import CliResult


def run_main(*args: str, env: dict[str, str | None] | None = None) -> CliResult:
    """``main()`` as the `dondoc` command runs it: its exit code, stdout and stderr."""
    get_settings.cache_clear()  # settings may come from ``env``
    code = 0
    argv = sys.argv
    with CliRunner().isolation(env=env) as (out, err, _):
        sys.argv = ["dondoc", *args]
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        finally:
            sys.argv = argv
            sys.stdout.flush()
            sys.stderr.flush()
            get_settings.cache_clear()
        return CliResult(code, out.getvalue().decode(), err.getvalue().decode())
