"""Settings from the environment (prefix KAOHE_), refusing unsafe defaults outside development."""

import hashlib
import hmac
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me-in-production"
DEMO_PASSWORD = "kaohe-demo-2026"  # published in the README, so never valid in production
LEDGER_KEY_LABEL = b"kaohe.ledger-key.v1"  # fixed: the derived ledger key changes only with the secret key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KAOHE_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///kaohe.db"
    secret_key: str = PLACEHOLDER_SECRET
    # Cookies get the Secure flag when the site is served over HTTPS (directly or behind a proxy).
    https: bool = False
    session_hours: int = 12
    # Sign-in throttling (kaohe.auth.throttle): failures a pair of account and address may make before
    # each attempt waits; the first wait, doubling up to the window; failures of one account from
    # unfamiliar addresses, and of one address across accounts, before only familiar pairs may try.
    login_free_failures: int = 3
    login_delay_seconds: int = 5
    login_account_failures: int = 20
    login_address_failures: int = 100
    login_lockout_minutes: int = 15
    upload_max_mb: int = 10
    # Spreadsheet uploads (kaohe.sheets): parsed in worker threads, at most `upload_parsers` at a time
    # per process; a file may unpack to at most `upload_unpacked_mb` and take `upload_parse_seconds`
    # of parsing before it is refused.
    upload_parsers: int = 2
    upload_unpacked_mb: int = 100
    upload_parse_seconds: int = 10
    # Evidence storage each person may use across their records, in MB.
    evidence_quota_mb: int = 200
    # Load (docs/design.md, "Under load"): database connections per process (None: the backend's
    # default), how long a request waits for one, requests served at once per process, how long one
    # waits for a turn before the answer is 503 with Retry-After.
    db_pool_size: int | None = None
    db_pool_timeout_seconds: float = 5.0
    max_in_flight: int | None = None
    queue_wait_seconds: float = 2.0
    retry_after_seconds: int = 2
    # Strict-Transport-Security max-age when served over HTTPS (0: no header).
    hsts_seconds: int = 31_536_000
    demo_password: str = DEMO_PASSWORD
    # Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated); none by default.
    trusted_proxies: str = ""
    # The unit's time zone: what "today", a month and a quarter are, and how times are shown.
    timezone: str = "Asia/Shanghai"
    # The key that signs ledger entries (R5, docs/ledger.md); never stored in the database. When
    # KAOHE_LEDGER_KEY is unset it is derived from KAOHE_SECRET_KEY, so production refuses it exactly
    # when it refuses the secret key. Set it explicitly before ever rotating the secret key.
    ledger_key: str = ""

    @model_validator(mode="after")
    def _refuse_unsafe_values(self) -> "Settings":
        if self.environment == "production":
            if self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32:
                raise ValueError(
                    "KAOHE_SECRET_KEY must be set to a random value of at least 32 characters in production"
                )
            if self.demo_password == DEMO_PASSWORD:
                raise ValueError("KAOHE_DEMO_PASSWORD must not be the published demo password in production")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"KAOHE_TIMEZONE {self.timezone!r} is not a known time zone") from None
        return self

    @model_validator(mode="after")
    def _ledger_key(self) -> "Settings":
        if not self.ledger_key:
            self.ledger_key = hmac.new(self.secret_key.encode("utf-8"), LEDGER_KEY_LABEL, hashlib.sha256).hexdigest()
        elif self.environment == "production" and (self.ledger_key == PLACEHOLDER_SECRET or len(self.ledger_key) < 32):
            raise ValueError("KAOHE_LEDGER_KEY must be a random value of at least 32 characters in production")
        return self

    @property
    def upload_max_bytes(self) -> int:
        return self.upload_max_mb * 1024 * 1024


@lru_cache
def get_settings() -> Settings:
    return Settings()
