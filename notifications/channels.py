"""From a contact (channel, target) to the Apprise URL that reaches it, and target checks.

Channels: ``email`` (an address), ``zalo`` (a Zalo Bot chat id), ``zns`` (a phone number for
Zalo ZNS, stored as ``84XXXXXXXXX``) and ``apprise`` (any Apprise URL, used as is).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import apprise

from .capture import apprise_lines
from .masking import Masker, url_secrets
from .outbox import is_email_address, outbox_url
from .zalo import zalo_url
from .zns import zns_url
from .zns_tokens import TokenError, TokenStore

if TYPE_CHECKING:
    from dondoc.config.settings import Settings

CHANNELS = ("email", "zalo", "zns", "apprise")
DEFAULT_FROM = "dondoc@localhost"
_CHAT_ID = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
_PHONE = re.compile(r"^84[1-9]\d{8,9}$")
_PHONE_NOISE = re.compile(r"[\s.()-]+")


def apprise_url_for(channel: str, target: str, settings: Settings) -> str:
    """The Apprise URL that delivers to ``target``.

    * ``email`` with ``settings.smtp_url`` set: that ``mailto://``/``mailtos://`` sender URL
      with ``to=<target>`` (any ``to`` it had is replaced, its path targets are dropped so a
      message reaches only its recipient, every other query parameter is kept, and
      ``name=<settings.sender_name>`` is added when the URL names no sender).
    * ``email`` without it: the local outbox in ``settings.outbox_dir`` (one ``.eml`` file).
    * ``zalo`` with ``settings.zalo_bot_token`` set: ``zalo://BOT_ID:SECRET/CHAT_ID`` (plus
      ``base=`` from ``zalo_api_base``, ``rto``/``cto`` from ``zalo_timeout_seconds``, ``rate=``
      and ``backoff=`` from ``zalo_rate`` and ``zalo_backoff_seconds``); dondoc's
      plugin (``zalo.py``) under Apprise < 2.1, Apprise's own from 2.1.
    * ``zns`` with the app id, secret key and template id set and a refresh token configured or
      stored: ``zns://APP_ID:SECRET@TEMPLATE_ID/PHONE?state=<zns_token_file>...`` (``zns.py``).
    * ``zalo`` or ``zns`` otherwise: the local outbox (one ``.txt`` file with the compact text).
    * ``apprise``: the target itself.
    """
    target = target.strip()
    if channel == "email":
        if settings.smtp_url is not None:
            return sender_url_with_recipient(
                settings.smtp_url.get_secret_value(), target, settings.sender_name
            )
        return outbox_url(settings.outbox_dir, target, sender_name=settings.sender_name)
    if channel == "zalo" and settings.zalo_bot_token is not None:
        token = settings.zalo_bot_token.get_secret_value()
        base, timeout = settings.zalo_api_base, settings.zalo_timeout_seconds
        return zalo_url(
            token,
            target,
            base=base,
            timeout=timeout,
            rate=settings.zalo_rate,
            backoff=settings.zalo_backoff_seconds,
        )
    if channel == "zns" and _zns_configured(settings):
        return _zns_url(target, settings)
    if channel in ("zalo", "zns"):
        return outbox_url(settings.outbox_dir, target, sender_name=settings.sender_name)
    if channel == "apprise":
        return target
    raise ValueError(f"unknown channel {channel!r}; expected one of {', '.join(CHANNELS)}")


def _zns_store(settings: Settings) -> TokenStore:
    seed = settings.zns_refresh_token
    return TokenStore(settings.zns_token_file, seed.get_secret_value() if seed else None)


def _zns_configured(settings: Settings) -> bool:
    if not (settings.zns_app_id and settings.zns_secret_key and settings.zns_template_id):
        return False
    return settings.zns_refresh_token is not None or _zns_store(settings).has_refresh_token()


def _zns_url(phone: str, settings: Settings) -> str:
    assert settings.zns_app_id and settings.zns_secret_key and settings.zns_template_id
    seed = settings.zns_refresh_token
    return zns_url(
        settings.zns_app_id,
        settings.zns_secret_key.get_secret_value(),
        settings.zns_template_id,
        normalise_target("zns", phone),
        state=settings.zns_token_file,
        refresh_token=seed.get_secret_value() if seed else None,
        base=settings.zns_api_base,
        oauth=settings.zns_oauth_base,
        timeout=settings.zalo_timeout_seconds,
        rate=settings.zns_rate,
        backoff=settings.zalo_backoff_seconds,
    )


def configured_secrets(settings: Settings) -> list[str]:
    """Every secret value in ``settings`` (and the ZNS token store), for masking: the SMTP URL
    and its password, the Zalo bot token and its SECRET part, the ZNS secret key, refresh token
    and the stored access / refresh tokens, and passwords in API base URLs."""
    found: set[str] = set()
    if settings.smtp_url is not None:
        smtp = settings.smtp_url.get_secret_value()
        found |= {smtp, *url_secrets(smtp)}
    if settings.zalo_bot_token is not None:
        token = settings.zalo_bot_token.get_secret_value().strip()
        found |= {token, token.partition(":")[2]}
    for value in (settings.zns_secret_key, settings.zns_refresh_token):
        if value is not None:
            found.add(value.get_secret_value().strip())
    for base in (settings.zalo_api_base, settings.zns_api_base, settings.zns_oauth_base):
        if base:
            found |= url_secrets(base)
    if settings.zns_app_id:
        try:
            stored = _zns_store(settings).load()
        except TokenError:
            stored = None
        if stored is not None:
            found |= {t for t in (stored.access_token, stored.refresh_token) if t}
    return sorted((s for s in found if s), key=len, reverse=True)


def sender_url_with_recipient(sender: str, to: str, sender_name: str | None = None) -> str:
    """An Apprise email sender URL re-aimed at ``to``. The query is edited as raw text, because
    Apprise reads ``+`` literally (``+name`` is a custom header) where ``parse_qsl`` would not."""
    parts = urlsplit(sender.strip())
    pairs = [pair for pair in parts.query.split("&") if pair]
    keys = [unquote(pair.split("=", 1)[0]).lower() for pair in pairs]
    kept = [pair for pair, key in zip(pairs, keys, strict=True) if key != "to"]
    sender_from = next(
        (unquote(p.split("=", 1)[1]) for p, k in zip(pairs, keys, strict=True) if k == "from"), ""
    )
    if sender_name and "name" not in keys and "<" not in sender_from:
        kept.append("name=" + quote(sender_name, safe=""))
    if not sender_from and "@" not in parts.netloc:
        # Apprise builds From from user@host; a bare relay (mailto://127.0.0.1:25) has no user.
        kept.append("from=" + quote(DEFAULT_FROM, safe="@"))
    kept.append("to=" + quote(to, safe="@"))
    return urlunsplit((parts.scheme, parts.netloc, "", "&".join(kept), ""))


def load_plugin(url: str) -> tuple[Any, list[str]]:
    """Instantiate the Apprise plugin for ``url`` without printing anything.
    Returns the plugin (``None`` if Apprise cannot use the URL) and what Apprise logged."""
    with apprise_lines() as captured:
        try:
            plugin = apprise.Apprise.instantiate(url)
        except Exception as exc:  # a plugin that raises despite suppress_exceptions
            logging.getLogger(apprise.LOGGER_NAME).warning("Could not load the URL: %s", exc)
            plugin = None
    return plugin, [line for line in captured if line.strip()]


def privacy_url(url: str) -> str:
    """The URL as Apprise shows it with secrets hidden (``url(privacy=True)`` of the plugin);
    never the raw URL. A URL Apprise cannot load shows only its schema."""
    plugin, _ = load_plugin(url)
    if plugin is None:
        scheme = url.split("://", 1)[0].strip() if "://" in url else ""
        return f"{scheme}://****" if scheme else "****"
    return str(plugin.url(privacy=True))


def problems_of(lines: list[str]) -> str:
    """The warnings and errors among captured Apprise log lines, joined."""
    picked = [
        line.split("|", 1)[1]
        for line in lines
        if "|" in line and line.split("|", 1)[0] in ("WARNING", "ERROR", "CRITICAL")
    ]
    return "; ".join(picked)


def normalise_target(channel: str, target: str) -> str:
    """The stored form of a valid target: email lower-cased, phone as ``84XXXXXXXXX``."""
    target = target.strip()
    if channel == "email":
        return target.lower()
    if channel == "zns":
        digits = _PHONE_NOISE.sub("", target).removeprefix("+")
        if digits.startswith("0"):
            digits = "84" + digits[1:]
        return digits
    return target


def validate_target(channel: str, target: str) -> str | None:
    """An English message naming what is wrong with ``target``, or ``None`` if it is usable."""
    value = target.strip()
    if channel not in CHANNELS:
        return f"unknown channel {channel!r}; expected one of {', '.join(CHANNELS)}"
    if not value:
        return f"the {channel} target is empty"
    if channel == "email":
        if not value.isascii():
            return (
                f"{value!r} is not an ASCII email address; Apprise's email plugin cannot send "
                "to internationalised (RFC 6531) addresses"
            )
        if not is_email_address(value):
            return f"{value!r} is not a valid email address (expected e.g. vanthu@hanoi.gov.vn)"
        return None
    if channel == "zalo":
        if not _CHAT_ID.match(value):
            return (
                f"{value!r} is not a Zalo chat id (expected one token of letters, digits, "
                "'_', '-' or '.', as returned by getUpdates)"
            )
        return None
    if channel == "zns":
        if not _PHONE.match(normalise_target("zns", value)):
            return (
                f"{value!r} is not a Vietnamese phone number for ZNS (expected 84 followed "
                "by 9-10 digits, e.g. 84912345678, or the same number with a leading 0)"
            )
        return None
    return _apprise_problem(value)


def _apprise_problem(url: str) -> str | None:
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if not scheme:
        return "not an Apprise URL (expected schema://..., e.g. mailto://... or tgram://...)"
    plugin, lines = load_plugin(url)
    if plugin is not None:
        return None
    mask = Masker(url_secrets(url))
    reason = mask(problems_of(lines)) or "no plugin accepts it"
    return f"Apprise cannot use this {scheme}:// URL: {reason}"
