"""Settings refuse unsafe defaults outside development."""

import pytest
from pydantic import ValidationError

from kaohe.config import Settings


def test_it_refuses_the_placeholder_secret_in_production():
    with pytest.raises(ValidationError, match="KAOHE_SECRET_KEY"):
        Settings(environment="production")


def test_it_accepts_a_real_secret_in_production():
    assert Settings(environment="production", secret_key="s" * 40).environment == "production"


def test_it_allows_the_placeholder_in_development():
    assert Settings(environment="development").database_url.startswith("sqlite")
