"""Errors the Console port raises; each carries a message fit for the operator."""

from __future__ import annotations


class CrmError(Exception):
    """Base of every error an operator may see."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(CrmError):
    code = "not_found"


class PermissionDenied(CrmError):
    code = "forbidden"


class AuthFailed(CrmError):
    """Sign-in failed; one message for unknown login, wrong password and wrong code."""

    code = "auth_failed"

    def __init__(self, message: str = "Wrong login, password or code.") -> None:
        super().__init__(message)


class NotSignedIn(CrmError):
    code = "not_signed_in"

    def __init__(self, message: str = "Sign in first.") -> None:
        super().__init__(message)


class ValidationFailed(CrmError):
    """Bad input; `field` names the input at fault so the screen can point at it."""

    code = "invalid"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(CrmError):
    """Someone else changed the same block first (stale version); `current` is the record as
    stored now (as the reader may see it), so the screen can show both, or None."""

    code = "conflict"

    def __init__(self, message: str, current: object | None = None) -> None:
        super().__init__(message)
        self.current = current


class StoreUnavailable(CrmError):
    code = "unavailable"
