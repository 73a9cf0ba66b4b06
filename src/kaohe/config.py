"""Settings from the environment (prefix KAOHE_), refusing unsafe defaults outside development."""

from functools import lru_cache
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KAOHE_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///kaohe.db"
    secret_key: str = PLACEHOLDER_SECRET
    # Cookies get the Secure flag when the site is served over HTTPS (directly or behind a proxy).
    https: bool = False
    session_hours: int = 12
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    upload_max_mb: int = 10
    demo_password: str = "kaohe-demo-2026"
    trusted_proxies: str = "127.0.0.1"

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> "Settings":
        if self.environment == "production" and (
            self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "KAOHE_SECRET_KEY must be set to a random value of at least 32 characters in production"
            )
        return self

    @property
    def upload_max_bytes(self) -> int:
        return self.upload_max_mb * 1024 * 1024


@lru_cache
def get_settings() -> Settings:
    return Settings()
