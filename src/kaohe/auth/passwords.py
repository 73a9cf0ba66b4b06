"""Argon2id password hashing and the password policy."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kaohe.errors import Invalid
from kaohe.messages import t

_hasher = PasswordHasher()
# Verifying against this keeps unknown usernames as slow as known ones (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash("kaohe-dummy-password")

MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_policy(password: str, *, username: str) -> None:
    """Raise Invalid with a Chinese message when the password is too weak."""
    if len(password) < MIN_LENGTH:
        raise Invalid(t("auth.password_too_short", n=MIN_LENGTH))
    if password.lower() == username.lower() or password.isdigit() or password.isalpha():
        raise Invalid(t("auth.password_too_simple"))
