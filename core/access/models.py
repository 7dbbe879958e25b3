"""The shapes of sign-in and of who is signed in (S1-S4)."""

from __future__ import annotations

from datetime import datetime

from core.shapes import Shape


class EmployeeInfo(Shape):
    id: int
    login: str
    full_name: str
    role: str
    role_name: str
    permissions: list[str]
    desk_ids: list[int]
    desks: list[str]
    masked: list[str] | None = None  # S5: "phone", "email", "country"; None: by view_contacts
    must_change_password: bool = False  # after a reset: nothing else until a new password is set


class SignInChallenge(Shape):
    challenge_id: str
    channel: str  # "sms" or "totp"
    sent_to: str | None = None  # masked mobile the code went to


class SessionInfo(Shape):
    employee: EmployeeInfo
    access_token: str | None = None
    expires_at: datetime | None = None


class Desk(Shape):
    id: int
    name: str
