"""Errors that carry a Chinese message for the user; views turn them into responses."""


class KaoheError(Exception):
    status_code = 400

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFound(KaoheError):
    status_code = 404


class Forbidden(KaoheError):
    status_code = 403


class NotSignedIn(KaoheError):
    status_code = 401


class Invalid(KaoheError):
    status_code = 422


class Conflict(KaoheError):
    status_code = 409


class TooMany(KaoheError):
    status_code = 429


class PasswordChangeRequired(KaoheError):
    """The account uses a temporary password; pages send the user to change it first."""

    status_code = 403
