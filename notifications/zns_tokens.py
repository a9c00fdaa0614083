"""The ZNS token store: the current Official Account access token, its expiry and the latest
refresh token, kept between runs in one JSON file (``DONDOC_ZNS_TOKEN_FILE``, default
``./data/zns_tokens.json``)::

    {"access_token": "...", "expires_at": "2026-11-25T09:00:00+00:00",
     "refresh_token": "...", "seed": "<fingerprint>", "updated_at": "..."}

Zalo refresh tokens are single-use: each refresh returns a new one and the old one stops working.
So:

* the file is created with mode 0600 and written atomically (a 0600 temporary file in the same
  folder, fsync, rename): a crash leaves the old tokens or the new ones, never half a file;
* every refresh runs under an exclusive ``fcntl.flock`` on ``<file>.lock`` and re-reads the file
  inside the lock, so a process that waited uses the token another one has just obtained
  instead of spending the same refresh token a second time;
* with no refresh token stored, the store starts from the seed (``DONDOC_ZNS_REFRESH_TOKEN``).
  Once it holds one, the seed is ignored unless it changes (the operator authorised the app
  again): the file keeps a fingerprint of the seed it grew from, never the seed itself.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

MARGIN = timedelta(minutes=5)  # refresh this long before the access token expires
LOCK_TIMEOUT = 60.0


class TokenError(Exception):
    """The store or the OAuth server could not provide an access token."""

    def __init__(self, reason: str, *, transient: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


@dataclass(frozen=True)
class Tokens:
    access_token: str | None = None
    expires_at: datetime | None = None
    refresh_token: str | None = None
    seed: str | None = None  # fingerprint of the seed these tokens descend from

    def usable(self, now: datetime) -> bool:
        return (
            bool(self.access_token)
            and self.expires_at is not None
            and now < (self.expires_at - MARGIN)
        )


def fingerprint(seed: str) -> str:
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


def _now() -> datetime:
    return datetime.now(UTC)


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


class TokenStore:
    """One token file. ``seed`` is the configured refresh token, if any."""

    def __init__(self, path: Path, seed: str | None = None, lock_timeout: float = LOCK_TIMEOUT):
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.seed = seed or None
        self.lock_timeout = lock_timeout

    # --- reading and writing -----------------------------------------------------------

    def _read(self) -> Tokens | None:
        try:
            raw: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            reason = f"the ZNS token store {self.path} is unreadable ({exc.__class__.__name__})"
            raise TokenError(reason, transient=False) from None
        try:
            expires = raw.get("expires_at")
            return Tokens(
                access_token=_text(raw.get("access_token")),
                expires_at=_instant(expires) if isinstance(expires, str) else None,
                refresh_token=_text(raw.get("refresh_token")),
                seed=_text(raw.get("seed")),
            )
        except (AttributeError, ValueError):
            reason = f"the ZNS token store {self.path} is not valid"
            raise TokenError(reason, transient=False) from None

    def load(self) -> Tokens:
        """The stored tokens, or the seed when the store has none (or the seed changed)."""
        stored = self._read()
        seeded = Tokens(refresh_token=self.seed, seed=fingerprint(self.seed)) if self.seed else None
        if stored is None or not (stored.refresh_token or stored.access_token):
            return seeded or Tokens()
        if seeded is not None and stored.seed is not None and stored.seed != seeded.seed:
            return seeded  # a new seed: the operator authorised the app again
        return stored

    def has_refresh_token(self) -> bool:
        """Whether a refresh (or access) token is available; never raises."""
        try:
            tokens = self.load()
        except TokenError:
            return False
        return bool(tokens.refresh_token or tokens.access_token)

    def save(self, tokens: Tokens) -> None:
        """Write ``tokens`` atomically; the file has mode 0600."""
        data = {
            "access_token": tokens.access_token,
            "expires_at": tokens.expires_at.isoformat() if tokens.expires_at else None,
            "refresh_token": tokens.refresh_token,
            "seed": tokens.seed,
            "updated_at": _now().isoformat(),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex[:8]}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps(data, indent=2).encode("utf-8") + b"\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        with suppress(OSError):  # make the rename itself durable where the platform allows
            folder = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)

    # --- tokens ------------------------------------------------------------------------

    def access_token(self, exchange: Callable[[str], Tokens]) -> Tokens:
        """Tokens with a usable access token, refreshing first when there is none."""
        current = self.load()
        if current.usable(_now()):
            return current
        return self.refresh(exchange, stale=current.access_token)

    def refresh(self, exchange: Callable[[str], Tokens], stale: str | None) -> Tokens:
        """Spend the refresh token for new tokens, unless another process already replaced
        ``stale`` (the access token that failed or expired) while we waited for the lock.
        ``exchange`` maps a refresh token to new tokens or raises ``TokenError``."""
        with self._locked():
            current = self.load()
            if current.usable(_now()) and current.access_token != stale:
                return current
            if not current.refresh_token:
                reason = (
                    "no ZNS refresh token: set DONDOC_ZNS_REFRESH_TOKEN "
                    "(from authorising the Official Account)"
                )
                raise TokenError(reason, transient=False)
            fresh = replace(exchange(current.refresh_token), seed=current.seed)
            try:
                self.save(fresh)
            except OSError as exc:
                reason = (
                    f"could not save the new ZNS tokens to {self.path} "
                    f"({exc.__class__.__name__}); the app must be authorised again"
                )
                raise TokenError(reason, transient=False) from None
            return fresh

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + self.lock_timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        reason = f"the ZNS token store {self.path} stayed locked"
                        raise TokenError(reason, transient=True) from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock
