"""What Apprise logs while one message is loaded or sent, safe with several senders at once.

``apprise.LogCapture`` adds a handler that takes every record of the ``apprise`` logger, from
any thread, and restores the logger level when its block ends even if another block is still
open: with parallel delivery one message's failure text would show another's lines, or lose
its DEBUG cause. Here one shared handler files each record under the capture of the context
that logged it (a ``ContextVar``; Apprise runs a plugin in a worker thread with a copy of the
caller's context), and the level is lowered while any capture is open.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from contextvars import ContextVar

LOGGER_NAME = "apprise"
_CURRENT: ContextVar[list[str] | None] = ContextVar("dondoc_apprise_capture", default=None)


class _ByContext(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        lines = _CURRENT.get()
        if lines is None:
            return
        try:
            lines.append(f"{record.levelname}|{record.getMessage()}")
        except Exception:  # a malformed record must not break a delivery
            self.handleError(record)


_HANDLER = _ByContext(level=logging.DEBUG)
_LOCK = threading.Lock()
_open = 0
_restore = logging.NOTSET


def _attach() -> None:
    global _open, _restore
    logger = logging.getLogger(LOGGER_NAME)
    with _LOCK:
        if _open == 0:
            _restore = logger.level
            if logger.getEffectiveLevel() > logging.DEBUG:
                logger.setLevel(logging.DEBUG)
            logger.addHandler(_HANDLER)
        _open += 1


def _detach() -> None:
    global _open
    logger = logging.getLogger(LOGGER_NAME)
    with _LOCK:
        _open -= 1
        if _open == 0:
            logger.removeHandler(_HANDLER)
            logger.setLevel(_restore)


@contextlib.contextmanager
def apprise_lines() -> Iterator[list[str]]:
    """The ``LEVEL|message`` lines Apprise logs in this context while the block runs."""
    lines: list[str] = []
    token = _CURRENT.set(lines)
    _attach()
    try:
        yield lines
    finally:
        _detach()
        _CURRENT.reset(token)
