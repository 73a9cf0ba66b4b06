"""Settings refuse unsafe defaults outside development."""

import pytest
from pydantic import ValidationError

from kaohe.config import Settings


def test_it_refuses_the_placeholder_secret_in_production():
    with pytest.raises(ValidationError, match="KAOHE_SECRET_KEY"):
        Settings(environment="production")


def test_it_accepts_a_real_secret_in_production():
    settings = Settings(environment="production", secret_key="s" * 40, demo_password="an-own-demo-Pass-7")
    assert settings.environment == "production"


def test_it_refuses_the_published_demo_password_in_production():
    with pytest.raises(ValidationError, match="KAOHE_DEMO_PASSWORD"):
        Settings(environment="production", secret_key="s" * 40)


def test_it_refuses_an_unknown_time_zone():
    with pytest.raises(ValidationError, match="KAOHE_TIMEZONE"):
        Settings(timezone="Mars/Olympus")
    assert Settings(timezone="Asia/Urumqi").timezone == "Asia/Urumqi"


def test_it_allows_the_placeholder_in_development():
    assert Settings(environment="development").database_url.startswith("sqlite")
