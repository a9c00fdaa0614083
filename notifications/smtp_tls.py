"""Make Apprise build its SMTP TLS context only when a connection actually uses TLS.

Apprise 2.0.1's ``AppriseSMTPController.__enter__`` calls ``ssl.create_default_context()`` for
every connection, plain SMTP included; loading the CA store costs about 20 ms, which is most of
the time of a message to a local server and would break "1,000 emails in under 20 s". The
controller module gets an ``ssl`` stand-in whose ``create_default_context`` returns a
``LazyContext``: attribute writes (``check_hostname``, ``verify_mode``) are remembered and
replayed, in order, on the real context the first time anything else is asked of it (by
``starttls`` or ``SMTP_SSL``). Behaviour is unchanged; only the cost moves to where TLS is used.
If Apprise changes that module, nothing is patched.
"""

from __future__ import annotations

import ssl
import types
from typing import Any

_STATE = ("_real", "_pending", "_args", "_kwargs")


class LazyContext:
    """An ``ssl.SSLContext`` made on first real use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        object.__setattr__(self, "_real", None)
        object.__setattr__(self, "_pending", {})
        object.__setattr__(self, "_args", args)
        object.__setattr__(self, "_kwargs", kwargs)

    @property
    def materialised(self) -> bool:
        return object.__getattribute__(self, "_real") is not None

    def _context(self) -> ssl.SSLContext:
        real: ssl.SSLContext | None = object.__getattribute__(self, "_real")
        if real is None:
            args = object.__getattribute__(self, "_args")
            kwargs = object.__getattribute__(self, "_kwargs")
            real = ssl.create_default_context(*args, **kwargs)
            for name, value in object.__getattribute__(self, "_pending").items():
                setattr(real, name, value)
            object.__setattr__(self, "_real", real)
        return real

    def __getattr__(self, name: str) -> Any:
        if name in _STATE:
            raise AttributeError(name)
        pending: dict[str, Any] = object.__getattribute__(self, "_pending")
        if object.__getattribute__(self, "_real") is None and name in pending:
            return pending[name]
        return getattr(self._context(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        real = object.__getattribute__(self, "_real")
        if real is None:
            pending: dict[str, Any] = object.__getattribute__(self, "_pending")
            pending.pop(name, None)  # keep the order of the latest writes
            pending[name] = value
        else:
            setattr(real, name, value)


def _lazy_ssl_module() -> types.ModuleType:
    stand_in = types.ModuleType("ssl")
    stand_in.__dict__.update(ssl.__dict__)
    stand_in.create_default_context = LazyContext  # type: ignore[attr-defined]
    return stand_in


def install() -> bool:
    """Patch Apprise's SMTP controller module once; True if it is (now) patched."""
    try:
        from apprise.plugins.email import smtp
    except ImportError:
        return False
    current = getattr(smtp, "ssl", None)
    if current is None or not hasattr(smtp, "AppriseSMTPController"):
        return False
    if current is not ssl:
        return getattr(current, "create_default_context", None) is LazyContext
    smtp.ssl = _lazy_ssl_module()  # type: ignore[attr-defined]
    return True
