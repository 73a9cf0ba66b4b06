"""The ledger key (R5): from KAOHE_LEDGER_KEY, or derived from the secret key; refused in production
whenever the secret key would be."""

import pytest
from pydantic import ValidationError

from kaohe.config import PLACEHOLDER_SECRET, Settings

PRODUCTION = {"environment": "production", "secret_key": "s" * 40, "demo_password": "not-the-demo-one"}


def test_it_derives_the_key_from_the_secret_key_and_never_equals_it():
    first, second = Settings(secret_key="a" * 40), Settings(secret_key="b" * 40)
    assert len(first.ledger_key) == 64 and first.ledger_key != first.secret_key
    assert first.ledger_key == Settings(secret_key="a" * 40).ledger_key != second.ledger_key


def test_it_takes_the_key_given_and_then_no_longer_depends_on_the_secret_key():
    given = "k" * 40
    assert Settings(secret_key="a" * 40, ledger_key=given).ledger_key == given
    assert Settings(secret_key="b" * 40, ledger_key=given).ledger_key == given


def test_it_reads_the_key_from_the_environment(monkeypatch):
    monkeypatch.setenv("KAOHE_LEDGER_KEY", "e" * 40)
    assert Settings().ledger_key == "e" * 40


def test_production_refuses_a_key_derived_from_the_placeholder_secret_or_a_weak_key():
    with pytest.raises(ValidationError, match="KAOHE_SECRET_KEY"):
        Settings(**{**PRODUCTION, "secret_key": PLACEHOLDER_SECRET})
    for weak in ("short", PLACEHOLDER_SECRET):
        with pytest.raises(ValidationError, match="KAOHE_LEDGER_KEY"):
            Settings(**PRODUCTION, ledger_key=weak)
    assert len(Settings(**PRODUCTION).ledger_key) == 64
    assert Settings(**PRODUCTION, ledger_key="p" * 40).ledger_key == "p" * 40
