"""Keep passwords and tokens out of anything dondoc stores or prints.

``Masker`` collects the secret parts of Apprise URLs (the password of ``user:password@``, query
values whose name says they are secret, and the path or host parts that Apprise itself hides in
the plugin's privacy URL) and replaces each with ``****`` wherever it appears.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

MASK = "****"
MIN_GUESSED = 4  # guessed fragments shorter than this would mangle ordinary words
_SECRET_KEYS = re.compile(r"pass|secret|token|key|auth|sig|cred", re.I)
_SPLIT = re.compile(r"[/:@?&=,;]+")


def _variants(value: str, minimum: int = 1) -> set[str]:
    values = {value, unquote(value)}
    return {v for v in values if len(v) >= minimum}


def url_secrets(url: str, privacy_url: str | None = None) -> set[str]:
    """The secret fragments of one URL. With the plugin's privacy URL, also every host or path
    part that Apprise chose not to show (bot tokens, webhook keys)."""
    found: set[str] = set()
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return found
    userinfo, at, _ = parts.netloc.rpartition("@")
    if at and ":" in userinfo:
        found |= _variants(userinfo.split(":", 1)[1])
    for key, value in parse_qsl(parts.query, keep_blank_values=False):
        if _SECRET_KEYS.search(key):
            found |= _variants(value)
    if privacy_url is not None:
        shown = unquote(privacy_url)
        hostinfo = parts.netloc.rpartition("@")[2]
        for piece in _SPLIT.split(f"{hostinfo}/{parts.path}"):
            for variant in _variants(piece, MIN_GUESSED):
                if variant not in shown:
                    found.add(variant)
    return found


class Masker:
    """Replace every known secret in a text with ``****``, longest first."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        for secret in secrets:
            if not secret:
                continue
            self._secrets |= _variants(secret)
            if "://" in secret:
                self._secrets |= url_secrets(secret)

    def __call__(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text
