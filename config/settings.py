"""One pydantic-settings object for the whole application (prefix ``DONDOC_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path(__file__).resolve().parent / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DONDOC_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{Path.cwd() / 'data' / 'dondoc.db'}",
        description="SQLAlchemy URL; SQLite file under ./data by default.",
    )
    timezone: str = "Asia/Ho_Chi_Minh"
    sqlite_busy_seconds: float = Field(
        default=60,
        ge=0,
        le=3600,
        description="How long a SQLite write waits for another dondoc command's write before "
        "it gives up (nothing recorded) with 'the database is busy'.",
    )
    # An Apprise mailto:// or mailtos:// sender URL; it may hold a password, hence secret.
    smtp_url: SecretStr | None = None
    outbox_dir: Path = Field(default_factory=lambda: Path.cwd() / "data" / "outbox")
    drafts_dir: Path = Field(
        default_factory=lambda: Path.cwd() / "drafts",
        description="Where the import-dispatch flow writes draft directive specs and the only "
        "folder its `path` parameter may name a dispatch text in.",
    )
    specs_dir: Path = Field(
        default_factory=lambda: Path.cwd() / "specs",
        description="The only folder the load-directive flow's `path` parameter may name a "
        "spec in.",
    )
    calendar_file: Path | None = Field(
        default=None, description="Extra days off / working Saturdays (YAML); bundled if unset."
    )
    feeds_dir: Path | None = Field(
        default=None, description="Folder where sweeps refresh the ICS calendar feeds; unset: none."
    )
    send_hour: int = Field(default=8, ge=0, le=23, description="Local hour messages go out.")
    batch_size: int = Field(default=1000, ge=1)
    claim_batch: int = Field(
        default=20,
        ge=1,
        le=1000,
        description="Recipients a sweeper claims for delivery at a time (its lease is renewed "
        "before each message).",
    )
    max_attempts: int = Field(default=8, ge=1, description="Delivery attempts before giving up.")
    retry_base_seconds: int = Field(default=300, ge=1)
    periods_ahead: int = Field(default=1, ge=0, description="Future periods made ahead of time.")
    sender_name: str = "Cục Phát triển đô thị - Bộ Xây dựng"
    coordinator_contacts: str = Field(
        default="",
        description="Comma-separated emails or Apprise URLs that get the weekly digest.",
    )
    # Zalo Bot Platform: the bot token BOT_ID:SECRET; unset, Zalo contacts go to the outbox.
    zalo_bot_token: SecretStr | None = None
    zalo_api_base: str | None = Field(
        default=None, description="Zalo Bot API base (default https://bot-api.zaloplatforms.com)."
    )
    # Zalo Notification Service (template messages to phone numbers) for an Official Account.
    zns_app_id: str | None = None
    zns_secret_key: SecretStr | None = None
    zns_refresh_token: SecretStr | None = Field(
        default=None, description="Seeds the ZNS token store when it holds no refresh token."
    )
    zns_template_id: str | None = None
    zns_api_base: str | None = Field(
        default=None, description="ZNS API base (default https://business.openapi.zalo.me)."
    )
    zns_oauth_base: str | None = Field(
        default=None, description="Zalo OAuth base (default https://oauth.zaloapp.com)."
    )
    zns_token_file: Path = Field(
        default_factory=lambda: Path.cwd() / "data" / "zns_tokens.json",
        description="Current ZNS access token, its expiry and the latest refresh token (0600).",
    )
    zalo_timeout_seconds: float | None = Field(
        default=None, gt=0, description="Connect and read timeout of Zalo / ZNS calls (4 s)."
    )
    web_url: str = Field(
        default="http://127.0.0.1:8080",
        description="The web board's address as its users reach it: the Prefect artifacts link "
        "back to its pages. `dondoc up` and `dondoc web` set it to the board they start unless "
        "it is set (behind a reverse proxy, set it to the public https:// address).",
    )

    @field_validator("web_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"DONDOC_WEB_URL {value!r} must start with http:// or https://")
        return value.rstrip("/")

    prefect_probe_seconds: float = Field(
        default=2,
        gt=0,
        le=60,
        description="How long the web board and the tracked `dondoc` commands wait for the "
        "Prefect API's health check before a tracked action; without an answer they refuse at "
        "once (503 on the board, exit 2 on the command line), nothing recorded.",
    )

    # Signs the web board's session and CSRF cookies; unset, one is made once and kept in
    # ./data/web_secret. Secret: a SecretStr never shows in a repr, a log or an error.
    web_secret: SecretStr | None = Field(
        default=None,
        description="DONDOC_WEB_SECRET: the web board's signing secret, at least 32 characters.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"DONDOC_TIMEZONE {value!r} is not a known time zone; use an IANA name such as "
                "Asia/Ho_Chi_Minh"
            ) from None
        return value

    # Delivery in parallel (docs/performance.md#delivery): messages each sweeper sends at once
    # per channel, every one over its own connection, all under the same claims and leases.
    delivery_workers_email: int = Field(
        default=8,
        ge=1,
        le=64,
        description="Email messages a sweeper sends at once (one SMTP session each).",
    )
    delivery_workers_zalo: int = Field(
        default=2, ge=1, le=64, description="Zalo Bot messages a sweeper sends at once."
    )
    delivery_workers_zns: int = Field(
        default=2, ge=1, le=64, description="ZNS messages a sweeper sends at once."
    )
    delivery_workers_apprise: int = Field(
        default=1, ge=1, le=64, description="Messages to `apprise` contacts sent at once."
    )
    zalo_rate: float = Field(
        default=5, gt=0, le=1000, description="Zalo Bot API requests per second, at most."
    )
    zns_rate: float = Field(default=5, gt=0, le=1000, description="ZNS requests per second.")
    zalo_backoff_seconds: float = Field(
        default=1,
        gt=0,
        le=30,
        description="First wait after an HTTP 429 from Zalo / ZNS without Retry-After; doubled "
        "on each further 429 (3 retries, 30 s at most), then the message waits for the next "
        "sweep.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
