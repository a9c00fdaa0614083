"""Keep to an API's rate, and wait out its HTTP 429 replies, for the Zalo plugins.

* ``Pacer``: at most ``rate`` requests start per second, shared by every thread of the process
  (one pacer per API account, kept in ``pacer_for``), so parallel delivery workers never send
  faster than one worker would be allowed to.
* ``send_paced``: one request through a pacer; a 429 reply is retried after its
  ``Retry-After`` (seconds) or, without one, after ``backoff * 2**n``; at most ``RETRIES``
  times and never a wait over ``MAX_WAIT``. A reply still 429 after that is returned as is:
  the caller reports it transient and the message stays queued for the next sweep.

A 429 means the server did not take the message, so sending it again cannot duplicate it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from .http_api import Reply

RETRIES = 3
MAX_WAIT = 30.0  # seconds: a longer Retry-After leaves the message for the next sweep
TOO_MANY = 429

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class Pacer:
    """Spaces request starts at least ``1 / rate`` seconds apart, across threads."""

    def __init__(self, rate: float, *, clock: Clock = time.monotonic, sleep: Sleep = time.sleep):
        if rate <= 0:
            raise ValueError("a rate must be positive")
        self.interval = 1.0 / rate
        self._clock, self._sleep = clock, sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Return when this request may start (its slot is booked before waiting)."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)

    def hold_off(self, seconds: float) -> None:
        """Start nothing for ``seconds`` from now (the server asked us to slow down)."""
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)


_PACERS: dict[Hashable, Pacer] = {}
_PACERS_LOCK = threading.Lock()


def pacer_for(key: Hashable, rate: float) -> Pacer:
    """The process-wide pacer of one API account at ``rate`` (a changed rate makes a new one)."""
    with _PACERS_LOCK:
        pacer = _PACERS.get(key)
        if pacer is None or abs(pacer.interval - 1.0 / rate) > 1e-9:
            pacer = _PACERS[key] = Pacer(rate)
        return pacer


@dataclass(frozen=True)
class Pacing:
    """How one plugin instance paces its requests."""

    pacer: Pacer | None  # None: no rate (a plugin made without one)
    backoff: float  # first wait after a 429 without Retry-After, seconds
    sleep: Sleep = time.sleep


def retry_wait(retry_after: str | None, attempt: int, backoff: float) -> float:
    """Seconds to wait before retry number ``attempt`` (0-based) after a 429."""
    if retry_after is not None:
        try:
            return max(float(retry_after.strip()), 0.0)
        except ValueError:
            pass  # an HTTP date: rare for APIs; fall back to our own backoff
    return backoff * float(1 << attempt)


def send_paced(request: Callable[[], Reply], pacing: Pacing) -> Reply:
    """``request()`` at the paced rate, retried after each 429 within the bounds above."""
    attempt = 0
    while True:
        if pacing.pacer is not None:
            pacing.pacer.wait()
        reply = request()
        if reply.status != TOO_MANY or attempt >= RETRIES:
            return reply
        wait = retry_wait(reply.retry_after, attempt, pacing.backoff)
        if wait > MAX_WAIT:
            return reply
        if pacing.pacer is not None:
            pacing.pacer.hold_off(wait)  # other workers of this account wait too
        else:
            pacing.sleep(wait)
        attempt += 1


DEFAULT_BACKOFF = 1.0


def pacing_params(rate: float | None, backoff: float | None) -> dict[str, str]:
    """The ``rate`` / ``backoff`` URL parameters of a Zalo or ZNS URL."""
    params: dict[str, str] = {}
    if rate:
        params["rate"] = f"{rate:g}"
    if backoff:
        params["backoff"] = f"{backoff:g}"
    return params


def pacing_from(key: Hashable, rate: str | None, backoff: str | None) -> Pacing:
    """The pacing a plugin's URL asks for; ``ValueError`` naming a bad value."""
    try:
        per_second = float(rate) if rate else None
        first_wait = float(backoff) if backoff else DEFAULT_BACKOFF
    except ValueError:
        raise ValueError("rate= and backoff= must be numbers") from None
    if (per_second is not None and per_second <= 0) or not 0 < first_wait <= MAX_WAIT:
        raise ValueError(f"rate= must be positive and backoff= within (0, {MAX_WAIT:g}]")
    pacer = pacer_for(key, per_second) if per_second else None
    return Pacing(pacer=pacer, backoff=first_wait)
